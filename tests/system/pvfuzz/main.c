// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvfuzz [seed=N] [secs=N] [kinds=vbd,vif] [exit=1] [hold=N] [trace=1]
 *
 * Finds the domain's PV devices (the entries of device/vbd and device/vif), then, until
 * secs run out, takes them in turn: each round connects one device (with
 * good or malformed nodes), sends random and malformed ring traffic,
 * checks what comes back, and disconnects. exit=1: at the deadline it
 * leaves at once, rings connected and requests in flight, as a frontend
 * that dies does. The last line says PASS or FAIL with the counts; the
 * exit status is 0 only for PASS. The same seed gives the same choices
 * (timing aside). hold=N: connect every device with good nodes, queue
 * requests, then answer nothing for N seconds (no responses taken, no
 * state change followed) and leave: a frontend that stopped answering,
 * for dom0's detach to time out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvfuzz.h"

struct fz_stats fz;
int fz_trace;
static uint64_t rng_state = 1, deadline_ms;
static bool midway_exit;
static unsigned int hold_secs;

uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)((rnd() >> 32) % n);
}

bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

void rnd_fill(void *p, size_t n)
{
	unsigned char *b = p;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = rnd();

		memcpy(b + i, &v, n - i < 8 ? n - i : 8);
	}
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

bool out_of_time(void)
{
	return now_ms() >= deadline_ms;
}

bool exit_midway(void)
{
	return midway_exit;
}

bool holding(void)
{
	return hold_secs != 0;
}

void fz_say(const char *fmt, ...)
{
	va_list ap;

	printf("pvfuzz: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void fz_log(const char *fmt, ...)
{
	va_list ap;

	if (!fz_trace)
		return;
	printf("pvfuzz: . ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

bool fz_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	fz.checks++;
	if (ok)
		return true;
	fz.failures++;
	printf("pvfuzz: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return false;
}

/* ---- xenbus states ---- */

int fz_be_state(const struct fz_dev *d)
{
	return (int)xs_read_num(d->back, "state", 0);
}

void fz_fe_state(const struct fz_dev *d, int state)
{
	xs_printf(d->front, "state", "%d", state);
}

int fz_wait_be(const struct fz_dev *d, unsigned int mask, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		int s = fz_be_state(d);

		if (s >= 0 && s < 32 && (mask & (1u << s)))
			return s;
		if (now_ms() >= end)
			return -1;
		sleep_ms(20);
	}
}

bool fz_reset(const struct fz_dev *d)
{
	uint64_t end = now_ms() + 15000;

	while (now_ms() < end) {
		switch (fz_be_state(d)) {
		case XB_INITWAIT:
			return true;
		case XB_CLOSED:
			fz_fe_state(d, XB_INITIALISING);
			fz_wait_be(d, XBS(XB_INITWAIT), 2000);
			break;
		case XB_INITIALISING:
			sleep_ms(50);
			break;
		default:		/* connected, closing, or a frontend left it anywhere */
			fz_fe_state(d, XB_CLOSED);
			fz_wait_be(d, XBS(XB_CLOSED), 2000);
			break;
		}
	}
	return fz_check(false, "%s: the backend did not come back to InitWait in 15 s (state %d)",
			d->back, fz_be_state(d));
}

void fz_disconnect(const struct fz_dev *d)
{
	if (chance(50)) {
		fz_fe_state(d, XB_CLOSING);
		fz_check(fz_wait_be(d, XBS(XB_CLOSING) | XBS(XB_CLOSED), 5000) >= 0,
			 "%s: frontend Closing, the backend did not follow in 5 s (state %d)", d->back,
			 fz_be_state(d));
	}
	fz_fe_state(d, XB_CLOSED);
	fz_check(fz_wait_be(d, XBS(XB_CLOSED), 5000) >= 0,
		 "%s: frontend Closed, the backend did not close in 5 s (state %d)", d->back,
		 fz_be_state(d));
}

/* ---- devices ---- */

#define MAX_DEVS 16

static int find_devs(const char *kind, struct fz_dev *devs, int n)
{
	char dir[32], names[2048];
	int count;

	snprintf(dir, sizeof(dir), "device/%s", kind);
	count = xs_dir(dir, names, sizeof(names));
	for (int i = 0, off = 0; i < count && n < MAX_DEVS; i++) {
		struct fz_dev *d = &devs[n];
		const char *name = names + off;

		off += (int)strlen(name) + 1;
		d->kind = kind;
		d->devid = (unsigned int)strtoul(name, NULL, 10);
		snprintf(d->front, sizeof(d->front), "%s/%s", dir, name);
		if (xs_read_key(d->front, "backend", d->back, sizeof(d->back)) <= 0) {
			fz_say("%s: no backend node, skipped", d->front);
			continue;
		}
		fz_say("%s: backend %s, state %d", d->front, d->back, fz_be_state(d));
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	unsigned int secs = 60;
	const char *kinds = "vbd,vif";
	struct fz_dev devs[MAX_DEVS];
	int n = 0, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "seed=", 5))
			seed = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "secs=", 5))
			secs = (unsigned int)strtoul(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "kinds=", 6))
			kinds = argv[i] + 6;
		else if (!strcmp(argv[i], "exit=1"))
			midway_exit = true;
		else if (!strncmp(argv[i], "hold=", 5))
			hold_secs = (unsigned int)strtoul(argv[i] + 5, NULL, 0);
		else if (!strcmp(argv[i], "trace=1"))
			fz_trace = 1;
		else {
			fprintf(stderr, "usage: pvfuzz [seed=N] [secs=N] [kinds=vbd,vif] [exit=1] [hold=N] "
				"[trace=1]\n");
			return 2;
		}
	}
	rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
	if ((rc = xs_open()) || (rc = gnt_open()) || (rc = evt_open())) {
		fz_say("FAIL: opening /dev/xen/{xenbus,gntalloc,evtchn}: %s (modules xen-gntalloc, "
		       "xen-evtchn loaded?)", strerror(-rc));
		return 1;
	}
	if (strstr(kinds, "vbd"))
		n = find_devs("vbd", devs, n);
	if (strstr(kinds, "vif"))
		n = find_devs("vif", devs, n);
	if (!n) {
		fz_say("FAIL: no device to fuzz (disk = [...] / vif = [...] in the config)");
		return 1;
	}
	vbd_init();
	vif_init();
	fz_say("seed %llu, %u s, %d device(s)%s", seed, secs, n, midway_exit ? ", exit midway" : "");
	deadline_ms = now_ms() + (uint64_t)secs * 1000u;
	if (hold_secs) {
		for (int i = 0; i < n; i++) {
			if (!strcmp(devs[i].kind, "vbd"))
				vbd_round(&devs[i]);
			else
				vif_round(&devs[i]);
		}
		fz_say("holding %d device(s) connected for %u s, answering nothing", n, hold_secs);
		sleep_ms(hold_secs * 1000u);
		fz_say("hold over: %lu connects, %lu failures", fz.connects, fz.failures);
		return fz.failures ? 1 : 0;
	}
	/* exit=1 goes on past the deadline until a round is connected to leave from. */
	while (!out_of_time() || (midway_exit && now_ms() < deadline_ms + 60000)) {
		const struct fz_dev *d = &devs[rnd_below((uint32_t)n)];

		fz.rounds++;
		if (!strcmp(d->kind, "vbd"))
			vbd_round(d);
		else
			vif_round(d);
		if (fz.failures > 20)
			break;
	}
	fz_check(!midway_exit, "exit=1: no round connected in the minute after the deadline");
	/* Leave every device as a frontend that went away cleanly would. */
	if (!midway_exit)
		for (int i = 0; i < n; i++)
			if (fz_be_state(&devs[i]) != XB_INITWAIT)
				fz_reset(&devs[i]);
	fz_say("%s seed %llu: %lu rounds, %lu connects, %lu refused, %lu requests, %lu responses, "
	       "%lu data checks, %lu index jumps, %lu stalls, %lu floods, %lu checks, %lu failures",
	       fz.failures ? "FAIL" : "PASS", seed, fz.rounds, fz.connects, fz.refused, fz.requests,
	       fz.responses, fz.data_checked, fz.jumps, fz.stalls, fz.floods, fz.checks, fz.failures);
	return fz.failures ? 1 : 0;
}
