// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn_ping DOMID PORT COUNT: dom0's end of the evtchn guest's echo
 * (tests/guests/evtchn.c). Binds the guest's port (XVMM_IOCTL_EVTCHN_BIND),
 * then COUNT times: signals it (write), waits on the descriptor with
 * poll(2) (10 s at most), reads the answer. Prints
 *   pings COUNT answered N
 *   rtt-us median M p90 P min A max B
 * and exits 0 if every ping was answered. Also checks the descriptor's
 * own rules before the first ping: a second bind of the port is EBUSY,
 * a read with nothing signalled is EAGAIN (O_NONBLOCK).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int bind_port(int dev, uint32_t domid, uint32_t port)
{
	struct xvmm_ioctl_evtchn_bind b = { .domid = domid, .port = port };

	return ioctl(dev, XVMM_IOCTL_EVTCHN_BIND, &b) < 0 ? -errno : b.fd;
}

int main(int argc, char **argv)
{
	uint32_t domid, port, got;
	unsigned long count, n = 0;
	uint64_t *rtt;
	int dev, fd, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: evtchn_ping DOMID PORT COUNT\n");
		return 2;
	}
	domid = (uint32_t)strtoul(argv[1], NULL, 0);
	port = (uint32_t)strtoul(argv[2], NULL, 0);
	count = strtoul(argv[3], NULL, 0);
	rtt = calloc(count ? count : 1, sizeof(*rtt));
	dev = open(XVMM_DEVICE, O_RDWR);
	if (dev < 0 || !rtt) {
		perror("evtchn_ping: " XVMM_DEVICE);
		return 1;
	}
	fd = bind_port(dev, domid, port);
	if (fd < 0) {
		fprintf(stderr, "evtchn_ping: bind d%u port %u: %s\n", domid, port, strerror(-fd));
		return 1;
	}
	rc = bind_port(dev, domid, port);
	if (rc != -EBUSY) {
		fprintf(stderr, "evtchn_ping: second bind gave %d, expected -EBUSY\n", rc);
		return 1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (read(fd, &got, sizeof(got)) >= 0 || errno != EAGAIN) {
		fprintf(stderr, "evtchn_ping: read with nothing signalled did not say EAGAIN\n");
		return 1;
	}

	for (n = 0; n < count; n++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t t0 = now_ns();

		if (write(fd, &port, sizeof(port)) != sizeof(port)) {
			perror("evtchn_ping: write");
			break;
		}
		rc = poll(&p, 1, 10000);
		if (rc <= 0 || !(p.revents & POLLIN)) {
			fprintf(stderr, "evtchn_ping: no answer to ping %lu (poll %d, revents %#x)\n",
				n + 1, rc, rc > 0 ? p.revents : 0);
			break;
		}
		if (read(fd, &got, sizeof(got)) != sizeof(got) || got != port) {
			fprintf(stderr, "evtchn_ping: read after ping %lu failed\n", n + 1);
			break;
		}
		rtt[n] = now_ns() - t0;
	}
	printf("pings %lu answered %lu\n", count, n);
	if (n) {
		qsort(rtt, n, sizeof(*rtt), cmp);
		printf("rtt-us median %.1f p90 %.1f min %.1f max %.1f\n", rtt[(n - 1) / 2] / 1e3,
		       rtt[(n * 9 + 9) / 10 - 1] / 1e3, rtt[0] / 1e3, rtt[n - 1] / 1e3);
	}
	close(fd);
	return n == count ? 0 : 1;
}
