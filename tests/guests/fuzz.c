// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: FUZZ_CALLS hypercalls (calls=N on the command line) with random
 * numbers and arguments from a xorshift64 generator, fixed-seeded unless
 * seed=N says otherwise (the same sequence for the same seed), then
 * checks that the guest is intact and xen_version still answers as before.
 *
 * Numbers: 0..63 mostly, sometimes 64, 127, 128, 1000, 0xffffffff or ~0.
 * Calls go through the hypercall page when stub nr exists and starts with
 * "mov $nr, %eax", else (and at random) by a bare vmmcall.
 * Arguments: small ints, random 32-bit or full-width values, 0, ~0,
 * pointers into a scratch arena refilled with random bytes, into RAM
 * outside our image, or just beyond the end of RAM. A value that would
 * point into our own image is moved into the arena, so the VMM never gets
 * a pointer to our code, data or stack.
 * Skipped (they legitimately end, block or unmap the guest): sched_op and
 * sched_op_compat block/shutdown/poll/remote_shutdown/watchdog; vcpu_op
 * down and register_vcpu_info; memory_op sub-ops that change the physmap.
 */
#include "cmdline.h"
#include "guest.h"

DEFINE_GUEST_NAME;

#define FUZZ_CALLS	2000
#define FUZZ_SEED	0x9e3779b97f4a7c15ull
#define ARENA_SIZE	(64 * 1024)
#define ARENA_USED	(32 * 1024)	/* pointers land here; the rest is slack */

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
static uint64_t rng = FUZZ_SEED;
static uint64_t ram_end;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t fnv1a(const uint8_t *p, const uint8_t *end)
{
	uint32_t h = 2166136261u;

	while (p < end)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static uint64_t find_ram_end(void)
{
	const struct hvm_start_info *si = start_info;
	const struct hvm_memmap_table_entry *m;
	uint64_t end = 0;

	if (si->magic != XEN_HVM_START_MAGIC_VALUE || !si->memmap_paddr ||
	    !phys_mapped(si->memmap_paddr, (uint64_t)si->memmap_entries * sizeof(*m)))
		return 32ull << 20;
	m = phys_to_ptr(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM && m[i].addr + m[i].size > end)
			end = m[i].addr + m[i].size;
	return end ? end : 32ull << 20;
}

static unsigned long rnd_arg(void)
{
	uint64_t r = rnd();
	uint32_t lo = (uint32_t)r, hi = (uint32_t)(r >> 32);	/* no 64-bit division */
	uint64_t img_lo = (uintptr_t)_image_start, img_hi = (uintptr_t)_image_end;
	uint64_t v;

	switch (lo % 9) {
	case 0:  v = hi & 15; break;
	case 1:  v = hi; break;
	case 2:  v = rnd(); break;
	case 3:  v = 0; break;
	case 4:  v = ~0ull; break;
	case 5:  /* into the arena, page-aligned half of the time */
		v = (uintptr_t)arena + hi % ARENA_USED;
		if (lo & 0x10000)
			v &= ~(uint64_t)(PAGE_SIZE - 1);
		break;
	case 6:  v = (uintptr_t)arena + ARENA_USED - (hi & 63); break;
	case 7:  v = img_hi + hi % (uint32_t)(ram_end - img_hi); break;	/* RAM, not us */
	default: v = ram_end + (hi & 0xffff); break;			/* just beyond RAM */
	}
	v = (unsigned long)v;					/* 32-bit: truncate */
	if (v >= img_lo && v < img_hi &&
	    !(v >= (uintptr_t)arena && v < (uintptr_t)arena + ARENA_USED))
		v = (uintptr_t)arena + (uint32_t)(v - img_lo) % ARENA_USED;
	return (unsigned long)v;
}

static unsigned long rnd_nr(void)
{
	static const unsigned long odd[] = { 64, 127, 128, 1000, 0xffffffffu, ~0ul };
	uint32_t r = (uint32_t)rnd();

	if ((r & 15) == 0)
		return odd[(r >> 4) % ARRAY_SIZE(odd)];
	return (r >> 4) & 63;
}

/* Would this call end, block or unmap the guest (not a VMM bug)? */
static int must_skip(unsigned long nr, unsigned long a1)
{
	uint32_t cmd = (uint32_t)a1;

	switch (nr) {
	case HC_sched_op:
	case HC_sched_op_compat:
		return cmd >= SCHEDOP_block && cmd <= 5;	/* ..remote_shutdown, watchdog */
	case HC_vcpu_op:
		return cmd == 2 || cmd == 10;		/* down, register_vcpu_info */
	case HC_memory_op:
		switch (cmd & MEMOP_CMD_MASK) {
		case 0: case 1: case 6: case 7:		/* increase/decrease, populate, add_to_physmap */
		case 11: case 15: case 23: case 28:	/* exchange, remove, batch, acquire_resource */
			return 1;
		}
		return 0;
	}
	return 0;
}

void guest_main(void)
{
	unsigned long want = cmdline_num("calls=", FUZZ_CALLS), seed = cmdline_num("seed=", 0);
	struct { long err; const char *name; unsigned int n; } tally[] = {
		{ 0, "0", 0 }, { -ENOSYS, "ENOSYS", 0 }, { -EFAULT, "EFAULT", 0 },
		{ -EINVAL, "EINVAL", 0 }, { -EPERM, "EPERM", 0 }, { -ESRCH, "ESRCH", 0 },
	};
	unsigned int calls = 0, skipped = 0, bare = 0, other_neg = 0, positive = 0;
	struct xen_feature_info fi0 = { 0, 0 }, fi1 = { 0, 0 };
	uint32_t sum0, sum1;
	long ver0, ver1;

	need_xen();
	if (seed)
		rng = FUZZ_SEED ^ (seed * 0xbf58476d1ce4e5b9ull);
	if (!rng)
		rng = FUZZ_SEED;
	ram_end = find_ram_end();
	if (ram_end <= (uintptr_t)_image_end || ram_end - (uintptr_t)_image_end > 0xffffffffu)
		fail("RAM end %llx unusable", ULL(ram_end));
	ver0 = xen_version(XENVER_version, NULL);
	xen_version(XENVER_get_features, &fi0);
	sum0 = fnv1a((const uint8_t *)_text_start, (const uint8_t *)_text_end);
	printf("xvmm-guest: %s: %lu calls, seed %llx, RAM end %llx\n",
	       guest_name, want, ULL(rng), ULL(ram_end));

	while (calls < want) {
		unsigned long nr = rnd_nr(), a[5];
		long rc;
		unsigned int i;

		for (i = 0; i < 5; i++)
			a[i] = rnd_arg();
		if (must_skip(nr, a[0])) {
			skipped++;
			continue;
		}
		if (calls % 32 == 0)
			for (i = 0; i < ARENA_SIZE; i += 8) {
				uint64_t r = rnd();

				memcpy(arena + i, &r, 8);
			}
		if (nr < PAGE_SIZE / 32 && (uint8_t)hypercall_page[nr * 32] == 0xb8 &&
		    nr != HC_iret && (rnd() & 3)) {
			rc = hypercall(nr, a[0], a[1], a[2], a[3], a[4]);
		} else {
			rc = hypercall_bare(nr, a[0], a[1], a[2], a[3], a[4]);
			bare++;
		}
		calls++;

		for (i = 0; i < ARRAY_SIZE(tally) && tally[i].err != rc; i++)
			;
		if (i < ARRAY_SIZE(tally))
			tally[i].n++;
		else if (rc < 0)
			other_neg++;
		else
			positive++;
		if (calls % 500 == 0)
			printf("xvmm-guest: %s: %u calls done (last nr %lx rc %ld)\n",
			       guest_name, calls, nr, rc);
	}

	printf("xvmm-guest: %s: %u calls (%u bare), %u skipped; rc:", guest_name,
	       calls, bare, skipped);
	for (unsigned int i = 0; i < ARRAY_SIZE(tally); i++)
		printf(" %s %u", tally[i].name, tally[i].n);
	printf(" other<0 %u >0 %u\n", other_neg, positive);

	ver1 = xen_version(XENVER_version, NULL);
	xen_version(XENVER_get_features, &fi1);
	sum1 = fnv1a((const uint8_t *)_text_start, (const uint8_t *)_text_end);
	if (ver1 != ver0)
		fail("xen_version %lx after fuzzing, %lx before", ver1, ver0);
	if (fi1.submap != fi0.submap)
		fail("features %x after fuzzing, %x before", fi1.submap, fi0.submap);
	if (sum1 != sum0)
		fail("guest code/rodata changed during fuzzing");
}
