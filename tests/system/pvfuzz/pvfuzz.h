/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvfuzz: a hostile PV frontend, run as a program inside a Linux domU
 * (docs/pv-devices.md, "The fuzzing frontend"). It plays xen-blkfront and
 * xen-netfront itself over the guest kernel's user-space interfaces:
 * /dev/xen/xenbus (the xenstore wire protocol), /dev/xen/gntalloc (pages
 * granted to dom0) and /dev/xen/evtchn (an unbound port to dom0), and
 * feeds dom0's backends random and malformed nodes and ring traffic.
 *
 * Layers: xendev.c (the three devices), vbd.c and vif.c (one device kind
 * each), main.c (arguments, rounds, the verdict).
 */
#ifndef PVFUZZ_H
#define PVFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the run ---- */
struct fz_stats {
	unsigned long rounds, connects, refused, requests, responses, jumps, stalls, floods;
	unsigned long checks, failures, data_checked;
};
extern struct fz_stats fz;
extern int fz_trace;

uint64_t rnd(void);
uint32_t rnd_below(uint32_t n);			/* 0..n-1 (n > 0) */
bool chance(unsigned int percent);
void rnd_fill(void *p, size_t n);
uint64_t now_ms(void);
void sleep_ms(unsigned int ms);
bool out_of_time(void);				/* the run's deadline passed */
bool exit_midway(void);				/* exit=1: leave at the deadline, devices connected */
bool holding(void);				/* hold=N: connect, then answer nothing */

/* A check: counted; a failure prints why (and the run ends FAIL). */
bool fz_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fz_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* trace=1 only */
void fz_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- xendev.c: xenstore over /dev/xen/xenbus ---- */
int xs_open(void);
int xs_read(const char *path, char *buf, size_t cap);	/* length, or -errno */
int xs_write(const char *path, const char *val);
int xs_rm(const char *path);
int xs_dir(const char *path, char *buf, size_t cap);	/* entries NUL-separated: count, or -errno */
int xs_printf(const char *dir, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xs_read_key(const char *dir, const char *key, char *buf, size_t cap);
long long xs_read_num(const char *dir, const char *key, long long def);

/* ---- xendev.c: pages granted to dom0 (/dev/xen/gntalloc) ---- */
#define FZ_PAGE 4096u
struct grants {
	unsigned int count;
	uint64_t index;		/* mmap offset */
	uint32_t *refs;
	unsigned char *va;
};
int gnt_open(void);
int gnt_alloc(struct grants *g, unsigned int count);
void gnt_free(struct grants *g);
/* A reference this domain never granted (beyond any grant table it has). */
uint32_t gnt_bogus_ref(void);

/* ---- xendev.c: event channels (/dev/xen/evtchn) ---- */
int evt_open(void);
int evt_unbound(void);				/* a port dom0 may bind; or -errno */
void evt_unbind(int port);
void evt_notify(int port);
bool evt_wait(unsigned int ms);			/* an event came (and was unmasked) */
/* A port number that is not ours to offer: 0, past the end, or random. */
uint32_t evt_bogus_port(int ours);

/* ---- a device as xenbus sees it ---- */
struct fz_dev {
	const char *kind;	/* "vbd" or "vif" */
	char front[96];		/* device/vbd/51712 (relative to the domain's path) */
	char back[128];		/* /local/domain/0/backend/vbd/D/51712 */
	unsigned int devid;
};
int fz_be_state(const struct fz_dev *d);
void fz_fe_state(const struct fz_dev *d, int state);
/* Wait until the backend's state is one in mask (1 << state): the state, or -1. */
int fz_wait_be(const struct fz_dev *d, unsigned int mask, unsigned int ms);
/* Bring the backend back to InitWait (frontend Closed, then Initialising). */
bool fz_reset(const struct fz_dev *d);
/* Frontend Closing/Closed; the backend must follow. */
void fz_disconnect(const struct fz_dev *d);

void vbd_round(const struct fz_dev *d);
void vif_round(const struct fz_dev *d);
void vbd_init(void);
void vif_init(void);

#define XBS(s) (1u << (s))
enum { XB_INITIALISING = 1, XB_INITWAIT, XB_INITIALISED, XB_CONNECTED, XB_CLOSING, XB_CLOSED };

#endif /* PVFUZZ_H */
