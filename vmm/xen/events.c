// SPDX-License-Identifier: GPL-2.0-only
/*
 * Placeholder hooks for events and time (xen_abi.h) until event channels,
 * vcpu_op timers and pvclock land: no timer, no upcall, no ports.
 */
#include "xen_internal.h"

void xen_vcpu_prepare_entry(struct vcpu *v)
{
	(void)v;
}

u8 xen_upcall_vector(struct vcpu *v)
{
	(void)v;
	return 0;
}

void xen_upcall_delivered(struct vcpu *v)
{
	(void)v;
}

u64 xen_vcpu_timer_ns(struct vcpu *v)
{
	(void)v;
	return 0;
}

int xen_domain_init(struct domain *d, u64 console_gfn, u64 store_gfn)
{
	(void)d;
	(void)console_gfn;
	(void)store_gfn;
	return 0;
}

int xen_evtchn_send_from_dom0(struct domain *d, u32 port)
{
	(void)d;
	(void)port;
	return -XEN_ENOSYS;
}

u64 xen_system_time_ns(void)
{
	return 0;
}
