// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvfuzz's network frontend: the netif protocol (Xen's io/netif.h,
 * io/ring.h, docs/pv-devices.md "Networks") played badly on purpose.
 *
 * A round: back to InitWait; nodes good or malformed (a ring reference
 * missing or never granted, no request-rx-copy, several queues, an event
 * channel that is not ours); good nodes must connect, bad ones be refused.
 * Connected: rx requests posted (our pages, now and then a reference never
 * granted), and batches of tx packets: good ones (1..18 slots with
 * NETTXF_more_data, random offsets and sizes within their pages, Ethernet
 * or IPv4/TCP frames, checksum flags, GSO extras), dropped ones (shorter
 * than a header, slots adding up to more than the first says, a reference
 * never granted: NETIF_RSP_ERROR on each slot), fatal ones (a chain that
 * runs past req_prod, 19 slots, data across a page, unknown or endless
 * extras, a bad GSO extra: the device must close), and slots of random
 * bytes. Checked: each tx response in ring order with the id and status
 * its slot must get (NETIF_RSP_NULL for extras), rx responses with the ids
 * posted and sizes that fit their page (an error for a never-granted
 * page), producer jumps on either ring close the device, no ring goes
 * quiet while sound.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/netif.h>
#include <xen/io/ring.h>

#include "pvfuzz.h"

#define TX_PAGES	64
#define RX_PAGES	32
#define RING_SLOTS	256u

static struct grants txd, rxd;

void vif_init(void)
{
	if (gnt_alloc(&txd, TX_PAGES) || gnt_alloc(&rxd, RX_PAGES)) {
		fz_check(false, "vif: granting data pages failed");
		exit(1);
	}
}

enum { T_OK, T_ERR, T_NULL, T_ANY };	/* what a tx slot must be answered */

struct vring {
	unsigned char *tx, *rx;
	RING_IDX tx_prod, tx_cons, rx_prod, rx_cons;
	uint16_t tx_id[RING_SLOTS];
	uint8_t tx_want[RING_SLOTS];
	uint16_t rx_id[RING_SLOTS];
	bool rx_bogus[RING_SLOTS];
	bool extra_next;		/* the next rx response is a GSO extra */
	unsigned char mac[6];
	int port;
	unsigned long rx_packets;
};

static struct xen_sring_hdr *H(unsigned char *p)
{
	return (struct xen_sring_hdr *)p;
}

static void *txs(struct vring *r, RING_IDX i)
{
	return r->tx + XEN_SRING_HDR_SIZE + (size_t)(i & (RING_SLOTS - 1)) * NETIF_TX_SLOT_SIZE;
}

static void *rxs(struct vring *r, RING_IDX i)
{
	return r->rx + XEN_SRING_HDR_SIZE + (size_t)(i & (RING_SLOTS - 1)) * NETIF_RX_SLOT_SIZE;
}

/* ---- connecting ---- */

enum conn_mode { C_GOOD, C_NO_TXREF, C_REF_BOGUS, C_NO_RXCOPY, C_QUEUES, C_PORT_BAD,
		 C_REF_GARBAGE, C_MODES };
static const char *const mode_name[] = { "good", "no tx-ring-ref", "a ref never granted",
	"no request-rx-copy", "several queues", "bad event channel", "ring-ref not a number" };

static void clear_front(const struct fz_dev *d)
{
	static const char *const keys[] = { "tx-ring-ref", "rx-ring-ref", "event-channel",
		"request-rx-copy", "feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
		"feature-gso-tcpv6", "feature-no-csum-offload", "multi-queue-num-queues",
		"feature-split-event-channels" };
	char path[160];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d->front, keys[i]);
		xs_rm(path);
	}
}

static void write_nodes(const struct fz_dev *d, enum conn_mode mode, const struct grants *ring,
			int port, bool *sg)
{
	bool bogus_tx = chance(50);

	if (mode != C_NO_TXREF) {
		if (mode == C_REF_GARBAGE && bogus_tx)
			xs_printf(d->front, "tx-ring-ref", "%s", "-5");
		else
			xs_printf(d->front, "tx-ring-ref", "%u",
				  mode == C_REF_BOGUS && bogus_tx ? gnt_bogus_ref() : ring->refs[0]);
	}
	if (mode == C_REF_GARBAGE && !bogus_tx)
		xs_printf(d->front, "rx-ring-ref", "%s", "");
	else
		xs_printf(d->front, "rx-ring-ref", "%u",
			  mode == C_REF_BOGUS && !bogus_tx ? gnt_bogus_ref() : ring->refs[1]);
	if (mode == C_PORT_BAD)
		xs_printf(d->front, "event-channel", "%u", evt_bogus_port(port));
	else
		xs_printf(d->front, "event-channel", "%d", port);
	if (mode == C_NO_RXCOPY) {
		if (chance(50))
			xs_printf(d->front, "request-rx-copy", "0");
	} else {
		xs_printf(d->front, "request-rx-copy", "1");
	}
	if (mode == C_QUEUES)
		xs_printf(d->front, "multi-queue-num-queues", "%u", 2 + rnd_below(30));
	else if (chance(20))
		xs_printf(d->front, "multi-queue-num-queues", "1");
	*sg = chance(70);
	xs_printf(d->front, "feature-sg", "%d", *sg);
	xs_printf(d->front, "feature-rx-notify", "1");
	if (chance(50))
		xs_printf(d->front, "feature-gso-tcpv4", "%u", rnd_below(2));
	if (chance(30))
		xs_printf(d->front, "feature-gso-tcpv6", "%u", rnd_below(2));
	if (chance(20))
		xs_printf(d->front, "feature-no-csum-offload", "%u", rnd_below(2));
	if (chance(10))	/* not offered: ignored */
		xs_printf(d->front, "feature-split-event-channels", "1");
}

/* ---- rx ---- */

static void rx_post(struct vring *r)
{
	RING_IDX old = r->rx_prod;

	while ((RING_IDX)(r->rx_prod - r->rx_cons) < RING_SLOTS && chance(95)) {
		struct netif_rx_request q = { .id = (uint16_t)rnd() };
		unsigned int k = r->rx_prod & (RING_SLOTS - 1);

		r->rx_bogus[k] = chance(8);
		q.gref = r->rx_bogus[k] ? gnt_bogus_ref() : rxd.refs[rnd_below(RX_PAGES)];
		r->rx_id[k] = q.id;
		memcpy(rxs(r, r->rx_prod), &q, sizeof(q));
		r->rx_prod++;
	}
	if (r->rx_prod == old)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&H(r->rx)->req_prod, r->rx_prod, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xen_ring_need_notify(old, r->rx_prod, H(r->rx)->req_event) || chance(10))
		evt_notify(r->port);
}

static void rx_take(struct vring *r)
{
	RING_IDX prod = __atomic_load_n(&H(r->rx)->rsp_prod, __ATOMIC_ACQUIRE);

	if (!fz_check((RING_IDX)(prod - r->rx_cons) <= (RING_IDX)(r->rx_prod - r->rx_cons),
		      "vif: rx rsp_prod %u past the %u requests posted (rsp_cons %u)", prod,
		      r->rx_prod, r->rx_cons)) {
		r->rx_cons = prod;
		return;
	}
	while (r->rx_cons != prod) {
		struct netif_rx_response rsp;
		unsigned int k = r->rx_cons & (RING_SLOTS - 1);

		memcpy(&rsp, rxs(r, r->rx_cons), sizeof(rsp));
		r->rx_cons++;
		fz.responses++;
		if (r->extra_next) {		/* a struct netif_extra_info, not a response */
			struct netif_extra_info ex;

			memcpy(&ex, &rsp, sizeof(ex));
			fz_check(ex.type == XEN_NETIF_EXTRA_TYPE_GSO, "vif: rx extra of type %u", ex.type);
			r->extra_next = (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE) != 0;
			continue;
		}
		fz_check(rsp.id == r->rx_id[k], "vif: rx response id %u, the request there had %u",
			 rsp.id, r->rx_id[k]);
		if (rsp.status >= 0) {
			fz_check(!r->rx_bogus[k], "vif: rx id %u: %d bytes into a page never granted",
				 rsp.id, rsp.status);
			fz_check((unsigned int)rsp.offset + (unsigned int)rsp.status <= FZ_PAGE,
				 "vif: rx id %u: %d bytes at offset %u overrun the page", rsp.id,
				 rsp.status, rsp.offset);
			if (!(rsp.flags & NETRXF_more_data))
				r->rx_packets++;
		} else {
			fz_check(rsp.status == NETIF_RSP_ERROR || rsp.status == NETIF_RSP_DROPPED,
				 "vif: rx id %u: status %d", rsp.id, rsp.status);
		}
		r->extra_next = (rsp.flags & NETRXF_extra_info) != 0;
	}
	__atomic_store_n(&H(r->rx)->rsp_event, r->rx_cons + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- tx ---- */

static void tx_put(struct vring *r, const void *slot, uint16_t id, uint8_t want)
{
	unsigned int k = r->tx_prod & (RING_SLOTS - 1);

	memcpy(txs(r, r->tx_prod), slot, NETIF_TX_SLOT_SIZE);
	r->tx_id[k] = id;
	r->tx_want[k] = want;
	r->tx_prod++;
}

/* A frame's bytes for one packet of len bytes: Ethernet, or IPv4/TCP now and then. */
static void frame(struct vring *r, unsigned char *buf, size_t len, bool tcp)
{
	rnd_fill(buf, len);
	if (chance(50))
		memset(buf, 0xff, 6);			/* broadcast */
	else
		buf[0] = 0x02;				/* a local unicast nobody has */
	memcpy(buf + 6, r->mac, 6);
	if (tcp && len >= 54) {
		static const unsigned char ip[] = { 0x08, 0x00, 0x45, 0x00 };

		memcpy(buf + 12, ip, sizeof(ip));
		buf[16] = (unsigned char)((len - 14) >> 8);
		buf[17] = (unsigned char)(len - 14);
		buf[20] = 0x40;				/* don't fragment, offset 0 */
		buf[21] = 0;
		buf[23] = 6;				/* TCP */
		memcpy(buf + 26, (unsigned char[]){ 192, 0, 2, 2, 192, 0, 2, 250 }, 8);
		buf[46] = 0x50;				/* data offset 5 */
	} else {
		buf[12] = 0x88;				/* local experimental EtherType */
		buf[13] = 0xb5;
	}
}

enum pkt_kind { P_GOOD, P_BAD, P_FATAL, P_RANDOM };

/*
 * One packet onto the tx ring, at most room slots; returns its kind (P_FATAL:
 * the backend must close the device), or -1 if it did not fit.
 */
static int tx_packet(struct vring *r, bool sg, unsigned int room, bool good)
{
	unsigned int pick = good ? 0 : rnd_below(100), nslots, nextra = 0;
	enum pkt_kind kind = pick < 60 ? P_GOOD : pick < 85 ? P_BAD : pick < 93 ? P_FATAL : P_RANDOM;
	struct netif_tx_request q[XEN_NETIF_NR_SLOTS_MIN + 2];
	unsigned int len = 0, bad_how = rnd_below(3), fatal_how = rnd_below(6);
	bool tcp = chance(30), gso = kind == P_GOOD && tcp && chance(30);
	static unsigned char buf[(XEN_NETIF_NR_SLOTS_MIN + 1) * FZ_PAGE];
	unsigned int pg[XEN_NETIF_NR_SLOTS_MIN + 2];
	uint8_t want;

	if (kind == P_RANDOM) {
		unsigned char raw[NETIF_TX_SLOT_SIZE];

		if (room < 1)
			return -1;
		rnd_fill(raw, sizeof(raw));
		if (chance(50))		/* a plausible size, flags and offset */
			((struct netif_tx_request *)raw)->flags &= NETTXF_more_data;
		tx_put(r, raw, 0, T_ANY);
		return P_RANDOM;
	}
	nslots = sg ? 1 + rnd_below(chance(20) ? XEN_NETIF_NR_SLOTS_MIN : 4) : 1;
	if (kind == P_FATAL && fatal_how == 1)
		nslots = XEN_NETIF_NR_SLOTS_MIN + 1;	/* 19 data slots */
	if (gso || (kind == P_FATAL && fatal_how >= 3))
		nextra = 1;
	if (kind == P_FATAL && fatal_how == 5)
		nextra = 5;				/* more extras than types */
	if (nslots + nextra > room)
		return -1;
	/* Data slots: each somewhere in one of our pages, within it. */
	for (unsigned int i = 0; i < nslots; i++) {
		uint16_t size = (uint16_t)(i == 0 ? 14 + rnd_below(1500) : 1 + rnd_below(2000));

		if (i == 0 && tcp && size < 54)
			size = 54;
		pg[i] = rnd_below(TX_PAGES);
		q[i] = (struct netif_tx_request){ .gref = txd.refs[pg[i]],
						   .offset = (uint16_t)rnd_below(FZ_PAGE - size + 1u),
						   .flags = i + 1 < nslots ? NETTXF_more_data : 0,
						   .id = (uint16_t)rnd(), .size = size };
		len += size;
	}
	/* The packet's bytes, laid into its pages slot by slot. */
	frame(r, buf, len, tcp);
	for (unsigned int i = 0, at = 0; i < nslots; i++) {
		memcpy(txd.va + (size_t)pg[i] * FZ_PAGE + q[i].offset, buf + at, q[i].size);
		at += q[i].size;
	}
	q[0].size = (uint16_t)len;	/* the first slot says the whole packet's length */
	if (chance(30))
		q[0].flags |= chance(50) ? NETTXF_csum_blank : NETTXF_data_validated;
	want = T_OK;
	if (kind == P_BAD) {
		want = T_ERR;
		if (bad_how == 0) {
			nslots = 1;
			q[0].flags &= (uint16_t)~NETTXF_more_data;
			q[0].size = (uint16_t)rnd_below(14);		/* shorter than a header */
		} else if (bad_how == 1 && nslots > 1) {
			/* The later slots add up to more than the first says. */
			unsigned int rest = 0;

			for (unsigned int i = 1; i < nslots; i++)
				rest += q[i].size;
			q[0].size = (uint16_t)(rest - 1);
		} else {
			q[rnd_below(nslots)].gref = gnt_bogus_ref();
		}
	} else if (kind == P_FATAL) {
		want = T_ANY;
		switch (fatal_how) {
		case 0:		/* a chain that runs past what is published */
			q[nslots - 1].flags |= NETTXF_more_data;
			break;
		case 1:		/* 19 data slots: built above */
			break;
		case 2:		/* data across the page's end */
			q[nslots - 1].offset = (uint16_t)(FZ_PAGE - rnd_below(8));
			break;
		default:	/* extras: unknown type, a bad GSO, endless (set below) */
			break;
		}
	}
	if (nextra)
		q[0].flags |= NETTXF_extra_info;
	/* Onto the ring: the first slot, its extras, the rest. */
	tx_put(r, &q[0], q[0].id, want);
	for (unsigned int e = 0; e < nextra; e++) {
		struct netif_extra_info ex = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
		unsigned char raw[NETIF_TX_SLOT_SIZE] = { 0 };

		ex.u.gso.type = chance(80) ? XEN_NETIF_GSO_TYPE_TCPV4 : XEN_NETIF_GSO_TYPE_TCPV6;
		ex.u.gso.size = (uint16_t)(100 + rnd_below(1400));
		if (kind == P_FATAL && fatal_how == 3)
			ex.type = chance(50) ? XEN_NETIF_EXTRA_TYPE_NONE : (uint8_t)(5 + rnd_below(250));
		if (kind == P_FATAL && fatal_how == 4) {
			if (chance(50))
				ex.u.gso.size = 0;
			else
				ex.u.gso.type = (uint8_t)(3 + rnd_below(250));
		}
		if (kind == P_FATAL && fatal_how == 5) {
			ex.type = (uint8_t)(1 + rnd_below(4));
			ex.flags = XEN_NETIF_EXTRA_FLAG_MORE;	/* every one says more */
		}
		memcpy(raw, &ex, sizeof(ex));
		tx_put(r, raw, 0, kind == P_FATAL ? T_ANY : T_NULL);
	}
	for (unsigned int i = 1; i < nslots; i++)
		tx_put(r, &q[i], q[i].id, want);
	return kind;
}

static void tx_take(struct vring *r, unsigned long *answered)
{
	RING_IDX prod = __atomic_load_n(&H(r->tx)->rsp_prod, __ATOMIC_ACQUIRE);

	if (!fz_check((RING_IDX)(prod - r->tx_cons) <= (RING_IDX)(r->tx_prod - r->tx_cons),
		      "vif: tx rsp_prod %u past req_prod %u (rsp_cons %u)", prod, r->tx_prod,
		      r->tx_cons)) {
		r->tx_cons = prod;
		return;
	}
	while (r->tx_cons != prod) {
		struct netif_tx_response rsp;
		unsigned int k = r->tx_cons & (RING_SLOTS - 1);
		uint8_t want = r->tx_want[k];

		memcpy(&rsp, txs(r, r->tx_cons), sizeof(rsp));
		r->tx_cons++;
		fz.responses++;
		(*answered)++;
		fz_check(rsp.status >= NETIF_RSP_DROPPED && rsp.status <= NETIF_RSP_NULL,
			 "vif: tx status %d is no NETIF_RSP_*", rsp.status);
		if (want == T_ANY)
			continue;
		fz_check(rsp.id == r->tx_id[k], "vif: tx response id %u, its slot's request had %u",
			 rsp.id, r->tx_id[k]);
		fz_check(rsp.status == (want == T_OK ? NETIF_RSP_OKAY : want == T_ERR ?
					NETIF_RSP_ERROR : NETIF_RSP_NULL),
			 "vif: tx id %u: status %d, expected %s", rsp.id, rsp.status,
			 want == T_OK ? "OKAY" : want == T_ERR ? "ERROR" : "NULL (an extra)");
	}
	__atomic_store_n(&H(r->tx)->rsp_event, r->tx_cons + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * A tx flood: good packets as fast as the ring takes them while a second
 * thread writes Closing. The backend must disconnect within 5 s all the
 * same (a disconnect that waits for the frontend to pause would leave the
 * runner, its xenstore and console with it, stuck for as long as the guest
 * likes).
 */
struct flood {
	const struct fz_dev *d;
	volatile bool done;
	uint64_t t_closing, t_closed;
};

static void *flood_closer(void *p)
{
	struct flood *f = p;

	sleep_ms(700);			/* the flood is under way */
	f->t_closing = now_ms();
	fz_fe_state(f->d, XB_CLOSING);
	fz_wait_be(f->d, XBS(XB_CLOSING) | XBS(XB_CLOSED), 60000);
	f->t_closed = now_ms();
	f->done = true;
	return NULL;
}

static void tx_flood(const struct fz_dev *d, struct vring *r, bool sg)
{
	struct flood f = { .d = d };
	unsigned long answered = 0;
	pthread_t t;
	uint64_t t0 = now_ms();

	fz.floods++;
	if (pthread_create(&t, NULL, flood_closer, &f)) {
		fz_check(false, "vif: a thread for the flood");
		return;
	}
	while (!f.done && now_ms() - t0 < 20000) {
		RING_IDX old = r->tx_prod;

		while (tx_packet(r, sg, RING_SLOTS - (r->tx_prod - r->tx_cons), true) >= 0)
			;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&H(r->tx)->req_prod, r->tx_prod, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (r->tx_prod != old)
			evt_notify(r->port);
		tx_take(r, &answered);
		evt_wait(2);
	}
	pthread_join(t, NULL);
	fz_log("flood: %lu slots answered; Closing took %llu ms", answered,
	       (unsigned long long)(f.t_closed - f.t_closing));
	fz_check(f.t_closed - f.t_closing < 5000, "%s: frontend Closing during a tx flood, the "
		 "backend took %llu ms to close (%lu slots answered)", d->back,
		 (unsigned long long)(f.t_closed - f.t_closing), answered);
}

static void traffic(const struct fz_dev *d, struct vring *r, bool sg)
{
	unsigned int batches = 1 + rnd_below(40);

	rx_post(r);
	for (unsigned int b = 0; b < batches; b++) {
		unsigned int room = RING_SLOTS - (r->tx_prod - r->tx_cons), want = 1 + rnd_below(64);
		unsigned int slots = 0, npkt = 0;
		unsigned long answered = 0;
		bool fatal = false, any = false;
		RING_IDX old = r->tx_prod;
		uint64_t end;

		if (out_of_time() && exit_midway()) {
			tx_packet(r, sg, room, false);
			__atomic_store_n(&H(r->tx)->req_prod, r->tx_prod, __ATOMIC_RELEASE);
			evt_notify(r->port);
			fz_say("exit with %s connected and packets in flight", d->front);
			exit(fz.failures ? 1 : 0);
		}
		if (out_of_time())
			return;
		if (chance(3)) {
			tx_flood(d, r, sg);
			return;
		}
		if (chance(4)) {		/* a producer index more than a ring ahead */
			unsigned char *page = chance(50) ? r->tx : r->rx;
			RING_IDX base = page == r->tx ? r->tx_prod : r->rx_prod;
			RING_IDX jump = RING_SLOTS + 1 + rnd_below(chance(50) ? 1000 : 0x7fffffff);

			fz.jumps++;
			__atomic_store_n(&H(page)->req_prod, base + jump, __ATOMIC_RELEASE);
			evt_notify(r->port);
			/*
			 * The tx ring is looked at on the event; the rx ring when a
			 * frame for the guest comes (the test's bridge carries ARP
			 * requests every few hundred ms).
			 */
			fz_check(fz_wait_be(d, XBS(XB_CLOSING), page == r->tx ? 5000 : 10000) >= 0,
				 "%s: %s req_prod %u ahead, the backend did not close in %d s (state %d)",
				 d->back, page == r->tx ? "tx" : "rx", jump, page == r->tx ? 5 : 10,
				 fz_be_state(d));
			return;
		}
		/* A fatal or random packet ends the batch: what follows it means anything. */
		while (npkt < want && !fatal && !any) {
			int k = tx_packet(r, sg, room - slots, false);

			if (k < 0)
				break;
			slots = r->tx_prod - old;
			npkt++;
			fatal |= k == P_FATAL;
			any |= k == P_RANDOM;
		}
		fz.requests += slots;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&H(r->tx)->req_prod, r->tx_prod, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (chance(90) || xen_ring_need_notify(old, r->tx_prod, H(r->tx)->req_event))
			evt_notify(r->port);
		if (chance(3)) {
			fz.stalls++;
			return;		/* stop answering */
		}
		end = now_ms() + 10000;
		for (;;) {
			int st;

			tx_take(r, &answered);
			rx_take(r);
			rx_post(r);
			if (r->tx_cons == r->tx_prod)
				break;
			st = fz_be_state(d);
			if ((fatal || any) && st == XB_CLOSING)
				return;		/* it broke the ring, the backend closed: as it must */
			if (now_ms() > end) {
				fz_check(false, "%s: %u tx slots unanswered after 10 s (backend state %d)%s",
					 d->back, r->tx_prod - r->tx_cons, st,
					 fatal ? ", after a fatal packet" : "");
				return;
			}
			if (!evt_wait(300))
				evt_notify(r->port);
		}
		if (fatal) {
			fz_check(fz_wait_be(d, XBS(XB_CLOSING), 5000) >= 0,
				 "%s: a fatal packet was answered, the backend did not close (state %d)",
				 d->back, fz_be_state(d));
			return;
		}
		if (!any && !fz_check(fz_be_state(d) == XB_CONNECTED,
				      "%s: backend left Connected (state %d) on a sound ring", d->back,
				      fz_be_state(d)))
			return;
		if (any && fz_be_state(d) != XB_CONNECTED)
			return;
	}
	/* What dom0 sent meanwhile. */
	for (int i = 0; i < 3; i++) {
		evt_wait(100);
		rx_take(r);
		rx_post(r);
	}
}

void vif_round(const struct fz_dev *d)
{
	static struct vring r;
	struct grants ring;
	enum conn_mode mode = chance(70) || (out_of_time() && exit_midway()) || holding() ? C_GOOD :
			      (enum conn_mode)(1 + rnd_below(C_MODES - 1));
	char mac[32] = "";
	bool sg = false;
	int port, st;
	RING_IDX start = chance(30) ? 0xffffffffu - rnd_below(600) : 0;

	if (!fz_reset(d))
		return;
	clear_front(d);
	memset(&r, 0, sizeof(r));
	xs_read_key(d->front, "mac", mac, sizeof(mac));
	sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &r.mac[0], &r.mac[1], &r.mac[2], &r.mac[3],
	       &r.mac[4], &r.mac[5]);
	if (gnt_alloc(&ring, 2)) {
		fz_check(false, "vif: granting the ring pages failed");
		return;
	}
	port = evt_unbound();
	if (!fz_check(port > 0, "vif: an unbound event channel to dom0: %d", port)) {
		gnt_free(&ring);
		return;
	}
	r.tx = ring.va;
	r.rx = ring.va + FZ_PAGE;
	r.port = port;
	r.tx_prod = r.tx_cons = r.rx_prod = r.rx_cons = start;
	*H(r.tx) = (struct xen_sring_hdr){ .req_prod = start, .rsp_prod = start,
					   .req_event = start + 1, .rsp_event = start + 1 };
	*H(r.rx) = *H(r.tx);
	write_nodes(d, mode, &ring, port, &sg);
	fz_log("%s: connect, %s%s", d->front, mode_name[mode], sg ? ", sg" : "");
	fz_fe_state(d, chance(50) ? XB_CONNECTED : XB_INITIALISED);
	st = fz_wait_be(d, XBS(XB_CONNECTED) | XBS(XB_CLOSING) | XBS(XB_CLOSED), 10000);
	if (mode == C_GOOD) {
		fz_check(st == XB_CONNECTED, "%s: good nodes, backend state %d, not Connected",
			 d->back, st);
	} else {
		fz.refused++;
		fz_check(st == XB_CLOSING, "%s: %s, backend state %d, not Closing", d->back,
			 mode_name[mode], st);
	}
	if (st == XB_CONNECTED) {
		fz.connects++;
		if (holding()) {	/* packets queued, their answers never taken */
			tx_packet(&r, sg, RING_SLOTS, true);
			__atomic_store_n(&H(r.tx)->req_prod, r.tx_prod, __ATOMIC_RELEASE);
			evt_notify(r.port);
			return;
		}
		traffic(d, &r, sg);
	}
	fz_disconnect(d);
	gnt_free(&ring);
	evt_unbind(port);
}
