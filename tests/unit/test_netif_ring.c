// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the netif rings (tools/backend/netif_ring.c): crafted tx
 * and rx rings in memory, a fake grant copy over 32 fake pages (refs 0..31;
 * any other ref is refused, as a grant the guest never gave).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "netif_ring.h"

#define NPAGES	32

static unsigned char tx_page[4096] __attribute__((aligned(4096)));
static unsigned char rx_page[4096] __attribute__((aligned(4096)));
static unsigned char gpage[NPAGES][4096];
static unsigned int copies;
static struct net_ring r;
static unsigned char buf[NET_MAX_PACKET];

static int fake_copy(void *ctx, const struct net_seg *segs, unsigned int nr, void *b,
		     bool to_guest)
{
	unsigned char *p = b;

	(void)ctx;
	copies++;
	for (unsigned int i = 0; i < nr; i++) {
		if (segs[i].gref >= NPAGES || segs[i].offset + segs[i].len > 4096 || !segs[i].len)
			return -EACCES;
	}
	for (unsigned int i = 0; i < nr; i++) {
		unsigned char *g = gpage[segs[i].gref] + segs[i].offset;

		if (to_guest)
			memcpy(g, p, segs[i].len);
		else
			memcpy(p, g, segs[i].len);
		p += segs[i].len;
	}
	return 0;
}

static const struct net_ring_ops ops = { .gnt_copy = fake_copy };

static struct xen_sring_hdr *hdr(unsigned char *page)
{
	return (struct xen_sring_hdr *)page;
}

static RING_IDX tx_prod;

static void put_tx(uint32_t gref, uint16_t off, uint16_t flags, uint16_t id, uint16_t size)
{
	struct netif_tx_request q = { .gref = gref, .offset = off, .flags = flags, .id = id,
				      .size = size };

	memcpy(tx_page + 64 + (tx_prod & 255) * 12, &q, sizeof(q));
	tx_prod++;
}

static void put_extra(uint8_t type, uint8_t flags)
{
	struct netif_extra_info e = { .type = type, .flags = flags };

	memset(tx_page + 64 + (tx_prod & 255) * 12, 0, 12);
	memcpy(tx_page + 64 + (tx_prod & 255) * 12, &e, sizeof(e));
	tx_prod++;
}

static void publish_tx(void)
{
	hdr(tx_page)->req_prod = tx_prod;
}

static struct netif_tx_response tx_rsp(RING_IDX i)
{
	struct netif_tx_response s;

	memcpy(&s, tx_page + 64 + (i & 255) * 12, sizeof(s));
	return s;
}

static int setup(void **state)
{
	(void)state;
	memset(tx_page, 0, sizeof(tx_page));
	memset(rx_page, 0, sizeof(rx_page));
	for (int i = 0; i < NPAGES; i++)
		memset(gpage[i], 0x40 + i, 4096);
	tx_prod = 0;
	copies = 0;
	net_ring_init(&r, tx_page, rx_page, true, &ops, NULL);
	hdr(tx_page)->rsp_event = 1;
	hdr(rx_page)->rsp_event = 1;
	return 0;
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(r.size, 256);
	assert_int_equal(xen_ring_size(4096, NETIF_RX_SLOT_SIZE), 256);
}

/* A packet over three slots (NETTXF_more_data) comes out whole, in order. */
static void test_tx_multislot(void **state)
{
	size_t len = 0;
	struct net_pkt_info info;

	(void)state;
	memset(gpage[1] + 4000, 0xa1, 96);
	memset(gpage[2], 0xa2, 4096);
	memset(gpage[3] + 10, 0xa3, 100);
	put_tx(1, 4000, NETTXF_more_data | NETTXF_csum_blank, 7, 96 + 4096 + 100);
	put_tx(2, 0, NETTXF_more_data, 8, 4096);
	put_tx(3, 10, 0, 9, 100);
	publish_tx();
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(len, 96 + 4096 + 100);
	assert_true(info.csum_blank);
	assert_false(info.data_validated);
	assert_int_equal(buf[0], 0xa1);
	assert_int_equal(buf[95], 0xa1);
	assert_int_equal(buf[96], 0xa2);
	assert_int_equal(buf[96 + 4095], 0xa2);
	assert_int_equal(buf[96 + 4096], 0xa3);
	assert_int_equal(buf[len - 1], 0xa3);
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 0);
	/* Empty: the backend asked for an event at the next request. */
	assert_int_equal(hdr(tx_page)->req_event, 4);
	assert_true(net_ring_push(&r));
	assert_int_equal(hdr(tx_page)->rsp_prod, 3);
	assert_int_equal(tx_rsp(0).id, 7);
	assert_int_equal(tx_rsp(1).id, 8);
	assert_int_equal(tx_rsp(2).id, 9);
	for (int i = 0; i < 3; i++)
		assert_int_equal(tx_rsp(i).status, NETIF_RSP_OKAY);
	assert_int_equal(r.stats.tx_packets, 1);
	/* Nothing new: no event. */
	assert_false(net_ring_push(&r));
}

/* Extra slots: multicast ones are answered NETIF_RSP_NULL; GSO, not offered here, drops. */
static void test_tx_extras(void **state)
{
	size_t len;
	struct net_pkt_info info;

	(void)state;
	put_tx(0, 0, NETTXF_extra_info, 1, 60);
	put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_FLAG_MORE);
	put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0);
	put_tx(0, 0, NETTXF_extra_info, 2, 60);
	put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	put_tx(0, 100, 0, 3, 60);
	publish_tx();
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(len, 60);
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(len, 60);
	assert_int_equal(r.stats.tx_errors, 1);
	net_ring_push(&r);
	assert_int_equal(tx_rsp(0).status, NETIF_RSP_OKAY);
	assert_int_equal(tx_rsp(1).status, NETIF_RSP_NULL);
	assert_int_equal(tx_rsp(2).status, NETIF_RSP_NULL);
	assert_int_equal(tx_rsp(3).id, 2);
	assert_int_equal(tx_rsp(3).status, NETIF_RSP_ERROR);
	assert_int_equal(tx_rsp(4).status, NETIF_RSP_NULL);
	assert_int_equal(tx_rsp(5).id, 3);
	assert_int_equal(tx_rsp(5).status, NETIF_RSP_OKAY);
	assert_false(r.broken);
}

static void put_gso(uint8_t gso_type, uint16_t mss)
{
	struct netif_extra_info e = { .type = XEN_NETIF_EXTRA_TYPE_GSO };

	e.u.gso.type = gso_type;
	e.u.gso.size = mss;
	memset(tx_page + 64 + (tx_prod & 255) * 12, 0, 12);
	memcpy(tx_page + 64 + (tx_prod & 255) * 12, &e, sizeof(e));
	tx_prod++;
}

/* With GSO offered, a TSO packet over many slots comes out with its MSS. */
static void test_tx_gso(void **state)
{
	size_t len;
	struct net_pkt_info info;

	(void)state;
	r.gso = true;
	put_tx(1, 0, NETTXF_extra_info | NETTXF_more_data | NETTXF_csum_blank, 1, 4096 * 15 + 100);
	put_gso(XEN_NETIF_GSO_TYPE_TCPV4, 1448);
	for (int i = 0; i < 15; i++)
		put_tx((uint32_t)(2 + i), 0, i < 14 ? NETTXF_more_data : 0, (uint16_t)(2 + i),
		       i < 14 ? 4096 : 100);
	put_tx(3, 0, NETTXF_extra_info, 20, 60);
	put_gso(XEN_NETIF_GSO_TYPE_TCPV6, 1428);
	put_tx(4, 0, 0, 21, 60);			/* no extra: no GSO */
	publish_tx();
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(len, 4096 * 15 + 100);
	assert_int_equal(info.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
	assert_int_equal(info.gso_size, 1448);
	assert_true(info.csum_blank);
	assert_int_equal(buf[4096], 0x40 + 2);
	assert_int_equal(buf[len - 1], 0x40 + 16);
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(info.gso_type, XEN_NETIF_GSO_TYPE_TCPV6);
	assert_int_equal(info.gso_size, 1428);
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(info.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	assert_int_equal(info.gso_size, 0);
	net_ring_push(&r);
	assert_int_equal(tx_rsp(0).status, NETIF_RSP_OKAY);
	assert_int_equal(tx_rsp(1).status, NETIF_RSP_NULL);
	assert_int_equal(tx_rsp(16).id, 16);
	assert_false(r.broken);
}

static void expect_broken(void);

/* With GSO offered, an unknown GSO type or an MSS of 0 is fatal (Linux's rule). */
static void test_tx_gso_fatal(void **state)
{
	(void)state;
	r.gso = true;
	put_tx(0, 0, NETTXF_extra_info, 1, 60);
	put_gso(XEN_NETIF_GSO_TYPE_TCPV4, 0);
	publish_tx();
	expect_broken();
	setup(NULL);
	r.gso = true;
	put_tx(0, 0, NETTXF_extra_info, 1, 60);
	put_gso(3, 1400);
	publish_tx();
	expect_broken();
}

/* Bad packets get NETIF_RSP_ERROR and the ring goes on. */
static void test_tx_dropped(void **state)
{
	size_t len;
	struct net_pkt_info info;

	(void)state;
	put_tx(0, 0, 0, 1, 13);				/* shorter than an Ethernet header */
	put_tx(0, 0, NETTXF_more_data, 2, 100);		/* later slots larger than the packet */
	put_tx(1, 0, 0, 3, 200);
	put_tx(999, 0, 0, 4, 64);			/* a ref the guest never granted */
	put_tx(5, 0, 0, 5, 64);				/* good */
	publish_tx();
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_int_equal(len, 64);
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(r.stats.tx_errors, 3);
	net_ring_push(&r);
	assert_int_equal(tx_rsp(0).status, NETIF_RSP_ERROR);
	assert_int_equal(tx_rsp(1).status, NETIF_RSP_ERROR);
	assert_int_equal(tx_rsp(2).status, NETIF_RSP_ERROR);
	assert_int_equal(tx_rsp(3).status, NETIF_RSP_ERROR);
	assert_int_equal(tx_rsp(4).status, NETIF_RSP_OKAY);
	assert_false(r.broken);
}

static void expect_broken(void)
{
	size_t len;
	struct net_pkt_info info;

	assert_int_equal(net_tx_take(&r, buf, &len, &info), -EPROTO);
	assert_true(r.broken);
	/* And stays so. */
	assert_int_equal(net_tx_take(&r, buf, &len, &info), -EPROTO);
	assert_int_equal(net_rx_put(&r, buf, 60, NULL), -EPROTO);
}

static void test_tx_fatal_index_jump(void **state)
{
	(void)state;
	hdr(tx_page)->req_prod = 257;
	expect_broken();
	assert_int_equal(copies, 0);
}

static void test_tx_fatal_cross_page(void **state)
{
	(void)state;
	put_tx(0, 4000, 0, 1, 200);
	publish_tx();
	expect_broken();
}

static void test_tx_fatal_unfinished(void **state)
{
	(void)state;
	put_tx(0, 0, NETTXF_more_data, 1, 200);
	publish_tx();				/* the next slot is not published */
	expect_broken();
}

static void test_tx_fatal_too_many_slots(void **state)
{
	(void)state;
	put_tx(0, 0, NETTXF_more_data, 0, 19 * 10);
	for (int i = 1; i < 19; i++)
		put_tx(0, 0, i < 18 ? NETTXF_more_data : 0, (uint16_t)i, 10);
	publish_tx();
	expect_broken();
}

static void test_tx_fatal_bad_extra(void **state)
{
	(void)state;
	put_tx(0, 0, NETTXF_extra_info, 1, 60);
	put_extra(XEN_NETIF_EXTRA_TYPE_MAX, 0);
	put_tx(0, 0, 0, 2, 60);
	publish_tx();
	expect_broken();
}

static void test_tx_fatal_endless_extras(void **state)
{
	(void)state;
	put_tx(0, 0, NETTXF_extra_info, 1, 60);
	for (int i = 0; i < 5; i++)
		put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_FLAG_MORE);
	put_tx(0, 0, 0, 2, 60);
	publish_tx();
	expect_broken();
}

/* Many packets across the 2^32 wrap of the indices. */
static void test_tx_index_wrap(void **state)
{
	size_t len;
	struct net_pkt_info info;

	(void)state;
	hdr(tx_page)->rsp_prod = 0xfffffff0u;
	hdr(tx_page)->req_prod = 0xfffffff0u;
	tx_prod = 0xfffffff0u;
	net_ring_init(&r, tx_page, rx_page, true, &ops, NULL);
	for (int i = 0; i < 40; i++)
		put_tx((uint32_t)(i % NPAGES), 0, 0, (uint16_t)i, (uint16_t)(60 + i));
	publish_tx();
	for (int i = 0; i < 40; i++) {
		assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
		assert_int_equal(len, 60 + i);
		assert_int_equal(buf[0], 0x40 + i % NPAGES);
	}
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 0);
	net_ring_push(&r);
	assert_int_equal(hdr(tx_page)->rsp_prod, 0xfffffff0u + 40);
}

/* ---- rx ---------------------------------------------------------------------------- */

static RING_IDX rx_prod;

static void post_rx(uint16_t id, uint32_t gref)
{
	struct netif_rx_request q = { .id = id, .gref = gref };

	memcpy(rx_page + 64 + (rx_prod & 255) * 8, &q, sizeof(q));
	rx_prod++;
	hdr(rx_page)->req_prod = rx_prod;
}

static struct netif_rx_response rx_rsp(RING_IDX i)
{
	struct netif_rx_response s;

	memcpy(&s, rx_page + 64 + (i & 255) * 8, sizeof(s));
	return s;
}

/*
 * Split event channels: each ring's answers are pushed and judged on
 * their own, so a tx answer does not ring the rx port and back.
 */
static void test_push_split(void **state)
{
	static unsigned char pkt[100];
	size_t len;
	struct net_pkt_info info;

	(void)state;
	rx_prod = 0;
	put_tx(1, 0, 0, 5, 60);
	publish_tx();
	assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
	assert_false(net_ring_push_rx(&r));		/* nothing for rx */
	assert_true(net_ring_push_tx(&r));		/* rsp_event 1 reached */
	assert_false(net_ring_push_tx(&r));		/* already published */
	assert_int_equal(hdr(tx_page)->rsp_prod, 1);
	assert_int_equal(hdr(rx_page)->rsp_prod, 0);
	post_rx(21, 3);
	assert_int_equal(net_rx_put(&r, pkt, sizeof(pkt), NULL), 1);
	assert_false(net_ring_push_tx(&r));
	assert_true(net_ring_push_rx(&r));
	assert_int_equal(hdr(rx_page)->rsp_prod, 1);
	assert_int_equal(rx_rsp(0).id, 21);
	/* The frontend asked for the next rx event further on: no event yet. */
	hdr(rx_page)->rsp_event = 3;
	post_rx(22, 4);
	assert_int_equal(net_rx_put(&r, pkt, sizeof(pkt), NULL), 1);
	assert_false(net_ring_push_rx(&r));
	assert_int_equal(hdr(rx_page)->rsp_prod, 2);
}

static void test_rx(void **state)
{
	static unsigned char pkt[9000];
	struct net_pkt_info csum = { .csum_blank = true };

	(void)state;
	rx_prod = 0;
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (unsigned char)(i * 7);
	/* No request posted: wait, with req_event at the one needed. */
	assert_int_equal(net_rx_put(&r, pkt, 1514, NULL), 0);
	assert_int_equal(hdr(rx_page)->req_event, 1);
	post_rx(11, 3);
	assert_int_equal(net_rx_put(&r, pkt, 1514, &csum), 1);
	assert_true(net_ring_push(&r));
	assert_int_equal(hdr(rx_page)->rsp_prod, 1);
	assert_int_equal(rx_rsp(0).id, 11);
	assert_int_equal(rx_rsp(0).status, 1514);
	assert_int_equal(rx_rsp(0).offset, 0);
	assert_int_equal(rx_rsp(0).flags, NETRXF_csum_blank | NETRXF_data_validated);
	assert_memory_equal(gpage[3], pkt, 1514);

	/* 9000 bytes: three pages, chained with NETRXF_more_data (feature-sg). */
	post_rx(20, 4);
	assert_int_equal(net_rx_put(&r, pkt, 9000, NULL), 0);
	assert_int_equal(hdr(rx_page)->req_event, 4);
	post_rx(21, 5);
	post_rx(22, 6);
	assert_int_equal(net_rx_put(&r, pkt, 9000, NULL), 1);
	net_ring_push(&r);
	assert_int_equal(rx_rsp(1).flags, NETRXF_more_data);
	assert_int_equal(rx_rsp(1).status, 4096);
	assert_int_equal(rx_rsp(2).flags, NETRXF_more_data);
	assert_int_equal(rx_rsp(3).flags, 0);
	assert_int_equal(rx_rsp(3).status, 9000 - 8192);
	assert_int_equal(rx_rsp(3).id, 22);
	assert_memory_equal(gpage[4], pkt, 4096);
	assert_memory_equal(gpage[6], pkt + 8192, 9000 - 8192);

	/* A ref the copy refuses: every slot of the packet answers an error. */
	post_rx(30, 77);
	assert_int_equal(net_rx_put(&r, pkt, 100, NULL), 1);
	net_ring_push(&r);
	assert_int_equal(rx_rsp(4).status, NETIF_RSP_ERROR);
	assert_int_equal(r.stats.rx_errors, 1);
	assert_int_equal(r.stats.rx_packets, 2);

	/* Without feature-sg a packet above a page is dropped, nothing consumed. */
	r.sg = false;
	post_rx(40, 7);
	post_rx(41, 8);
	assert_int_equal(net_rx_put(&r, pkt, 5000, NULL), 1);
	assert_int_equal(r.stats.rx_dropped, 1);
	assert_int_equal(r.rx_req_cons, 5);

	/* rx requests that run a ring ahead: broken. */
	hdr(rx_page)->req_prod = r.rx_req_cons + 300;
	assert_int_equal(net_rx_put(&r, pkt, 100, NULL), -EPROTO);
	assert_true(r.broken);
}

/* A GSO frame: first data slot, the GSO extra, then the rest of the data. */
static void test_rx_gso(void **state)
{
	static unsigned char pkt[17 * 4096];
	struct net_pkt_info gso = { .csum_blank = true, .gso_type = XEN_NETIF_GSO_TYPE_TCPV4,
				    .gso_size = 1448 };
	struct netif_extra_info ex;
	size_t len = 65536 + 54;

	(void)state;
	rx_prod = 0;
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (unsigned char)(i * 13 + 1);
	/* A frontend that did not offer GSO does not get it. */
	r.rx_gso = false;
	assert_int_equal(net_rx_put(&r, pkt, 1000, &gso), 1);
	assert_int_equal(r.stats.rx_dropped, 1);
	r.rx_gso = true;
	/* 17 data slots + the extra: 18 requests; 17 are not enough. */
	for (int i = 0; i < 17; i++)
		post_rx((uint16_t)(100 + i), (uint32_t)(i + 1));
	assert_int_equal(net_rx_put(&r, pkt, len, &gso), 0);
	assert_int_equal(hdr(rx_page)->req_event, 18);
	post_rx(117, 18 % NPAGES);
	assert_int_equal(net_rx_put(&r, pkt, len, &gso), 1);
	net_ring_push(&r);
	assert_int_equal(hdr(rx_page)->rsp_prod, 18);
	assert_int_equal(rx_rsp(0).id, 100);
	assert_int_equal(rx_rsp(0).flags, NETRXF_csum_blank | NETRXF_data_validated |
			 NETRXF_extra_info | NETRXF_more_data);
	assert_int_equal(rx_rsp(0).status, 4096);
	memcpy(&ex, rx_page + 64 + 1 * 8, sizeof(ex));
	assert_int_equal(ex.type, XEN_NETIF_EXTRA_TYPE_GSO);
	assert_int_equal(ex.flags, 0);
	assert_int_equal(ex.u.gso.type, XEN_NETIF_GSO_TYPE_TCPV4);
	assert_int_equal(ex.u.gso.size, 1448);
	/* The second data slot is the third request (ref 3). */
	assert_int_equal(rx_rsp(2).id, 102);
	assert_int_equal(rx_rsp(2).flags, NETRXF_more_data);
	assert_memory_equal(gpage[1], pkt, 4096);
	assert_memory_equal(gpage[3], pkt + 4096, 4096);
	assert_int_equal(rx_rsp(17).id, 117);
	assert_int_equal(rx_rsp(17).flags, 0);
	assert_int_equal(rx_rsp(17).status, (int)(len - 16 * 4096));
	assert_memory_equal(gpage[18 % NPAGES], pkt + 16 * 4096, len - 16 * 4096);
	/* Larger than 17 pages, an MSS of 0, or without feature-sg: dropped. */
	assert_int_equal(net_rx_put(&r, pkt, 17 * 4096 + 1, NULL), 1);
	gso.gso_size = 0;
	assert_int_equal(net_rx_put(&r, pkt, 100, &gso), 1);
	gso.gso_size = 1448;
	r.sg = false;
	assert_int_equal(net_rx_put(&r, pkt, 100, &gso), 1);
	assert_int_equal(r.stats.rx_dropped, 4);
	assert_int_equal(r.rx_req_cons, 18);
}

/* ---- headers --------------------------------------------------------------------------- */

static size_t frame(uint8_t *f, uint16_t ethertype, uint8_t proto, const char *src)
{
	memset(f, 0, 128);
	f[12] = (uint8_t)(ethertype >> 8);
	f[13] = (uint8_t)ethertype;
	if (ethertype == 0x0800) {
		uint32_t a = inet_addr(src);

		f[14] = 0x45;
		f[14 + 9] = proto;
		memcpy(f + 14 + 12, &a, 4);
	} else if (ethertype == 0x86dd) {
		f[14] = 0x60;
		f[14 + 6] = proto;
	}
	return 128;
}

static void test_csum_locate(void **state)
{
	uint8_t f[128];
	uint16_t start, field;

	(void)state;
	assert_int_equal(net_csum_locate(f, frame(f, 0x0800, 6, "192.0.2.2"), &start, &field), 0);
	assert_int_equal(start, 34);
	assert_int_equal(field, 16);
	assert_int_equal(net_csum_locate(f, frame(f, 0x0800, 17, "192.0.2.2"), &start, &field), 0);
	assert_int_equal(field, 6);
	f[14] = 0x46;				/* options: ihl 6 */
	assert_int_equal(net_csum_locate(f, 128, &start, &field), 0);
	assert_int_equal(start, 38);
	f[14 + 6] = 0x00;
	f[14 + 7] = 0x10;			/* a later fragment */
	assert_int_equal(net_csum_locate(f, 128, &start, &field), -EINVAL);
	assert_int_equal(net_csum_locate(f, frame(f, 0x86dd, 6, NULL), &start, &field), 0);
	assert_int_equal(start, 54);
	assert_int_equal(net_csum_locate(f, frame(f, 0x0800, 1, "192.0.2.2"), &start, &field),
			 -EINVAL);		/* ICMP: no offload */
	assert_int_equal(net_csum_locate(f, frame(f, 0x0806, 0, NULL), &start, &field), -EINVAL);
	assert_int_equal(net_csum_locate(f, 40, &start, &field), -EINVAL);
	/* 802.1Q */
	frame(f, 0x0800, 6, "192.0.2.2");
	memmove(f + 16, f + 12, 100);
	f[12] = 0x81;
	f[13] = 0x00;
	assert_int_equal(net_csum_locate(f, 128, &start, &field), 0);
	assert_int_equal(start, 38);
	/* Truncated before the field. */
	assert_int_equal(net_csum_locate(f, 38 + 17, &start, &field), -EINVAL);
}

static void test_ip_filter(void **state)
{
	uint8_t f[128];
	uint32_t ips[2] = { inet_addr("192.0.2.2"), inet_addr("192.0.2.5") };
	size_t n;

	(void)state;
	assert_true(net_tx_allowed(f, frame(f, 0x0800, 6, "192.0.2.2"), ips, 2));
	assert_true(net_tx_allowed(f, frame(f, 0x0800, 6, "192.0.2.5"), ips, 2));
	assert_false(net_tx_allowed(f, frame(f, 0x0800, 6, "192.0.2.3"), ips, 2));
	assert_true(net_tx_allowed(f, frame(f, 0x0806, 0, NULL), ips, 2));	/* ARP */
	assert_true(net_tx_allowed(f, frame(f, 0x86dd, 6, NULL), ips, 2));
	n = frame(f, 0x0800, 17, "0.0.0.0");
	f[34] = 0;
	f[35] = 68;
	f[36] = 0;
	f[37] = 67;
	assert_true(net_tx_allowed(f, n, ips, 2));		/* DHCP request */
	f[37] = 53;
	assert_false(net_tx_allowed(f, n, ips, 2));
	assert_false(net_tx_allowed(f, 20, ips, 2));		/* IPv4 header cut off */

	/* Through the ring: a spoofed source is answered NETIF_RSP_DROPPED. */
	frame(gpage[9], 0x0800, 6, "192.0.2.77");
	frame(gpage[10], 0x0800, 6, "192.0.2.2");
	r.ips = ips;
	r.nr_ips = 2;
	put_tx(9, 0, 0, 1, 128);
	put_tx(10, 0, 0, 2, 128);
	publish_tx();
	{
		size_t len;
		struct net_pkt_info info;

		assert_int_equal(net_tx_take(&r, buf, &len, &info), 1);
		assert_int_equal(buf[14 + 15], 2);
	}
	net_ring_push(&r);
	assert_int_equal(tx_rsp(0).status, NETIF_RSP_DROPPED);
	assert_int_equal(tx_rsp(1).status, NETIF_RSP_OKAY);
	assert_int_equal(r.stats.tx_filtered, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sizes, setup),
		cmocka_unit_test_setup(test_tx_multislot, setup),
		cmocka_unit_test_setup(test_tx_extras, setup),
		cmocka_unit_test_setup(test_push_split, setup),
		cmocka_unit_test_setup(test_tx_dropped, setup),
		cmocka_unit_test_setup(test_tx_gso, setup),
		cmocka_unit_test_setup(test_tx_gso_fatal, setup),
		cmocka_unit_test_setup(test_tx_fatal_index_jump, setup),
		cmocka_unit_test_setup(test_tx_fatal_cross_page, setup),
		cmocka_unit_test_setup(test_tx_fatal_unfinished, setup),
		cmocka_unit_test_setup(test_tx_fatal_too_many_slots, setup),
		cmocka_unit_test_setup(test_tx_fatal_bad_extra, setup),
		cmocka_unit_test_setup(test_tx_fatal_endless_extras, setup),
		cmocka_unit_test_setup(test_tx_index_wrap, setup),
		cmocka_unit_test_setup(test_rx, setup),
		cmocka_unit_test_setup(test_rx_gso, setup),
		cmocka_unit_test_setup(test_csum_locate, setup),
		cmocka_unit_test_setup(test_ip_filter, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
