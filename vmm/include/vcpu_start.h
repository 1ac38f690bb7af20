/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's power state and its INIT/SIPI/NMI inbox (vmm/core/vcpu_start.c).
 *
 * vCPU 0 starts running at the PVH entry; the others start down, as Xen's
 * HVM vCPUs do, and come up the way Linux brings a CPU up natively: INIT,
 * then a STARTUP IPI whose vector gives the real-mode start page (SDM
 * vol. 3, 9.4.4 and 11.6.1), or with VCPUOP_initialise + VCPUOP_up. Another
 * vCPU only ever posts to a vCPU's inbox; the vCPU applies it itself, on
 * its own dom0 thread, before it is entered, so no one else touches its
 * VMCB. Posting asks dom0 to kick the target (domain_kick_vcpu).
 */
#ifndef VMM_VCPU_START_H
#define VMM_VCPU_START_H

#include "types.h"

struct vcpu;

enum vcpu_power {
	VCPU_DOWN = 0,		/* not started, or VCPUOP_down: never entered */
	VCPU_WAIT_SIPI,		/* after INIT: waits for a STARTUP IPI */
	VCPU_UP,		/* runnable */
};

#define VCPU_POST_INIT		BIT(0)
#define VCPU_POST_SIPI		BIT(1)	/* vector in sipi_vector */
#define VCPU_POST_NMI		BIT(2)
#define VCPU_POST_UP		BIT(3)	/* VCPUOP_up: runs again if it was ever started */
#define VCPU_POST_DOWN		BIT(4)	/* VCPUOP_down */
#define VCPU_POST_STATE		BIT(5)	/* VCPUOP_initialise: load start_state */

/*
 * A vCPU's architectural state to start from: a STARTUP IPI's, or what
 * VCPUOP_initialise gave (vmm/xen/vcpu_context.c). Segment attributes in
 * the VMCB's 12-bit form (type, S, DPL, P, AVL, L, D/B, G), which is also
 * Xen's vcpu_hvm_context format. FS and GS get DS's; LDTR is null; GDTR
 * and IDTR are base 0, limit 0xffff. The vendor loads it all, resets the
 * FPU, the debug registers and any event in flight.
 */
struct vcpu_seg {
	u16 sel, attr;
	u32 limit;
	u64 base;
};

struct vcpu_start_state {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	u64 cr0, cr3, cr4, efer;	/* EFER as the guest sees it (LMA with LME) */
	struct vcpu_seg cs, ds, ss, es, tr;
};

/* The state after INIT and a SIPI with @vector (SDM vol. 3, 9.1.1, 9.4.4.1). */
void vcpu_sipi_state(struct vcpu_start_state *s, u8 vector, u32 cpuid1_eax);

/* At creation: vCPU 0 up, every other one down. */
void vcpu_start_init(struct vcpu *v);
/* Another vCPU's (or the same one's) IPI of that kind; each kicks @target. */
void vcpu_post_init(struct vcpu *target);
void vcpu_post_sipi(struct vcpu *target, u8 vector);
void vcpu_post_nmi(struct vcpu *target);
void vcpu_post_power(struct vcpu *target, bool up);
/* VCPUOP_down of the calling vCPU itself, on its own thread. */
void vcpu_set_down(struct vcpu *v);
/* VCPUOP_initialise: @s (checked by the caller) becomes @target's state. */
void vcpu_post_state(struct vcpu *target, const struct vcpu_start_state *s);

/*
 * What the vCPU does with its inbox, on its own thread before an entry:
 * INIT makes it wait for a SIPI (vlapic reset), a SIPI while waiting
 * starts it in real mode at vector << 12, a posted state is loaded, an NMI
 * sets nmi_pending for the vendor to inject. set_state is the vendor's
 * (vmm_vendor.vcpu_set_state). Returns true if the vCPU may be entered now
 * (it is up), false if it stays out (down or waiting for a SIPI).
 */
bool vcpu_start_apply(struct vcpu *v,
		      void (*set_state)(struct vcpu *v, const struct vcpu_start_state *s));

bool vcpu_is_up(const struct vcpu *v);

#endif
