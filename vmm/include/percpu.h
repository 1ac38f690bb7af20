/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU state of the VMM, vendor-neutral part. */
#ifndef VMM_PERCPU_H
#define VMM_PERCPU_H

#include "types.h"
#include <xvmm/control.h>

#define VMM_STACK_PAGES	4

struct vmm_cpu {
	unsigned int index;		/* the driver's CPU index */
	bool launched;
	u64 exits;
	u64 stack_top;			/* VA; the stack grows down from here */
	u64 df_stack_top;		/* IST stack for #DF and NMI */
	void *arch;			/* vendor state (struct svm_cpu) */
	/* dom0_npt_generation this CPU last flushed its TLB for (at its next
	 * dom0 entry); read by other CPUs (dom0_npt_flushed). */
	volatile u64 dom0_tlb_gen;
};

extern struct vmm_cpu vmm_cpus[XVMM_MAX_CPUS];

/* What the launch stub saved from dom0's call (see arch/x86/entry.S). */
struct launch_frame {
	u64 r15, r14, r13, r12, rbx, rbp;
	u64 rip;			/* return address into the driver */
};

#endif
