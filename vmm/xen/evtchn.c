// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_channel_op (hypercall 32): the port table, 2-level delivery, and
 * the delivery side every event source here uses (VIRQs, IPIs, dom0,
 * other domains). FIFO queues are in evtchn_fifo.c.
 *
 * Follows Xen's xen/common/event_channel.c (do_event_channel_op and the
 * evtchn_* handlers), xen/common/event_2l.c (set_pending, unmask) and
 * xen/arch/x86/domain.c (vcpu_mark_events_pending), 4.17, with layouts
 * from public/event_channel.h (vmm/xen/xen_ops_abi.h).
 *
 * Ports: 4096 for a 64-bit guest and 1024 for a 32-bit one under
 * 2-level (one bit each in evtchn_pending), 131072 under FIFO, and never
 * beyond the domain's max_event_channels (xen_state.h); the lowest free
 * port is allocated, -ENOSPC past the limit, as Xen's get_free_port.
 * Port 0 is reserved. Peers: dom0 (the console and xenstore ports bound
 * at creation, and ports a guest allocated unbound for dom0 that a dom0
 * backend bound, xen_evtchn_bind_dom0; EVTCHNOP_send on them sets the
 * port's bit in domain->dom0_notify, ports 1..63 only, and returns
 * XEN_NOTIFY_DOM0), the domain itself (loopback) and other domUs: a
 * domain binds another's port that was allocated unbound for it
 * (EVTCHNOP_bind_interdomain), as Xen allows. Setting a port pending also
 * wakes a vCPU in SCHEDOP_poll on it (check_pollers; sched.c has the rest
 * of poll). PIRQs do not exist (-EINVAL).
 *
 * Locking: each domain's xen.lock covers its ports, its FIFO queues and
 * the pending bits it sets; two domains' locks are taken in domain id
 * order (as grant_table.c does), and a channel between two domUs changes
 * only with both held, so a domain that holds its lock and sees its port
 * bound to another still finds that domain's end there (destroy unbinds
 * every peer first, xen_evtchn_destroy).
 */
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "vmm.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/hvm_op.h>

#define SHINFO_PENDING		2048	/* both layouts */
#define SHINFO_MASK		2560
#define SHINFO_MASK_COMPAT	2176

_Static_assert(sizeof(struct xen_port) == 16, "a bucket holds 256 ports");
_Static_assert(XEN_PORT_BUCKETS * sizeof(struct xen_port *) == 4096, "one directory page");

static bool shinfo_compat(struct domain *d)
{
	return !d->vcpus[0].mode_64;
}

static u8 *shinfo(struct domain *d)
{
	if (d->shared_info_gpa == ~0ull)
		return NULL;
	return guest_page_ptr(d, d->shared_info_gpa, 4096);
}

struct vcpu_info *xen_vcpu_info(struct vcpu *v)
{
	struct domain *d = v->domain;
	u8 *si;

	if (v->xen.vcpu_info_gpa != ~0ull)
		return guest_page_ptr(d, v->xen.vcpu_info_gpa, sizeof(struct vcpu_info));
	if (v->id >= XEN_LEGACY_MAX_VCPUS || !(si = shinfo(d)))
		return NULL;
	return (struct vcpu_info *)(si + v->id * sizeof(struct vcpu_info));
}

/* ---- the port table ---------------------------------------------------- */

struct xen_port *xen_port_get(struct domain *d, u32 port)
{
	struct xen_port *b;

	if (!d->xen.port_bucket || port >= XEN_EVTCHN_FIFO_PORTS)
		return NULL;
	b = d->xen.port_bucket[port / XEN_PORTS_PER_BUCKET];
	return b ? &b[port % XEN_PORTS_PER_BUCKET] : NULL;
}

/* Ports the ABI in use has: Xen's max_evtchns, capped by max_event_channels. */
static u32 port_limit(struct domain *d)
{
	u32 abi = d->xen.fifo ? XEN_EVTCHN_FIFO_PORTS :
		  shinfo_compat(d) ? XEN_EVTCHN_2L_PORTS_COMPAT : XEN_EVTCHN_2L_PORTS;

	return MIN(abi, d->xen.evtchn_max_port + 1);
}

/* Ports that have a bucket: every port below is a valid index. */
static u32 ports_allocated(struct domain *d)
{
	u32 n = 0;

	while (n < XEN_EVTCHN_FIFO_PORTS && xen_port_get(d, n))
		n += XEN_PORTS_PER_BUCKET;
	return n;
}

/* Buckets are added in order from port 0, a zeroed page each (all FREE). */
static int add_bucket(struct domain *d, u32 port)
{
	u64 pa;

	if (!d->xen.port_bucket && !(d->xen.port_bucket = page_alloc(&pa)))
		return -XEN_ENOMEM;
	if (!(d->xen.port_bucket[port / XEN_PORTS_PER_BUCKET] = page_alloc(&pa)))
		return -XEN_ENOMEM;
	return 0;
}

static void free_buckets(struct domain *d)
{
	struct xen_port **dir = d->xen.port_bucket;

	if (!dir)
		return;
	d->xen.port_bucket = NULL;
	for (unsigned int i = 0; i < XEN_PORT_BUCKETS; i++)
		if (dir[i])
			page_free(vmm_va_to_pa(dir[i]));
	page_free(vmm_va_to_pa(dir));
}

/*
 * The lowest free port, or -ENOSPC (Xen's get_free_port). A FIFO port
 * still LINKED in a queue is busy: not reused until the guest unlinks it.
 * Caller holds the lock.
 */
static int alloc_port(struct domain *d)
{
	u32 limit = port_limit(d);

	if (d->xen.evtchn_dead)
		return -XEN_EINVAL;
	for (u32 n = 1; n < limit; n++) {
		struct xen_port *p = xen_port_get(d, n);
		int rc;

		if (!p) {
			rc = add_bucket(d, n);
			if (rc)
				return rc;
			p = xen_port_get(d, n);
		}
		if (p->state != XEN_PORT_FREE || (d->xen.fifo && xen_fifo_is_busy(d, n)))
			continue;
		/* last_vcpu / last_priority stay: they name the queue whose tail may be this port. */
		p->vcpu = 0;
		p->virq = 0;
		p->remote_dom = 0;
		p->remote_port = 0;
		p->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		p->fifo_pending = false;
		return (int)n;
	}
	return -XEN_ENOSPC;
}

int xen_evtchn_limits(struct domain *d, u32 max_port)
{
	if (max_port > XEN_EVTCHN_MAX_PORT)
		return -EINVAL;
	d->xen.evtchn_max_port = max_port ? max_port : XEN_EVTCHN_DEFAULT_MAX_PORT;
	return 0;
}

/* ---- 2-level delivery -------------------------------------------------- */

/* Bit @n of a little-endian bitmap at @base, in 32-bit words (both layouts agree). */
static u32 *bit_word(void *base, unsigned int n)
{
	return (u32 *)base + n / 32;
}

static bool test_and_set(void *base, unsigned int n)
{
	u32 m = 1u << (n % 32);

	return __atomic_fetch_or(bit_word(base, n), m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear(void *base, unsigned int n)
{
	u32 m = 1u << (n % 32);

	return __atomic_fetch_and(bit_word(base, n), ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(void *base, unsigned int n)
{
	return __atomic_load_n(bit_word(base, n), __ATOMIC_SEQ_CST) & (1u << (n % 32));
}

/* The port has a bit in the 2-level bitmaps of the layout in use. */
static bool port_2l(struct domain *d, u32 port)
{
	return port < (shinfo_compat(d) ? XEN_EVTCHN_2L_PORTS_COMPAT : XEN_EVTCHN_2L_PORTS);
}

/* evtchn_pending_sel: a u64 at 8 (bit = port / 64), or for 32-bit guests a u32 at 4 (port / 32). */
static bool set_pending_sel(struct domain *d, struct vcpu_info *vi, unsigned int port)
{
	if (shinfo_compat(d))
		return test_and_set((u8 *)vi + 4, port / 32);
	return test_and_set((u8 *)vi + 8, port / 64);
}

static u8 *mask_base(struct domain *d, u8 *si)
{
	return si + (shinfo_compat(d) ? SHINFO_MASK_COMPAT : SHINFO_MASK);
}

/*
 * Xen's vcpu_unblock as far as SCHEDOP_poll is concerned: a polling vCPU
 * is woken. Its dom0 thread notices at its next VCPU_RUN, which whoever
 * raised the event makes happen (a dom0 send kicks the thread; a timer
 * runs there already).
 */
static void wake_poller(struct vcpu *v)
{
	if (__atomic_load_n(&v->xen.polling, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&v->xen.poll_woken, true, __ATOMIC_SEQ_CST);
		domain_kick_vcpu(v);
	}
}

/*
 * The upcall: global callback vector (HVM_PARAM_CALLBACK_IRQ type 2) is
 * level-like in Xen (hvm_vcpu_has_pending_irq checks upcall_pending at
 * every entry), so nothing is latched for it. A per-vCPU vector goes
 * through Xen's vLAPIC IRR only when upcall_pending goes 0 -> 1: latched
 * in upcall_edge until the guest takes it. The 0 -> 1 edge also kicks
 * the vCPU in Xen (hvm_assert_evtchn_irq -> vcpu_kick), which ends a
 * SCHEDOP_poll whatever port it was.
 */
void xen_mark_events_pending(struct vcpu *v)
{
	struct vcpu_info *vi = xen_vcpu_info(v);

	if (!vi)
		return;
	if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
		return;
	if (v->xen.upcall_vector)
		__atomic_store_n(&v->xen.upcall_edge, 1, __ATOMIC_SEQ_CST);
	wake_poller(v);
	domain_kick_vcpu(v);		/* Xen's vcpu_kick: it may run or sleep elsewhere */
}

/*
 * Xen's evtchn_check_pollers: a vCPU polling this port, or several ports
 * (poll_port -1), is woken, masked or not. Runs after the pending bit is
 * set; SCHEDOP_poll sets `polling` before it looks at the bits, so one of
 * the two always sees the other.
 */
void xen_evtchn_check_pollers(struct domain *d, u32 port)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];
		s32 want = __atomic_load_n(&v->xen.poll_port, __ATOMIC_SEQ_CST);

		if (want < 0 || (u32)want == port)
			wake_poller(v);
	}
}

/*
 * Xen's evtchn_port_set_pending. 2-level: evtchn_2l_set_pending; without
 * shared_info the event is lost, as it has nowhere to go.
 */
static void set_pending(struct domain *d, u32 port)
{
	struct xen_port *p = xen_port_get(d, port);
	struct vcpu *v;
	struct vcpu_info *vi;
	u8 *si;

	if (!p)
		return;
	if (d->xen.fifo) {
		xen_fifo_set_pending(d, port, p);
		return;
	}
	v = &d->vcpus[p->vcpu];
	si = shinfo(d);
	if (!si || !port_2l(d, port) || test_and_set(si + SHINFO_PENDING, port))
		return;
	if (!test_bit(mask_base(d, si), port)) {
		vi = xen_vcpu_info(v);
		if (vi && !set_pending_sel(d, vi, port))
			xen_mark_events_pending(v);
	}
	xen_evtchn_check_pollers(d, port);
}

int xen_evtchn_port_poll(struct domain *d, u32 port)
{
	int rc = -XEN_EINVAL;
	u8 *si;

	spin_lock(&d->xen.lock);
	if (!xen_port_get(d, port))
		goto out;
	if (d->xen.fifo) {
		rc = xen_fifo_is_pending(d, port);
	} else {
		si = shinfo(d);
		rc = si && port_2l(d, port) && test_bit(si + SHINFO_PENDING, port);
	}
out:
	spin_unlock(&d->xen.lock);
	return rc;
}

/* Xen's evtchn_port_unmask; 2-level: evtchn_2l_unmask. */
static void unmask(struct domain *d, u32 port)
{
	struct xen_port *p = xen_port_get(d, port);
	struct vcpu *v;
	struct vcpu_info *vi;
	u8 *si = shinfo(d);

	if (d->xen.fifo) {
		xen_fifo_unmask(d, port, p);
		return;
	}
	v = &d->vcpus[p->vcpu];
	if (!si || !port_2l(d, port) || !test_and_clear(mask_base(d, si), port) ||
	    !test_bit(si + SHINFO_PENDING, port))
		return;
	vi = xen_vcpu_info(v);
	if (vi && !set_pending_sel(d, vi, port))
		xen_mark_events_pending(v);
}

static void clear_pending(struct domain *d, u32 port)
{
	u8 *si;

	if (d->xen.fifo) {
		xen_fifo_clear_pending(d, port);
		return;
	}
	si = shinfo(d);
	if (si && port_2l(d, port))
		test_and_clear(si + SHINFO_PENDING, port);
}

void xen_send_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	u32 port;

	if (virq >= XEN_NR_VIRQS)
		return;
	spin_lock(&d->xen.lock);
	port = v->xen.virq_port[virq];
	if (port)
		set_pending(d, port);
	spin_unlock(&d->xen.lock);
}

/* Per-vCPU VIRQs (Xen's virq_is_global is false for these). */
static bool virq_is_global(unsigned int virq)
{
	return !(virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
		 virq == VIRQ_XENPMU);
}

/* A fresh table: the first bucket with port 0 reserved. Frees an old one. */
int xen_evtchn_init(struct domain *d)
{
	d->xen.lock = (spinlock_t)SPINLOCK_INIT;
	free_buckets(d);
	d->xen.evtchn_dead = false;
	d->xen.fifo = false;
	d->xen.fifo_nr_pages = 0;
	if (!d->xen.evtchn_max_port)
		d->xen.evtchn_max_port = XEN_EVTCHN_DEFAULT_MAX_PORT;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct xen_vcpu_state *x = &d->vcpus[i].xen;

		memset(x->virq_port, 0, sizeof(x->virq_port));
		memset(x->fifo_tail, 0, sizeof(x->fifo_tail));
		x->fifo_control = false;
		x->kick_domid = 0;
		x->kick_mask = 0;
		x->upcall_vector = 0;
		x->upcall_edge = 0;
		x->polling = false;
		x->poll_woken = false;
		x->poll_port = 0;
		x->poll_deadline = 0;
	}
	if (add_bucket(d, 0))
		return -XEN_ENOMEM;
	xen_port_get(d, 0)->state = XEN_PORT_RESERVED;
	return 0;
}

/* Xen's evtchn_free: the pending bit goes, the binding returns to vCPU 0. */
static void free_port(struct domain *d, struct xen_port *p, u32 port)
{
	clear_pending(d, port);
	p->state = XEN_PORT_FREE;
	p->vcpu = 0;
	p->remote_dom = 0;
	p->remote_port = 0;
}

static struct vcpu *domain_vcpu(struct domain *d, u32 id)
{
	return id < d->nr_vcpus ? &d->vcpus[id] : NULL;
}

/* A domid naming the caller, another (existing) domain, or nobody. */
static int check_self(struct vcpu *v, domid_t dom)
{
	if (xen_domid_is_self(v, dom))
		return 0;
	return domain_get(dom) || dom == 0 ? -XEN_EPERM : -XEN_ESRCH;
}

/* Another guest (not dom0, not the domain itself). */
static bool other_domu(struct domain *d, u16 domid)
{
	return domid != 0 && domid != d->id;
}

/* Both domains' locks in domain id order (@b may be NULL or @a). */
static void lock_two(struct domain *a, struct domain *b)
{
	if (b && b != a && b->id < a->id) {
		spin_lock(&b->xen.lock);
		spin_lock(&a->xen.lock);
	} else {
		spin_lock(&a->xen.lock);
		if (b && b != a)
			spin_lock(&b->xen.lock);
	}
}

static void unlock_two(struct domain *a, struct domain *b)
{
	if (b && b != a)
		spin_unlock(&b->xen.lock);
	spin_unlock(&a->xen.lock);
}

/* @rd's end of @d's interdomain port @port, if the two still point at each other. */
static struct xen_port *peer_end(struct domain *d, u32 port, struct domain *rd)
{
	struct xen_port *p = xen_port_get(d, port), *r;

	if (!rd || !p || p->state != XEN_PORT_INTERDOMAIN || p->remote_dom != rd->id)
		return NULL;
	r = xen_port_get(rd, p->remote_port);
	if (!r || r->state != XEN_PORT_INTERDOMAIN || r->remote_dom != d->id || r->remote_port != port)
		return NULL;
	return r;
}

static int bind_dom0(struct domain *d, u64 *port_out)
{
	struct xen_port *p;
	int port;

	spin_lock(&d->xen.lock);
	port = alloc_port(d);
	if (port > 0) {
		p = xen_port_get(d, (u32)port);
		p->state = XEN_PORT_INTERDOMAIN;
		p->remote_dom = 0;
		p->remote_port = (u32)port;
	}
	spin_unlock(&d->xen.lock);
	if (port < 0)
		return port;
	*port_out = (u64)port;
	return 0;
}

static s64 op_alloc_unbound(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_alloc_unbound a;
	struct xen_port *p;
	int rc;

	if (xen_copy_from_guest(v, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	rc = check_self(v, a.dom);
	if (rc)
		return rc;
	spin_lock(&d->xen.lock);
	rc = alloc_port(d);
	if (rc > 0) {
		p = xen_port_get(d, (u32)rc);
		p->state = XEN_PORT_UNBOUND;
		p->remote_dom = a.remote_dom == DOMID_SELF ? (u16)d->id : a.remote_dom;
	}
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	a.port = (u32)rc;
	return xen_copy_to_guest(v, arg, &a, sizeof(a));
}

/*
 * Xen's evtchn_bind_interdomain: the remote port must be unbound for the
 * caller (-EINVAL otherwise), in the caller itself (loopback) or in
 * another domU. Dom0's ports are the toolstack's (bound at creation):
 * nothing of dom0's waits unbound for a guest (-EINVAL).
 */
static s64 op_bind_interdomain(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain, *rd;
	struct evtchn_bind_interdomain b;
	struct xen_port *r, *l;
	int rc;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (b.remote_dom == 0)
		return -XEN_EINVAL;
	rd = xen_domid_is_self(v, b.remote_dom) ? d : domain_get(b.remote_dom);
	if (!rd)
		return -XEN_ESRCH;
	lock_two(d, rd);
	rc = alloc_port(d);
	if (rc < 0)
		goto out;
	r = rd->xen.evtchn_dead ? NULL : xen_port_get(rd, b.remote_port);
	if (!r || r->state != XEN_PORT_UNBOUND || r->remote_dom != d->id) {
		rc = -XEN_EINVAL;
		goto out;
	}
	l = xen_port_get(d, (u32)rc);
	l->state = XEN_PORT_INTERDOMAIN;
	l->remote_dom = (u16)rd->id;
	l->remote_port = b.remote_port;
	r->state = XEN_PORT_INTERDOMAIN;
	r->remote_dom = (u16)d->id;
	r->remote_port = (u32)rc;
	/* Xen: notifications sent while the remote end was unbound may be lost. */
	set_pending(d, (u32)rc);
out:
	unlock_two(d, rd);
	if (rc < 0)
		return rc;
	b.local_port = (u32)rc;
	return xen_copy_to_guest(v, arg, &b, sizeof(b));
}

static s64 op_bind_virq(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_virq b;
	struct xen_port *p;
	struct vcpu *t;
	int rc;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (b.virq >= XEN_NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(b.virq) && b.vcpu != 0)
		return -XEN_EINVAL;
	t = domain_vcpu(d, b.vcpu);
	if (!t)
		return -XEN_ENOENT;
	spin_lock(&d->xen.lock);
	if (t->xen.virq_port[b.virq]) {
		rc = -XEN_EEXIST;
	} else {
		rc = alloc_port(d);
		if (rc > 0) {
			p = xen_port_get(d, (u32)rc);
			p->state = XEN_PORT_VIRQ;
			p->vcpu = (u8)b.vcpu;
			p->virq = (u8)b.virq;
			t->xen.virq_port[b.virq] = (u32)rc;
		}
	}
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	b.port = (u32)rc;
	return xen_copy_to_guest(v, arg, &b, sizeof(b));
}

static s64 op_bind_ipi(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_ipi b;
	struct xen_port *p;
	int rc;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (!domain_vcpu(d, b.vcpu))
		return -XEN_ENOENT;
	spin_lock(&d->xen.lock);
	rc = alloc_port(d);
	if (rc > 0) {
		p = xen_port_get(d, (u32)rc);
		p->state = XEN_PORT_IPI;
		p->vcpu = (u8)b.vcpu;
	}
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	b.port = (u32)rc;
	return xen_copy_to_guest(v, arg, &b, sizeof(b));
}

/*
 * Xen's evtchn_close, with @d's lock held, and @rd's too when the port
 * is bound to that other domU: its end waits unbound for @d again (Xen
 * sets ECS_UNBOUND with remote_domid = the closing domain).
 */
static int close_port(struct domain *d, u32 port, struct domain *rd)
{
	struct xen_port *p = xen_port_get(d, port), *r;

	if (!p)
		return -XEN_EINVAL;
	switch (p->state) {
	case XEN_PORT_FREE:
	case XEN_PORT_RESERVED:
		return -XEN_EINVAL;
	case XEN_PORT_VIRQ: {
		struct vcpu *t = &d->vcpus[virq_is_global(p->virq) ? 0 : p->vcpu];

		t->xen.virq_port[p->virq] = 0;
		break;
	}
	case XEN_PORT_INTERDOMAIN:
		if (p->remote_dom == d->id && p->remote_port != port) {
			/* A loopback's other end waits unbound again. */
			r = xen_port_get(d, p->remote_port);
			if (r) {
				r->state = XEN_PORT_UNBOUND;
				r->remote_dom = (u16)d->id;
				r->remote_port = 0;
			}
		} else if (other_domu(d, p->remote_dom) && (r = peer_end(d, port, rd))) {
			r->state = XEN_PORT_UNBOUND;
			r->remote_dom = (u16)d->id;
			r->remote_port = 0;
		}
		/* Dom0's end has no state here. */
		break;
	default:
		break;
	}
	free_port(d, p, port);
	return 0;
}

/* Close @port of @d, taking the peer's lock too if it is bound to another domU. */
static int evtchn_close(struct domain *d, u32 port)
{
	struct domain *rd = NULL;
	struct xen_port *p;
	u16 rid;
	int rc;

	spin_lock(&d->xen.lock);
	p = xen_port_get(d, port);
	if (p && p->state == XEN_PORT_INTERDOMAIN && other_domu(d, p->remote_dom)) {
		rid = p->remote_dom;
		spin_unlock(&d->xen.lock);
		rd = domain_get(rid);
		lock_two(d, rd);
		p = xen_port_get(d, port);
		/* Closed or rebound while unlocked: Xen answers as for a closed port. */
		if (!p || p->state != XEN_PORT_INTERDOMAIN || p->remote_dom != rid) {
			unlock_two(d, rd);
			return -XEN_EINVAL;
		}
	}
	rc = close_port(d, port, rd);
	if (rd)
		unlock_two(d, rd);
	else
		spin_unlock(&d->xen.lock);
	return rc;
}

static s64 op_close(struct vcpu *v, u64 arg)
{
	struct evtchn_port_arg c;

	if (xen_copy_from_guest(v, &c, arg, sizeof(c)))
		return -XEN_EFAULT;
	return evtchn_close(v->domain, c.port);
}

/*
 * A send to another domU: its end is set pending, and the vCPUs that
 * raises something for are handed to this vCPU's dom0 thread to kick at
 * once (XVMM_RUN_KICK with kick_domid): the target domain's own vCPUs may
 * all be asleep in dom0, so nobody else would.
 */
static int send_remote(struct vcpu *v, u32 port, u16 rid)
{
	struct domain *d = v->domain, *rd = domain_get(rid);
	u64 mask;

	lock_two(d, rd);
	if (peer_end(d, port, rd)) {
		set_pending(rd, xen_port_get(d, port)->remote_port);
		mask = __atomic_exchange_n(&rd->kick_pending, 0, __ATOMIC_ACQ_REL);
		if (mask && v->xen.kick_domid && v->xen.kick_domid != rid) {
			/* One kick target per exit: this one's vCPUs pass it on themselves. */
			__atomic_fetch_or(&rd->kick_pending, mask, __ATOMIC_RELEASE);
		} else if (mask) {
			v->xen.kick_domid = rid;
			v->xen.kick_mask |= mask;
		}
	}
	/* Otherwise the peer closed it or is gone: the port is unbound now, the send dropped. */
	if (rd)
		unlock_two(d, rd);
	else
		spin_unlock(&d->xen.lock);
	return 0;
}

unsigned int xen_take_remote_kick(struct vcpu *v, u64 *mask)
{
	unsigned int domid = v->xen.kick_domid;

	*mask = v->xen.kick_mask;
	v->xen.kick_domid = 0;
	v->xen.kick_mask = 0;
	return domid;
}

bool xen_remote_kick_pending(const struct vcpu *v)
{
	return v->xen.kick_domid != 0;
}

static s64 op_send(struct vcpu *v, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	struct evtchn_port_arg s;
	struct xen_port *p, c = { 0 };
	int rc = 0;

	if (xen_copy_from_guest(v, &s, hc->arg[1], sizeof(s)))
		return -XEN_EFAULT;
	spin_lock(&d->xen.lock);
	p = xen_port_get(d, s.port);
	if (p)
		c = *p;
	switch (c.state) {
	case XEN_PORT_INTERDOMAIN:
		if (c.remote_dom == 0) {
			if (s.port < 64)
				__atomic_fetch_or(&d->dom0_notify, 1ull << s.port, __ATOMIC_SEQ_CST);
			hc->action = XEN_NOTIFY_DOM0;
		} else if (c.remote_dom == d->id) {
			set_pending(d, c.remote_port);
		} else {
			spin_unlock(&d->xen.lock);
			return send_remote(v, s.port, c.remote_dom);
		}
		break;
	case XEN_PORT_IPI:
		set_pending(d, s.port);
		break;
	case XEN_PORT_UNBOUND:
		break;			/* dropped, as Xen does */
	default:
		rc = -XEN_EINVAL;
		break;
	}
	spin_unlock(&d->xen.lock);
	return rc;
}

static s64 op_status(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_status st;
	struct xen_port *p, c;
	int rc;

	if (xen_copy_from_guest(v, &st, arg, sizeof(st)))
		return -XEN_EFAULT;
	rc = check_self(v, st.dom);
	if (rc)
		return rc;
	spin_lock(&d->xen.lock);
	p = xen_port_get(d, st.port);
	if (p)
		c = *p;
	spin_unlock(&d->xen.lock);
	if (!p)
		return -XEN_EINVAL;
	memset(&st.u, 0, sizeof(st.u));
	switch (c.state) {
	case XEN_PORT_UNBOUND:
		st.status = EVTCHNSTAT_unbound;
		st.u.unbound_dom = c.remote_dom;
		break;
	case XEN_PORT_INTERDOMAIN:
		st.status = EVTCHNSTAT_interdomain;
		st.u.interdomain.dom = c.remote_dom;
		st.u.interdomain.port = c.remote_port;
		break;
	case XEN_PORT_VIRQ:
		st.status = EVTCHNSTAT_virq;
		st.u.virq = c.virq;
		break;
	case XEN_PORT_IPI:
		st.status = EVTCHNSTAT_ipi;
		break;
	default:
		st.status = EVTCHNSTAT_closed;
		break;
	}
	st.vcpu = c.vcpu;
	return xen_copy_to_guest(v, arg, &st, sizeof(st));
}

static s64 op_bind_vcpu(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_vcpu b;
	struct xen_port *p;
	int rc = 0;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (!domain_vcpu(d, b.vcpu))
		return -XEN_ENOENT;
	spin_lock(&d->xen.lock);
	p = xen_port_get(d, b.port);
	switch (p ? p->state : XEN_PORT_FREE) {
	case XEN_PORT_VIRQ:
		if (virq_is_global(p->virq))
			p->vcpu = (u8)b.vcpu;
		else
			rc = -XEN_EINVAL;
		break;
	case XEN_PORT_UNBOUND:
	case XEN_PORT_INTERDOMAIN:
		p->vcpu = (u8)b.vcpu;
		break;
	default:
		rc = -XEN_EINVAL;
		break;
	}
	spin_unlock(&d->xen.lock);
	return rc;
}

static s64 op_unmask(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_port_arg u;
	int rc = 0;

	if (xen_copy_from_guest(v, &u, arg, sizeof(u)))
		return -XEN_EFAULT;
	spin_lock(&d->xen.lock);
	if (xen_port_get(d, u.port))
		unmask(d, u.port);
	else
		rc = -XEN_EINVAL;
	spin_unlock(&d->xen.lock);
	return rc;
}

/* Close every port of @d (dom0's included). */
static void close_all(struct domain *d)
{
	u32 n;

	spin_lock(&d->xen.lock);
	n = ports_allocated(d);
	spin_unlock(&d->xen.lock);
	for (u32 p = 1; p < n; p++) {
		struct xen_port *x;
		bool bound;

		spin_lock(&d->xen.lock);
		x = xen_port_get(d, p);
		bound = x && x->state != XEN_PORT_FREE;
		spin_unlock(&d->xen.lock);
		if (bound)
			evtchn_close(d, p);
	}
}

/* Close every port, as Xen's evtchn_reset does; a FIFO domain goes back to 2-level. */
static s64 op_reset(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_reset r;
	int rc;

	if (xen_copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	rc = check_self(v, r.dom);
	if (rc)
		return rc;
	close_all(d);
	spin_lock(&d->xen.lock);
	xen_fifo_reset(d);
	spin_unlock(&d->xen.lock);
	return 0;
}

void xen_evtchn_destroy(struct domain *d)
{
	if (!d->xen.port_bucket)
		return;
	close_all(d);
	spin_lock(&d->xen.lock);
	d->xen.evtchn_dead = true;
	xen_fifo_reset(d);
	free_buckets(d);
	spin_unlock(&d->xen.lock);
}

/*
 * EVTCHNOP_init_control, Xen 4.17's checks in its order
 * (common/event_fifo.c, evtchn_fifo_init_control; XSA-188): no such vCPU
 * -ENOENT, a control block crossing the page or not 8-byte aligned
 * -EINVAL, then under the lock a frame that is not the guest's RAM
 * -EINVAL, a vCPU that has one already -EINVAL. link_bits is always
 * written back.
 */
static s64 op_init_control(struct vcpu *v, u64 arg, struct evtchn_init_control *ic)
{
	struct domain *d = v->domain;
	s64 rc;

	if (xen_copy_from_guest(v, ic, arg, sizeof(*ic)))
		return -XEN_EFAULT;
	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (ic->vcpu >= d->nr_vcpus)
		rc = -XEN_ENOENT;
	else if (ic->offset > 4096 - sizeof(struct evtchn_fifo_control_block) || (ic->offset & 7))
		rc = -XEN_EINVAL;
	else {
		spin_lock(&d->xen.lock);
		rc = xen_fifo_init_control(d, &d->vcpus[ic->vcpu], ic->control_gfn, ic->offset);
		spin_unlock(&d->xen.lock);
	}
	if (xen_copy_to_guest(v, arg, ic, sizeof(*ic)))
		return -XEN_EFAULT;
	return rc;
}

static s64 op_expand_array(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_expand_array e;
	int rc;

	if (xen_copy_from_guest(v, &e, arg, sizeof(e)))
		return -XEN_EFAULT;
	spin_lock(&d->xen.lock);
	rc = xen_fifo_expand_array(d, e.array_gfn);
	spin_unlock(&d->xen.lock);
	return rc;
}

/* Xen's evtchn_set_priority: -ENOSYS under 2-level (no set_priority op). */
static s64 op_set_priority(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_set_priority sp;
	struct xen_port *p;
	int rc = 0;

	if (xen_copy_from_guest(v, &sp, arg, sizeof(sp)))
		return -XEN_EFAULT;
	spin_lock(&d->xen.lock);
	p = xen_port_get(d, sp.port);
	if (!p)
		rc = -XEN_EINVAL;
	else if (!d->xen.fifo)
		rc = -XEN_ENOSYS;
	else if (sp.priority > EVTCHN_FIFO_PRIORITY_MIN)
		rc = -XEN_EINVAL;
	else
		p->priority = (u8)sp.priority;	/* for its next link (Xen: the old queue keeps it) */
	spin_unlock(&d->xen.lock);
	return rc;
}

s64 xen_event_channel_op(struct vcpu *v, struct xen_hcall *hc)
{
	u64 arg = hc->arg[1];
	union {
		struct evtchn_bind_pirq pirq;
		struct evtchn_init_control ic;
	} u;

	switch ((u32)hc->arg[0]) {	/* int cmd */
	case EVTCHNOP_alloc_unbound:
		return op_alloc_unbound(v, arg);
	case EVTCHNOP_bind_interdomain:
		return op_bind_interdomain(v, arg);
	case EVTCHNOP_bind_virq:
		return op_bind_virq(v, arg);
	case EVTCHNOP_bind_ipi:
		return op_bind_ipi(v, arg);
	case EVTCHNOP_close:
		return op_close(v, arg);
	case EVTCHNOP_send:
		return op_send(v, hc);
	case EVTCHNOP_status:
		return op_status(v, arg);
	case EVTCHNOP_bind_vcpu:
		return op_bind_vcpu(v, arg);
	case EVTCHNOP_unmask:
		return op_unmask(v, arg);
	case EVTCHNOP_reset:
	case EVTCHNOP_reset_cont:
		return op_reset(v, arg);
	case EVTCHNOP_bind_pirq:
		/* A PVH domain has no PIRQs: Xen's range check fails. */
		if (xen_copy_from_guest(v, &u.pirq, arg, sizeof(u.pirq)))
			return -XEN_EFAULT;
		return -XEN_EINVAL;
	case EVTCHNOP_init_control:
		return op_init_control(v, arg, &u.ic);
	case EVTCHNOP_expand_array:
		return op_expand_array(v, arg);
	case EVTCHNOP_set_priority:
		return op_set_priority(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}

static bool dom0_port(struct xen_port *p, u32 port, u8 state)
{
	return p && port < 64 && p->state == state && p->remote_dom == 0;
}

int xen_evtchn_send_from_dom0(struct domain *d, u32 port)
{
	int rc = 0;

	spin_lock(&d->xen.lock);
	if (!dom0_port(xen_port_get(d, port), port, XEN_PORT_INTERDOMAIN))
		rc = -XEN_EINVAL;
	else
		set_pending(d, port);
	spin_unlock(&d->xen.lock);
	return rc;
}

/*
 * Dom0 binds a port the guest allocated for it (EVTCHNOP_alloc_unbound
 * with remote_dom 0), as a backend's EVTCHNOP_bind_interdomain does in
 * Xen; unbinding is dom0 closing its end: the guest's port waits unbound
 * for dom0 again (Xen's evtchn_close of an interdomain channel).
 * Xen also sets the binder's new port pending; dom0's end has no state
 * here, so that notification is left out. Dom0's side reaches ports
 * 1..63 (domain->dom0_notify is one word).
 */
int xen_evtchn_bind_dom0(struct domain *d, u32 port, bool bind)
{
	struct xen_port *p;
	int rc = 0;

	spin_lock(&d->xen.lock);
	p = xen_port_get(d, port);
	if (!dom0_port(p, port, bind ? XEN_PORT_UNBOUND : XEN_PORT_INTERDOMAIN)) {
		rc = -XEN_EINVAL;
	} else if (bind) {
		p->state = XEN_PORT_INTERDOMAIN;
		p->remote_port = port;
	} else {
		p->state = XEN_PORT_UNBOUND;
		p->remote_port = 0;
	}
	spin_unlock(&d->xen.lock);
	return rc;
}

u8 xen_upcall_vector(struct vcpu *v)
{
	u64 cb = v->domain->hvm_params[0];	/* HVM_PARAM_CALLBACK_IRQ */
	struct vcpu_info *vi;

	if (__atomic_load_n(&v->xen.upcall_edge, __ATOMIC_SEQ_CST))
		return v->xen.upcall_vector;
	if ((cb >> 56) != 2 || (u8)cb < 0x10)
		return 0;
	vi = xen_vcpu_info(v);
	if (!vi || !__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
		return 0;
	return (u8)cb;
}

void xen_upcall_delivered(struct vcpu *v)
{
	/* Per-vCPU vector: taken. The callback vector re-arms itself while upcall_pending stays set. */
	__atomic_store_n(&v->xen.upcall_edge, 0, __ATOMIC_SEQ_CST);
}

/*
 * Domain creation: the port table, time, grant table; then the console
 * and xenstore rings' ports, bound to dom0 as the toolstack binds them
 * for its backends, published in the HVM params.
 */
int xen_domain_init(struct domain *d, u64 console_gfn, u64 store_gfn)
{
	int rc;

	rc = xen_evtchn_init(d);
	if (rc)
		return rc;
	xen_time_init_domain(d);
	xen_gnttab_init(d);
	d->xen.runstate_update_flag = false;
	d->xen.initialised = true;
	if (console_gfn) {
		rc = bind_dom0(d, &d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN]);
		if (rc)
			return rc;
		d->hvm_params[HVM_PARAM_CONSOLE_PFN] = console_gfn;
	}
	if (store_gfn) {
		rc = bind_dom0(d, &d->hvm_params[HVM_PARAM_STORE_EVTCHN]);
		if (rc)
			return rc;
		d->hvm_params[HVM_PARAM_STORE_PFN] = store_gfn;
	}
	return 0;
}
