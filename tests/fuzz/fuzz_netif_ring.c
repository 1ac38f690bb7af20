// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: netback's ring code (tools/backend/netif_ring.c) on a
 * frontend's bytes: the tx ring page, then the rx ring page, then up to
 * eight granted pages; a leading byte picks feature-sg, GSO, an ip=
 * filter and the size of a frame to deliver. Checks what netback
 * promises whatever the rings hold: no grant copy outside its page or
 * beyond what the packet buffer holds, packets no longer than
 * NET_MAX_PACKET, never more answers than requests taken, and a broken
 * ring stays stopped. Grant copies really copy, so the packet's bytes
 * (the ip= filter reads them) come from the input too.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netif_ring.h"

#define NGRANT		8u

static unsigned char tx_page[NET_PAGE_SIZE], rx_page[NET_PAGE_SIZE];
static unsigned char grants[NGRANT][NET_PAGE_SIZE];
static unsigned char pkt[NET_MAX_PACKET > NET_RX_MAX_PACKET ? NET_MAX_PACKET : NET_RX_MAX_PACKET];
static size_t copy_limit;		/* bytes of the buffer the current call may touch */

static int f_copy(void *ctx, const struct net_seg *segs, unsigned int nr, void *buf,
		  bool to_guest)
{
	unsigned char *p = buf;
	size_t done = 0;

	(void)ctx;
	for (unsigned int i = 0; i < nr; i++) {
		if (segs[i].gref >= NGRANT)
			return -EACCES;
		if (segs[i].offset + segs[i].len > NET_PAGE_SIZE)
			abort();		/* a slot the ring should have refused */
		done += segs[i].len;
		if (done > copy_limit)
			abort();		/* past the packet buffer */
		if (to_guest)
			memcpy(grants[segs[i].gref] + segs[i].offset, p, segs[i].len);
		else
			memcpy(p, grants[segs[i].gref] + segs[i].offset, segs[i].len);
		p += segs[i].len;
	}
	return 0;
}

static const struct net_ring_ops ops = { .gnt_copy = f_copy };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t ips[] = { 0x0200000a };	/* 10.0.0.2, network order */
	struct net_ring r;
	struct net_pkt_info info;
	RING_IDX tx0, rx0;
	size_t len, rxlen;
	uint8_t opt;
	int rc;

	if (size < 3)
		return 0;
	opt = data[0];
	rxlen = ((size_t)data[1] << 9) % (NET_RX_MAX_PACKET + 1);
	data += 2;
	size -= 2;
	memset(tx_page, 0, sizeof(tx_page));
	memset(rx_page, 0, sizeof(rx_page));
	memcpy(tx_page, data, size < NET_PAGE_SIZE ? size : NET_PAGE_SIZE);
	if (size > NET_PAGE_SIZE)
		memcpy(rx_page, data + NET_PAGE_SIZE,
		       size - NET_PAGE_SIZE < NET_PAGE_SIZE ? size - NET_PAGE_SIZE : NET_PAGE_SIZE);
	memset(grants, 0, sizeof(grants));
	if (size > 2 * NET_PAGE_SIZE)
		memcpy(grants, data + 2 * NET_PAGE_SIZE, size - 2 * NET_PAGE_SIZE < sizeof(grants) ?
		       size - 2 * NET_PAGE_SIZE : sizeof(grants));
	net_ring_init(&r, tx_page, rx_page, opt & 1, &ops, NULL);
	r.gso = opt & 2;
	r.rx_gso = opt & 4;
	if (opt & 8) {
		r.ips = ips;
		r.nr_ips = 1;
	}
	tx0 = r.tx_req_cons;
	rx0 = r.rx_req_cons;
	copy_limit = NET_MAX_PACKET;
	for (int i = 0; i < 300; i++) {
		rc = net_tx_take(&r, pkt, &len, &info);
		if (rc <= 0)
			break;
		if (len > NET_MAX_PACKET)
			abort();
	}
	memset(&info, 0, sizeof(info));
	info.gso_type = (opt & 16) ? XEN_NETIF_GSO_TYPE_TCPV4 : XEN_NETIF_GSO_TYPE_NONE;
	info.gso_size = (opt & 16) ? 1448 : 0;
	copy_limit = rxlen;
	for (int i = 0; i < 4 && !r.broken; i++)
		if (net_rx_put(&r, pkt, rxlen, &info) <= 0)
			break;
	net_ring_push(&r);
	if ((RING_IDX)(r.tx_rsp_prod_pvt - tx0) > (RING_IDX)(r.tx_req_cons - tx0) ||
	    (RING_IDX)(r.rx_rsp_prod_pvt - rx0) > (RING_IDX)(r.rx_req_cons - rx0))
		abort();
	if (r.broken) {
		RING_IDX c = r.tx_req_cons;

		if (net_tx_take(&r, pkt, &len, &info) != -EPROTO || r.tx_req_cons != c)
			abort();
	}
	return 0;
}
