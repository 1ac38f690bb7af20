// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore wire protocol, as Xen's public headers define it
 * (xen/include/public/io/xs_wire.h; docs/misc/xenstore.txt,
 * docs/misc/xenstore-ring.txt). Written here from those documents.
 *
 * A message is a 16-byte header (type, req_id, tx_id, len; little-endian
 * u32 each) and len bytes of payload, at most XS_PAYLOAD_MAX. Strings in
 * the payload are NUL-terminated. Replies echo req_id and tx_id; errors
 * come back as type XS_ERROR with the errno's name ("ENOENT") as payload.
 */
#ifndef XENSTORED_XS_WIRE_H
#define XENSTORED_XS_WIRE_H

#include <stdint.h>

enum xs_msg_type {
	XS_CONTROL = 0,			/* was XS_DEBUG */
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	/* 20 was XS_RESTRICT, removed */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
};

struct xs_hdr {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;			/* 0: not in a transaction */
	uint32_t len;			/* payload bytes after the header */
};
_Static_assert(sizeof(struct xs_hdr) == 16, "xenstore header is 16 bytes");

#define XS_PAYLOAD_MAX		4096u
#define XS_ABS_PATH_MAX		3072u
#define XS_REL_PATH_MAX		2048u

/* The shared page: two byte rings with free-running u32 indices. */
#define XS_RING_SIZE		1024u
#define XS_RING_MASK(i)		((i) & (XS_RING_SIZE - 1))

struct xs_ring_page {
	char req[XS_RING_SIZE];		/* guest -> xenstored */
	char rsp[XS_RING_SIZE];		/* xenstored -> guest: replies, watch events */
	uint32_t req_cons, req_prod;
	uint32_t rsp_cons, rsp_prod;
	uint32_t server_features;	/* XS_FEATURE_* the server offers */
	uint32_t connection;		/* XS_CONNECTED / XS_RECONNECT */
	uint32_t error;			/* XS_ERROR_*: why the server gave up */
};
_Static_assert(__builtin_offsetof(struct xs_ring_page, req_cons) == 2048, "ring indices");
_Static_assert(__builtin_offsetof(struct xs_ring_page, error) == 2072, "ring error field");

#define XS_CONNECTED		0
#define XS_RECONNECT		1

#define XS_ERROR_NONE		0
#define XS_ERROR_COMM		1	/* bad message header or length */
#define XS_ERROR_RINGIDX	2	/* indices further apart than the ring */
#define XS_ERROR_PROTO		3

/* Permissions: one letter and a domid, "r5". The first entry is the owner
 * (who may do anything) and the default for domains not listed. */
#define XS_PERM_NONE		0u
#define XS_PERM_READ		1u
#define XS_PERM_WRITE		2u
#define XS_PERM_BOTH		3u

#endif /* XENSTORED_XS_WIRE_H */
