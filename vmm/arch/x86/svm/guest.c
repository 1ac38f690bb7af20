// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest vCPUs on SVM: their VMCB in the PVH entry state, entering them
 * from dom0's VCPU_RUN call, their FPU state, and the register accessors
 * the Xen ABI code uses (vcpu_regs.h).
 */
#include "arch.h"
#include "cpu.h"
#include "errno.h"
#include "fpu.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "svm.h"
#include "vcpu_regs.h"
#include "vlapic.h"
#include "vmm.h"
#include "xen_abi.h"

#define GUEST_ASID_BASE	16	/* dom0 is ASID 1 */

static u64 guest_msrpm_pa, guest_iopm_pa;

/* MSRs a guest reads and writes directly: VMRUN/VMLOAD switch them (APM 15.5.1). */
static const u32 passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
	/* Not EFER: its writes follow cr_policy.c (guest_cr.c). */
};

static void msrpm_allow(u8 *pm, u32 msr)
{
	u32 base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		base = 0x800, msr -= 0xc0000000;
	else
		return;
	pm[base + msr / 4] &= (u8)~(3u << ((msr % 4) * 2));
}

int svm_guest_init(void)
{
	u8 *pm, *io;

	/* Guests: every MSR and port intercepted unless listed (APM 15.10, 15.11). */
	pm = page_alloc_contig(2, &guest_msrpm_pa);
	io = page_alloc_contig(3, &guest_iopm_pa);
	if (!pm || !io)
		return -ENOMEM;
	memset(pm, 0xff, 2 * PAGE_SIZE);
	memset(io, 0xff, 3 * PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		msrpm_allow(pm, passthrough_msrs[i]);

	svm_vmcb_check_init();
	return fpu_init();
}

static void seg(struct vmcb_seg *s, u16 sel, u16 attrib, u32 limit)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

/*
 * The PVH entry state (Xen docs/misc/pvh.pandoc): 32-bit protected mode,
 * paging off, flat 4 GiB CS (exec/read) and DS/ES/SS (read/write), TR a
 * 32-bit TSS of limit 0x67, EFLAGS bit 1 only, EBX = start info.
 */
static void setup_guest_vmcb(struct vmcb *v, struct domain *d, u64 entry)
{
	struct vmcb_control *ctl = &v->control;

	seg(&v->save.cs, 0x10, 0xc9b, 0xffffffff);
	seg(&v->save.ds, 0x18, 0xc93, 0xffffffff);
	seg(&v->save.es, 0x18, 0xc93, 0xffffffff);
	seg(&v->save.ss, 0x18, 0xc93, 0xffffffff);
	seg(&v->save.fs, 0x18, 0xc93, 0xffffffff);
	seg(&v->save.gs, 0x18, 0xc93, 0xffffffff);
	seg(&v->save.tr, 0x20, 0x08b, 0x67);
	seg(&v->save.ldtr, 0, 0x082, 0xffff);
	seg(&v->save.gdtr, 0, 0, 0xffff);
	seg(&v->save.idtr, 0, 0, 0xffff);
	v->save.cpl = 0;
	v->save.efer = EFER_SVME;
	v->save.cr0 = CR0_PE | CR0_ET;
	v->save.cr4 = 0;
	v->save.cr3 = 0;
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
	v->save.rflags = RFLAGS_FIXED;
	v->save.rip = entry;
	v->save.rsp = 0;
	v->save.rax = 0;
	v->save.g_pat = 0x0007040600070406ull;	/* the PAT's reset value */

	/* CR0/CR4 writes follow the guest's CPUID and the architecture's rules (guest_cr.c). */
	ctl->intercept_cr_write = INTERCEPT_CR0_WRITE | INTERCEPT_CR4_WRITE;
	ctl->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI |
			       INTERCEPT_INIT | INTERCEPT_CPUID | INTERCEPT_HLT |
			       INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR |
			       INTERCEPT_SHUTDOWN;
	ctl->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
			       INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
			       INTERCEPT_SKINIT | INTERCEPT_MONITOR | INTERCEPT_MWAIT |
			       INTERCEPT_XSETBV;
	ctl->iopm_base_pa = guest_iopm_pa;
	ctl->msrpm_base_pa = guest_msrpm_pa;
	ctl->asid = GUEST_ASID_BASE + d->id;
	ctl->tlb_control = TLB_CONTROL_FLUSH_ALL;
	/* Host IF decides whether physical interrupts exit the guest (APM 15.21.1). */
	ctl->int_ctl = V_INTR_MASKING;
	ctl->np_control = 1;
	ctl->n_cr3 = d->npt_root;
	ctl->clean = 0;
}

int svm_vcpu_init(struct vcpu *v, u64 entry, u64 ebx)
{
	struct svm_vcpu *sv;
	u64 pa;

	sv = page_alloc(&pa);
	if (!sv)
		return -ENOMEM;
	sv->world.vmcb = page_alloc(&sv->world.vmcb_pa);
	sv->fpu = page_alloc(&sv->fpu_pa);
	if (!sv->world.vmcb || !sv->fpu) {
		/* v->arch is set only once the vCPU is whole: destroy it through it. */
		v->arch = sv;
		svm_vcpu_destroy(v);
		return -ENOMEM;
	}
	fpu_image_init(sv->fpu);
	sv->world.vcpu = v;
	sv->world.regs.rbx = ebx;
	pr_info("d%u v%u: VMCB at %llx\n", v->domain->id, v->id, sv->world.vmcb_pa);
	vlapic_init(v);
	sv->last_cpu = -1;
	sv->invalid_exit_rip = ~0ull;
	v->arch = sv;
	setup_guest_vmcb(sv->world.vmcb, v->domain, entry);
	svm_guest_dr_init(&sv->world);
	return 0;
}

static void seg_load(struct vmcb_seg *d, const struct vcpu_seg *s)
{
	d->selector = s->sel;
	d->attrib = s->attr;
	d->limit = s->limit;
	d->base = s->base;
}

/*
 * Load a start state (vcpu_start.h: a SIPI's, or VCPUOP_initialise's,
 * checked by its caller). SVM runs real mode natively under nested paging
 * (APM vol. 2, 15.19); the VMRUN checks (vmcb_check.c) still run before the
 * first entry. The FPU and debug registers start at their reset values,
 * and nothing is in flight.
 */
void svm_vcpu_set_state(struct vcpu *v, const struct vcpu_start_state *st)
{
	struct svm_vcpu *sv = v->arch;
	struct vmcb *vmcb = sv->world.vmcb;
	struct guest_regs *g = &sv->world.regs;

	seg_load(&vmcb->save.cs, &st->cs);
	seg_load(&vmcb->save.ds, &st->ds);
	seg_load(&vmcb->save.es, &st->es);
	seg_load(&vmcb->save.ss, &st->ss);
	seg_load(&vmcb->save.fs, &st->ds);
	seg_load(&vmcb->save.gs, &st->ds);
	seg_load(&vmcb->save.tr, &st->tr);
	seg(&vmcb->save.ldtr, 0, 0x082, 0xffff);
	seg(&vmcb->save.gdtr, 0, 0, 0xffff);
	seg(&vmcb->save.idtr, 0, 0, 0xffff);
	vmcb->save.cpl = (st->cs.attr >> 5) & 3;
	vmcb->save.efer = svm_vmcb_efer(st->efer);
	sv->guest_lme = st->efer & EFER_LME;
	vmcb->save.cr0 = st->cr0;
	vmcb->save.cr2 = 0;
	vmcb->save.cr3 = st->cr3;
	vmcb->save.cr4 = st->cr4;
	vmcb->save.dr6 = 0xffff0ff0;
	vmcb->save.dr7 = 0x400;
	vmcb->save.rflags = st->rflags;
	vmcb->save.rip = st->rip;
	vmcb->save.rsp = st->rsp;
	vmcb->save.rax = st->rax;
	vmcb->save.g_pat = 0x0007040600070406ull;
	vmcb->save.dbgctl = 0;
	vmcb->control.virt_ext = 0;
	vmcb->control.event_inj = 0;
	vmcb->control.int_ctl &= ~(u32)V_IRQ;
	vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
	vmcb->control.clean = 0;
	memset(g, 0, sizeof(*g));
	g->rbx = st->rbx;
	g->rcx = st->rcx;
	g->rdx = st->rdx;
	g->rsi = st->rsi;
	g->rdi = st->rdi;
	g->rbp = st->rbp;
	fpu_image_init(sv->fpu);
	sv->fpu_live = false;
	svm_guest_dr_init(&sv->world);
	v->upcall_injected = false;
	v->injected_vector = 0;
	v->cpuid_faulting = false;
}

void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;

	if (!sv)
		return;
	if (sv->world.vmcb)
		page_free(sv->world.vmcb_pa);
	if (sv->fpu)
		page_free(sv->fpu_pa);
	page_free(vmm_va_to_pa(sv));
	v->arch = NULL;
}

void svm_vcpu_enter(struct vmm_cpu *c, struct vcpu *v, struct xvmm_run *run)
{
	struct svm_cpu *s = svm_of(c);
	struct svm_vcpu *sv = v->arch;
	struct vmcb *vmcb = sv->world.vmcb;

	sv->run = run;
	/* A vCPU that moved, or whose domain's map changed, starts with a clean TLB. */
	if (sv->last_cpu != (int)c->index)
		vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
	sv->last_cpu = (int)c->index;
	vmcb->control.clean = 0;
	s->current = &sv->world;
}

/*
 * FPU: dom0's state was saved by the driver (kernel_fpu_begin) before it
 * asked to run the guest, so the registers are ours to load. Loading the
 * guest's full XSAVE image also scrubs whatever dom0 left in them. The VMM
 * itself never touches FPU or vector registers (built with
 * -mgeneral-regs-only), so the guest's state stays live in the CPU across
 * the exits the VMM handles alone: it is loaded once when dom0 hands the
 * CPU to the vCPU and saved once when the CPU goes back to dom0.
 */
int svm_fpu_switch_to_guest(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	if (sv->fpu_live)
		return 0;
	if (fpu_load(sv->fpu))
		return -EFAULT;
	sv->fpu_live = true;
	return 0;
}

void svm_fpu_switch_from_guest(struct svm_world *w)
{
	struct svm_vcpu *sv = w->vcpu->arch;

	if (!sv->fpu_live)
		return;
	sv->fpu_live = false;
	fpu_save(sv->fpu);
}

/*
 * Interrupts for the guest go in as a virtual interrupt (APM 15.21.4:
 * V_IRQ with V_INTR_VECTOR), which the CPU delivers through the guest's
 * IDT as soon as the guest's RFLAGS.IF allows, without an exit. One at a
 * time: the Xen event upcall first, then the local APIC's highest request.
 */
void svm_guest_prepare_entry(struct svm_world *w)
{
	struct vcpu *v = w->vcpu;
	struct vmcb_control *ctl = &w->vmcb->control;
	u8 vec;

	xen_vcpu_prepare_entry(v);
	/*
	 * The domain's nested table lost or changed a page (a grant map,
	 * domain_npt_changed) since this vCPU last flushed: flush at this
	 * VMRUN. The domain's vCPUs share an ASID, but one that moved CPUs
	 * flushes anyway (svm_vcpu_enter), so per vCPU is enough.
	 */
	{
		u64 gen = __atomic_load_n(&v->domain->npt_gen, __ATOMIC_SEQ_CST);

		if (v->npt_seen_gen != gen) {
			__atomic_store_n(&v->npt_seen_gen, gen, __ATOMIC_SEQ_CST);
			ctl->tlb_control = TLB_CONTROL_FLUSH_ALL;
		}
	}
	/*
	 * An NMI another vCPU sent (vcpu_start.c) goes in as an event (APM
	 * vol. 2, 15.20) unless one is being injected already; the guest's own
	 * NMI blocking is not tracked (no IRET intercept), so an NMI sent
	 * while its handler runs nests.
	 */
	if (v->nmi_pending && !(ctl->event_inj & EVENTINJ_VALID)) {
		ctl->event_inj = 2 | EVENTINJ_TYPE_NMI | EVENTINJ_VALID;
		v->nmi_pending = false;
	}
	if (ctl->int_ctl & V_IRQ)
		return;			/* offered before, not taken yet */
	vec = xen_upcall_vector(v);
	v->upcall_injected = vec != 0;
	v->injected_vector = 0;
	if (!vec) {
		vec = vlapic_pending(v);
		v->injected_vector = vec;
	}
	if (vec) {
		ctl->int_ctl |= V_IRQ | V_IGN_TPR | (0xfu << V_INTR_PRIO_SHIFT);
		ctl->int_vector = vec;
	}
}

void svm_guest_after_exit(struct svm_world *w)
{
	struct vcpu *v = w->vcpu;
	struct vmcb_control *ctl = &w->vmcb->control;
	bool offered = v->upcall_injected || v->injected_vector;

	/* An event cut short by the exit (EXITINTINFO valid, APM 15.7.2) goes in again. */
	if (ctl->exit_int_info & BIT(31))
		ctl->event_inj = ctl->exit_int_info;
	if (offered && !(ctl->int_ctl & V_IRQ)) {
		if (v->upcall_injected)
			xen_upcall_delivered(v);
		else
			vlapic_accept(v, v->injected_vector);
		v->upcall_injected = false;
		v->injected_vector = 0;
	}
}

/* vcpu_regs.h over the VMCB and the saved general registers. */
static u64 *gpr(struct svm_world *w, enum vcpu_reg r)
{
	struct guest_regs *g = &w->regs;
	struct vmcb_save *s = &w->vmcb->save;

	switch (r) {
	case REG_RAX: return &s->rax;
	case REG_RBX: return &g->rbx;
	case REG_RCX: return &g->rcx;
	case REG_RDX: return &g->rdx;
	case REG_RSI: return &g->rsi;
	case REG_RDI: return &g->rdi;
	case REG_RBP: return &g->rbp;
	case REG_RSP: return &s->rsp;
	case REG_R8: return &g->r8;
	case REG_R9: return &g->r9;
	case REG_R10: return &g->r10;
	case REG_R11: return &g->r11;
	case REG_R12: return &g->r12;
	case REG_R13: return &g->r13;
	case REG_R14: return &g->r14;
	case REG_R15: return &g->r15;
	case REG_RIP: return &s->rip;
	case REG_RFLAGS: return &s->rflags;
	default: return NULL;
	}
}

u64 vcpu_reg_get(struct vcpu *v, enum vcpu_reg r)
{
	u64 *p = gpr(&((struct svm_vcpu *)v->arch)->world, r);

	return p ? *p : 0;
}

void vcpu_reg_set(struct vcpu *v, enum vcpu_reg r, u64 val)
{
	u64 *p = gpr(&((struct svm_vcpu *)v->arch)->world, r);

	if (p)
		*p = val;
}

unsigned int vcpu_cpl(struct vcpu *v)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->world.vmcb;
	unsigned int dpl = (vmcb->save.ss.attrib >> 5) & 3;

	/* QEMU leaves VMCB.CPL alone; SS.DPL is the CPL in protected mode. */
	if (!(vmcb->save.cr0 & CR0_PE))
		return 0;
	return vmcb->save.cpl > dpl ? vmcb->save.cpl : dpl;
}

u64 vcpu_cr(struct vcpu *v, unsigned int n)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->world.vmcb;

	switch (n) {
	case 0: return vmcb->save.cr0;
	case 2: return vmcb->save.cr2;
	case 3: return vmcb->save.cr3;
	case 4: return vmcb->save.cr4;
	default: return 0;
	}
}

u64 vcpu_efer(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->world.vmcb->save.efer & ~EFER_SVME;
}

bool vcpu_is_64bit(struct vcpu *v)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->world.vmcb;

	return (vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attrib & BIT(9));
}

/* VMCB segment attributes pack descriptor bits 52-55 into 11:8: L is bit 9, D/B bit 10. */
unsigned int vcpu_code_bits(struct vcpu *v)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->world.vmcb;

	if (!(vmcb->save.cr0 & CR0_PE) || (vmcb->save.rflags & RFLAGS_VM))
		return 16;
	if ((vmcb->save.efer & EFER_LMA) && (vmcb->save.cs.attrib & BIT(9)))
		return 64;
	return (vmcb->save.cs.attrib & BIT(10)) ? 32 : 16;
}

u64 vcpu_cs_base(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->world.vmcb->save.cs.base;
}

void vcpu_inject_ud(struct vcpu *v)
{
	svm_inject_exception(((struct svm_vcpu *)v->arch)->world.vmcb, 6, false, 0);
}

void vcpu_inject_gp(struct vcpu *v)
{
	svm_inject_exception(((struct svm_vcpu *)v->arch)->world.vmcb, 13, true, 0);
}
