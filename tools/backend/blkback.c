// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback: dom0's user-space server of one PV disk (docs/pv-devices.md).
 *
 * The xenbus side (xenbus_be.c) calls publish at start-up, connect once
 * the frontend wrote its ring references and event channel, disconnect
 * when it closes. Connected, the device has its own open file of
 * /dev/xvmm, so the ring's grant maps belong to it alone and go when it
 * is closed; and per queue (multi-queue, up to one per guest vCPU) its
 * own event-channel descriptor (EVTCHN_BIND) and one I/O thread that
 * sleeps in poll(2) on that descriptor, serves the ring (blkif_ring.c)
 * with pread/pwrite on the target and persistent maps or grant copies for
 * the data, and signals the frontend back. The thread never takes the
 * runner's lock: a broken ring only sets a flag that xb_service() reads.
 *
 * Nodes, as Linux's blkback writes them (drivers/block/xen-blkback/xenbus.c)
 * and Linux 6.1's blkfront reads them (sectors, info and sector-size are
 * required; the rest optional).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/grant_table.h>
#include <xvmm/ioctl.h>

#include "blkback.h"
#include "blk_uring.h"
#include "blkif_ring.h"
#include "gref_cache.h"
#include "nbd_client.h"
#include "ring_map.h"

#define PAGE_SIZE	4096u
#define MAX_PAGES	(1u << BLKIF_MAX_RING_PAGE_ORDER)
/*
 * multi-queue-max-queues: Linux's blkfront takes min(this, its
 * max_queues parameter (4), the guest's CPUs). Each queue is its own
 * ring, event channel and I/O thread.
 */
#define BB_MAX_QUEUES	4u

struct blkback;

/* One ring of a connected disk and the thread that serves it. */
struct bb_queue {
	struct blkback *bb;
	unsigned int id;
	int evfd;			/* the frontend's event channel */
	int stop[2];			/* pipe: the I/O thread ends */
	struct ring_map rmap;		/* the ring's pages */
	struct blk_ring *ring;
	struct blk_uring *uring;	/* several requests in flight; NULL: one at a time */
	struct gref_cache *pgnt;	/* feature-persistent negotiated: the mapped grants */
	uint64_t pgnt_fallback;		/* segments copied through the grant: cache full, map refused */
	pthread_t thread;
	bool thread_running;
	volatile int broken;		/* set by the I/O thread */
};

struct blkback {
	struct xl_disk disk;
	uint32_t domid;
	int disk_fd;
	uint64_t sectors;
	bool is_file;
	unsigned int sector_size, phys_sector_size;	/* logical and physical blocks */
	int direct_fd;			/* the target opened O_DIRECT, or -1 (not allowed there) */
	/* qcow2: served by a qemu-nbd child over a unix socket */
	bool is_nbd;
	struct nbd_conn nbd;
	pid_t nbd_pid;
	char nbd_sock[108];
	/* connected */
	int xfd;			/* own /dev/xvmm: the rings' grant maps, for all queues */
	unsigned int order;		/* of every queue's ring */
	bool persistent;
	unsigned int nr_queues;
	struct bb_queue q[BB_MAX_QUEUES];
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

static void bb_log(struct blkback *bb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bb_log(struct blkback *bb, const char *fmt, ...)
{
	char msg[300], line[400];
	va_list ap;

	if (!bb->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "vbd %s (%u): %s", bb->disk.vdev, bb->disk.devid, msg);
	bb->log(bb->log_arg, line);
}

/* ---- the disk and the grants (struct blk_io_ops) ---------------------------- */

/* nr prepared segments through one GNT_COPY call: 0, or -EACCES for a ref never granted. */
static int gnt_copy_call(struct blkback *bb, struct xvmm_gnt_copy *c, unsigned int nr)
{
	struct xvmm_ioctl_gnt_copy req = { .domid = bb->domid, .nr = nr, .segs = (uintptr_t)c };

	if (ioctl(bb->xfd, XVMM_IOCTL_GNT_COPY, &req) < 0)
		return -errno;
	for (unsigned int i = 0; i < nr; i++)
		if (c[i].status != GNTST_okay)
			return -EACCES;
	return 0;
}

/*
 * A persistent grant, mapped read-write on first use and kept until the
 * device disconnects. NULL when the cache is full or the map is refused
 * (a read-only grant, say): that segment is then copied through the grant.
 */
static void *pgnt_get(struct bb_queue *q, uint32_t gref)
{
	struct blkback *bb = q->bb;
	struct xvmm_ioctl_gnt_map m = { .domid = bb->domid, .ref = gref };
	struct xvmm_ioctl_gnt_unmap un = { .domid = bb->domid };
	void *va = gref_cache_find(q->pgnt, gref);

	if (va || gref_cache_full(q->pgnt))
		return va;
	if (ioctl(bb->xfd, XVMM_IOCTL_GNT_MAP, &m) < 0 || m.status != GNTST_okay)
		return NULL;
	va = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, bb->xfd, (off_t)m.offset);
	if (va != MAP_FAILED && gref_cache_add(q->pgnt, gref, va, m.handle) == 0)
		return va;
	if (va != MAP_FAILED)
		munmap(va, PAGE_SIZE);
	un.handle = m.handle;
	ioctl(bb->xfd, XVMM_IOCTL_GNT_UNMAP, &un);
	return NULL;
}

/*
 * Data between buf and the granted pages: through the persistent maps
 * where there are some (memcpy, no call into the VMM), the rest with
 * GNT_COPY in batches of what one call takes (an indirect request has up
 * to 256 segments).
 */
static int io_gnt_copy(void *ctx, const struct blk_seg *segs, unsigned int nr, void *buf,
		       bool to_guest)
{
	struct bb_queue *q = ctx;
	struct blkback *bb = q->bb;
	struct xvmm_gnt_copy c[XVMM_GNT_COPY_MAX];
	unsigned char *p = buf;
	unsigned int n = 0;
	int rc;

	for (unsigned int i = 0; i < nr; p += segs[i].len, i++) {
		unsigned char *va = q->pgnt ? pgnt_get(q, segs[i].gref) : NULL;

		if (va) {
			if (to_guest)
				memcpy(va + segs[i].offset, p, segs[i].len);
			else
				memcpy(p, va + segs[i].offset, segs[i].len);
			continue;
		}
		if (q->pgnt)
			q->pgnt_fallback++;
		c[n++] = (struct xvmm_gnt_copy){
			.buf = (uintptr_t)p, .ref = segs[i].gref, .offset = segs[i].offset,
			.len = segs[i].len, .flags = to_guest ? XVMM_GNT_TO_GUEST : 0,
		};
		if (n == XVMM_GNT_COPY_MAX) {
			rc = gnt_copy_call(bb, c, n);
			if (rc)
				return rc;
			n = 0;
		}
	}
	return n ? gnt_copy_call(bb, c, n) : 0;
}

/*
 * O_DIRECT where the target allows it (a block device, a file system
 * that takes it; tmpfs does not): the disk's data then bypass dom0's page
 * cache, which the guest caches already. The buffer is the ring's,
 * page-aligned; offset and length are whole logical blocks (the ring
 * checks them). A part that does not end on a block (a short read near
 * the end of a file) goes through the buffered descriptor.
 */
static int disk_fd_for(const struct blkback *bb, const void *buf, size_t len, uint64_t off)
{
	uint64_t a = bb->sector_size;

	if (bb->direct_fd < 0 || (uintptr_t)buf % 4096 || len % a || off % a)
		return bb->disk_fd;
	return bb->direct_fd;
}

static int io_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct blkback *bb = ((struct bb_queue *)ctx)->bb;
	size_t done = 0;

	if (bb->is_nbd)
		return nbd_read(&bb->nbd, buf, len, off);
	while (done < len) {
		ssize_t n = pread(disk_fd_for(bb, buf, len, off), (char *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {		/* the file shrank under us: zeroes, as a hole reads */
			memset((char *)buf + done, 0, len - done);
			break;
		}
		done += (size_t)n;
	}
	return 0;
}

static int io_write(void *ctx, const void *buf, size_t len, uint64_t off)
{
	struct blkback *bb = ((struct bb_queue *)ctx)->bb;
	size_t done = 0;

	if (bb->is_nbd)
		return nbd_write(&bb->nbd, buf, len, off);
	while (done < len) {
		ssize_t n = pwrite(disk_fd_for(bb, buf, len, off), (const char *)buf + done,
				   len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int io_flush(void *ctx)
{
	struct blkback *bb = ((struct bb_queue *)ctx)->bb;

	if (bb->is_nbd)
		return nbd_flush(&bb->nbd);	/* qemu flushes the image to its file */
	return fdatasync(bb->disk_fd) ? -errno : 0;
}

static int io_discard(void *ctx, uint64_t off, uint64_t len)
{
	struct blkback *bb = ((struct bb_queue *)ctx)->bb;
	uint64_t range[2] = { off, len };

	if (bb->is_nbd)
		return nbd_trim(&bb->nbd, off, len);
	if (bb->is_file)
		return fallocate(bb->disk_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 (off_t)off, (off_t)len) ? -errno : 0;
	return ioctl(bb->disk_fd, BLKDISCARD, range) ? -errno : 0;
}

static const struct blk_io_ops bb_io = {
	.gnt_copy = io_gnt_copy, .read = io_read, .write = io_write,
	.flush = io_flush, .discard = io_discard,
};

/* ---- the I/O thread --------------------------------------------------------------- */

/*
 * DOM_DESTROY zaps our mappings of the ring (docs/control-abi.md): a
 * thread inside blk_ring_process() at that moment takes SIGBUS. The
 * handler jumps back out of the ring code of that thread, which then
 * ends as if the domain had hung up; a SIGBUS anywhere else is fatal as
 * usual.
 */
static __thread sigjmp_buf *ring_jmp;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (ring_jmp)
		siglongjmp(*ring_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void sigbus_setup(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* One pass over the ring: 1 notify, 0 not, -1 the mapping went away. */
static int serve(struct bb_queue *q)
{
	sigjmp_buf jb;
	int notify;

	if (sigsetjmp(jb, 1)) {
		ring_jmp = NULL;
		return -1;
	}
	ring_jmp = &jb;
	notify = q->uring ? blk_uring_serve(q->uring, q->ring) : blk_ring_process(q->ring);
	ring_jmp = NULL;
	return notify;
}

static void *io_thread(void *p)
{
	struct bb_queue *q = p;
	uint32_t port = 0;

	for (bool first = true;; first = false) {
		struct pollfd pf[3] = {
			{ .fd = q->evfd, .events = POLLIN },
			{ .fd = q->stop[0], .events = POLLIN },
			{ .fd = q->uring ? blk_uring_fd(q->uring) : -1, .events = POLLIN },
		};

		/* Requests may be queued before the bind: serve once without waiting. */
		if (!first) {
			if (poll(pf, 3, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (pf[1].revents)
				break;
			if (pf[0].revents & (POLLHUP | POLLERR))
				break;		/* the domain is gone */
			if ((pf[0].revents & POLLIN) && read(q->evfd, &port, sizeof(port)) == 0)
				break;
		}
		int n = serve(q);

		if (n < 0)
			break;			/* the domain is being destroyed */
		if (n && write(q->evfd, &port, sizeof(port)) < 0 && errno != EAGAIN)
			break;
		if (q->ring->broken) {
			q->broken = 1;
			break;
		}
	}
	/* Nothing of the kernel's may still write into our buffers once we go. */
	if (q->uring)
		blk_uring_drain(q->uring);
	return NULL;
}

/* ---- xenbus ops ------------------------------------------------------------------- */

/* Holes in a file, TRIM through qemu-nbd; not for block devices or read-only disks. */
static bool can_discard(const struct blkback *bb)
{
	if (!bb->disk.discard || bb->disk.readonly)
		return false;
	return bb->is_nbd ? (bb->nbd.flags & NBD_FLAG_SEND_TRIM) != 0 : bb->is_file;
}

static int bb_publish(struct xb_dev *dev)
{
	struct blkback *bb = xb_dev_priv(dev);
	unsigned int info = (bb->disk.readonly ? VDISK_READONLY : 0) |
			    (bb->disk.cdrom ? VDISK_CDROM : 0);
	int rc = 0;

	rc = rc ? rc : xb_back_printf(dev, "feature-flush-cache", "1");
	rc = rc ? rc : xb_back_printf(dev, "max-ring-page-order", "%u", BLKIF_MAX_RING_PAGE_ORDER);
	rc = rc ? rc : xb_back_printf(dev, "feature-max-indirect-segments", "%u",
				      BLK_MAX_INDIRECT_SEGMENTS);
	rc = rc ? rc : xb_back_printf(dev, "feature-persistent", "1");
	/* qcow2's NBD connection takes one request at a time: one queue. */
	rc = rc ? rc : xb_back_printf(dev, "multi-queue-max-queues", "%u",
				      bb->is_nbd ? 1u : BB_MAX_QUEUES);
	if (can_discard(bb)) {
		rc = rc ? rc : xb_back_printf(dev, "feature-discard", "1");
		rc = rc ? rc : xb_back_printf(dev, "discard-granularity", "%u", PAGE_SIZE);
		rc = rc ? rc : xb_back_printf(dev, "discard-alignment", "0");
		rc = rc ? rc : xb_back_printf(dev, "discard-secure", "0");
	}
	rc = rc ? rc : xb_back_printf(dev, "sectors", "%llu", (unsigned long long)bb->sectors);
	rc = rc ? rc : xb_back_printf(dev, "info", "%u", info);
	/* sectors and every request field stay in 512-byte units (io/blkif.h). */
	rc = rc ? rc : xb_back_printf(dev, "sector-size", "%u", bb->sector_size);
	rc = rc ? rc : xb_back_printf(dev, "physical-sector-size", "%u", bb->phys_sector_size);
	return rc;
}

/* Persistent maps go before the file that holds them (at most one batch: GREF_CACHE_MAX). */
struct pgnt_undo {
	struct xvmm_gnt_unmap un[GREF_CACHE_MAX];
	unsigned int nr;
};

static void pgnt_undo_one(void *arg, const struct gref_entry *e)
{
	struct pgnt_undo *u = arg;

	munmap(e->va, PAGE_SIZE);
	if (u->nr < GREF_CACHE_MAX)
		u->un[u->nr++] = (struct xvmm_gnt_unmap){ .handle = e->handle };
}

static void pgnt_release(struct bb_queue *q)
{
	struct pgnt_undo *u;

	if (!q->pgnt)
		return;
	u = calloc(1, sizeof(*u));
	gref_cache_clear(q->pgnt, u ? pgnt_undo_one : NULL, u);
	if (u && u->nr) {
		struct xvmm_ioctl_gnt_batch req = { .domid = q->bb->domid, .nr = u->nr,
						    .segs = (uintptr_t)u->un };

		ioctl(q->bb->xfd, XVMM_IOCTL_GNT_UNMAP_BATCH, &req);	/* close() would, too */
	}
	free(u);
	free(q->pgnt);
	q->pgnt = NULL;
}

static void queue_stop(struct bb_queue *q)
{
	struct blkback *bb = q->bb;
	char qn[16] = "";

	if (q->thread_running) {
		(void)!write(q->stop[1], "x", 1);
		pthread_join(q->thread, NULL);
		q->thread_running = false;
	}
	if (bb->nr_queues > 1)
		snprintf(qn, sizeof(qn), "queue %u: ", q->id);
	if (q->ring)
		bb_log(bb, "%sdisconnected: %llu reads, %llu writes (%llu indirect), %llu flushes, "
		       "%llu discards, %llu errors, %llu unsupported", qn,
		       (unsigned long long)q->ring->stats.reads,
		       (unsigned long long)q->ring->stats.writes,
		       (unsigned long long)q->ring->stats.indirect,
		       (unsigned long long)q->ring->stats.flushes,
		       (unsigned long long)q->ring->stats.discards,
		       (unsigned long long)q->ring->stats.errors,
		       (unsigned long long)q->ring->stats.unsupported);
	if (q->pgnt)
		bb_log(bb, "%spersistent grants: %u mapped, %llu segments copied past them", qn,
		       q->pgnt->nr, (unsigned long long)q->pgnt_fallback);
	if (bb->xfd >= 0) {
		pgnt_release(q);
		ring_unmap(&q->rmap, bb->xfd, bb->domid);
	}
	for (int i = 0; i < 2; i++) {
		if (q->stop[i] >= 0)
			close(q->stop[i]);
		q->stop[i] = -1;
	}
	if (q->evfd >= 0)
		close(q->evfd);
	q->evfd = -1;
	blk_uring_free(q->uring);
	q->uring = NULL;
	free(q->ring);
	q->ring = NULL;
	q->broken = 0;
}

static void bb_disconnect(struct xb_dev *dev)
{
	struct blkback *bb = xb_dev_priv(dev);

	for (unsigned int i = 0; i < BB_MAX_QUEUES; i++)
		queue_stop(&bb->q[i]);
	if (bb->xfd >= 0)
		close(bb->xfd);
	bb->xfd = -1;
	bb->nr_queues = 0;
}

/*
 * One queue's nodes: DIR/ring-ref (order 0) or DIR/ring-ref0..N-1, and
 * DIR/event-channel, where DIR is the frontend's directory with one queue
 * or its queue-ID subdirectory with several (io/blkif.h, multi-queue).
 */
static int queue_read_nodes(struct xb_dev *dev, const char *dir, unsigned int order,
			    uint32_t *refs, uint32_t *port)
{
	char key[48];
	uint64_t v;
	int rc;

	snprintf(key, sizeof(key), "%sring-ref", dir);
	if (order == 0 && xb_front_read_uint(dev, key, 1ull << 32, &v) == 0) {
		refs[0] = (uint32_t)v;
	} else {
		for (unsigned int i = 0; i < (1u << order); i++) {
			snprintf(key, sizeof(key), "%sring-ref%u", dir, i);
			rc = xb_front_read_uint(dev, key, 1ull << 32, &v);
			if (rc)
				return rc;
			refs[i] = (uint32_t)v;
		}
	}
	snprintf(key, sizeof(key), "%sevent-channel", dir);
	rc = xb_front_read_uint(dev, key, 1ull << 32, &v);
	if (rc)
		return rc;
	*port = (uint32_t)v;
	return 0;
}

static int queue_start(struct bb_queue *q, const uint32_t *refs, uint32_t port)
{
	struct blkback *bb = q->bb;
	struct xvmm_ioctl_evtchn_bind eb = { .domid = bb->domid, .port = port };
	int rc = ring_map(&q->rmap, bb->xfd, bb->domid, refs, 1u << bb->order);

	if (rc) {
		bb_log(bb, "queue %u: mapping the %u ring page(s): %s", q->id, 1u << bb->order,
		       strerror(-rc));
		return rc;
	}
	q->ring = aligned_alloc(4096, sizeof(*q->ring));
	if (!q->ring)
		return -ENOMEM;
	blk_ring_init(q->ring, q->rmap.va, bb->order, bb->sectors, bb->disk.readonly,
		      can_discard(bb), &bb_io, q);
	q->ring->max_indirect = BLK_MAX_INDIRECT_SEGMENTS;
	q->ring->sector_size = bb->sector_size;
	/*
	 * io_uring for files and block devices; qcow2's NBD connection
	 * serves one request at a time (blk_ring_process).
	 */
	if (!bb->is_nbd) {
		struct blk_uring_disk d = { .fd = bb->disk_fd, .direct_fd = bb->direct_fd,
					    .block = bb->sector_size };
		int err = 0;

		q->uring = blk_uring_new(&d, &err);
		if (!q->uring && q->id == 0)
			bb_log(bb, "io_uring: %s: one request at a time", strerror(-err));
	}
	q->pgnt_fallback = 0;
	if (bb->persistent) {
		q->pgnt = malloc(sizeof(*q->pgnt));
		if (!q->pgnt)
			return -ENOMEM;
		gref_cache_init(q->pgnt);
	}
	if (ioctl(bb->xfd, XVMM_IOCTL_EVTCHN_BIND, &eb) < 0) {
		rc = -errno;
		bb_log(bb, "queue %u: binding event channel %u: %s", q->id, port, strerror(-rc));
		return rc;
	}
	q->evfd = eb.fd;
	if (pipe2(q->stop, O_CLOEXEC))
		return -errno;
	rc = -pthread_create(&q->thread, NULL, io_thread, q);
	if (rc)
		return rc;
	q->thread_running = true;
	return 0;
}

static int bb_connect(struct xb_dev *dev)
{
	struct blkback *bb = xb_dev_priv(dev);
	uint32_t ports[BB_MAX_QUEUES], refs[BB_MAX_QUEUES][MAX_PAGES];
	uint64_t v;
	char proto[32];
	unsigned int maxq = bb->is_nbd ? 1u : BB_MAX_QUEUES;
	int rc;

	bb->order = 0;
	rc = xb_front_read_uint(dev, "ring-page-order", BLKIF_MAX_RING_PAGE_ORDER + 1, &v);
	if (rc == 0)
		bb->order = (unsigned int)v;
	else if (rc != -ENOENT)
		return rc;
	/* multi-queue-num-queues: absent means one queue at the top (io/blkif.h). */
	bb->nr_queues = 1;
	rc = xb_front_read_uint(dev, "multi-queue-num-queues", 1ull << 32, &v);
	if (rc == 0 && (v == 0 || v > maxq)) {
		bb_log(bb, "frontend asked for %llu queues (1..%u offered)", (unsigned long long)v,
		       maxq);
		bb->nr_queues = 0;
		return -EINVAL;
	}
	if (rc == 0)
		bb->nr_queues = (unsigned int)v;
	else if (rc != -ENOENT)
		return rc;
	for (unsigned int i = 0; i < bb->nr_queues; i++) {
		char dir[24] = "";

		if (bb->nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		rc = queue_read_nodes(dev, dir, bb->order, refs[i], &ports[i]);
		if (rc)
			return rc;
	}
	/* Only the native 64-bit layout: a 32-bit PVH guest would say x86_32-abi. */
	if (xb_front_read(dev, "protocol", proto, sizeof(proto)) == 0 &&
	    strcmp(proto, "x86_64-abi")) {
		bb_log(bb, "frontend protocol '%s' is not served (x86_64-abi)", proto);
		return -EPROTONOSUPPORT;
	}
	/* feature-persistent: both sides said 1 (io/blkif.h). */
	bb->persistent = xb_front_read_uint(dev, "feature-persistent", 2, &v) == 0 && v == 1;
	bb->xfd = open(XVMM_DEVICE, O_RDWR | O_CLOEXEC);
	if (bb->xfd < 0)
		return -errno;
	sigbus_setup();
	for (unsigned int i = 0; i < bb->nr_queues; i++) {
		rc = queue_start(&bb->q[i], refs[i], ports[i]);
		if (rc)
			goto fail;
	}
	bb_log(bb, "connected: %u queue(s) of %u ring page(s), %u slots, event channel %u, "
	       "%s grants, %s", bb->nr_queues, 1u << bb->order, bb->q[0].ring->size, ports[0],
	       bb->persistent ? "persistent" : "per-request",
	       bb->q[0].uring ? "io_uring" : "synchronous I/O");
	return 0;
fail:
	bb_disconnect(dev);
	return rc;
}

static bool bb_broken(struct xb_dev *dev)
{
	struct blkback *bb = xb_dev_priv(dev);

	for (unsigned int i = 0; i < bb->nr_queues; i++)
		if (bb->q[i].broken) {
			bb_log(bb, "the frontend broke its ring%s (indices ran ahead): closing the "
			       "device", bb->nr_queues > 1 ? "s" : "");
			return true;
		}
	return false;
}

static void nbd_stop(struct blkback *bb)
{
	if (bb->is_nbd)
		nbd_close(&bb->nbd);	/* a qemu-nbd without --persistent then exits */
	if (bb->nbd_pid > 0) {
		int st;

		for (int i = 0; i < 50 && waitpid(bb->nbd_pid, &st, WNOHANG) == 0; i++)
			poll(NULL, 0, 20);
		if (waitpid(bb->nbd_pid, &st, WNOHANG) == 0) {
			kill(bb->nbd_pid, SIGTERM);
			waitpid(bb->nbd_pid, &st, 0);
		}
		bb->nbd_pid = 0;
	}
	if (bb->nbd_sock[0])
		unlink(bb->nbd_sock);
	bb->nbd_sock[0] = '\0';
}

static void bb_release(struct xb_dev *dev)
{
	struct blkback *bb = xb_dev_priv(dev);

	nbd_stop(bb);
	if (bb->disk_fd >= 0)
		close(bb->disk_fd);
	if (bb->direct_fd >= 0)
		close(bb->direct_fd);
	free(bb);
}

static const struct xb_dev_ops bb_ops = {
	.kind = "vbd", .publish = bb_publish, .connect = bb_connect,
	.disconnect = bb_disconnect, .broken = bb_broken, .release = bb_release,
};

/* ---- creating a device --------------------------------------------------------------- */

int blkback_open_target(const struct xl_disk *d, int *fd_out, uint64_t *sectors,
			bool *is_file, struct xvmm_err *err)
{
	struct stat st;
	uint64_t bytes;
	int fd;

	char nbd[256];

	if (d->format == XL_DISK_FORMAT_QCOW2 && blkback_qemu_nbd(nbd, sizeof(nbd)))
		return xvmm_err_set(err, -ENOENT, "disk %s: format qcow2 needs qemu-nbd (Debian's "
				    "qemu-utils) on PATH, or XVMM_QEMU_NBD", d->vdev);
	/* A qcow2 image is opened by qemu-nbd; this descriptor holds our lock. */
	fd = open(d->target, (d->readonly || d->format == XL_DISK_FORMAT_QCOW2 ? O_RDONLY : O_RDWR) |
		  O_CLOEXEC);
	if (fd < 0)
		return xvmm_err_set(err, -errno, "disk %s: %s: %s", d->vdev, d->target,
				    strerror(errno));
	/* One writer, or any number of readers, as xl's "disk in use" check wants. */
	if (flock(fd, (d->readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		int rc = -errno;

		close(fd);
		if (rc == -EWOULDBLOCK)
			return xvmm_err_set(err, -EBUSY, "disk %s: %s is in use by another domain%s",
					    d->vdev, d->target, d->readonly ? " that writes it" : "");
		return xvmm_err_set(err, rc, "disk %s: %s: %s", d->vdev, d->target, strerror(-rc));
	}
	if (fstat(fd, &st)) {
		int rc = -errno;

		close(fd);
		return xvmm_err_set(err, rc, "disk %s: %s: %s", d->vdev, d->target, strerror(-rc));
	}
	if (d->format == XL_DISK_FORMAT_QCOW2 && !S_ISREG(st.st_mode)) {
		close(fd);
		return xvmm_err_set(err, -EINVAL, "disk %s: %s: a qcow2 image must be a regular "
				    "file", d->vdev, d->target);
	}
	if (d->format == XL_DISK_FORMAT_QCOW2) {
		bytes = 512;		/* its size is known once qemu-nbd serves it */
		*is_file = true;
	} else if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
		*is_file = true;
	} else if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &bytes) == 0) {
		*is_file = false;
	} else {
		close(fd);
		return xvmm_err_set(err, -EINVAL, "disk %s: %s is not a regular file or block "
				    "device", d->vdev, d->target);
	}
	if (bytes < 512) {
		close(fd);
		return xvmm_err_set(err, -EINVAL, "disk %s: %s is smaller than a sector", d->vdev,
				    d->target);
	}
	*sectors = bytes >> BLKIF_SECTOR_SHIFT;
	*fd_out = fd;
	return 0;
}

int blkback_qemu_nbd(char *buf, size_t cap)
{
	const char *env = getenv("XVMM_QEMU_NBD"), *path = getenv("PATH");

	if (env && *env) {
		snprintf(buf, cap, "%s", env);
		return access(buf, X_OK) ? -errno : 0;
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
		size_t n = strcspn(p, ":");

		snprintf(buf, cap, "%.*s/qemu-nbd", (int)n, p);
		if (n && access(buf, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

/*
 * qcow2: start `qemu-nbd -f qcow2 -k SOCKET` on the image (writeback
 * cache, so the guest's flushes become NBD_CMD_FLUSH and qemu's fdatasync;
 * discard=unmap, so discards free clusters), wait for its socket,
 * handshake. Without --persistent it exits when we disconnect.
 */
static int nbd_start(struct blkback *bb, struct xvmm_err *err)
{
	const char *dir = getenv("XVMM_RUN_DIR");
	char prog[256];
	char *argv[16];
	int argc = 0, rc = -ETIMEDOUT;

	if (blkback_qemu_nbd(prog, sizeof(prog)))
		return xvmm_err_set(err, -ENOENT, "disk %s: no qemu-nbd", bb->disk.vdev);
	dir = dir && *dir ? dir : "/run/xvmm";
	mkdir(dir, 0700);
	snprintf(bb->nbd_sock, sizeof(bb->nbd_sock), "%s/dom%u-vbd%u.nbd", dir, bb->domid,
		 bb->disk.devid);
	unlink(bb->nbd_sock);
	argv[argc++] = prog;
	argv[argc++] = (char *)"-f";
	argv[argc++] = (char *)"qcow2";
	argv[argc++] = (char *)"-k";
	argv[argc++] = bb->nbd_sock;
	argv[argc++] = (char *)"--cache=writeback";
	argv[argc++] = (char *)(bb->disk.discard ? "--discard=unmap" : "--discard=ignore");
	if (bb->disk.readonly)
		argv[argc++] = (char *)"--read-only";
	argv[argc++] = bb->disk.target;
	argv[argc] = NULL;
	bb->nbd_pid = fork();
	if (bb->nbd_pid < 0) {
		bb->nbd_pid = 0;
		return xvmm_err_set(err, -errno, "disk %s: fork: %s", bb->disk.vdev, strerror(errno));
	}
	if (bb->nbd_pid == 0) {
		execv(prog, argv);
		_exit(127);
	}
	/* qemu-nbd needs a moment (seconds under emulation) to bind its socket. */
	for (int i = 0; i < 300; i++) {
		int st;

		rc = nbd_connect_unix(&bb->nbd, bb->nbd_sock);
		if (rc == 0 || (rc != -ENOENT && rc != -ECONNREFUSED))
			break;
		if (waitpid(bb->nbd_pid, &st, WNOHANG) == bb->nbd_pid) {
			bb->nbd_pid = 0;
			rc = -ECHILD;
			break;
		}
		poll(NULL, 0, 50);
	}
	if (rc) {
		nbd_stop(bb);
		return xvmm_err_set(err, rc, "disk %s: qemu-nbd for %s: %s", bb->disk.vdev,
				    bb->disk.target, rc == -ECHILD ? "it exited (see the runner's log)" :
				    strerror(-rc));
	}
	bb->is_nbd = true;
	if ((bb->nbd.flags & NBD_FLAG_READ_ONLY) && !bb->disk.readonly) {
		nbd_stop(bb);
		return xvmm_err_set(err, -EROFS, "disk %s: qemu-nbd serves %s read-only",
				    bb->disk.vdev, bb->disk.target);
	}
	if (bb->nbd.size < 512) {
		nbd_stop(bb);
		return xvmm_err_set(err, -EINVAL, "disk %s: %s is smaller than a sector",
				    bb->disk.vdev, bb->disk.target);
	}
	bb->sectors = bb->nbd.size >> BLKIF_SECTOR_SHIFT;
	return 0;
}

/*
 * A block device's logical and physical block sizes (BLKSSZGET,
 * BLKPBSZGET; the guest's sector-size and physical-sector-size); 512
 * for files and qcow2. Then the O_DIRECT descriptor, where the target
 * takes one.
 */
static void disk_geometry(struct blkback *bb)
{
	int lbs = 512;
	unsigned int pbs = 512;

	if (!bb->is_file && (ioctl(bb->disk_fd, BLKSSZGET, &lbs) || (lbs != 512 && lbs != 4096)))
		lbs = 512;	/* other sizes are not offered: 512-byte requests, the device says no */
	if (!bb->is_file && (ioctl(bb->disk_fd, BLKPBSZGET, &pbs) || pbs < (unsigned int)lbs ||
			     pbs % (unsigned int)lbs))
		pbs = (unsigned int)lbs;
	bb->sector_size = (unsigned int)lbs;
	bb->phys_sector_size = pbs;
	if (bb->disk.format != XL_DISK_FORMAT_QCOW2)
		bb->direct_fd = open(bb->disk.target, (bb->disk.readonly ? O_RDONLY : O_RDWR) |
				     O_DIRECT | O_CLOEXEC);
}

int blkback_add(struct xb_bus *bus, uint32_t domid, const struct xl_disk *d,
		void (*log)(void *arg, const char *msg), void *log_arg, struct xvmm_err *err)
{
	struct blkback *bb = calloc(1, sizeof(*bb));
	struct xb_dev *dev;
	int rc;

	if (!bb)
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	bb->disk = *d;
	bb->domid = domid;
	bb->xfd = -1;
	for (unsigned int i = 0; i < BB_MAX_QUEUES; i++)
		bb->q[i] = (struct bb_queue){ .bb = bb, .id = i, .evfd = -1, .stop = { -1, -1 } };
	bb->log = log;
	bb->log_arg = log_arg;
	bb->nbd.fd = -1;
	bb->direct_fd = -1;
	rc = blkback_open_target(d, &bb->disk_fd, &bb->sectors, &bb->is_file, err);
	if (rc) {
		free(bb);
		return rc;
	}
	disk_geometry(bb);
	if (d->format == XL_DISK_FORMAT_QCOW2 && (rc = nbd_start(bb, err))) {
		close(bb->disk_fd);
		free(bb);
		return rc;
	}
	dev = xb_dev_new(bus, &bb_ops, d->devid, bb, &rc);
	if (!dev) {
		nbd_stop(bb);
		close(bb->disk_fd);
		if (bb->direct_fd >= 0)
			close(bb->direct_fd);
		free(bb);
		return xvmm_err_set(err, rc, "disk %s: xenstore nodes: %s", d->vdev, strerror(-rc));
	}
	/* The rest of libxl's nodes (libxl_disk.c device_disk_add). */
	rc = xb_front_printf(dev, "virtual-device", "%u", d->devid);
	rc = rc ? rc : xb_front_printf(dev, "device-type", "%s", d->cdrom ? "cdrom" : "disk");
	rc = rc ? rc : xb_back_printf(dev, "params", "%s", d->target);
	rc = rc ? rc : xb_back_printf(dev, "type", "%s", bb->is_nbd ? "qdisk" :
							  bb->is_file ? "file" : "phy");
	rc = rc ? rc : xb_back_printf(dev, "mode", "%s", d->readonly ? "r" : "w");
	rc = rc ? rc : xb_back_printf(dev, "dev", "%s", d->vdev);
	rc = rc ? rc : xb_back_printf(dev, "device-type", "%s", d->cdrom ? "cdrom" : "disk");
	rc = rc ? rc : xb_back_printf(dev, "removable", "0");
	rc = rc ? rc : xb_back_printf(dev, "bootable", "1");
	rc = rc ? rc : xb_back_printf(dev, "discard-enable", "%d", d->discard ? 1 : 0);
	rc = rc ? rc : xb_dev_start(dev);
	if (rc) {
		xb_dev_remove(dev);	/* releases bb */
		return xvmm_err_set(err, rc, "disk %s: xenstore nodes: %s", d->vdev, strerror(-rc));
	}
	bb_log(bb, "%s, %s%llu sectors, %s, %u-byte blocks, %s", d->target,
	       bb->is_nbd ? "qcow2 through qemu-nbd, " : "", (unsigned long long)bb->sectors,
	       d->readonly ? "read-only" : "read-write", bb->sector_size,
	       bb->direct_fd >= 0 ? "O_DIRECT" : "buffered");
	return 0;
}
