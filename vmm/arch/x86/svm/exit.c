// SPDX-License-Identifier: GPL-2.0-only
/*
 * #VMEXIT dispatch (exit codes: AMD APM vol. 2, appendix C). One table,
 * indexed by exit code; an exit nobody handles is logged with the state
 * that caused it. For dom0 only what keeps the VMM safe is intercepted
 * (setup_dom0_control in svm.c).
 */
#include "arch.h"
#include "cpu.h"
#include "errno.h"
#include "generated/config.h"
#include "log.h"
#include "svm.h"
#include "svm_exit.h"
#include "vmm.h"
#include "xen_abi.h"

#define UD_VECTOR	6
#define GP_VECTOR	13
#define VMMCALL_LEN	3	/* 0f 01 d9 */
#define CPUID_LEN	2	/* 0f a2 */

/* CPL of the world that exited: VMCB.CPL, and SS.DPL where the CPU leaves it 0. */
static unsigned int world_cpl(const struct vmcb *v)
{
	unsigned int dpl = (v->save.ss.attrib >> 5) & 3;

	return v->save.cpl > dpl ? v->save.cpl : dpl;
}

/* SVM instructions are not for dom0: it sees SVM as taken (#UD, APM 15.4). */
static int exit_svm_insn(struct vmm_cpu *c, struct svm_world *w)
{
	(void)c;
	svm_inject_exception(w->vmcb, UD_VECTOR, false, 0);
	return 0;
}

/* Control calls from dom0 ring 0 (include/xvmm/control.h). */
static int exit_vmmcall(struct vmm_cpu *c, struct svm_world *w)
{
	struct vmcb *v = w->vmcb;
	struct guest_regs *r = &w->regs;
	s64 ret;

	if (!w->is_dom0 || world_cpl(v) != 0) {
		svm_inject_exception(v, UD_VECTOR, false, 0);
		return 0;
	}
	if (!XVMM_HC_IS_CONTROL(v->save.rax)) {
		v->save.rax = (u64)-ENOSYS;
		svm_skip_instruction(v, VMMCALL_LEN);
		return 0;
	}
	ret = control_call(c, v->save.rax & 0xffff, r->rdi, r->rsi, r->rdx, r->r10);
	svm_skip_instruction(v, VMMCALL_LEN);
	if (ret == CONTROL_UNLOAD) {
		pr_cpu(c, "unloading after %llu exits\n", (unsigned long long)c->exits);
		svm_leave(c, v, 0);
	}
	v->save.rax = (u64)ret;
	return 0;
}

/* Only writes to VM_HSAVE_PA and VM_CR are intercepted: refuse them. */
static int exit_msr(struct vmm_cpu *c, struct svm_world *w)
{
	struct vmcb *v = w->vmcb;
	u32 msr = (u32)w->regs.rcx;

	if (v->control.exit_info1 == 1)
		pr_cpu(c, "dom0 write to MSR %x refused (#GP)\n", msr);
	svm_inject_exception(v, GP_VECTOR, true, 0);
	return 0;
}

#ifdef CONFIG_XVMM_HIDE_SVM_CPUID
static int exit_cpuid(struct vmm_cpu *c, struct svm_world *w)
{
	struct vmcb *v = w->vmcb;
	struct cpuid_regs r;

	(void)c;
	cpuid_count((u32)v->save.rax, (u32)w->regs.rcx, &r);
	if ((u32)v->save.rax == 0x80000001)
		r.ecx &= ~(u32)BIT(2);		/* SVM */
	v->save.rax = r.eax;
	w->regs.rbx = r.ebx;
	w->regs.rcx = r.ecx;
	w->regs.rdx = r.edx;
	svm_skip_instruction(v, CPUID_LEN);
	return 0;
}
#endif

/* INIT would reset the CPU under the VMM: CPU hotplug is refused while loaded. */
static int exit_init(struct vmm_cpu *c, struct svm_world *w)
{
	(void)w;
	pr_cpu(c, "INIT signal to dom0 ignored\n");
	return 0;
}

static void dump_world(struct vmm_cpu *c, const struct svm_world *w)
{
	const struct vmcb *v = w->vmcb;

	pr_cpu(c, "exit %llx info1 %llx info2 %llx intinfo %llx\n",
	       (unsigned long long)v->control.exit_code,
	       (unsigned long long)v->control.exit_info1,
	       (unsigned long long)v->control.exit_info2,
	       (unsigned long long)v->control.exit_int_info);
	pr_cpu(c, "rip %llx rsp %llx rax %llx cr0 %llx cr3 %llx cr4 %llx cpl %u\n",
	       (unsigned long long)v->save.rip, (unsigned long long)v->save.rsp,
	       (unsigned long long)v->save.rax, (unsigned long long)v->save.cr0,
	       (unsigned long long)v->save.cr3, (unsigned long long)v->save.cr4,
	       world_cpl(v));
}

/* Dom0 triple-faulted or hit something it cannot survive: nothing to return to. */
static int exit_fatal(struct vmm_cpu *c, struct svm_world *w)
{
	pr_cpu(c, "dom0 cannot continue\n");
	dump_world(c, w);
	cpu_park();
}

/*
 * A nested page fault in dom0 (APM 15.25.6: EXITINFO1 holds the error
 * code, bit 0 present and bit 1 write; EXITINFO2 the guest-physical
 * address). Dom0's table maps everything, so the one fault dom0 can take
 * is a write to a guest page it was granted and mapped read-only. The VMM
 * can neither let the write through nor emulate it, and must not stop
 * dom0 for it: the page becomes junk for dom0, like every guest page it
 * was not granted, and the write is retried there.
 */
#define NPF_PRESENT	BIT(0)
#define NPF_WRITE	BIT(1)

static int exit_npf(struct vmm_cpu *c, struct svm_world *w)
{
	u64 err = w->vmcb->control.exit_info1, gpa = w->vmcb->control.exit_info2;

	if ((err & NPF_PRESENT) && (err & NPF_WRITE)) {
		/*
		 * A translation cached while the page was a read-only map,
		 * which has since become writable (a writable map of it, or
		 * junk again after unmap): flush this CPU's TLB and retry
		 * (APM 15.16.1).
		 */
		if (npt_dom0_writable(gpa)) {
			w->vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
			return 0;
		}
		if (xen_gnttab_dom0_write_fault(gpa))
			return 0;
	}
	pr_cpu(c, "dom0 nested page fault at %llx, error %llx\n", (unsigned long long)gpa,
	       (unsigned long long)err);
	return exit_fatal(c, w);
}

const svm_exit_handler_t svm_exit_handlers[SVM_EXIT_TABLE_SIZE] = {
	[SVM_EXIT_INIT]		= exit_init,
	[SVM_EXIT_SHUTDOWN]	= exit_fatal,
	[SVM_EXIT_MSR]		= exit_msr,
	[SVM_EXIT_VMMCALL]	= exit_vmmcall,
	[SVM_EXIT_VMRUN]	= exit_svm_insn,
	[SVM_EXIT_VMLOAD]	= exit_svm_insn,
	[SVM_EXIT_VMSAVE]	= exit_svm_insn,
	[SVM_EXIT_STGI]		= exit_svm_insn,
	[SVM_EXIT_CLGI]		= exit_svm_insn,
	[SVM_EXIT_SKINIT]	= exit_svm_insn,
	[SVM_EXIT_INVLPGA]	= exit_svm_insn,
#ifdef CONFIG_XVMM_HIDE_SVM_CPUID
	[SVM_EXIT_CPUID]	= exit_cpuid,
#endif
};

svm_exit_handler_t svm_exit_handler(u64 exit_code)
{
	if (exit_code == SVM_EXIT_NPF)
		return exit_npf;
	if (exit_code >= SVM_EXIT_TABLE_SIZE)
		return NULL;
	return svm_exit_handlers[exit_code];
}

void svm_handle_exit(struct vmm_cpu *c, struct svm_world *w)
{
	svm_exit_handler_t h = svm_exit_handler(w->vmcb->control.exit_code);

	if (h) {
		h(c, w);
		return;
	}
	pr_cpu(c, "unhandled exit\n");
	exit_fatal(c, w);
}
