// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvfuzz's disk frontend: the blkif protocol (Xen's io/blkif.h, io/ring.h,
 * docs/pv-devices.md "Requests") played badly on purpose.
 *
 * A round: back to InitWait; nodes good or malformed (no ring-ref, a
 * missing ring-refN, a reference never granted, an order past
 * max-ring-page-order or not a number, a 32-bit or unknown protocol, an
 * event channel that is not ours); the backend must connect on good nodes
 * and refuse (Closing) bad ones. Connected, batches of requests: good
 * reads and writes, and every kind of malformed one (0 or 12..255
 * segments, first_sect > last_sect, last_sect > 7, past the end or
 * wrapping, references never granted, writes to a read-only disk, unknown
 * operations, INDIRECT with random descriptors, flush and discard good and
 * bad, slots of random bytes). Checked: every response carries an id in
 * flight and the operation it was sent with, a status of OKAY, ERROR or
 * EOPNOTSUPP; good requests are answered OKAY, malformed ones never; a
 * read returns what this run last wrote there (a shadow of the disk,
 * sector by sector); a producer index that jumps more than a ring ahead
 * closes the device; the backend never goes quiet on a sound ring.
 * Sometimes the round stops consuming responses and leaves, or (exit=1)
 * the program ends with the ring connected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/blkif.h>
#include <xen/io/ring.h>

#include "pvfuzz.h"

#define DATA_PAGES	96
#define SHADOW_MAX	(64u << 11)		/* sectors: 64 MiB at most */
#define BLK_OP_INDIRECT	6
#define MAX_ORDER	8			/* what we offer to try; the backend says its own */
#define MAX_QUEUES	8

/* INDIRECT's layout (io/blkif.h blkif_request_indirect), ours to spell. */
struct fz_blk_indirect {
	uint8_t operation;
	uint8_t indirect_op;
	uint16_t nr_segments;
	uint32_t pad;
	uint64_t id;
	uint64_t sector_number;
	uint16_t handle;
	uint16_t pad2;
	uint32_t indirect_grefs[8];
	uint8_t pad3[52];	/* to the slot's size */
};
_Static_assert(sizeof(struct fz_blk_indirect) == BLKIF_SLOT_SIZE, "indirect request layout");

enum expect { EXP_OK, EXP_FAIL, EXP_ANY };

struct inflight {
	uint64_t id;
	uint8_t op, alt_op;	/* INDIRECT is answered with its indirect_op */
	uint8_t expect;
	bool read_check, write_update, clobber, answered;
	uint64_t sector;
	unsigned int nseg;
	uint16_t page[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	uint8_t first[BLKIF_MAX_SEGMENTS_PER_REQUEST], last[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	uint64_t disc_sector, disc_count;	/* an answered discard forgets these sectors */
};

struct shadow {
	unsigned int devid;
	uint64_t sectors;
	unsigned char *data;		/* what this run wrote, sector by sector */
	unsigned char *known;
};

static struct grants data;		/* pages the requests point at */
static struct grants spare;		/* indirect descriptor pages */
static struct shadow shadows[8];
static uint64_t next_id = 0x1000;

void vbd_init(void)
{
	if (gnt_alloc(&data, DATA_PAGES) || gnt_alloc(&spare, 8)) {
		fz_check(false, "vbd: granting %u data pages failed", DATA_PAGES);
		exit(1);
	}
}

static struct shadow *shadow_of(unsigned int devid, uint64_t sectors)
{
	for (unsigned int i = 0; i < 8; i++) {
		struct shadow *s = &shadows[i];

		if (s->data && s->devid == devid)
			return s;
		if (!s->data && sectors && sectors <= SHADOW_MAX) {
			s->devid = devid;
			s->sectors = sectors;
			s->data = calloc(sectors, 512);
			s->known = calloc(sectors, 1);
			if (!s->data || !s->known)
				abort();
			return s;
		}
	}
	return NULL;
}

/* ---- connecting ---- */

enum conn_mode { C_GOOD, C_NO_REF, C_REF_MISSING, C_REF_BOGUS, C_ORDER_BAD, C_PROTO_BAD,
		 C_PORT_BAD, C_REF_GARBAGE, C_QUEUES_BAD, C_MODES };
static const char *const mode_name[] = { "good", "no ring-ref", "a ring-refN missing",
	"a ref never granted", "bad ring-page-order", "bad protocol", "bad event channel",
	"ring-ref not a number", "bad queues" };

static void clear_front(const struct fz_dev *d)
{
	char path[160];
	static const char *const keys[] = { "ring-ref", "ring-page-order", "event-channel",
					     "protocol", "feature-persistent",
					     "multi-queue-num-queues" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d->front, keys[i]);
		xs_rm(path);
	}
	for (unsigned int i = 0; i < (1u << MAX_ORDER); i++) {
		snprintf(path, sizeof(path), "%s/ring-ref%u", d->front, i);
		if (xs_rm(path) && i >= 16)
			break;
	}
	for (unsigned int i = 0; i < MAX_QUEUES; i++) {
		snprintf(path, sizeof(path), "%s/queue-%u", d->front, i);
		xs_rm(path);
	}
}

/* One queue's ring-ref(s) and event-channel in dir; mode's damage if bad is set. */
static void write_queue(const char *dir, enum conn_mode mode, bool bad, unsigned int order,
			const struct grants *ring, int port)
{
	unsigned int n = 1u << order, skip = rnd_below(n);

	if (bad && (mode == C_NO_REF || mode == C_QUEUES_BAD)) {
		/* nothing: no ring-ref, or a queue directory left empty */
	} else if (mode != C_ORDER_BAD || !bad) {
		if (!order && chance(70) && !(bad && mode == C_REF_MISSING)) {
			if (bad && mode == C_REF_GARBAGE)
				xs_printf(dir, "ring-ref", "%s", chance(50) ? "0x10" : "ref");
			else
				xs_printf(dir, "ring-ref", "%u",
					  bad && mode == C_REF_BOGUS ? gnt_bogus_ref() : ring->refs[0]);
			/* blkfront writes ring-ref0 only with ring-page-order */
		} else {
			for (unsigned int i = 0; i < n; i++) {
				char key[24];

				snprintf(key, sizeof(key), "ring-ref%u", i);
				if (bad && mode == C_REF_MISSING && i == skip)
					continue;
				if (bad && mode == C_REF_GARBAGE && i == skip)
					xs_printf(dir, key, "%s", "4294967296");
				else
					xs_printf(dir, key, "%u", bad && mode == C_REF_BOGUS && i == skip ?
						  gnt_bogus_ref() : ring->refs[i]);
			}
		}
	}
	if (bad && mode == C_QUEUES_BAD)
		return;
	if (bad && mode == C_PORT_BAD) {
		if (chance(20))
			xs_printf(dir, "event-channel", "%s", "port");
		else if (!chance(20))		/* else: missing */
			xs_printf(dir, "event-channel", "%u", evt_bogus_port(port));
	} else {
		xs_printf(dir, "event-channel", "%d", port);
	}
}

static void write_nodes(const struct fz_dev *d, enum conn_mode mode, unsigned int order,
			unsigned int nq, unsigned int maxq, const struct grants *ring,
			const int *port)
{
	static const char *const bad_orders[] = { "abc", "-1", "", "99999999999999999999", "1x" };
	static const char *const bad_protos[] = { "x86_32-abi", "x86_64-abi ", "", "arm-abi",
						  "\x01\x02garbage" };
	unsigned int victim = rnd_below(nq);

	if (mode == C_ORDER_BAD) {
		if (chance(50))
			xs_printf(d->front, "ring-page-order", "%u", 5 + rnd_below(60));
		else
			xs_printf(d->front, "ring-page-order", "%s", bad_orders[rnd_below(5)]);
	} else if (mode != C_NO_REF && (order || chance(30))) {
		xs_printf(d->front, "ring-page-order", "%u", order);
	}
	if (mode == C_QUEUES_BAD && nq == 1) {
		/* A count the backend does not offer. */
		if (chance(30))
			xs_printf(d->front, "multi-queue-num-queues", "%s", chance(50) ? "two" : "");
		else
			xs_printf(d->front, "multi-queue-num-queues", "%u",
				  chance(40) ? 0 : maxq + 1 + rnd_below(1000));
	} else if (nq > 1 || chance(20)) {
		xs_printf(d->front, "multi-queue-num-queues", "%u", nq);
	}
	for (unsigned int i = 0; i < nq; i++) {
		char dir[128];

		if (nq > 1)
			snprintf(dir, sizeof(dir), "%s/queue-%u", d->front, i);
		else
			snprintf(dir, sizeof(dir), "%s", d->front);
		write_queue(dir, mode, mode != C_GOOD && (i == victim || mode == C_ORDER_BAD ||
							  (mode == C_QUEUES_BAD && nq == 1)),
			    order, &ring[i], port[i]);
	}
	if (mode == C_PROTO_BAD)
		xs_printf(d->front, "protocol", "%s", bad_protos[rnd_below(5)]);
	else if (chance(70))
		xs_printf(d->front, "protocol", "x86_64-abi");
	if (chance(40))		/* persistent grants: the backend maps our data pages once */
		xs_printf(d->front, "feature-persistent", "%u", rnd_below(2));
}

/* ---- requests ---- */

struct ring {
	unsigned char *sring;
	unsigned int size;
	RING_IDX req_prod, rsp_cons;
	uint64_t sectors;
	bool readonly, discard;
	struct shadow *sh;
	int port;
};

static struct xen_sring_hdr *hdr(struct ring *r)
{
	return (struct xen_sring_hdr *)r->sring;
}

static void *slot(struct ring *r, RING_IDX i)
{
	return r->sring + XEN_SRING_HDR_SIZE + (size_t)(i & (r->size - 1)) * BLKIF_SLOT_SIZE;
}

/*
 * Pages of this batch: each request takes fresh ones while they last (a
 * read can only be checked if no other request of its batch touched its
 * pages), then shares at random.
 */
static unsigned int page_use[DATA_PAGES], page_next;
static bool batch_any;			/* this batch may hold requests of random bytes */
/*
 * Sectors this batch writes or discards, by how many of its requests: the
 * backend may complete a batch's requests in any order (io_uring), so a
 * read is checked only where no request of its batch writes, and a write
 * is recorded only where it is the batch's only writer.
 */
static uint8_t touch[SHADOW_MAX];
static bool batch_wild;			/* a request of the batch may write anywhere */

static void batch_touch(uint64_t s, uint64_t n, uint64_t sectors)
{
	if (s >= sectors || s >= SHADOW_MAX)
		return;
	if (n > sectors - s)
		n = sectors - s;
	for (uint64_t i = s; i < s + n && i < SHADOW_MAX; i++)
		if (touch[i] < 255)
			touch[i]++;
}

static unsigned int take_page(void)
{
	return page_next < DATA_PAGES ? page_next++ : rnd_below(DATA_PAGES);
}

static uint32_t own_or_bogus(unsigned int pg, bool bogus)
{
	return bogus ? gnt_bogus_ref() : data.refs[pg];
}

/* Good segments for nsect sectors from a page of this batch's own. */
static void good_segments(struct blkif_request *q, struct inflight *f, unsigned int nseg)
{
	q->nr_segments = (uint8_t)nseg;
	f->nseg = nseg;
	for (unsigned int i = 0; i < nseg; i++) {
		unsigned int pg = take_page();
		uint8_t first = (uint8_t)rnd_below(8);
		uint8_t last = (uint8_t)(first + rnd_below(8u - first));

		/* Full pages in the middle: blkfront's shape, and the backend's too. */
		if (nseg > 1 && i > 0)
			first = 0;
		if (nseg > 1 && i + 1 < nseg)
			last = 7;
		q->seg[i] = (struct blkif_request_segment){ .gref = data.refs[pg], .first_sect = first,
							    .last_sect = last };
		f->page[i] = (uint16_t)pg;
		f->first[i] = first;
		f->last[i] = last;
		page_use[pg]++;
	}
}

static uint64_t seg_sectors(const struct inflight *f)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < f->nseg; i++)
		n += f->last[i] - f->first[i] + 1u;
	return n;
}

/* Build one request into the ring at r->req_prod; its record in f. */
static void make_request(struct ring *r, struct inflight *f)
{
	unsigned char raw[BLKIF_SLOT_SIZE];
	struct blkif_request *q = (struct blkif_request *)raw;
	struct blkif_request_discard *dq = (struct blkif_request_discard *)raw;
	unsigned int kind = rnd_below(batch_any ? 100 : 88);

	memset(raw, 0, sizeof(raw));
	memset(f, 0, sizeof(*f));
	f->id = next_id++ | (rnd() & 0xffff000000000000ull);
	q->id = f->id;
	q->handle = (uint16_t)rnd();
	if (kind < 50) {		/* good read or write */
		bool wr = kind >= 25;
		uint64_t n;

		good_segments(q, f, 1 + rnd_below(BLKIF_MAX_SEGMENTS_PER_REQUEST));
		n = seg_sectors(f);
		if (n > r->sectors) {	/* a tiny disk: one sector */
			good_segments(q, f, 0);
			q->nr_segments = 1;
			f->nseg = 1;
			q->seg[0] = (struct blkif_request_segment){ .gref = data.refs[0] };
			f->page[0] = 0;
			f->first[0] = f->last[0] = 0;
			n = 1;
			page_use[0]++;
		}
		q->operation = wr ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		q->sector_number = rnd_below((uint32_t)(r->sectors - n + 1));
		f->sector = q->sector_number;
		if (wr) {
			for (unsigned int i = 0; i < f->nseg; i++)
				rnd_fill(data.va + (size_t)f->page[i] * FZ_PAGE, FZ_PAGE);
			f->expect = r->readonly ? EXP_FAIL : EXP_OK;
			f->write_update = !r->readonly;
		} else {
			f->expect = EXP_OK;
			f->read_check = true;
		}
	} else if (kind < 55) {		/* flush, maybe with data */
		q->operation = chance(70) ? BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
		q->sector_number = rnd();
		f->expect = EXP_OK;
		if (chance(40)) {
			good_segments(q, f, 1 + rnd_below(3));
			q->sector_number = rnd_below((uint32_t)(r->sectors > 24 ? r->sectors - 24 : 1));
			f->sector = q->sector_number;
			if (f->sector + seg_sectors(f) > r->sectors)
				f->expect = EXP_FAIL;
			else if (r->readonly)
				f->expect = EXP_FAIL;
			else
				f->write_update = true;
			for (unsigned int i = 0; i < f->nseg; i++)
				rnd_fill(data.va + (size_t)f->page[i] * FZ_PAGE, FZ_PAGE);
		}
	} else if (kind < 62) {		/* discard */
		dq->operation = BLKIF_OP_DISCARD;
		if (chance(70)) {
			dq->sector_number = rnd_below((uint32_t)r->sectors);
			dq->nr_sectors = rnd_below((uint32_t)(r->sectors - dq->sector_number + 1));
			f->expect = r->discard ? EXP_OK : EXP_FAIL;
			if (chance(10)) {
				dq->flag = 1;	/* discard-secure: not offered */
				f->expect = EXP_FAIL;
			}
		} else {
			dq->sector_number = chance(50) ? r->sectors - rnd_below(4) : rnd();
			dq->nr_sectors = chance(50) ? ~0ull - rnd_below(8) : 16 + rnd_below(1u << 20);
			f->expect = dq->sector_number < r->sectors &&
				    dq->nr_sectors <= r->sectors - dq->sector_number && r->discard &&
				    !r->readonly ? EXP_OK : EXP_FAIL;
		}
		if (r->readonly)
			f->expect = EXP_FAIL;
		f->disc_sector = dq->sector_number;
		f->disc_count = dq->nr_sectors;
		f->clobber = true;	/* an answered discard leaves zeroes (or anything) */
	} else if (kind < 88) {		/* a malformed read or write */
		bool wr = chance(50);
		unsigned int how = rnd_below(7);

		q->operation = wr ? BLKIF_OP_WRITE : BLKIF_OP_READ;
		good_segments(q, f, 1 + rnd_below(BLKIF_MAX_SEGMENTS_PER_REQUEST));
		q->sector_number = 0;
		f->expect = EXP_FAIL;
		switch (how) {
		case 0:
			q->nr_segments = 0;
			break;
		case 1:
			q->nr_segments = (uint8_t)(12 + rnd_below(244));
			for (unsigned int i = f->nseg; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
				q->seg[i].gref = data.refs[rnd_below(DATA_PAGES)];
			break;
		case 2: {
			unsigned int i = rnd_below(f->nseg);

			q->seg[i].first_sect = (uint8_t)(1 + rnd_below(7));
			q->seg[i].last_sect = (uint8_t)rnd_below(q->seg[i].first_sect);
			break;
		}
		case 3:
			q->seg[rnd_below(f->nseg)].last_sect = (uint8_t)(8 + rnd_below(248));
			break;
		case 4:
			q->sector_number = r->sectors - rnd_below((uint32_t)seg_sectors(f));
			break;
		case 5:
			q->sector_number = ~0ull - rnd_below(64);	/* would wrap */
			break;
		default:
			q->seg[rnd_below(f->nseg)].gref = own_or_bogus(0, true);
			q->sector_number = rnd_below((uint32_t)(r->sectors > 100 ? r->sectors - 100 : 1));
			break;
		}
		if (r->readonly && wr)
			f->expect = EXP_FAIL;
		f->clobber = false;
	} else if (kind < 93) {		/* an unknown operation, or INDIRECT */
		if (chance(50)) {
			struct fz_blk_indirect *iq = (struct fz_blk_indirect *)raw;
			unsigned int npg = 1 + rnd_below(8);

			iq->operation = BLK_OP_INDIRECT;
			iq->indirect_op = (uint8_t)(chance(80) ? rnd_below(2) : rnd());
			iq->nr_segments = (uint16_t)(chance(50) ? rnd_below(64) : rnd());
			iq->sector_number = chance(50) ? rnd_below((uint32_t)r->sectors) : rnd();
			for (unsigned int i = 0; i < npg; i++)
				iq->indirect_grefs[i] = chance(80) ? spare.refs[i] : gnt_bogus_ref();
			/* Descriptors: random, or segments that point at our pages. */
			rnd_fill(spare.va, 8 * FZ_PAGE);
			if (chance(50))
				for (unsigned int i = 0; i < 512; i++) {
					struct blkif_request_segment *s =
						(struct blkif_request_segment *)spare.va + i;

					s->gref = data.refs[rnd_below(DATA_PAGES)];
					s->first_sect = (uint8_t)rnd_below(8);
					s->last_sect = (uint8_t)(s->first_sect + rnd_below(8u - s->first_sect));
				}
			f->expect = EXP_ANY;
			f->clobber = true;	/* it may have written our disk */
		} else {
			q->operation = (uint8_t)(chance(30) ? 4 : 7 + rnd_below(249));
			good_segments(q, f, 1 + rnd_below(4));
			f->expect = EXP_FAIL;
		}
	} else {			/* random bytes, the id kept */
		rnd_fill(raw, sizeof(raw));
		memcpy(raw + 8, &f->id, 8);
		if (chance(50))
			q->operation = (uint8_t)rnd_below(8);
		f->expect = EXP_ANY;
		f->clobber = true;
	}
	if (f->write_update)
		batch_touch(f->sector, seg_sectors(f), r->sectors);
	else if (q->operation == BLKIF_OP_DISCARD)
		batch_touch(f->disc_sector, f->disc_count, r->sectors);
	if (f->expect == EXP_ANY)
		batch_wild = true;
	f->op = f->alt_op = q->operation;
	if (f->op == BLK_OP_INDIRECT)
		f->alt_op = raw[1];
	/* It may read into any of our pages: none of this batch's reads can be checked. */
	if (f->expect == EXP_ANY)
		for (unsigned int i = 0; i < DATA_PAGES; i++)
			page_use[i] += 2;
	memcpy(slot(r, r->req_prod), raw, sizeof(raw));
	r->req_prod++;
}

/* Forget sectors [s, s + n) of the shadow (clipped). */
static void shadow_forget(struct shadow *sh, uint64_t s, uint64_t n)
{
	if (!sh || s >= sh->sectors)
		return;
	if (n > sh->sectors - s)
		n = sh->sectors - s;
	memset(sh->known + s, 0, n);
}

/* The data of a request's segments, in order, against/into the shadow. */
static void shadow_apply(struct ring *r, const struct inflight *f, bool is_read)
{
	struct shadow *sh = r->sh;
	uint64_t sec = f->sector;
	bool whole = true;

	if (!sh)
		return;
	for (unsigned int i = 0; i < f->nseg; i++)
		whole &= page_use[f->page[i]] == 1;	/* no other request of the batch used it */
	for (unsigned int i = 0; i < f->nseg; i++) {
		for (unsigned int s = f->first[i]; s <= f->last[i]; s++, sec++) {
			unsigned char *pg = data.va + (size_t)f->page[i] * FZ_PAGE + s * 512u;

			if (sec >= sh->sectors)
				return;
			if (is_read) {
				if (!whole || !sh->known[sec] || touch[sec] || batch_wild)
					continue;
				fz.data_checked++;
				if (!fz_check(!memcmp(pg, sh->data + sec * 512, 512),
					      "vbd %u: read id %#llx: sector %llu differs from what was "
					      "written there", r->sh->devid, (unsigned long long)f->id,
					      (unsigned long long)sec))
					return;
			} else if (whole && touch[sec] == 1) {
				memcpy(sh->data + sec * 512, pg, 512);
				sh->known[sec] = 1;
			} else {
				sh->known[sec] = 0;
			}
		}
	}
}

static const char *expect_name(int e)
{
	return e == EXP_OK ? "OKAY" : e == EXP_FAIL ? "an error" : "anything";
}

/* Take the responses published so far, checking each. */
static void take_responses(struct ring *r, struct inflight *fl, unsigned int nfl, unsigned int *done)
{
	RING_IDX prod = __atomic_load_n(&hdr(r)->rsp_prod, __ATOMIC_ACQUIRE);

	fz_check((RING_IDX)(prod - r->rsp_cons) <= (RING_IDX)(r->req_prod - r->rsp_cons),
		 "vbd: rsp_prod %u runs past req_prod %u (rsp_cons %u)", prod, r->req_prod,
		 r->rsp_cons);
	while (r->rsp_cons != prod && *done < nfl) {
		struct blkif_response rsp;
		struct inflight *f = NULL;

		memcpy(&rsp, slot(r, r->rsp_cons), sizeof(rsp));
		r->rsp_cons++;
		fz.responses++;
		/* Any order: the backend may complete them as its I/O does. */
		for (unsigned int i = 0; i < nfl; i++)
			if (fl[i].id == rsp.id && !fl[i].answered) {
				f = &fl[i];
				break;
			}
		(*done)++;
		if (!fz_check(f != NULL, "vbd: response with id %#llx, which is not in flight",
			      (unsigned long long)rsp.id))
			continue;
		fz_check(rsp.operation == f->op || rsp.operation == f->alt_op,
			 "vbd: id %#llx sent as op %u, answered as op %u", (unsigned long long)rsp.id,
			 f->op, rsp.operation);
		fz_check(rsp.status == BLKIF_RSP_OKAY || rsp.status == BLKIF_RSP_ERROR ||
			 rsp.status == BLKIF_RSP_EOPNOTSUPP,
			 "vbd: id %#llx: status %d is no BLKIF_RSP_*", (unsigned long long)rsp.id,
			 rsp.status);
		if (f->expect != EXP_ANY)
			fz_check((rsp.status == BLKIF_RSP_OKAY) == (f->expect == EXP_OK),
				 "vbd: id %#llx op %u: status %d, expected %s", (unsigned long long)rsp.id,
				 f->op, rsp.status, expect_name(f->expect));
		if (rsp.status == BLKIF_RSP_OKAY) {
			if (f->read_check)
				shadow_apply(r, f, true);
			if (f->write_update)
				shadow_apply(r, f, false);
			if (f->op == BLKIF_OP_DISCARD)
				shadow_forget(r->sh, f->disc_sector, f->disc_count);
			else if (f->clobber && r->sh)
				memset(r->sh->known, 0, r->sh->sectors);
		}
		f->answered = true;
	}
	__atomic_store_n(&hdr(r)->rsp_event, r->rsp_cons + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Batches of requests until the round ends, the ring breaks or the time is up. */
static void traffic(const struct fz_dev *d, struct ring *r)
{
	static struct inflight fl[512];
	unsigned int batches = 1 + rnd_below(40);

	for (unsigned int b = 0; b < batches; b++) {
		unsigned int nfl, done = 0, room = r->size - (r->req_prod - r->rsp_cons);
		RING_IDX old = r->req_prod;
		uint64_t end;

		if (out_of_time() && exit_midway()) {
			/* Die with requests in flight and the ring connected. */
			for (unsigned int i = 0; i < room && i < 8; i++)
				make_request(r, &fl[0]);
			__atomic_store_n(&hdr(r)->req_prod, r->req_prod, __ATOMIC_RELEASE);
			evt_notify(r->port);
			fz_say("exit with %s connected and requests in flight", d->front);
			exit(fz.failures ? 1 : 0);
		}
		if (out_of_time())
			return;
		if (chance(3)) {		/* the producer index jumps more than a ring ahead */
			RING_IDX jump = r->size + 1 + rnd_below(chance(50) ? 1000 : 0x7fffffff);

			fz.jumps++;
			__atomic_store_n(&hdr(r)->req_prod, r->req_prod + jump, __ATOMIC_RELEASE);
			evt_notify(r->port);
			fz_check(fz_wait_be(d, XBS(XB_CLOSING), 5000) >= 0,
				 "%s: req_prod %u ahead of req_cons, the backend did not close in 5 s "
				 "(state %d)", d->back, jump, fz_be_state(d));
			return;
		}
		memset(page_use, 0, sizeof(page_use));
		page_next = 0;
		memset(touch, 0, r->sectors < SHADOW_MAX ? r->sectors : SHADOW_MAX);
		batch_wild = false;
		batch_any = chance(40);
		nfl = 1 + rnd_below(room < 32 ? room : 32);
		for (unsigned int i = 0; i < nfl; i++)
			make_request(r, &fl[i]);
		fz.requests += nfl;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&hdr(r)->req_prod, r->req_prod, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/* The ring's rule, or a notify regardless, or none (a later one covers it). */
		if (chance(90) || xen_ring_need_notify(old, r->req_prod, hdr(r)->req_event))
			evt_notify(r->port);
		if (chance(3)) {		/* stop answering: leave the responses where they lie */
			fz.stalls++;
			if (r->sh)		/* its writes land unseen */
				memset(r->sh->known, 0, r->sh->sectors);
			return;
		}
		end = now_ms() + 10000;
		while (done < nfl) {
			take_responses(r, fl, nfl, &done);
			if (done >= nfl)
				break;
			if (now_ms() > end) {
				int s = fz_be_state(d);

				fz_check(false, "%s: %u of %u requests unanswered after 10 s (backend "
					 "state %d): hung?", d->back, nfl - done, nfl, s);
				if (r->sh)
					memset(r->sh->known, 0, r->sh->sectors);
				return;
			}
			if (!evt_wait(500))
				evt_notify(r->port);	/* a lost kick costs nothing */
		}
		if (!fz_check(fz_be_state(d) == XB_CONNECTED, "%s: backend left Connected (state %d) "
			      "on a sound ring", d->back, fz_be_state(d)))
			return;
	}
}

void vbd_round(const struct fz_dev *d)
{
	struct grants ring[MAX_QUEUES];
	int port[MAX_QUEUES];
	struct ring r = { 0 };
	enum conn_mode mode = chance(70) || (out_of_time() && exit_midway()) || holding() ? C_GOOD :
			      (enum conn_mode)(1 + rnd_below(C_MODES - 1));
	unsigned int maxorder, order, maxq, nq = 1, q;
	int st;
	char info[32];
	RING_IDX start;

	if (!fz_reset(d))
		return;
	clear_front(d);
	maxorder = (unsigned int)xs_read_num(d->back, "max-ring-page-order", 0);
	if (maxorder > 4)
		maxorder = 4;
	order = rnd_below(maxorder + 1);
	maxq = (unsigned int)xs_read_num(d->back, "multi-queue-max-queues", 1);
	if (maxq > MAX_QUEUES)
		maxq = MAX_QUEUES;
	if (maxq > 1 && chance(30))
		nq = 2 + rnd_below(maxq - 1);
	r.sectors = (uint64_t)xs_read_num(d->back, "sectors", 0);
	r.readonly = xs_read_key(d->back, "info", info, sizeof(info)) > 0 && (atoi(info) & VDISK_READONLY);
	r.discard = xs_read_num(d->back, "feature-discard", 0) == 1;
	if (!fz_check(r.sectors > 0, "%s: no sectors node", d->back))
		return;
	r.sh = shadow_of(d->devid, r.sectors);
	/* SHARED_RING_INIT, at a start index near the 2^32 wrap now and then. */
	start = chance(30) ? 0xffffffffu - rnd_below(600) : 0;
	for (q = 0; q < nq; q++) {
		struct xen_sring_hdr h = { .req_prod = start, .rsp_prod = start,
					   .req_event = start + 1, .rsp_event = start + 1 };

		port[q] = -1;
		if (gnt_alloc(&ring[q], 1u << order)) {
			fz_check(false, "vbd: granting a %u-page ring failed", 1u << order);
			break;
		}
		port[q] = evt_unbound();
		if (!fz_check(port[q] > 0, "vbd: an unbound event channel to dom0: %d", port[q])) {
			gnt_free(&ring[q]);
			break;
		}
		memcpy(ring[q].va, &h, sizeof(h));
	}
	if (q < nq) {
		while (q--) {
			gnt_free(&ring[q]);
			evt_unbind(port[q]);
		}
		return;
	}
	/* Traffic on one of the queues; the others stay idle. */
	q = rnd_below(nq);
	r.sring = ring[q].va;
	r.size = xen_ring_size((unsigned long)FZ_PAGE << order, BLKIF_SLOT_SIZE);
	r.req_prod = r.rsp_cons = start;
	r.port = port[q];
	write_nodes(d, mode, order, nq, maxq, ring, port);
	fz_log("%s: connect, %s, order %u, %u queue(s)", d->front, mode_name[mode], order, nq);
	fz_fe_state(d, chance(80) ? XB_INITIALISED : XB_CONNECTED);
	st = fz_wait_be(d, XBS(XB_CONNECTED) | XBS(XB_CLOSING) | XBS(XB_CLOSED), 10000);
	if (mode == C_GOOD) {
		fz_check(st == XB_CONNECTED, "%s: good nodes (order %u, %u queues), backend state %d, "
			 "not Connected", d->back, order, nq, st);
	} else {
		char err[160] = "";

		fz.refused++;
		xs_read_key(d->back, "error", err, sizeof(err));
		fz_check(st == XB_CLOSING, "%s: %s (%u queues), backend state %d, not Closing",
			 d->back, mode_name[mode], nq, st);
		fz_log("%s refused: %s", d->back, err);
	}
	if (st == XB_CONNECTED) {
		fz.connects++;
		if (holding()) {	/* requests queued, their answers never taken */
			struct inflight f;

			for (unsigned int i = 0; i < 8; i++)
				make_request(&r, &f);
			__atomic_store_n(&hdr(&r)->req_prod, r.req_prod, __ATOMIC_RELEASE);
			evt_notify(r.port);
			return;
		}
		traffic(d, &r);
	}
	fz_disconnect(d);
	for (q = 0; q < nq; q++) {
		gnt_free(&ring[q]);
		evt_unbind(port[q]);
	}
}
