// SPDX-License-Identifier: GPL-2.0-only
/*
 * #VMEXIT handling for guest vCPUs (exit codes: AMD APM vol. 2, appendix
 * C). What the VMM can finish alone stays here (hypercalls, CPUID, MSRs,
 * port I/O, emulated MMIO); host interrupts, blocking and the end of the
 * domain go back to dom0 as VCPU_RUN's result. Anything unexpected
 * crashes the domain, never the VMM.
 */
#include "arch.h"
#include "cpu.h"
#include "errno.h"
#include "generated/config.h"
#include "log.h"
#include "mmio.h"
#include "msr_policy.h"
#include "svm.h"
#include "vcpu_regs.h"
#include "vlapic.h"
#include "vmm.h"
#include "xen_abi.h"

/* CONFIG_XVMM_TRACE_GUEST: one VMM log line per hypercall, HLT and MSR access. */
#ifdef CONFIG_XVMM_TRACE_GUEST
#define trace_guest(w, fmt, ...) \
	pr_info("d%u trace: " fmt, (w)->vcpu->domain->id, ##__VA_ARGS__)
#else
#define trace_guest(w, fmt, ...) do { } while (0)
#endif

#define UD_VECTOR	6
#define GP_VECTOR	13

typedef void (*guest_exit_handler_t)(struct vmm_cpu *c, struct svm_world *w);

static struct vcpu *vcpu_of(struct svm_world *w)
{
	return w->vcpu;
}

void svm_return_to_dom0(struct vmm_cpu *c, struct svm_world *w, unsigned int reason,
			unsigned int code)
{
	struct svm_cpu *s = svm_of(c);
	struct svm_vcpu *sv = w->vcpu->arch;

	svm_fpu_switch_from_guest(w);		/* dom0's kernel_fpu_end() reloads its own */
	svm_guest_dr_put(w);			/* dom0's DR0-DR3 back */
	/* Kicks for other vCPUs go with any reason; this one re-checks its own at entry. */
	sv->run->kick = __atomic_exchange_n(&w->vcpu->domain->kick_pending, 0, __ATOMIC_ACQ_REL) &
			~(1ull << w->vcpu->id);
	sv->run->reason = reason;
	sv->run->code = code;
	sv->run->timer_ns = xen_vcpu_timer_ns(w->vcpu);
	sv->run->notify = __atomic_exchange_n(&w->vcpu->domain->dom0_notify, 0, __ATOMIC_ACQ_REL);
	sv->run->kick_domid = xen_take_remote_kick(w->vcpu, &sv->run->kick_dom_mask);
	s->dom0.vmcb->save.rax = 0;		/* VCPU_RUN succeeded */
	s->current = &s->dom0;
	__atomic_store_n(&w->vcpu->running, false, __ATOMIC_RELEASE);
}

static void dump_guest(struct vmm_cpu *c, struct svm_world *w)
{
	const struct vmcb *v = w->vmcb;
	const struct svm_vcpu *sv = w->vcpu->arch;

	pr_info("d%u: previous exit %llx info1 %llx info2 %llx intinfo %llx rip %llx, then event_inj %llx int_ctl %x vector %x\n",
		w->vcpu->domain->id, sv->prev_exit[0], sv->prev_exit[1], sv->prev_exit[2],
		sv->prev_exit[3], sv->prev_exit[4], sv->prev_exit[5], (u32)sv->prev_exit[6],
		(u32)sv->prev_exit[7]);
	pr_info("d%u: exit %llx info1 %llx info2 %llx rip %llx rsp %llx cr0 %llx cr3 %llx cr4 %llx efer %llx cpu %u\n",
		w->vcpu->domain->id, v->control.exit_code, v->control.exit_info1,
		v->control.exit_info2, v->save.rip, v->save.rsp, v->save.cr0, v->save.cr3,
		v->save.cr4, v->save.efer, c->index);
	pr_info("d%u: rax %llx rbx %llx rcx %llx rdx %llx rsi %llx rdi %llx\n",
		w->vcpu->domain->id, v->save.rax, w->regs.rbx, w->regs.rcx, w->regs.rdx,
		w->regs.rsi, w->regs.rdi);
}

static void stop_if_needed(struct vmm_cpu *c, struct svm_world *w)
{
	struct domain *d = w->vcpu->domain;

	if (d->state == DOMAIN_CRASHED)
		svm_return_to_dom0(c, w, XVMM_RUN_CRASH, d->shutdown_reason);
	else if (d->state == DOMAIN_SHUTDOWN)
		svm_return_to_dom0(c, w, XVMM_RUN_SHUTDOWN, d->shutdown_reason);
}

static void crash(struct vmm_cpu *c, struct svm_world *w, const char *why)
{
	dump_guest(c, w);
	domain_crash(w->vcpu->domain, why);
	stop_if_needed(c, w);
}

/* A host interrupt or NMI is pending (GIF = 0 holds it): let dom0 take it. */
static void exit_host_event(struct vmm_cpu *c, struct svm_world *w)
{
	svm_return_to_dom0(c, w, XVMM_RUN_INTR, 0);
}

static void exit_init(struct vmm_cpu *c, struct svm_world *w)
{
	(void)c;
	(void)w;
}

static void exit_shutdown(struct vmm_cpu *c, struct svm_world *w)
{
	crash(c, w, "triple fault");
}

static void exit_ud(struct vmm_cpu *c, struct svm_world *w)
{
	(void)c;
	svm_inject_exception(w->vmcb, UD_VECTOR, false, 0);
}

static void exit_cpuid(struct vmm_cpu *c, struct svm_world *w)
{
	struct xen_cpuid_regs r;
	struct vmcb *v = w->vmcb;

	(void)c;
	if (guest_cpuid_faults(vcpu_of(w), v->save.cpl)) {
		svm_inject_exception(v, GP_VECTOR, true, 0);
		return;
	}
	xen_cpuid(vcpu_of(w), (u32)v->save.rax, (u32)w->regs.rcx, &r);
	v->save.rax = r.eax;
	w->regs.rbx = r.ebx;
	w->regs.rcx = r.ecx;
	w->regs.rdx = r.edx;
	svm_skip_instruction(v, 2);		/* 0f a2 */
}

static void exit_cr0_write(struct vmm_cpu *c, struct svm_world *w)
{
	const char *why = svm_guest_cr_write(w, 0);

	if (why)
		crash(c, w, why);
}

static void exit_cr4_write(struct vmm_cpu *c, struct svm_world *w)
{
	const char *why = svm_guest_cr_write(w, 4);

	if (why)
		crash(c, w, why);
}

/* HLT: block in dom0 unless an event is already waiting for an interruptible guest. */
static void exit_hlt(struct vmm_cpu *c, struct svm_world *w)
{
	struct vcpu *v = vcpu_of(w);

	svm_skip_instruction(w->vmcb, 1);	/* f4 */
	trace_guest(w, "hlt rip %llx rflags %llx\n", w->vmcb->save.rip, w->vmcb->save.rflags);
	if ((w->vmcb->save.rflags & RFLAGS_IF) &&
	    (xen_upcall_vector(v) || vlapic_pending(v) || (w->vmcb->control.int_ctl & V_IRQ)))
		return;
	svm_return_to_dom0(c, w, XVMM_RUN_HALT, 0);
}

static void exit_vmmcall(struct vmm_cpu *c, struct svm_world *w)
{
	enum xen_action a;

	svm_skip_instruction(w->vmcb, 3);	/* 0f 01 d9 */
	trace_guest(w, "hypercall %llu (%llx %llx %llx) rip %llx\n", w->vmcb->save.rax,
		    w->regs.rdi, w->regs.rsi, w->regs.rdx, w->vmcb->save.rip);
	a = xen_hypercall(vcpu_of(w));
	trace_guest(w, "  -> %llx action %d\n", w->vmcb->save.rax, a);
	switch (a) {
	case XEN_CONTINUE:
		break;
	case XEN_BLOCK:
		svm_return_to_dom0(c, w, XVMM_RUN_HALT, 0);
		break;
	case XEN_YIELD:
		svm_return_to_dom0(c, w, XVMM_RUN_YIELD, 0);
		break;
	case XEN_STOPPED:
		stop_if_needed(c, w);
		break;
	case XEN_NOTIFY_DOM0:
		svm_return_to_dom0(c, w, XVMM_RUN_NOTIFY, 0);
		break;
	}
}

/* Each PAT entry a memory type that exists: 0, 1, 4, 5, 6 or 7 (SDM vol. 3, 11.12.2). */
static bool pat_valid(u64 pat)
{
	for (unsigned int i = 0; i < 8; i++) {
		u8 t = (u8)(pat >> (8 * i));

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * DEBUGCTL: Xen lets an HVM guest set LBR and BTF (bits 0 and 1) and
 * nothing else. VMRUN switches DEBUGCTL only with LBR virtualization
 * (APM vol. 2, 15.23; CPUID 0x8000000A EDX bit 1), so where the CPU has
 * none (QEMU's) the guest's value can only be 0: anything else is #GP
 * rather than a bit the VMM would accept and ignore.
 */
#define DEBUGCTL_LBR_BTF	0x3ull
#define MSR_LAST_BRANCH_FROM_IP	0x1db	/* .. TO_IP, LAST_INT_FROM_IP, LAST_INT_TO_IP: 0x1de */
#define MSR_LAST_INT_TO_IP	0x1de
#define VIRT_EXT_LBR		BIT(0)

static bool cpu_has_lbrv(void)
{
	struct cpuid_regs r;

	cpuid_count(0x8000000a, 0, &r);
	return r.edx & BIT(1);
}

static int guest_debugctl(struct vmcb *v, bool write, u64 *val)
{
	if (!write) {
		*val = v->save.dbgctl;
		return 0;
	}
	if (*val & ~DEBUGCTL_LBR_BTF)
		return -EINVAL;
	if (*val && !cpu_has_lbrv())
		return -EINVAL;
	v->save.dbgctl = *val;
	if (*val)
		v->control.virt_ext |= VIRT_EXT_LBR;
	return 0;
}

/*
 * MSRs kept in the VMCB: EFER (guest_cr.c), PAT (QEMU ignores G_PAT,
 * late-launch-notes.md, so the guest's value lives here) and DEBUGCTL.
 * 0, -EINVAL for #GP, or -ENOENT: not one of these.
 */
static int msr_local(struct svm_world *w, u32 msr, bool write, u64 *val)
{
	struct vmcb *v = w->vmcb;

	switch (msr) {
	case MSR_EFER:
		return svm_guest_efer(w, write, val);
	case MSR_IA32_PAT:
		if (write && !pat_valid(*val))
			return -EINVAL;
		if (write)
			v->save.g_pat = *val;
		else
			*val = v->save.g_pat;
		return 0;
	case MSR_IA32_DEBUGCTL:
		return guest_debugctl(v, write, val);
	case MSR_LAST_BRANCH_FROM_IP ... MSR_LAST_INT_TO_IP:
		/* Read-only (APM vol. 2, 13.1.1.5); the VMCB's copies (0 without LBR virtualization). */
		if (write)
			return -EINVAL;
		*val = (&v->save.br_from)[msr - MSR_LAST_BRANCH_FROM_IP];
		return 0;
	default:
		return -ENOENT;
	}
}

static void exit_msr(struct vmm_cpu *c, struct svm_world *w)
{
	struct vmcb *v = w->vmcb;
	u32 msr = (u32)w->regs.rcx;
	bool write = v->control.exit_info1 == 1;
	u64 val = (v->save.rax & 0xffffffffull) | (w->regs.rdx << 32);
	int err;

	trace_guest(w, "%s msr %x rip %llx\n", write ? "wrmsr" : "rdmsr", msr, v->save.rip);
	(void)c;
	err = msr_local(w, msr, write, &val);
	if (err == -ENOENT)
		err = write ? guest_wrmsr(vcpu_of(w), msr, val) : guest_rdmsr(vcpu_of(w), msr, &val);
	if (err) {
		svm_inject_exception(v, GP_VECTOR, true, 0);
		return;
	}
	if (!write) {
		v->save.rax = (u32)val;
		w->regs.rdx = val >> 32;
	}
	svm_skip_instruction(v, 2);		/* 0f 30 / 0f 32 */
}

/*
 * Port I/O (APM 15.10.2): EXITINFO1 has the port, size and direction,
 * EXITINFO2 the next RIP. String forms (INS/OUTS) are dropped: nothing
 * a PVH guest uses, and they never reach a device here.
 */
static void exit_ioio(struct vmm_cpu *c, struct svm_world *w)
{
	struct vmcb *v = w->vmcb;
	u64 info = v->control.exit_info1;
	u16 port = (u16)(info >> 16);
	bool in = info & 1;
	unsigned int size = (info & BIT(4)) ? 1 : (info & BIT(5)) ? 2 : 4;
	u32 val = (u32)v->save.rax;

	(void)c;
	if (info & BIT(2)) {			/* string */
		if (info & BIT(3))		/* rep: as if all iterations ran */
			w->regs.rcx = 0;
	} else {
		if (!acpi_sleep_io(vcpu_of(w), port, in, size, &val))
			xen_ioport(vcpu_of(w), port, in, size, &val);
		if (in) {
			u64 mask = size == 4 ? 0xffffffffull : (1ull << (size * 8)) - 1;

			v->save.rax = (v->save.rax & ~mask) | (val & mask);
			if (size == 4)
				v->save.rax &= 0xffffffffull;
		}
	}
	v->save.rip = v->control.exit_info2;
}

/*
 * Nested page fault (APM 15.25.6): the guest touched a guest-physical
 * address with nothing behind it; EXITINFO2 is that address, EXITINFO1 a
 * #PF-style error code. A data access by the instruction at RIP may be an
 * emulated device's MMIO (vmm/core/mmio.c). An instruction fetch, a
 * guest page-table access, or an access made while delivering an event
 * (EXITINTINFO valid, 15.7.2) is not what RIP did: never emulated.
 */
#define NPF_FETCH	BIT(4)
#define NPF_IN_WALK	BIT(33)

static void exit_npf(struct vmm_cpu *c, struct svm_world *w)
{
	const struct vmcb_control *ctl = &w->vmcb->control;
	int err = -ENOENT;

	if (!(ctl->exit_info1 & (NPF_FETCH | NPF_IN_WALK)) && !(ctl->exit_int_info & BIT(31))) {
		trace_guest(w, "mmio %llx (error %llx) rip %llx\n", ctl->exit_info2,
			    ctl->exit_info1, w->vmcb->save.rip);
		err = mmio_emulate(vcpu_of(w), ctl->exit_info2);
		if (!err)
			return;
	}
	if (err == -ENOENT) {
		pr_info("d%u: access to unbacked guest-physical address %llx (error %llx)\n",
			w->vcpu->domain->id, ctl->exit_info2, ctl->exit_info1);
		crash(c, w, "nested page fault");
	} else {
		crash(c, w, "MMIO instruction not emulated");
	}
}

static void exit_dr_access(struct vmm_cpu *c, struct svm_world *w)
{
	(void)c;
	svm_guest_dr_access(w);
}

static const guest_exit_handler_t guest_exit_handlers[0x100] = {
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR0 + 3]	= exit_dr_access,
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR0 + 3]	= exit_dr_access,
	[SVM_EXIT_WRITE_CR0]	= exit_cr0_write,
	[SVM_EXIT_WRITE_CR4]	= exit_cr4_write,
	[SVM_EXIT_INTR]		= exit_host_event,
	[SVM_EXIT_NMI]		= exit_host_event,
	[SVM_EXIT_SMI]		= exit_host_event,
	[SVM_EXIT_INIT]		= exit_init,
	[SVM_EXIT_CPUID]	= exit_cpuid,
	[SVM_EXIT_HLT]		= exit_hlt,
	[SVM_EXIT_IOIO]		= exit_ioio,
	[SVM_EXIT_MSR]		= exit_msr,
	[SVM_EXIT_SHUTDOWN]	= exit_shutdown,
	[SVM_EXIT_VMMCALL]	= exit_vmmcall,
	[SVM_EXIT_VMRUN]	= exit_ud,
	[SVM_EXIT_VMLOAD]	= exit_ud,
	[SVM_EXIT_VMSAVE]	= exit_ud,
	[SVM_EXIT_STGI]		= exit_ud,
	[SVM_EXIT_CLGI]		= exit_ud,
	[SVM_EXIT_SKINIT]	= exit_ud,
	[SVM_EXIT_INVLPGA]	= exit_ud,
	[SVM_EXIT_MONITOR]	= exit_ud,
	[SVM_EXIT_MWAIT]	= exit_ud,
	[SVM_EXIT_XSETBV]	= exit_ud,
};

bool svm_guest_refuse_vmcb(struct vmm_cpu *c, struct svm_world *w)
{
	const char *why = svm_vmcb_invalid(w->vmcb);

	if (likely(!why))
		return false;
	pr_info("d%u: not entered, its VMCB fails a VMRUN check (APM 15.5.1): %s\n",
		w->vcpu->domain->id, why);
	dump_guest(c, w);
	domain_crash(w->vcpu->domain, "VMCB state VMRUN would refuse");
	svm_return_to_dom0(c, w, XVMM_RUN_CRASH, 3);
	return true;
}

/*
 * VMEXIT_INVALID although the VMCB passed every check of 15.5.1 before
 * VMRUN. QEMU 7.2 TCG signals this way, from inside the guest, what the
 * architecture makes a #GP of the guest's instruction (a MOV to CR3 with
 * bits beyond the physical width in long mode, helper_write_crN), with
 * the guest's state saved at that instruction: give the guest its #GP.
 * The same exit twice at one RIP is a VMCB VMRUN really refuses: the
 * guest is crashed, the VMM carries on.
 */
void svm_guest_invalid_exit(struct vmm_cpu *c, struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;
	u64 rip = w->vmcb->save.rip;

	if (sv->invalid_exit_rip != rip) {
		sv->invalid_exit_rip = rip;
		if (sv->invalid_exits_logged < 4) {
			sv->invalid_exits_logged++;
			pr_info("d%u: VMEXIT_INVALID at rip %llx from checked state: #GP\n",
				w->vcpu->domain->id, rip);
		}
		svm_inject_exception(w->vmcb, GP_VECTOR, true, 0);
		return;
	}
	pr_info("d%u: VMRUN failed (exit %llx) at rip %llx twice\n", w->vcpu->domain->id,
		w->vmcb->control.exit_code, rip);
	crash(c, w, "VMRUN refused its state");
}

static enum vcpu_exit_kind exit_kind(u64 code)
{
	switch (code) {
	case SVM_EXIT_VMMCALL: return EXIT_KIND_HYPERCALL;
	case SVM_EXIT_CPUID: return EXIT_KIND_CPUID;
	case SVM_EXIT_MSR: return EXIT_KIND_MSR;
	case SVM_EXIT_IOIO: return EXIT_KIND_IO;
	case SVM_EXIT_INTR: case SVM_EXIT_NMI: case SVM_EXIT_SMI: return EXIT_KIND_HOST_EVENT;
	case SVM_EXIT_HLT: return EXIT_KIND_HLT;
	case SVM_EXIT_NPF: return EXIT_KIND_NPF;
	default: return EXIT_KIND_OTHER;
	}
}

void svm_handle_guest_exit(struct vmm_cpu *c, struct svm_world *w)
{
	u64 code = w->vmcb->control.exit_code;
	guest_exit_handler_t h = NULL;

	w->vcpu->exits++;
	w->vcpu->exit_kinds[exit_kind(code)]++;
	if (code < ARRAY_SIZE(guest_exit_handlers))
		h = guest_exit_handlers[code];
	else if (code == SVM_EXIT_NPF)
		h = exit_npf;
	if (!h) {
		crash(c, w, "unhandled exit");
		return;
	}
	h(c, w);
	((struct svm_vcpu *)w->vcpu->arch)->invalid_exit_rip = ~0ull;
	{
		struct svm_vcpu *sv = w->vcpu->arch;
		const struct vmcb *v = w->vmcb;

		sv->prev_exit[0] = code;
		sv->prev_exit[1] = v->control.exit_info1;
		sv->prev_exit[2] = v->control.exit_info2;
		sv->prev_exit[3] = v->control.exit_int_info;
		sv->prev_exit[4] = v->save.rip;
		sv->prev_exit[5] = v->control.event_inj;
		sv->prev_exit[6] = v->control.int_ctl;
		sv->prev_exit[7] = v->control.int_vector;
	}
	/* The domain may have been stopped from another CPU or by dom0. */
	if (svm_of(c)->current == w && w->vcpu->domain->state != DOMAIN_RUNNING)
		stop_if_needed(c, w);
	/*
	 * This exit raised something for another vCPU (an IPI, an event, an
	 * INIT or SIPI), of this domain or, through an interdomain channel, of
	 * another: dom0 kicks it now (domain_kick_vcpu), not at this vCPU's
	 * next natural exit.
	 */
	if (svm_of(c)->current == w &&
	    ((READ_ONCE(w->vcpu->domain->kick_pending) & ~(1ull << w->vcpu->id)) ||
	     xen_remote_kick_pending(w->vcpu)))
		svm_return_to_dom0(c, w, XVMM_RUN_KICK, 0);
}
