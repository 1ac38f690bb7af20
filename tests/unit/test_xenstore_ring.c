// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/xenstored/xs_ring.c against an in-memory ring
 * page, with this file playing the guest: messages split at any byte,
 * indices wrapping past 2^32, replies larger than the ring, a slow
 * reader, and the two ways a guest can break the connection.
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

#include "xs_internal.h"

static struct xs_store *st;
static struct xs_conn *c;
static struct xs_ring_page *ring;

static int setup(void **state)
{
	(void)state;
	st = xs_store_new();
	c = xs_conn_introduce(st, 3);
	ring = calloc(1, 4096);
	assert_non_null(st);
	assert_non_null(c);
	assert_non_null(ring);
	assert_int_equal(xs_tool_write(st, "/local/domain/3/data", ""), 0);
	assert_int_equal(xs_tool_set_perms(st, "/local/domain/3/data", "n3"), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xs_store_free(st);
	free(ring);
	return 0;
}

/* Guest: put up to len bytes on req[]; returns how many fitted. */
static size_t guest_put(const void *p, size_t len)
{
	size_t done = 0;

	while (done < len && ring->req_prod - ring->req_cons < XS_RING_SIZE) {
		ring->req[XS_RING_MASK(ring->req_prod)] = ((const char *)p)[done++];
		ring->req_prod++;
	}
	return done;
}

/* Guest: take up to cap bytes from rsp[]. */
static size_t guest_get(void *p, size_t cap)
{
	size_t done = 0;

	while (done < cap && ring->rsp_cons != ring->rsp_prod) {
		((char *)p)[done++] = ring->rsp[XS_RING_MASK(ring->rsp_cons)];
		ring->rsp_cons++;
	}
	return done;
}

static size_t msg(void *buf, uint32_t type, uint32_t req_id, const char *a, const char *b)
{
	struct xs_hdr h = { type, req_id, 0, 0 };
	char *p = (char *)buf + sizeof(h);
	size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;

	memcpy(p, a, la);
	if (b)
		memcpy(p + la, b, lb);
	h.len = (uint32_t)(la + lb);
	memcpy(buf, &h, sizeof(h));
	return sizeof(h) + h.len;
}

/* Read one whole reply, servicing the ring as the guest drains it. */
static void reply(struct xs_hdr *h, char *p)
{
	size_t got = 0;

	for (int i = 0; i < 100 && got < sizeof(*h); i++) {
		got += guest_get((char *)h + got, sizeof(*h) - got);
		xs_ring_service(c, ring);
	}
	assert_int_equal(got, sizeof(*h));
	got = 0;
	for (int i = 0; i < 100 && got < h->len; i++) {
		got += guest_get(p + got, h->len - got);
		xs_ring_service(c, ring);
	}
	assert_int_equal(got, h->len);
	p[h->len] = '\0';
}

static void test_roundtrip_wrapping(void **state)
{
	char buf[256], p[XS_PAYLOAD_MAX + 1];
	struct xs_hdr h;
	size_t n;

	(void)state;
	/* Free-running indices about to wrap at 2^32. */
	ring->req_cons = ring->req_prod = 0xfffffff0u;
	ring->rsp_cons = ring->rsp_prod = 0xfffffff8u;
	assert_false(xs_ring_service(c, ring));		/* nothing to do, no notify */
	for (uint32_t i = 0; i < 40; i++) {
		char val[16];

		snprintf(val, sizeof(val), "v%u", i);
		n = msg(buf, XS_WRITE, i, "data/k", val);
		assert_int_equal(guest_put(buf, n), n);
		assert_true(xs_ring_service(c, ring));
		reply(&h, p);
		assert_int_equal(h.type, XS_WRITE);
		assert_int_equal(h.req_id, i);
		assert_string_equal(p, "OK");
		n = msg(buf, XS_READ, 1000 + i, "data/k", NULL);
		assert_int_equal(guest_put(buf, n), n);
		xs_ring_service(c, ring);
		reply(&h, p);
		assert_int_equal(h.req_id, 1000 + i);
		assert_string_equal(p, val);
	}
	assert_true(ring->req_prod < 0x1000);		/* wrapped */
	assert_int_equal(ring->req_cons, ring->req_prod);
	assert_int_equal(ring->error, XS_ERROR_NONE);
}

static void test_split_messages(void **state)
{
	char buf[256], p[XS_PAYLOAD_MAX + 1];
	struct xs_hdr h;
	size_t n = msg(buf, XS_READ, 7, "domid", NULL);

	(void)state;
	assert_int_equal(xs_tool_write(st, "/local/domain/3/domid", "3"), 0);
	assert_int_equal(xs_tool_set_perms(st, "/local/domain/3/domid", "n0 r3"), 0);
	/* One byte at a time: the header and the payload both arrive in pieces. */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(guest_put(buf + i, 1), 1);
		xs_ring_service(c, ring);
		if (i + 1 < n)
			assert_int_equal(ring->rsp_prod, 0);
	}
	reply(&h, p);
	assert_int_equal(h.req_id, 7);
	assert_string_equal(p, "3");
}

/* Replies much larger than the ring, to a guest that reads slowly. */
static void test_big_replies(void **state)
{
	char big[3001], buf[4200], p[XS_PAYLOAD_MAX + 1];
	struct xs_hdr h;
	size_t n;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = msg(buf, XS_WRITE, 1, "data/big", big);
	/* 3000+ bytes of request do not fit a 1024-byte ring at once. */
	for (size_t off = 0; off < n;) {
		off += guest_put(buf + off, n - off);
		xs_ring_service(c, ring);
	}
	reply(&h, p);
	assert_string_equal(p, "OK");
	for (uint32_t i = 0; i < 5; i++) {
		n = msg(buf, XS_READ, 10 + i, "data/big", NULL);
		assert_int_equal(guest_put(buf, n), n);
	}
	xs_ring_service(c, ring);
	assert_int_equal(ring->rsp_prod - ring->rsp_cons, XS_RING_SIZE);	/* full */
	for (uint32_t i = 0; i < 5; i++) {
		reply(&h, p);
		assert_int_equal(h.req_id, 10 + i);
		assert_int_equal(h.len, 3000);
		assert_int_equal(strspn(p, "x"), 3000);
	}
	assert_int_equal(xs_conn_pending(c), 0);
}

static void test_bad_indices(void **state)
{
	(void)state;
	ring->req_cons = 0;
	ring->req_prod = XS_RING_SIZE + 1;
	assert_false(xs_ring_service(c, ring));
	assert_int_equal(ring->error, XS_ERROR_RINGIDX);
	assert_true(xs_conn_broken(c));
	ring->req_prod = 4;
	assert_false(xs_ring_service(c, ring));		/* given up for good */
	assert_int_equal(ring->req_cons, 0);
}

static void test_oversized_len(void **state)
{
	struct xs_hdr h = { XS_READ, 1, 0, XS_PAYLOAD_MAX + 1 };

	(void)state;
	assert_int_equal(guest_put(&h, sizeof(h)), sizeof(h));
	xs_ring_service(c, ring);
	assert_int_equal(ring->error, XS_ERROR_COMM);
	assert_true(xs_conn_broken(c));
	assert_int_equal(ring->rsp_prod, 0);
}

static void test_bad_rsp_indices(void **state)
{
	char buf[64];
	size_t n = msg(buf, XS_READ, 1, "data", NULL);

	(void)state;
	ring->rsp_cons = 5000;				/* consumer ahead of the producer */
	assert_int_equal(guest_put(buf, n), n);
	xs_ring_service(c, ring);
	assert_int_equal(ring->error, XS_ERROR_RINGIDX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_wrapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_indices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rsp_indices, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
