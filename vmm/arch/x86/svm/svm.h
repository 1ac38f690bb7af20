/* SPDX-License-Identifier: GPL-2.0-only */
/* SVM backend state (AMD APM vol. 2, chapter 15). */
#ifndef VMM_SVM_SVM_H
#define VMM_SVM_SVM_H

#include "desc.h"
#include "percpu.h"
#include "vmcb.h"
#include "svm_asm.h"

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
void __noreturn svm_return_to_os(const struct guest_regs *regs, u64 rax,
				 u64 rip, u64 rflags, u64 rsp);

/* svm.c */
void __noreturn svm_leave(struct vmm_cpu *c, const struct vmcb *state, u64 ret);
/* vmcb_ops.c */
bool cpu_has_nrip_save(void);
void svm_inject_exception(struct vmcb *v, u8 vector, bool has_error, u32 error);
void svm_skip_instruction(struct vmcb *v, unsigned int len);

/* exit.c */
void svm_handle_exit(struct vmm_cpu *c, struct svm_world *w);

/* npt.c */
int npt_build_dom0(u64 phys_limit, u64 junk_pa, u64 *root_pa);

#endif
