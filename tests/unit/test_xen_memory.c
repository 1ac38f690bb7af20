// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (vmm/xen/memory.c): add_to_physmap(shared_info) in both
 * layouts, the refusals around it, and memory_map's -ENOSYS.
 */
#include "test_xen_fakes.h"
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
		cmocka_unit_test_setup_teardown(test_other_subops, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
