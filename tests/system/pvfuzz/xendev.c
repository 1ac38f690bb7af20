// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest kernel's user-space Xen interfaces, as pvfuzz uses them:
 *   /dev/xen/xenbus   the xenstore wire protocol (Xen's io/xs_wire.h): a
 *                     16-byte header (type, req_id, tx_id, len), then the
 *                     payload; the kernel passes it to the store and queues
 *                     the reply for read(2). Paths without a leading '/'
 *                     are relative to the domain's /local/domain/D.
 *   /dev/xen/gntalloc pages granted to a domain (Linux's uapi xen/gntalloc.h):
 *                     ALLOC_GREF returns the references and an mmap offset.
 *   /dev/xen/evtchn   event channels (uapi xen/evtchn.h): BIND_UNBOUND_PORT,
 *                     NOTIFY, UNBIND; read(2) gives fired ports, which stay
 *                     masked until written back.
 * The ioctl numbers and layouts are those headers' (facts); the code is ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvfuzz.h"

/* ---- xenstore ---- */

enum { XS_DIRECTORY = 1, XS_READ = 2, XS_WRITE = 11, XS_RM = 13, XS_WATCH_EVENT = 15,
       XS_ERROR = 16 };

struct xs_hdr {
	uint32_t type, req_id, tx_id, len;
};

#define XS_PAYLOAD_MAX 4096u

static int xs_fd = -1;
static uint32_t xs_next_id;

int xs_open(void)
{
	xs_fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
	return xs_fd < 0 ? -errno : 0;
}

static int read_full(int fd, void *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, (char *)p + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += (size_t)r;
	}
	return 0;
}

/* The store's error names (io/xs_wire.h xsd_errors), those a frontend meets. */
static int xs_errno(const char *s)
{
	static const struct { const char *name; int err; } tab[] = {
		{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
		{ "EEXIST", EEXIST }, { "EAGAIN", EAGAIN }, { "ENOSPC", ENOSPC },
		{ "E2BIG", E2BIG }, { "EQUOTA", EDQUOT }, { "EISDIR", EISDIR },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name))
			return tab[i].err;
	return EIO;
}

/* One request: payload a then b (either may be NULL); the reply's payload into out. */
static int xs_talk(uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
		   char *out, size_t cap)
{
	unsigned char msg[sizeof(struct xs_hdr) + XS_PAYLOAD_MAX];
	char reply[XS_PAYLOAD_MAX + 1];
	struct xs_hdr h = { .type = type, .req_id = ++xs_next_id, .len = (uint32_t)(alen + blen) };
	int rc;

	if (alen + blen > XS_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(msg, &h, sizeof(h));
	if (alen)
		memcpy(msg + sizeof(h), a, alen);
	if (blen)
		memcpy(msg + sizeof(h) + alen, b, blen);
	if (write(xs_fd, msg, sizeof(h) + alen + blen) != (ssize_t)(sizeof(h) + alen + blen))
		return -errno ? -errno : -EIO;
	for (;;) {
		struct xs_hdr r;

		if ((rc = read_full(xs_fd, &r, sizeof(r))))
			return rc;
		if (r.len > XS_PAYLOAD_MAX)
			return -EPROTO;
		if ((rc = read_full(xs_fd, reply, r.len)))
			return rc;
		reply[r.len] = '\0';
		if (r.type == XS_WATCH_EVENT)
			continue;			/* none is set; skip anyway */
		if (r.type == XS_ERROR)
			return -xs_errno(reply);
		if (out) {
			size_t n = r.len < cap - 1 ? r.len : cap - 1;

			memcpy(out, reply, n);
			out[n] = '\0';
		}
		return (int)r.len;
	}
}

int xs_read(const char *path, char *buf, size_t cap)
{
	return xs_talk(XS_READ, path, strlen(path) + 1, NULL, 0, buf, cap);
}

int xs_write(const char *path, const char *val)
{
	int rc = xs_talk(XS_WRITE, path, strlen(path) + 1, val, strlen(val), NULL, 0);

	return rc < 0 ? rc : 0;
}

int xs_rm(const char *path)
{
	int rc = xs_talk(XS_RM, path, strlen(path) + 1, NULL, 0, NULL, 0);

	return rc < 0 ? rc : 0;
}

int xs_dir(const char *path, char *buf, size_t cap)
{
	int n = xs_talk(XS_DIRECTORY, path, strlen(path) + 1, NULL, 0, buf, cap), count = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n && (size_t)i < cap - 1; i++)
		if (buf[i] == '\0')
			count++;
	return count;
}

int xs_printf(const char *dir, const char *key, const char *fmt, ...)
{
	char path[256], val[256];
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	fz_log("write %s = '%s'", path, val);
	return xs_write(path, val);
}

int xs_read_key(const char *dir, const char *key, char *buf, size_t cap)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(path, buf, cap);
}

long long xs_read_num(const char *dir, const char *key, long long def)
{
	char buf[64], *end;
	long long v;

	if (xs_read_key(dir, key, buf, sizeof(buf)) <= 0)
		return def;
	v = strtoll(buf, &end, 10);
	return *end ? def : v;
}

/* ---- gntalloc ---- */

struct gntalloc_alloc {
	uint16_t domid;
	uint16_t flags;
	uint32_t count;
	uint64_t index;
	uint32_t gref_ids[1];
};
struct gntalloc_dealloc {
	uint64_t index;
	uint32_t count;
};
#define GNTALLOC_FLAG_WRITABLE	1
#define IOCTL_GNTALLOC_ALLOC	_IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc))
#define IOCTL_GNTALLOC_DEALLOC	_IOC(_IOC_NONE, 'G', 6, sizeof(struct gntalloc_dealloc))

static int gnt_fd = -1;

int gnt_open(void)
{
	gnt_fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	return gnt_fd < 0 ? -errno : 0;
}

int gnt_alloc(struct grants *g, unsigned int count)
{
	size_t sz = sizeof(struct gntalloc_alloc) + count * sizeof(uint32_t);
	struct gntalloc_alloc *a = calloc(1, sz);
	void *va;

	memset(g, 0, sizeof(*g));
	if (!a)
		return -ENOMEM;
	a->domid = 0;
	a->flags = GNTALLOC_FLAG_WRITABLE;
	a->count = count;
	if (ioctl(gnt_fd, IOCTL_GNTALLOC_ALLOC, a) < 0) {
		int e = -errno;

		free(a);
		return e;
	}
	va = mmap(NULL, (size_t)count * FZ_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gnt_fd,
		  (off_t)a->index);
	if (va == MAP_FAILED) {
		int e = -errno;
		struct gntalloc_dealloc d = { .index = a->index, .count = count };

		ioctl(gnt_fd, IOCTL_GNTALLOC_DEALLOC, &d);
		free(a);
		return e;
	}
	g->refs = malloc(count * sizeof(uint32_t));
	if (!g->refs)
		abort();
	memcpy(g->refs, a->gref_ids, count * sizeof(uint32_t));
	g->count = count;
	g->index = a->index;
	g->va = va;
	memset(va, 0, (size_t)count * FZ_PAGE);
	free(a);
	return 0;
}

void gnt_free(struct grants *g)
{
	struct gntalloc_dealloc d = { .index = g->index, .count = g->count };

	if (!g->count)
		return;
	munmap(g->va, (size_t)g->count * FZ_PAGE);
	/* A page dom0 still maps is kept by the kernel until dom0 lets go. */
	ioctl(gnt_fd, IOCTL_GNTALLOC_DEALLOC, &d);
	free(g->refs);
	memset(g, 0, sizeof(*g));
}

uint32_t gnt_bogus_ref(void)
{
	switch (rnd_below(3)) {
	case 0:
		return 0xffffffffu - rnd_below(16);
	case 1:
		return 0x100000u + rnd_below(0x1000000);	/* far past any table */
	default:
		return 0x10000u + rnd_below(0x10000);
	}
}

/* ---- evtchn ---- */

struct evtchn_bind_unbound { unsigned int remote_domain; };
struct evtchn_port_arg { unsigned int port; };
#define IOCTL_EVTCHN_BIND_UNBOUND _IOC(_IOC_NONE, 'E', 2, sizeof(struct evtchn_bind_unbound))
#define IOCTL_EVTCHN_UNBIND	  _IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define IOCTL_EVTCHN_NOTIFY	  _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))

static int evt_fd = -1;

int evt_open(void)
{
	evt_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	return evt_fd < 0 ? -errno : 0;
}

int evt_unbound(void)
{
	struct evtchn_bind_unbound b = { .remote_domain = 0 };
	int port = ioctl(evt_fd, IOCTL_EVTCHN_BIND_UNBOUND, &b);

	return port < 0 ? -errno : port;
}

void evt_unbind(int port)
{
	struct evtchn_port_arg a = { .port = (unsigned int)port };

	if (port > 0)
		ioctl(evt_fd, IOCTL_EVTCHN_UNBIND, &a);
}

void evt_notify(int port)
{
	struct evtchn_port_arg a = { .port = (unsigned int)port };

	ioctl(evt_fd, IOCTL_EVTCHN_NOTIFY, &a);
}

bool evt_wait(unsigned int ms)
{
	struct pollfd pf = { .fd = evt_fd, .events = POLLIN };
	uint32_t ports[32];
	ssize_t n;

	if (poll(&pf, 1, (int)ms) <= 0)
		return false;
	n = read(evt_fd, ports, sizeof(ports));
	if (n <= 0)
		return false;
	/* Unmask what fired. */
	if (write(evt_fd, ports, (size_t)n) < 0)
		fz_log("evtchn unmask: %s", strerror(errno));
	return true;
}

uint32_t evt_bogus_port(int ours)
{
	switch (rnd_below(4)) {
	case 0:
		return 0;				/* never valid */
	case 1:
		return 0x7fffffffu;
	case 2:
		return 1u << 17;			/* past FIFO's 2^17 ports */
	default:
		return (uint32_t)ours + 1000u + rnd_below(1000);
	}
}
