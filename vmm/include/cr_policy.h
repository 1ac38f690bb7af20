/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest may write to CR0, CR4 and EFER (vmm/xen/cr_policy.c), as
 * Xen 4.17 answers an HVM guest (xen/arch/x86/hvm/hvm.c: hvm_set_cr0,
 * hvm_set_cr4, hvm_set_efer and the valid-bit masks behind them): a bit
 * the guest's CPUID does not offer, a reserved bit or an illegal
 * combination is #GP, as the architecture gives it (SDM vol. 3, 2.5 and
 * 2.2.1; APM vol. 2, 3.1). The backends intercept the writes and apply
 * what these rules return; a VMCB/VMCS never holds a value VMRUN or
 * VMENTRY would refuse because a guest wrote it.
 */
#ifndef VMM_CR_POLICY_H
#define VMM_CR_POLICY_H

#include "domain.h"

/* The guest's view: EFER without SVME, with LMA. */
struct guest_cr_state {
	u64 cr0, cr3, cr4, efer;
	bool cs_long;		/* CS.L: 64-bit code (only meaningful with EFER.LMA) */
};

/* The bits a guest may set, from the CPUID leaves it sees. */
struct guest_cr_features {
	u32 leaf1_ecx, leaf1_edx;	/* CPUID 1 */
	u32 leaf7_ebx, leaf7_ecx;	/* CPUID 7.0 */
	u32 ext1_ecx, ext1_edx;		/* CPUID 0x80000001 */
};
u64 guest_cr4_valid_bits(const struct guest_cr_features *f);
u64 guest_efer_valid_bits(const struct guest_cr_features *f);
/* Filled from xen_cpuid() for @v: what this vCPU's CPUID says. */
void guest_cr_features_of(struct vcpu *v, struct guest_cr_features *f);

/*
 * Apply a write of @val to @s. 0: @s holds the new state (CR0 writes
 * also move EFER.LMA, as the CPU does when paging is turned on or off in
 * long mode, APM vol. 2, 14.6.1), and *flush says whether the guest's
 * TLB must be flushed. -EINVAL: #GP, @s unchanged.
 */
int guest_cr0_write(struct guest_cr_state *s, u64 val, bool *flush);
int guest_cr4_write(struct guest_cr_state *s, u64 val, u64 valid, bool *flush);
int guest_efer_write(struct guest_cr_state *s, u64 val, u64 valid, bool *flush);

#endif
