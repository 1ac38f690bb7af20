/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen guest ABI as the backends see it (implemented in vmm/xen/).
 * A backend turns an exit into one of these calls; what comes back says
 * whether the vCPU goes on or dom0 must be told something.
 */
#ifndef VMM_XEN_ABI_H
#define VMM_XEN_ABI_H

#include "domain.h"
#include "xen_state.h"

enum xen_action {
	XEN_CONTINUE,		/* resume the guest (RIP already advanced if needed) */
	XEN_BLOCK,		/* the vCPU blocks: return XVMM_RUN_HALT to dom0 */
	XEN_YIELD,		/* return XVMM_RUN_YIELD to dom0 */
	XEN_STOPPED,		/* the domain shut down or crashed: see domain->state */
	XEN_NOTIFY_DOM0,	/* the guest signalled dom0 (domain->dom0_notify): tell it */
};

/*
 * A hypercall: the number and arguments are in the vCPU's registers
 * (64-bit: RAX; RDI, RSI, RDX, R10, R8. 32-bit: EAX; EBX, ECX, EDX, ESI,
 * EDI). The result goes to RAX. The backend has already advanced RIP past
 * the VMMCALL/VMCALL.
 */
enum xen_action xen_hypercall(struct vcpu *v);

/*
 * CPUID: fill *r with what the guest sees for (leaf, subleaf). native[] is
 * the host's answer, which the function filters for the guest.
 */
struct xen_cpuid_regs {
	u32 eax, ebx, ecx, edx;
};
void xen_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct xen_cpuid_regs *r);

/* MSRs: 0 if handled, -ENOENT if the MSR is not the Xen ABI's (the backend injects #GP). */
int xen_wrmsr(struct vcpu *v, u32 msr, u64 val);
int xen_rdmsr(struct vcpu *v, u32 msr, u64 *val);

/* Port I/O nobody backs: 0xE9 output goes to the console; reads are all ones. */
void xen_ioport(struct vcpu *v, u16 port, bool in, unsigned int size, u32 *val);

/*
 * Events and time (vmm/xen/evtchn.c, vcpu.c, time.c).
 *
 * xen_vcpu_prepare_entry() runs before every entry into the vCPU: it
 * refreshes the pvclock data when needed and turns an expired timer into
 * VIRQ_TIMER. xen_upcall_vector() then says whether the event upcall
 * (the HVM callback vector) is to be delivered: the backend injects it as
 * a virtual interrupt that the guest takes when its IF allows.
 * xen_vcpu_timer_ns() is how long until the vCPU's timer fires (0: no
 * timer): dom0 arms a host timer so the guest is entered in time, or
 * sleeps that long when the vCPU blocks.
 */
void xen_vcpu_prepare_entry(struct vcpu *v);
u8 xen_upcall_vector(struct vcpu *v);
void xen_upcall_delivered(struct vcpu *v);
u64 xen_vcpu_timer_ns(struct vcpu *v);

/*
 * SCHEDOP_poll (vmm/xen/sched.c) blocks the vCPU (XEN_BLOCK) until one of
 * its ports is pending, an upcall is raised or the timeout passes. Dom0's
 * thread may come back before that (a kick for another port, a signal):
 * asked before every VCPU_RUN, this fires due timers and says whether the
 * vCPU still waits (then dom0 sleeps again, xen_vcpu_timer_ns at most,
 * without entering it), or ends the poll (the guest sees 0).
 */
bool xen_vcpu_poll_blocked(struct vcpu *v);

/* At domain creation: bind the console/xenstore ports to dom0 and set the HVM params. */
int xen_domain_init(struct domain *d, u64 console_gfn, u64 store_gfn);
/* max_event_channels from XVMM_OP_DOM_CREATE (0: Xen's 1023), before xen_domain_init; -EINVAL above 131071. */
int xen_evtchn_limits(struct domain *d, u32 max_port);
/* The domain is being destroyed: every port closed (other domUs' ends unbound), the table freed. */
void xen_evtchn_destroy(struct domain *d);
/*
 * An event this vCPU sent raised something for vCPUs of another domain
 * (an interdomain channel): the backend returns to dom0 at once
 * (XVMM_RUN_KICK) with the domain and its vCPUs to kick. Taking clears it.
 */
bool xen_remote_kick_pending(const struct vcpu *v);
unsigned int xen_take_remote_kick(struct vcpu *v, u64 *mask);
/* Dom0's backend signals @port of @d (XVMM_OP_EVTCHN_SEND). */
int xen_evtchn_send_from_dom0(struct domain *d, u32 port);
/* Dom0 binds (unbinds) a port the guest allocated unbound for dom0 (XVMM_OP_EVTCHN_BIND). */
int xen_evtchn_bind_dom0(struct domain *d, u32 port, bool bind);
/*
 * Dom0 backends and a guest's grants (vmm/xen/grant_dom0.c, control.h's
 * XVMM_OP_GNT_*): the control calls, with dom0 physical addresses of the
 * argument structs (checked there). Each returns 0 or a negative errno;
 * per-grant results are GNTST_* in the structs.
 */
s64 xen_gnttab_dom0_copy(struct domain *d, u64 segs_pa, u64 count);
s64 xen_gnttab_dom0_map(struct domain *d, u64 req_pa);
s64 xen_gnttab_dom0_unmap(struct domain *d, u64 handle);
/* The domain is being destroyed: the balloon bitmap (vmm/xen/memory.c) goes. */
void xen_balloon_release(struct domain *d);
/* The domain is being destroyed: dom0 loses every page it mapped; no grant op starts again. */
void xen_gnttab_dom0_revoke_all(struct domain *d);
/* Grant table sizes from XVMM_OP_DOM_CREATE (0: Xen's defaults); -EINVAL beyond the ceilings. */
int xen_gnttab_limits(struct domain *d, u32 max_grant_frames, u32 max_maptrack_frames);
/*
 * The domain is being destroyed (after xen_gnttab_dom0_revoke_all): other
 * domains lose their maps of its pages, its own maps of other domains'
 * grants are undone, and its grant tables go back to the page pool.
 */
void xen_gnttab_destroy(struct domain *d);
/* Batches of dom0 maps and unmaps (XVMM_OP_GNT_MAP_BATCH, XVMM_OP_GNT_UNMAP_BATCH). */
s64 xen_gnttab_dom0_map_batch(struct domain *d, u64 maps_pa, u64 count);
s64 xen_gnttab_dom0_unmap_batch(struct domain *d, u64 unmaps_pa, u64 count);
/* Dom0 wrote to page @pa: true if it is a read-only grant map, now junk for dom0. */
bool xen_gnttab_dom0_write_fault(u64 pa);
/* Xen system time, ns: the clock pvclock describes, derived from the TSC. */
u64 xen_system_time_ns(void);

/* Instruction the hypercall page stubs use: set by the backend at init. */
enum xen_hypercall_insn { XEN_INSN_VMMCALL, XEN_INSN_VMCALL };
extern enum xen_hypercall_insn xen_hypercall_insn;

#endif
