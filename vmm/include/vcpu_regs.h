/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's registers, vendor-neutral: what the Xen ABI code reads and
 * writes. The backend implements these over its VMCB/VMCS and saved GPRs.
 */
#ifndef VMM_VCPU_REGS_H
#define VMM_VCPU_REGS_H

#include "domain.h"

enum vcpu_reg {
	REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	REG_RIP, REG_RFLAGS,
	NR_VCPU_REGS
};

/* A register as instructions number it (ModRM and REX, SDM vol. 2, table 2-2). */
static inline enum vcpu_reg vcpu_reg_by_number(unsigned int n)
{
	static const enum vcpu_reg by_number[16] = {
		REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
		REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	};

	return by_number[n & 15];
}

u64 vcpu_reg_get(struct vcpu *v, enum vcpu_reg r);
void vcpu_reg_set(struct vcpu *v, enum vcpu_reg r, u64 val);
unsigned int vcpu_cpl(struct vcpu *v);
bool vcpu_is_64bit(struct vcpu *v);	/* EFER.LMA and CS.L: 64-bit hypercall ABI */
u64 vcpu_cr(struct vcpu *v, unsigned int n);	/* CR0, CR2, CR3, CR4; 0 for others */
u64 vcpu_efer(struct vcpu *v);
/*
 * The code segment instructions are fetched from: its default operand size
 * (16 in real and virtual-8086 mode or with CS.D clear, 32, or 64 in long
 * mode with CS.L) and its base (ignored in 64-bit code).
 */
unsigned int vcpu_code_bits(struct vcpu *v);
u64 vcpu_cs_base(struct vcpu *v);
void vcpu_inject_ud(struct vcpu *v);
void vcpu_inject_gp(struct vcpu *v);

#endif
