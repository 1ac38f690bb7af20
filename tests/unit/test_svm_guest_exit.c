// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest exits on SVM (vmm/arch/x86/svm/guest_exit.c): how a nested page
 * fault is routed. Only a data access by the instruction at RIP goes to
 * the vendor-neutral MMIO emulation; an instruction fetch, a guest
 * page-table walk or an access during event delivery crash the domain,
 * as do addresses no device decodes and instructions it does not emulate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "errno.h"
#include "mmio.h"
#include "msr_policy.h"
#include "cpu.h"
#include "svm.h"
#include "vlapic.h"
#include "vmm.h"
#include "xen_abi.h"

struct xvmm_boot_info xvmm_boot_info;
static char log_buf[4096];
static char crash_why[64];

void vmm_log(const char *fmt, ...)
{
	size_t used = strlen(log_buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log_buf + used, sizeof(log_buf) - used, fmt, ap);
	va_end(ap);
}

void domain_crash(struct domain *d, const char *why)
{
	snprintf(crash_why, sizeof(crash_why), "%s", why);
	d->state = DOMAIN_CRASHED;
}

int mmio_emulate(struct vcpu *v, u64 gpa)
{
	(void)v;
	check_expected(gpa);
	return mock_type(int);
}

/* Everything else the exit handlers call: not reached by these tests. */
void svm_fpu_switch_from_guest(struct svm_world *w) { (void)w; }
static unsigned int dr_accesses, dr_puts;
void svm_guest_dr_access(struct svm_world *w) { (void)w; dr_accesses++; }
void svm_guest_dr_put(struct svm_world *w) { (void)w; dr_puts++; }
u64 xen_vcpu_timer_ns(struct vcpu *v) { (void)v; return 0; }
bool xen_remote_kick_pending(const struct vcpu *v) { (void)v; return false; }
unsigned int xen_take_remote_kick(struct vcpu *v, u64 *mask) { (void)v; *mask = 0; return 0; }
enum xen_action xen_hypercall(struct vcpu *v) { (void)v; fail(); return XEN_CONTINUE; }
void xen_cpuid(struct vcpu *v, u32 l, u32 s, struct xen_cpuid_regs *r) { (void)v; (void)l; (void)s; (void)r; fail(); }
int guest_rdmsr(struct vcpu *v, u32 msr, u64 *val) { (void)v; (void)msr; (void)val; fail(); return 0; }
int guest_wrmsr(struct vcpu *v, u32 msr, u64 val) { (void)v; (void)msr; (void)val; fail(); return 0; }
bool acpi_sleep_io(struct vcpu *v, u16 p, bool in, unsigned int s, u32 *val) { (void)v; (void)p; (void)in; (void)s; (void)val; fail(); return false; }
void xen_ioport(struct vcpu *v, u16 p, bool in, unsigned int s, u32 *val) { (void)v; (void)p; (void)in; (void)s; (void)val; fail(); }
u8 xen_upcall_vector(struct vcpu *v) { (void)v; return 0; }
u8 vlapic_pending(struct vcpu *v) { (void)v; return 0; }
const char *svm_guest_cr_write(struct svm_world *w, unsigned int cr) { (void)w; (void)cr; fail(); return NULL; }
int svm_guest_efer(struct svm_world *w, bool write, u64 *val) { (void)w; (void)write; (void)val; fail(); return 0; }
const char *svm_vmcb_invalid(const struct vmcb *v) { (void)v; return NULL; }

static struct vmcb dom0_vmcb, guest_vmcb;
static struct svm_cpu scpu;
static struct vmm_cpu cpu = { .arch = &scpu };
/* A domain with one vCPU (vcpus[] is sized at creation). */
static _Alignas(64) unsigned char dom_mem[DOMAIN_SIZE(1)];
#define dom (*(struct domain *)dom_mem)
static struct svm_vcpu sv;
static struct xvmm_run run;

static int reset(void **state)
{
	(void)state;
	memset(dom_mem, 0, sizeof(dom_mem));
	memset(&sv, 0, sizeof(sv));
	memset(&guest_vmcb, 0, sizeof(guest_vmcb));
	memset(&run, 0, sizeof(run));
	log_buf[0] = crash_why[0] = 0;
	dom.id = 2;
	dom.state = DOMAIN_RUNNING;
	dom.nr_vcpus = 1;
	dom.vcpus[0].domain = &dom;
	dom.vcpus[0].arch = &sv;
	sv.world.vmcb = &guest_vmcb;
	sv.world.vcpu = &dom.vcpus[0];
	sv.run = &run;
	scpu.dom0.vmcb = &dom0_vmcb;
	scpu.dom0.is_dom0 = true;
	scpu.current = &sv.world;
	guest_vmcb.save.rip = 0x1000;
	guest_vmcb.control.exit_code = SVM_EXIT_NPF;
	return 0;
}

/* A nested page fault at @gpa with error code @info1 (APM 15.25.6). */
static void npf(u64 gpa, u64 info1)
{
	guest_vmcb.control.exit_info1 = info1;
	guest_vmcb.control.exit_info2 = gpa;
	svm_handle_guest_exit(&cpu, &sv.world);
}

#define NPF_WRITE_DATA	0x100000007ull	/* P, write, user; final translation */
#define NPF_READ_DATA	0x100000005ull

static void expect_crash(const char *why)
{
	assert_int_equal(dom.state, DOMAIN_CRASHED);
	assert_string_equal(crash_why, why);
	assert_int_equal(run.reason, XVMM_RUN_CRASH);
	assert_ptr_equal(scpu.current, &scpu.dom0);	/* back to dom0 */
}

static void test_emulated(void **state)
{
	(void)state;
	expect_value(mmio_emulate, gpa, 0xfee00080ull);
	will_return(mmio_emulate, 0);
	npf(0xfee00080ull, NPF_WRITE_DATA);
	expect_value(mmio_emulate, gpa, 0xfee00030ull);
	will_return(mmio_emulate, 0);
	npf(0xfee00030ull, NPF_READ_DATA);
	assert_int_equal(dom.state, DOMAIN_RUNNING);
	assert_ptr_equal(scpu.current, &sv.world);	/* the guest goes on */
	assert_int_equal(dom.vcpus[0].exit_kinds[EXIT_KIND_NPF], 2);
	assert_string_equal(log_buf, "");
}

static void test_no_device(void **state)
{
	(void)state;
	expect_value(mmio_emulate, gpa, 0xfec00000ull);
	will_return(mmio_emulate, -ENOENT);
	npf(0xfec00000ull, NPF_READ_DATA);
	expect_crash("nested page fault");
	assert_non_null(strstr(log_buf, "d2: access to unbacked guest-physical address fec00000 (error 100000005)"));
}

static void test_not_emulated(void **state)
{
	(void)state;
	expect_value(mmio_emulate, gpa, 0xfee00030ull);
	will_return(mmio_emulate, -EOPNOTSUPP);
	npf(0xfee00030ull, NPF_READ_DATA);
	expect_crash("MMIO instruction not emulated");
	reset(state);
	expect_value(mmio_emulate, gpa, 0xfee00030ull);
	will_return(mmio_emulate, -EFAULT);
	npf(0xfee00030ull, NPF_READ_DATA);
	expect_crash("MMIO instruction not emulated");
}

/* Not what the instruction at RIP did: never emulated (mmio_emulate has no expectations). */
static void test_fetch_walk_and_event_delivery(void **state)
{
	npf(0xfee00000ull, 0x100000015ull);		/* instruction fetch (bit 4) */
	expect_crash("nested page fault");
	reset(state);
	npf(0xfee00000ull, 0x200000001ull);		/* guest page-table walk (bit 33) */
	expect_crash("nested page fault");
	reset(state);
	guest_vmcb.control.exit_int_info = (1ull << 31) | (3u << 8) | 14;	/* #PF being delivered */
	npf(0xfee00ff8ull, NPF_WRITE_DATA);
	expect_crash("nested page fault");
}

/* DR0-DR3 reads and writes go to guest_dr.c; RIP stays (the access runs again natively). */
static void test_dr_access(void **state)
{
	static const u64 codes[] = { 0x20, 0x21, 0x22, 0x23, 0x30, 0x31, 0x32, 0x33 };

	(void)state;
	dr_accesses = dr_puts = 0;
	for (unsigned int i = 0; i < 8; i++) {
		guest_vmcb.control.exit_code = codes[i];
		svm_handle_guest_exit(&cpu, &sv.world);
	}
	assert_int_equal(dr_accesses, 8);
	assert_int_equal(guest_vmcb.save.rip, 0x1000);
	assert_ptr_equal(scpu.current, &sv.world);
	/* Going back to dom0 puts dom0's DR0-DR3 back. */
	guest_vmcb.control.exit_code = SVM_EXIT_INTR;
	svm_handle_guest_exit(&cpu, &sv.world);
	assert_int_equal(dr_puts, 1);
	assert_ptr_equal(scpu.current, &scpu.dom0);
}

static void msr_exit(u32 msr, bool write, u64 val)
{
	guest_vmcb.control.exit_code = SVM_EXIT_MSR;
	guest_vmcb.control.exit_info1 = write;
	guest_vmcb.control.event_inj = 0;
	sv.world.regs.rcx = msr;
	guest_vmcb.save.rax = (u32)val;
	sv.world.regs.rdx = val >> 32;
	svm_handle_guest_exit(&cpu, &sv.world);
}

static bool gp_injected(void)
{
	return (guest_vmcb.control.event_inj & 0xff) == 13 && (guest_vmcb.control.event_inj >> 31 & 1);
}

/* DEBUGCTL: 0 reads back; only LBR/BTF may be set, and only with LBR virtualization. */
static void test_debugctl(void **state)
{
	struct cpuid_regs r;
	bool lbrv;

	(void)state;
	cpuid_count(0x80000000, 0, &r);
	lbrv = false;
	if (r.eax >= 0x8000000a) {
		cpuid_count(0x8000000a, 0, &r);
		lbrv = r.edx & 2;
	}
	msr_exit(0x1d9, false, 0);
	assert_false(gp_injected());
	assert_int_equal(guest_vmcb.save.rax, 0);
	assert_int_equal(guest_vmcb.save.rip, 0x1002);
	msr_exit(0x1d9, true, 0);
	assert_false(gp_injected());
	msr_exit(0x1d9, true, 1ull << 2);		/* not LBR or BTF */
	assert_true(gp_injected());
	msr_exit(0x1d9, true, 1ull << 40);
	assert_true(gp_injected());
	msr_exit(0x1d9, true, 1);			/* LBR */
	assert_int_equal(gp_injected(), !lbrv);
	assert_int_equal(guest_vmcb.save.dbgctl, lbrv ? 1 : 0);
	/* The last-branch MSRs: the VMCB's copies, read-only. */
	guest_vmcb.save.br_to = 0xffffffff81001234ull;
	msr_exit(0x1dc, false, 0);
	assert_false(gp_injected());
	assert_int_equal(guest_vmcb.save.rax, 0x81001234ull);
	assert_int_equal(sv.world.regs.rdx, 0xffffffffull);
	msr_exit(0x1de, false, 0);
	assert_false(gp_injected());
	msr_exit(0x1db, true, 0);
	assert_true(gp_injected());
	assert_int_equal(dom.state, DOMAIN_RUNNING);
}

/* CPUID faulting on: CPUID in ring 3 is #GP, in ring 0 answered (xen_cpuid is faked to fail). */
static void test_cpuid_faulting(void **state)
{
	(void)state;
	dom.vcpus[0].cpuid_faulting = true;
	guest_vmcb.save.cpl = 3;
	guest_vmcb.control.exit_code = SVM_EXIT_CPUID;
	svm_handle_guest_exit(&cpu, &sv.world);
	assert_true(gp_injected());
	assert_int_equal(guest_vmcb.save.rip, 0x1000);
	assert_int_equal(dom.state, DOMAIN_RUNNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_emulated, reset),
		cmocka_unit_test_setup(test_no_device, reset),
		cmocka_unit_test_setup(test_not_emulated, reset),
		cmocka_unit_test_setup(test_fetch_walk_and_event_delivery, reset),
		cmocka_unit_test_setup(test_dr_access, reset),
		cmocka_unit_test_setup(test_debugctl, reset),
		cmocka_unit_test_setup(test_cpuid_faulting, reset),
	};

	return cmocka_run_group_tests_name("svm_guest_exit", tests, NULL, NULL);
}
