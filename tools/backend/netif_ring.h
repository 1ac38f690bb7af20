// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend's end of one netif queue (Xen's io/netif.h, io/ring.h): take
 * the guest's packets off the tx ring, put packets for it on the rx ring,
 * answer every request. Nothing here opens a device or talks to the
 * driver: grant copies go through the caller's operation, so unit tests
 * feed crafted rings with a fake one.
 *
 * Every request is copied out of the shared page before it is looked at
 * (the frontend may change the page at any time), then checked as Linux's
 * netback checks it (drivers/net/xen-netback/netback.c):
 *   - fatal, the queue stops for good and `broken` is set (the device
 *     then closes): a producer index more than a ring ahead; a packet
 *     whose slots run past what the frontend published; more than
 *     XEN_NETIF_NR_SLOTS_MIN data slots or XEN_NETIF_EXTRA_TYPE_MAX - 1
 *     extra slots; an extra of an unknown type; a slot whose data crosses
 *     its page (offset + size > 4096); when GSO is offered, a GSO extra of
 *     an unknown type or with an MSS of 0;
 *   - the packet dropped, its requests answered NETIF_RSP_ERROR: shorter
 *     than an Ethernet header, slot sizes that add up to more than the
 *     first one says, a GSO extra when GSO is not offered, a grant the copy refused,
 *     an IPv4 source address the vif's ip= does not allow.
 */
#ifndef XVMM_NETIF_RING_H
#define XVMM_NETIF_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/netif.h>

#define NET_PAGE_SIZE		4096u
#define NET_ETH_HLEN		14u
/* The largest packet either way: a tx packet's size is 16 bits. */
#define NET_MAX_PACKET		XEN_NETIF_MAX_TX_SIZE
#define NET_RX_MAX_SLOTS	XEN_NETIF_NR_SLOTS_MIN	/* 18 pages > 64 KiB */
/* The largest rx packet: 17 pages (a GSO frame of 64 KiB and its headers). */
#define NET_RX_MAX_PACKET	(17u * NET_PAGE_SIZE)

/* A piece of a packet: a granted page's [offset, offset + len). */
struct net_seg {
	uint32_t gref;
	uint16_t offset;
	uint16_t len;
};

struct net_ring_ops {
	/* Copy nr segments between buf (packed, in order) and granted pages. 0 or -errno. */
	int (*gnt_copy)(void *ctx, const struct net_seg *segs, unsigned int nr, void *buf,
			bool to_guest);
};

/* Checksum state of a packet, both ways (NETTXF_ / NETRXF_ csum bits). */
struct net_pkt_info {
	bool csum_blank;		/* the L4 checksum still has to be filled in */
	bool data_validated;		/* the checksum is known good */
	uint8_t gso_type;		/* XEN_NETIF_GSO_TYPE_* of the GSO extra, or NONE */
	uint16_t gso_size;		/* its MSS */
};

struct net_ring_stats {
	uint64_t tx_packets, tx_bytes, tx_errors, tx_filtered;
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
};

struct net_ring {
	unsigned char *tx, *rx;		/* the shared pages */
	unsigned int size;		/* slots per ring: 256 */
	RING_IDX tx_req_cons, tx_rsp_prod_pvt;
	RING_IDX rx_req_cons, rx_rsp_prod_pvt;
	bool sg;			/* frontend's feature-sg: rx packets may span slots */
	bool gso;			/* feature-gso-tcpv4/v6 offered: GSO extras taken */
	bool rx_gso;			/* the frontend's feature-gso-*: it takes GSO packets */
	bool broken;			/* the frontend broke a ring: stopped for good */
	const uint32_t *ips;		/* ip=: allowed IPv4 sources (network order) */
	unsigned int nr_ips;		/* 0: no filter */
	const struct net_ring_ops *ops;
	void *ctx;
	struct net_ring_stats stats;
};

/* Over the two mapped ring pages, indices as the frontend initialised them. */
void net_ring_init(struct net_ring *r, void *tx_page, void *rx_page, bool sg,
		   const struct net_ring_ops *ops, void *ctx);

/*
 * The next good packet from the guest into buf (NET_MAX_PACKET bytes):
 * 1 with *len and *info set; 0 when the ring is empty (tx req_event is
 * then set, so the frontend signals the next request); -EPROTO when the
 * ring is broken. Bad packets are answered and skipped on the way.
 */
int net_tx_take(struct net_ring *r, void *buf, size_t *len, struct net_pkt_info *info);

/*
 * Give the guest pkt[0..len): 1 when it is done with (delivered, or
 * dropped: too large, refused grants). A GSO packet (info->gso_type) goes
 * with a GSO extra slot after its first data slot, and needs feature-sg.
 * 0 when the frontend has not posted
 * enough rx requests yet (rx req_event is set for them: keep the packet
 * and call again after its next event); -EPROTO when the ring is broken.
 */
int net_rx_put(struct net_ring *r, const void *pkt, size_t len, const struct net_pkt_info *info);

/* Publish the responses written so far; true when the frontend wants an event. */
bool net_ring_push(struct net_ring *r);

/*
 * The same for one ring at a time, for split event channels
 * (feature-split-event-channels: tx answers go on the tx port, rx
 * answers on the rx port).
 */
bool net_ring_push_tx(struct net_ring *r);
bool net_ring_push_rx(struct net_ring *r);

/*
 * Where an Ethernet frame's TCP or UDP checksum field is (IPv4, IPv6
 * without extension headers, one 802.1Q tag at most): 0 with the offset
 * at which the checksum's coverage starts (the L4 header) and the field's
 * offset from there; -EINVAL for anything else.
 */
int net_csum_locate(const uint8_t *pkt, size_t len, uint16_t *start, uint16_t *field);

/*
 * vif-bridge's ip= rule (tools/hotplug/Linux/vif-common.sh: iptables
 * accepts only those sources from the vif, and DHCP requests): may this
 * frame leave the guest? Non-IPv4 frames always may.
 */
bool net_tx_allowed(const uint8_t *pkt, size_t len, const uint32_t *ips, unsigned int nr_ips);

#endif /* XVMM_NETIF_RING_H */
