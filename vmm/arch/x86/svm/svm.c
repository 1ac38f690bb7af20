// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM backend: late launch, the run loop and leaving SVM again.
 * The running OS becomes dom0 in place (docs/launch.md); the sequence
 * follows AMD APM vol. 2, chapter 15 (15.4 enabling SVM, 15.5 VMRUN,
 * 15.30 SVM MSRs).
 */
#include "arch.h"
#include "cpu.h"
#include "errno.h"
#include "fpu.h"
#include "generated/config.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "svm.h"
#include "vmm.h"
#include "xen_abi.h"

_Static_assert(__builtin_offsetof(struct guest_regs, rbx) == GR_RBX, "asm offsets");
_Static_assert(__builtin_offsetof(struct guest_regs, rdi) == GR_RDI, "asm offsets");
_Static_assert(__builtin_offsetof(struct guest_regs, r15) == GR_R15, "asm offsets");
_Static_assert(__builtin_offsetof(struct svm_world, vmcb_pa) == WORLD_VMCB_PA, "asm offsets");

#define DOM0_ASID	1

static struct svm_cpu svm_cpus[XVMM_MAX_CPUS];
static u64 msrpm_pa;		/* shared by all CPUs' dom0 */
static u64 dom0_npt_root;

static inline void vmsave(u64 pa)
{
	__asm__ __volatile__("vmsave %%rax" :: "a"(pa) : "memory");
}

static inline void vmload(u64 pa)
{
	__asm__ __volatile__("vmload %%rax" :: "a"(pa) : "memory");
}

static inline void clgi(void)
{
	__asm__ __volatile__("clgi" ::: "memory");
}

static inline void stgi(void)
{
	__asm__ __volatile__("stgi" ::: "memory");
}

/* APM 15.4: SVM present (CPUID Fn8000_0001 ECX[2]), not disabled by VM_CR. */
static int svm_probe(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000000, 0, &r);
	if (r.eax < 0x8000000a)
		return -ENODEV;
	cpuid_count(0x80000001, 0, &r);
	if (!(r.ecx & BIT(2)))
		return -ENODEV;
	cpuid_count(0x8000000a, 0, &r);
	if (!(r.edx & BIT(0)))		/* nested paging */
		return -ENODEV;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return -ENODEV;
	if (rdmsr(MSR_EFER) & EFER_SVME)
		return -EBUSY;		/* another hypervisor holds SVM (e.g. KVM) */
	return 0;
}

/*
 * MSR permission map (APM 15.11): two bits per MSR, read then write, in
 * three 2 KiB vectors for 0-1FFF, C000_0000-C000_1FFF, C001_0000-C001_1FFF.
 */
static void msrpm_intercept_write(u8 *pm, u32 msr)
{
	u32 base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		base = 0x800, msr -= 0xc0000000;
	else if (msr >= 0xc0010000 && msr < 0xc0012000)
		base = 0x1000, msr -= 0xc0010000;
	else
		return;
	pm[base + msr / 4] |= (u8)(2u << ((msr % 4) * 2));
}

static int svm_init(void)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;
	u64 junk_pa;
	u8 *pm;
	int err;

	pm = page_alloc_contig(2, &msrpm_pa);
	if (!pm || !page_alloc(&junk_pa))
		return -ENOMEM;
	/* Dom0 keeps its MSRs, except the two that would hand SVM over. */
	msrpm_intercept_write(pm, MSR_VM_HSAVE_PA);
	msrpm_intercept_write(pm, MSR_VM_CR);

	err = npt_build_dom0(bi->phys_limit, junk_pa, &dom0_npt_root);
	if (err)
		return err;
	npt_dom0_set(dom0_npt_root, junk_pa);
	xen_hypercall_insn = XEN_INSN_VMMCALL;
	err = svm_guest_init();
	if (err)
		return err;

	for (u32 i = 0; i < bi->nr_cpus; i++) {
		struct svm_cpu *s = &svm_cpus[i];
		u64 pa;

		s->dom0.vmcb = page_alloc(&s->dom0.vmcb_pa);
		s->host_vmcb = page_alloc(&s->host_vmcb_pa);
		s->dom0_backup = page_alloc(&pa);
		s->desc = page_alloc(&pa);
		if (!s->dom0.vmcb || !s->host_vmcb || !s->dom0_backup || !s->desc ||
		    !page_alloc(&s->hsave_pa))
			return -ENOMEM;
		s->dom0.is_dom0 = true;
		vmm_cpus[i].arch = s;
		pr_info("cpu%u: dom0 VMCB %llx, host state %llx, HSAVE %llx\n", i,
			s->dom0.vmcb_pa, s->host_vmcb_pa, s->hsave_pa);
	}
	return idt_init();
}

/* Hidden part of a segment from its GDT descriptor (APM 4.7, 4.8). */
static void seg_from_gdt(struct vmcb_seg *s, u16 sel, const struct desc_ptr *gdt)
{
	const u8 *d;
	u64 desc;

	s->selector = sel;
	s->attrib = 0;
	s->limit = 0;
	s->base = 0;
	if ((sel & ~3u) == 0 || (sel & 4) || (u32)(sel | 7) > gdt->limit)
		return;
	d = (const u8 *)(uintptr_t)(gdt->base + (sel & ~7u));
	memcpy(&desc, d, sizeof(desc));
	s->attrib = (u16)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	s->limit = (u32)((desc & 0xffff) | (((desc >> 48) & 0xf) << 16));
	if (desc & BIT(55))		/* granularity: 4 KiB units */
		s->limit = (s->limit << 12) | 0xfff;
	s->base = ((desc >> 16) & 0xffffff) | (((desc >> 56) & 0xff) << 24);
}

/* Capture the running OS into dom0's VMCB: it resumes exactly here. */
static void capture_os_state(struct svm_cpu *s, const struct launch_frame *f, u64 os_rsp)
{
	struct vmcb *v = s->dom0.vmcb;
	struct desc_ptr gdt, idt;

	/* FS, GS, TR, LDTR with hidden parts, KernelGSBase, STAR..SFMASK, SYSENTER. */
	vmsave(s->dom0.vmcb_pa);
	sgdt(&gdt);
	sidt(&idt);
	seg_from_gdt(&v->save.cs, read_cs(), &gdt);
	seg_from_gdt(&v->save.ss, read_ss(), &gdt);
	seg_from_gdt(&v->save.ds, read_ds(), &gdt);
	seg_from_gdt(&v->save.es, read_es(), &gdt);
	v->save.gdtr.base = gdt.base;
	v->save.gdtr.limit = gdt.limit;
	v->save.idtr.base = idt.base;
	v->save.idtr.limit = idt.limit;
	v->save.cpl = 0;
	v->save.efer = rdmsr(MSR_EFER);
	v->save.cr0 = read_cr0();
	v->save.cr2 = read_cr2();
	v->save.cr3 = read_cr3();
	v->save.cr4 = read_cr4();
	v->save.dr6 = read_dr6();
	v->save.dr7 = read_dr7();
	v->save.rflags = read_rflags();
	v->save.g_pat = rdmsr(MSR_IA32_PAT);
	v->save.rip = f->rip;
	v->save.rsp = os_rsp;
	v->save.rax = 0;		/* launch() returns 0 */

	memset(&s->dom0.regs, 0, sizeof(s->dom0.regs));
	s->dom0.regs.rbx = f->rbx;
	s->dom0.regs.rbp = f->rbp;
	s->dom0.regs.r12 = f->r12;
	s->dom0.regs.r13 = f->r13;
	s->dom0.regs.r14 = f->r14;
	s->dom0.regs.r15 = f->r15;
}

/* Dom0's intercepts: only what keeps the VMM safe (design.md, docs/launch.md). */
static void setup_dom0_control(struct svm_cpu *s)
{
	struct vmcb_control *ctl = &s->dom0.vmcb->control;

	ctl->intercept_misc1 = INTERCEPT_INIT | INTERCEPT_SHUTDOWN |
			       INTERCEPT_INVLPGA | INTERCEPT_MSR;
#ifdef CONFIG_XVMM_HIDE_SVM_CPUID
	ctl->intercept_misc1 |= INTERCEPT_CPUID;
#endif
	ctl->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL |
			       INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
			       INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT;
	ctl->msrpm_base_pa = msrpm_pa;
	ctl->asid = DOM0_ASID;
	ctl->tlb_control = TLB_CONTROL_FLUSH_ALL;
	ctl->int_ctl = 0;		/* V_INTR_MASKING = 0: interrupts go straight to dom0 */
	ctl->np_control = 1;
	ctl->n_cr3 = dom0_npt_root;
	ctl->clean = 0;
}

static void __noreturn svm_run_loop(struct vmm_cpu *c)
{
	struct svm_cpu *s = svm_of(c);

	for (;;) {
		struct svm_world *w = s->current;
		struct vmcb *v = w->vmcb;

		v->save.efer |= EFER_SVME;	/* a world may clear its EFER.SVME: keep it set */
		if (w->is_dom0) {
			/*
			 * Dom0's nested page table changed since this CPU last
			 * flushed: flush at this VMRUN (APM 15.16.1). Cached
			 * nested translations are per CPU and tagged with the
			 * ASID, so nothing else removes them (APM 15.16); this
			 * CPU records the generation it flushed for, which is
			 * what lets a grant unmap wait for every CPU
			 * (dom0_npt_flushed). Read once: a change made after
			 * the read is caught at the next entry.
			 */
			u64 gen = READ_ONCE(dom0_npt_generation);

			if (c->dom0_tlb_gen != gen) {
				WRITE_ONCE(c->dom0_tlb_gen, gen);
				v->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
			}
		}
		if (!w->is_dom0) {
			svm_guest_prepare_entry(w);
			svm_guest_dr_prepare_entry(w);
			/* Once per VCPU_RUN (guest.c); a refused image is the guest's. */
			if (svm_fpu_switch_to_guest(w)) {
				pr_cpu(c, "d%u: the CPU refused its FPU image\n", w->vcpu->domain->id);
				domain_crash(w->vcpu->domain, "FPU state the CPU refuses");
				svm_return_to_dom0(c, w, XVMM_RUN_CRASH, 3);
				continue;
			}
			if (unlikely(svm_guest_refuse_vmcb(c, w)))
				continue;
		}
		svm_world_switch(w, s->host_vmcb_pa);
		/*
		 * A guest's exit state is never the VMM's own (its resume RIP,
		 * RAX = the VMCB, its CR3). If it is, the CPU wrote host state
		 * into the guest's VMCB (seen under QEMU's multi-threaded TCG,
		 * docs/debugging.md): the guest's state is gone, so end that
		 * guest rather than run the VMM's code in it.
		 */
		if (!w->is_dom0 && unlikely(v->save.rip == (u64)(uintptr_t)svm_vmrun_resume &&
					    v->save.rax == w->vmcb_pa &&
					    v->save.cr3 == vmm_host_cr3())) {
			pr_cpu(c, "guest VMCB %llx holds host state after exit %llx\n",
			       w->vmcb_pa, v->control.exit_code);
			domain_crash(w->vcpu->domain, "host state in its VMCB");
			svm_return_to_dom0(c, w, XVMM_RUN_CRASH, 3);
			continue;
		}
		/*
		 * XCR0 is the host's in the VMM: XSETBV exits and CR4.OSXSAVE is
		 * refused to guests, but an emulator that ignores the XSETBV
		 * intercept (QEMU 7.2 TCG does) lets the guest write it. Put it
		 * back before anything saves or loads an image under it, and end
		 * that guest: its own XCR0 is not something it may have here.
		 */
		if (!w->is_dom0 && unlikely(!fpu_host_xcr0_intact())) {
			pr_cpu(c, "d%u changed XCR0 past the XSETBV intercept\n",
			       w->vcpu->domain->id);
			domain_crash(w->vcpu->domain, "XCR0 changed");
			svm_return_to_dom0(c, w, XVMM_RUN_CRASH, 3);
			continue;
		}
		v->control.event_inj = 0;	/* delivered; an interrupted one is re-queued below */
		if (!w->is_dom0)
			svm_guest_after_exit(w);
		c->exits++;
		if ((v->control.exit_code & SVM_EXIT_INVALID_LOW) == SVM_EXIT_INVALID_LOW) {
			if (w->is_dom0 && !s->confirmed) {
				pr_cpu(c, "VMRUN refused dom0's state; rolling back\n");
				svm_leave(c, s->dom0_backup, (u64)-EIO);
			}
			if (w->is_dom0) {
				pr_cpu(c, "VMRUN failed (exit %llx)\n",
				       (unsigned long long)v->control.exit_code);
				cpu_park();
			}
			svm_guest_invalid_exit(c, w);
			continue;
		}
		s->confirmed = true;
		v->control.tlb_control = 0;
		v->control.clean = 0;
		if (w->is_dom0)
			svm_handle_exit(c, w);
		else
			svm_handle_guest_exit(c, w);
	}
}

static int svm_cpu_launch(struct vmm_cpu *c, const struct launch_frame *f, u64 os_rsp)
{
	struct svm_cpu *s = svm_of(c);
	int err = svm_probe();

	if (err)
		return err;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, s->hsave_pa);
	capture_os_state(s, f, os_rsp);
	setup_dom0_control(s);
	memcpy(s->dom0_backup, s->dom0.vmcb, sizeof(struct vmcb));

	/* From here on the CPU runs on the VMM's own tables. */
	write_cr3(vmm_host_cr3());
	cpu_desc_load(c, s->desc);
	vmsave(s->host_vmcb_pa);
	s->current = &s->dom0;
	s->confirmed = false;
	c->launched = true;
	pr_cpu(c, "launching dom0 (nrip save %s)\n", cpu_has_nrip_save() ? "yes" : "no");
	clgi();
	__asm__ __volatile__("sti");	/* GIF = 0 still holds interrupts off the host */
	svm_run_loop(c);
}

/*
 * Leave SVM on this CPU and resume the OS natively from @state (dom0's VMCB,
 * or the launch-time copy on rollback) with RAX = @ret. The order matters:
 * the OS's tables and segments must all be back before GIF is set, since an
 * NMI may arrive the moment it is (late-launch-notes.md, "Unload").
 */
void __noreturn svm_leave(struct vmm_cpu *c, const struct vmcb *state, u64 ret)
{
	struct svm_cpu *s = svm_of(c);
	const struct vmcb_save *g = &state->save;
	struct desc_ptr gdt = { g->gdtr.limit, g->gdtr.base };
	struct desc_ptr idt = { g->idtr.limit, g->idtr.base };
	u64 pa = vmm_va_to_pa(state);

	cli();
	vmload(pa);			/* FS, GS, TR (busy bit untouched), LDTR, syscall MSRs */
	write_cr0(g->cr0);
	write_cr4(g->cr4 & ~CR4_PGE);
	write_cr3(g->cr3);
	write_cr4(g->cr4);		/* toggling PGE flushes every TLB entry, global or not */
	write_cr2(g->cr2);
	write_dr6(g->dr6);
	write_dr7(g->dr7);
	wrmsr(MSR_IA32_PAT, g->g_pat);
	lgdt(&gdt);
	lidt(&idt);
	__asm__ __volatile__(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %[ss], %%ss\n\t"
		"movw %[ds], %%ds\n\t"
		"movw %[es], %%es"
		:: [cs] "r"((u64)g->cs.selector), [ss] "r"(g->ss.selector),
		   [ds] "r"(g->ds.selector), [es] "r"(g->es.selector)
		: "rax", "memory");
	c->launched = false;
	stgi();
	wrmsr(MSR_EFER, g->efer & ~EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, 0);
	svm_return_to_os(&s->dom0.regs, ret, g->rip, g->rflags, g->rsp);
}

const struct vmm_vendor svm_vendor = {
	.name = "svm",
	.probe = svm_probe,
	.init = svm_init,
	.cpu_launch = svm_cpu_launch,
	.dom0_hide = npt_dom0_hide,
	.dom0_restore = npt_dom0_restore,
	.dom0_owns = npt_dom0_owns,
	.dom0_grant = npt_dom0_grant,
	.domain_init = npt_domain_init,
	.domain_map_page = npt_domain_map_page,
	.domain_map_page_ro = npt_domain_map_page_ro,
	.domain_unmap_page = npt_domain_unmap_page,
	.domain_destroy = npt_domain_destroy,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_set_state = svm_vcpu_set_state,
	.vcpu_enter = svm_vcpu_enter,
};
