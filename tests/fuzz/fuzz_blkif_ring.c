// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: blkback's ring code (tools/backend/blkif_ring.c) on a
 * frontend's bytes. The input is the shared ring page (header indices and
 * every slot, as a malicious frontend may write them), then up to eight
 * granted pages (data and indirect descriptors); one leading byte picks
 * the disk's options (read-only, discard, 4096-byte blocks, indirect
 * requests). Checks what the backend promises whatever the ring holds:
 * every I/O it does lies inside the disk and on its blocks, a read-only
 * disk is never written, it never answers more than it consumed, and a
 * ring whose indices were made up stops for good.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blkif_ring.h"

#define PAGE		4096u
#define NGRANT		8u
#define DISK_BYTES	(64u * 1024)

static unsigned char disk[DISK_BYTES];
static unsigned char grants[NGRANT][PAGE];
static struct blk_ring *ring;
static _Alignas(4096) unsigned char sring[PAGE];
static bool ro;
static unsigned int bs;

static int f_copy(void *ctx, const struct blk_seg *segs, unsigned int nr, void *buf, bool to_guest)
{
	unsigned char *p = buf;

	(void)ctx;
	for (unsigned int i = 0; i < nr; i++) {
		if (segs[i].gref >= NGRANT)
			return -EACCES;
		if (segs[i].offset + segs[i].len > PAGE)
			abort();		/* a segment the ring should have refused */
		if (to_guest)
			memcpy(grants[segs[i].gref] + segs[i].offset, p, segs[i].len);
		else
			memcpy(p, grants[segs[i].gref] + segs[i].offset, segs[i].len);
		p += segs[i].len;
	}
	return 0;
}

static void in_disk(size_t len, uint64_t off)
{
	if (off > DISK_BYTES || len > DISK_BYTES - off || off % bs || len % bs)
		abort();
}

static int f_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	in_disk(len, off);
	memcpy(buf, disk + off, len);
	return 0;
}

static int f_write(void *ctx, const void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	if (ro)
		abort();
	in_disk(len, off);
	memcpy(disk + off, buf, len);
	return 0;
}

static int f_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static int f_discard(void *ctx, uint64_t off, uint64_t len)
{
	(void)ctx;
	if (ro || len > SIZE_MAX)
		abort();
	in_disk((size_t)len, off);
	return 0;
}

static const struct blk_io_ops ops = {
	.gnt_copy = f_copy, .read = f_read, .write = f_write, .flush = f_flush,
	.discard = f_discard,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xen_sring_hdr *h = (struct xen_sring_hdr *)sring;
	RING_IDX start;
	uint8_t opt;

	if (size < 1 + sizeof(*h))
		return 0;
	if (!ring && !(ring = aligned_alloc(4096, sizeof(*ring))))
		abort();
	opt = data[0];
	data++;
	size--;
	memset(sring, 0, sizeof(sring));
	memcpy(sring, data, size < PAGE ? size : PAGE);
	memset(grants, 0, sizeof(grants));
	if (size > PAGE)
		memcpy(grants, data + PAGE, size - PAGE < sizeof(grants) ? size - PAGE : sizeof(grants));
	ro = opt & 1;
	bs = opt & 4 ? 4096 : 512;
	if (blk_ring_init(ring, sring, 0, DISK_BYTES / 512, ro, opt & 2, &ops, NULL))
		abort();
	ring->sector_size = bs;
	ring->max_indirect = opt & 8 ? BLK_MAX_INDIRECT_SEGMENTS : 0;
	start = ring->req_cons;
	blk_ring_process(ring);
	/* A second pass, as after the next event: a broken ring stays stopped. */
	if (ring->broken) {
		RING_IDX cons = ring->req_cons;

		blk_ring_process(ring);
		if (ring->req_cons != cons)
			abort();
	} else {
		blk_ring_process(ring);
	}
	/* Never more answers than requests taken, never more than a ring's worth. */
	if ((RING_IDX)(ring->rsp_prod_pvt - start) != (RING_IDX)(ring->req_cons - start) ||
	    (RING_IDX)(ring->req_cons - start) > ring->size)
		abort();
	return 0;
}
