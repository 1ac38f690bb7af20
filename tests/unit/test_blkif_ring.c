// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/backend/blkif_ring.c: a blkif ring in memory, as a
 * frontend lays it out, a fake grant table (ref -> page, writable or not)
 * and a disk in memory. Reads and writes land where they should; every
 * malformed request gets the right error and leaves the disk alone; a
 * ring whose producer index jumps stops for good; events go out only
 * when the frontend asked; multi-page rings and index wrap at 2^32.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blkif_ring.h"

#define PAGE		4096u
#define DISK_SECTORS	256u			/* 128 KiB */
#define NR_GRANTS	32u

static unsigned char disk[DISK_SECTORS * 512];
static unsigned char pages[NR_GRANTS][PAGE];
static bool granted_ro[NR_GRANTS];
static unsigned int nr_flush, nr_discard, nr_write_ops;
static uint64_t last_discard_off, last_discard_len;
static int fail_read;

static unsigned char *ringmem;
static struct blk_ring *ring;

static int f_copy(void *ctx, const struct blk_seg *segs, unsigned int nr, void *buf, bool to_guest)
{
	unsigned char *p = buf;

	(void)ctx;
	for (unsigned int i = 0; i < nr; i++) {
		if (segs[i].gref >= NR_GRANTS || (to_guest && granted_ro[segs[i].gref]))
			return -EACCES;
		assert_true(segs[i].offset + segs[i].len <= PAGE);
		if (to_guest)
			memcpy(pages[segs[i].gref] + segs[i].offset, p, segs[i].len);
		else
			memcpy(p, pages[segs[i].gref] + segs[i].offset, segs[i].len);
		p += segs[i].len;
	}
	return 0;
}

static int f_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	if (fail_read)
		return -EIO;
	assert_true(off + len <= sizeof(disk));
	memcpy(buf, disk + off, len);
	return 0;
}

static int f_write(void *ctx, const void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	assert_true(off + len <= sizeof(disk));
	memcpy(disk + off, buf, len);
	nr_write_ops++;
	return 0;
}

static int f_flush(void *ctx)
{
	(void)ctx;
	nr_flush++;
	return 0;
}

static int f_discard(void *ctx, uint64_t off, uint64_t len)
{
	(void)ctx;
	assert_true(off + len <= sizeof(disk));
	memset(disk + off, 0, len);
	last_discard_off = off;
	last_discard_len = len;
	nr_discard++;
	return 0;
}

static const struct blk_io_ops fops = {
	.gnt_copy = f_copy, .read = f_read, .write = f_write, .flush = f_flush,
	.discard = f_discard,
};

static struct xen_sring_hdr *H(void)
{
	return (struct xen_sring_hdr *)ringmem;
}

/* A fresh ring of 2^order pages, as SHARED_RING_INIT leaves it, indices from start. */
static void new_ring(unsigned int order, bool ro, bool discard, RING_IDX start)
{
	free(ringmem);
	ringmem = calloc(1, (size_t)PAGE << order);
	assert_non_null(ringmem);
	H()->req_prod = H()->rsp_prod = start;
	H()->req_event = H()->rsp_event = start + 1;
	assert_int_equal(blk_ring_init(ring, ringmem, order, DISK_SECTORS, ro, discard, &fops,
				       NULL), 0);
	nr_flush = nr_discard = nr_write_ops = 0;
	fail_read = 0;
	memset(granted_ro, 0, sizeof(granted_ro));
}

static struct blkif_request *slot_req(RING_IDX i)
{
	return (struct blkif_request *)(ringmem + 64 + (i & (ring->size - 1)) * 112u);
}

static struct blkif_response *slot_rsp(RING_IDX i)
{
	return (struct blkif_response *)(ringmem + 64 + (i & (ring->size - 1)) * 112u);
}

/* Queue a request (frontend side); returns its index. */
static RING_IDX push(const struct blkif_request *r)
{
	RING_IDX i = H()->req_prod;

	memcpy(slot_req(i), r, sizeof(*r));
	H()->req_prod = i + 1;
	return i;
}

static struct blkif_request rw(uint8_t op, uint64_t id, uint64_t sector, unsigned int nseg,
			       uint32_t gref0, uint8_t first, uint8_t last)
{
	struct blkif_request r = { .operation = op, .nr_segments = (uint8_t)nseg, .id = id,
				   .sector_number = sector };

	for (unsigned int i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		r.seg[i] = (struct blkif_request_segment){ .gref = gref0 + i, .first_sect = first,
							    .last_sect = last };
	return r;
}

/* Serve one request and return its response's status (checking id and op). */
static int one(const struct blkif_request *r)
{
	RING_IDX i = push(r);

	blk_ring_process(ring);
	assert_int_equal(H()->rsp_prod, i + 1);
	assert_int_equal(slot_rsp(i)->id, r->id);
	assert_int_equal(slot_rsp(i)->operation, r->operation);
	return slot_rsp(i)->status;
}

/*
 * An INDIRECT request of nr segments (whole pages from gref 0 on) whose
 * descriptor page is grant desc_ref; served, its response checked (id, and
 * the operation is indirect_op, as blkfront wants). Returns the status.
 */
static int one_ind(uint8_t op, uint64_t id, uint64_t sector, unsigned int nr, uint32_t desc_ref)
{
	struct blkif_request_indirect ind = { .operation = BLKIF_OP_INDIRECT, .indirect_op = op,
					      .nr_segments = (uint16_t)nr, .id = id,
					      .sector_number = sector };
	struct blkif_request_segment *d =
		desc_ref < NR_GRANTS ? (struct blkif_request_segment *)pages[desc_ref] : NULL;
	RING_IDX i = H()->req_prod;

	for (unsigned int k = 0; d && k < nr && k < PAGE / sizeof(*d); k++)
		d[k] = (struct blkif_request_segment){ .gref = k, .first_sect = 0, .last_sect = 7 };
	ind.indirect_grefs[0] = desc_ref;
	memcpy(slot_req(i), &ind, sizeof(ind));
	H()->req_prod = i + 1;
	blk_ring_process(ring);
	assert_int_equal(H()->rsp_prod, i + 1);
	assert_int_equal(slot_rsp(i)->id, id);
	assert_int_equal(slot_rsp(i)->operation, op);
	return slot_rsp(i)->status;
}

static int setup(void **state)
{
	(void)state;
	ring = aligned_alloc(4096, sizeof(*ring));
	return ring ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ring);
	free(ringmem);
	ringmem = NULL;
	return 0;
}

static void test_sizes(void **state)
{
	(void)state;
	new_ring(0, false, true, 0);
	assert_int_equal(ring->size, 32);
	new_ring(2, false, true, 0);
	assert_int_equal(ring->size, 128);
	new_ring(4, false, true, 0);
	assert_int_equal(ring->size, 512);
	assert_int_equal(blk_ring_init(ring, ringmem, 5, DISK_SECTORS, false, true, &fops, NULL),
			 -EINVAL);
}

static void test_write_then_read(void **state)
{
	struct blkif_request r;

	(void)state;
	new_ring(0, false, true, 0);
	/* Two whole pages at sector 16, then half a page (sectors 2..5 of page 2) at 40. */
	for (unsigned int i = 0; i < PAGE; i++) {
		pages[0][i] = (unsigned char)i;
		pages[1][i] = (unsigned char)(i * 7 + 1);
		pages[2][i] = 0xA5;
	}
	r = rw(BLKIF_OP_WRITE, 77, 16, 2, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_memory_equal(disk + 16 * 512, pages[0], PAGE);
	assert_memory_equal(disk + 16 * 512 + PAGE, pages[1], PAGE);
	r = rw(BLKIF_OP_WRITE, 78, 40, 1, 2, 2, 5);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_memory_equal(disk + 40 * 512, pages[2] + 2 * 512, 4 * 512);
	assert_int_equal(disk[39 * 512], 0);
	assert_int_equal(disk[44 * 512], 0);

	/* Read them back into other pages, at other offsets within them. */
	memset(pages[5], 0, PAGE);
	memset(pages[6], 0, PAGE);
	r = rw(BLKIF_OP_READ, 79, 16, 2, 5, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_memory_equal(pages[5], pages[0], PAGE);
	assert_memory_equal(pages[6], pages[1], PAGE);
	memset(pages[7], 0x11, PAGE);
	r = rw(BLKIF_OP_READ, 80, 40, 1, 7, 4, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_memory_equal(pages[7] + 4 * 512, pages[2], 4 * 512);
	assert_int_equal(pages[7][0], 0x11);		/* outside the segment: untouched */
	assert_int_equal(ring->stats.reads, 2);
	assert_int_equal(ring->stats.writes, 2);
	assert_int_equal(ring->stats.bytes_written, 2 * PAGE + 4 * 512);

	/* The last sector of the disk is reachable, exactly. */
	r = rw(BLKIF_OP_WRITE, 81, DISK_SECTORS - 8, 1, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	r = rw(BLKIF_OP_READ, 82, DISK_SECTORS - 1, 1, 0, 7, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
}

static void test_bad_requests(void **state)
{
	unsigned char before[sizeof(disk)];
	struct blkif_request r;

	(void)state;
	new_ring(0, false, false, 0);
	memset(disk, 0x3C, sizeof(disk));
	memcpy(before, disk, sizeof(disk));
	memset(pages, 0x99, sizeof(pages));

	r = rw(9, 1, 0, 1, 0, 0, 7);			/* no such operation */
	assert_int_equal(one(&r), BLKIF_RSP_EOPNOTSUPP);
	assert_int_equal(one_ind(BLKIF_OP_READ, 2, 0, 12, 31), BLKIF_RSP_EOPNOTSUPP);	/* not offered */
	r = rw(BLKIF_OP_RESERVED_1, 3, 0, 1, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_EOPNOTSUPP);
	r = rw(BLKIF_OP_DISCARD, 4, 0, 0, 0, 0, 0);	/* discard not offered on this disk */
	assert_int_equal(one(&r), BLKIF_RSP_EOPNOTSUPP);
	r = rw(BLKIF_OP_WRITE, 5, 0, 0, 0, 0, 7);	/* no segments */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_READ, 6, 0, 0, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 7, 0, 11, 0, 0, 7);
	r.nr_segments = 12;				/* more than 11 */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r.nr_segments = 255;
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 8, 0, 1, 0, 5, 4);	/* first > last */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 9, 0, 1, 0, 0, 8);	/* last beyond the page */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 10, 0, 2, 0, 0, 7);
	r.seg[1].first_sect = 200;
	r.seg[1].last_sect = 255;
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 11, DISK_SECTORS - 7, 1, 0, 0, 7);	/* one sector past the end */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_READ, 12, DISK_SECTORS, 1, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_READ, 13, UINT64_MAX - 3, 1, 0, 0, 7);	/* wraps */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 14, 0, 1, NR_GRANTS + 5, 0, 7);	/* a ref never granted */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 15, 0, 2, 0, 0, 7);
	r.seg[1].gref = 0xFFFFFFFF;
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	granted_ro[3] = true;				/* a read into a read-only grant */
	r = rw(BLKIF_OP_READ, 16, 0, 1, 3, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	fail_read = 1;
	r = rw(BLKIF_OP_READ, 17, 0, 1, 0, 0, 7);	/* the disk fails */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);

	assert_memory_equal(disk, before, sizeof(disk));
	assert_int_equal(nr_write_ops, 0);
	assert_int_equal(ring->stats.unsupported, 4);
	assert_int_equal(ring->stats.errors, 14);
	assert_false(ring->broken);
}

static void test_indirect(void **state)
{
	struct blkif_request_segment *d = (struct blkif_request_segment *)pages[30];
	unsigned char before[sizeof(disk)];
	const unsigned int nr = 24;		/* more than a direct request carries */

	(void)state;
	new_ring(0, false, true, 0);
	ring->max_indirect = BLK_MAX_INDIRECT_SEGMENTS;
	memset(disk, 0, sizeof(disk));
	for (unsigned int g = 0; g < nr; g++)
		memset(pages[g], (int)(g + 1), PAGE);
	/* 24 whole pages written at sector 8 in one request, read back into cleared pages. */
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 100, 8, nr, 30), BLKIF_RSP_OKAY);
	for (unsigned int g = 0; g < nr; g++)
		assert_int_equal(disk[8 * 512 + g * PAGE + 17], g + 1);
	assert_int_equal(disk[8 * 512 - 1], 0);
	assert_int_equal(disk[8 * 512 + nr * PAGE], 0);
	memset(pages, 0, nr * PAGE);
	assert_int_equal(one_ind(BLKIF_OP_READ, 101, 8, nr, 30), BLKIF_RSP_OKAY);
	for (unsigned int g = 0; g < nr; g++)
		assert_int_equal(pages[g][PAGE - 1], g + 1);
	assert_int_equal(ring->stats.indirect, 2);
	assert_int_equal(ring->stats.bytes_written, nr * PAGE);
	assert_int_equal(ring->stats.bytes_read, nr * PAGE);

	/* Malformed: each refused, the disk untouched. */
	memcpy(before, disk, sizeof(disk));
	assert_int_equal(one_ind(BLKIF_OP_FLUSH_DISKCACHE, 102, 0, 4, 30), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_DISCARD, 103, 0, 4, 30), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 104, 0, 0, 30), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 105, 0, BLK_MAX_INDIRECT_SEGMENTS + 1, 30),
			 BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 106, 0, 0xFFFF, 30), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 107, 0, 4, NR_GRANTS + 1), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 108, DISK_SECTORS - 8, 2, 30), BLKIF_RSP_ERROR);
	/* A bad segment inside the descriptor page (one_ind writes the page first). */
	d[3].last_sect = 8;
	{
		struct blkif_request_indirect ind = { .operation = BLKIF_OP_INDIRECT,
						      .indirect_op = BLKIF_OP_WRITE,
						      .nr_segments = 4, .id = 109 };
		RING_IDX i = H()->req_prod;

		ind.indirect_grefs[0] = 30;
		memcpy(slot_req(i), &ind, sizeof(ind));
		H()->req_prod = i + 1;
		blk_ring_process(ring);
		assert_int_equal(slot_rsp(i)->status, BLKIF_RSP_ERROR);
		assert_int_equal(slot_rsp(i)->operation, BLKIF_OP_WRITE);
	}
	/* A descriptor naming a ref never granted. */
	for (unsigned int k = 0; k < 4; k++)
		d[k] = (struct blkif_request_segment){ .gref = k, .last_sect = 7 };
	d[2].gref = NR_GRANTS + 3;
	{
		struct blkif_request_indirect ind = { .operation = BLKIF_OP_INDIRECT,
						      .indirect_op = BLKIF_OP_WRITE,
						      .nr_segments = 4, .id = 110 };
		RING_IDX i = H()->req_prod;

		ind.indirect_grefs[0] = 30;
		memcpy(slot_req(i), &ind, sizeof(ind));
		H()->req_prod = i + 1;
		blk_ring_process(ring);
		assert_int_equal(slot_rsp(i)->status, BLKIF_RSP_ERROR);
	}
	assert_memory_equal(disk, before, sizeof(disk));
	assert_int_equal(ring->stats.indirect, 2);

	/* A read-only disk refuses indirect writes, serves indirect reads. */
	new_ring(0, true, false, 0);
	ring->max_indirect = BLK_MAX_INDIRECT_SEGMENTS;
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 111, 0, 12, 30), BLKIF_RSP_ERROR);
	assert_int_equal(one_ind(BLKIF_OP_READ, 112, 0, 12, 30), BLKIF_RSP_OKAY);
	assert_memory_equal(disk, before, sizeof(disk));
}

/* sector-size 4096: requests in 512-byte units, but only whole 4 KiB blocks. */
static void test_sector_4096(void **state)
{
	struct blkif_request r;
	struct blkif_request_discard d = { .operation = BLKIF_OP_DISCARD, .id = 9 };

	(void)state;
	new_ring(0, false, true, 0);
	ring->sector_size = 4096;
	ring->max_indirect = BLK_MAX_INDIRECT_SEGMENTS;
	r = rw(BLKIF_OP_WRITE, 1, 8, 1, 0, 0, 7);		/* block 1, whole */
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	r = rw(BLKIF_OP_READ, 2, 16, 2, 0, 0, 7);		/* blocks 2..3 */
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	r = rw(BLKIF_OP_WRITE, 3, 4, 1, 0, 0, 7);		/* starts mid-block */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_READ, 4, 8, 1, 0, 0, 3);		/* half a block */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_READ, 5, 8, 2, 0, 4, 7);		/* two halves: 4 KiB, aligned */
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 6, 8, 12, 30), BLKIF_RSP_OKAY);
	assert_int_equal(one_ind(BLKIF_OP_WRITE, 7, 9, 12, 30), BLKIF_RSP_ERROR);
	d.sector_number = 8;
	d.nr_sectors = 16;
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_OKAY);
	d.id = 10;
	d.nr_sectors = 12;
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_ERROR);
	/* An empty flush has no range to align. */
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 11, 3, 0, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
}

static void test_readonly(void **state)
{
	struct blkif_request r;

	(void)state;
	new_ring(0, true, true, 0);
	r = rw(BLKIF_OP_WRITE, 1, 0, 1, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 2, 0, 1, 0, 0, 7);	/* a flush carrying a write */
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_DISCARD, 3, 0, 0, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 4, 0, 0, 0, 0, 0);	/* nothing to flush: fine */
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	r = rw(BLKIF_OP_READ, 5, 0, 1, 0, 0, 7);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(nr_write_ops, 0);
	assert_int_equal(nr_discard, 0);
}

static void test_flush_and_discard(void **state)
{
	struct blkif_request r;
	struct blkif_request_discard d = { .operation = BLKIF_OP_DISCARD, .id = 9,
					   .sector_number = 8, .nr_sectors = 16 };

	(void)state;
	new_ring(0, false, true, 0);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 1, 0, 0, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(nr_flush, 1);
	memset(pages[4], 0x5A, PAGE);
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 2, 64, 1, 4, 0, 7);	/* data, then the flush */
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(nr_flush, 2);
	assert_memory_equal(disk + 64 * 512, pages[4], PAGE);
	r = rw(BLKIF_OP_WRITE_BARRIER, 3, 0, 0, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(nr_flush, 3);
	/* An empty flush's sector is not looked at (blkfront sends any). */
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 4, UINT64_MAX, 0, 0, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_OKAY);
	assert_int_equal(nr_flush, 4);
	/* With data it is. */
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 5, DISK_SECTORS, 1, 4, 0, 0);
	assert_int_equal(one(&r), BLKIF_RSP_ERROR);
	assert_int_equal(nr_flush, 4);

	memset(disk, 0x77, sizeof(disk));
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_OKAY);
	assert_int_equal(nr_discard, 1);
	assert_int_equal(last_discard_off, 8 * 512);
	assert_int_equal(last_discard_len, 16 * 512);
	assert_int_equal(disk[8 * 512], 0);
	assert_int_equal(disk[8 * 512 - 1], 0x77);
	assert_int_equal(disk[24 * 512], 0x77);
	d.id = 10;
	d.nr_sectors = DISK_SECTORS;			/* past the end */
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_ERROR);
	d.id = 11;
	d.sector_number = 1;
	d.nr_sectors = UINT64_MAX;
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_ERROR);
	d.id = 12;
	d.sector_number = 0;
	d.nr_sectors = 8;
	d.flag = BLKIF_DISCARD_SECURE;			/* not offered */
	assert_int_equal(one((struct blkif_request *)&d), BLKIF_RSP_ERROR);
	assert_int_equal(nr_discard, 1);
}

static void test_index_jump(void **state)
{
	struct blkif_request r = rw(BLKIF_OP_WRITE, 1, 0, 1, 0, 0, 7);

	(void)state;
	new_ring(0, false, true, 0);
	push(&r);
	H()->req_prod = 1 + 33;				/* 34 queued on a 32-slot ring */
	assert_false(blk_ring_process(ring));
	assert_true(ring->broken);
	assert_int_equal(H()->rsp_prod, 0);		/* nothing done */
	assert_int_equal(nr_write_ops, 0);
	H()->req_prod = 1;				/* too late: it stays stopped */
	assert_false(blk_ring_process(ring));
	assert_int_equal(H()->rsp_prod, 0);

	/* Behind the consumer counts as a jump too (unsigned distance). */
	new_ring(0, false, true, 100);
	H()->req_prod = 99;
	blk_ring_process(ring);
	assert_true(ring->broken);

	/* Exactly a ring's worth is fine. */
	new_ring(0, false, true, 0);
	for (unsigned int i = 0; i < 32; i++) {
		r.id = i;
		push(&r);
	}
	blk_ring_process(ring);
	assert_false(ring->broken);
	assert_int_equal(H()->rsp_prod, 32);
	assert_int_equal(nr_write_ops, 32);
}

static void test_notify_rules(void **state)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 1, 0, 1, 0, 0, 7);

	(void)state;
	new_ring(0, false, true, 0);
	push(&r);
	assert_true(blk_ring_process(ring));		/* rsp_event 1: wanted */
	assert_int_equal(H()->req_event, 2);		/* next request wakes us */
	/* The frontend does not ask (rsp_event behind what we publish next). */
	push(&r);
	assert_false(blk_ring_process(ring));
	assert_int_equal(H()->rsp_prod, 2);
	/* It asks for the third response: two requests, one event. */
	H()->rsp_event = 3;
	push(&r);
	push(&r);
	assert_true(blk_ring_process(ring));
	assert_int_equal(H()->rsp_prod, 4);
	/* Nothing queued: nothing published, no event. */
	assert_false(blk_ring_process(ring));
}

static void test_multipage_wrap(void **state)
{
	struct blkif_request r;
	RING_IDX start = 0xFFFFFF00u;

	(void)state;
	new_ring(4, false, true, start);
	assert_int_equal(ring->size, 512);
	for (unsigned int i = 0; i < 512; i++) {
		r = rw(BLKIF_OP_WRITE, 1000 + i, (i % 32) * 8, 1, i % NR_GRANTS, 0, 7);
		push(&r);
	}
	assert_true(blk_ring_process(ring));
	assert_int_equal(H()->rsp_prod, start + 512);	/* wrapped past 2^32 */
	for (unsigned int i = 0; i < 512; i++) {
		struct blkif_response *rsp = slot_rsp(start + i);

		assert_int_equal(rsp->id, 1000 + i);
		assert_int_equal(rsp->status, BLKIF_RSP_OKAY);
	}
	assert_int_equal(nr_write_ops, 512);
	assert_false(ring->broken);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_write_then_read),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_indirect),
		cmocka_unit_test(test_sector_4096),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_flush_and_discard),
		cmocka_unit_test(test_index_jump),
		cmocka_unit_test(test_notify_rules),
		cmocka_unit_test(test_multipage_wrap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
