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

#endif
