// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (vmm/xen/memory.c): add_to_physmap(shared_info) in both
 * layouts, the refusals around it, memory_map (-ENOSYS without a map, the
 * toolstack's map otherwise), and reservations with maxmem above memory
 * (test_xen_grant.c has the grant-frame side of them).
 */
#include "test_xen_fakes.h"
#include "xen_ops_abi.h"
#include <xen/memory.h>
#include <xen/xen.h>

#define ARG	0x7000ull

static void put_xatp(u16 domid, u32 space, u64 idx, u64 gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = domid, .size = 0, .space = space, .idx = idx, .gpfn = gpfn,
	};

	memcpy(fake_ram + ARG, &x, sizeof(x));
}

static void put_xatp32(u16 domid, u32 space, u32 idx, u32 gpfn)
{
	struct xen_add_to_physmap_compat x = {
		.domid = domid, .size = 0, .space = space, .idx = idx, .gpfn = gpfn,
	};

	memset(fake_ram + ARG, 0xee, 32);	/* what follows must not be read */
	memcpy(fake_ram + ARG, &x, sizeof(x));
}

static s64 mem64(u64 cmd, u64 arg)
{
	return hcall64(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0, NULL);
}

static s64 mem32(u32 cmd, u32 arg)
{
	return hcall32(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0, NULL);
}

static void test_shared_info_64(void **state)
{
	(void)state;
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0xf0);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), 0);
	assert_int_equal(fake_shinfo_gfn, 0xf0);
	assert_int_equal(fd->shared_info_gpa, 0xf0000);
	/* Its own id works as DOMID_SELF; moving the page is allowed. */
	put_xatp(FAKE_DOMID, XENMAPSPACE_shared_info, 0, 0xf1);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), 0);
	assert_int_equal(fd->shared_info_gpa, 0xf1000);
}

static void test_shared_info_32(void **state)
{
	(void)state;
	put_xatp32(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x80);
	assert_int_equal(mem32(XENMEM_add_to_physmap, ARG), 0);
	assert_int_equal(fake_shinfo_gfn, 0x80);
	assert_int_equal(fd->shared_info_gpa, 0x80000);
	/* The 32-bit all-ones frame is INVALID_GFN. */
	put_xatp32(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0xffffffffu);
	assert_int_equal(mem32(XENMEM_add_to_physmap, ARG), -22);
	assert_int_equal(fd->shared_info_gpa, 0x80000);
}

static void test_shared_info_refused(void **state)
{
	(void)state;
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 1, 0xf0);	/* idx 1 */
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 0, ~0ull);	/* INVALID_GFN */
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ull << 40);	/* core says no */
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	assert_non_null(strstr(fake_log, "refused"));
	fake_shinfo_refuse = true;
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	assert_int_equal(fd->shared_info_gpa, ~0ull);
	assert_int_equal(fake_shinfo_gfn, ~0ull);
}

static void test_other_domains_and_spaces(void **state)
{
	(void)state;
	put_xatp(0, XENMAPSPACE_shared_info, 0, 0x10);		/* dom0 */
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -1);
	put_xatp(FAKE_DOMID + 1, XENMAPSPACE_shared_info, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -1);
	put_xatp(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -38);
	/* Grant frames (test_xen_grant.c): below the maximum, in RAM or a VMM page outside. */
	put_xatp(DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), 0);
	put_xatp(DOMID_SELF, XENMAPSPACE_grant_table, XEN_GNTTAB_DEFAULT_FRAMES, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, XENMAPSPACE_grant_table, 1, FAKE_RAM_SIZE / 4096);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), 0);
	fake_extra_refuse = true;
	put_xatp(DOMID_SELF, XENMAPSPACE_grant_table, 2, FAKE_RAM_SIZE / 4096 + 1);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, XENMAPSPACE_gmfn, 5, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, XENMAPSPACE_dev_mmio, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	put_xatp(DOMID_SELF, 1000, 0, 0x10);
	assert_int_equal(mem64(XENMEM_add_to_physmap, ARG), -22);
	assert_int_equal(fake_shinfo_gfn, ~0ull);
}

static void test_bad_pointer_and_extent(void **state)
{
	(void)state;
	assert_int_equal(mem64(XENMEM_add_to_physmap, FAKE_BAD_GPA), -14);
	assert_int_equal(mem32(XENMEM_add_to_physmap, (u32)FAKE_BAD_GPA), -14);
	/* A 64-bit struct straddling the end of RAM; the 32-bit one fits. */
	put_xatp32(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x30);
	memcpy(fake_ram + FAKE_RAM_SIZE - 16, fake_ram + ARG, 16);
	assert_int_equal(mem64(XENMEM_add_to_physmap, FAKE_RAM_SIZE - 16), -14);
	assert_int_equal(mem32(XENMEM_add_to_physmap, FAKE_RAM_SIZE - 16), 0);
	/* Start extent above 16 bits: -EDOM; within: ignored for shared_info. */
	put_xatp(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x40);
	assert_int_equal(mem64(XENMEM_add_to_physmap | (0x10000ull << MEMOP_EXTENT_SHIFT), ARG), -33);
	assert_int_equal(mem64(XENMEM_add_to_physmap | (1ull << MEMOP_EXTENT_SHIFT), ARG), 0);
	assert_int_equal(fake_shinfo_gfn, 0x40);
}

static void test_memory_map(void **state)
{
	struct xen_memory_map m = { .nr_entries = 8, .buffer = 0x9000 };

	(void)state;
	memcpy(fake_ram + ARG, &m, sizeof(m));
	assert_int_equal(mem64(XENMEM_memory_map, ARG), -38);
	assert_int_equal(mem32(XENMEM_memory_map, ARG), -38);
	assert_int_equal(mem64(XENMEM_memory_map, FAKE_BAD_GPA), -14);
	/* Compat struct is 8 bytes: it fits where the 64-bit one does not. */
	assert_int_equal(mem64(XENMEM_memory_map, FAKE_RAM_SIZE - 8), -14);
	assert_int_equal(mem32(XENMEM_memory_map, FAKE_RAM_SIZE - 8), -38);
}

/* A map set at creation: Xen's copy of min(nr_entries, entries), the count written back. */
static void test_memory_map_set(void **state)
{
	struct xen_memory_map m = { .nr_entries = 8, .buffer = 0x9000 };
	struct xen_memory_map_compat c = { .nr_entries = 2, .buffer = 0xa000 };
	struct xen_e820_entry e[4];

	(void)state;
	fd->nr_memmap = 3;
	fd->memmap[0] = (struct xvmm_memmap_entry){ 0, 0xfc000000ull, 1, 0 };
	fd->memmap[1] = (struct xvmm_memmap_entry){ 0xfc000000ull, 0x10000, 3, 0 };
	fd->memmap[2] = (struct xvmm_memmap_entry){ 1ull << 32, 0x84000000ull, 1, 0 };
	memset(fake_ram + 0x9000, 0xee, 4 * sizeof(e[0]));
	memcpy(fake_ram + ARG, &m, sizeof(m));
	assert_int_equal(mem64(XENMEM_memory_map, ARG), 0);
	memcpy(&m, fake_ram + ARG, sizeof(m));
	assert_int_equal(m.nr_entries, 3);
	memcpy(e, fake_ram + 0x9000, sizeof(e));
	assert_int_equal(e[0].size, 0xfc000000ull);
	assert_int_equal(e[1].type, 3);
	assert_int_equal(e[2].addr, 1ull << 32);
	assert_int_equal(e[2].size, 0x84000000ull);
	assert_int_equal(e[2].type, 1);
	assert_int_equal(fake_ram[0x9000 + 3 * 20], 0xee);	/* 20-byte packed entries, no more */
	/* 32-bit caller, room for 2: two copied, 2 written back. */
	memset(fake_ram + 0xa000, 0xee, 3 * sizeof(e[0]));
	memcpy(fake_ram + ARG, &c, sizeof(c));
	assert_int_equal(mem32(XENMEM_memory_map, ARG), 0);
	memcpy(&c, fake_ram + ARG, sizeof(c));
	assert_int_equal(c.nr_entries, 2);
	memcpy(e, fake_ram + 0xa000, 2 * sizeof(e[0]));
	assert_int_equal(e[1].addr, 0xfc000000ull);
	assert_int_equal(fake_ram[0xa000 + 2 * 20], 0xee);
	/* A buffer outside RAM: -EFAULT. */
	m = (struct xen_memory_map){ .nr_entries = 8, .buffer = FAKE_BAD_GPA };
	memcpy(fake_ram + ARG, &m, sizeof(m));
	assert_int_equal(mem64(XENMEM_memory_map, ARG), -14);
}

#define LIST	0x8000ull

static s64 resv(u32 cmd, u64 nr, u32 order)
{
	struct xen_memory_reservation r = {
		.extent_start = LIST, .nr_extents = nr, .extent_order = order, .domid = DOMID_SELF,
	};

	memcpy(fake_ram + ARG, &r, sizeof(r));
	return mem64(cmd, ARG);
}

static s64 pages(u32 cmd)
{
	u16 dom = DOMID_SELF;

	memcpy(fake_ram + ARG, &dom, 2);
	return mem64(cmd, ARG);
}

/* maxmem above memory: the frames past memory start given back; growing stops at maxmem. */
static void test_reservations_maxmem(void **state)
{
	const u64 half = FAKE_RAM_SIZE / 2 / 4096;
	u64 frames[3] = { half, half + 8, FAKE_RAM_SIZE / 4096 };
	u32 word = 0x12345678;

	(void)state;
	fake_ram_set_max(fd, FAKE_RAM_SIZE / 2, FAKE_RAM_SIZE);
	assert_int_equal(pages(XENMEM_current_reservation), half);
	assert_int_equal(pages(XENMEM_maximum_reservation), FAKE_RAM_SIZE / 4096);
	assert_int_equal(mem64(XENMEM_maximum_ram_page, 0), FAKE_RAM_SIZE / 4096);
	/* Nothing there yet: a hypercall argument in that frame is -EFAULT. */
	assert_int_equal(mem64(XENMEM_current_reservation, half * 4096), -14);
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	assert_int_equal(resv(XENMEM_populate_physmap, 3, 0), 2);	/* the third is past maxmem */
	assert_int_equal(pages(XENMEM_current_reservation), half + 2);
	assert_int_equal(fake_ram_maps, 2);
	assert_int_equal(copy_to_guest(fd, half * 4096, &word, 4), 0);
	/* An order-3 extent over frames half .. half + 7: only half is there, so it is refused whole. */
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 3), 0);
	frames[0] = half + 16;
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	assert_int_equal(resv(XENMEM_populate_physmap, 1, 3), 1);
	assert_int_equal(pages(XENMEM_current_reservation), half + 10);
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 3), 1);
	assert_int_equal(pages(XENMEM_current_reservation), half + 2);
	assert_int_equal(fake_ram_unmaps, 8);
}

/* A decrease flushes every vCPU's TLB (running ones kicked), once per call; a populate needs none. */
static void test_decrease_flushes(void **state)
{
	u64 frames[2] = { 0x20, 0x21 };
	u64 gen = fd->npt_gen;

	(void)state;
	fd->nr_vcpus = 3;
	fd->vcpus[1].running = true;
	fd->kick_pending = 0;
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 0), 2);
	assert_int_equal(fd->npt_gen, gen + 1);
	assert_int_equal(fd->kick_pending, 1ull << 1);	/* the running one; v0 is the caller */
	assert_int_equal(copy_from_guest(fd, frames, 0x20 * 4096, 8), -14);
	assert_int_equal(resv(XENMEM_populate_physmap, 2, 0), 2);
	assert_int_equal(fd->npt_gen, gen + 1);
	assert_int_equal(fake_ram[0x20 * 4096], 0);	/* back zeroed (the fake poisons given-back pages) */
	/* Nothing done, nothing to flush; no memory for a split: the walk stops, and counts what was done. */
	assert_int_equal(resv(XENMEM_decrease_reservation, 0, 0), 0);
	assert_int_equal(fd->npt_gen, gen + 1);
	fake_ram_refuse = true;
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 0), 0);
	assert_int_equal(pages(XENMEM_current_reservation), FAKE_RAM_SIZE / 4096);
	fake_ram_refuse = false;
	fd->vcpus[1].running = false;
}

static void test_other_subops(void **state)
{
	(void)state;
	/* Reservations with nr_extents 0: nothing done (test_xen_grant.c has more). */
	memset(fake_ram + ARG, 0, 32);
	assert_int_equal(mem64(XENMEM_increase_reservation, ARG), 0);
	assert_int_equal(mem64(XENMEM_decrease_reservation, ARG), 0);
	assert_int_equal(mem64(XENMEM_populate_physmap, ARG), 0);
	assert_int_equal(mem64(XENMEM_machphys_mapping, ARG), -38);
	assert_int_equal(mem64(XENMEM_add_to_physmap_batch, ARG), -38);
	assert_int_equal(mem64(63, ARG), -38);
	assert_int_equal(mem32(0xffffffffu, ARG), -38);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_info_64, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shared_info_32, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shared_info_refused, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_domains_and_spaces, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointer_and_extent, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_memory_map, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_memory_map_set, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_reservations_maxmem, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_decrease_flushes, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_subops, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
