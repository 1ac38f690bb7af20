// SPDX-License-Identifier: GPL-2.0-only
/*
 * balloon: memory reservations with maxmem above memory (run with
 * `maxmem=48`, 16 MiB more than the config's 32; cmdline maxmem_mib=48).
 *  - current_reservation counts populated frames, maximum_reservation maxmem's
 *  - decrease_reservation really takes a frame away: the page we just wrote
 *    reads all ones afterwards, writes to it go nowhere (Xen 4.17's answer
 *    for an HVM guest touching a frame with nothing behind it), and the TLB
 *    entry we held for it is gone
 *  - populate_physmap brings it back zeroed; frames past memory, up to
 *    maxmem, can be populated (single and order-9 extents), past maxmem not
 *  - refusals: an order above 9, a misaligned extent, a frame outside RAM
 *    (the special pages), a frame given back twice; the count done stops
 *    at the first extent refused
 * Numbers from Xen's public memory.h; behaviour as xen/common/memory.c.
 */
#include "cmdline.h"
#include "guest.h"

DEFINE_GUEST_NAME;

#define XENMEM_decrease_reservation	1
#define XENMEM_maximum_ram_page		2
#define XENMEM_current_reservation	3
#define XENMEM_maximum_reservation	4
#define XENMEM_populate_physmap		6
#define DOMID_SELF			0x7ff0

struct memory_reservation {
	void *extent_start;		/* handle: pointer-sized in both ABIs */
	unsigned long nr_extents;
	unsigned int extent_order;
	unsigned int mem_flags;
	uint16_t domid;
};

static uint8_t scratch[4 * 4096] __attribute__((aligned(4096)));

static long resv(unsigned int cmd, unsigned long *frames, unsigned long nr, unsigned int order)
{
	struct memory_reservation r = { frames, nr, order, 0, DOMID_SELF };

	return memory_op(cmd, &r);
}

static long pages(unsigned int cmd)
{
	uint16_t dom = DOMID_SELF;

	return memory_op(cmd, &dom);
}

static void expect(const char *what, long got, long want)
{
	if (got != want)
		fail("%s: %ld, want %ld", what, got, want);
}

/* Plain MOVs: a frame with nothing behind it is emulated, one instruction at a time. */
static uint32_t rd32(const uint32_t *p)
{
	uint32_t v;

	asm volatile("movl (%1), %0" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static void wr32(uint32_t *p, uint32_t v)
{
	asm volatile("movl %1, (%0)" :: "r"(p), "r"(v) : "memory");
}

/* Words across the page at @pa read @want. */
static void check_page(const char *what, uintptr_t pa, uint32_t want)
{
	uint32_t *p = phys_to_ptr(pa);

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i += 97) {
		uint32_t v = rd32(p + i);

		if (v != want)
			fail("%s: word %u of %lx is %x, want %x", what, i, (unsigned long)pa, v, want);
	}
}

static void fill(uintptr_t pa, uint32_t v)
{
	uint32_t *p = phys_to_ptr(pa);

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i += 97)
		wr32(p + i, v);
}

void guest_main(void)
{
	unsigned long memory = 32ul << 20;
	unsigned long maxmem = cmdline_num("maxmem_mib", 48) << 20;
	unsigned long base = memory / PAGE_SIZE;
	uintptr_t pa = (uintptr_t)scratch;
	unsigned long f[4];
	long cur;

	need_xen();
	cur = pages(XENMEM_current_reservation);
	expect("current_reservation", cur, (long)(memory / PAGE_SIZE));
	expect("maximum_reservation", pages(XENMEM_maximum_reservation), (long)(maxmem / PAGE_SIZE));
	expect("maximum_ram_page", memory_op(XENMEM_maximum_ram_page, NULL), (long)(maxmem / PAGE_SIZE));

	/* Give back a page we just wrote (and so hold in the TLB): nothing is there any more. */
	fill(pa, 0x5a5a1234);
	check_page("before", pa, 0x5a5a1234);
	f[0] = pa / PAGE_SIZE;
	expect("decrease_reservation", resv(XENMEM_decrease_reservation, f, 1, 0), 1);
	expect("current after decrease", pages(XENMEM_current_reservation), cur - 1);
	check_page("given back", pa, 0xffffffffu);
	fill(pa, 0x11111111);
	check_page("written while given back", pa, 0xffffffffu);
	expect("decrease again", resv(XENMEM_decrease_reservation, f, 1, 0), 0);
	printf("xvmm-guest: %s: a given-back frame reads all ones\n", guest_name);

	/* Populated again: zeroed, ours. */
	expect("populate_physmap", resv(XENMEM_populate_physmap, f, 1, 0), 1);
	expect("current after populate", pages(XENMEM_current_reservation), cur);
	check_page("populated again", pa, 0);
	fill(pa, 0x22222222);
	check_page("written after populate", pa, 0x22222222);
	printf("xvmm-guest: %s: populated again, zeroed\n", guest_name);

	/* Past memory, up to maxmem: nothing there until populated. */
	check_page("past memory", base * PAGE_SIZE, 0xffffffffu);
	f[0] = base;
	expect("populate past memory", resv(XENMEM_populate_physmap, f, 1, 0), 1);
	check_page("past memory, populated", base * PAGE_SIZE, 0);
	fill(base * PAGE_SIZE, 0x33333333);
	check_page("past memory, written", base * PAGE_SIZE, 0x33333333);
	f[0] = base + 512;	/* order 9: 2 MiB aligned, 34 MiB */
	expect("populate order 9", resv(XENMEM_populate_physmap, f, 1, 9), 1);
	check_page("order-9 extent, last page", (base + 1023) * PAGE_SIZE, 0);
	expect("current after growing", pages(XENMEM_current_reservation), cur + 513);
	/* The last frame of maxmem, then the first past it: the walk stops there. */
	f[0] = maxmem / PAGE_SIZE - 1;
	f[1] = maxmem / PAGE_SIZE;
	f[2] = base + 2;
	expect("populate past maxmem", resv(XENMEM_populate_physmap, f, 3, 0), 1);
	expect("current at the end", pages(XENMEM_current_reservation), cur + 514);
	printf("xvmm-guest: %s: grew past memory up to maxmem (%lu MiB), not beyond\n",
	       guest_name, maxmem >> 20);

	/* Refusals: each stops the walk at once. */
	f[0] = pa / PAGE_SIZE;
	expect("order 10", resv(XENMEM_decrease_reservation, f, 1, 10), 0);
	f[0] = base + 1;	/* odd frame for an order-1 extent */
	expect("misaligned extent", resv(XENMEM_decrease_reservation, f, 1, 1), 0);
	f[0] = 0xfc010;		/* the console ring: a special page, not RAM */
	expect("special page", resv(XENMEM_decrease_reservation, f, 1, 0), 0);
	expect("populate special page", resv(XENMEM_populate_physmap, f, 1, 0), 0);
	f[0] = (pa / PAGE_SIZE) + 1;
	f[1] = (pa / PAGE_SIZE) + 2;
	f[2] = (pa / PAGE_SIZE) + 1;	/* given back just before: the walk ends there */
	f[3] = (pa / PAGE_SIZE) + 3;
	expect("list with a repeat", resv(XENMEM_decrease_reservation, f, 4, 0), 2);
	check_page("listed frame", pa + 2 * PAGE_SIZE, 0xffffffffu);
	check_page("frame after the stop", pa + 3 * PAGE_SIZE, 0);
	expect("current after refusals", pages(XENMEM_current_reservation), cur + 512);
	/* An order-9 extent back at once, then populated again. */
	f[0] = base + 512;
	expect("decrease order 9", resv(XENMEM_decrease_reservation, f, 1, 9), 1);
	check_page("order-9 given back", (base + 700) * PAGE_SIZE, 0xffffffffu);
	expect("current after order 9", pages(XENMEM_current_reservation), cur);
	printf("xvmm-guest: %s: refusals as Xen's\n", guest_name);
}
