// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall dispatch (vmm/xen/hypercall.c): argument registers for 64- and
 * 32-bit callers, -EPERM above ring 0, -ENOSYS logged once per number,
 * counting, mode latching.
 */
#include "test_xen_fakes.h"
#include <xen/hvm_op.h>
#include <xen/version.h>
#include <xen/xen.h>

static void test_version_64(void **state)
{
	enum xen_action a = XEN_STOPPED;

	(void)state;
	assert_int_equal(hcall64(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, &a),
			 (4 << 16) | 17);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(fv->hypercalls, 1);
	assert_true(fv->mode_64);
}

static void test_version_32_ignores_upper_halves(void **state)
{
	(void)state;
	assert_int_equal(hcall32(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, NULL),
			 (4 << 16) | 17);
	assert_false(fv->mode_64);
	/* An error comes back as a negative EAX, upper half clear. */
	assert_int_equal(hcall32(__HYPERVISOR_xen_version, 1000, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_regs[REG_RAX], 0xffffffdaull);
}

/* 64-bit: the second argument is RSI; RBX/RCX (the 32-bit registers) are ignored. */
static void test_args_64_registers(void **state)
{
	struct xen_feature_info fi = { 0, 0 };

	(void)state;
	memcpy(fake_ram + 0x2000, &fi, sizeof(fi));
	fake_regs[REG_RBX] = 0x3000;
	fake_regs[REG_RCX] = 0x3000;
	assert_int_equal(hcall64(__HYPERVISOR_xen_version, XENVER_get_features, 0x2000,
				 0, 0, 0, NULL), 0);
	memcpy(&fi, fake_ram + 0x2000, sizeof(fi));
	assert_true(fi.submap & (1u << XENFEAT_auto_translated_physmap));
}

/* 32-bit: the second argument is ECX; RSI/RDI are ignored. */
static void test_args_32_registers(void **state)
{
	struct xen_feature_info fi = { 0, 0 };

	(void)state;
	memcpy(fake_ram + 0x2000, &fi, sizeof(fi));
	assert_int_equal(hcall32(__HYPERVISOR_xen_version, XENVER_get_features, 0x2000,
				 0x5000, 0x6000, 0x7000, NULL), 0);
	memcpy(&fi, fake_ram + 0x2000, sizeof(fi));
	assert_true(fi.submap & (1u << XENFEAT_hvm_callback_vector));
}

/* A 64-bit caller's number is all of RAX. */
static void test_64bit_number_uses_full_rax(void **state)
{
	(void)state;
	/* 17 in EAX but not in RAX: not xen_version. */
	assert_int_equal(hcall64(0x100000011ull, XENVER_version, 0, 0, 0, 0, NULL), -38);
	assert_non_null(strstr(fake_log, "out of range"));
}

static void test_cpl3_eperm(void **state)
{
	(void)state;
	fake_cpl = 3;
	assert_int_equal(hcall64(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, NULL), -1);
	assert_int_equal(hcall32(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, NULL), -1);
	/* Even an unknown number: -EPERM, and nothing logged. */
	assert_int_equal(hcall64(40, 0, 0, 0, 0, 0, NULL), -1);
	assert_int_equal(fake_log_lines, 0);
	fake_cpl = 1;
	assert_int_equal(hcall64(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0, NULL), -1);
	assert_int_equal(fv->hypercalls, 4);
}

static void test_unknown_logged_once(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(hcall64(__HYPERVISOR_mmu_update, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_log_lines, 1);
	assert_non_null(strstr(fake_log, "d3: hypercall 1 "));
	assert_true(fd->enosys_logged[__HYPERVISOR_mmu_update]);

	/* Another number: one more line; its repeats none. */
	assert_int_equal(hcall32(__HYPERVISOR_physdev_op, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(hcall32(__HYPERVISOR_physdev_op, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_log_lines, 2);

	/* Numbers past the table: logged once between them all. */
	assert_int_equal(hcall64(64, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(hcall64(~0ull, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(hcall64(1000, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_log_lines, 3);
	assert_int_equal(fv->hypercalls, 8);
}

static void test_unknown_logged_per_domain(void **state)
{
	(void)state;
	assert_int_equal(hcall64(__HYPERVISOR_xsm_op, 0, 0, 0, 0, 0, NULL), -38);
	/* A fresh domain (its flags clear) logs again. */
	memset(fd->enosys_logged, 0, sizeof(fd->enosys_logged));
	assert_int_equal(hcall64(__HYPERVISOR_xsm_op, 0, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_log_lines, 2);
}

static void test_pv_only_numbers_enosys(void **state)
{
	static const u64 pv_only[] = {
		__HYPERVISOR_set_trap_table, __HYPERVISOR_sched_op_compat,
		__HYPERVISOR_iret, __HYPERVISOR_set_segment_base, __HYPERVISOR_mmuext_op,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(pv_only) / sizeof(pv_only[0]); i++)
		assert_int_equal(hcall64(pv_only[i], 0, 0, 0, 0, 0, NULL), -38);
}

static void test_rax_only_result_register(void **state)
{
	(void)state;
	fake_regs[REG_R9] = 0x1234;
	hcall64(__HYPERVISOR_xen_version, XENVER_version, 0x11, 0x22, 0x33, 0x44, NULL);
	assert_int_equal(fake_regs[REG_RDI], XENVER_version);
	assert_int_equal(fake_regs[REG_RSI], 0x11);
	assert_int_equal(fake_regs[REG_RDX], 0x22);
	assert_int_equal(fake_regs[REG_R10], 0x33);
	assert_int_equal(fake_regs[REG_R8], 0x44);
	assert_int_equal(fake_regs[REG_R9], 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_64, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_version_32_ignores_upper_halves, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_args_64_registers, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_args_32_registers, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_64bit_number_uses_full_rax, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_cpl3_eperm, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_logged_once, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_logged_per_domain, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pv_only_numbers_enosys, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_rax_only_result_register, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
