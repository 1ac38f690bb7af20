// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version (vmm/xen/version.c): every sub-op, the 32-bit layout of
 * platform_parameters, bad buffers and sub-ops.
 */
#include "test_xen_fakes.h"
#include <xen/version.h>
#include <xen/xen.h>

#define BUF	0x4000ull

static s64 ver64(u32 cmd, u64 arg)
{
	return hcall64(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0, NULL);
}

static s64 ver32(u32 cmd, u32 arg)
{
	return hcall32(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0, NULL);
}

static void test_version_number(void **state)
{
	(void)state;
	assert_int_equal(ver64(XENVER_version, 0), 0x40011);
	assert_int_equal(ver32(XENVER_version, 0), 0x40011);
	/* int cmd: upper bits of RDI do not count. */
	assert_int_equal(hcall64(__HYPERVISOR_xen_version, 0x100000000ull | XENVER_version, 0, 0, 0, 0, NULL), 0x40011);
}

static void test_strings(void **state)
{
	(void)state;
	memset(fake_ram + BUF, 'x', 2048);
	assert_int_equal(ver64(XENVER_extraversion, BUF), 0);
	assert_string_equal((char *)fake_ram + BUF, ".0-xvmm");
	assert_int_equal(fake_ram[BUF + 15], 0);	/* padded to 16 */
	assert_int_equal(fake_ram[BUF + 16], 'x');	/* and no further */

	assert_int_equal(ver32(XENVER_capabilities, BUF), 0);
	assert_non_null(strstr((char *)fake_ram + BUF, "hvm-3.0-x86_64"));
	assert_null(strstr((char *)fake_ram + BUF, "xen-3.0"));	/* no PV */
	assert_int_equal(fake_ram[BUF + 1023], 0);
	assert_int_equal(fake_ram[BUF + 1024], 'x');

	assert_int_equal(ver64(XENVER_changeset, BUF), 0);
	assert_string_equal((char *)fake_ram + BUF, "unavailable");
	assert_int_equal(fake_ram[BUF + 63], 0);

	memset(fake_ram + BUF, 'x', 2048);
	assert_int_equal(ver64(XENVER_commandline, BUF), 0);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(fake_ram[BUF + i], 0);
	assert_int_equal(fake_ram[BUF + 1024], 'x');
}

static void test_compile_info(void **state)
{
	struct xen_compile_info ci;

	(void)state;
	memset(fake_ram + BUF, 'x', 256);
	assert_int_equal(ver64(XENVER_compile_info, BUF), 0);
	memcpy(&ci, fake_ram + BUF, sizeof(ci));
	assert_string_equal(ci.compiler, "gcc");
	assert_string_equal(ci.compile_by, "xvmm");
	assert_int_equal(ci.compile_date[0], 0);
	assert_int_equal(fake_ram[BUF + sizeof(ci)], 'x');
}

static void test_platform_parameters_layouts(void **state)
{
	(void)state;
	memset(fake_ram + BUF, 0xaa, 16);
	assert_int_equal(ver64(XENVER_platform_parameters, BUF), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(fake_ram[BUF + i], 0);
	assert_int_equal(fake_ram[BUF + 8], 0xaa);

	memset(fake_ram + BUF, 0xaa, 16);
	assert_int_equal(ver32(XENVER_platform_parameters, BUF), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(fake_ram[BUF + i], 0);
	assert_int_equal(fake_ram[BUF + 4], 0xaa);	/* compat: 4 bytes only */
}

static void test_get_features(void **state)
{
	struct xen_feature_info fi = { 0, 0xffffffffu };
	u32 want = (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
		   (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock) |
		   (1u << XENFEAT_not_direct_mapped);

	(void)state;
	memcpy(fake_ram + BUF, &fi, sizeof(fi));
	assert_int_equal(ver64(XENVER_get_features, BUF), 0);
	memcpy(&fi, fake_ram + BUF, sizeof(fi));
	assert_int_equal(fi.submap_idx, 0);
	assert_int_equal(fi.submap, want);
	/* Not claimed: PV-only bits, dom0, direct_mapped. */
	assert_false(fi.submap & (1u << XENFEAT_dom0));
	assert_false(fi.submap & (1u << XENFEAT_direct_mapped));
	assert_false(fi.submap & (1u << XENFEAT_supervisor_mode_kernel));

	fi.submap_idx = 1;
	fi.submap = 0x5a5a;
	memcpy(fake_ram + BUF, &fi, sizeof(fi));
	assert_int_equal(ver32(XENVER_get_features, BUF), -22);
	memcpy(&fi, fake_ram + BUF, sizeof(fi));
	assert_int_equal(fi.submap, 0x5a5a);		/* untouched */
}

static void test_pagesize_and_handle(void **state)
{
	(void)state;
	assert_int_equal(ver64(XENVER_pagesize, 0), 4096);
	assert_int_equal(ver64(XENVER_pagesize, BUF), -22);	/* arg must be NULL */

	memset(fake_ram + BUF, 0xaa, 32);
	assert_int_equal(ver64(XENVER_guest_handle, BUF), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(fake_ram[BUF + i], 0);
	assert_int_equal(fake_ram[BUF + 16], 0xaa);
}

static void test_bad_subops(void **state)
{
	(void)state;
	assert_int_equal(ver64(XENVER_build_id, BUF), -1);	/* as Xen to a domU */
	for (u32 cmd = XENVER_extraversion2; cmd <= XENVER_commandline2; cmd++)
		assert_int_equal(ver64(cmd, BUF), -38);
	assert_int_equal(ver64(1000, 0), -38);
	assert_int_equal(ver32(0xffffffffu, 0), -38);
}

static void test_bad_buffers(void **state)
{
	static const u32 cmds[] = {
		XENVER_extraversion, XENVER_compile_info, XENVER_capabilities, XENVER_changeset,
		XENVER_platform_parameters, XENVER_get_features, XENVER_guest_handle,
		XENVER_commandline,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(ver64(cmds[i], FAKE_BAD_GPA), -14);
		assert_int_equal(ver32(cmds[i], (u32)FAKE_BAD_GPA), -14);
		/* Straddling the end of RAM. */
		assert_int_equal(ver64(cmds[i], FAKE_RAM_SIZE - 2), -14);
		assert_int_equal(ver64(cmds[i], ~0ull - 3), -14);
	}
	assert_int_equal(ver64(XENVER_version, 0), 0x40011);	/* still alive */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_number, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_strings, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_compile_info, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_platform_parameters_layouts, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_get_features, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pagesize_and_handle, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_subops, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_buffers, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
