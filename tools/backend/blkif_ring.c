// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend's end of a blkif ring (blkif_ring.h). The ring rules are
 * Xen's io/ring.h: the frontend publishes req_prod after its requests,
 * the backend publishes rsp_prod after its responses and sends an event
 * if the frontend's rsp_event lies in what it just published; before it
 * sleeps it sets req_event = req_cons + 1 and looks once more, so a
 * request queued meanwhile is not missed (RING_FINAL_CHECK_FOR_REQUESTS).
 * blk_ring_process does requests one after another, in ring order, and
 * answers each when done, so a flush answered means every write answered
 * before it is durable; blk_uring.c keeps that promise with several in
 * flight, over blk_ring_take and blk_ring_answer.
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

/* What a direct request asks for (blk_request_check passed or not). */
static void parse_direct(struct blk_ring *r, const struct blkif_request *req, struct blk_io *io)
{
	const struct blkif_request_discard *dr = (const struct blkif_request_discard *)req;
	size_t bytes;

	io->id = req->id;
	io->op = req->operation;
	io->status = blk_request_check(r, req, io->segs, &bytes);
	if (io->status != BLKIF_RSP_OKAY)
		return;
	io->off = req->sector_number << BLKIF_SECTOR_SHIFT;
	switch (req->operation) {
	case BLKIF_OP_READ:
		io->read = true;
		break;
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		io->flush = true;
		/* A flush may carry data to write first. */
		__attribute__((fallthrough));
	case BLKIF_OP_WRITE:
		io->write = req->nr_segments != 0;
		break;
	case BLKIF_OP_DISCARD:
		io->discard = true;
		io->len = dr->nr_sectors << BLKIF_SECTOR_SHIFT;
		return;
	}
	io->nr = req->nr_segments;
	io->len = bytes;
}

/*
 * INDIRECT (io/blkif.h): only READ and WRITE, as Linux's blkback takes
 * them. The segment pages are copied in whole (only the part that holds
 * nr_segments), then checked like a direct request's segments.
 */
static void parse_indirect(struct blk_ring *r, const struct blkif_request_indirect *ind,
			   struct blk_io *io)
{
	const unsigned int per_page = BLKIF_SEGS_PER_INDIRECT_FRAME;
	unsigned int nr = ind->nr_segments, npages = (nr + per_page - 1) / per_page;
	struct blk_seg pages[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	bool write = ind->indirect_op == BLKIF_OP_WRITE;
	size_t bytes;

	io->id = ind->id;
	io->op = ind->indirect_op;
	io->indirect = true;
	if (!r->max_indirect) {
		io->status = BLKIF_RSP_EOPNOTSUPP;
		return;
	}
	io->status = BLKIF_RSP_ERROR;
	if ((!write && ind->indirect_op != BLKIF_OP_READ) || nr == 0 || nr > r->max_indirect ||
	    nr > BLK_MAX_INDIRECT_SEGMENTS || (write && r->readonly))
		return;
	for (unsigned int i = 0; i < npages; i++) {
		unsigned int n = nr - i * per_page < per_page ? nr - i * per_page : per_page;

		pages[i] = (struct blk_seg){ .gref = ind->indirect_grefs[i], .offset = 0,
					     .len = (uint16_t)(n * sizeof(r->desc[0])) };
	}
	if (r->ops->gnt_copy(r->ctx, pages, npages, r->desc, false))
		return;
	io->status = blk_segments_check(r, r->desc, nr, ind->sector_number, io->segs, &bytes);
	if (io->status != BLKIF_RSP_OKAY)
		return;
	io->read = !write;
	io->write = write;
	io->nr = nr;
	io->off = ind->sector_number << BLKIF_SECTOR_SHIFT;
	io->len = bytes;
}

int blk_ring_take(struct blk_ring *r, struct blk_io *io)
{
	struct xen_sring_hdr *h = hdr(r);

	if (r->broken)
		return -EPROTO;
	for (;;) {
		RING_IDX rp = __atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE);

		/* More than a ring's worth queued: the indices were made up. */
		if ((RING_IDX)(rp - r->req_cons) > r->size) {
			r->broken = true;
			return -EPROTO;
		}
		if (r->req_cons != rp)
			break;
		/* Ask for an event at the next request, then look once more. */
		__atomic_store_n(&h->req_event, r->req_cons + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(&h->req_prod, __ATOMIC_ACQUIRE) == r->req_cons)
			return 0;
	}
	union {
		struct blkif_request rw;
		struct blkif_request_indirect ind;
	} req;

	/* Our copy: the frontend cannot change it under the checks. */
	memcpy(&req, slot(r, r->req_cons), sizeof(req));
	r->req_cons++;
	memset(io, 0, offsetof(struct blk_io, segs));
	if (req.rw.operation == BLKIF_OP_INDIRECT)
		parse_indirect(r, &req.ind, io);
	else
		parse_direct(r, &req.rw, io);
	return 1;
}

void blk_ring_answer(struct blk_ring *r, const struct blk_io *io, int st)
{
	struct blkif_response rsp = { .id = io->id, .operation = io->op, .status = (int16_t)st };

	if (st == BLKIF_RSP_ERROR) {
		r->stats.errors++;
	} else if (st == BLKIF_RSP_EOPNOTSUPP) {
		r->stats.unsupported++;
	} else if (st == BLKIF_RSP_OKAY) {
		r->stats.reads += io->read;
		r->stats.bytes_read += io->read ? io->len : 0;
		r->stats.writes += io->write;
		r->stats.bytes_written += io->write ? io->len : 0;
		r->stats.indirect += io->indirect;
		r->stats.flushes += io->flush;
		r->stats.discards += io->discard;
	}
	memcpy(slot(r, r->rsp_prod_pvt), &rsp, sizeof(rsp));
	r->rsp_prod_pvt++;
}

/* Publish the responses; does the frontend want an event? */
bool blk_ring_push(struct blk_ring *r)
{
	struct xen_sring_hdr *h = hdr(r);
	RING_IDX old = h->rsp_prod, new_ = r->rsp_prod_pvt;

	if (old == new_)
		return false;
	__atomic_store_n(&h->rsp_prod, new_, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* rsp_prod before reading rsp_event */
	return xen_ring_need_notify(old, new_, __atomic_load_n(&h->rsp_event, __ATOMIC_RELAXED));
}

/* A checked request, done through ops, one step after another. */
static int do_io(struct blk_ring *r, const struct blk_io *io)
{
	if (io->read && (r->ops->read(r->ctx, r->buf, io->len, io->off) ||
			 r->ops->gnt_copy(r->ctx, io->segs, io->nr, r->buf, true)))
		return BLKIF_RSP_ERROR;
	if (io->write && (r->ops->gnt_copy(r->ctx, io->segs, io->nr, r->buf, false) ||
			  r->ops->write(r->ctx, r->buf, io->len, io->off)))
		return BLKIF_RSP_ERROR;
	if (io->flush && r->ops->flush(r->ctx))
		return BLKIF_RSP_ERROR;
	if (io->discard && io->len && r->ops->discard(r->ctx, io->off, io->len))
		return BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
}

bool blk_ring_process(struct blk_ring *r)
{
	bool notify = false;
	int rc;

	/* Answers go out after every ring's worth, and when the ring is empty. */
	for (unsigned int n = 1; (rc = blk_ring_take(r, &r->io)) == 1; n++) {
		blk_ring_answer(r, &r->io, r->io.status == BLKIF_RSP_OKAY ? do_io(r, &r->io) :
							     r->io.status);
		if (n % r->size == 0)
			notify |= blk_ring_push(r);
	}
	return blk_ring_push(r) || notify;
}
