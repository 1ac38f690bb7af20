// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctlfuzz: dom0 user space against /dev/xvmm (docs/trust.md, "What the
 * fuzzers cover"). Several threads make every ioctl of include/xvmm/ioctl.h
 * with structures whose every word is drawn from edge cases (0, 1, page-1,
 * huge, all ones, ids of domains that exist, never existed or were just
 * destroyed, pointers to unmapped, read-only, kernel, misaligned and valid
 * memory), pass the structure itself through bad pointers now and then,
 * mmap random offsets and leave some mapped, and close descriptors while
 * the others are in calls on them. Calls that block (DOM_RUN, DOM_WAIT)
 * are interrupted by a watchdog after 100 ms.
 *
 *   ioctlfuzz [seed=N] [calls=N] [threads=N]
 *
 * Domains alive at the start are never destroyed or shut down by it; the
 * ones it creates are destroyed at the end. Prints "ioctlfuzz: done N calls
 * (...)" and exits 0 unless the device itself went away. Whether the
 * kernel, the driver and the VMM survived is for the caller to check
 * (dmesg, `xvmm dmesg`, memory before and after).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

#define DEV "/dev/xvmm"
#define NFDS 4
#define MAX_THREADS 16

static const struct {
	const char *name;
	unsigned long cmd;
} ioctls[] = {
#define I(x) { #x, XVMM_IOCTL_##x }
	I(STATUS), I(LOG_READ), I(SELFTEST), I(MEMINFO), I(VERSION), I(IMAGE_TRUST),
	I(DOM_CREATE), I(DOM_WRITE), I(DOM_START), I(DOM_RUN), I(DOM_DESTROY), I(DOM_LIST),
	I(DOM_CONSOLE), I(DOM_SHUTDOWN), I(DOM_NOTIFY), I(DOM_WAIT), I(EVTCHN_BIND),
	I(DOM_PAUSE), I(DOM_UNPAUSE), I(DOM_VCPU_LIST),
	I(GNT_COPY), I(GNT_MAP), I(GNT_UNMAP), I(GNT_MAP_BATCH), I(GNT_UNMAP_BATCH),
#undef I
};
#define NIOCTLS (sizeof(ioctls) / sizeof(ioctls[0]))

static _Atomic int fds[NFDS];
static unsigned char *valid_buf, *ro_page, *none_page;
static unsigned int protected_ids[64], nr_protected;
static _Atomic unsigned int created_ids[256];
static _Atomic unsigned int nr_created;
static _Atomic unsigned long total_calls, ok_calls, mmaps_left;
static unsigned long calls_per_thread = 20000;
static _Atomic uint64_t busy_since[MAX_THREADS];
static pthread_t workers[MAX_THREADS];
static unsigned int nthreads = 4;
static _Atomic int stop;

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64*: reproducible from the seed, per thread. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int is_protected(unsigned int id)
{
	for (unsigned int i = 0; i < nr_protected; i++)
		if (protected_ids[i] == id)
			return 1;
	return 0;
}

static uint64_t domid_like(uint64_t *s)
{
	unsigned int n = atomic_load(&nr_created);

	switch (rnd(s) % 6) {
	case 0:
		return nr_protected ? protected_ids[rnd(s) % nr_protected] : 1;
	case 1:
		return n ? created_ids[rnd(s) % (n < 256 ? n : 256)] : 2;
	case 2:
		return rnd(s) % 40;
	case 3:
		return 0x7ff0 + rnd(s) % 16;	/* DOMID_FIRST_RESERVED and above */
	case 4:
		return 0xffff;
	default:
		return (uint32_t)rnd(s);
	}
}

static uint64_t pointer_like(uint64_t *s)
{
	switch (rnd(s) % 8) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)none_page;
	case 2:
		return (uintptr_t)ro_page;
	case 3:
		return 0xffff888000000000ull + (rnd(s) % (1u << 30));	/* the kernel's direct map */
	case 4:
		return (uintptr_t)valid_buf + 1 + rnd(s) % 4095;	/* misaligned */
	case 5:
		return (uintptr_t)valid_buf + 65536 - 1 - rnd(s) % 64;	/* runs off the end */
	case 6:
		return 0x800000000000ull;	/* not canonical */
	default:
		return (uintptr_t)valid_buf;
	}
}

static uint64_t value(uint64_t *s)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 31, 32, 33, 63, 64, 127, 128, 129, 4095, 4096, 4097, 65535, 65536,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 1ull << 21, (1ull << 21) + 1,
		1ull << 30, 1ull << 40, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
		~0ull - 4095, 0xfee00000, 0x100000, 0x9f000,
	};

	switch (rnd(s) % 5) {
	case 0:
		return edges[rnd(s) % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return domid_like(s) | (domid_like(s) << 32);
	case 2:
		return pointer_like(s);
	case 3:
		return rnd(s) % 300;
	default:
		return rnd(s);
	}
}

static void fill(uint64_t *s, unsigned char *buf, size_t size)
{
	for (size_t off = 0; off < size; off += 8) {
		uint64_t v = value(s);
		size_t n = size - off < 8 ? size - off : 8;

		if (rnd(s) % 3 == 0)	/* two 32-bit fields */
			v = (value(s) & 0xffffffffu) | (value(s) << 32);
		memcpy(buf + off, &v, n);
	}
	/* Names: sometimes a plausible one, sometimes no NUL at all. */
	if (size >= 32 && rnd(s) % 2)
		snprintf((char *)buf, 32, "fz%u", (unsigned int)(rnd(s) % 1000));
}

static void note_created(unsigned long cmd, const unsigned char *buf)
{
	const struct xvmm_ioctl_dom_create *c = (const void *)buf;
	unsigned int i;

	if (cmd != XVMM_IOCTL_DOM_CREATE)
		return;
	i = atomic_fetch_add(&nr_created, 1);
	if (i < 256)
		created_ids[i] = c->domid;
}

static void one_call(uint64_t *s, unsigned int self)
{
	static _Thread_local unsigned char buf[8192] __attribute__((aligned(64)));
	unsigned int k = rnd(s) % (NIOCTLS + 3);
	int fd = atomic_load(&fds[rnd(s) % NFDS]);
	unsigned long cmd;
	size_t size;
	void *arg = buf;
	long r;

	if (k == NIOCTLS) {	/* mmap at a random offset, left mapped now and then */
		size_t len = 4096 * (1 + rnd(s) % 3);
		off_t off = (off_t)(value(s) & ~4095ull & 0x7fffffffffffull);
		void *p = mmap(NULL, len, rnd(s) % 2 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, off);

		atomic_fetch_add(&total_calls, 1);
		if (p != MAP_FAILED) {
			atomic_fetch_add(&ok_calls, 1);
			if (rnd(s) % 4)
				munmap(p, len);
			else
				atomic_fetch_add(&mmaps_left, 1);
		}
		return;
	}
	if (k == NIOCTLS + 1) {	/* replace a descriptor under the others' feet */
		int nfd = open(DEV, O_RDWR);
		int old;

		if (nfd < 0)
			return;
		old = atomic_exchange(&fds[rnd(s) % NFDS], nfd);
		close(old);
		return;
	}
	if (k == NIOCTLS + 2) {	/* an ioctl number the driver does not have */
		cmd = _IOC(rnd(s) % 4, 'X', 9 + rnd(s) % 200, rnd(s) % 512);
		size = 0;
	} else {
		cmd = ioctls[k].cmd;
		size = _IOC_SIZE(cmd);
	}
	if ((cmd == XVMM_IOCTL_DOM_DESTROY || cmd == XVMM_IOCTL_DOM_SHUTDOWN ||
	     cmd == XVMM_IOCTL_DOM_PAUSE || cmd == XVMM_IOCTL_DOM_UNPAUSE) && nr_protected) {
		/* Never the test's own domains (a paused one would stop its progress). */
		unsigned int id;
		bool by_arg = cmd != XVMM_IOCTL_DOM_SHUTDOWN;

		fill(s, buf, sizeof(buf) < size ? sizeof(buf) : size);
		id = by_arg ? (unsigned int)(rnd(s) % 64) : *(uint32_t *)buf;
		if (is_protected(id))
			return;
		if (by_arg)
			arg = (void *)(uintptr_t)id;
	} else {
		fill(s, buf, size < sizeof(buf) ? size : sizeof(buf));
		if (cmd == XVMM_IOCTL_DOM_CREATE && rnd(s) % 3 == 0) {
			/* Plausible, so that the calls on the domain get far. */
			struct xvmm_ioctl_dom_create *c = (void *)buf;

			snprintf(c->name, sizeof(c->name), "fz%u", (unsigned int)(rnd(s) % 100000));
			c->nr_vcpus = 1 + rnd(s) % 2;
			c->nr_special = rnd(s) % 5;
			c->ram_size = (2ull << 20) * (1 + rnd(s) % 4);
			c->ram_max = rnd(s) % 2 ? 0 : c->ram_size * 2;	/* maxmem: none, or twice */
			c->special_gpa = 0xfc000000;
			c->flags = 0;
		}
		if (cmd == XVMM_IOCTL_SELFTEST)
			arg = (void *)(uintptr_t)(rnd(s) % 4);
		else if (rnd(s) % 10 == 0)
			arg = (void *)(uintptr_t)pointer_like(s);
	}
	atomic_store(&busy_since[self], now_ms());
	r = ioctl(fd, cmd, arg);
	atomic_store(&busy_since[self], 0);
	atomic_fetch_add(&total_calls, 1);
	if (r >= 0) {
		atomic_fetch_add(&ok_calls, 1);
		if (arg == buf)
			note_created(cmd, buf);
	}
}

static void *worker(void *p)
{
	unsigned int self = (unsigned int)(uintptr_t)p;
	uint64_t s = *(uint64_t *)&valid_buf[8 * self] | 1;

	for (unsigned long i = 0; i < calls_per_thread && !atomic_load(&stop); i++)
		one_call(&s, self);
	return NULL;
}

static void on_kick(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	unsigned long calls = 20000;
	struct xvmm_dom_info infos[64];
	struct xvmm_ioctl_dom_list list = { .nr = 64, .doms = (uintptr_t)infos };
	struct sigaction sa = { .sa_handler = on_kick };
	unsigned char joined[MAX_THREADS] = { 0 };
	int fd0, done = 0;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "seed=", 5))
			seed = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "calls=", 6))
			calls = strtoul(argv[i] + 6, NULL, 0);
		else if (!strncmp(argv[i], "threads=", 8))
			nthreads = strtoul(argv[i] + 8, NULL, 0);
		else {
			fprintf(stderr, "usage: ioctlfuzz [seed=N] [calls=N] [threads=N]\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > MAX_THREADS)
		nthreads = 4;
	calls_per_thread = calls / nthreads + 1;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: blocked calls return EINTR */

	valid_buf = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (valid_buf == MAP_FAILED || ro_page == MAP_FAILED || none_page == MAP_FAILED)
		return 2;
	{
		uint64_t s = seed * 0x9e3779b97f4a7c15ull | 1;

		for (unsigned int i = 0; i < 65536 / 8; i++)
			((uint64_t *)valid_buf)[i] = rnd(&s);
	}
	fd0 = open(DEV, O_RDWR);
	if (fd0 < 0) {
		fprintf(stderr, "ioctlfuzz: %s: %s\n", DEV, strerror(errno));
		return 2;
	}
	if (!ioctl(fd0, XVMM_IOCTL_DOM_LIST, &list))
		for (unsigned int i = 0; i < list.nr && i < 64; i++)
			protected_ids[nr_protected++] = infos[i].domid;
	for (int i = 0; i < NFDS; i++)
		fds[i] = open(DEV, O_RDWR);

	for (unsigned int t = 0; t < nthreads; t++)
		pthread_create(&workers[t], NULL, worker, (void *)(uintptr_t)t);
	/* Watchdog: a call blocked for 100 ms is interrupted. */
	while (!done) {
		unsigned int alive = 0;

		usleep(20000);
		for (unsigned int t = 0; t < nthreads; t++) {
			uint64_t b = atomic_load(&busy_since[t]);

			if (joined[t])
				continue;
			if (pthread_tryjoin_np(workers[t], NULL) != EBUSY) {
				joined[t] = 1;
				continue;
			}
			alive++;
			if (b && now_ms() - b > 100)
				pthread_kill(workers[t], SIGUSR1);
		}
		done = !alive;
	}
	/*
	 * What it made goes: every domain not there at the start. The list
	 * shows 64 at a time and the fuzzer may leave hundreds (there is no
	 * fixed domain table any more): again until a pass destroys none.
	 */
	for (int pass = 0; pass < 1000; pass++) {
		unsigned int gone = 0;

		list.nr = 64;
		if (ioctl(fd0, XVMM_IOCTL_DOM_LIST, &list))
			break;
		for (unsigned int i = 0; i < list.nr && i < 64; i++)
			if (!is_protected(infos[i].domid) &&
			    !ioctl(fd0, XVMM_IOCTL_DOM_DESTROY, (unsigned long)infos[i].domid))
				gone++;
		if (!gone)
			break;
	}
	for (int i = 0; i < NFDS; i++)
		close(fds[i]);
	printf("ioctlfuzz: done %lu calls (%lu succeeded, %u domains created, %lu mmaps left until exit), seed %llu\n",
	       (unsigned long)total_calls, (unsigned long)ok_calls, (unsigned int)nr_created,
	       (unsigned long)mmaps_left, seed);
	close(fd0);
	return 0;
}
