/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal local APIC for guests, x2APIC mode only (Intel SDM vol. 3,
 * 11.12; AMD APM vol. 2, 16.11): the registers Linux touches with one
 * vCPU, self-IPIs, EOI. No xAPIC MMIO, no timer (guests tick with the Xen
 * timer). Vendor-neutral; the backend injects what vlapic_pending() says.
 */
#ifndef VMM_VLAPIC_H
#define VMM_VLAPIC_H

#include "types.h"

struct vcpu;

struct vlapic {
	u64 apic_base;
	u32 tpr, svr, ldr, esr, tdcr, tmict;
	u32 lvt[7];			/* CMCI, timer, thermal, perf, LINT0, LINT1, error */
	u64 irr[4], isr[4];		/* 256-bit request / in-service */
};

void vlapic_init(struct vcpu *v);
/* 0 if handled, -ENOENT if not an APIC MSR, -EINVAL for a bad access (#GP). */
int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val);
/* Highest requested vector that may be delivered now (above ISR and TPR), or 0. */
u8 vlapic_pending(struct vcpu *v);
/* The guest took @vector: it moves from IRR to ISR. */
void vlapic_accept(struct vcpu *v, u8 vector);
void vlapic_set_irq(struct vcpu *v, u8 vector);

#endif
