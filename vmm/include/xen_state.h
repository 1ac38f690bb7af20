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

/*
 * Event channel ports (port 0 is reserved, as in Xen). 2-level: Xen's
 * EVTCHN_2L_NR_CHANNELS, BITS_PER_EVTCHN_WORD squared: 4096 for a 64-bit
 * guest, 1024 for a 32-bit one. FIFO: EVTCHN_FIFO_NR_CHANNELS (2^17).
 * The domain's max_event_channels (xl.cfg; Xen's default 1023) is the
 * highest port it may have. Ports live in buckets of one page from the
 * VMM page pool, allocated as the lowest free port reaches them (Xen's
 * evtchn_allocate_port); a one-page directory points at the buckets.
 */
#define XEN_EVTCHN_2L_PORTS		4096
#define XEN_EVTCHN_2L_PORTS_COMPAT	1024
#define XEN_EVTCHN_FIFO_PORTS		131072
#define XEN_EVTCHN_DEFAULT_MAX_PORT	1023
#define XEN_EVTCHN_MAX_PORT		(XEN_EVTCHN_FIFO_PORTS - 1)
#define XEN_NR_VIRQS		24	/* Xen's NR_VIRQS */
#define XEN_FIFO_QUEUES		16	/* EVTCHN_FIFO_MAX_QUEUES */
#define XEN_FIFO_ARRAY_PAGES	(XEN_EVTCHN_FIFO_PORTS / 1024)	/* 1024 event words a page */
/*
 * Grant table sizes per domain (xl.cfg max_grant_frames and
 * max_maptrack_frames, XVMM_OP_DOM_CREATE): Xen's defaults, and the
 * ceilings Xen's gnttab_max_frames / gnttab_max_maptrack_frames boot
 * options would set. A maptrack frame holds XEN_GNT_MAPS_PER_FRAME maps.
 */
#define XEN_GNTTAB_DEFAULT_FRAMES	64
#define XEN_GNTTAB_MAX_FRAMES		256
#define XEN_MAPTRACK_DEFAULT_FRAMES	1024
#define XEN_MAPTRACK_MAX_FRAMES		1024
#define XEN_GNT_NONE			0xffffffffu	/* end of a map list */

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
	u8 virq;		/* virq */
	u8 priority;		/* FIFO: the queue its next link goes to (EVTCHNOP_set_priority) */
	u16 remote_dom;		/* unbound, interdomain */
	u8 last_vcpu;		/* FIFO: the queue it was last linked on (Xen's fifo_lastq) */
	u8 last_priority;
	u32 remote_port;	/* interdomain (dom0: same number as the local port) */
	bool fifo_pending;	/* FIFO: raised while its event word did not exist (Xen's evtchn->pending) */
	u8 pad[3];
};

#define XEN_PORTS_PER_BUCKET	(4096 / sizeof(struct xen_port))
#define XEN_PORT_BUCKETS	(XEN_EVTCHN_FIFO_PORTS / XEN_PORTS_PER_BUCKET)

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
	u32 virq_port[XEN_NR_VIRQS];	/* bound port, 0: none */
	u8 upcall_vector;		/* HVMOP_set_evtchn_upcall_vector, 0: none */
	u8 upcall_edge;			/* per-vCPU vector: raised, not yet taken */
	bool pvclock_dirty;		/* rewrite the pvclock data at the next entry */
	/* SCHEDOP_poll (sched.c): Xen's poll_mask bit, poll_evtchn and poll_timer. */
	bool polling;			/* blocked in SCHEDOP_poll */
	bool poll_woken;		/* a polled port became pending, or an upcall was raised */
	s32 poll_port;			/* the one port polled; -1: several, any event wakes */
	u64 poll_deadline;		/* system time ns the poll ends, 0: no timeout */
	/* FIFO event channels (evtchn_fifo.c, Xen's struct evtchn_fifo_vcpu), under the domain's lock. */
	bool fifo_control;		/* EVTCHNOP_init_control gave this vCPU a control block */
	u64 fifo_control_gpa;		/* where it is (guest-physical, 8-byte aligned, inside one page) */
	u32 fifo_tail[XEN_FIFO_QUEUES];	/* each queue's last linked port, 0: none */
	/* A send raised events for another domain's vCPUs: dom0 kicks them (evtchn.c). */
	u16 kick_domid;			/* 0: none */
	u64 kick_mask;			/* its vCPUs */
};

/*
 * One map of a grant (vmm/xen/grant_table.c). Xen keeps maptrack entries
 * with the mapping domain. A domain's own maps of other domains' grants
 * (GNTTABOP_map_grant_ref) are in its guest_maps table, as in Xen; dom0
 * is not a struct domain, so dom0's maps of a domain's grants are in that
 * domain's dom0_maps table. The handle is the entry's index. A map pins
 * its grant (struct xen_gnt_active) until it is freed, which is only once
 * no CPU can still reach the page through a stale translation.
 */
enum xen_gnt_map_state {
	XEN_GNT_FREE,
	XEN_GNT_MAPPED,		/* the mapper reaches the page */
	XEN_GNT_UNMAPPING,	/* off the mapper's table; some CPU may still hold it in its TLB */
};

struct xen_gnt_map {
	u8 state;		/* enum xen_gnt_map_state */
	bool readonly;
	bool revoked;		/* no access any more (dom0 wrote to a read-only map; granter gone) */
	u8 pad;
	u16 dom;		/* guest_maps: the granting domain; dom0_maps: 0 */
	u16 pad2;
	u32 ref;
	u32 gfn;		/* the granter's frame, fixed when first pinned */
	u32 next;		/* free list or unmapping list, XEN_GNT_NONE at the end */
	u32 hnext;		/* hash chain (by pa in dom0_maps, by host_gfn in guest_maps) */
	u32 host_gfn;		/* guest_maps: where the mapper sees the page */
	u32 pad3;
	u64 pa;			/* the page's host physical address (dom0 sees it there) */
	u64 flush_gen;		/* freed once every CPU / vCPU has flushed for this generation */
};

#define XEN_GNT_MAPS_PER_FRAME	(4096 / sizeof(struct xen_gnt_map))
#define XEN_GNT_HASH		512	/* hash buckets: one page of u32 heads */

/* A table of maps, grown a page (maptrack frame) at a time from the VMM page pool. */
struct xen_maptrack {
	struct xen_gnt_map **frame;	/* frame[i]: maps i * PER_FRAME..; NULL until the first map */
	u32 *bucket;			/* hash heads */
	u32 nr_frames;			/* frames allocated */
	u32 max_frames;			/* the domain's max_maptrack_frames */
	u32 free;			/* free entries, linked by next */
	u32 unmapping;			/* entries waiting for a flush, linked by next */
	u32 nr_mapped;			/* XEN_GNT_MAPPED entries */
	bool by_host_gfn;		/* hash key: host_gfn (guest_maps) or pa (dom0_maps) */
};

/*
 * Xen's active grant entry: how many maps pin a ref (dom0's and other
 * domains'), the frame the first pin fixed and the domain it was granted
 * to then. One page per 256 refs, allocated at a ref's first map.
 */
struct xen_gnt_active {
	u32 gfn;
	u16 domid;		/* the grantee when first pinned */
	u16 pad;
	u32 pin_ro, pin_rw;	/* read-only and writable maps */
};

#define XEN_GNT_ACTIVE_PER_PAGE	(4096 / sizeof(struct xen_gnt_active))
#define XEN_GNT_ACTIVE_PAGES	(XEN_GNTTAB_MAX_FRAMES * 512 / XEN_GNT_ACTIVE_PER_PAGE)

struct xen_domain_state {
	spinlock_t lock;		/* port table, grant frames and maps: guest hypercalls vs dom0 calls */
	bool initialised;		/* xen_domain_init ran */
	bool runstate_update_flag;	/* VMASST_TYPE_runstate_update_flag */
	u16 gnttab_nr_frames;		/* grant frames that exist (Xen starts with 1) */
	u16 gnttab_max_frames;		/* max_grant_frames (0 before xen_gnttab_init: default) */
	struct xen_port **port_bucket;	/* one page: XEN_PORT_BUCKETS pointers, NULL until port 0 */
	u32 evtchn_max_port;		/* max_event_channels: the highest port allowed */
	bool evtchn_dead;		/* destroyed: no port is bound again (under lock) */
	bool fifo;			/* FIFO ABI (EVTCHNOP_init_control), else 2-level */
	u32 fifo_nr_pages;		/* event array pages (EVTCHNOP_expand_array) */
	u64 fifo_array_gpa[XEN_FIFO_ARRAY_PAGES];	/* guest-physical address of each */
	u64 created_ns;			/* system time at xen_domain_init */
	s64 balloon_pages;		/* frames given back now (current_reservation) */
	u64 *balloon_map;		/* one bit per RAM frame, set while given back; NULL: none yet */
	u64 balloon_map_pa;
	unsigned int balloon_map_pages;
	u64 gnttab_gfn[XEN_GNTTAB_MAX_FRAMES];	/* where frame i is, ~0: not mapped */
	bool gnt_dead;			/* destroyed: no grant op may start (under lock) */
	u32 maptrack_max_frames;	/* max_maptrack_frames (0 before xen_gnttab_init: default) */
	struct xen_maptrack dom0_maps;	/* dom0's maps of this domain's grants, under lock */
	struct xen_maptrack guest_maps;	/* this domain's maps of other domains' grants, under lock */
	struct xen_gnt_active *gnt_active[XEN_GNT_ACTIVE_PAGES];	/* under lock */
};

#endif
