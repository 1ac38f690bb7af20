// SPDX-License-Identifier: GPL-2.0-only
/*
 * startinfo: the hvm_start_info the VMM handed us in EBX.
 *  - magic, version >= 1, reserved 0; the struct outside our image
 *  - memory map: present, sorted, non-overlapping, reserved fields 0, a RAM
 *    entry at 0 and a RAM entry covering our whole image
 *  - cmdline: NUL-terminated within 4 KiB (printed)
 *  - RSDP: non-zero, "RSD PTR " there, checksums right
 *  - modules: none, or each module's bytes readable
 *  - XENMEM_memory_map: -ENOSYS, or the same map as the start info
 *  - a frame given back twice with decrease_reservation: 1, then 0 extents
 * Without Xen (plain QEMU) everything but the last check runs, then SKIP.
 */
#include "guest.h"

DEFINE_GUEST_NAME;

static struct e820_entry e820[64];

static int overlaps_image(uint64_t pa, uint64_t len)
{
	return pa < (uintptr_t)_image_end && pa + len > (uintptr_t)_image_start;
}

static void check_readable(const char *what, uint64_t pa, uint64_t len)
{
	if (!phys_mapped(pa, len))
		fail("%s at %llx (+%llx) outside what we map", what, ULL(pa), ULL(len));
	if (overlaps_image(pa, len))
		fail("%s at %llx (+%llx) overlaps the guest image", what, ULL(pa), ULL(len));
}

static void check_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *m;
	uint64_t img_lo = (uintptr_t)_image_start, img_hi = (uintptr_t)_image_end;
	int ram_at_0 = 0, image_covered = 0;

	if (!si->memmap_paddr || !si->memmap_entries)
		fail("no memory map (paddr %llx, %u entries)",
		     ULL(si->memmap_paddr), si->memmap_entries);
	check_readable("memory map", si->memmap_paddr,
		       (uint64_t)si->memmap_entries * sizeof(*m));
	m = phys_to_ptr(si->memmap_paddr);

	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		printf("xvmm-guest: %s: memmap[%u] %016llx-%016llx type %x\n", guest_name,
		       i, ULL(m[i].addr), ULL(m[i].addr + m[i].size), m[i].type);
		if (m[i].reserved)
			fail("memmap[%u] reserved field %x", i, m[i].reserved);
		if (!m[i].size || m[i].addr + m[i].size < m[i].addr)
			fail("memmap[%u] empty or wrapping", i);
		if (i && m[i].addr < m[i - 1].addr + m[i - 1].size)
			fail("memmap[%u] unsorted or overlapping the previous entry", i);
		if (m[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		if (m[i].addr == 0)
			ram_at_0 = 1;
		if (m[i].addr <= img_lo && m[i].addr + m[i].size >= img_hi)
			image_covered = 1;
	}
	if (!ram_at_0)
		fail("no RAM entry starting at 0");
	if (!image_covered)
		fail("image %llx-%llx not inside one RAM entry", ULL(img_lo), ULL(img_hi));
}

static void check_cmdline(uint64_t pa)
{
	const char *s;
	size_t len;

	if (!pa) {
		printf("xvmm-guest: %s: no cmdline\n", guest_name);
		return;
	}
	check_readable("cmdline", pa, 1);
	s = phys_to_ptr(pa);
	len = strnlen(s, 4096);
	if (len == 4096)
		fail("cmdline at %llx not NUL-terminated within 4 KiB", ULL(pa));
	printf("xvmm-guest: %s: cmdline \"%s\"\n", guest_name, s);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static void check_rsdp(uint64_t pa)
{
	const uint8_t *r;
	uint32_t len;

	if (!pa)
		fail("rsdp_paddr is 0");
	check_readable("RSDP", pa, 36);
	r = phys_to_ptr(pa);
	if (memcmp(r, "RSD PTR ", 8))
		fail("no \"RSD PTR \" at %llx", ULL(pa));
	if (sum(r, 20))
		fail("RSDP checksum (first 20 bytes) wrong");
	if (r[15] >= 2) {			/* revision: ACPI 2.0+ length, XSDT */
		memcpy(&len, r + 20, 4);
		if (len < 36 || !phys_mapped(pa, len) || sum(r, len))
			fail("RSDP extended checksum wrong (length %u)", len);
	}
	printf("xvmm-guest: %s: RSDP at %llx, revision %u\n", guest_name, ULL(pa), r[15]);
}

static void check_modules(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mod;

	if (!si->nr_modules)
		return;
	if (!si->modlist_paddr)
		fail("%u modules but modlist_paddr 0", si->nr_modules);
	check_readable("module list", si->modlist_paddr,
		       (uint64_t)si->nr_modules * sizeof(*mod));
	mod = phys_to_ptr(si->modlist_paddr);
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		const volatile uint8_t *p = phys_to_ptr(mod[i].paddr);
		uint8_t x = 0;

		check_readable("module", mod[i].paddr, mod[i].size);
		for (uint64_t off = 0; off < mod[i].size; off++)
			x ^= p[off];
		printf("xvmm-guest: %s: module %u at %llx, %llu bytes, xor %x\n",
		       guest_name, i, ULL(mod[i].paddr), ULL(mod[i].size), x);
		if (mod[i].cmdline_paddr)
			check_readable("module cmdline", mod[i].cmdline_paddr, 1);
	}
}

static void check_memory_op_map(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *m = phys_to_ptr(si->memmap_paddr);
	struct xen_memory_map map = { ARRAY_SIZE(e820), e820 };
	long rc;

	need_xen();
	rc = memory_op(XENMEM_memory_map, &map);
	if (rc == -ENOSYS) {
		printf("xvmm-guest: %s: XENMEM_memory_map: -ENOSYS\n", guest_name);
		return;
	}
	if (rc)
		fail("XENMEM_memory_map returned %ld", rc);
	if (map.nr_entries != si->memmap_entries)
		fail("XENMEM_memory_map: %u entries, start info %u",
		     map.nr_entries, si->memmap_entries);
	for (uint32_t i = 0; i < map.nr_entries; i++)
		if (e820[i].addr != m[i].addr || e820[i].size != m[i].size ||
		    e820[i].type != m[i].type)
			fail("XENMEM_memory_map[%u] %llx+%llx type %x differs", i,
			     ULL(e820[i].addr), ULL(e820[i].size), e820[i].type);
	printf("xvmm-guest: %s: XENMEM_memory_map matches (%u entries)\n",
	       guest_name, map.nr_entries);
}

/*
 * A frame given back twice (XTF xsa-277): decrease_reservation does it
 * once (1 extent), then nothing (0), as on Xen; populate_physmap takes it
 * back. The frame: the page of our own scratch buffer, never used again.
 */
#define XENMEM_decrease_reservation	1
#define XENMEM_populate_physmap		6

struct memory_reservation {
	void *extent_start;		/* handle: pointer-sized in both ABIs */
	unsigned long nr_extents;
	unsigned int extent_order;
	unsigned int mem_flags;
	uint16_t domid;
};

static uint8_t given_back[4096] __attribute__((aligned(4096)));

static void check_given_back_once(void)
{
	unsigned long gfn = (uintptr_t)given_back / 4096;
	struct memory_reservation r = { &gfn, 1, 0, 0, 0x7ff0 /* DOMID_SELF */ };
	long rc;

	rc = memory_op(XENMEM_decrease_reservation, &r);
	if (rc != 1)
		fail("decrease_reservation of frame %lx returned %ld, want 1", gfn, rc);
	rc = memory_op(XENMEM_decrease_reservation, &r);
	if (rc != 0)
		fail("decrease_reservation of frame %lx again returned %ld, want 0", gfn, rc);
	rc = memory_op(XENMEM_populate_physmap, &r);
	if (rc != 1)
		fail("populate_physmap of frame %lx returned %ld, want 1", gfn, rc);
	printf("xvmm-guest: %s: a frame given back twice: 1, then 0 extents\n", guest_name);
}

void guest_main(void)
{
	const struct hvm_start_info *si = start_info;

	/* All but the last check need no hypercall: they run under plain QEMU too. */
	check_readable("start info", (uintptr_t)si, sizeof(*si));
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		fail("magic %x", si->magic);
	printf("xvmm-guest: %s: version %u flags %x modules %u\n",
	       guest_name, si->version, si->flags, si->nr_modules);
	if (si->version < 1)
		fail("version %u < 1 (no memory map)", si->version);
	if (si->reserved)
		fail("reserved field %x", si->reserved);

	check_memmap(si);
	check_cmdline(si->cmdline_paddr);
	check_rsdp(si->rsdp_paddr);
	check_modules(si);
	check_memory_op_map(si);
	check_given_back_once();
}
