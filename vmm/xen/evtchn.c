// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_channel_op (hypercall 32): 2-level event channels, and the
 * delivery side every event source here uses (VIRQs, IPIs, dom0).
 *
 * Follows Xen's xen/common/event_channel.c (do_event_channel_op and the
 * evtchn_* handlers), xen/common/event_2l.c (set_pending, unmask) and
 * xen/arch/x86/domain.c (vcpu_mark_events_pending), 4.17, with layouts
 * from public/event_channel.h (vmm/xen/xen_ops_abi.h).
 *
 * Ports 0..63 (XEN_NR_PORTS: one evtchn_pending word); port 0 is
 * reserved, as in Xen. Peers: dom0 (the toolstack's console and xenstore
 * ports, xen_domain_init, and ports the guest allocated unbound for dom0
 * that a dom0 backend bound, xen_evtchn_bind_dom0; EVTCHNOP_send on them
 * sets the port's bit in domain->dom0_notify and returns XEN_NOTIFY_DOM0)
 * and the domain itself (loopback). Channels to other guests are refused
 * (-EPERM). Setting a port pending also wakes a vCPU in SCHEDOP_poll on
 * it (check_pollers; sched.c has the rest of poll). FIFO (init_control,
 * after Xen's argument checks; expand_array, set_priority) is -ENOSYS, so
 * guests use 2-level; PIRQs do not exist (-EINVAL).
 */
#include "lib.h"
#include "log.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/hvm_op.h>

#define SHINFO_PENDING		2048	/* both layouts */
#define SHINFO_MASK		2560
#define SHINFO_MASK_COMPAT	2176

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
 * The upcall: global callback vector (HVM_PARAM_CALLBACK_IRQ type 2) is
 * level-like in Xen (hvm_vcpu_has_pending_irq checks upcall_pending at
 * every entry), so nothing is latched for it. A per-vCPU vector goes
 * through Xen's vLAPIC IRR only when upcall_pending goes 0 -> 1: latched
 * in upcall_edge until the guest takes it.
 */
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
 * The 0 -> 1 edge also kicks the vCPU in Xen (hvm_assert_evtchn_irq ->
 * vcpu_kick), which ends a SCHEDOP_poll whatever port it was.
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
static void check_pollers(struct domain *d, unsigned int port)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];
		s16 want = __atomic_load_n(&v->xen.poll_port, __ATOMIC_SEQ_CST);

		if (want < 0 || want == (s16)port)
			wake_poller(v);
	}
}

/* Xen's evtchn_2l_set_pending. Without shared_info the event is lost, as it has nowhere to go. */
static void set_pending(struct domain *d, unsigned int port)
{
	struct vcpu *v = &d->vcpus[d->xen.port[port].vcpu];
	struct vcpu_info *vi;
	u8 *si = shinfo(d);

	if (!si || test_and_set(si + SHINFO_PENDING, port))
		return;
	if (!test_bit(mask_base(d, si), port)) {
		vi = xen_vcpu_info(v);
		if (vi && !set_pending_sel(d, vi, port))
			xen_mark_events_pending(v);
	}
	check_pollers(d, port);
}

int xen_evtchn_port_poll(struct domain *d, u32 port)
{
	u8 *si;

	if (port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	si = shinfo(d);
	return si && test_bit(si + SHINFO_PENDING, port);
}

/* Xen's evtchn_2l_unmask. */
static void unmask(struct domain *d, unsigned int port)
{
	struct vcpu *v = &d->vcpus[d->xen.port[port].vcpu];
	struct vcpu_info *vi;
	u8 *si = shinfo(d);

	if (!si || !test_and_clear(mask_base(d, si), port) || !test_bit(si + SHINFO_PENDING, port))
		return;
	vi = xen_vcpu_info(v);
	if (vi && !set_pending_sel(d, vi, port))
		xen_mark_events_pending(v);
}

static void clear_pending(struct domain *d, unsigned int port)
{
	u8 *si = shinfo(d);

	if (si)
		test_and_clear(si + SHINFO_PENDING, port);
}

void xen_send_virq(struct vcpu *v, unsigned int virq)
{
	unsigned int port;

	if (virq >= XEN_NR_VIRQS)
		return;
	port = v->xen.virq_port[virq];
	if (port)
		set_pending(v->domain, port);
}

/* Per-vCPU VIRQs (Xen's virq_is_global is false for these). */
static bool virq_is_global(unsigned int virq)
{
	return !(virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
		 virq == VIRQ_XENPMU);
}

void xen_evtchn_init(struct domain *d)
{
	d->xen.lock = (spinlock_t)SPINLOCK_INIT;
	memset(d->xen.port, 0, sizeof(d->xen.port));
	d->xen.port[0].state = XEN_PORT_RESERVED;
	for (unsigned int i = 0; i < DOMAIN_MAX_VCPUS; i++) {
		struct xen_vcpu_state *x = &d->vcpus[i].xen;

		memset(x->virq_port, 0, sizeof(x->virq_port));
		x->upcall_vector = 0;
		x->upcall_edge = 0;
		x->polling = false;
		x->poll_woken = false;
		x->poll_port = 0;
		x->poll_deadline = 0;
	}
}

/* The lowest free port, or -ENOSPC. Caller holds the lock. */
static int alloc_port(struct domain *d)
{
	for (unsigned int p = 1; p < XEN_NR_PORTS; p++) {
		if (d->xen.port[p].state == XEN_PORT_FREE) {
			d->xen.port[p] = (struct xen_port){ .state = XEN_PORT_FREE, .vcpu = 0 };
			return (int)p;
		}
	}
	return -XEN_ENOSPC;
}

/* Xen's evtchn_free: the pending bit goes, the binding returns to vCPU 0. */
static void free_port(struct domain *d, unsigned int port)
{
	clear_pending(d, port);
	d->xen.port[port] = (struct xen_port){ .state = XEN_PORT_FREE };
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

static int bind_dom0(struct domain *d, u64 *port_out)
{
	int port;

	spin_lock(&d->xen.lock);
	port = alloc_port(d);
	if (port > 0) {
		d->xen.port[port].state = XEN_PORT_INTERDOMAIN;
		d->xen.port[port].remote_dom = 0;
		d->xen.port[port].remote_port = (u16)port;
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
	int rc;

	if (xen_copy_from_guest(v, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	rc = check_self(v, a.dom);
	if (rc)
		return rc;
	spin_lock(&d->xen.lock);
	rc = alloc_port(d);
	if (rc > 0) {
		d->xen.port[rc].state = XEN_PORT_UNBOUND;
		d->xen.port[rc].remote_dom = a.remote_dom == DOMID_SELF ? (u16)d->id : a.remote_dom;
	}
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	a.port = (u32)rc;
	return xen_copy_to_guest(v, arg, &a, sizeof(a));
}

/*
 * Only loopback: dom0's ports are the toolstack's (already bound at
 * creation); nothing of dom0's waits unbound for a guest (-EINVAL, as
 * Xen for a port that is not unbound for the caller); other guests are
 * out of reach (-EPERM).
 */
static s64 op_bind_interdomain(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_interdomain b;
	struct xen_port *r;
	int rc;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (b.remote_dom == 0)
		return -XEN_EINVAL;
	if (!xen_domid_is_self(v, b.remote_dom))
		return domain_get(b.remote_dom) ? -XEN_EPERM : -XEN_ESRCH;
	spin_lock(&d->xen.lock);
	rc = alloc_port(d);
	if (rc < 0)
		goto out;
	r = b.remote_port < XEN_NR_PORTS ? &d->xen.port[b.remote_port] : NULL;
	if (!r || r->state != XEN_PORT_UNBOUND || r->remote_dom != d->id) {
		rc = -XEN_EINVAL;
		goto out;
	}
	d->xen.port[rc] = (struct xen_port){
		.state = XEN_PORT_INTERDOMAIN, .remote_dom = (u16)d->id,
		.remote_port = (u16)b.remote_port,
	};
	r->state = XEN_PORT_INTERDOMAIN;
	r->remote_dom = (u16)d->id;
	r->remote_port = (u16)rc;
	/* Xen: notifications sent while the remote end was unbound may be lost. */
	set_pending(d, (unsigned int)rc);
out:
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	b.local_port = (u32)rc;
	return xen_copy_to_guest(v, arg, &b, sizeof(b));
}

static s64 op_bind_virq(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_virq b;
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
			d->xen.port[rc] = (struct xen_port){
				.state = XEN_PORT_VIRQ, .vcpu = (u8)b.vcpu, .virq = (u8)b.virq,
			};
			t->xen.virq_port[b.virq] = (u8)rc;
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
	int rc;

	if (xen_copy_from_guest(v, &b, arg, sizeof(b)))
		return -XEN_EFAULT;
	if (!domain_vcpu(d, b.vcpu))
		return -XEN_ENOENT;
	spin_lock(&d->xen.lock);
	rc = alloc_port(d);
	if (rc > 0)
		d->xen.port[rc] = (struct xen_port){ .state = XEN_PORT_IPI, .vcpu = (u8)b.vcpu };
	spin_unlock(&d->xen.lock);
	if (rc < 0)
		return rc;
	b.port = (u32)rc;
	return xen_copy_to_guest(v, arg, &b, sizeof(b));
}

/* Xen's evtchn_close. Caller holds the lock. */
static int close_port(struct domain *d, u32 port)
{
	struct xen_port *p;

	if (port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	p = &d->xen.port[port];
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
		/* A loopback's other end waits unbound again; dom0's end has no state here. */
		if (p->remote_dom == d->id && p->remote_port != port) {
			struct xen_port *r = &d->xen.port[p->remote_port];

			r->state = XEN_PORT_UNBOUND;
			r->remote_dom = (u16)d->id;
		}
		break;
	default:
		break;
	}
	free_port(d, port);
	return 0;
}

static s64 op_close(struct vcpu *v, u64 arg)
{
	struct domain *d = v->domain;
	struct evtchn_port_arg c;
	int rc;

	if (xen_copy_from_guest(v, &c, arg, sizeof(c)))
		return -XEN_EFAULT;
	spin_lock(&d->xen.lock);
	rc = close_port(d, c.port);
	spin_unlock(&d->xen.lock);
	return rc;
}

static s64 op_send(struct vcpu *v, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	struct evtchn_port_arg s;
	struct xen_port p;
	int rc = 0;

	if (xen_copy_from_guest(v, &s, hc->arg[1], sizeof(s)))
		return -XEN_EFAULT;
	if (s.port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	p = d->xen.port[s.port];
	switch (p.state) {
	case XEN_PORT_INTERDOMAIN:
		if (p.remote_dom == 0) {
			__atomic_fetch_or(&d->dom0_notify, 1ull << s.port, __ATOMIC_SEQ_CST);
			hc->action = XEN_NOTIFY_DOM0;
		} else {
			set_pending(d, p.remote_port);
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
	struct xen_port p;
	int rc;

	if (xen_copy_from_guest(v, &st, arg, sizeof(st)))
		return -XEN_EFAULT;
	rc = check_self(v, st.dom);
	if (rc)
		return rc;
	if (st.port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	p = d->xen.port[st.port];
	spin_unlock(&d->xen.lock);
	memset(&st.u, 0, sizeof(st.u));
	switch (p.state) {
	case XEN_PORT_UNBOUND:
		st.status = EVTCHNSTAT_unbound;
		st.u.unbound_dom = p.remote_dom;
		break;
	case XEN_PORT_INTERDOMAIN:
		st.status = EVTCHNSTAT_interdomain;
		st.u.interdomain.dom = p.remote_dom;
		st.u.interdomain.port = p.remote_port;
		break;
	case XEN_PORT_VIRQ:
		st.status = EVTCHNSTAT_virq;
		st.u.virq = p.virq;
		break;
	case XEN_PORT_IPI:
		st.status = EVTCHNSTAT_ipi;
		break;
	default:
		st.status = EVTCHNSTAT_closed;
		break;
	}
	st.vcpu = p.vcpu;
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
	if (b.port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	p = &d->xen.port[b.port];
	switch (p->state) {
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

	if (xen_copy_from_guest(v, &u, arg, sizeof(u)))
		return -XEN_EFAULT;
	if (u.port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	unmask(d, u.port);
	spin_unlock(&d->xen.lock);
	return 0;
}

/* Close every port (dom0's included, as Xen's reset does). */
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
	spin_lock(&d->xen.lock);
	for (u32 p = 1; p < XEN_NR_PORTS; p++)
		if (d->xen.port[p].state != XEN_PORT_FREE)
			close_port(d, p);
	spin_unlock(&d->xen.lock);
	return 0;
}

/*
 * No FIFO ABI: -ENOSYS makes Linux fall back to 2-level. A request Xen
 * would refuse is refused as Xen 4.17 does (common/event_fifo.c,
 * evtchn_fifo_init_control; XSA-188): no such vCPU -ENOENT, a control
 * block (72 bytes) crossing the page or not 8-byte aligned -EINVAL, a
 * frame that is not the guest's RAM -EINVAL.
 */
#define FIFO_CONTROL_BLOCK_SIZE	72

static s64 op_init_control(struct vcpu *v, u64 arg, struct evtchn_init_control *ic)
{
	if (xen_copy_from_guest(v, ic, arg, sizeof(*ic)))
		return -XEN_EFAULT;
	if (ic->vcpu >= v->domain->nr_vcpus)
		return -XEN_ENOENT;
	if (ic->offset > 4096 - FIFO_CONTROL_BLOCK_SIZE || (ic->offset & 7))
		return -XEN_EINVAL;
	if (ic->control_gfn >= (1ull << 52) >> 12 ||
	    !guest_page_ptr(v->domain, ic->control_gfn << 12, 4096))
		return -XEN_EINVAL;
	return -XEN_ENOSYS;
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
	case EVTCHNOP_set_priority:
	default:
		return -XEN_ENOSYS;
	}
}

int xen_evtchn_send_from_dom0(struct domain *d, u32 port)
{
	int rc = 0;

	if (port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	if (d->xen.port[port].state != XEN_PORT_INTERDOMAIN || d->xen.port[port].remote_dom != 0)
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
 * here, so that notification is left out.
 */
int xen_evtchn_bind_dom0(struct domain *d, u32 port, bool bind)
{
	struct xen_port *p;
	int rc = 0;

	if (port >= XEN_NR_PORTS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	p = &d->xen.port[port];
	if (p->remote_dom != 0 || p->state != (bind ? XEN_PORT_UNBOUND : XEN_PORT_INTERDOMAIN)) {
		rc = -XEN_EINVAL;
	} else if (bind) {
		p->state = XEN_PORT_INTERDOMAIN;
		p->remote_port = (u16)port;
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

	xen_evtchn_init(d);
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
