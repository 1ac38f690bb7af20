// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's xenstore ring page (Xen docs/misc/xenstore-ring.txt):
 * req[] carries requests from the guest, rsp[] replies and watch events
 * back; each ring has free-running u32 producer/consumer indices, only
 * their low 10 bits index the 1024-byte array. Message boundaries are
 * not aligned to the ring: a message is reassembled here a piece at a
 * time.
 *
 * Ordering, as with any Xen shared ring: read the producer index, then
 * (acquire) the bytes it covers, then publish the consumer index
 * (release); write bytes, then (release) the producer index. The guest
 * is another CPU: everything it writes is read once and checked.
 */
#include <string.h>

#include "xs_internal.h"

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void give_up(struct xs_conn *c, struct xs_ring_page *ring, uint32_t why)
{
	c->broken = true;
	store_release(&ring->error, why);
}

/* Requests from the ring into the store; true if req_cons moved. */
static bool take_requests(struct xs_conn *c, struct xs_ring_page *ring)
{
	uint32_t cons = ring->req_cons;		/* ours to write, the guest only reads it */
	uint32_t prod = load_acquire(&ring->req_prod);
	bool moved = false;

	if (prod - cons > XS_RING_SIZE) {
		give_up(c, ring, XS_ERROR_RINGIDX);
		return false;
	}
	while (cons != prod && !c->broken) {
		const struct xs_hdr *h = (const struct xs_hdr *)c->in;
		uint32_t want = sizeof(*h);
		uint32_t n, off = XS_RING_MASK(cons);

		if (c->in_have >= sizeof(*h)) {
			if (h->len > XS_PAYLOAD_MAX) {
				give_up(c, ring, XS_ERROR_COMM);
				break;
			}
			want += h->len;
		}
		n = want - c->in_have;
		if (n > prod - cons)
			n = prod - cons;
		if (n > XS_RING_SIZE - off)
			n = XS_RING_SIZE - off;
		memcpy(c->in + c->in_have, ring->req + off, n);
		c->in_have += n;
		cons += n;
		moved = true;
		if (c->in_have >= sizeof(*h) && h->len > XS_PAYLOAD_MAX) {
			give_up(c, ring, XS_ERROR_COMM);
			break;
		}
		if (c->in_have == sizeof(*h) + h->len && c->in_have >= sizeof(*h)) {
			struct xs_hdr copy = *h;

			xs_conn_request(c, &copy, (const char *)c->in + sizeof(*h));
			c->in_have = 0;
		}
	}
	if (moved)
		store_release(&ring->req_cons, cons);
	return moved;
}

/* Queued output onto the ring; true if rsp_prod moved. */
static bool give_responses(struct xs_conn *c, struct xs_ring_page *ring)
{
	uint32_t cons = load_acquire(&ring->rsp_cons);
	uint32_t prod = ring->rsp_prod;			/* ours */
	bool moved = false;

	if (prod - cons > XS_RING_SIZE) {
		give_up(c, ring, XS_ERROR_RINGIDX);
		return false;
	}
	while (xs_conn_pending(c) && prod - cons < XS_RING_SIZE) {
		uint32_t off = XS_RING_MASK(prod);
		uint32_t room = XS_RING_SIZE - (prod - cons);

		if (room > XS_RING_SIZE - off)
			room = XS_RING_SIZE - off;
		prod += (uint32_t)xs_conn_take(c, ring->rsp + off, room);
		moved = true;
	}
	if (moved)
		store_release(&ring->rsp_prod, prod);
	return moved;
}

bool xs_ring_service(struct xs_conn *c, struct xs_ring_page *ring)
{
	bool notify = false;

	if (c->broken)
		return false;
	/* Until neither side moves: replies may make room for more requests. */
	for (int round = 0; round < 64; round++) {
		bool a = take_requests(c, ring);
		bool b = !c->broken && give_responses(c, ring);

		notify |= a || b;
		if (!a && !b)
			break;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return notify;
}
