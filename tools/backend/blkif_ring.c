// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend's end of a blkif ring (blkif_ring.h). The ring rules are
 * Xen's io/ring.h: the frontend publishes req_prod after its requests,
 * the backend publishes rsp_prod after its responses and sends an event
 * if the frontend's rsp_event lies in what it just published; before it
 * sleeps it sets req_event = req_cons + 1 and looks once more, so a
 * request queued meanwhile is not missed (RING_FINAL_CHECK_FOR_REQUESTS).
 * Requests are done one after another, in ring order, and answered when
 * done, so a flush answered means every write answered before it is
 * durable.
 */
#include <errno.h>
#include <string.h>

#include "blkif_ring.h"

#define PAGE_SIZE	4096u

static struct xen_sring_hdr *hdr(const struct blk_ring *r)
{
	return (struct xen_sring_hdr *)r->sring;
}

static unsigned char *slot(const struct blk_ring *r, RING_IDX i)
{
	return r->sring + XEN_SRING_HDR_SIZE + (size_t)(i & (r->size - 1)) * BLKIF_SLOT_SIZE;
}

int blk_ring_init(struct blk_ring *r, void *sring, unsigned int order, uint64_t sectors,
		  bool readonly, bool discard, const struct blk_io_ops *ops, void *ctx)
{
	if (order > BLKIF_MAX_RING_PAGE_ORDER)
		return -EINVAL;
	memset(r, 0, offsetof(struct blk_ring, buf));
	r->sring = sring;
	r->size = xen_ring_size((unsigned long)PAGE_SIZE << order, BLKIF_SLOT_SIZE);
	r->sectors = sectors;
	r->readonly = readonly;
	r->discard = discard;
	r->ops = ops;
	r->ctx = ctx;
	/* The frontend set the page up (SHARED_RING_INIT); the backend's private indices start from it. */
	r->req_cons = r->rsp_prod_pvt = __atomic_load_n(&hdr(r)->rsp_prod, __ATOMIC_ACQUIRE);
	return 0;
}

/* Segments of a read or write: each within its page, sectors first..last of 0..7. */
static int check_segments(const struct blk_ring *r, const struct blkif_request *req,
			  struct blk_seg *segs, size_t *bytes)
{
	uint64_t nsect = 0;

	if (req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	for (unsigned int i = 0; i < req->nr_segments; i++) {
		const struct blkif_request_segment *s = &req->seg[i];

		if (s->first_sect > s->last_sect || s->last_sect >= BLKIF_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		segs[i].gref = s->gref;
		segs[i].offset = (uint16_t)(s->first_sect << BLKIF_SECTOR_SHIFT);
		segs[i].len = (uint16_t)((s->last_sect - s->first_sect + 1u) << BLKIF_SECTOR_SHIFT);
		nsect += s->last_sect - s->first_sect + 1u;
	}
	/*
	 * The whole transfer inside the disk (no wrap: sector_number is 64
	 * bits). An empty flush carries whatever sector its block request had
	 * (Linux's blkfront sends blk_rq_pos): no range to check, as Linux's
	 * blkback does; failing it would make blkfront turn flushes off.
	 */
	if (nsect && (req->sector_number > r->sectors ||
		      nsect > r->sectors - req->sector_number))
		return BLKIF_RSP_ERROR;
	*bytes = (size_t)nsect << BLKIF_SECTOR_SHIFT;
	return BLKIF_RSP_OKAY;
}

int blk_request_check(const struct blk_ring *r, const struct blkif_request *req,
		      struct blk_seg *segs, size_t *bytes)
{
	const struct blkif_request_discard *dr = (const struct blkif_request_discard *)req;

	*bytes = 0;
	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (req->nr_segments == 0)
			return BLKIF_RSP_ERROR;
		if (req->operation == BLKIF_OP_WRITE && r->readonly)
			return BLKIF_RSP_ERROR;
		return check_segments(r, req, segs, bytes);
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		/* A flush may carry data to write first (Linux's blkback does so too). */
		if (req->nr_segments && r->readonly)
			return BLKIF_RSP_ERROR;
		return check_segments(r, req, segs, bytes);
	case BLKIF_OP_DISCARD:
		if (!r->discard)
			return BLKIF_RSP_EOPNOTSUPP;
		if (r->readonly || (dr->flag & BLKIF_DISCARD_SECURE))
			return BLKIF_RSP_ERROR;	/* discard-secure is not offered */
		if (dr->sector_number > r->sectors || dr->nr_sectors > r->sectors - dr->sector_number)
			return BLKIF_RSP_ERROR;
		return BLKIF_RSP_OKAY;
	default:
		/* INDIRECT is not offered (no feature-max-indirect-segments), nor the rest. */
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

static int do_request(struct blk_ring *r, const struct blkif_request *req)
{
	const struct blkif_request_discard *dr = (const struct blkif_request_discard *)req;
	struct blk_seg segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	uint64_t off = req->sector_number << BLKIF_SECTOR_SHIFT;
	size_t bytes;
	int st = blk_request_check(r, req, segs, &bytes);

	if (st != BLKIF_RSP_OKAY)
		return st;
	switch (req->operation) {
	case BLKIF_OP_READ:
		if (r->ops->read(r->ctx, r->buf, bytes, off) ||
		    r->ops->gnt_copy(r->ctx, segs, req->nr_segments, r->buf, true))
			return BLKIF_RSP_ERROR;
		r->stats.reads++;
		r->stats.bytes_read += bytes;
		return BLKIF_RSP_OKAY;
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (req->nr_segments) {
			if (r->ops->gnt_copy(r->ctx, segs, req->nr_segments, r->buf, false) ||
			    r->ops->write(r->ctx, r->buf, bytes, off))
				return BLKIF_RSP_ERROR;
			r->stats.writes++;
			r->stats.bytes_written += bytes;
		}
		if (req->operation != BLKIF_OP_WRITE) {
			if (r->ops->flush(r->ctx))
				return BLKIF_RSP_ERROR;
			r->stats.flushes++;
		}
		return BLKIF_RSP_OKAY;
	case BLKIF_OP_DISCARD:
		if (dr->nr_sectors &&
		    r->ops->discard(r->ctx, off, dr->nr_sectors << BLKIF_SECTOR_SHIFT))
			return BLKIF_RSP_ERROR;
		r->stats.discards++;
		return BLKIF_RSP_OKAY;
	}
	return BLKIF_RSP_EOPNOTSUPP;
}

static void respond(struct blk_ring *r, uint64_t id, uint8_t op, int st)
{
	struct blkif_response rsp = { .id = id, .operation = op, .status = (int16_t)st };

	if (st == BLKIF_RSP_ERROR)
		r->stats.errors++;
	else if (st == BLKIF_RSP_EOPNOTSUPP)
		r->stats.unsupported++;
	memcpy(slot(r, r->rsp_prod_pvt), &rsp, sizeof(rsp));
	r->rsp_prod_pvt++;
}

/* Publish the responses; does the frontend want an event? */
static bool push_responses(struct blk_ring *r)
{
	struct xen_sring_hdr *h = hdr(r);
	RING_IDX old = h->rsp_prod, new_ = r->rsp_prod_pvt;

	if (old == new_)
		return false;
	__atomic_store_n(&h->rsp_prod, new_, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* rsp_prod before reading rsp_event */
	return xen_ring_need_notify(old, new_, __atomic_load_n(&h->rsp_event, __ATOMIC_RELAXED));
}

bool blk_ring_process(struct blk_ring *r)
{
	struct xen_sring_hdr *h = hdr(r);
	bool notify = false;

	if (r->broken)
		return false;
	for (;;) {
		RING_IDX rp = __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE);

		/* More than a ring's worth queued: the indices were made up. */
		if ((RING_IDX)(rp - r->req_cons) > r->size) {
			r->broken = true;
			break;
		}
		while (r->req_cons != rp) {
			struct blkif_request req;

			/* Our copy: the frontend cannot change it under the checks. */
			memcpy(&req, slot(r, r->req_cons), sizeof(req));
			r->req_cons++;
			respond(r, req.id, req.operation, do_request(r, &req));
		}
		notify |= push_responses(r);
		/* Ask for an event at the next request, then look once more. */
		__atomic_store_n(&h->req_event, r->req_cons + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE) == r->req_cons)
			break;
	}
	return notify;
}
