/* SPDX-License-Identifier: MIT */
/*
 * The PV network protocol (netif), as this project writes it: the tx and
 * rx ring entries, their flags and the extra-info slots. Numbers and
 * layouts from Xen's xen/include/public/io/netif.h.
 *
 * Two rings per queue, each one page (io/ring.h: a 64-byte header, then
 * slots): tx carries the guest's packets to the backend (a request of 12
 * bytes, a response of 4: 12-byte slots, 256 of them); rx carries the
 * guest's empty pages to the backend, which fills them (8-byte requests
 * and responses: 256 slots).
 *
 * A tx packet is one or more requests chained with NETTXF_more_data; the
 * first request's size is the whole packet's length, each later one's its
 * own slot's, so the first slot holds size - (sum of the others) bytes.
 * NETTXF_extra_info on the first request means the next slot is a struct
 * netif_extra_info (and XEN_NETIF_EXTRA_FLAG_MORE chains further ones);
 * an extra slot gets a NETIF_RSP_NULL response. Every request is answered,
 * in order, with its id.
 *
 * An rx packet fills one rx request's page ([offset, offset + status)),
 * or several chained with NETRXF_more_data when the frontend offered
 * feature-sg; status is the length, or a negative NETIF_RSP_*.
 */
#ifndef XEN_IO_NETIF_H
#define XEN_IO_NETIF_H

#include <stdint.h>

#include "ring.h"

/* The most slots a frontend may use for one tx packet without asking. */
#define XEN_NETIF_NR_SLOTS_MIN	18
#define XEN_NETIF_MAX_TX_SIZE	0xFFFF

/* tx request flags */
#define NETTXF_csum_blank	(1u << 0)	/* L4 checksum not filled in (offload) */
#define NETTXF_data_validated	(1u << 1)	/* checksum known good */
#define NETTXF_more_data	(1u << 2)	/* packet continues in the next request */
#define NETTXF_extra_info	(1u << 3)	/* an extra-info slot follows */

struct netif_tx_request {
	uint32_t gref;		/* grant_ref_t: the page holding this slot's data */
	uint16_t offset;	/* in the page */
	uint16_t flags;		/* NETTXF_* */
	uint16_t id;		/* echoed in the response */
	uint16_t size;		/* first slot: the packet; others: this slot */
};

/* Extra-info types and flags. */
#define XEN_NETIF_EXTRA_TYPE_NONE	0	/* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO	1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	3
#define XEN_NETIF_EXTRA_TYPE_HASH	4
#define XEN_NETIF_EXTRA_TYPE_MAX	5
#define XEN_NETIF_EXTRA_FLAG_MORE	(1u << 0)

#define XEN_NETIF_GSO_TYPE_NONE		0
#define XEN_NETIF_GSO_TYPE_TCPV4	1
#define XEN_NETIF_GSO_TYPE_TCPV6	2

struct netif_extra_info {
	uint8_t type;		/* XEN_NETIF_EXTRA_TYPE_* */
	uint8_t flags;		/* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			uint16_t size;		/* MSS */
			uint8_t type;		/* XEN_NETIF_GSO_TYPE_* */
			uint8_t pad;
			uint16_t features;
		} gso;
		struct {
			uint8_t addr[6];
		} mcast;
		struct {
			uint8_t type;
			uint8_t algorithm;
			uint8_t value[4];
		} hash;
		uint16_t pad[3];
	} u;
};

struct netif_tx_response {
	uint16_t id;
	int16_t status;		/* NETIF_RSP_* */
};

struct netif_rx_request {
	uint16_t id;
	uint16_t pad;
	uint32_t gref;		/* an empty page the backend may write */
};

/* rx response flags */
#define NETRXF_data_validated	(1u << 0)
#define NETRXF_csum_blank	(1u << 1)
#define NETRXF_more_data	(1u << 2)
#define NETRXF_extra_info	(1u << 3)
#define NETRXF_gso_prefix	(1u << 4)	/* deprecated */

struct netif_rx_response {
	uint16_t id;
	uint16_t offset;	/* where the data starts in the page */
	uint16_t flags;		/* NETRXF_* */
	int16_t status;		/* bytes in this slot, or NETIF_RSP_* < 0 */
};

#define NETIF_RSP_DROPPED	-2
#define NETIF_RSP_ERROR		-1
#define NETIF_RSP_OKAY		0
#define NETIF_RSP_NULL		1	/* the answer to an extra-info slot */

/* Slot sizes: the union of a request and a response. */
#define NETIF_TX_SLOT_SIZE	12u
#define NETIF_RX_SLOT_SIZE	8u

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request layout");
_Static_assert(sizeof(struct netif_extra_info) == 8, "netif_extra_info layout");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif_tx_response layout");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif_rx_request layout");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response layout");

#endif /* XEN_IO_NETIF_H */
