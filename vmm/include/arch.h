/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vendor interface: what core/ asks of a backend (arch/x86/svm, later
 * arch/x86/vmx). One ops table, chosen at init from what the CPU offers.
 */
#ifndef VMM_ARCH_H
#define VMM_ARCH_H

#include "percpu.h"
#include "domain.h"
#include "vmm.h"

struct vmm_vendor {
	const char *name;
	/* Is this CPU able to run the backend? 0, -ENODEV or -EBUSY. */
	int (*probe)(void);
	/* Global state shared by all CPUs (dom0's nested page table...). */
	int (*init)(void);
	/*
	 * Make this CPU's running OS dom0. Returns only on failure, with the
	 * CPU as it was; on success the OS resumes at frame->rip with 0.
	 */
	int (*cpu_launch)(struct vmm_cpu *c, const struct launch_frame *f, u64 os_rsp);

	/* Dom0 gives [pa, pa + size) away / gets it back (2 MiB aligned). */
	int (*dom0_hide)(u64 pa, u64 size);
	int (*dom0_restore)(u64 pa, u64 size);
	/* Is [pa, pa + size) still dom0's, mapped 1:1 (and not as a grant)? */
	bool (*dom0_owns)(u64 pa, u64 size);
	/* A granted 4 KiB guest page: dom0 sees it 1:1 with @access, or junk (vmm.h). */
	int (*dom0_grant)(u64 pa, enum dom0_access access);
	/* The domain's guest-physical map from its chunk and special lists. */
	int (*domain_init)(struct domain *d);
	int (*domain_map_page)(struct domain *d, u64 gpa, u64 hpa);
	/* The same, read-only for the guest; and nothing at gpa (grant maps, domain_map_grant_page). */
	int (*domain_map_page_ro)(struct domain *d, u64 gpa, u64 hpa);
	int (*domain_unmap_page)(struct domain *d, u64 gpa);
	void (*domain_destroy)(struct domain *d);
	/* vCPU state at the PVH entry point (docs/misc/pvh.pandoc). */
	int (*vcpu_init)(struct vcpu *v, u64 entry, u64 ebx);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Load a start state (a SIPI's or VCPUOP_initialise's, vcpu_start.h); the vCPU is not running. */
	void (*vcpu_set_state)(struct vcpu *v, const struct vcpu_start_state *s);
	/* Switch this CPU from dom0 to @v; the result goes to @run when it comes back. */
	void (*vcpu_enter)(struct vmm_cpu *c, struct vcpu *v, struct xvmm_run *run);
};

extern const struct vmm_vendor svm_vendor;
extern const struct vmm_vendor *vendor;

/* Bumped (dom0_npt_changed) when dom0's nested page table loses or regains
 * pages: every CPU flushes its TLB before it next runs dom0 and records the
 * generation in vmm_cpu.dom0_tlb_gen (XVMM_OP_SYNC forces that). */
extern volatile u64 dom0_npt_generation;

/* Core entry points called by the backends. */
s64 control_call(struct vmm_cpu *c, u64 op, u64 a0, u64 a1, u64 a2, u64 a3);
#define CONTROL_UNLOAD	(1ll << 40)	/* control_call(): leave this CPU, return 0 */

#endif
