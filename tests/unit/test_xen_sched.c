// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op (vmm/xen/sched.c): yield and block become actions for the
 * backend, shutdown reasons reach vmm/core, bad input is refused.
 */
#include "test_xen_fakes.h"
#include <xen/sched.h>
#include <xen/xen.h>

#define ARG	0x6000ull

static s64 sched64(u32 cmd, u64 arg, enum xen_action *a)
{
	return hcall64(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0, a);
}

static void put_reason(u32 reason)
{
	struct sched_shutdown s = { .reason = reason };

	memcpy(fake_ram + ARG, &s, sizeof(s));
}

static void test_yield(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_yield, 0, &a), 0);
	assert_int_equal(a, XEN_YIELD);
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0, &a), 0);
	assert_int_equal(a, XEN_YIELD);
}

static void test_block_clears_upcall_mask(void **state)
{
	enum xen_action a;

	(void)state;
	/* No shared_info yet: block still works. */
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);

	fake_shinfo_gfn = 0x20;
	fd->shared_info_gpa = 0x20000;
	fake_shinfo[offsetof(struct vcpu_info, evtchn_upcall_mask)] = 1;
	fake_shinfo[0] = 1;				/* upcall_pending untouched */
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(fake_shinfo[1], 0);
	assert_int_equal(fake_shinfo[0], 1);
}

static void test_shutdown_reasons(void **state)
{
	static const u32 reasons[] = {
		SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_suspend, SHUTDOWN_watchdog,
		SHUTDOWN_soft_reset,
	};
	enum xen_action a;

	(void)state;
	for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		put_reason(reasons[i]);
		assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), 0);
		assert_int_equal(a, XEN_STOPPED);
		assert_int_equal(fake_shutdowns, i + 1);
		assert_int_equal(fake_shutdown_reason, reasons[i]);
	}
	assert_int_equal(fake_crashes, 0);
}

static void test_shutdown_crash(void **state)
{
	enum xen_action a;

	(void)state;
	put_reason(SHUTDOWN_crash);
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_shutdown, ARG, 0, 0, 0, &a), 0);
	assert_int_equal(a, XEN_STOPPED);
	assert_int_equal(fake_crashes, 1);
	assert_int_equal(fake_shutdowns, 0);
	assert_int_equal(fd->state, DOMAIN_CRASHED);
}

static void test_shutdown_bad(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_shutdown, FAKE_BAD_GPA, &a), -14);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(sched64(SCHEDOP_shutdown, FAKE_RAM_SIZE - 2, &a), -14);
	put_reason(SHUTDOWN_MAX + 1);
	assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), -22);
	assert_int_equal(a, XEN_CONTINUE);
	put_reason(0xffffffffu);
	assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), -22);
	assert_int_equal(fake_shutdowns + fake_crashes, 0);
	assert_int_equal(fd->state, DOMAIN_RUNNING);
}

static void test_other_subops(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_poll, ARG, &a), -38);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(sched64(SCHEDOP_shutdown_code, ARG, &a), -38);
	assert_int_equal(sched64(SCHEDOP_watchdog, ARG, &a), -38);
	assert_int_equal(sched64(SCHEDOP_remote_shutdown, ARG, &a), -1);
	assert_int_equal(sched64(SCHEDOP_pin_override, ARG, &a), -1);
	assert_int_equal(sched64(8, 0, &a), -38);
	assert_int_equal(sched64(0xffffffffu, 0, &a), -38);
	assert_int_equal(fake_shutdowns + fake_crashes, 0);
	/* The legacy sched_op_compat (6) is not for HVM guests. */
	assert_int_equal(hcall64(__HYPERVISOR_sched_op_compat, SCHEDOP_yield, 0, 0, 0, 0, &a), -38);
	assert_int_equal(a, XEN_CONTINUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_yield, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_block_clears_upcall_mask, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_reasons, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_crash, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_bad, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_subops, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
