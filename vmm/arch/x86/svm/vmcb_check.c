// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMRUN consistency checks (AMD APM vol. 2, 15.5.1, "Canonicalization
 * and Consistency Checks") on a guest's VMCB, in one place, before every
 * VMRUN of a guest. A guest's own writes to what they cover are
 * intercepted and refused with #GP (guest_cr.c, the MSR exits), so a
 * failure here is a gap in the VMM, not the guest's doing: the guest is
 * crashed with the check's name, and VMRUN never fails on it.
 */
#include "cpu.h"
#include "cr_policy.h"
#include "svm.h"

static u64 cr4_mbz, efer_mbz, cr3_mbz_long;

void svm_vmcb_check_init(void)
{
	struct guest_cr_features host;
	struct cpuid_regs r;
	unsigned int phys_bits = 36;

	/* What this CPU supports, in the form the guest policy reads. */
	cpuid_count(1, 0, &r);
	host.leaf1_ecx = r.ecx;
	host.leaf1_edx = r.edx;
	cpuid_count(0, 0, &r);
	if (r.eax >= 7) {
		cpuid_count(7, 0, &r);
		host.leaf7_ebx = r.ebx;
		host.leaf7_ecx = r.ecx;
	} else {
		host.leaf7_ebx = host.leaf7_ecx = 0;
	}
	cpuid_count(0x80000000u, 0, &r);
	if (r.eax >= 0x80000008u) {
		cpuid_count(0x80000008u, 0, &r);
		phys_bits = r.eax & 0xff;
	}
	cpuid_count(0x80000001u, 0, &r);
	host.ext1_ecx = r.ecx;
	host.ext1_edx = r.edx;
	cr4_mbz = ~guest_cr4_valid_bits(&host);
	efer_mbz = ~(guest_efer_valid_bits(&host) | EFER_SVME);
	cr3_mbz_long = ~0ull << phys_bits;
}

/* EVENTINJ (APM 15.20): types 1, 5, 6, 7 are reserved; an exception is a vector 0-31, not NMI's. */
static bool event_inj_legal(u64 ev)
{
	unsigned int type = (ev >> 8) & 7, vec = ev & 0xff;

	if (!(ev & EVENTINJ_VALID))
		return true;
	if (type == 1 || type >= 5)
		return false;
	return type != 3 || (vec < 32 && vec != 2);
}

const char *svm_vmcb_invalid(const struct vmcb *v)
{
	const struct vmcb_save *s = &v->save;
	bool long_paging = (s->efer & EFER_LME) && (s->cr0 & CR0_PG);

	if (!(s->efer & EFER_SVME))
		return "EFER.SVME clear";
	if ((s->cr0 & (CR0_CD | CR0_NW)) == CR0_NW)
		return "CR0.NW without CR0.CD";
	if (s->cr0 >> 32)
		return "CR0 bits 63:32 set";
	if (s->cr4 & cr4_mbz)
		return "CR4 reserved bit set";
	if ((s->efer & EFER_LMA) && (s->cr3 & cr3_mbz_long))
		return "CR3 beyond the physical address width";
	if ((s->dr6 >> 32) || (s->dr7 >> 32))
		return "DR6/DR7 bits 63:32 set";
	if (s->efer & efer_mbz)
		return "EFER reserved bit set";
	if (long_paging && !(s->cr4 & CR4_PAE))
		return "long mode without CR4.PAE";
	if (long_paging && !(s->cr0 & CR0_PE))
		return "long mode without CR0.PE";
	if (long_paging && (s->cr4 & CR4_PAE) && (s->cs.attrib & BIT(9)) && (s->cs.attrib & BIT(10)))
		return "CS.L and CS.D both set in long mode";
	if (!(v->control.intercept_misc2 & INTERCEPT_VMRUN))
		return "VMRUN not intercepted";
	if (v->control.asid == 0)
		return "ASID 0";
	if (!event_inj_legal(v->control.event_inj))
		return "illegal event injection";
	return NULL;
}
