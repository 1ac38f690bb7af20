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
 *
 * evtchn_ping --hup DOMID PORT: binds and waits (30 s at most) for the
 * domain to go away: POLLHUP, then read gives 0 and write fails; exits 0.
 *
 * evtchn_ping --pipe COUNT [same|cross]: the same round trip between two
 * dom0 processes over pipes (write, poll, read on each side), the
 * baseline bench/evtchn-rtt measures beside it: "pipe-rtt-us median ...".
 * "same" pins both to CPU 0, "cross" the echoing child to CPU 0 and the
 * pinger to CPU 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <sys/wait.h>
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

static void report(const char *what, uint64_t *rtt, unsigned long n)
{
	if (!n)
		return;
	qsort(rtt, n, sizeof(*rtt), cmp);
	printf("%s median %.1f p90 %.1f min %.1f max %.1f\n", what, rtt[(n - 1) / 2] / 1e3,
	       rtt[(n * 9 + 9) / 10 - 1] / 1e3, rtt[0] / 1e3, rtt[n - 1] / 1e3);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("evtchn_ping: sched_setaffinity");
}

/* Two processes, a pipe each way; the child echoes what it reads. */
static int pipe_pingpong(unsigned long count, const char *placement)
{
	int child_cpu = -1, parent_cpu = -1;
	int to[2], from[2];
	unsigned long n;
	uint64_t *rtt = calloc(count ? count : 1, sizeof(*rtt));
	uint32_t v = 0;
	pid_t pid;

	if (placement && !strcmp(placement, "same"))
		child_cpu = parent_cpu = 0;
	else if (placement && !strcmp(placement, "cross"))
		child_cpu = 0, parent_cpu = 1;
	if (!rtt || pipe(to) || pipe(from))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		pin(child_cpu);
		close(to[1]);
		close(from[0]);
		while (read(to[0], &v, sizeof(v)) == sizeof(v))
			if (write(from[1], &v, sizeof(v)) != sizeof(v))
				break;
		_exit(0);
	}
	pin(parent_cpu);
	close(to[0]);
	close(from[1]);
	for (n = 0; n < count; n++) {
		struct pollfd p = { .fd = from[0], .events = POLLIN };
		uint64_t t0 = now_ns();

		if (write(to[1], &v, sizeof(v)) != sizeof(v) || poll(&p, 1, 10000) != 1 ||
		    read(from[0], &v, sizeof(v)) != sizeof(v))
			break;
		rtt[n] = now_ns() - t0;
	}
	close(to[1]);
	waitpid(pid, NULL, 0);
	printf("pipe pings %lu answered %lu\n", count, n);
	report("pipe-rtt-us", rtt, n);
	return n == count ? 0 : 1;
}

/* The domain is destroyed under a bound descriptor: it hangs up. */
static int wait_hangup(int dev, uint32_t domid, uint32_t port)
{
	struct pollfd p;
	uint32_t got;
	int fd = bind_port(dev, domid, port), rc;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "evtchn_ping: bind d%u port %u: %s\n", domid, port, strerror(-fd));
		return 1;
	}
	printf("bound, waiting for the domain to go\n");
	fflush(stdout);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	rc = poll(&p, 1, 30000);
	if (rc != 1 || !(p.revents & POLLHUP)) {
		fprintf(stderr, "evtchn_ping: poll %d, revents %#x: no hang-up\n", rc, p.revents);
		return 1;
	}
	n = read(fd, &got, sizeof(got));
	if (n != 0) {
		fprintf(stderr, "evtchn_ping: read after hang-up gave %zd\n", n);
		return 1;
	}
	if (write(fd, &port, sizeof(port)) >= 0) {
		fprintf(stderr, "evtchn_ping: write after hang-up succeeded\n");
		return 1;
	}
	printf("hung up (write: %s)\n", strerror(errno));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t domid, port, got;
	unsigned long count, n = 0;
	uint64_t *rtt;
	int dev, fd, rc;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--pipe"))
		return pipe_pingpong(strtoul(argv[2], NULL, 0), argc == 4 ? argv[3] : NULL);
	if (argc == 4 && !strcmp(argv[1], "--hup")) {
		dev = open(XVMM_DEVICE, O_RDWR);
		if (dev < 0) {
			perror("evtchn_ping: " XVMM_DEVICE);
			return 1;
		}
		return wait_hangup(dev, (uint32_t)strtoul(argv[2], NULL, 0),
				   (uint32_t)strtoul(argv[3], NULL, 0));
	}
	if (argc != 4) {
		fprintf(stderr, "usage: evtchn_ping DOMID PORT COUNT | --hup DOMID PORT | --pipe COUNT [same|cross]\n");
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
	report("rtt-us", rtt, n);
	close(fd);
	return n == count ? 0 : 1;
}
