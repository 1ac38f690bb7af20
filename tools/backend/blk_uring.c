// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkif requests through io_uring (blk_uring.h). Each request taken is a
 * `struct pending`: the checked request, a page-aligned buffer of its
 * length, and where it stands (data moving, or the flush after it). A
 * read or write that completes short goes on from where it stopped.
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "blk_uring.h"

enum stage { STAGE_DATA, STAGE_FLUSH };

struct pending {
	struct blk_io io;
	unsigned char *buf;
	size_t done;		/* bytes of the read or write done so far */
	enum stage stage;
};

struct blk_uring {
	struct io_uring ring;
	int efd;
	struct blk_uring_disk disk;
	unsigned int in_kernel;	/* submissions whose completion is still to come */
	unsigned int reqs;	/* requests taken, not yet answered */
	size_t bytes;		/* their buffers */
};

struct blk_uring *blk_uring_new(const struct blk_uring_disk *disk, int *err)
{
	struct blk_uring *u = calloc(1, sizeof(*u));
	int rc;

	if (!u) {
		*err = -ENOMEM;
		return NULL;
	}
	u->disk = *disk;
	rc = io_uring_queue_init(2 * BLK_URING_MAX_REQS, &u->ring, 0);
	if (rc) {
		free(u);
		*err = rc;
		return NULL;
	}
	u->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (u->efd < 0 || (rc = io_uring_register_eventfd(&u->ring, u->efd))) {
		*err = u->efd < 0 ? -errno : rc;
		if (u->efd >= 0)
			close(u->efd);
		io_uring_queue_exit(&u->ring);
		free(u);
		return NULL;
	}
	return u;
}

int blk_uring_fd(const struct blk_uring *u)
{
	return u->efd;
}

/* O_DIRECT when the piece is whole blocks from an aligned address (disk_fd_for in blkback.c). */
static int fd_for(const struct blk_uring *u, const void *buf, size_t len, uint64_t off)
{
	uint64_t a = u->disk.block;

	if (u->disk.direct_fd < 0 || (uintptr_t)buf % 4096 || len % a || off % a)
		return u->disk.fd;
	return u->disk.direct_fd;
}

static struct io_uring_sqe *get_sqe(struct blk_uring *u)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	if (!sqe) {		/* full: hand the queue to the kernel, then there is room */
		io_uring_submit(&u->ring);
		sqe = io_uring_get_sqe(&u->ring);
	}
	return sqe;
}

/* Submit what p needs next: the rest of its data, or its flush. 0, or -errno. */
static int submit(struct blk_uring *u, struct pending *p, bool drain)
{
	struct io_uring_sqe *sqe = get_sqe(u);

	if (!sqe)
		return -EBUSY;
	if (p->stage == STAGE_FLUSH) {
		io_uring_prep_fsync(sqe, u->disk.fd, IORING_FSYNC_DATASYNC);
	} else {
		unsigned char *b = p->buf + p->done;
		size_t len = p->io.len - p->done;
		uint64_t off = p->io.off + p->done;
		int fd = fd_for(u, b, len, off);

		if (p->io.read)
			io_uring_prep_read(sqe, fd, b, (unsigned int)len, off);
		else
			io_uring_prep_write(sqe, fd, b, (unsigned int)len, off);
	}
	if (drain)
		sqe->flags |= IOSQE_IO_DRAIN;
	io_uring_sqe_set_data(sqe, p);
	u->in_kernel++;
	return 0;
}

static void finish(struct blk_uring *u, struct blk_ring *r, struct pending *p, int st)
{
	blk_ring_answer(r, &p->io, st);
	u->reqs--;
	u->bytes -= p->io.len;
	free(p->buf);
	free(p);
}

/* A request just taken: start it. */
static void start(struct blk_uring *u, struct blk_ring *r, struct pending *p)
{
	const struct blk_io_ops *ops = r->ops;
	bool drain = p->io.flush;	/* a flush or barrier waits for all before it */

	u->reqs++;
	u->bytes += p->io.len;
	if (p->io.discard) {
		finish(u, r, p, p->io.len && ops->discard(r->ctx, p->io.off, p->io.len) ?
				BLKIF_RSP_ERROR : BLKIF_RSP_OKAY);
		return;
	}
	if (p->io.read || p->io.write) {
		if (posix_memalign((void **)&p->buf, 4096, p->io.len)) {
			p->buf = NULL;
			finish(u, r, p, BLKIF_RSP_ERROR);
			return;
		}
		if (p->io.write && ops->gnt_copy(r->ctx, p->io.segs, p->io.nr, p->buf, false)) {
			finish(u, r, p, BLKIF_RSP_ERROR);
			return;
		}
		p->stage = STAGE_DATA;
	} else {
		p->stage = STAGE_FLUSH;		/* a flush without data */
	}
	if (submit(u, p, drain))
		finish(u, r, p, BLKIF_RSP_ERROR);
}

/* A completion for p, result res (bytes, or -errno). */
static void complete(struct blk_uring *u, struct blk_ring *r, struct pending *p, int res)
{
	if (res < 0) {
		finish(u, r, p, BLKIF_RSP_ERROR);
		return;
	}
	if (p->stage == STAGE_DATA) {
		p->done += (size_t)res;
		if (p->done < p->io.len) {
			if (res == 0 && p->io.read) {	/* past the end of a shrunk file: zeroes */
				memset(p->buf + p->done, 0, p->io.len - p->done);
				p->done = p->io.len;
			} else if (res == 0 || submit(u, p, false)) {
				finish(u, r, p, BLKIF_RSP_ERROR);
				return;
			} else {
				return;			/* the rest is under way */
			}
		}
		if (p->io.read) {
			finish(u, r, p, r->ops->gnt_copy(r->ctx, p->io.segs, p->io.nr, p->buf, true) ?
					BLKIF_RSP_ERROR : BLKIF_RSP_OKAY);
			return;
		}
		if (p->io.flush) {		/* data written: now make it durable */
			p->stage = STAGE_FLUSH;
			if (submit(u, p, false))
				finish(u, r, p, BLKIF_RSP_ERROR);
			return;
		}
	}
	finish(u, r, p, BLKIF_RSP_OKAY);
}

/* Handle every completion there is; how many. */
static unsigned int reap(struct blk_uring *u, struct blk_ring *r)
{
	struct io_uring_cqe *cqe;
	unsigned int done = 0;
	uint64_t n;

	(void)!read(u->efd, &n, sizeof(n));
	while (io_uring_peek_cqe(&u->ring, &cqe) == 0) {
		struct pending *p = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		/* Seen before it is handled: a SIGBUS in the handling loses p, not the count. */
		io_uring_cqe_seen(&u->ring, cqe);
		u->in_kernel--;
		complete(u, r, p, res);
		done++;
	}
	return done;
}

/* Take and start requests until the ring is empty (req_event set) or the limits are reached. */
static void take_all(struct blk_uring *u, struct blk_ring *r)
{
	while (u->reqs < BLK_URING_MAX_REQS && u->bytes < BLK_URING_MAX_BYTES) {
		struct pending *p = malloc(sizeof(*p));

		if (!p)
			break;		/* tried again at the next completion or event */
		p->buf = NULL;
		p->done = 0;
		if (blk_ring_take(r, &p->io) != 1) {
			free(p);
			break;
		}
		if (p->io.status != BLKIF_RSP_OKAY) {
			blk_ring_answer(r, &p->io, p->io.status);
			free(p);
			continue;
		}
		start(u, r, p);
	}
}

bool blk_uring_serve(struct blk_uring *u, struct blk_ring *r)
{
	/*
	 * Completions reaped after the last take made room: take again, or
	 * requests left in the ring (stopped at a limit, so req_event was not
	 * set for them) would wait for an event that never comes.
	 */
	do {
		reap(u, r);
		take_all(u, r);
		io_uring_submit(&u->ring);
	} while (reap(u, r) && !r->broken);
	return blk_ring_push(r);
}

void blk_uring_drain(struct blk_uring *u)
{
	struct io_uring_cqe *cqe;

	io_uring_submit(&u->ring);
	while (u->in_kernel && io_uring_wait_cqe(&u->ring, &cqe) == 0) {
		struct pending *p = io_uring_cqe_get_data(cqe);

		io_uring_cqe_seen(&u->ring, cqe);
		u->in_kernel--;
		free(p->buf);
		free(p);
	}
	u->reqs = 0;
	u->bytes = 0;
}

void blk_uring_free(struct blk_uring *u)
{
	if (!u)
		return;
	blk_uring_drain(u);
	io_uring_queue_exit(&u->ring);
	close(u->efd);
	free(u);
}
