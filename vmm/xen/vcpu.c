// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op (hypercall 24), set_timer_op (15) and vm_assist (21).
 *
 * Follows Xen 4.17's xen/common/domain.c (common_vcpu_op, map_vcpu_info,
 * do_vm_assist), xen/arch/x86/domain.c (do_vcpu_op) and
 * xen/common/sched/core.c (do_set_timer_op), with layouts from
 * public/vcpu.h (vmm/xen/xen_ops_abi.h).
 *
 * Areas the guest names by linear address (runstate, time info) are
 * translated once, when registered: Xen translates at every update, but
 * the kernels that register them (Linux: per-CPU data) never remap them.
 * A translation that fails is -EFAULT here (Xen accepts the address and
 * its later updates fail silently).
 */
#include "guest_walk.h"
#include "lib.h"
#include "log.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/sched.h>

int xen_area_register(struct vcpu *v, u64 la, size_t len, struct xen_guest_area *a)
{
	struct domain *d = v->domain;
	u64 gpa, gpa2 = ~0ull;
	u64 off = la & 4095;

	if (guest_linear_to_gpa(v, la, true, &gpa) ||
	    !guest_page_ptr(d, gpa, MIN(len, 4096 - off)))
		return -XEN_EFAULT;
	if (off + len > 4096) {
		u64 la2 = (la | 4095) + 1;

		if (guest_linear_to_gpa(v, la2, true, &gpa2) ||
		    !guest_page_ptr(d, gpa2, off + len - 4096))
			return -XEN_EFAULT;
	}
	a->gpa = gpa;
	a->gpa2 = gpa2;
	return 0;
}

int xen_area_write(struct vcpu *v, const struct xen_guest_area *a, size_t off,
		   const void *src, size_t len)
{
	struct domain *d = v->domain;
	u64 pos = (a->gpa & 4095) + off;
	const u8 *p = src;

	if (a->gpa == ~0ull)
		return -XEN_EFAULT;
	if (pos < 4096) {
		size_t n = MIN(len, (size_t)(4096 - pos));

		if (copy_to_guest(d, a->gpa + off, p, n))
			return -XEN_EFAULT;
		p += n;
		len -= n;
		pos = 4096;
	}
	if (len && (a->gpa2 == ~0ull || copy_to_guest(d, a->gpa2 + (pos - 4096), p, len)))
		return -XEN_EFAULT;
	return 0;
}

/*
 * map_vcpu_info: the area must lie in one guest page the domain has,
 * aligned to 8 (4 for a 32-bit guest); only once; it takes over the
 * current contents, then everything is marked pending so no event is lost.
 */
static s64 register_vcpu_info(struct vcpu *v, struct vcpu *t, u64 arg)
{
	struct domain *d = v->domain;
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *old, *new;
	u64 gpa;

	if (xen_copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.offset > 4096 - sizeof(struct vcpu_info))
		return -XEN_ENXIO;
	if (r.offset & (v->mode_64 ? 7 : 3))
		return -XEN_ENXIO;
	if (t->xen.vcpu_info_gpa != ~0ull)
		return -XEN_EINVAL;
	if (t != v && vcpu_is_up(t))
		return -XEN_EINVAL;	/* Xen: only the caller itself, or a vCPU that is down */
	if (r.mfn >= (1ull << 40))
		return -XEN_EINVAL;
	gpa = (r.mfn << 12) + r.offset;
	new = guest_page_ptr(d, gpa, sizeof(*new));
	if (!new)
		return -XEN_EINVAL;
	old = xen_vcpu_info(t);
	if (old) {
		memcpy(new, old, sizeof(*new));
	} else {
		memset(new, 0, sizeof(*new));
		new->evtchn_upcall_mask = 1;
	}
	t->xen.vcpu_info_gpa = gpa;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (v->mode_64)
		__atomic_store_n(&new->evtchn_pending_sel, ~0ull, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n((u32 *)((u8 *)new + 4), ~0u, __ATOMIC_SEQ_CST);
	xen_mark_events_pending(t);
	t->xen.pvclock_dirty = true;
	return 0;
}

static s64 register_area(struct vcpu *v, struct vcpu *t, struct xen_hcall *hc, bool runstate)
{
	struct vcpu_register_area r;
	struct xen_guest_area *a = runstate ? &t->xen.runstate_area : &t->xen.time_area;
	size_t len = runstate ? (v->mode_64 ? sizeof(struct vcpu_runstate_info) :
				 sizeof(struct vcpu_runstate_info_compat)) :
				sizeof(struct vcpu_time_info);
	u64 la;
	int rc;

	if (xen_copy_from_guest(v, &r, hc->arg[2], hc->compat ? 4 : 8))
		return -XEN_EFAULT;
	la = hc->compat ? (u32)r.addr : r.addr;
	if (la == 0) {			/* a null handle: no more updates */
		a->gpa = a->gpa2 = ~0ull;
		return 0;
	}
	rc = xen_area_register(v, la, len, a);
	if (rc)
		return rc;
	if (runstate)
		xen_runstate_write(t);
	else
		t->xen.pvclock_dirty = true;
	return 0;
}

static s64 get_runstate_info(struct vcpu *v, struct vcpu *t, struct xen_hcall *hc)
{
	u64 time[4], entry;

	xen_runstate_get(t, xen_system_time_ns(), time, &entry);
	if (!hc->compat) {
		struct vcpu_runstate_info r = { .state = RUNSTATE_running, .state_entry_time = entry };

		memcpy(r.time, time, sizeof(r.time));
		return xen_copy_to_guest(v, hc->arg[2], &r, sizeof(r));
	} else {
		struct vcpu_runstate_info_compat r = { .state = RUNSTATE_running };

		memcpy(r.state_entry_time, &entry, 8);
		memcpy(r.time, time, sizeof(r.time));
		return xen_copy_to_guest(v, hc->arg[2], &r, sizeof(r));
	}
}

static s64 set_singleshot(struct vcpu *v, struct vcpu *t, struct xen_hcall *hc)
{
	struct vcpu_set_singleshot_timer s;

	if (t != v)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(v, &s, hc->arg[2], hc->compat ? 12 : 16))
		return -XEN_EFAULT;
	if ((s.flags & VCPU_SSHOTTMR_future) && s.timeout_abs_ns < xen_system_time_ns())
		return -XEN_ETIME;
	xen_timer_set(v, s.timeout_abs_ns);
	return 0;
}

/* Xen: at least 1 ms, and short of STIME_DELTA_MAX (2^62 ns here). */
static s64 set_periodic(struct vcpu *v, struct vcpu *t, struct xen_hcall *hc)
{
	struct vcpu_set_periodic_timer p;

	if (xen_copy_from_guest(v, &p, hc->arg[2], sizeof(p)))
		return -XEN_EFAULT;
	if (p.period_ns < 1000000 || p.period_ns > (1ull << 62))
		return -XEN_EINVAL;
	t->xen.periodic_period = p.period_ns;
	t->xen.periodic_next = xen_system_time_ns() + p.period_ns;
	return 0;
}

/*
 * VCPUOP_down (Xen's common_vcpu_op): any vCPU of the domain; the last one
 * up going down powers the domain off. The caller itself stops at once.
 */
static s64 vcpu_down(struct vcpu *v, struct vcpu *t, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	bool others_up = false;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (&d->vcpus[i] != t && vcpu_is_up(&d->vcpus[i]))
			others_up = true;
	if (!others_up) {
		pr_info("d%u: VCPUOP_down on its last vCPU: power off\n", d->id);
		domain_shutdown(d, SHUTDOWN_poweroff);
		hc->action = XEN_STOPPED;
		return 0;
	}
	if (t == v) {
		vcpu_set_down(v);		/* its own thread: at once */
		hc->action = XEN_BLOCK;
	} else {
		vcpu_post_power(t, false);
	}
	return 0;
}

s64 xen_vcpu_op(struct vcpu *v, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	u32 id = (u32)hc->arg[1];	/* unsigned int vcpuid */
	struct vcpu *t;

	if (id >= d->nr_vcpus)
		return -XEN_ENOENT;
	t = &d->vcpus[id];

	switch ((u32)hc->arg[0]) {	/* int cmd */
	case VCPUOP_initialise:
		return xen_vcpu_initialise(v, t, hc->arg[2]);
	case VCPUOP_up:
		/* Xen's common_vcpu_op: a vCPU that never had a state cannot come up. */
		if (!READ_ONCE(t->initialised))
			return -XEN_EINVAL;
		if (!vcpu_is_up(t))
			vcpu_post_power(t, true);
		return 0;
	case VCPUOP_down:
		return vcpu_down(v, t, hc);
	case VCPUOP_is_up:
		return vcpu_is_up(t);
	case VCPUOP_get_runstate_info:
		return get_runstate_info(v, t, hc);
	case VCPUOP_register_runstate_memory_area:
		return register_area(v, t, hc, true);
	case VCPUOP_set_periodic_timer:
		return set_periodic(v, t, hc);
	case VCPUOP_stop_periodic_timer:
		t->xen.periodic_period = 0;
		return 0;
	case VCPUOP_set_singleshot_timer:
		return set_singleshot(v, t, hc);
	case VCPUOP_stop_singleshot_timer:
		if (t != v)
			return -XEN_EINVAL;
		v->xen.timer_deadline = 0;
		return 0;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, t, hc->arg[2]);
	case VCPUOP_register_vcpu_time_memory_area:
		return register_area(v, t, hc, false);
	case VCPUOP_get_physid:
		return -XEN_EINVAL;	/* for dom0's pinned vCPUs only */
	case VCPUOP_send_nmi:		/* no virtual NMIs yet */
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * The legacy single-shot timer (Xen's do_set_timer_op): 0 stops it; a
 * negative deadline, or one more than 2^50 ns (13 days) ahead, becomes
 * "in 100 ms" (Xen's guard against Linux's old jiffies wrap). A 32-bit
 * caller passes the 64-bit time in two registers, low half first.
 */
s64 xen_set_timer_op(struct vcpu *v, struct xen_hcall *hc)
{
	s64 timeout = hc->compat ? (s64)(hc->arg[0] | (hc->arg[1] << 32)) : (s64)hc->arg[0];
	u64 now = xen_system_time_ns();
	s64 offset = timeout - (s64)now;

	if (timeout == 0)
		v->xen.timer_deadline = 0;
	else if (timeout < 0 || (offset > 0 && (u32)((u64)offset >> 50) != 0))
		v->xen.timer_deadline = now + 100000000ull;
	else
		xen_timer_set(v, (u64)timeout);
	return 0;
}

/* HVM guests may set only the runstate update flag (Xen's HVM_VM_ASSIST_MASK). */
s64 xen_vm_assist(struct vcpu *v, struct xen_hcall *hc)
{
	u32 cmd = (u32)hc->arg[0], type = (u32)hc->arg[1];

	if (type != VMASST_TYPE_runstate_update_flag)
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		v->domain->xen.runstate_update_flag = true;
		return 0;
	case VMASST_CMD_disable:
		v->domain->xen.runstate_update_flag = false;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
