// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op (hypercall 29): yield, block, shut down.
 *
 * Follows Xen's xen/common/sched/core.c (do_sched_op) and
 * xen/include/public/sched.h (include/xen/sched.h). A vCPU here is a dom0
 * thread, so yielding and blocking are decisions for dom0's scheduler:
 * the handler only says which (XEN_YIELD, XEN_BLOCK) and the backend
 * returns to dom0. The legacy sched_op_compat (6) is not offered to HVM
 * guests by Xen either, so it stays -ENOSYS.
 */
#include "log.h"
#include "xen_internal.h"
#include <xen/sched.h>
#include <xen/xen.h>

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
		enable_event_delivery(v);
		hc->action = XEN_BLOCK;
		return 0;
	case SCHEDOP_shutdown:
		return do_shutdown(v, hc);
	case SCHEDOP_remote_shutdown:
	case SCHEDOP_pin_override:
		/* For privileged domains only in Xen: a guest here never is. */
		return -XEN_EPERM;
	case SCHEDOP_poll:		/* needs event channels */
	case SCHEDOP_shutdown_code:
	case SCHEDOP_watchdog:
	default:
		return -XEN_ENOSYS;
	}
}
