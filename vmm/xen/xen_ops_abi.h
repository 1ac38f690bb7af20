/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen guest ABI numbers and layouts for events, vCPU operations, timers,
 * grant tables and memory reservations, as this project writes them.
 *
 * From Xen's xen/include/public/event_channel.h, vcpu.h, grant_table.h,
 * memory.h, xen.h and errno.h (4.17). Each struct has the x86-64 layout;
 * where a 32-bit caller's (compat) layout differs it is given as
 * *_compat. Only vmm/xen/ and its unit tests use these.
 */
#ifndef VMM_XEN_OPS_ABI_H
#define VMM_XEN_OPS_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

/* Error numbers include/xen/errno.h does not list yet (Xen's values). */
#define XEN_ENXIO	6	/* no such device or address */
#define XEN_ETIME	62	/* timer expired */

/* event_channel_op (hypercall 32): (int cmd, void *arg). */
#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_bind_pirq		2
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_bind_vcpu		8
#define EVTCHNOP_unmask			9
#define EVTCHNOP_reset			10
#define EVTCHNOP_init_control		11
#define EVTCHNOP_expand_array		12
#define EVTCHNOP_set_priority		13
#define EVTCHNOP_reset_cont		14

typedef uint32_t evtchn_port_t;

/* The same layout for 64- and 32-bit callers (no pointers, no u64). */
struct evtchn_alloc_unbound {
	domid_t dom;			/* IN: DOMID_SELF */
	domid_t remote_dom;		/* IN: who may bind to it */
	evtchn_port_t port;		/* OUT */
};

struct evtchn_bind_interdomain {
	domid_t remote_dom;		/* IN */
	uint16_t pad;
	evtchn_port_t remote_port;	/* IN */
	evtchn_port_t local_port;	/* OUT */
};

struct evtchn_bind_virq {
	uint32_t virq;			/* IN: VIRQ_* */
	uint32_t vcpu;			/* IN */
	evtchn_port_t port;		/* OUT */
};

struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	evtchn_port_t port;
};

struct evtchn_bind_ipi {
	uint32_t vcpu;			/* IN */
	evtchn_port_t port;		/* OUT */
};

/* close, send, unmask: just the port. */
struct evtchn_port_arg {
	evtchn_port_t port;
};

#define EVTCHNSTAT_closed	0
#define EVTCHNSTAT_unbound	1
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_pirq		3
#define EVTCHNSTAT_virq		4
#define EVTCHNSTAT_ipi		5

struct evtchn_status {
	domid_t dom;			/* IN: DOMID_SELF */
	uint16_t pad;
	evtchn_port_t port;		/* IN */
	uint32_t status;		/* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;			/* OUT: the vCPU it notifies */
	union {
		domid_t unbound_dom;	/* unbound: who may bind */
		struct {
			domid_t dom;
			uint16_t pad;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

struct evtchn_reset {
	domid_t dom;
};

struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;		/* OUT */
	uint8_t pad[7];
};

struct evtchn_expand_array {
	uint64_t array_gfn;
};

struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};

/* FIFO event channels (public/event_channel.h; docs/misc FIFO design). */
#define EVTCHN_FIFO_PRIORITY_MAX	0
#define EVTCHN_FIFO_PRIORITY_DEFAULT	7
#define EVTCHN_FIFO_PRIORITY_MIN	15
#define EVTCHN_FIFO_MAX_QUEUES		(EVTCHN_FIFO_PRIORITY_MIN + 1)

/* An event word: four flag bits at the top, the next port in the queue below. */
#define EVTCHN_FIFO_PENDING		31
#define EVTCHN_FIFO_MASKED		30
#define EVTCHN_FIFO_LINKED		29
#define EVTCHN_FIFO_BUSY		28
#define EVTCHN_FIFO_LINK_BITS		17
#define EVTCHN_FIFO_LINK_MASK		((1u << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS		(1u << EVTCHN_FIFO_LINK_BITS)

/* Per vCPU: a READY bit per queue with events, and each queue's head port. */
struct evtchn_fifo_control_block {
	uint32_t ready;
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* Virtual IRQs (xen.h). V: per vCPU; the others are global (vCPU 0). */
#define VIRQ_TIMER	0	/* V */
#define VIRQ_DEBUG	1	/* V */
#define VIRQ_CONSOLE	2
#define VIRQ_DOM_EXC	3
#define VIRQ_TBUF	4
#define VIRQ_DEBUGGER	6
#define VIRQ_XENOPROF	7	/* V */
#define VIRQ_CON_RING	8
#define VIRQ_PCPU_STATE	9
#define VIRQ_MEM_EVENT	10
#define VIRQ_ARGO	11
#define VIRQ_ENOMEM	12
#define VIRQ_XENPMU	13	/* V */
#define VIRQ_ARCH_0	16
#define NR_VIRQS	24

/* vcpu_op (hypercall 24): (int cmd, unsigned int vcpuid, void *arg). */
#define VCPUOP_initialise			0
#define VCPUOP_up				1
#define VCPUOP_down				2
#define VCPUOP_is_up				3
#define VCPUOP_get_runstate_info		4
#define VCPUOP_register_runstate_memory_area	5
#define VCPUOP_set_periodic_timer		6
#define VCPUOP_stop_periodic_timer		7
#define VCPUOP_set_singleshot_timer		8
#define VCPUOP_stop_singleshot_timer		9
#define VCPUOP_register_vcpu_info		10
#define VCPUOP_send_nmi				11
#define VCPUOP_get_physid			12
#define VCPUOP_register_vcpu_time_memory_area	13
#define VCPUOP_register_runstate_phys_area	14	/* after 4.17 */
#define VCPUOP_register_vcpu_time_phys_area	15	/* after 4.17 */

#define RUNSTATE_running	0
#define RUNSTATE_runnable	1
#define RUNSTATE_blocked	2
#define RUNSTATE_offline	3
/* Set in state_entry_time while Xen rewrites the area (VMASST runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE	(1ull << 63)

struct vcpu_runstate_info {
	int32_t state;
	uint32_t pad;
	uint64_t state_entry_time;	/* system time ns, | XEN_RUNSTATE_UPDATE */
	uint64_t time[4];		/* ns spent in each RUNSTATE_* */
};

/* 32-bit: uint64_t is 4-byte aligned, so there is no pad. */
struct vcpu_runstate_info_compat {
	int32_t state;
	uint32_t state_entry_time[2];
	uint32_t time[4][2];
} __attribute__((packed));

struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};

/* 12 bytes as a 32-bit caller sees it (no tail padding). */
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;	/* Xen system time */
	uint32_t flags;			/* VCPU_SSHOTTMR_* */
	uint32_t pad;
};
#define VCPU_SSHOTTMR_future	(1u << 0)	/* -ETIME if already past */

struct vcpu_register_vcpu_info {
	uint64_t mfn;			/* guest frame */
	uint32_t offset;		/* in the frame */
	uint32_t rsvd;
};

/* Both area registrations: a guest linear address (4 bytes for 32-bit callers). */
struct vcpu_register_area {
	uint64_t addr;
};

/* vm_assist (hypercall 21): (unsigned int cmd, unsigned int type). */
#define VMASST_CMD_enable			0
#define VMASST_CMD_disable			1
#define VMASST_TYPE_runstate_update_flag	5

/* grant_table_op (hypercall 20): numbers and GNTST_* in <xen/grant_table.h>. */
struct gnttab_query_size {
	domid_t dom;			/* IN */
	uint16_t pad;
	uint32_t nr_frames;		/* OUT */
	uint32_t max_nr_frames;		/* OUT */
	int16_t status;			/* OUT: GNTST_* */
	uint16_t pad2;
};

struct gnttab_setup_table {
	domid_t dom;
	uint16_t pad;
	uint32_t nr_frames;
	int16_t status;
	uint16_t pad2[3];
	uint64_t frame_list;		/* guest address of xen_pfn_t[nr_frames] */
};

struct gnttab_setup_table_compat {
	domid_t dom;
	uint16_t pad;
	uint32_t nr_frames;
	int16_t status;
	uint16_t pad2;
	uint32_t frame_list;		/* of uint32_t[nr_frames] */
};

struct gnttab_set_version {
	uint32_t version;		/* IN/OUT */
};

struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version;		/* OUT */
};

/* GNTTABOP_map_grant_ref: one layout for 32- and 64-bit callers. */
struct gnttab_map_grant_ref {
	uint64_t host_addr;		/* IN: guest-physical address for a translated guest */
	uint32_t flags;			/* IN: GNTMAP_* */
	uint32_t ref;			/* IN */
	domid_t dom;			/* IN: the granting domain */
	int16_t status;			/* OUT: GNTST_* */
	uint32_t handle;		/* OUT */
	uint64_t dev_bus_addr;		/* OUT */
};

/* GNTTABOP_unmap_grant_ref: one layout for 32- and 64-bit callers. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;		/* IN */
	uint64_t dev_bus_addr;		/* IN */
	uint32_t handle;		/* IN */
	int16_t status;			/* OUT */
	uint16_t pad;
};

/* GNTTABOP_copy: xen_pfn_t is 8 bytes for a 64-bit caller, 4 for a 32-bit one. */
struct gnttab_copy_ptr {
	union { uint32_t ref; uint64_t gmfn; } u;
	domid_t domid;
	uint16_t offset;
	uint32_t pad;
};

struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;
	uint16_t len;
	uint16_t flags;			/* GNTCOPY_* */
	int16_t status;			/* OUT */
	uint16_t pad;
};

struct gnttab_copy_ptr_compat {
	union { uint32_t ref; uint32_t gmfn; } u;
	domid_t domid;
	uint16_t offset;
};

struct gnttab_copy_compat {
	struct gnttab_copy_ptr_compat source, dest;
	uint16_t len;
	uint16_t flags;
	int16_t status;
	uint16_t pad;
};

/* memory_op reservation sub-ops (memory.h): increase, decrease, populate. */
struct xen_memory_reservation {
	uint64_t extent_start;		/* guest address of xen_pfn_t[] */
	uint64_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
	uint16_t pad[3];
};

struct xen_memory_reservation_compat {
	uint32_t extent_start;		/* of uint32_t[] */
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
	uint16_t pad;
};

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4 &&
	       sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
_Static_assert(offsetof(struct evtchn_status, status) == 8 &&
	       offsetof(struct evtchn_status, u) == 16 &&
	       offsetof(struct evtchn_status, u.interdomain.port) == 20 &&
	       sizeof(struct evtchn_status) == 24, "evtchn_status");
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate (64-bit)");
_Static_assert(sizeof(struct vcpu_runstate_info_compat) == 44, "runstate (32-bit)");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8, "singleshot flags @8");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16 &&
	       offsetof(struct gnttab_map_grant_ref, handle) == 20 &&
	       sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20 &&
	       sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16 &&
	       offsetof(struct gnttab_copy, status) == 36 &&
	       sizeof(struct gnttab_copy) == 40, "copy (64-bit)");
_Static_assert(offsetof(struct gnttab_copy_compat, dest) == 8 &&
	       offsetof(struct gnttab_copy_compat, status) == 20 &&
	       sizeof(struct gnttab_copy_compat) == 24, "copy (32-bit)");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8 &&
	       offsetof(struct gnttab_query_size, status) == 12 &&
	       sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8 &&
	       offsetof(struct gnttab_setup_table, frame_list) == 16, "setup_table (64-bit)");
_Static_assert(offsetof(struct gnttab_setup_table_compat, frame_list) == 12 &&
	       sizeof(struct gnttab_setup_table_compat) == 16, "setup_table (32-bit)");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16 &&
	       offsetof(struct xen_memory_reservation, domid) == 24, "reservation (64-bit)");
_Static_assert(offsetof(struct xen_memory_reservation_compat, domid) == 16, "reservation (32-bit)");

#endif
