// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exit dispatch (vmm/arch/x86/svm/exit.c): which exits have handlers,
 * and what each does to the VMCB of the world that exited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "svm_exit.h"
#include "vmm.h"

struct vmm_cpu vmm_cpus[XVMM_MAX_CPUS];
struct xvmm_boot_info xvmm_boot_info;
void vmm_log(const char *fmt, ...) { (void)fmt; }

static jmp_buf left;
static u64 left_with;

void svm_leave(struct vmm_cpu *c, const struct vmcb *state, u64 ret)
{
	(void)c;
	(void)state;
	left_with = ret;
	longjmp(left, 1);
}

s64 control_call(struct vmm_cpu *c, u64 op, u64 a0, u64 a1, u64 a2, u64 a3)
{
	(void)c;
	check_expected(op);
	check_expected(a0);
	check_expected(a1);
	(void)a2;
	(void)a3;
	return mock_type(s64);
}

/* The dom0 nested page fault handler asks npt.c and vmm/xen/grant_dom0.c. */
static bool npt_writable, write_fault_handled;
static u64 write_fault_pa;

bool npt_dom0_writable(u64 pa)
{
	(void)pa;
	return npt_writable;
}

bool xen_gnttab_dom0_write_fault(u64 pa)
{
	write_fault_pa = pa;
	return write_fault_handled;
}

static struct vmcb vmcb;
static struct svm_world dom0 = { .vmcb = &vmcb, .is_dom0 = true };
static struct vmm_cpu cpu;

static int reset(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	memset(&dom0.regs, 0, sizeof(dom0.regs));
	vmcb.save.rip = 0x1000;
	return 0;
}

static void run_exit(u64 code)
{
	svm_exit_handler_t h = svm_exit_handler(code);

	assert_non_null(h);
	vmcb.control.exit_code = code;
	h(&cpu, &dom0);
}

static void expect_ud(void)
{
	assert_int_equal(vmcb.control.event_inj, 6 | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_VALID);
	assert_int_equal(vmcb.save.rip, 0x1000);	/* a fault: RIP stays */
}

static void test_svm_instructions_ud(void **state)
{
	static const u64 codes[] = {
		SVM_EXIT_VMRUN, SVM_EXIT_VMLOAD, SVM_EXIT_VMSAVE, SVM_EXIT_STGI,
		SVM_EXIT_CLGI, SVM_EXIT_SKINIT, SVM_EXIT_INVLPGA,
	};

	for (unsigned int i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		reset(state);
		run_exit(codes[i]);
		expect_ud();
	}
}

static void test_unhandled_exits_have_no_handler(void **state)
{
	(void)state;
	assert_null(svm_exit_handler(SVM_EXIT_IOIO));
	assert_null(svm_exit_handler(SVM_EXIT_HLT));
	assert_non_null(svm_exit_handler(SVM_EXIT_NPF));	/* dom0 writes to read-only grants */
	assert_null(svm_exit_handler(SVM_EXIT_INVALID_LOW));
	assert_null(svm_exit_handler(~0ull));
	assert_non_null(svm_exit_handler(SVM_EXIT_SHUTDOWN));
	assert_non_null(svm_exit_handler(SVM_EXIT_INIT));
}

static void test_vmmcall_from_ring3_is_ud(void **state)
{
	(void)state;
	vmcb.save.rax = XVMM_HC(XVMM_OP_UNLOAD);
	vmcb.save.cpl = 3;
	run_exit(SVM_EXIT_VMMCALL);
	expect_ud();
	/* QEMU leaves VMCB.CPL at 0: SS.DPL = 3 must count as ring 3 too. */
	reset(state);
	vmcb.save.rax = XVMM_HC(XVMM_OP_UNLOAD);
	vmcb.save.ss.attrib = 3 << 5;
	run_exit(SVM_EXIT_VMMCALL);
	expect_ud();
}

static void test_vmmcall_not_control_is_enosys(void **state)
{
	(void)state;
	vmcb.save.rax = 17;		/* a Xen hypercall number: dom0 is not a Xen guest */
	run_exit(SVM_EXIT_VMMCALL);
	assert_int_equal((s64)vmcb.save.rax, -38);
	assert_int_equal(vmcb.save.rip, 0x1003);
	assert_int_equal(vmcb.control.event_inj, 0);
}

static void test_vmmcall_control_passes_args(void **state)
{
	(void)state;
	vmcb.save.rax = XVMM_HC(XVMM_OP_STATUS);
	dom0.regs.rdi = 0x5000;
	dom0.regs.rsi = 7;
	expect_value(control_call, op, XVMM_OP_STATUS);
	expect_value(control_call, a0, 0x5000);
	expect_value(control_call, a1, 7);
	will_return(control_call, -14);
	run_exit(SVM_EXIT_VMMCALL);
	assert_int_equal((s64)vmcb.save.rax, -14);
	assert_int_equal(vmcb.save.rip, 0x1003);
}

static void test_vmmcall_unload_leaves(void **state)
{
	(void)state;
	vmcb.save.rax = XVMM_HC(XVMM_OP_UNLOAD);
	expect_value(control_call, op, XVMM_OP_UNLOAD);
	expect_any(control_call, a0);
	expect_any(control_call, a1);
	will_return(control_call, CONTROL_UNLOAD);
	if (setjmp(left) == 0) {
		run_exit(SVM_EXIT_VMMCALL);
		fail_msg("unload did not leave");
	}
	assert_int_equal(left_with, 0);
	assert_int_equal(vmcb.save.rip, 0x1003);	/* dom0 resumes after the call */
}

static void test_msr_write_gp(void **state)
{
	(void)state;
	dom0.regs.rcx = 0xc0010117;
	vmcb.control.exit_info1 = 1;
	run_exit(SVM_EXIT_MSR);
	assert_int_equal(vmcb.control.event_inj,
			 13 | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_VALID | EVENTINJ_ERROR_VALID);
	assert_int_equal(vmcb.save.rip, 0x1000);
}

static void test_init_ignored(void **state)
{
	(void)state;
	run_exit(SVM_EXIT_INIT);
	assert_int_equal(vmcb.control.event_inj, 0);
	assert_int_equal(vmcb.save.rip, 0x1000);
}

/* Dom0 writes a page it maps read-only through a grant: it becomes junk, dom0 goes on. */
static void test_npf_write_to_readonly_grant(void **state)
{
	(void)state;
	npt_writable = false;
	write_fault_handled = true;
	write_fault_pa = 0;
	vmcb.control.exit_info1 = 7;			/* present, write, user */
	vmcb.control.exit_info2 = 0x12345678;
	run_exit(SVM_EXIT_NPF);
	assert_int_equal(write_fault_pa, 0x12345678);
	assert_int_equal(vmcb.save.rip, 0x1000);	/* the write is retried */
	assert_int_equal(vmcb.control.event_inj, 0);
	assert_int_equal(vmcb.control.tlb_control, 0);
}

/* A stale read-only translation of a page that is writable now: flush and retry. */
static void test_npf_stale_translation_flushes(void **state)
{
	(void)state;
	npt_writable = true;
	write_fault_handled = false;
	write_fault_pa = 0;
	vmcb.control.exit_info1 = 3;
	vmcb.control.exit_info2 = 0x2000;
	run_exit(SVM_EXIT_NPF);
	assert_int_equal(vmcb.control.tlb_control, TLB_CONTROL_FLUSH_ALL);
	assert_int_equal(write_fault_pa, 0);		/* not taken for a grant write */
	assert_int_equal(vmcb.save.rip, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_svm_instructions_ud, reset),
		cmocka_unit_test_setup(test_unhandled_exits_have_no_handler, reset),
		cmocka_unit_test_setup(test_vmmcall_from_ring3_is_ud, reset),
		cmocka_unit_test_setup(test_vmmcall_not_control_is_enosys, reset),
		cmocka_unit_test_setup(test_vmmcall_control_passes_args, reset),
		cmocka_unit_test_setup(test_vmmcall_unload_leaves, reset),
		cmocka_unit_test_setup(test_msr_write_gp, reset),
		cmocka_unit_test_setup(test_init_ignored, reset),
		cmocka_unit_test_setup(test_npf_write_to_readonly_grant, reset),
		cmocka_unit_test_setup(test_npf_stale_translation_flushes, reset),
	};

	return cmocka_run_group_tests_name("svm_exit", tests, NULL, NULL);
}
