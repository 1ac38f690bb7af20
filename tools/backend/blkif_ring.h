// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend's end of one blkif ring (Xen's io/blkif.h, io/ring.h):
 * take the frontend's requests, check each one, do it through the
 * caller's I/O operations, answer. Nothing here opens a file or talks to
 * the driver, so unit tests feed it crafted rings with fake operations.
 *
 * Every request is copied out of the shared page before it is looked at
 * (the frontend may change the page at any time), then checked:
 * operation, segment count, first/last sector of each segment, the range
 * against the disk's size, writes to a read-only disk. A bad request gets
 * BLKIF_RSP_ERROR (BLKIF_RSP_EOPNOTSUPP for an operation not offered);
 * a producer index that runs more than a ring ahead means the frontend is
 * broken: processing stops for good and `broken` is set, so the device
 * closes (as Linux's blkback does).
 *
 * Indirect requests (feature-max-indirect-segments) carry up to
 * max_indirect segments in granted pages: those pages are copied in
 * through gnt_copy too, so the frontend cannot change a segment between
 * its check and its use.
 */
#ifndef XVMM_BLKIF_RING_H
#define XVMM_BLKIF_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xen/io/blkif.h>

/* One piece of a request's data: a granted page's [offset, offset + len). */
struct blk_seg {
	uint32_t gref;
	uint16_t offset;
	uint16_t len;
};

/* The disk and the grants, as the caller does them. Each returns 0 or -errno. */
struct blk_io_ops {
	/* Copy nr segments between buf (packed, in order) and the granted pages. */
	int (*gnt_copy)(void *ctx, const struct blk_seg *segs, unsigned int nr, void *buf,
			bool to_guest);
	int (*read)(void *ctx, void *buf, size_t len, uint64_t off);
	int (*write)(void *ctx, const void *buf, size_t len, uint64_t off);
	int (*flush)(void *ctx);			/* data written so far is durable */
	int (*discard)(void *ctx, uint64_t off, uint64_t len);
};

/* Segments offered per indirect request: Linux's blkback offers as many. */
#define BLK_MAX_INDIRECT_SEGMENTS	256u

struct blk_ring_stats {
	uint64_t reads, writes, flushes, discards, errors, unsupported;
	uint64_t indirect;		/* reads and writes that came as INDIRECT */
	uint64_t bytes_read, bytes_written;
};

/*
 * One request taken off the ring and checked (blk_ring_take): what the
 * disk must do for it, or the answer when there is nothing to do. The
 * steps, in order: read the range into a buffer and copy it to the
 * segments; or copy the segments in and write them; then flush; or
 * discard the range.
 */
struct blk_io {
	uint64_t id;
	uint8_t op;			/* for the response: indirect_op for INDIRECT */
	int status;			/* BLKIF_RSP_OKAY: to be done; else the answer */
	bool read, write, flush, discard;
	bool indirect;
	uint64_t off, len;		/* bytes on the disk */
	unsigned int nr;		/* segments of a read or write */
	struct blk_seg segs[BLK_MAX_INDIRECT_SEGMENTS];
};

struct blk_ring {
	unsigned char *sring;		/* the shared pages */
	unsigned int size;		/* slots, a power of two */
	RING_IDX req_cons;		/* next request to take */
	RING_IDX rsp_prod_pvt;		/* responses written, not yet published */
	uint64_t sectors;		/* disk size in 512-byte sectors */
	bool readonly, discard;
	unsigned int max_indirect;	/* segments offered per INDIRECT; 0: not offered (init) */
	unsigned int sector_size;	/* the disk's logical block: 512 (init) or 4096 */
	bool broken;			/* the frontend broke the ring: stopped for good */
	const struct blk_io_ops *ops;
	void *ctx;
	struct blk_ring_stats stats;
	/* Scratch for one request at a time (from here on, not cleared by init). */
	struct blkif_request_segment desc[BLK_MAX_INDIRECT_SEGMENTS];	/* copied in */
	struct blk_io io;		/* blk_ring_process's request */
	/* Page-aligned, so that the disk may be read and written with O_DIRECT. */
	_Alignas(4096) unsigned char buf[BLK_MAX_INDIRECT_SEGMENTS * 4096];
};

/*
 * Set up over npages (1 << order, order <= BLKIF_MAX_RING_PAGE_ORDER)
 * mapped pages; the indices are taken from the page as the frontend
 * initialised it (all zero for a new ring). -EINVAL for a bad order.
 * Indirect requests are refused until max_indirect is set (at most
 * BLK_MAX_INDIRECT_SEGMENTS). sector_size (512 unless set) is the
 * disk's logical block: requests stay in 512-byte units (io/blkif.h,
 * "sector-size"), but with 4096 a read, write or discard must start and
 * end on a 4096-byte boundary, as the disk itself requires. A struct
 * blk_ring must be allocated 4096-aligned (aligned_alloc).
 */
int blk_ring_init(struct blk_ring *r, void *sring, unsigned int order, uint64_t sectors,
		  bool readonly, bool discard, const struct blk_io_ops *ops, void *ctx);

/*
 * Serve everything the frontend has queued, one request after another
 * through ops, until the ring is empty and req_event is set for the next
 * request. Returns true when the frontend must be sent an event (it
 * asked, through rsp_event).
 */
bool blk_ring_process(struct blk_ring *r);

/*
 * The same in pieces, for a caller that does the I/O itself, several
 * requests at a time (blk_uring.c). take: the next request, copied out
 * and checked (an indirect request's segment pages are copied in through
 * ops->gnt_copy here): 1; 0 when the ring is empty and req_event is set
 * (looked at once more after setting it); -EPROTO when the ring is broken
 * (indices more than a ring ahead: stopped for good). answer: its
 * response, in any order, counted in the statistics. push: publish the
 * answers; true when the frontend wants an event.
 */
int blk_ring_take(struct blk_ring *r, struct blk_io *io);
void blk_ring_answer(struct blk_ring *r, const struct blk_io *io, int status);
bool blk_ring_push(struct blk_ring *r);

/*
 * The check alone, of a direct request: BLKIF_RSP_OKAY if req (a private
 * copy) may be done, else the status to answer. *bytes gets the data
 * length of a read or write, *segs the pieces of data (at most 11).
 */
int blk_request_check(const struct blk_ring *r, const struct blkif_request *req,
		      struct blk_seg *segs, size_t *bytes);

/*
 * The same for nr segments copied out of an indirect request's pages
 * (op READ or WRITE, nr <= max_indirect, both checked by the caller).
 */
int blk_segments_check(const struct blk_ring *r, const struct blkif_request_segment *seg,
		       unsigned int nr, uint64_t sector, struct blk_seg *segs, size_t *bytes);

#endif /* XVMM_BLKIF_RING_H */
