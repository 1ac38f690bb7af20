/* SPDX-License-Identifier: MIT */
/*
 * Shared I/O rings between a frontend and a backend, as this project
 * writes them: the header of a shared ring page and the rules the two ends
 * follow. Layout and protocol from Xen's xen/include/public/io/ring.h.
 *
 * A shared ring is a header of four free-running 32-bit indices and 48
 * bytes of padding (64 bytes in all), then an array of slots, each large
 * enough for a request or a response. The number of slots is the largest
 * power of two that fits in the ring's pages. The frontend produces
 * requests (req_prod) and consumes responses; the backend the opposite.
 * Each end asks to be notified by setting its *_event index: the other
 * end sends an event when it moves its producer index past that value
 * (XEN_RING_NEED_NOTIFY).
 */
#ifndef XEN_IO_RING_H
#define XEN_IO_RING_H

#include <stdint.h>

typedef uint32_t RING_IDX;

struct xen_sring_hdr {
	RING_IDX req_prod, req_event;
	RING_IDX rsp_prod, rsp_event;
	uint8_t pvt[4];		/* per-protocol; unused by blkif */
	uint8_t pad[44];
};

#define XEN_SRING_HDR_SIZE	64u

/* Slots in a ring of bytes total, each entry_size large (a power of two count). */
static inline unsigned int xen_ring_size(unsigned long bytes, unsigned long entry_size)
{
	unsigned long n = (bytes - XEN_SRING_HDR_SIZE) / entry_size;
	unsigned int p = 1;

	while ((unsigned long)p * 2 <= n)
		p *= 2;
	return p;
}

/*
 * After moving a producer index from old to new: does the other end want
 * an event? It does when its event index lies in (old, new].
 */
static inline int xen_ring_need_notify(RING_IDX old, RING_IDX new_, RING_IDX event)
{
	return (RING_IDX)(new_ - event) < (RING_IDX)(new_ - old);
}

#endif /* XEN_IO_RING_H */
