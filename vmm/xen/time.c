// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time: Xen system time, the pvclock data in vcpu_info (and the
 * VCPUOP_register_vcpu_time_memory_area copy), the shared_info
 * wallclock, the runstate area, and the single-shot / periodic timers
 * that end as VIRQ_TIMER.
 *
 * System time is defined here as the host TSC scaled to ns, so it is 0
 * at TSC 0 (Xen's is ns since Xen booted; guests only use differences
 * and the wallclock, which is shifted to match). The scale is the pvclock
 * pair (tsc_to_system_mul, tsc_shift) built from xvmm_boot_info.tsc_khz
 * the way Xen's set_time_scale builds it:
 *   ns = ((tsc << shift, or >> -shift) * mul) >> 32
 * so the guest's formula over any (tsc_timestamp, system_time) pair this
 * file writes gives the VMM's own system time to within 1 ns, on every
 * CPU as long as the host TSCs are synchronised. That is what the
 * TSC_STABLE flag says, and it is set only when the host TSC is
 * invariant. Nothing drifts, so the data is written only when something
 * changed (shared_info mapped, vcpu_info moved, a time area registered):
 * xen_vcpu_prepare_entry costs a flag test while no timer is armed.
 */
#include "lib.h"
#include "vmm.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

#define NSEC_PER_SEC	1000000000ull

struct time_scale {
	u64 khz;		/* the tsc_khz it was built from */
	u32 mul;
	s8 shift;
};

static struct time_scale scale_cache;

/*
 * Xen's set_time_scale: halve the tick rate until it is at most 2 GHz,
 * double it until it is above 1 GHz (counting the shifts), then
 * mul = 1e9 * 2^32 / rate, below 2^32. Rate 0 (unknown) is taken as 1 GHz.
 */
static struct time_scale build_scale(u64 khz)
{
	u64 rate = khz ? khz * 1000 : NSEC_PER_SEC;
	struct time_scale s = { .khz = khz };
	int shift = 0;
	u32 r32;

	while (rate > 2 * NSEC_PER_SEC) {
		rate >>= 1;
		shift--;
	}
	r32 = (u32)rate;
	while (r32 <= NSEC_PER_SEC) {
		r32 <<= 1;
		shift++;
	}
	s.mul = (u32)((NSEC_PER_SEC << 32) / r32);
	s.shift = (s8)shift;
	return s;
}

static const struct time_scale *tscale(void)
{
	u64 khz = xvmm_boot_info.tsc_khz;

	if (scale_cache.khz != khz || !scale_cache.mul)
		scale_cache = build_scale(khz);
	return &scale_cache;
}

static u64 scale_delta(u64 delta, const struct time_scale *s)
{
	if (s->shift < 0)
		delta >>= -s->shift;
	else
		delta <<= s->shift;
	return (u64)(((unsigned __int128)delta * s->mul) >> 32);
}

u64 xen_system_time_ns(void)
{
	return scale_delta(xen_read_tsc(), tscale());
}

/* Version odd while the fields change, even when done (the guest retries on odd or a change). */
static void write_time(struct vcpu_time_info *t, const struct vcpu_time_info *src, u32 ver)
{
	WRITE_ONCE(t->version, ver);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = src->tsc_timestamp;
	t->system_time = src->system_time;
	t->tsc_to_system_mul = src->tsc_to_system_mul;
	t->tsc_shift = src->tsc_shift;
	t->flags = src->flags;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(t->version, ver + 1);
}

static void pvclock_write(struct vcpu *v)
{
	struct xen_vcpu_state *x = &v->xen;
	const struct time_scale *s = tscale();
	struct vcpu_time_info t = { 0 };
	struct vcpu_info *vi = xen_vcpu_info(v);
	u32 ver = (x->pvclock_version + 1) | 1;

	x->pvclock_dirty = false;
	t.tsc_timestamp = xen_read_tsc();
	t.system_time = scale_delta(t.tsc_timestamp, s);
	t.tsc_to_system_mul = s->mul;
	t.tsc_shift = s->shift;
	t.flags = xen_tsc_invariant() ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
	if (vi)
		write_time(&vi->time, &t, ver);
	if (x->time_area.gpa != ~0ull) {
		t.version = ver;
		xen_area_write(v, &x->time_area, 0, &t.version, sizeof(t.version));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		xen_area_write(v, &x->time_area, 8, &t.tsc_timestamp, sizeof(t) - 8);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		t.version = ver + 1;
		xen_area_write(v, &x->time_area, 0, &t.version, sizeof(t.version));
	}
	x->pvclock_version = ver + 1;
}

/*
 * Runstate: a vCPU here is running whenever dom0 runs it and Xen's other
 * states are dom0's business, so the area says "running since the
 * domain was created" with no time in any other state (no steal time).
 * Like Xen, the time in the current state is not in time[] of the area;
 * VCPUOP_get_runstate_info adds it.
 */
void xen_runstate_get(struct vcpu *v, u64 now, u64 time[4], u64 *entry)
{
	*entry = v->xen.runstate_entry;
	time[RUNSTATE_running] = now > *entry ? now - *entry : 0;
	time[RUNSTATE_runnable] = time[RUNSTATE_blocked] = time[RUNSTATE_offline] = 0;
}

void xen_runstate_write(struct vcpu *v)
{
	const struct xen_guest_area *a = &v->xen.runstate_area;
	bool flag = v->domain->xen.runstate_update_flag;
	u64 entry = v->xen.runstate_entry;
	size_t entry_off = v->mode_64 ? 8 : 4;
	u64 busy = entry | XEN_RUNSTATE_UPDATE;

	if (a->gpa == ~0ull)
		return;
	if (flag) {
		xen_area_write(v, a, entry_off, &busy, 8);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	if (v->mode_64) {
		struct vcpu_runstate_info r = {
			.state = RUNSTATE_running, .state_entry_time = flag ? busy : entry,
		};

		xen_area_write(v, a, 0, &r, sizeof(r));
	} else {
		struct vcpu_runstate_info_compat r = { .state = RUNSTATE_running };
		u64 e = flag ? busy : entry;

		memcpy(r.state_entry_time, &e, 8);
		xen_area_write(v, a, 0, &r, sizeof(r));
	}
	if (flag) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		xen_area_write(v, a, entry_off, &entry, 8);
	}
}

void xen_time_init_domain(struct domain *d)
{
	d->xen.created_ns = xen_system_time_ns();
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct xen_vcpu_state *x = &d->vcpus[i].xen;

		x->timer_deadline = 0;
		x->periodic_period = 0;
		x->periodic_next = 0;
		x->vcpu_info_gpa = ~0ull;
		x->time_area.gpa = x->time_area.gpa2 = ~0ull;
		x->runstate_area.gpa = x->runstate_area.gpa2 = ~0ull;
		x->runstate_entry = d->xen.created_ns;
		x->pvclock_version = 0;
		x->pvclock_dirty = true;
	}
}

/* Wallclock: UTC at system time 0, i.e. at TSC 0 (xvmm_boot_info.wallclock_ns). */
static void write_wallclock(struct domain *d, u8 *si)
{
	size_t off = d->vcpus[0].mode_64 ? offsetof(struct shared_info, wc_version) :
					   XEN_COMPAT_SHINFO_WC_VERSION;
	u32 *wc = (u32 *)(si + off);
	u64 ns = xvmm_boot_info.wallclock_ns;
	u64 sec = ns / NSEC_PER_SEC;
	u32 ver = (READ_ONCE(wc[0]) + 1) | 1;

	WRITE_ONCE(wc[0], ver);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wc[1] = (u32)sec;
	wc[2] = (u32)(ns % NSEC_PER_SEC);
	if (d->vcpus[0].mode_64)
		wc[3] = (u32)(sec >> 32);	/* wc_sec_hi */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(wc[0], ver + 1);
}

void xen_shared_info_mapped(struct domain *d)
{
	u8 *si = d->shared_info_gpa == ~0ull ? NULL :
		 guest_page_ptr(d, d->shared_info_gpa, 4096);

	if (si)
		write_wallclock(d, si);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i].xen.pvclock_dirty = true;
}

/* A past (or present) deadline fires at once, as in Xen. */
void xen_timer_set(struct vcpu *v, u64 deadline)
{
	if (deadline <= xen_system_time_ns()) {
		v->xen.timer_deadline = 0;
		xen_send_virq(v, VIRQ_TIMER);
		return;
	}
	v->xen.timer_deadline = deadline;
}

void xen_vcpu_prepare_entry(struct vcpu *v)
{
	struct xen_vcpu_state *x = &v->xen;
	u64 now;

	if (unlikely(x->pvclock_dirty))
		pvclock_write(v);
	if (likely(!x->timer_deadline && !x->periodic_period))
		return;
	now = xen_system_time_ns();
	if (x->timer_deadline && now >= x->timer_deadline) {
		x->timer_deadline = 0;
		xen_send_virq(v, VIRQ_TIMER);
	}
	if (x->periodic_period && now >= x->periodic_next) {
		xen_send_virq(v, VIRQ_TIMER);
		x->periodic_next += x->periodic_period;
		if (x->periodic_next <= now)	/* missed ticks are not made up */
			x->periodic_next = now + x->periodic_period;
	}
}

u64 xen_vcpu_timer_ns(struct vcpu *v)
{
	struct xen_vcpu_state *x = &v->xen;
	u64 next = x->timer_deadline, now;

	if (x->periodic_period && (!next || x->periodic_next < next))
		next = x->periodic_next;
	if (x->poll_deadline && (!next || x->poll_deadline < next))
		next = x->poll_deadline;	/* SCHEDOP_poll's timeout */
	if (!next)
		return 0;
	now = xen_system_time_ns();
	return next > now ? next - now : 1;
}
