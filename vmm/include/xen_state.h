/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-vCPU and per-domain state of the Xen ABI (vmm/xen/): event
 * channels, timers, vcpu_info and runstate areas. Only vmm/xen/ looks
 * inside; core and backends treat these as opaque.
 */
#ifndef VMM_XEN_STATE_H
#define VMM_XEN_STATE_H

#include "types.h"

struct xen_vcpu_state {
	u64 timer_deadline;		/* Xen system time ns, 0: no single-shot timer */
};

struct xen_domain_state {
	u32 reserved;
};

#endif
