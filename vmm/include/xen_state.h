/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-vCPU and per-domain state of the Xen ABI (vmm/xen/): event
 * channels, timers, vcpu_info, pvclock and runstate areas, grant frames.
 * Only vmm/xen/ looks inside; core and backends treat these as opaque.
 */
#ifndef VMM_XEN_STATE_H
#define VMM_XEN_STATE_H

#include "spinlock.h"
#include "types.h"

/* Event channel ports 0..63 (port 0 is reserved, as in Xen): one word of evtchn_pending. */
#define XEN_NR_PORTS		64
#define XEN_NR_VIRQS		24	/* Xen's NR_VIRQS */
#define XEN_GNTTAB_MAX_FRAMES	32	/* libxl's default max_grant_frames */
#define XEN_GNT_MAX_MAPS	64	/* dom0 maps of one domain's grants at a time */

enum xen_port_state {
	XEN_PORT_FREE,
	XEN_PORT_RESERVED,	/* port 0 */
	XEN_PORT_UNBOUND,	/* remote_dom may bind */
	XEN_PORT_INTERDOMAIN,	/* to dom0 (remote_dom 0) or a loopback to this domain */
	XEN_PORT_VIRQ,
	XEN_PORT_IPI,
};

struct xen_port {
	u8 state;		/* enum xen_port_state */
	u8 vcpu;		/* the vCPU it notifies */
	u16 remote_dom;		/* unbound, interdomain */
	u16 remote_port;	/* interdomain (dom0: same number as the local port) */
	u8 virq;		/* virq */
	u8 pad;
};

/* A guest area named by linear address, translated once at registration. */
struct xen_guest_area {
	u64 gpa;		/* ~0: none */
	u64 gpa2;		/* guest-physical page of the part that crosses a page end */
};

struct xen_vcpu_state {
	u64 timer_deadline;		/* Xen system time ns, 0: no single-shot timer */
	u64 periodic_period;		/* ns, 0: no periodic timer */
	u64 periodic_next;		/* system time of its next tick */
	u64 vcpu_info_gpa;		/* ~0: its slot in shared_info (VCPUOP_register_vcpu_info) */
	struct xen_guest_area time_area;	/* VCPUOP_register_vcpu_time_memory_area */
	struct xen_guest_area runstate_area;	/* VCPUOP_register_runstate_memory_area */
	u64 runstate_entry;		/* system time the vCPU started running */
	u32 pvclock_version;		/* our copy of vcpu_time_info.version */
	u8 virq_port[XEN_NR_VIRQS];	/* bound port, 0: none */
	u8 upcall_vector;		/* HVMOP_set_evtchn_upcall_vector, 0: none */
	u8 upcall_edge;			/* per-vCPU vector: raised, not yet taken */
	bool pvclock_dirty;		/* rewrite the pvclock data at the next entry */
	/* SCHEDOP_poll (sched.c): Xen's poll_mask bit, poll_evtchn and poll_timer. */
	bool polling;			/* blocked in SCHEDOP_poll */
	bool poll_woken;		/* a polled port became pending, or an upcall was raised */
	s16 poll_port;			/* the one port polled; -1: several, any event wakes */
	u64 poll_deadline;		/* system time ns the poll ends, 0: no timeout */
};

/*
 * One dom0 map of one of the domain's grants (vmm/xen/grant_dom0.c). Xen
 * keeps maptrack entries with the mapping domain; dom0 is not a struct
 * domain here, so the granting domain keeps them. A map pins its grant:
 * the entry's GTF_reading (and GTF_writing unless read-only) stay set
 * until the map is freed, which is only once no CPU can still reach the
 * page through a stale translation.
 */
enum xen_gnt_map_state {
	XEN_GNT_FREE,
	XEN_GNT_MAPPED,		/* dom0 reaches the page at pa */
	XEN_GNT_UNMAPPING,	/* off dom0's table; some CPU may still hold it in its TLB */
};

struct xen_gnt_map {
	u8 state;		/* enum xen_gnt_map_state */
	bool readonly;
	bool revoked;		/* dom0 wrote to it while read-only: junk from then on */
	u32 ref;
	u32 gfn;		/* the frame the grant named when first pinned */
	u64 pa;			/* its host physical address: where dom0 sees it */
	u64 flush_gen;		/* freed once every CPU has flushed for this dom0_npt_generation */
};

struct xen_domain_state {
	spinlock_t lock;		/* port table, grant frames and maps: guest hypercalls vs dom0 calls */
	bool initialised;		/* xen_domain_init ran */
	bool runstate_update_flag;	/* VMASST_TYPE_runstate_update_flag */
	u8 gnttab_nr_frames;		/* grant frames that exist (Xen starts with 1) */
	struct xen_port port[XEN_NR_PORTS];
	u64 created_ns;			/* system time at xen_domain_init */
	s64 balloon_pages;		/* frames given back now (current_reservation) */
	u64 *balloon_map;		/* one bit per RAM frame, set while given back; NULL: none yet */
	u64 balloon_map_pa;
	unsigned int balloon_map_pages;
	u64 gnttab_gfn[XEN_GNTTAB_MAX_FRAMES];	/* where frame i is, ~0: not mapped */
	bool gnt_dead;			/* destroyed: no grant op may start (under lock) */
	struct xen_gnt_map gnt_map[XEN_GNT_MAX_MAPS];	/* under lock */
};

#endif
