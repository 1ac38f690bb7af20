// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/backend/blk_uring.c: a blkif ring in memory as a
 * frontend fills it, a fake grant table, and a real temporary file as the
 * disk, served through io_uring. Every request gets exactly one answer
 * with its id, the data land where they should and read back, a flush is
 * answered after the writes before it, malformed requests are answered
 * without I/O, and drain leaves nothing in flight. On a kernel without
 * io_uring the tests say so and skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "blk_uring.h"

#define PAGE		4096u
#define NR_GRANTS	64u
#define DISK_BYTES	(1u << 20)

static unsigned char pages[NR_GRANTS][PAGE];
static unsigned char ringmem[4 * PAGE];
static struct blk_ring *ring;
static struct blk_uring *u;
static int disk_fd = -1;
static unsigned int nr_flush_calls;

static int f_copy(void *ctx, const struct blk_seg *segs, unsigned int nr, void *buf, bool to_guest)
{
	unsigned char *p = buf;

	(void)ctx;
	for (unsigned int i = 0; i < nr; i++) {
		if (segs[i].gref >= NR_GRANTS)
			return -EACCES;
		if (to_guest)
			memcpy(pages[segs[i].gref] + segs[i].offset, p, segs[i].len);
		else
			memcpy(p, pages[segs[i].gref] + segs[i].offset, segs[i].len);
		p += segs[i].len;
	}
	return 0;
}

static int f_unused(void *ctx)
{
	(void)ctx;
	nr_flush_calls++;	/* io_uring does the flushes: never called */
	return 0;
}

static int f_discard(void *ctx, uint64_t off, uint64_t len)
{
	(void)ctx;
	return fallocate(disk_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
			 (off_t)len) ? -errno : 0;
}

static const struct blk_io_ops fops = { .gnt_copy = f_copy, .flush = f_unused,
					.discard = f_discard };

static struct xen_sring_hdr *H(void)
{
	return (struct xen_sring_hdr *)ringmem;
}

static void push(const struct blkif_request *r)
{
	RING_IDX i = H()->req_prod;

	memcpy(ringmem + 64 + (i & (ring->size - 1)) * 112u, r, sizeof(*r));
	H()->req_prod = i + 1;
}

static struct blkif_response *rsp(RING_IDX i)
{
	return (struct blkif_response *)(ringmem + 64 + (i & (ring->size - 1)) * 112u);
}

static struct blkif_request rw(uint8_t op, uint64_t id, uint64_t sector, unsigned int nseg,
			       uint32_t gref0)
{
	struct blkif_request r = { .operation = op, .nr_segments = (uint8_t)nseg, .id = id,
				   .sector_number = sector };

	for (unsigned int i = 0; i < nseg; i++)
		r.seg[i] = (struct blkif_request_segment){ .gref = gref0 + i, .last_sect = 7 };
	return r;
}

/* Serve until n answers are published (waiting on completions), then check none more come. */
static void serve_until(RING_IDX n)
{
	for (int i = 0; i < 1000 && H()->rsp_prod != n; i++) {
		struct pollfd pf = { .fd = blk_uring_fd(u), .events = POLLIN };

		blk_uring_serve(u, ring);
		if (H()->rsp_prod != n)
			poll(&pf, 1, 10);
	}
	assert_int_equal(H()->rsp_prod, n);
}

/* The answer for id among responses [from, to): its status. */
static int status_of(uint64_t id, RING_IDX from, RING_IDX to)
{
	int found = 0, st = 99;

	for (RING_IDX i = from; i != to; i++)
		if (rsp(i)->id == id) {
			found++;
			st = rsp(i)->status;
		}
	assert_int_equal(found, 1);
	return st;
}

static int setup(void **state)
{
	char path[] = "/tmp/xvmm-blk-uring-XXXXXX";
	struct blk_uring_disk d = { .direct_fd = -1, .block = 512 };
	int err = 0;

	(void)state;
	disk_fd = mkstemp(path);
	if (disk_fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(disk_fd, DISK_BYTES))
		return -1;
	d.fd = disk_fd;
	ring = aligned_alloc(4096, sizeof(*ring));
	u = blk_uring_new(&d, &err);
	if (!u)
		fprintf(stderr, "test_blk_uring: no io_uring on this kernel (%s): the tests skip\n",
			strerror(-err));
	return ring ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	blk_uring_free(u);
	free(ring);
	close(disk_fd);
	return 0;
}

static void new_ring_order(unsigned int order)
{
	memset(ringmem, 0, sizeof(ringmem));
	H()->req_event = H()->rsp_event = 1;
	assert_int_equal(blk_ring_init(ring, ringmem, order, DISK_BYTES / 512, false, true, &fops,
				       NULL), 0);
	ring->max_indirect = BLK_MAX_INDIRECT_SEGMENTS;
}

static void new_ring(void)
{
	new_ring_order(0);
}

static void test_many_in_flight(void **state)
{
	struct blkif_request r;

	(void)state;
	if (!u)
		skip();
	new_ring();
	/* 24 writes of 2 pages each, queued at once, then a flush. */
	for (unsigned int k = 0; k < 24; k++) {
		memset(pages[2 * k], (int)(k + 1), PAGE);
		memset(pages[2 * k + 1], (int)(k + 101), PAGE);
		r = rw(BLKIF_OP_WRITE, 1000 + k, (uint64_t)k * 16, 2, 2 * k);
		push(&r);
	}
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 2000, 0, 0, 0);
	push(&r);
	serve_until(25);
	for (unsigned int k = 0; k < 24; k++)
		assert_int_equal(status_of(1000 + k, 0, 25), BLKIF_RSP_OKAY);
	/* The flush drains: it is the last answer, after all 24 writes. */
	assert_int_equal(rsp(24)->id, 2000);
	assert_int_equal(rsp(24)->status, BLKIF_RSP_OKAY);
	assert_int_equal(nr_flush_calls, 0);
	for (unsigned int k = 0; k < 24; k++) {
		unsigned char b[2];

		assert_int_equal(pread(disk_fd, &b[0], 1, (off_t)k * 8192 + 5), 1);
		assert_int_equal(pread(disk_fd, &b[1], 1, (off_t)k * 8192 + 4096 + 7), 1);
		assert_int_equal(b[0], k + 1);
		assert_int_equal(b[1], k + 101);
	}
	/* Read them all back at once into cleared pages. */
	memset(pages, 0, sizeof(pages));
	for (unsigned int k = 0; k < 24; k++) {
		r = rw(BLKIF_OP_READ, 3000 + k, (uint64_t)k * 16, 2, 2 * k);
		push(&r);
	}
	serve_until(49);
	for (unsigned int k = 0; k < 24; k++) {
		assert_int_equal(status_of(3000 + k, 25, 49), BLKIF_RSP_OKAY);
		assert_int_equal(pages[2 * k][PAGE - 1], k + 1);
		assert_int_equal(pages[2 * k + 1][0], k + 101);
	}
	assert_int_equal(ring->stats.writes, 24);
	assert_int_equal(ring->stats.reads, 24);
	assert_int_equal(ring->stats.flushes, 1);
}

static void test_errors_and_drain(void **state)
{
	struct blkif_request r;

	(void)state;
	if (!u)
		skip();
	new_ring();
	r = rw(BLKIF_OP_WRITE, 1, DISK_BYTES / 512, 1, 0);	/* past the end */
	push(&r);
	r = rw(BLKIF_OP_WRITE, 2, 0, 1, NR_GRANTS + 1);	/* a ref never granted */
	push(&r);
	r = rw(9, 3, 0, 1, 0);					/* no such operation */
	push(&r);
	r = rw(BLKIF_OP_READ, 4, 0, 1, NR_GRANTS + 2);		/* read fine, copy out refused */
	push(&r);
	r = rw(BLKIF_OP_DISCARD, 5, 0, 0, 0);
	((struct blkif_request_discard *)&r)->nr_sectors = 16;
	push(&r);
	serve_until(5);
	assert_int_equal(status_of(1, 0, 5), BLKIF_RSP_ERROR);
	assert_int_equal(status_of(2, 0, 5), BLKIF_RSP_ERROR);
	assert_int_equal(status_of(3, 0, 5), BLKIF_RSP_EOPNOTSUPP);
	assert_int_equal(status_of(4, 0, 5), BLKIF_RSP_ERROR);
	assert_int_equal(status_of(5, 0, 5), BLKIF_RSP_OKAY);
	/* Requests in flight when the ring goes: drain waits, answers nothing. */
	for (unsigned int k = 0; k < 8; k++) {
		r = rw(BLKIF_OP_READ, 10 + k, (uint64_t)k * 8, 1, k);
		push(&r);
	}
	blk_uring_serve(u, ring);
	blk_uring_drain(u);
	blk_uring_serve(u, ring);	/* nothing left to take or complete */
	assert_true(H()->rsp_prod <= 13);
}

/*
 * More requests queued than may be in flight: the thread only wakes for
 * completions and the frontend's events, and the frontend sent its one
 * event. Every request must still be answered, each pass taking again
 * once completions made room.
 */
static void test_more_than_in_flight(void **state)
{
	const RING_IDX n = 100;		/* > BLK_URING_MAX_REQS */
	struct blkif_request r;

	(void)state;
	if (!u)
		skip();
	new_ring_order(2);		/* 128 slots */
	for (RING_IDX k = 0; k < n; k++) {
		r = rw(BLKIF_OP_READ, 500 + k, (uint64_t)(k % 64) * 8, 1, k % NR_GRANTS);
		push(&r);
	}
	blk_uring_serve(u, ring);	/* the frontend's event */
	for (int i = 0; i < 50 && H()->rsp_prod != n; i++) {
		struct pollfd pf = { .fd = blk_uring_fd(u), .events = POLLIN };

		/* Only a completion may wake the thread now. */
		if (poll(&pf, 1, 200) != 1)
			break;
		blk_uring_serve(u, ring);
	}
	assert_int_equal(H()->rsp_prod, n);
	for (RING_IDX k = 0; k < n; k++)
		assert_int_equal(status_of(500 + k, 0, n), BLKIF_RSP_OKAY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_in_flight),
		cmocka_unit_test(test_errors_and_drain),
		cmocka_unit_test(test_more_than_in_flight),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
