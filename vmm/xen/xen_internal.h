/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the files of vmm/xen/ only: the hypercall handler type, the
 * handlers the dispatch table in hypercall.c names, and the guest-buffer
 * helpers every handler uses. The outside world sees vmm/include/xen_abi.h.
 */
#ifndef VMM_XEN_INTERNAL_H
#define VMM_XEN_INTERNAL_H

#include "domain.h"
#include "xen_abi.h"
#include <xen/errno.h>
#include <xen/xen.h>

/* One hypercall in flight. */
struct xen_hcall {
	u64 nr;
	u64 arg[5];		/* zero-extended 32-bit values for a 32-bit caller */
	bool compat;		/* 32-bit caller: 32-bit arguments and compat layouts */
	enum xen_action action;	/* what the vCPU does next; XEN_CONTINUE unless set */
};

/* A handler returns the value for RAX: >= 0, or a negative Xen errno. */
typedef s64 (*xen_hcall_fn)(struct vcpu *v, struct xen_hcall *hc);

s64 xen_memory_op(struct vcpu *v, struct xen_hcall *hc);	/* memory.c */
s64 xen_version_op(struct vcpu *v, struct xen_hcall *hc);	/* version.c */
s64 xen_console_io(struct vcpu *v, struct xen_hcall *hc);	/* console.c */
s64 xen_sched_op(struct vcpu *v, struct xen_hcall *hc);		/* sched.c */
s64 xen_hvm_op(struct vcpu *v, struct xen_hcall *hc);		/* hvm.c */
s64 xen_event_channel_op(struct vcpu *v, struct xen_hcall *hc);	/* evtchn.c */
s64 xen_vcpu_op(struct vcpu *v, struct xen_hcall *hc);		/* vcpu.c */
s64 xen_set_timer_op(struct vcpu *v, struct xen_hcall *hc);	/* vcpu.c */
s64 xen_vm_assist(struct vcpu *v, struct xen_hcall *hc);	/* vcpu.c */
s64 xen_grant_table_op(struct vcpu *v, struct xen_hcall *hc);	/* grant.c */
/* A RAM frame given back by decrease_reservation is backed by a mapping again (memory.c). */
void xen_balloon_refill(struct domain *d, u64 gfn);
/* VCPUOP_initialise of @t by @v (vcpu_context.c). */
s64 xen_vcpu_initialise(struct vcpu *v, struct vcpu *t, u64 arg);
s64 xen_sysctl(struct vcpu *v, struct xen_hcall *hc);		/* privileged.c */
s64 xen_domctl(struct vcpu *v, struct xen_hcall *hc);		/* privileged.c */
s64 xen_platform_op(struct vcpu *v, struct xen_hcall *hc);	/* privileged.c */

/*
 * Guest buffers named by hypercall arguments. In Xen's HVM ABI these are
 * guest *linear* addresses (Linux passes kernel virtual addresses): each
 * page is translated through the guest's page tables (vmm/core/guest_walk.c)
 * and then copied by guest-physical address. With paging off the address
 * is physical. Both return 0 or -XEN_EFAULT; a copy to the guest that
 * faults part-way leaves the pages before the fault written.
 */
int xen_copy_guest(struct vcpu *v, u64 addr, void *buf, size_t len, bool to_guest);

static inline int xen_copy_from_guest(struct vcpu *v, void *dst, u64 addr, size_t len)
{
	return xen_copy_guest(v, addr, dst, len, false);
}

static inline int xen_copy_to_guest(struct vcpu *v, u64 addr, const void *src, size_t len)
{
	return xen_copy_guest(v, addr, (void *)(uintptr_t)src, len, true);
}

/* The domid fields of memory_op/hvm_op: only the caller itself, here. */
static inline bool xen_domid_is_self(const struct vcpu *v, u16 domid)
{
	return domid == DOMID_SELF || domid == v->domain->id;
}

/*
 * The CPUID filter (cpuid.c), split from the CPUID instruction so it can
 * be tested with any host's values: *r holds the host's answer for
 * (leaf, subleaf) and is rewritten into what the guest sees.
 */
enum xen_cpu_vendor { XEN_CPU_OTHER, XEN_CPU_AMD, XEN_CPU_INTEL };
struct xen_host_cpuid {
	enum xen_cpu_vendor vendor;
	u32 max_basic;		/* host CPUID.0.EAX */
	u32 max_ext;		/* host CPUID.0x80000000.EAX */
};
void xen_cpuid_filter(const struct vcpu *v, const struct xen_host_cpuid *host,
		      u32 leaf, u32 subleaf, struct xen_cpuid_regs *r);

/* The hypercall page (msr.c): fill a 4 KiB page with the stubs. */
void xen_fill_hypercall_page(u8 *page, enum xen_hypercall_insn insn);

/*
 * Events (evtchn.c). The shared_info layout a 32-bit guest uses is the
 * compat one; it follows v->mode_64 of vCPU 0, latched by its last hypercall.
 */
/* The vCPU's vcpu_info as a VMM pointer: registered area or shared_info slot; NULL if none. */
struct vcpu_info *xen_vcpu_info(struct vcpu *v);
/* Raise a VIRQ bound on @v (nothing if unbound). */
void xen_send_virq(struct vcpu *v, unsigned int virq);
/* Xen's vcpu_mark_events_pending: set upcall_pending, raise the per-vCPU vector on 0 -> 1. */
void xen_mark_events_pending(struct vcpu *v);
/*
 * A fresh port table (the first bucket, port 0 reserved; -ENOMEM if the
 * pool is empty), any old one freed. The table is kept for an unmapped
 * shared_info; pending bits need the page.
 */
int xen_evtchn_init(struct domain *d);
/* Xen's evtchn_port_poll: 1 if @port is pending (mask or not), 0 if not, -EINVAL if no such port. */
int xen_evtchn_port_poll(struct domain *d, u32 port);
/* Port @port of @d, NULL if it has no bucket (never allocated). Under d->xen.lock. */
struct xen_port *xen_port_get(struct domain *d, u32 port);
/* Wake the vCPUs of @d polling @port (Xen's evtchn_check_pollers). */
void xen_evtchn_check_pollers(struct domain *d, u32 port);

/*
 * FIFO event channels (evtchn_fifo.c), all under d->xen.lock. init_control
 * and expand_array answer as Xen's evtchn_fifo_init_control and
 * evtchn_fifo_expand_array after the argument checks evtchn.c made; the
 * rest are Xen's FIFO port ops for a port that exists (@p is its entry).
 * xen_fifo_reset: back to 2-level (EVTCHNOP_reset, destroy).
 */
int xen_fifo_init_control(struct domain *d, struct vcpu *t, u64 gfn, u32 offset);
int xen_fifo_expand_array(struct domain *d, u64 gfn);
void xen_fifo_set_pending(struct domain *d, u32 port, struct xen_port *p);
void xen_fifo_clear_pending(struct domain *d, u32 port);
void xen_fifo_unmask(struct domain *d, u32 port, struct xen_port *p);
bool xen_fifo_is_pending(struct domain *d, u32 port);
bool xen_fifo_is_busy(struct domain *d, u32 port);
void xen_fifo_reset(struct domain *d);

/* Time (time.c). */
void xen_time_init_domain(struct domain *d);
/* shared_info got mapped: wallclock, and every vCPU's pvclock at its next entry. */
void xen_shared_info_mapped(struct domain *d);
/* Write the vCPU's runstate area (if any) as it is now. */
void xen_runstate_write(struct vcpu *v);
void xen_runstate_get(struct vcpu *v, u64 now, u64 time[4], u64 *entry);
/* Fire VIRQ_TIMER now or arm the single-shot timer at @deadline (system time). */
void xen_timer_set(struct vcpu *v, u64 deadline);
/* Host TSC (tsc.c; faked in unit tests) and whether it is invariant. */
u64 xen_read_tsc(void);
bool xen_tsc_invariant(void);

/* Guest areas named by linear address (vcpu.c). */
int xen_area_register(struct vcpu *v, u64 la, size_t len, struct xen_guest_area *a);
int xen_area_write(struct vcpu *v, const struct xen_guest_area *a, size_t off,
		   const void *src, size_t len);

/*
 * Compare-and-exchange a 32-bit word of guest memory (guest_atomic.c):
 * returns the value found, which equals @old if @new was stored.
 */
u32 xen_guest_cmpxchg32(u32 *p, u32 old, u32 new);

/* Grant frames (grant.c): XENMEM_add_to_physmap with XENMAPSPACE_grant_table. */
s64 xen_gnttab_map_frame(struct vcpu *v, u64 idx, u64 gfn);
void xen_gnttab_init(struct domain *d);

#endif
