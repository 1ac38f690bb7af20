// SPDX-License-Identifier: GPL-2.0-only
/*
 * Several requests of one blkif queue in flight at once, through io_uring
 * (Debian's liburing): blkback's I/O thread takes every request the ring
 * holds (blkif_ring.c's blk_ring_take), submits their reads and writes
 * together and answers each as it completes, in whatever order the disk
 * finishes them (blkif answers carry the request's id). A disk with real
 * latency then sees a queue instead of one request at a time.
 *
 * Ordering kept: a FLUSH_DISKCACHE or WRITE_BARRIER waits for every
 * request submitted before it and holds back those after it
 * (IOSQE_IO_DRAIN), then writes its data if it has any and runs
 * fdatasync, so an answered flush covers every write answered before it,
 * as in the synchronous path. Discards are done at once, synchronously.
 * Data moves through a buffer of the backend's own per request (grant
 * copies or persistent maps, as before); the kernel never sees a guest's
 * page.
 */
#ifndef XVMM_BLK_URING_H
#define XVMM_BLK_URING_H

#include <stdbool.h>
#include <stdint.h>

#include "blkif_ring.h"

/* In flight per queue: requests and bytes of buffers. */
#define BLK_URING_MAX_REQS	64u
#define BLK_URING_MAX_BYTES	(16u << 20)

struct blk_uring_disk {
	int fd;			/* the target, buffered */
	int direct_fd;		/* the same, O_DIRECT, or -1 */
	unsigned int block;	/* its logical block: what O_DIRECT needs aligned */
};

struct blk_uring;

/* A queue's io_uring: NULL with *err set (-errno) when the kernel has none. */
struct blk_uring *blk_uring_new(const struct blk_uring_disk *disk, int *err);

/* Becomes readable when a submission completed (poll it beside the event channel). */
int blk_uring_fd(const struct blk_uring *u);

/*
 * One pass: answer what completed, take and submit what the ring holds
 * (up to the limits), answer what completed meanwhile. The ring's
 * blk_io_ops give the grant copies and the discards. True when the
 * frontend wants an event.
 */
bool blk_uring_serve(struct blk_uring *u, struct blk_ring *r);

/* Wait for everything in flight and forget it (no answers: the ring is going). */
void blk_uring_drain(struct blk_uring *u);

void blk_uring_free(struct blk_uring *u);

#endif /* XVMM_BLK_URING_H */
