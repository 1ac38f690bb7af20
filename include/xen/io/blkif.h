/* SPDX-License-Identifier: MIT */
/*
 * The PV block device protocol (blkif), as this project writes it:
 * request and response layouts, operations, status codes and the VDISK_*
 * bits of the backend's `info` node. Numbers and layouts from Xen's
 * xen/include/public/io/blkif.h (the native x86-64 ABI, "x86_64-abi",
 * which a 64-bit PVH guest uses).
 *
 * A request is 112 bytes, a response 16; both share a ring slot of 112
 * bytes (io/ring.h), so one page holds 32 slots and a ring of 2^order
 * pages (order <= max-ring-page-order) 32 << order.
 */
#ifndef XEN_IO_BLKIF_H
#define XEN_IO_BLKIF_H

#include <stdint.h>
#include <stddef.h>

#include "ring.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

/* Operations. */
#define BLKIF_OP_READ			0
#define BLKIF_OP_WRITE			1
#define BLKIF_OP_WRITE_BARRIER		2	/* feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE	3	/* feature-flush-cache */
#define BLKIF_OP_RESERVED_1		4	/* was a blktap extension */
#define BLKIF_OP_DISCARD		5	/* feature-discard */
#define BLKIF_OP_INDIRECT		6	/* feature-max-indirect-segments */

/* Segments a direct request carries. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST	11

/* Sectors are 512 bytes in requests, whatever sector-size says. */
#define BLKIF_SECTOR_SHIFT		9
#define BLKIF_SECTORS_PER_PAGE		8

/* One page (or part of it, whole sectors first_sect..last_sect) of data. */
struct blkif_request_segment {
	uint32_t gref;		/* grant reference of the page */
	uint8_t first_sect;	/* first and last 512-byte sector used, 0..7 */
	uint8_t last_sect;
	uint16_t pad;
};

/* READ, WRITE, WRITE_BARRIER, FLUSH_DISKCACHE. */
struct blkif_request {
	uint8_t operation;
	uint8_t nr_segments;	/* 1..11; 0 for a flush without data */
	blkif_vdev_t handle;	/* ignored by backends that serve one device */
	uint32_t pad;
	uint64_t id;		/* echoed in the response */
	blkif_sector_t sector_number;	/* start, in 512-byte sectors */
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* DISCARD: the same slot read differently. */
#define BLKIF_DISCARD_SECURE		(1u << 0)	/* discard-secure */

struct blkif_request_discard {
	uint8_t operation;
	uint8_t flag;		/* BLKIF_DISCARD_SECURE */
	blkif_vdev_t handle;
	uint32_t pad;
	uint64_t id;
	blkif_sector_t sector_number;
	uint64_t nr_sectors;
	uint8_t pad2[80];
};

/*
 * INDIRECT (feature-max-indirect-segments): READ or WRITE whose segments
 * are not in the slot but in up to 8 granted pages of 512 segments each,
 * the pages named by indirect_grefs. The response carries indirect_op,
 * not BLKIF_OP_INDIRECT (Linux's blkfront has no case for the latter).
 */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST	8
#define BLKIF_SEGS_PER_INDIRECT_FRAME		512	/* 4096 / sizeof(segment) */

struct blkif_request_indirect {
	uint8_t operation;	/* BLKIF_OP_INDIRECT */
	uint8_t indirect_op;	/* BLKIF_OP_READ or BLKIF_OP_WRITE */
	uint16_t nr_segments;	/* 1..feature-max-indirect-segments */
	uint32_t pad;
	uint64_t id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	uint16_t pad2;
	uint32_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint32_t pad3;
	uint8_t pad4[48];
};

struct blkif_response {
	uint64_t id;		/* the request's */
	uint8_t operation;	/* the request's */
	uint8_t pad;
	int16_t status;		/* BLKIF_RSP_* */
	uint32_t pad2;
};

#define BLKIF_RSP_EOPNOTSUPP		(-2)
#define BLKIF_RSP_ERROR			(-1)
#define BLKIF_RSP_OKAY			0

#define BLKIF_SLOT_SIZE			112u

_Static_assert(sizeof(struct blkif_request) == BLKIF_SLOT_SIZE, "blkif request layout");
_Static_assert(sizeof(struct blkif_request_discard) == BLKIF_SLOT_SIZE, "blkif discard layout");
_Static_assert(offsetof(struct blkif_request, id) == 8, "blkif request id");
_Static_assert(offsetof(struct blkif_request, seg) == 24, "blkif request segments");
_Static_assert(offsetof(struct blkif_request_discard, nr_sectors) == 24, "blkif discard");
_Static_assert(sizeof(struct blkif_request_indirect) == BLKIF_SLOT_SIZE, "blkif indirect layout");
_Static_assert(offsetof(struct blkif_request_indirect, id) == 8, "blkif indirect id");
_Static_assert(offsetof(struct blkif_request_indirect, handle) == 24, "blkif indirect handle");
_Static_assert(offsetof(struct blkif_request_indirect, indirect_grefs) == 28, "blkif indirect grefs");
_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif segment layout");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif response layout");
_Static_assert(offsetof(struct blkif_response, status) == 10, "blkif response status");

/* The backend's `info` node. */
#define VDISK_CDROM			0x1
#define VDISK_REMOVABLE			0x2
#define VDISK_READONLY			0x4

/* max-ring-page-order xvmm offers: 16 pages, 512 slots. */
#define BLKIF_MAX_RING_PAGE_ORDER	4u

#endif /* XEN_IO_BLKIF_H */
