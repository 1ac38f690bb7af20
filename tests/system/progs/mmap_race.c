// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap_race DOMID SECONDS: two threads of one process against the driver's
 * lock order. One mmap()s and munmap()s special page 0 of DOMID over and
 * over (mmap runs under the process's mm lock); the other lists domains
 * into a fresh, untouched anonymous buffer each time, so the driver's
 * copy_to_user faults (taking the mm lock) while the driver holds its own
 * lock. If mmap waited for that lock, the two would deadlock. Prints the
 * counts and exits 0 when both threads made progress and every call
 * succeeded; a deadlock shows as this process never exiting.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

static int fd;
static unsigned int domid;
static volatile int stop;
static unsigned long maps, map_errors, lists, list_errors;

static void *mapper(void *arg)
{
	(void)arg;
	while (!stop) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
			       (off_t)XVMM_MMAP_SPECIAL(domid, 0));

		if (p == MAP_FAILED) {
			map_errors++;
			continue;
		}
		(void)*(volatile unsigned char *)p;
		munmap(p, 4096);
		maps++;
	}
	return NULL;
}

static void *lister(void *arg)
{
	(void)arg;
	while (!stop) {
		size_t len = 4 * sizeof(struct xvmm_dom_info);
		void *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct xvmm_ioctl_dom_list req = { .nr = 4, .doms = (__u64)(unsigned long)buf };

		if (buf == MAP_FAILED || ioctl(fd, XVMM_IOCTL_DOM_LIST, &req) < 0 || req.nr < 1)
			list_errors++;
		else
			lists++;
		if (buf != MAP_FAILED)
			munmap(buf, len);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	if (argc != 3) {
		fprintf(stderr, "usage: mmap_race DOMID SECONDS\n");
		return 2;
	}
	domid = (unsigned int)strtoul(argv[1], NULL, 0);
	fd = open("/dev/xvmm", O_RDWR);
	if (fd < 0) {
		perror("/dev/xvmm");
		return 2;
	}
	if (pthread_create(&a, NULL, mapper, NULL) || pthread_create(&b, NULL, lister, NULL))
		return 2;
	sleep((unsigned int)atoi(argv[2]));
	stop = 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("mmap_race: %lu maps (%lu failed), %lu lists (%lu failed)\n",
	       maps, map_errors, lists, list_errors);
	return maps && lists && !map_errors && !list_errors ? 0 : 1;
}
