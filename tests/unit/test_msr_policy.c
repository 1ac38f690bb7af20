// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest MSR policy (vmm/core/msr_policy.c): CPUID faulting as Xen
 * offers it (PLATFORM_INFO bit 31 read-only, MISC_FEATURES_ENABLES bit 0
 * per vCPU, other bits #GP), harmless MSRs reading 0, unknown ones #GP.
 */
#include "msr_policy.h"
#include "test_xen_fakes.h"

static void test_cpuid_faulting_msrs(void **state)
{
	u64 val = 0;

	(void)state;
	assert_int_equal(guest_rdmsr(fv, 0xce, &val), 0);
	assert_int_equal(val, 1ull << 31);
	assert_int_not_equal(guest_wrmsr(fv, 0xce, 0), 0);		/* read-only */
	assert_int_equal(guest_rdmsr(fv, 0x140, &val), 0);
	assert_int_equal(val, 0);
	assert_false(guest_cpuid_faults(fv, 3));
	assert_int_equal(guest_wrmsr(fv, 0x140, 1), 0);
	assert_int_equal(guest_rdmsr(fv, 0x140, &val), 0);
	assert_int_equal(val, 1);
	assert_true(guest_cpuid_faults(fv, 3));
	assert_true(guest_cpuid_faults(fv, 1));
	assert_false(guest_cpuid_faults(fv, 0));		/* the kernel still asks */
	assert_int_not_equal(guest_wrmsr(fv, 0x140, 2), 0);	/* other bits: #GP */
	assert_int_equal(guest_rdmsr(fv, 0x140, &val), 0);
	assert_int_equal(val, 1);				/* unchanged by the refused write */
	assert_int_equal(guest_wrmsr(fv, 0x140, 0), 0);
	assert_false(guest_cpuid_faults(fv, 3));
}

static void test_other_msrs(void **state)
{
	u64 val = 1;

	(void)state;
	assert_int_equal(guest_rdmsr(fv, 0x200, &val), 0);		/* MTRR: none */
	assert_int_equal(val, 0);
	assert_int_equal(guest_wrmsr(fv, 0x200, 6), 0);
	assert_int_not_equal(guest_rdmsr(fv, 0x12345678, &val), 0);	/* unknown: #GP */
	assert_int_not_equal(guest_wrmsr(fv, 0x12345678, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cpuid_faulting_msrs, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_msrs, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
