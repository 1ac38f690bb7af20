// SPDX-License-Identifier: GPL-2.0-only
/*
 * loopdev attach FILE BLOCKSIZE: a free loop device over FILE with the
 * given logical block size (LOOP_CONFIGURE, Linux 5.8+), its name on
 * stdout; loopdev detach DEV: take it off again. The test machine's
 * busybox losetup cannot set a block size, and t-blk needs a disk with
 * 4096-byte sectors.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int attach(const char *file, unsigned int bs)
{
	struct loop_config cfg;
	char dev[32];
	int ctl, nr, lfd, ffd;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		fprintf(stderr, "loopdev: /dev/loop-control: %s\n", strerror(errno));
		return 1;
	}
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0) {
		fprintf(stderr, "loopdev: no free loop device: %s\n", strerror(errno));
		return 1;
	}
	snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
	/* devtmpfs makes the node; give it a moment. */
	for (int i = 0; i < 50 && (lfd = open(dev, O_RDWR | O_CLOEXEC)) < 0; i++)
		usleep(20000);
	ffd = open(file, O_RDWR | O_CLOEXEC);
	if (lfd < 0 || ffd < 0) {
		fprintf(stderr, "loopdev: %s: %s\n", lfd < 0 ? dev : file, strerror(errno));
		return 1;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (unsigned int)ffd;
	cfg.block_size = bs;
	if (ioctl(lfd, LOOP_CONFIGURE, &cfg) < 0) {
		fprintf(stderr, "loopdev: LOOP_CONFIGURE %s: %s\n", dev, strerror(errno));
		return 1;
	}
	printf("%s\n", dev);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "attach"))
		return attach(argv[2], (unsigned int)strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "detach")) {
		int fd = open(argv[2], O_RDWR | O_CLOEXEC);

		if (fd < 0 || ioctl(fd, LOOP_CLR_FD, 0) < 0) {
			fprintf(stderr, "loopdev: detach %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: loopdev attach FILE BLOCKSIZE | loopdev detach DEV\n");
	return 2;
}
