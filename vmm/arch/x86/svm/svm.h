/* SPDX-License-Identifier: GPL-2.0-only */
/* SVM backend state (AMD APM vol. 2, chapter 15). */
#ifndef VMM_SVM_SVM_H
#define VMM_SVM_SVM_H

#include "desc.h"
#include "domain.h"
#include "percpu.h"
#include "vmcb.h"
#include "svm_asm.h"
#include "vmm.h"

/* General registers VMRUN does not switch (RAX and RSP live in the VMCB). */
struct guest_regs {
	u64 rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};


/* One guest context on a CPU: dom0, or later a guest vCPU. */
struct svm_world {
	struct guest_regs regs;
	u64 vmcb_pa;
	struct vmcb *vmcb;
	bool is_dom0;
	struct vcpu *vcpu;		/* guest worlds: the vCPU they run */
};

/* A guest vCPU's SVM state (guest.c). */
struct svm_vcpu {
	struct svm_world world;
	struct xvmm_run *run;		/* dom0's result page while it runs */
	void *fpu;			/* XSAVE area, 64-byte aligned */
	bool fpu_live;			/* the guest's FPU state is in the CPU's registers */
	bool dr_live;			/* the guest's DR0-DR3 are in the CPU (guest_dr.c) */
	bool guest_lme;			/* the guest's EFER.LME (guest_cr.c: in the VMCB only with LMA) */
	u64 dr[4];			/* the guest's DR0-DR3 while not live */
	u64 host_dr[4];			/* dom0's DR0-DR3 while the guest's are live */
	u64 prev_exit[8];		/* the exit before the current one, for crash dumps */
	u64 invalid_exit_rip;		/* RIP of the last VMEXIT_INVALID, ~0 after any other exit */
	unsigned int invalid_exits_logged;
	u64 fpu_pa;
	int last_cpu;			/* flush the TLB when it moves */
	u64 npt_generation;
};

struct svm_cpu {
	struct svm_world dom0;
	struct svm_world *current;
	struct vmcb *host_vmcb;		/* VMSAVE/VMLOAD area for the VMM's own state */
	u64 host_vmcb_pa;
	u64 hsave_pa;			/* VM_HSAVE_PA (APM 15.30.4) */
	struct vmcb *dom0_backup;	/* launch state, for rollback (QEMU clobbers the VMCB) */
	struct cpu_desc *desc;
	bool confirmed;			/* dom0 has made an exit: VMRUN works */
};

static inline struct svm_cpu *svm_of(struct vmm_cpu *c)
{
	return c->arch;
}

/* vmrun.S */
void svm_world_switch(struct svm_world *w, u64 host_vmcb_pa);
extern const char svm_vmrun_resume[];
void __noreturn svm_return_to_os(const struct guest_regs *regs, u64 rax,
				 u64 rip, u64 rflags, u64 rsp);

/* svm.c */
void __noreturn svm_leave(struct vmm_cpu *c, const struct vmcb *state, u64 ret);
/* vmcb_ops.c */
bool cpu_has_nrip_save(void);
void svm_inject_exception(struct vmcb *v, u8 vector, bool has_error, u32 error);
void svm_skip_instruction(struct vmcb *v, unsigned int len);

/* exit.c: dom0's exits; guest_exit.c: guests' */
void svm_handle_exit(struct vmm_cpu *c, struct svm_world *w);
void svm_handle_guest_exit(struct vmm_cpu *c, struct svm_world *w);
/*
 * Before a guest VMRUN: true if its VMCB fails a check of APM 15.5.1
 * (vmcb_check.c); the domain is then crashed and @w left. After one:
 * VMEXIT_INVALID from a guest whose state passed those checks.
 */
bool svm_guest_refuse_vmcb(struct vmm_cpu *c, struct svm_world *w);
void svm_guest_invalid_exit(struct vmm_cpu *c, struct svm_world *w);
/* Leave guest @w and resume dom0 with @reason as VCPU_RUN's result. */
void svm_return_to_dom0(struct vmm_cpu *c, struct svm_world *w, unsigned int reason, unsigned int code);

/*
 * guest_cr.c: a guest's CR0/CR4 write exit (NULL: done, #GP injected if
 * refused; else why the domain is crashed), and its EFER reads and
 * writes (0, or -EINVAL: #GP).
 */
const char *svm_guest_cr_write(struct svm_world *w, unsigned int cr);
int svm_guest_efer(struct svm_world *w, bool write, u64 *val);
/* The VMCB's EFER for a guest EFER (LME only with LMA, SVME set). */
u64 svm_vmcb_efer(u64 guest_efer);

/*
 * guest_dr.c: the guest's DR0-DR3, switched lazily. Init with the vCPU;
 * access: a DR0-DR3 read/write exit; prepare_entry before every VMRUN;
 * put before the CPU returns to dom0.
 */
void svm_guest_dr_init(struct svm_world *w);
void svm_guest_dr_access(struct svm_world *w);
void svm_guest_dr_prepare_entry(struct svm_world *w);
void svm_guest_dr_put(struct svm_world *w);

/* vmcb_check.c: APM 15.5.1 on a guest's VMCB; NULL, or the check it fails. */
void svm_vmcb_check_init(void);
const char *svm_vmcb_invalid(const struct vmcb *v);

/* guest.c */
int svm_vcpu_init(struct vcpu *v, u64 entry, u64 ebx);
void svm_vcpu_destroy(struct vcpu *v);
void svm_vcpu_set_state(struct vcpu *v, const struct vcpu_start_state *st);
void svm_vcpu_enter(struct vmm_cpu *c, struct vcpu *v, struct xvmm_run *run);
int svm_guest_init(void);
/* 0, or -EFAULT: the CPU refused the vCPU's FPU image (fpu.h). */
int svm_fpu_switch_to_guest(struct svm_world *w);
void svm_guest_prepare_entry(struct svm_world *w);
void svm_guest_after_exit(struct svm_world *w);
void svm_fpu_switch_from_guest(struct svm_world *w);

/* npt.c */
int npt_build_dom0(u64 phys_limit, u64 junk_pa, u64 *root_pa);
void npt_dom0_set(u64 root, u64 junk_pa);
int npt_dom0_hide(u64 pa, u64 size);
bool npt_dom0_owns(u64 pa, u64 size);
int npt_dom0_restore(u64 pa, u64 size);
int npt_dom0_grant(u64 pa, enum dom0_access access);
bool npt_dom0_writable(u64 pa);
int npt_domain_init(struct domain *d);
int npt_domain_map_page(struct domain *d, u64 gpa, u64 hpa);
int npt_domain_map_page_ro(struct domain *d, u64 gpa, u64 hpa);
int npt_domain_unmap_page(struct domain *d, u64 gpa);
void npt_domain_destroy(struct domain *d);

#endif
