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
	memset(r, 0, offsetof(struct blk_ring, desc));
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

/* Start and length (512-byte units) on the disk's logical blocks (sector-size). */
static bool blk_aligned(const struct blk_ring *r, uint64_t sector, uint64_t nsect)
{
	uint64_t per = r->sector_size > 512 ? r->sector_size >> BLKIF_SECTOR_SHIFT : 1;

	return sector % per == 0 && nsect % per == 0;
}

/*
 * Segments of a read or write: each within its page, sectors first..last
 * of 0..7, and the whole transfer inside the disk (no wrap: sector is 64
 * bits).
 */
int blk_segments_check(const struct blk_ring *r, const struct blkif_request_segment *seg,
		       unsigned int nr, uint64_t sector, struct blk_seg *segs, size_t *bytes)
{
	uint64_t nsect = 0;

	for (unsigned int i = 0; i < nr; i++) {
		const struct blkif_request_segment *s = &seg[i];

		if (s->first_sect > s->last_sect || s->last_sect >= BLKIF_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		segs[i].gref = s->gref;
		segs[i].offset = (uint16_t)(s->first_sect << BLKIF_SECTOR_SHIFT);
		segs[i].len = (uint16_t)((s->last_sect - s->first_sect + 1u) << BLKIF_SECTOR_SHIFT);
		nsect += s->last_sect - s->first_sect + 1u;
	}
	/*
	 * An empty flush carries whatever sector its block request had
	 * (Linux's blkfront sends blk_rq_pos): no range to check, as Linux's
	 * blkback does; failing it would make blkfront turn flushes off.
	 */
	if (nsect && (sector > r->sectors || nsect > r->sectors - sector ||
		      !blk_aligned(r, sector, nsect)))
		return BLKIF_RSP_ERROR;
	*bytes = (size_t)nsect << BLKIF_SECTOR_SHIFT;
	return BLKIF_RSP_OKAY;
}

static int check_segments(const struct blk_ring *r, const struct blkif_request *req,
			  struct blk_seg *segs, size_t *bytes)
{
	if (req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	return blk_segments_check(r, req->seg, req->nr_segments, req->sector_number, segs, bytes);
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
		if (dr->sector_number > r->sectors || dr->nr_sectors > r->sectors - dr->sector_number ||
		    !blk_aligned(r, dr->sector_number, dr->nr_sectors))
			return BLKIF_RSP_ERROR;
		return BLKIF_RSP_OKAY;
	default:
		/* INDIRECT is checked apart (do_indirect); the rest is not offered. */
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

/* Data of a checked read or write of nr segments: disk <-> buffer <-> grants. */
static int do_rw(struct blk_ring *r, bool write, unsigned int nr, uint64_t off, size_t bytes)
{
	if (!write) {
		if (r->ops->read(r->ctx, r->buf, bytes, off) ||
		    r->ops->gnt_copy(r->ctx, r->segs, nr, r->buf, true))
			return BLKIF_RSP_ERROR;
		r->stats.reads++;
		r->stats.bytes_read += bytes;
		return BLKIF_RSP_OKAY;
	}
	if (r->ops->gnt_copy(r->ctx, r->segs, nr, r->buf, false) ||
	    r->ops->write(r->ctx, r->buf, bytes, off))
		return BLKIF_RSP_ERROR;
	r->stats.writes++;
	r->stats.bytes_written += bytes;
	return BLKIF_RSP_OKAY;
}

static int do_request(struct blk_ring *r, const struct blkif_request *req)
{
	const struct blkif_request_discard *dr = (const struct blkif_request_discard *)req;
	uint64_t off = req->sector_number << BLKIF_SECTOR_SHIFT;
	size_t bytes;
	int st = blk_request_check(r, req, r->segs, &bytes);

	if (st != BLKIF_RSP_OKAY)
		return st;
	switch (req->operation) {
	case BLKIF_OP_READ:
		return do_rw(r, false, req->nr_segments, off, bytes);
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (req->nr_segments) {
			st = do_rw(r, true, req->nr_segments, off, bytes);
			if (st != BLKIF_RSP_OKAY)
				return st;
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

/*
 * INDIRECT (io/blkif.h): only READ and WRITE, as Linux's blkback takes
 * them. The segment pages are copied in whole (only the part that holds
 * nr_segments), then checked like a direct request's segments.
 */
static int do_indirect(struct blk_ring *r, const struct blkif_request_indirect *ind)
{
	const unsigned int per_page = BLKIF_SEGS_PER_INDIRECT_FRAME;
	unsigned int nr = ind->nr_segments, npages = (nr + per_page - 1) / per_page;
	struct blk_seg pages[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint64_t off = ind->sector_number << BLKIF_SECTOR_SHIFT;
	bool write = ind->indirect_op == BLKIF_OP_WRITE;
	size_t bytes;
	int st;

	if (!r->max_indirect)
		return BLKIF_RSP_EOPNOTSUPP;
	if ((!write && ind->indirect_op != BLKIF_OP_READ) || nr == 0 || nr > r->max_indirect ||
	    nr > BLK_MAX_INDIRECT_SEGMENTS ||
	    (write && r->readonly))
		return BLKIF_RSP_ERROR;
	for (unsigned int i = 0; i < npages; i++) {
		unsigned int n = nr - i * per_page < per_page ? nr - i * per_page : per_page;

		pages[i] = (struct blk_seg){ .gref = ind->indirect_grefs[i], .offset = 0,
					     .len = (uint16_t)(n * sizeof(r->desc[0])) };
	}
	if (r->ops->gnt_copy(r->ctx, pages, npages, r->desc, false))
		return BLKIF_RSP_ERROR;
	st = blk_segments_check(r, r->desc, nr, ind->sector_number, r->segs, &bytes);
	if (st != BLKIF_RSP_OKAY)
		return st;
	st = do_rw(r, write, nr, off, bytes);
	if (st == BLKIF_RSP_OKAY)
		r->stats.indirect++;
	return st;
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
			union {
				struct blkif_request rw;
				struct blkif_request_indirect ind;
			} req;

			/* Our copy: the frontend cannot change it under the checks. */
			memcpy(&req, slot(r, r->req_cons), sizeof(req));
			r->req_cons++;
			if (req.rw.operation == BLKIF_OP_INDIRECT)
				respond(r, req.ind.id, req.ind.indirect_op, do_indirect(r, &req.ind));
			else
				respond(r, req.rw.id, req.rw.operation, do_request(r, &req.rw));
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
