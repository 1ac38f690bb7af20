// SPDX-License-Identifier: GPL-2.0-only
/*
 * One netif queue's rings, the backend's end (netif_ring.h). The ring
 * protocol is io/ring.h's: free-running 32-bit indices; the backend reads
 * req_prod (acquire), copies the requests out, writes responses at
 * rsp_prod_pvt and publishes them by moving rsp_prod (release); an event
 * goes to the frontend when rsp_prod passes its rsp_event. When a ring
 * runs dry the backend sets req_event to the index it waits for, then
 * looks at req_prod once more (a full barrier between), so a request
 * published meanwhile is not missed (RING_FINAL_CHECK_FOR_REQUESTS).
 */
#include <errno.h>
#include <string.h>

#include "netif_ring.h"

#define HDR(p)		((struct xen_sring_hdr *)(p))
#define TX_SLOT(r, i)	((r)->tx + XEN_SRING_HDR_SIZE + ((i) & ((r)->size - 1)) * NETIF_TX_SLOT_SIZE)
#define RX_SLOT(r, i)	((r)->rx + XEN_SRING_HDR_SIZE + ((i) & ((r)->size - 1)) * NETIF_RX_SLOT_SIZE)

void net_ring_init(struct net_ring *r, void *tx_page, void *rx_page, bool sg,
		   const struct net_ring_ops *ops, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->tx = tx_page;
	r->rx = rx_page;
	/* Both rings hold 256 slots in a page (12- and 8-byte slots). */
	r->size = xen_ring_size(NET_PAGE_SIZE, NETIF_TX_SLOT_SIZE);
	r->sg = sg;
	r->ops = ops;
	r->ctx = ctx;
	/* A new ring: the frontend set req_prod = rsp_prod = 0 (FRONT_RING_INIT). */
	r->tx_req_cons = r->tx_rsp_prod_pvt = __atomic_load_n(&HDR(r->tx)->rsp_prod, __ATOMIC_ACQUIRE);
	r->rx_req_cons = r->rx_rsp_prod_pvt = __atomic_load_n(&HDR(r->rx)->rsp_prod, __ATOMIC_ACQUIRE);
}

static RING_IDX req_prod(const unsigned char *page)
{
	return __atomic_load_n(&((const struct xen_sring_hdr *)page)->req_prod, __ATOMIC_ACQUIRE);
}

/*
 * Requests published and not taken: how many, or -EPROTO (and broken) when
 * the producer ran more than a ring ahead of what was answered.
 */
static int pending(struct net_ring *r, const unsigned char *page, RING_IDX cons,
		   RING_IDX rsp_pvt, RING_IDX *avail)
{
	RING_IDX prod = req_prod(page);

	if ((RING_IDX)(prod - rsp_pvt) > r->size || (RING_IDX)(prod - cons) > r->size) {
		r->broken = true;
		return -EPROTO;
	}
	*avail = prod - cons;
	return 0;
}

/* Nothing (or not enough) to do: ask for an event at index want, look again. */
static int wait_for(struct net_ring *r, unsigned char *page, RING_IDX cons, RING_IDX rsp_pvt,
		    RING_IDX want, RING_IDX *avail)
{
	__atomic_store_n(&HDR(page)->req_event, want, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return pending(r, page, cons, rsp_pvt, avail);
}

static void tx_respond(struct net_ring *r, uint16_t id, int16_t status)
{
	struct netif_tx_response rsp = { .id = id, .status = status };

	memcpy(TX_SLOT(r, r->tx_rsp_prod_pvt), &rsp, sizeof(rsp));
	r->tx_rsp_prod_pvt++;
}

/* Publish one ring's responses; does the frontend want an event for them? */
static bool push_one(unsigned char *page, RING_IDX prod_pvt)
{
	RING_IDX old = HDR(page)->rsp_prod;

	if (old == prod_pvt)
		return false;
	__atomic_store_n(&HDR(page)->rsp_prod, prod_pvt, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* rsp_prod before reading rsp_event */
	return xen_ring_need_notify(old, prod_pvt,
				    __atomic_load_n(&HDR(page)->rsp_event, __ATOMIC_RELAXED));
}

bool net_ring_push_tx(struct net_ring *r)
{
	return push_one(r->tx, r->tx_rsp_prod_pvt);
}

bool net_ring_push_rx(struct net_ring *r)
{
	return push_one(r->rx, r->rx_rsp_prod_pvt);
}

bool net_ring_push(struct net_ring *r)
{
	bool tx = net_ring_push_tx(r);

	return net_ring_push_rx(r) || tx;
}

/* ---- tx: guest -> backend --------------------------------------------------------- */

struct tx_packet {
	struct netif_tx_request req[XEN_NETIF_NR_SLOTS_MIN];	/* data slots, private copies */
	unsigned int nr_req;
	unsigned int nr_extra;
	struct netif_extra_info gso;	/* type NONE: no GSO extra */
	int bad;		/* answer NETIF_RSP_ERROR */
};

/*
 * Copy one packet's requests out of the ring, starting at tx_req_cons,
 * avail of them published. 0, or -EPROTO (broken).
 */
static int tx_gather(struct net_ring *r, RING_IDX avail, struct tx_packet *p)
{
	RING_IDX i = 0;
	uint32_t rest = 0;
	struct netif_tx_request *first = &p->req[0];

	memset(p, 0, sizeof(*p));
	memcpy(first, TX_SLOT(r, r->tx_req_cons), sizeof(*first));
	i = 1;
	if (first->flags & NETTXF_extra_info) {
		struct netif_extra_info ex;

		do {
			if (i >= avail || p->nr_extra == XEN_NETIF_EXTRA_TYPE_MAX - 1)
				goto fatal;
			memcpy(&ex, TX_SLOT(r, r->tx_req_cons + i), sizeof(ex));
			i++;
			p->nr_extra++;
			if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE || ex.type >= XEN_NETIF_EXTRA_TYPE_MAX)
				goto fatal;
			if (ex.type == XEN_NETIF_EXTRA_TYPE_GSO) {
				/* Linux's netback: a bad GSO type or an MSS of 0 is fatal. */
				if (r->gso && ((ex.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
						ex.u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6) ||
					       !ex.u.gso.size))
					goto fatal;
				p->gso = ex;
			}
		} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	}
	p->nr_req = 1;
	for (struct netif_tx_request *prev = first; prev->flags & NETTXF_more_data; ) {
		struct netif_tx_request *t;

		if (i >= avail || p->nr_req == XEN_NETIF_NR_SLOTS_MIN)
			goto fatal;		/* a packet the frontend did not finish publishing */
		t = &p->req[p->nr_req++];
		memcpy(t, TX_SLOT(r, r->tx_req_cons + i), sizeof(*t));
		i++;
		rest += t->size;
		prev = t;
	}
	for (unsigned int k = 0; k < p->nr_req; k++) {
		uint32_t n = k ? p->req[k].size : (first->size >= rest ? first->size - rest : 0);

		if ((uint32_t)p->req[k].offset + n > NET_PAGE_SIZE)
			goto fatal;		/* Linux: "Cross page boundary" */
	}
	if (first->size < NET_ETH_HLEN || rest > first->size ||
	    (p->gso.type == XEN_NETIF_EXTRA_TYPE_GSO && !r->gso))
		p->bad = 1;
	return 0;
fatal:
	r->broken = true;
	return -EPROTO;
}

/* Answer the packet's requests in ring order: first, its extras, the rest. */
static void tx_answer(struct net_ring *r, const struct tx_packet *p, int16_t status)
{
	tx_respond(r, p->req[0].id, status);
	for (unsigned int k = 0; k < p->nr_extra; k++)
		tx_respond(r, 0, NETIF_RSP_NULL);
	for (unsigned int k = 1; k < p->nr_req; k++)
		tx_respond(r, p->req[k].id, status);
	r->tx_req_cons += 1 + p->nr_extra + (p->nr_req - 1);
}

int net_tx_take(struct net_ring *r, void *buf, size_t *len, struct net_pkt_info *info)
{
	struct tx_packet p;
	struct net_seg segs[XEN_NETIF_NR_SLOTS_MIN];

	for (;;) {
		RING_IDX avail;
		unsigned int nseg = 0;
		uint32_t rest = 0;

		if (r->broken)
			return -EPROTO;
		if (pending(r, r->tx, r->tx_req_cons, r->tx_rsp_prod_pvt, &avail))
			return -EPROTO;
		if (!avail && (wait_for(r, r->tx, r->tx_req_cons, r->tx_rsp_prod_pvt,
					r->tx_req_cons + 1, &avail) || !avail))
			return r->broken ? -EPROTO : 0;
		if (tx_gather(r, avail, &p))
			return -EPROTO;
		if (p.bad) {
			r->stats.tx_errors++;
			tx_answer(r, &p, NETIF_RSP_ERROR);
			continue;
		}
		for (unsigned int k = 1; k < p.nr_req; k++)
			rest += p.req[k].size;
		for (unsigned int k = 0; k < p.nr_req; k++) {
			uint16_t n = k ? p.req[k].size : (uint16_t)(p.req[0].size - rest);

			if (n)
				segs[nseg++] = (struct net_seg){ .gref = p.req[k].gref,
								 .offset = p.req[k].offset, .len = n };
		}
		if (r->ops->gnt_copy(r->ctx, segs, nseg, buf, false)) {
			r->stats.tx_errors++;
			tx_answer(r, &p, NETIF_RSP_ERROR);
			continue;
		}
		if (r->nr_ips && !net_tx_allowed(buf, p.req[0].size, r->ips, r->nr_ips)) {
			r->stats.tx_filtered++;
			tx_answer(r, &p, NETIF_RSP_DROPPED);
			continue;
		}
		tx_answer(r, &p, NETIF_RSP_OKAY);
		*len = p.req[0].size;
		info->csum_blank = p.req[0].flags & NETTXF_csum_blank;
		info->data_validated = p.req[0].flags & NETTXF_data_validated;
		info->gso_type = p.gso.type == XEN_NETIF_EXTRA_TYPE_GSO ? p.gso.u.gso.type :
				 XEN_NETIF_GSO_TYPE_NONE;
		info->gso_size = info->gso_type ? p.gso.u.gso.size : 0;
		r->stats.tx_packets++;
		r->stats.tx_bytes += *len;
		return 1;
	}
}

/* ---- rx: backend -> guest --------------------------------------------------------- */

int net_rx_put(struct net_ring *r, const void *pkt, size_t len, const struct net_pkt_info *info)
{
	struct netif_rx_request req[NET_RX_MAX_SLOTS + 1];
	struct net_seg segs[NET_RX_MAX_SLOTS];
	unsigned int nseg = len ? (unsigned int)((len + NET_PAGE_SIZE - 1) / NET_PAGE_SIZE) : 1;
	bool gso = info && info->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	unsigned int need = nseg + (gso ? 1 : 0);	/* a GSO extra takes a request's slot */
	uint16_t flags0 = 0;
	bool ok;
	RING_IDX avail;

	if (r->broken)
		return -EPROTO;
	if (len > NET_RX_MAX_PACKET || nseg > (r->sg ? NET_RX_MAX_SLOTS : 1u) ||
	    (gso && (!r->sg || !r->rx_gso || !info->gso_size || (info->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 &&
						    info->gso_type != XEN_NETIF_GSO_TYPE_TCPV6)))) {
		r->stats.rx_dropped++;		/* more than the guest can take */
		return 1;
	}
	if (pending(r, r->rx, r->rx_req_cons, r->rx_rsp_prod_pvt, &avail))
		return -EPROTO;
	if (avail < need && (wait_for(r, r->rx, r->rx_req_cons, r->rx_rsp_prod_pvt,
				      r->rx_req_cons + need, &avail) || avail < need))
		return r->broken ? -EPROTO : 0;
	for (unsigned int k = 0; k < need; k++)
		memcpy(&req[k], RX_SLOT(r, r->rx_req_cons + k), sizeof(req[k]));
	/*
	 * Slot order, as netfront reads it: the first data slot, then the GSO
	 * extra, then the rest of the data (xennet_get_responses/get_extras).
	 */
	for (unsigned int k = 0; k < nseg; k++) {
		size_t off = (size_t)k * NET_PAGE_SIZE;
		unsigned int q = k == 0 || !gso ? k : k + 1;

		segs[k] = (struct net_seg){
			.gref = req[q].gref, .offset = 0,
			.len = (uint16_t)(len - off < NET_PAGE_SIZE ? len - off : NET_PAGE_SIZE),
		};
	}
	ok = len == 0 || r->ops->gnt_copy(r->ctx, segs, nseg, (void *)pkt, true) == 0;
	if (info && (info->csum_blank || gso))
		flags0 |= NETRXF_csum_blank | NETRXF_data_validated;
	else if (info && info->data_validated)
		flags0 |= NETRXF_data_validated;
	for (unsigned int k = 0; k < nseg; k++) {
		unsigned int q = k == 0 || !gso ? k : k + 1;
		struct netif_rx_response rsp = {
			.id = req[q].id, .offset = 0,
			.flags = (uint16_t)((k ? 0 : flags0) | (k + 1 < nseg ? NETRXF_more_data : 0) |
					    (k == 0 && gso && ok ? NETRXF_extra_info : 0)),
			.status = ok ? (int16_t)segs[k].len : NETIF_RSP_ERROR,
		};

		memcpy(RX_SLOT(r, r->rx_rsp_prod_pvt + q), &rsp, sizeof(rsp));
	}
	if (gso) {
		/* The extra's slot: an error packet still answers its request. */
		struct netif_extra_info ex = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
		struct netif_rx_response nul = { .id = req[1].id, .status = NETIF_RSP_ERROR };

		ex.u.gso.type = info->gso_type;
		ex.u.gso.size = info->gso_size;
		if (ok)
			memcpy(RX_SLOT(r, r->rx_rsp_prod_pvt + 1), &ex, sizeof(ex));
		else
			memcpy(RX_SLOT(r, r->rx_rsp_prod_pvt + 1), &nul, sizeof(nul));
	}
	r->rx_rsp_prod_pvt += need;
	r->rx_req_cons += need;
	if (ok) {
		r->stats.rx_packets++;
		r->stats.rx_bytes += len;
	} else {
		r->stats.rx_errors++;
	}
	return 1;
}

/* ---- packet headers ------------------------------------------------------------------ */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The L3 header's offset and ethertype, past one 802.1Q tag. */
static int l3_of(const uint8_t *pkt, size_t len, size_t *l3, uint16_t *type)
{
	if (len < NET_ETH_HLEN)
		return -EINVAL;
	*type = be16(pkt + 12);
	*l3 = NET_ETH_HLEN;
	if (*type == 0x8100) {
		if (len < NET_ETH_HLEN + 4)
			return -EINVAL;
		*type = be16(pkt + 16);
		*l3 += 4;
	}
	return 0;
}

int net_csum_locate(const uint8_t *pkt, size_t len, uint16_t *start, uint16_t *field)
{
	size_t l3, l4;
	uint16_t type;
	uint8_t proto;

	if (l3_of(pkt, len, &l3, &type))
		return -EINVAL;
	if (type == 0x0800) {
		unsigned int ihl;

		if (len < l3 + 20 || (pkt[l3] >> 4) != 4)
			return -EINVAL;
		ihl = (pkt[l3] & 0xf) * 4u;
		/* A fragment after the first has no L4 header to fill in. */
		if (ihl < 20 || (be16(pkt + l3 + 6) & 0x1fff))
			return -EINVAL;
		proto = pkt[l3 + 9];
		l4 = l3 + ihl;
	} else if (type == 0x86dd) {
		if (len < l3 + 40 || (pkt[l3] >> 4) != 6)
			return -EINVAL;
		proto = pkt[l3 + 6];
		l4 = l3 + 40;
	} else {
		return -EINVAL;
	}
	if (proto == 6)
		*field = 16;
	else if (proto == 17)
		*field = 6;
	else
		return -EINVAL;
	if (l4 + *field + 2 > len || l4 > UINT16_MAX)
		return -EINVAL;
	*start = (uint16_t)l4;
	return 0;
}

bool net_tx_allowed(const uint8_t *pkt, size_t len, const uint32_t *ips, unsigned int nr_ips)
{
	size_t l3;
	uint16_t type = 0;
	uint32_t src;

	if (l3_of(pkt, len, &l3, &type) || type != 0x0800)
		return type != 0x0800;		/* too short to say: only IPv4 is refused */
	if (len < l3 + 20)
		return false;
	memcpy(&src, pkt + l3 + 12, 4);
	for (unsigned int i = 0; i < nr_ips; i++)
		if (ips[i] == src)
			return true;
	/* DHCP requests (UDP 68 -> 67), which vif-common.sh lets through too. */
	if (pkt[l3 + 9] == 17) {
		size_t l4 = l3 + (pkt[l3] & 0xf) * 4u;

		return len >= l4 + 4 && be16(pkt + l4) == 68 && be16(pkt + l4 + 2) == 67;
	}
	return false;
}
