// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lazy DR0-DR3 switch (vmm/arch/x86/svm/guest_dr.c): a guest starts
 * with its DR0-DR3 accesses intercepted and dom0's registers in place; the
 * first access saves dom0's, loads the guest's and drops the intercepts;
 * going back to dom0 saves the guest's and restores dom0's; a DR7 with a
 * breakpoint enabled loads the guest's before VMRUN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu.h"
#include "svm.h"

static u64 hw_dr[4];		/* the CPU's DR0-DR3 */
static unsigned int hw_loads;

void dr0_3_save(u64 dr[4])
{
	memcpy(dr, hw_dr, sizeof(hw_dr));
}

void dr0_3_load(const u64 dr[4])
{
	memcpy(hw_dr, dr, sizeof(hw_dr));
	hw_loads++;
}

static const u64 dom0_dr[4] = { 0xffffffff81000000ull, 0x1111, 0x2222, 0x3333 };
static struct vmcb vmcb;
/* A domain with one vCPU (vcpus[] is sized at creation). */
static _Alignas(64) unsigned char dom_mem[DOMAIN_SIZE(1)];
#define dom (*(struct domain *)dom_mem)
static struct svm_vcpu sv;

static int reset(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	memset(&sv, 0xa5, sizeof(sv));		/* init must not rely on zeroed memory */
	memset(dom_mem, 0, sizeof(dom_mem));
	dom.vcpus[0].domain = &dom;
	dom.vcpus[0].arch = &sv;
	sv.world.vmcb = &vmcb;
	sv.world.vcpu = &dom.vcpus[0];
	memcpy(hw_dr, dom0_dr, sizeof(hw_dr));
	hw_loads = 0;
	vmcb.save.dr7 = 0x400;
	svm_guest_dr_init(&sv.world);
	return 0;
}

static void test_starts_intercepted_at_zero(void **state)
{
	(void)state;
	assert_int_equal(vmcb.control.intercept_dr_read, 0xf);
	assert_int_equal(vmcb.control.intercept_dr_write, 0xf);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(sv.dr[i], 0);
	/* Nothing enabled in DR7: entry leaves dom0's registers alone. */
	svm_guest_dr_prepare_entry(&sv.world);
	assert_int_equal(hw_loads, 0);
	assert_memory_equal(hw_dr, dom0_dr, sizeof(hw_dr));
	/* And going back to dom0 touches nothing. */
	svm_guest_dr_put(&sv.world);
	assert_int_equal(hw_loads, 0);
}

static void test_first_access_switches_once(void **state)
{
	(void)state;
	svm_guest_dr_access(&sv.world);
	assert_int_equal(hw_loads, 1);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(hw_dr[i], 0);			/* the guest sees its own zeros */
	assert_int_equal(vmcb.control.intercept_dr_read, 0);
	assert_int_equal(vmcb.control.intercept_dr_write, 0);
	svm_guest_dr_access(&sv.world);				/* a stale exit: no second switch */
	svm_guest_dr_prepare_entry(&sv.world);
	assert_int_equal(hw_loads, 1);

	hw_dr[1] = 0xdead0000;					/* the guest writes DR1 natively */
	svm_guest_dr_put(&sv.world);
	assert_memory_equal(hw_dr, dom0_dr, sizeof(hw_dr));	/* dom0's are back */
	assert_int_equal(sv.dr[1], 0xdead0000);
	assert_int_equal(vmcb.control.intercept_dr_read, 0xf);
	assert_int_equal(vmcb.control.intercept_dr_write, 0xf);

	/* Next time the guest gets its DR1 back, and dom0 (changed meanwhile) is kept. */
	hw_dr[0] = 0x4444;
	svm_guest_dr_access(&sv.world);
	assert_int_equal(hw_dr[1], 0xdead0000);
	svm_guest_dr_put(&sv.world);
	assert_int_equal(hw_dr[0], 0x4444);
	assert_int_equal(hw_dr[1], dom0_dr[1]);
}

static void test_enabled_breakpoint_loads_before_entry(void **state)
{
	(void)state;
	for (unsigned int bit = 0; bit < 8; bit++) {
		reset(state);
		vmcb.save.dr7 = 0x400 | (1ull << bit);
		svm_guest_dr_prepare_entry(&sv.world);
		assert_int_equal(hw_loads, 1);
		assert_int_equal(hw_dr[0], 0);
		assert_int_equal(vmcb.control.intercept_dr_read, 0);
	}
	/* GE/LE and GD alone enable no breakpoint. */
	reset(state);
	vmcb.save.dr7 = 0x400 | 0x300 | 0x2000;
	svm_guest_dr_prepare_entry(&sv.world);
	assert_int_equal(hw_loads, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_starts_intercepted_at_zero, reset),
		cmocka_unit_test_setup(test_first_access_switches_once, reset),
		cmocka_unit_test_setup(test_enabled_breakpoint_loads_before_entry, reset),
	};

	return cmocka_run_group_tests_name("svm_guest_dr", tests, NULL, NULL);
}
