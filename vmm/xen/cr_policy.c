// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control register and EFER writes of a guest (vmm/include/cr_policy.h),
 * after Xen 4.17's HVM rules. Pure functions of the state and the value,
 * so the same rules serve every backend and are unit-tested alone.
 */
#include "cpu.h"
#include "cr_policy.h"
#include "errno.h"
#include "xen_abi.h"

/* CR0 bits that exist (SDM vol. 3, 2.5); the others are ignored on write, as Xen does. */
#define CR0_DEFINED	(CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | \
			 CR0_AM | CR0_NW | CR0_CD | CR0_PG)
/* Changes that make cached translations stale (SDM vol. 3, 4.10.4.1). */
#define CR0_FLUSH	(CR0_PE | CR0_PG | CR0_WP | CR0_CD)
#define CR4_FLUSH	(CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | \
			 CR4_LA57 | CR4_PKE)

u64 guest_cr4_valid_bits(const struct guest_cr_features *f)
{
	u64 v = CR4_PCE;		/* no feature flag: always there (Xen too) */

	/*
	 * Not offered: VMXE, SMXE (no nested VMX, no SMX), OSXSAVE unless
	 * XSAVE is in CPUID (xvmm hides it: the guest runs under the host's
	 * XCR0), CET (no supervisor shadow-stack state is switched).
	 */
	if (f->leaf1_edx & BIT(1))
		v |= CR4_VME | CR4_PVI;
	if (f->leaf1_edx & BIT(4))
		v |= CR4_TSD;
	if (f->leaf1_edx & BIT(2))
		v |= CR4_DE;
	if (f->leaf1_edx & BIT(3))
		v |= CR4_PSE;
	if (f->leaf1_edx & BIT(6))
		v |= CR4_PAE;
	if (f->leaf1_edx & BIT(7))
		v |= CR4_MCE;
	if (f->leaf1_edx & BIT(13))
		v |= CR4_PGE;
	if (f->leaf1_edx & BIT(24))
		v |= CR4_OSFXSR;
	if (f->leaf1_edx & BIT(25))
		v |= CR4_OSXMMEXCPT;
	if (f->leaf1_ecx & BIT(17))
		v |= CR4_PCIDE;
	if (f->leaf1_ecx & BIT(26))
		v |= CR4_OSXSAVE;
	if (f->leaf7_ebx & BIT(0))
		v |= CR4_FSGSBASE;
	if (f->leaf7_ebx & BIT(7))
		v |= CR4_SMEP;
	if (f->leaf7_ebx & BIT(20))
		v |= CR4_SMAP;
	if (f->leaf7_ecx & BIT(2))
		v |= CR4_UMIP;
	if (f->leaf7_ecx & BIT(3))
		v |= CR4_PKE;
	if (f->leaf7_ecx & BIT(16))
		v |= CR4_LA57;
	return v;
}

u64 guest_efer_valid_bits(const struct guest_cr_features *f)
{
	u64 v = 0;

	/* SVME and LMSLE are not offered: no nested SVM (CPUID hides it). */
	if (f->ext1_edx & BIT(11))
		v |= EFER_SCE;
	if (f->ext1_edx & BIT(29))
		v |= EFER_LME | EFER_LMA;
	if (f->ext1_edx & BIT(20))
		v |= EFER_NXE;
	if (f->ext1_edx & BIT(25))
		v |= EFER_FFXSR;
	if (f->ext1_ecx & BIT(17))
		v |= EFER_TCE;
	return v;
}

void guest_cr_features_of(struct vcpu *v, struct guest_cr_features *f)
{
	struct xen_cpuid_regs r;

	xen_cpuid(v, 1, 0, &r);
	f->leaf1_ecx = r.ecx;
	f->leaf1_edx = r.edx;
	xen_cpuid(v, 7, 0, &r);
	f->leaf7_ebx = r.ebx;
	f->leaf7_ecx = r.ecx;
	xen_cpuid(v, 0x80000001u, 0, &r);
	f->ext1_ecx = r.ecx;
	f->ext1_edx = r.edx;
}

int guest_cr0_write(struct guest_cr_state *s, u64 val, bool *flush)
{
	u64 efer = s->efer;

	if (val >> 32)
		return -EINVAL;			/* bits 63:32 are reserved: #GP */
	val = (val & CR0_DEFINED) | CR0_ET;	/* ET is hardwired to 1 */
	if ((val & (CR0_NW | CR0_CD)) == CR0_NW)
		return -EINVAL;			/* not-write-through without cache disable */
	if ((val & (CR0_PG | CR0_PE)) == CR0_PG)
		return -EINVAL;			/* paging without protection */
	if ((val & CR0_PG) && !(s->cr0 & CR0_PG) && (efer & EFER_LME)) {
		/* Activating long mode needs PAE (SDM vol. 3, 10.8.5). */
		if (!(s->cr4 & CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	}
	if (!(val & CR0_PG) && (s->cr0 & CR0_PG)) {
		/* Leaving paging: never from 64-bit code, never with PCIDE set. */
		if ((efer & EFER_LMA) && s->cs_long)
			return -EINVAL;
		if (s->cr4 & CR4_PCIDE)
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	*flush = ((s->cr0 ^ val) & CR0_FLUSH) != 0;
	s->cr0 = val;
	s->efer = efer;
	return 0;
}

int guest_cr4_write(struct guest_cr_state *s, u64 val, u64 valid, bool *flush)
{
	bool lma = s->efer & EFER_LMA;

	if (val & ~valid)
		return -EINVAL;			/* reserved, or not in the guest's CPUID */
	if (lma && !(val & CR4_PAE))
		return -EINVAL;			/* long mode needs PAE */
	if (lma && ((val ^ s->cr4) & CR4_LA57))
		return -EINVAL;			/* paging depth is fixed in long mode */
	if ((val & CR4_PCIDE) && !(s->cr4 & CR4_PCIDE) && (!lma || (s->cr3 & 0xfff)))
		return -EINVAL;			/* SDM vol. 3, 4.10.1 */
	*flush = ((s->cr4 ^ val) & CR4_FLUSH) != 0;
	s->cr4 = val;
	return 0;
}

int guest_efer_write(struct guest_cr_state *s, u64 val, u64 valid, bool *flush)
{
	if (val & ~valid)
		return -EINVAL;
	if (((val ^ s->efer) & EFER_LME) && (s->cr0 & CR0_PG))
		return -EINVAL;			/* LME changes only with paging off */
	/* LMA is the CPU's to set: a written value is ignored (Xen, KVM). */
	val = (val & ~EFER_LMA) | (s->efer & EFER_LMA);
	*flush = ((s->efer ^ val) & EFER_NXE) != 0;
	s->efer = val;
	return 0;
}
