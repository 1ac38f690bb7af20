// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dom0 side of tests/system/t-grant-scale.sh: drives gntpeer test
 * guests (tests/guests/gntpeer.c) through their mailbox grant (ref 14,
 * written and read with GNT_COPY), and maps many grants of one in a batch.
 *
 *   gntpeer_ctl cmd DOMID CMD [ARG1 [ARG2]]   one mailbox command; prints
 *                                             "result N" (the guest's answer)
 *   gntpeer_ctl batch DOMID N                 GNT_MAP_BATCH of refs 512..512+N-1
 *                                             (after the guest's MANY N), check
 *                                             statuses and a few pages through
 *                                             mmap, GNT_UNMAP_BATCH; "ok batch-*"
 *                                             / "not ok batch-*: why" lines
 * Exits 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

#define REF_MBOX	14
#define REF_MANY	512
#define NR_POOL		16

static int fd;
static int failed;

static void check(int ok, const char *name, const char *why)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("not ok %s: %s\n", name, why);
		failed = 1;
	}
	fflush(stdout);
}

static int copy(unsigned int domid, void *buf, unsigned short off, unsigned short len, int to_guest)
{
	struct xvmm_gnt_copy s = {
		.buf = (unsigned long)buf, .ref = REF_MBOX, .offset = off, .len = len,
		.flags = to_guest ? XVMM_GNT_TO_GUEST : 0,
	};
	struct xvmm_ioctl_gnt_copy c = { .domid = domid, .nr = 1, .segs = (unsigned long)&s };

	if (ioctl(fd, XVMM_IOCTL_GNT_COPY, &c))
		return -errno;
	return s.status;
}

static int mbox_cmd(unsigned int domid, unsigned int cmd, unsigned int a1, unsigned int a2,
		    int *result)
{
	unsigned int seq, args[3] = { cmd, a1, a2 }, ack[2];
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (copy(domid, ack, 0, 4, 0))
		return -1;
	seq = ack[0] + 1;
	if (copy(domid, args, 4, sizeof(args), 1) || copy(domid, &seq, 0, 4, 1))
		return -1;
	for (int i = 0; i < 3000; i++) {	/* 60 s */
		if (copy(domid, ack, 64, sizeof(ack), 0))
			return -1;
		if (ack[0] == seq) {
			*result = (int)ack[1];
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	return -2;
}

static void batch(unsigned int domid, unsigned int n)
{
	struct xvmm_ioctl_gnt_map_seg *segs = calloc(n, sizeof(*segs));
	struct xvmm_gnt_unmap *u = calloc(n, sizeof(*u));
	struct xvmm_ioctl_gnt_batch b = { .domid = domid, .nr = n, .segs = (unsigned long)segs };
	unsigned int ok = 0, good_pages = 0;
	char why[128];

	if (!segs || !u)
		exit(2);
	for (unsigned int i = 0; i < n; i++)
		segs[i] = (struct xvmm_ioctl_gnt_map_seg){ .ref = REF_MANY + i, .status = 99,
							   .flags = i % 2 ? XVMM_GNT_MAP_READONLY : 0 };
	check(ioctl(fd, XVMM_IOCTL_GNT_MAP_BATCH, &b) == 0, "batch-map-call", strerror(errno));
	for (unsigned int i = 0; i < n; i++)
		ok += segs[i].status == 0;
	snprintf(why, sizeof(why), "%u of %u mapped (first status %d)", ok, n, segs[0].status);
	check(ok == n, "batch-map-all", why);
	for (unsigned int i = 0; i < n; i += n / 8 ? n / 8 : 1) {
		unsigned char *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, segs[i].offset);

		if (p == MAP_FAILED)
			continue;
		good_pages += p[0] == (i % NR_POOL) * 16 + 1 && p[4095] == p[0];
		munmap(p, 4096);
	}
	snprintf(why, sizeof(why), "%u pages read right", good_pages);
	check(good_pages >= 8, "batch-pages-read", why);
	for (unsigned int i = 0; i < n; i++)
		u[i] = (struct xvmm_gnt_unmap){ .handle = segs[i].handle, .status = 99 };
	b.segs = (unsigned long)u;
	check(ioctl(fd, XVMM_IOCTL_GNT_UNMAP_BATCH, &b) == 0, "batch-unmap-call", strerror(errno));
	ok = 0;
	for (unsigned int i = 0; i < n; i++)
		ok += u[i].status == 0;
	snprintf(why, sizeof(why), "%u of %u unmapped", ok, n);
	check(ok == n, "batch-unmap-all", why);
	/* Unmapped: their handles are gone. */
	check(ioctl(fd, XVMM_IOCTL_GNT_UNMAP_BATCH, &b) == 0 && u[0].status == -ENOENT,
	      "batch-unmap-again-enoent", "handle still there");
}

int main(int argc, char **argv)
{
	unsigned int domid;

	if (argc < 4) {
		fprintf(stderr, "usage: gntpeer_ctl cmd DOMID CMD [A1 [A2]] | batch DOMID N\n");
		return 2;
	}
	fd = open(XVMM_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(XVMM_DEVICE);
		return 2;
	}
	domid = (unsigned int)strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "cmd")) {
		int result = 0, rc = mbox_cmd(domid, (unsigned int)strtoul(argv[3], NULL, 0),
					      argc > 4 ? (unsigned int)strtoul(argv[4], NULL, 0) : 0,
					      argc > 5 ? (unsigned int)strtoul(argv[5], NULL, 0) : 0,
					      &result);

		if (rc) {
			printf("mailbox failed (%d)\n", rc);
			return 1;
		}
		printf("result %d\n", result);
		return 0;
	}
	if (!strcmp(argv[1], "batch")) {
		batch(domid, (unsigned int)strtoul(argv[3], NULL, 0));
		return failed;
	}
	return 2;
}
