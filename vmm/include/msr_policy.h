/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest's RDMSR/WRMSR of an intercepted MSR does (vmm/core/msr_policy.c):
 * the local APIC's MSRs, the Xen ABI's, and a short list of harmless ones.
 * 0 if handled; any error means #GP, as for an MSR the CPU does not have.
 */
#ifndef VMM_MSR_POLICY_H
#define VMM_MSR_POLICY_H

#include "domain.h"

int guest_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int guest_wrmsr(struct vcpu *v, u32 msr, u64 val);

/*
 * CPUID faulting, as Xen offers it to every HVM guest whatever the vendor
 * (PLATFORM_INFO bit 31 says it exists, MISC_FEATURES_ENABLES bit 0 turns
 * it on): with it on, CPUID outside ring 0 is #GP instead of an answer.
 */
static inline bool guest_cpuid_faults(const struct vcpu *v, unsigned int cpl)
{
	return v->cpuid_faulting && cpl != 0;
}

#endif
