// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID as a guest sees it: the Xen leaves, and the host's leaves filtered.
 *
 * Xen leaves follow Xen's xen/arch/x86/cpuid.c (cpuid_hypervisor_leaves)
 * and xen/include/public/arch-x86/cpuid.h (include/xen/cpuid.h). The native
 * filter keeps the host's answer minus what the VMM does not virtualise,
 * in the spirit of Xen's HVM policy (xen/arch/x86/cpu-policy.c and the
 * "legacy topology" of tools/libs/guest/xg_cpuid_x86.c: APIC id = 2 x vCPU
 * id with no SMT). Leaves out of the host's range read as zero (the AMD
 * model, as Xen does).
 */
#include "cpu.h"
#include "lib.h"
#include "xen_internal.h"
#include <xen/cpuid.h>

#define XVMM_XEN_VERSION	((4u << 16) | 17u)	/* as XENVER_version */

enum { EAX, EBX, ECX, EDX };
#define ANY_SUBLEAF	0xffffffffu

/* Bits the guest must not see (or must), by leaf and register. */
static const struct cpuid_mask {
	u32 leaf, subleaf;
	u8 reg;
	u32 clear, set;
} cpuid_masks[] = {
	/*
	 * DTES64, MONITOR, DS-CPL, VMX, SMX, EIST, TM2, PDCM; XSAVE and OSXSAVE
	 * (XSETBV is refused: the guest runs under dom0's XCR0) and what Xen's
	 * feature dependencies (xen/tools/gen-cpuid.py) remove with XSAVE: AVX,
	 * then FMA and F16C. Set: x2APIC (vCPUs start in xAPIC mode and may
	 * switch, vmm/core/vlapic.c) and HYPERVISOR.
	 */
	{ 0x1, ANY_SUBLEAF, ECX,
	  BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(12) | BIT(15) |
	  BIT(26) | BIT(27) | BIT(28) | BIT(29),
	  BIT(21) | BIT(31) },
	/* DS, TM1, PBE (debug store, thermal); HTT for the 2n APIC ids */
	{ 0x1, ANY_SUBLEAF, EDX, BIT(21) | BIT(29) | BIT(31), BIT(28) },
	/*
	 * Without XSAVE (as Xen's dependencies say): AVX2, MPX and every
	 * AVX-512 feature (F, DQ, IFMA, PF, ER, CD, BW, VL) ...
	 */
	{ 0x7, 0, EBX,
	  BIT(5) | BIT(14) | BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) |
	  BIT(30) | BIT(31), 0 },
	/* ... AVX512_VBMI, PKU, OSPKE, VBMI2, VAES, VPCLMULQDQ, VNNI, BITALG,
	 * VPOPCNTDQ; and WAITPKG (UMONITOR/UMWAIT) ... */
	{ 0x7, 0, ECX,
	  BIT(1) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(9) | BIT(10) | BIT(11) | BIT(12) |
	  BIT(14), 0 },
	/* ... AVX512_4VNNIW, 4FMAPS, VP2INTERSECT, AMX_BF16, AVX512_FP16, AMX_TILE, AMX_INT8 ... */
	{ 0x7, 0, EDX, BIT(2) | BIT(3) | BIT(8) | BIT(22) | BIT(23) | BIT(24) | BIT(25), 0 },
	/* ... AVX_VNNI, AVX512_BF16. */
	{ 0x7, 1, EAX, BIT(4) | BIT(5), 0 },
	/*
	 * CMP_LEGACY, SVM, IBS, XOP and FMA4 (AVX), SKINIT, WDT, LWP (XSAVE),
	 * TOPOEXT, PERFCTR_CORE, MONITORX
	 */
	{ 0x80000001, ANY_SUBLEAF, ECX,
	  BIT(1) | BIT(2) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(15) | BIT(16) |
	  BIT(22) | BIT(23) | BIT(29), 0 },
	/* Power management and RAS: keep only the invariant TSC bit. */
	{ 0x80000007, ANY_SUBLEAF, EAX, 0xffffffffu, 0 },
	{ 0x80000007, ANY_SUBLEAF, EBX, 0xffffffffu, 0 },
	{ 0x80000007, ANY_SUBLEAF, ECX, 0xffffffffu, 0 },
	{ 0x80000007, ANY_SUBLEAF, EDX, ~(u32)BIT(8), 0 },
};

/* Whole leaves that describe hardware the guest does not get. */
static const u32 cpuid_zeroed[] = {
	0x5,		/* MONITOR/MWAIT */
	0x6,		/* thermal and power management */
	0xd,		/* XSAVE state components: XSAVE is hidden */
	0xa,		/* architectural perfmon */
	0xb,		/* x2APIC topology: not consistent with 2n APIC ids */
	0x1f,		/* V2 extended topology */
	0x8000000a,	/* SVM */
	0x8000001e,	/* AMD topology (TOPOEXT hidden) */
	0x8000001f,	/* SME/SEV */
	0x80000026,	/* AMD extended topology */
};

static void set_regs(struct xen_cpuid_regs *r, u32 a, u32 b, u32 c, u32 d)
{
	r->eax = a;
	r->ebx = b;
	r->ecx = c;
	r->edx = d;
}

/* 0x40000000 + idx. */
static void xen_leaves(const struct vcpu *v, u32 idx, u32 subleaf, struct xen_cpuid_regs *r)
{
	set_regs(r, 0, 0, 0, 0);
	switch (idx) {
	case 0:
		set_regs(r, XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES), XEN_CPUID_SIGNATURE_EBX,
			 XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX);
		break;
	case 1:
		r->eax = XVMM_XEN_VERSION;
		break;
	case 2:
		r->eax = 1;			/* one hypercall page */
		r->ebx = XEN_HYPERCALL_MSR;
		break;
	case 3:			/* time: TSC not emulated, no offset or scale given */
		break;
	case 4:
		if (subleaf != 0)
			break;
		/* X2APIC_VIRT: Linux keeps x2APIC mode without interrupt remapping. */
		r->eax = XEN_HVM_CPUID_X2APIC_VIRT | XEN_HVM_CPUID_VCPU_ID_PRESENT |
			 XEN_HVM_CPUID_DOMID_PRESENT;
		r->ebx = v->id;
		r->ecx = v->domain->id;
		break;
	case 5:			/* PV only */
	default:		/* past the last leaf */
		break;
	}
}

static bool leaf_in_host_range(const struct xen_host_cpuid *host, u32 leaf)
{
	if (leaf < 0x40000000u)
		return leaf <= host->max_basic;
	if (leaf >= 0x80000000u && leaf <= 0x8000ffffu)
		return leaf <= host->max_ext;
	return false;		/* other ranges (0xc0000000 ...) are not passed on */
}

static void apply_masks(u32 leaf, u32 subleaf, struct xen_cpuid_regs *r)
{
	u32 *reg[4] = { &r->eax, &r->ebx, &r->ecx, &r->edx };

	for (unsigned int i = 0; i < ARRAY_SIZE(cpuid_zeroed); i++)
		if (leaf == cpuid_zeroed[i])
			set_regs(r, 0, 0, 0, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(cpuid_masks); i++) {
		const struct cpuid_mask *m = &cpuid_masks[i];

		if (m->leaf != leaf || (m->subleaf != ANY_SUBLEAF && m->subleaf != subleaf))
			continue;
		*reg[m->reg] = (*reg[m->reg] & ~m->clear) | m->set;
	}
}

/*
 * APIC id = 2 x vCPU id, no SMT (what the toolstack's MADT says): leaf 1
 * EBX[31:24] is the id, EBX[23:16] (logical processors per package) is
 * doubled to cover it; Intel's leaf 4 and AMD's 0x80000008 core counts
 * follow, as in Xen's legacy HVM topology.
 */
static void topology(const struct vcpu *v, const struct xen_host_cpuid *host,
		     u32 leaf, struct xen_cpuid_regs *r)
{
	if (leaf == 0x1) {
		u32 lppp = (r->ebx >> 16) & 0xff;

		if (lppp == 0)
			lppp = 2;
		else if (!(lppp & 0x80))
			lppp *= 2;
		r->ebx = (r->ebx & 0xffffu) | (lppp << 16) | ((v->id * 2u) << 24);
	} else if (leaf == 0x4 && host->vendor == XEN_CPU_INTEL && (r->eax & 0x1f)) {
		u32 cores = (r->eax >> 26) & 0x3f;

		/* cores per package (minus one) doubled; threads per cache 0 */
		r->eax = (r->eax & 0x3fffu) | ((((cores << 1) | 1) & 0x3f) << 26);
	} else if (leaf == 0x80000008 && host->vendor == XEN_CPU_AMD) {
		u32 nc = r->ecx & 0xff;
		u32 id_size = (r->ecx >> 12) & 0xf;

		if (nc < 0x7f) {
			if (id_size != 0 && id_size < 7)
				id_size++;
			nc = (nc << 1) | 1;
		}
		r->ecx = (r->ecx & ~0xf0ffu) | (id_size << 12) | nc;
	}
}

void xen_cpuid_filter(const struct vcpu *v, const struct xen_host_cpuid *host,
		      u32 leaf, u32 subleaf, struct xen_cpuid_regs *r)
{
	if (leaf >= 0x40000000u && leaf <= 0x4fffffffu) {
		/* Ours alone: a hypervisor under the VMM never shows through. */
		xen_leaves(v, leaf - XEN_CPUID_FIRST_LEAF, subleaf, r);
		return;
	}
	if (!leaf_in_host_range(host, leaf)) {
		set_regs(r, 0, 0, 0, 0);
		return;
	}
	apply_masks(leaf, subleaf, r);
	topology(v, host, leaf, r);
}

static struct xen_host_cpuid host_cpuid;
static bool host_cpuid_known;

static const struct xen_host_cpuid *host_info(void)
{
	struct cpuid_regs r;

	if (READ_ONCE(host_cpuid_known))
		return &host_cpuid;
	cpuid_count(0, 0, &r);
	host_cpuid.max_basic = r.eax;
	if (r.ebx == 0x68747541u || r.ebx == 0x6f677948u)	/* "Auth"(enticAMD), "Hygo"(nGenuine) */
		host_cpuid.vendor = XEN_CPU_AMD;
	else if (r.ebx == 0x756e6547u)				/* "Genu"(ineIntel) */
		host_cpuid.vendor = XEN_CPU_INTEL;
	else
		host_cpuid.vendor = XEN_CPU_OTHER;
	cpuid_count(0x80000000u, 0, &r);
	host_cpuid.max_ext = r.eax;
	/* Every CPU computes the same values: a race only repeats the work. */
	WRITE_ONCE(host_cpuid_known, true);
	return &host_cpuid;
}

void xen_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct xen_cpuid_regs *r)
{
	const struct xen_host_cpuid *host = host_info();
	struct cpuid_regs n = { 0, 0, 0, 0 };

	if (leaf_in_host_range(host, leaf))
		cpuid_count(leaf, subleaf, &n);
	set_regs(r, n.eax, n.ebx, n.ecx, n.edx);
	xen_cpuid_filter(v, host, leaf, subleaf, r);
}
