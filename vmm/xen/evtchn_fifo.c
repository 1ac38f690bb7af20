// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIFO event channels: the event array and per-vCPU queues that
 * EVTCHNOP_init_control switches a domain to (evtchn.c has the port
 * table and calls in here once d->xen.fifo is set).
 *
 * Follows Xen's design document for FIFO-based event channels (docs/misc,
 * "FIFO-based Event Channel ABI") and xen/common/event_fifo.c of 4.17,
 * with the layouts of public/event_channel.h (xen_ops_abi.h):
 *
 * - The event array: guest pages of 1024 32-bit event words, added one at
 *   a time by EVTCHNOP_expand_array, up to 128 pages (2^17 ports). A word
 *   holds PENDING, MASKED, LINKED and BUSY and, in its low 17 bits, LINK:
 *   the next port in its queue.
 * - Per vCPU a control block in guest memory: a READY bit for each of the
 *   16 priorities that has events, and each queue's HEAD port. The VMM
 *   keeps each queue's tail itself (fifo_tail).
 *
 * Raising a port sets PENDING; if it is not MASKED and not yet LINKED it
 * is linked at the tail of the queue of its vCPU and priority: the old
 * tail's LINK is set to it (only while that tail is still LINKED: the
 * guest unlinks from the head on its own), or, if the queue was empty, it
 * becomes HEAD and the queue's READY bit is set, which raises the upcall
 * on 0 -> 1. While the VMM changes a tail's LINK it sets BUSY so that the
 * guest's unlink (a compare-and-exchange loop that waits for BUSY to
 * clear) cannot slip between.
 *
 * Everything here runs under d->xen.lock (Xen locks per queue; one lock
 * per domain is enough here). Guest words are reached by guest-physical
 * address at each access, so a page the guest gave back reads as absent.
 */
#include "lib.h"
#include "log.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

#define WORDS_PER_PAGE		1024
#define F_PENDING		(1u << EVTCHN_FIFO_PENDING)
#define F_MASKED		(1u << EVTCHN_FIFO_MASKED)
#define F_LINKED		(1u << EVTCHN_FIFO_LINKED)
#define F_BUSY			(1u << EVTCHN_FIFO_BUSY)

_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "public/event_channel.h");
_Static_assert(XEN_FIFO_ARRAY_PAGES * WORDS_PER_PAGE == EVTCHN_FIFO_NR_CHANNELS, "128 pages");

/* Xen's evtchn_fifo_word_from_port: NULL before its array page exists. */
static u32 *event_word(struct domain *d, u32 port)
{
	u32 page = port / WORDS_PER_PAGE;

	if (page >= d->xen.fifo_nr_pages)
		return NULL;
	return guest_page_ptr(d, d->xen.fifo_array_gpa[page] + (port % WORDS_PER_PAGE) * 4, 4);
}

static struct evtchn_fifo_control_block *control_block(struct vcpu *v)
{
	if (!v->xen.fifo_control)
		return NULL;
	return guest_page_ptr(v->domain, v->xen.fifo_control_gpa,
			      sizeof(struct evtchn_fifo_control_block));
}

static bool word_test_and_set(u32 *w, u32 bit)
{
	return __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST) & bit;
}

static bool word_test(u32 *w, u32 bit)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST) & bit;
}

static void word_clear(u32 *w, u32 bit)
{
	__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

/*
 * Set the LINK of tail word @word to @link if it is still LINKED (and drop
 * BUSY with it). 1: linked; 0: the tail is no longer linked (the queue
 * went empty); -1: the guest changed the word meanwhile.
 */
static int try_set_link(u32 *word, u32 *w, u32 link)
{
	u32 old = *w;

	if (!(old & F_LINKED))
		return 0;
	*w = xen_guest_cmpxchg32(word, old, (old & ~(F_BUSY | EVTCHN_FIFO_LINK_MASK)) | link);
	return *w == old ? 1 : -1;
}

/*
 * Xen's evtchn_fifo_set_link. The guest may set or clear MASKED, clear
 * PENDING, or unlink (clear LINKED and LINK) a linked word at any time;
 * once BUSY is set its unlink waits, so after a few tries only its MASKED
 * and PENDING changes can still get in the way. If they keep doing so
 * the event stays unlinked (Xen warns and gives up the same way) and the
 * tail is treated as linked so nothing is lost at the head.
 */
static bool set_link(struct domain *d, u32 *word, u32 link)
{
	u32 w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	int rc = try_set_link(word, &w, link);

	if (rc >= 0)
		return rc;
	word_test_and_set(word, F_BUSY);
	w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < 4; i++) {
		rc = try_set_link(word, &w, link);
		if (rc >= 0) {
			if (rc == 0)
				word_clear(word, F_BUSY);
			return rc;
		}
	}
	pr_info("d%u: FIFO port %u not linked (guest kept changing the tail)\n", d->id, link);
	word_clear(word, F_BUSY);
	return true;
}

/* Xen's evtchn_fifo_set_pending. */
void xen_fifo_set_pending(struct domain *d, u32 port, struct xen_port *p)
{
	struct vcpu *v = &d->vcpus[p->vcpu];
	struct vcpu *old_v = &d->vcpus[p->last_vcpu < d->nr_vcpus ? p->last_vcpu : 0];
	struct evtchn_fifo_control_block *cb;
	u32 *word = event_word(d, port), *tail_word;
	unsigned int q = p->priority;
	bool linked = true, check;

	if (!word) {
		/* No array page yet: raised when it is added (xen_fifo_expand_array). */
		p->fifo_pending = true;
		return;
	}
	cb = control_block(v);
	if (!cb)
		return;		/* the guest must not unmask before it has a control block: dropped */
	check = !word_test_and_set(word, F_PENDING);
	if (!word_test(word, F_MASKED) && !word_test_and_set(word, F_LINKED)) {
		/* Its old queue ended with it: that queue is empty now. */
		if (old_v->xen.fifo_tail[p->last_priority] == port)
			old_v->xen.fifo_tail[p->last_priority] = 0;
		p->last_vcpu = (u8)v->id;
		p->last_priority = (u8)q;
		linked = false;
		if (v->xen.fifo_tail[q] && (tail_word = event_word(d, v->xen.fifo_tail[q])))
			linked = set_link(d, tail_word, port);
		if (!linked)
			__atomic_store_n(&cb->head[q], port, __ATOMIC_SEQ_CST);
		v->xen.fifo_tail[q] = port;
	}
	if (!linked && !word_test_and_set(&cb->ready, 1u << q))
		xen_mark_events_pending(v);
	if (check)
		xen_evtchn_check_pollers(d, port);
}

/* Just PENDING: the guest unlinks and skips an event that is no longer pending. */
void xen_fifo_clear_pending(struct domain *d, u32 port)
{
	u32 *word = event_word(d, port);

	if (word)
		word_clear(word, F_PENDING);
}

/* EVTCHNOP_unmask: the guest found it pending as it unmasked; relink it. */
void xen_fifo_unmask(struct domain *d, u32 port, struct xen_port *p)
{
	u32 *word = event_word(d, port);

	if (!word)
		return;
	word_clear(word, F_MASKED);
	if (word_test(word, F_PENDING))
		xen_fifo_set_pending(d, port, p);
}

bool xen_fifo_is_pending(struct domain *d, u32 port)
{
	u32 *word = event_word(d, port);

	return word && word_test(word, F_PENDING);
}

/* Still on a queue: the port is not reused until the guest unlinks it. */
bool xen_fifo_is_busy(struct domain *d, u32 port)
{
	u32 *word = event_word(d, port);

	return word && word_test(word, F_LINKED);
}

/* A frame of the guest's own RAM (Xen's map_guest_page wants a writable page of the guest). */
static bool ram_gfn(struct domain *d, u64 gfn)
{
	u64 hpa;

	return gfn < (1ull << (52 - 12)) && guest_ram_frame(d, gfn, &hpa);
}

/*
 * The first control block switches the domain to FIFO with an empty event
 * array; ports bound until then keep their 2-level pending state, raised
 * once their array page exists, and get the default priority (Xen's
 * setup_ports). A vCPU has one control block: a second is -EINVAL.
 */
int xen_fifo_init_control(struct domain *d, struct vcpu *t, u64 gfn, u32 offset)
{
	u8 *si;

	if (t->xen.fifo_control || !ram_gfn(d, gfn))
		return -XEN_EINVAL;
	t->xen.fifo_control_gpa = (gfn << 12) + offset;
	t->xen.fifo_control = true;
	memset(t->xen.fifo_tail, 0, sizeof(t->xen.fifo_tail));
	if (d->xen.fifo)
		return 0;
	si = d->shared_info_gpa == ~0ull ? NULL : guest_page_ptr(d, d->shared_info_gpa, 4096);
	for (u32 n = 1; n < XEN_EVTCHN_2L_PORTS; n++) {
		struct xen_port *p = xen_port_get(d, n);

		if (!p)
			break;
		p->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		p->last_vcpu = 0;
		p->last_priority = 0;
		/* evtchn_pending starts at byte 2048 of shared_info in both layouts. */
		p->fifo_pending = si && (__atomic_load_n((u32 *)(si + 2048) + n / 32, __ATOMIC_SEQ_CST) &
					 (1u << (n % 32)));
	}
	d->xen.fifo_nr_pages = 0;
	d->xen.fifo = true;
	return 0;
}

/* Xen's add_page_to_event_array: one more page, and what was raised for its ports meanwhile. */
int xen_fifo_expand_array(struct domain *d, u64 gfn)
{
	u32 slot = d->xen.fifo_nr_pages;

	if (!d->xen.fifo)
		return -XEN_EOPNOTSUPP;
	if (slot >= XEN_FIFO_ARRAY_PAGES)
		return -XEN_ENOSPC;
	if (!ram_gfn(d, gfn))
		return -XEN_EINVAL;
	d->xen.fifo_array_gpa[slot] = gfn << 12;
	d->xen.fifo_nr_pages = slot + 1;
	for (u32 n = slot * WORDS_PER_PAGE; n < (slot + 1) * WORDS_PER_PAGE; n++) {
		struct xen_port *p = xen_port_get(d, n);

		if (!p)
			break;
		if (p->fifo_pending && p->state != XEN_PORT_FREE) {
			p->fifo_pending = false;
			xen_fifo_set_pending(d, n, p);
		}
	}
	return 0;
}

void xen_fifo_reset(struct domain *d)
{
	d->xen.fifo = false;
	d->xen.fifo_nr_pages = 0;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].xen.fifo_control = false;
		memset(d->vcpus[i].xen.fifo_tail, 0, sizeof(d->vcpus[i].xen.fifo_tail));
	}
}
