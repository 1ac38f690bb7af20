/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal local APIC for guests (Intel SDM vol. 3, chapter 11; AMD APM
 * vol. 2, chapter 16): the registers Linux touches with one vCPU,
 * self-IPIs, EOI. One register model with two front ends: the x2APIC MSRs
 * (0x800 + offset / 16) and the xAPIC page (MMIO at the APIC base, emulated
 * by vmm/core/mmio.c). No timer (guests tick with the Xen timer).
 * Vendor-neutral; the backend injects what vlapic_pending() says.
 */
#ifndef VMM_VLAPIC_H
#define VMM_VLAPIC_H

#include "types.h"

struct vcpu;

struct vlapic {
	u64 apic_base;			/* IA32_APIC_BASE: base, EN, EXTD, BSP */
	u32 tpr, svr, ldr, dfr, esr, tdcr, tmict;
	u32 esr_pending;		/* errors since the last ESR write (SDM 11.5.3) */
	u32 icr_lo, icr_hi;		/* xAPIC ICR at 0x300 / 0x310; x2APIC MSR 0x830 is both */
	u32 lvt[7];			/* CMCI, timer, thermal, perf, LINT0, LINT1, error */
	u64 irr[4], isr[4];		/* 256-bit request / in-service */
	bool odd_access_logged;		/* one log line for sub-register MMIO accesses */
};

void vlapic_init(struct vcpu *v);
/* INIT: power-up state but for the ID and IA32_APIC_BASE's mode. */
void vlapic_init_reset(struct vcpu *v);
/* 0 if handled, -ENOENT if not an APIC MSR, -EINVAL for a bad access (#GP). */
int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val);
/* Highest requested vector that may be delivered now (above ISR and TPR), or 0. */
u8 vlapic_pending(struct vcpu *v);
/* The guest took @vector: it moves from IRR to ISR. */
void vlapic_accept(struct vcpu *v, u8 vector);
void vlapic_set_irq(struct vcpu *v, u8 vector);

/*
 * The xAPIC page. vlapic_mmio_covers: is @gpa in the page the APIC
 * decodes now (enabled in xAPIC mode, the page IA32_APIC_BASE names)?
 * Accesses of @size bytes (1, 2, 4 or 8) at @gpa within that page; only
 * 32-bit accesses to a register's first dword mean anything (SDM 11.4.1),
 * the rest read 0 and are dropped.
 */
bool vlapic_mmio_covers(struct vcpu *v, u64 gpa);
u64 vlapic_mmio_read(struct vcpu *v, u64 gpa, unsigned int size);
void vlapic_mmio_write(struct vcpu *v, u64 gpa, unsigned int size, u64 val);

#endif
