// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op (hypercall 29): yield, block, poll, shut down.
 *
 * Follows Xen's xen/common/sched/core.c (do_sched_op, vcpu_block,
 * do_poll) and xen/include/public/sched.h (include/xen/sched.h), 4.17.
 * A vCPU here is a dom0 thread, so yielding and blocking are decisions
 * for dom0's scheduler: the handler only says which (XEN_YIELD,
 * XEN_BLOCK) and the backend returns to dom0. A poll stays in force
 * across such returns: xen_vcpu_poll_blocked() decides at each VCPU_RUN
 * whether the vCPU may run again (docs/guest-abi.md). The legacy
 * sched_op_compat (6) is not offered to HVM guests by Xen either, so it
 * stays -ENOSYS.
 */
#include "log.h"
#include "vcpu_regs.h"
#include "xen_internal.h"
#include <xen/sched.h>
#include <xen/xen.h>

#define POLL_MAX_PORTS	128	/* Xen's "fairly arbitrary limit" */
#define EFLAGS_IF	(1ull << 9)

/*
 * Xen's local_events_need_delivery for an HVM vCPU: an event upcall is
 * waiting and the guest's RFLAGS.IF would let it in. (Xen also counts
 * other pending LAPIC interrupts and the interrupt shadow; the upcall is
 * the event that matters to block and poll.)
 */
static bool events_need_delivery(struct vcpu *v)
{
	return (vcpu_reg_get(v, REG_RFLAGS) & EFLAGS_IF) && xen_upcall_vector(v);
}

/*
 * SCHEDOP_block re-enables event delivery before blocking (sched.h):
 * clear this vCPU's evtchn_upcall_mask in its vcpu_info (the registered
 * area, or its shared_info slot), if it has one.
 */
static void enable_event_delivery(struct vcpu *v)
{
	struct vcpu_info *vi = xen_vcpu_info(v);

	if (vi)
		WRITE_ONCE(vi->evtchn_upcall_mask, 0);
}

static void poll_end(struct vcpu *v)
{
	struct xen_vcpu_state *x = &v->xen;

	__atomic_store_n(&x->polling, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&x->poll_port, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&x->poll_woken, false, __ATOMIC_SEQ_CST);
	x->poll_deadline = 0;
}

/*
 * Xen's do_poll. Returns 0 at once if an upcall is deliverable or one of
 * the ports is pending (masked or not: that is the point of poll, Linux's
 * PV spinlocks poll a masked port), or the timeout is already past;
 * otherwise 0 with XEN_BLOCK, the vCPU waiting until a listed port
 * becomes pending, an upcall is raised or the timeout (absolute system
 * time, 0: none) passes. The ports are read one by one as in Xen: a bad
 * address is -EFAULT, a port beyond the domain's -EINVAL, and nothing
 * after the first pending port is looked at.
 */
static s64 do_poll(struct vcpu *v, struct xen_hcall *hc)
{
	struct xen_vcpu_state *x = &v->xen;
	struct domain *d = v->domain;
	u64 ports, timeout;
	u32 nr_ports, port = 0;
	s64 rc = 0;

	if (hc->compat) {
		struct sched_poll_compat c;

		if (xen_copy_from_guest(v, &c, hc->arg[1], sizeof(c)))
			return -XEN_EFAULT;
		ports = c.ports;
		nr_ports = c.nr_ports;
		timeout = ((u64)c.timeout_hi << 32) | c.timeout_lo;
	} else {
		struct sched_poll p;

		if (xen_copy_from_guest(v, &p, hc->arg[1], sizeof(p)))
			return -XEN_EFAULT;
		ports = p.ports;
		nr_ports = p.nr_ports;
		timeout = p.timeout;
	}
	if (nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;

	/* Polling from here on, so a port set pending while we look wakes us. */
	__atomic_store_n(&x->poll_woken, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&x->poll_port, -1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&x->polling, true, __ATOMIC_SEQ_CST);

	if (events_need_delivery(v))
		goto out;
	for (u32 i = 0; i < nr_ports; i++) {
		u64 at = ports + (u64)i * sizeof(port);

		if (hc->compat)
			at = (u32)at;
		if (xen_copy_from_guest(v, &port, at, sizeof(port))) {
			rc = -XEN_EFAULT;
			goto out;
		}
		rc = xen_evtchn_port_poll(d, port);
		if (rc) {
			if (rc > 0)
				rc = 0;
			goto out;
		}
	}
	if (nr_ports == 1)
		__atomic_store_n(&x->poll_port, (s32)port, __ATOMIC_SEQ_CST);
	if (timeout) {
		if (timeout <= xen_system_time_ns())
			goto out;		/* Xen's poll timer fires at once */
		x->poll_deadline = timeout;
	}
	hc->action = XEN_BLOCK;
	return 0;
out:
	poll_end(v);
	return rc;
}

bool xen_vcpu_poll_blocked(struct vcpu *v)
{
	struct xen_vcpu_state *x = &v->xen;

	if (!__atomic_load_n(&x->polling, __ATOMIC_SEQ_CST))
		return false;
	xen_vcpu_prepare_entry(v);	/* a due timer's VIRQ may end the poll */
	if (!__atomic_load_n(&x->poll_woken, __ATOMIC_SEQ_CST) &&
	    (!x->poll_deadline || xen_system_time_ns() < x->poll_deadline))
		return true;
	poll_end(v);
	return false;
}

static s64 do_shutdown(struct vcpu *v, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	struct sched_shutdown s;

	if (xen_copy_from_guest(v, &s, hc->arg[1], sizeof(s)))
		return -XEN_EFAULT;
	/*
	 * Xen passes any reason on (as a u8); here dom0 gets only reasons it
	 * knows, so a guest cannot make it act on a made-up one.
	 */
	if (s.reason > SHUTDOWN_MAX)
		return -XEN_EINVAL;

	pr_info("d%u: SCHEDOP_shutdown reason %u\n", d->id, s.reason);
	if (s.reason == SHUTDOWN_crash)
		domain_crash(d, "guest asked (SCHEDOP_shutdown, crash)");
	else
		domain_shutdown(d, s.reason);
	hc->action = XEN_STOPPED;
	return 0;
}

s64 xen_sched_op(struct vcpu *v, struct xen_hcall *hc)
{
	switch ((u32)hc->arg[0]) {	/* int cmd */
	case SCHEDOP_yield:
		hc->action = XEN_YIELD;
		return 0;
	case SCHEDOP_block:
		/* Xen's vcpu_block_enable_events: no block if an event can be taken now. */
		enable_event_delivery(v);
		if (!events_need_delivery(v))
			hc->action = XEN_BLOCK;
		return 0;
	case SCHEDOP_shutdown:
		return do_shutdown(v, hc);
	case SCHEDOP_poll:
		return do_poll(v, hc);
	case SCHEDOP_remote_shutdown:
	case SCHEDOP_pin_override:
		/* For privileged domains only in Xen: a guest here never is. */
		return -XEN_EPERM;
	case SCHEDOP_shutdown_code:
	case SCHEDOP_watchdog:
	default:
		return -XEN_ENOSYS;
	}
}
