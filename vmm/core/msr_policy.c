// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest MSR policy. Every MSR not switched by the backend is intercepted;
 * here it is answered. Nothing here reaches a host MSR for writing: a
 * guest's view of MTRRs, speculation controls or model-specific knobs is
 * its own, and usually empty. An MSR nobody answers raises #GP, as on a
 * CPU without it, which Linux probes for with rdmsr_safe.
 */
#include "cpu.h"
#include "errno.h"
#include "msr_policy.h"
#include "vlapic.h"
#include "xen_abi.h"

#define MSR_TSC			0x10
#define MSR_PLATFORM_ID		0x17
#define MSR_SPEC_CTRL		0x48
#define MSR_PRED_CMD		0x49
#define MSR_PATCH_LEVEL		0x8b
#define MSR_PLATFORM_INFO	0xce
#define MSR_MTRRCAP		0xfe
#define MSR_MCG_CAP		0x179
#define MSR_MCG_STATUS		0x17a
#define MSR_MISC_ENABLE		0x1a0
#define MSR_MTRR_FIRST		0x200
#define MSR_MTRR_LAST		0x2ff
#define MSR_MISC_FEATURES_ENABLES 0x140
#define MSR_MC0_CTL		0x400
#define MSR_MC_LAST		0x47f
#define MSR_TSC_AUX		0xc0000103
#define MSR_AMD_PERF_FIRST	0xc0010000	/* PERF_CTL0-3, PERF_CTR0-3 */
#define MSR_AMD_PERF_LAST	0xc0010007
#define MSR_AMD_SYSCFG		0xc0010010
#define MSR_AMD_HWCR		0xc0010015
#define MSR_AMD_NB_CFG		0xc001001f
#define MSR_AMD_PATCH_LOADER	0xc0010020
#define MSR_AMD_OSVW_LEN	0xc0010140
#define MSR_AMD_OSVW_STATUS	0xc0010141
#define MSR_AMD_LS_CFG		0xc0011020
#define MSR_AMD_DE_CFG		0xc0011029
#define MSR_AMD_BU_CFG2		0xc001102a
#define MSR_AMD_CORE_PERF_FIRST	0xc0010200
#define MSR_AMD_CORE_PERF_LAST	0xc001020b

/* CPUID faulting as Xen's HVM guests have it (msr_policy.h); PLATFORM_INFO is read-only. */
#define PLATFORM_INFO_CPUID_FAULTING	BIT(31)
#define MISC_CPUID_FAULTING		BIT(0)

/* Reads that return 0 and writes that are dropped: no MTRRs, no MCE banks, no PMU. */
static bool reads_as_zero(u32 msr)
{
	return msr == MSR_PLATFORM_ID || msr == MSR_SPEC_CTRL || msr == MSR_PATCH_LEVEL ||
	       msr == MSR_MTRRCAP || msr == MSR_MCG_CAP || msr == MSR_MCG_STATUS ||
	       msr == MSR_MISC_ENABLE || msr == MSR_TSC_AUX ||
	       (msr >= MSR_MTRR_FIRST && msr <= MSR_MTRR_LAST) ||
	       (msr >= MSR_MC0_CTL && msr <= MSR_MC_LAST) ||
	       (msr >= MSR_AMD_PERF_FIRST && msr <= MSR_AMD_PERF_LAST) ||
	       (msr >= MSR_AMD_CORE_PERF_FIRST && msr <= MSR_AMD_CORE_PERF_LAST) ||
	       msr == MSR_AMD_SYSCFG || msr == MSR_AMD_NB_CFG || msr == MSR_AMD_OSVW_LEN ||
	       msr == MSR_AMD_OSVW_STATUS || msr == MSR_AMD_LS_CFG || msr == MSR_AMD_BU_CFG2;
}

int guest_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	int err = vlapic_rdmsr(v, msr, val);

	if (err != -ENOENT)
		return err;
	if (!xen_rdmsr(v, msr, val))
		return 0;
	switch (msr) {
	case MSR_TSC: {
		u32 lo, hi;

		__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
		*val = ((u64)hi << 32) | lo;	/* guests run with TSC offset 0 */
		return 0;
	}
	case MSR_AMD_HWCR:
		*val = BIT(24);			/* TscFreqSel: the TSC runs at P0 frequency */
		return 0;
	case MSR_PLATFORM_INFO:
		*val = PLATFORM_INFO_CPUID_FAULTING;
		return 0;
	case MSR_MISC_FEATURES_ENABLES:
		*val = v->cpuid_faulting ? MISC_CPUID_FAULTING : 0;
		return 0;
	case MSR_AMD_DE_CFG:
		*val = BIT(1);			/* LFENCE is dispatch serializing */
		return 0;
	}
	if (reads_as_zero(msr)) {
		*val = 0;
		return 0;
	}
	return -EINVAL;
}

int guest_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	int err = vlapic_wrmsr(v, msr, val);

	if (err != -ENOENT)
		return err;
	if (!xen_wrmsr(v, msr, val))
		return 0;
	if (msr == MSR_MISC_FEATURES_ENABLES) {
		if (val & ~MISC_CPUID_FAULTING)
			return -EINVAL;
		v->cpuid_faulting = val & MISC_CPUID_FAULTING;
		return 0;
	}
	/* PRED_CMD (IBPB) and the knobs above: accepted, no effect on the host. */
	if (msr == MSR_PRED_CMD || msr == MSR_AMD_HWCR || msr == MSR_AMD_DE_CFG ||
	    msr == MSR_AMD_PATCH_LOADER || reads_as_zero(msr))
		return 0;
	return -EINVAL;
}
