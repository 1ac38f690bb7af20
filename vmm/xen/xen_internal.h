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
/* The port table for an unmapped shared_info is kept; pending bits need the page. */
void xen_evtchn_init(struct domain *d);
/* Xen's evtchn_port_poll: 1 if @port is pending (mask or not), 0 if not, -EINVAL if no such port. */
int xen_evtchn_port_poll(struct domain *d, u32 port);

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
