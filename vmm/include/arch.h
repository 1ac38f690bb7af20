/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vendor interface: what core/ asks of a backend (arch/x86/svm, later
 * arch/x86/vmx). One ops table, chosen at init from what the CPU offers.
 */
#ifndef VMM_ARCH_H
#define VMM_ARCH_H

#include "percpu.h"

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
};

extern const struct vmm_vendor svm_vendor;

/* Core entry points called by the backends. */
s64 control_call(struct vmm_cpu *c, u64 op, u64 a0, u64 a1, u64 a2, u64 a3);
#define CONTROL_UNLOAD	(1ll << 40)	/* control_call(): leave this CPU, return 0 */

#endif
