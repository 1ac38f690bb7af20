// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner's dom0 backends for its domain: the PV console and xenstore.
 *
 * One backend thread owns both rings (the special pages, mmap()ed from
 * /dev/xvmm). It sleeps in DOM_WAIT (100 ms at most) until the guest
 * signals a port, then services both rings whatever port it was: the
 * console's out[] goes to the log file (/var/log/xvmm/NAME.log), queued
 * keystrokes go into in[]; xenstore requests go to the store
 * (tools/xenstored), replies and watch events back. Whoever moved a
 * ring's indices signals the guest with DOM_NOTIFY. A driver without
 * DOM_WAIT (ENOTTY) makes the thread poll every 100 ms instead of spin.
 *
 * A second thread serves the runner's control socket /run/xvmm/NAME.sock
 * for `xvmm console` (first line "console", then keystrokes) and
 * `xvmm shutdown` ("shutdown poweroff|reboot", answered "ok" or "nopv").
 * One mutex covers rings, store and the input queue.
 *
 * The console ring (Xen public/io/console.h, struct xencons_interface):
 * in[1024] guest-bound, out[2048] dom0-bound, then in_cons, in_prod,
 * out_cons, out_prod as free-running u32 indices.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <blkback.h>
#include <netback.h>
#include <xenstored.h>

#include "cli.h"

#define WAIT_MS		100
#define INQ_SIZE	4096
#define MAX_CLIENTS	8
#define CMD_MAX		CLI_RUNNER_CMD_MAX

struct xencons_page {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};
_Static_assert(__builtin_offsetof(struct xencons_page, in_cons) == 3072, "xencons layout");
_Static_assert(__builtin_offsetof(struct xencons_page, out_prod) == 3084, "xencons layout");

struct client {
	int fd;
	bool console;			/* past the command line: bytes are keystrokes */
	char cmd[CMD_MAX];
	size_t cmd_len;
};

struct cli_backends {
	int fd;
	uint32_t domid;
	char name[XVMM_NAME_LEN + 1];
	pthread_mutex_t lock;
	struct xencons_page *cons;
	struct xs_ring_page *store_ring;
	struct xs_store *xs;
	struct xs_conn *xc;
	struct xb_bus *bus;		/* PV devices (tools/backend) */
	uint32_t cons_port, store_port;
	int log_fd, listen_fd;
	char sock_path[108];
	char inq[INQ_SIZE];
	size_t inq_len;
	bool notify_broken;
	unsigned long log_errors;
	struct client clients[MAX_CLIENTS];
};

static void blog(const struct cli_backends *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void blog(const struct cli_backends *b, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xvmm runner[%d]: domain %u (%s): %s\n", (int)getpid(), b->domid,
		b->name, msg);
}

/* ---- paths and the control socket's client side ---------------------------- */

static int dir_path(const char *env, const char *def, const char *name, const char *ext,
		    char *buf, size_t cap)
{
	const char *dir = getenv(env);
	int n = snprintf(buf, cap, "%s/%s%s", dir && *dir ? dir : def, name, ext);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int cli_console_log_path(const char *name, char *buf, size_t cap)
{
	return dir_path("XVMM_LOG_DIR", CLI_LOG_DIR, name, ".log", buf, cap);
}

int cli_runner_sock_path(const char *name, char *buf, size_t cap)
{
	return dir_path("XVMM_RUN_DIR", CLI_RUN_DIR, name, ".sock", buf, cap);
}

int cli_runner_connect(const char *name, const char *cmd)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char line[CMD_MAX];
	int s, n = snprintf(line, sizeof(line), "%s\n", cmd);

	if (cli_runner_sock_path(name, a.sun_path, sizeof(a.sun_path)) || n >= (int)sizeof(line))
		return -ENAMETOOLONG;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) ||
	    write(s, line, (size_t)n) != n) {
		n = -errno;
		close(s);
		return n;
	}
	return s;
}

/* ---- the backends' ioctls ---------------------------------------------------- */

int xdev_dom_notify(int fd, uint32_t domid, uint32_t port)
{
	struct xvmm_ioctl_dom_notify req = { .domid = domid, .port = port };

	return ioctl(fd, XVMM_IOCTL_DOM_NOTIFY, &req) < 0 ? -errno : 0;
}

int xdev_dom_wait(int fd, uint32_t domid, uint32_t timeout_ms, uint64_t *pending)
{
	struct xvmm_ioctl_dom_wait req = { .domid = domid, .timeout_ms = timeout_ms };

	*pending = 0;
	if (ioctl(fd, XVMM_IOCTL_DOM_WAIT, &req) < 0)
		return -errno;
	*pending = req.pending;
	return 0;
}

/* DOM_START with the ring pages (cli.h says why this is not in dev.c yet). */
int xdev_dom_start_rings(int fd, uint32_t domid, uint64_t entry, uint64_t start_info,
			 uint64_t console_gfn, uint64_t store_gfn,
			 uint32_t max_grant_frames, uint32_t max_maptrack_frames,
			 uint32_t max_evtchn_port,
			 const struct xvmm_memmap_entry *memmap, uint32_t nr_memmap)
{
	struct xvmm_ioctl_dom_start req = {
		.domid = domid, .entry = entry, .start_info = start_info,
		.console_gfn = console_gfn, .store_gfn = store_gfn,
		.max_grant_frames = max_grant_frames, .max_maptrack_frames = max_maptrack_frames,
		.max_evtchn_port = max_evtchn_port,
		.nr_memmap = nr_memmap, .memmap = (uintptr_t)memmap,
	};

	return ioctl(fd, XVMM_IOCTL_DOM_START, &req) < 0 ? -errno : 0;
}

/* Map special page i (layout.h) of the domain; NULL with errno on failure. */
static void *map_special(int fd, uint32_t domid, unsigned int i)
{
	unsigned int n = (unsigned int)(XVMM_SPAGES_OFFSET / XVMM_PAGE_SIZE) + i;
	void *p = mmap(NULL, XVMM_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       (off_t)XVMM_MMAP_SPECIAL(domid, n));

	return p == MAP_FAILED ? NULL : p;
}

/* ---- ring work (b->lock held) ------------------------------------------------- */

static void notify(struct cli_backends *b, uint32_t port)
{
	int rc = xdev_dom_notify(b->fd, b->domid, port);

	if (rc && rc != -EAGAIN && !b->notify_broken) {
		b->notify_broken = true;	/* say it once */
		blog(b, "DOM_NOTIFY port %u: %s", port, cli_dom_strerror(rc));
	}
}

/* Console: out[] to the log, queued input into in[]; true if indices moved. */
static bool console_service(struct cli_backends *b)
{
	struct xencons_page *r = b->cons;
	uint32_t cons = r->out_cons;
	uint32_t prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	uint32_t icons, iprod = r->in_prod;
	bool moved = false;
	size_t put = 0;

	if (prod - cons > sizeof(r->out))
		cons = prod - (uint32_t)sizeof(r->out);	/* bogus index: keep the last ring's worth */
	while (cons != prod) {
		char chunk[sizeof(r->out)];
		size_t n = 0;

		while (cons != prod && n < sizeof(chunk))
			chunk[n++] = r->out[cons++ % sizeof(r->out)];
		/* A full disk must not stall the guest: write errors are ignored. */
		if (b->log_fd >= 0 && write(b->log_fd, chunk, n) < 0)
			b->log_errors++;
		moved = true;
	}
	if (moved)
		__atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);

	icons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	if (iprod - icons > sizeof(r->in))
		iprod = icons;				/* guest broke in_cons: start over */
	while (put < b->inq_len && iprod - icons < sizeof(r->in))
		r->in[iprod++ % sizeof(r->in)] = b->inq[put++];
	if (put) {
		__atomic_store_n(&r->in_prod, iprod, __ATOMIC_RELEASE);
		memmove(b->inq, b->inq + put, b->inq_len - put);
		b->inq_len -= put;
		moved = true;
	}
	return moved;
}

static void service(struct cli_backends *b)
{
	bool store_moved;

	if (b->cons && console_service(b))
		notify(b, b->cons_port);
	if (!b->xc)
		return;
	store_moved = xs_ring_service(b->xc, b->store_ring);
	/* The devices follow what the guest wrote; their answers go out at once. */
	if (b->bus && xb_service(b->bus))
		store_moved |= xs_ring_service(b->xc, b->store_ring);
	if (store_moved)
		notify(b, b->store_port);
}

/* ---- threads ------------------------------------------------------------------ */

static void *wait_thread(void *p)
{
	struct cli_backends *b = p;
	bool polling = false;

	for (;;) {
		uint64_t pending;
		int rc = polling ? 0 : xdev_dom_wait(b->fd, b->domid, WAIT_MS, &pending);

		if (rc == -ENOENT || rc == -ENODEV)
			return NULL;			/* the domain is gone */
		if (rc && rc != -EINTR && !polling) {
			blog(b, "DOM_WAIT: %s; polling the rings every %d ms instead",
			     cli_dom_strerror(rc), WAIT_MS);
			polling = true;
		}
		if (polling)
			poll(NULL, 0, WAIT_MS);
		pthread_mutex_lock(&b->lock);
		service(b);
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

static void client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

/* ---- block-attach / block-detach / block-list (b->lock held) --------------------- */

static void dev_log(void *arg, const char *msg);

static bool ensure_bus(struct cli_backends *b)
{
	if (!b->bus && b->xs)
		b->bus = xb_bus_new(b->xs, b->domid);
	return b->bus != NULL;
}

static void answer_error(int fd, const char *msg)
{
	char line[XVMM_ERR_MAX + 16];
	int n = snprintf(line, sizeof(line), "error %s\n", msg);

	(void)!write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
}

static void block_attach(struct cli_backends *b, int fd, const char *spec)
{
	struct xl_disk *d = malloc(sizeof(*d));
	struct xvmm_err err;

	if (!d || !ensure_bus(b)) {
		answer_error(fd, !d ? "out of memory" : "no xenstore for this domain");
	} else if (xl_disk_parse(spec, d, &err)) {
		answer_error(fd, err.msg);
	} else if (xb_dev_find(b->bus, "vbd", d->devid)) {
		snprintf(err.msg, sizeof(err.msg), "vdev %s (virtual device %u) is already attached",
			 d->vdev, d->devid);
		answer_error(fd, err.msg);
	} else if (blkback_add(b->bus, b->domid, d, dev_log, b, &err)) {
		answer_error(fd, err.msg);
	} else {
		(void)!write(fd, "ok\n", 3);
		service(b);		/* the guest hears of it now */
	}
	free(d);
}

/* "block-detach VDEV" starts the handshake; "block-detach-force VDEV" ends it now. */
static void block_detach(struct cli_backends *b, int fd, const char *vdev, bool force)
{
	struct xb_dev *dev;
	uint32_t devid;

	if (xl_vdev_to_devid(vdev, &devid)) {
		answer_error(fd, "not a virtual device name");
		return;
	}
	dev = b->bus ? xb_dev_find(b->bus, "vbd", devid) : NULL;
	if (!dev) {
		answer_error(fd, "no such disk");
		return;
	}
	if (force)
		xb_dev_destroy(dev);
	else if (!xb_dev_removing(dev))
		xb_dev_remove(dev);
	(void)!write(fd, "ok\n", 3);
	service(b);
}

/* As `xl block-list`: Vdev BE handle state evt-ch ring-ref BE-path. */
static void block_list(struct cli_backends *b, int fd)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE",
			 "handle", "state", "evt-ch", "ring-ref", "BE-path");

	(void)!write(fd, line, (size_t)n);
	for (unsigned int i = 0; b->bus && i < xb_bus_count(b->bus); i++) {
		struct xb_dev *dev = xb_bus_dev(b->bus, i);
		uint64_t evt = (uint64_t)-1, ref = (uint64_t)-1;

		if (xb_dev_find(b->bus, "vbd", xb_dev_devid(dev)) != dev)
			continue;		/* a vif */

		if (xb_front_read_uint(dev, "event-channel", 1ull << 32, &evt))
			evt = (uint64_t)-1;
		if (xb_front_read_uint(dev, "ring-ref", 1ull << 32, &ref) &&
		    xb_front_read_uint(dev, "ring-ref0", 1ull << 32, &ref))
			ref = (uint64_t)-1;
		n = snprintf(line, sizeof(line), "%-5u %-3d %-6u %-5d %-6d %-8d %-30s\n",
			     xb_dev_devid(dev), 0, b->domid, (int)xb_dev_state(dev), (int)evt,
			     (int)ref, xb_dev_backend_path(dev));
		(void)!write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
}

/* ---- network-attach / network-detach / network-list (b->lock held) ---------------- */

/* A backend node of dev into buf ("" if missing). */
static void back_node(struct cli_backends *b, struct xb_dev *dev, const char *key, char *buf,
		      size_t cap)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", xb_dev_backend_path(dev), key);
	if (xs_tool_read(b->xs, path, buf, cap))
		buf[0] = '\0';
}

static void net_attach(struct cli_backends *b, int fd, const char *spec)
{
	struct xl_vif v;
	struct xvmm_err err;
	struct xb_dev *dev;
	char ifname[32], mac[32], line[96];
	int n;

	if (!ensure_bus(b)) {
		answer_error(fd, "no xenstore for this domain");
		return;
	}
	if (xl_vif_parse(spec, &v, &err)) {
		answer_error(fd, err.msg);
		return;
	}
	if (v.devid < 0) {		/* xl: the lowest free one */
		for (v.devid = 0; v.devid <= XL_VIF_DEVID_MAX; v.devid++)
			if (!xb_dev_find(b->bus, "vif", (uint32_t)v.devid))
				break;
	}
	if (v.devid > XL_VIF_DEVID_MAX || xb_dev_find(b->bus, "vif", (uint32_t)v.devid)) {
		snprintf(err.msg, sizeof(err.msg), "vif devid %d is already attached", v.devid);
		answer_error(fd, err.msg);
		return;
	}
	if (netback_check(&v, &err) || netback_add(b->bus, b->domid, &v, dev_log, b, &err)) {
		answer_error(fd, err.msg);
		return;
	}
	dev = xb_dev_find(b->bus, "vif", (uint32_t)v.devid);
	back_node(b, dev, "vifname", ifname, sizeof(ifname));
	back_node(b, dev, "mac", mac, sizeof(mac));
	n = snprintf(line, sizeof(line), "ok %s %s\n", ifname, mac);
	(void)!write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	service(b);			/* the guest hears of it now */
}

/* The vif a DEVID or MAC names, or NULL. */
static struct xb_dev *net_find(struct cli_backends *b, const char *what)
{
	char *end;
	unsigned long id = strtoul(what, &end, 10);

	if (!b->bus)
		return NULL;
	if (*what >= '0' && *what <= '9' && !*end)
		return id <= XL_VIF_DEVID_MAX ? xb_dev_find(b->bus, "vif", (uint32_t)id) : NULL;
	for (unsigned int i = 0; i < xb_bus_count(b->bus); i++) {
		struct xb_dev *dev = xb_bus_dev(b->bus, i);
		char mac[32];

		if (xb_dev_find(b->bus, "vif", xb_dev_devid(dev)) != dev)
			continue;
		back_node(b, dev, "mac", mac, sizeof(mac));
		if (!strcasecmp(mac, what))
			return dev;
	}
	return NULL;
}

/* "network-detach DEVID|MAC": the handshake; "network-detach-force DEVID": now. */
static void net_detach(struct cli_backends *b, int fd, const char *what, bool force)
{
	struct xb_dev *dev = net_find(b, what);
	char line[32];
	int n;

	if (!dev) {
		answer_error(fd, "no such vif (a devid or a MAC, see network-list)");
		return;
	}
	n = snprintf(line, sizeof(line), "ok %u\n", xb_dev_devid(dev));
	if (force)
		xb_dev_destroy(dev);
	else if (!xb_dev_removing(dev))
		xb_dev_remove(dev);
	(void)!write(fd, line, (size_t)n);
	service(b);
}

/* As `xl network-list`: Idx BE Mac Addr. handle state evt-ch tx-/rx-ring-ref BE-path. */
static void net_list(struct cli_backends *b, int fd)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%-3s %-2s %-17s %-6s %-5s %-6s %-13s %-30s\n", "Idx",
			 "BE", "Mac Addr.", "handle", "state", "evt-ch", "tx-/rx-ring-ref",
			 "BE-path");

	(void)!write(fd, line, (size_t)n);
	for (unsigned int i = 0; b->bus && i < xb_bus_count(b->bus); i++) {
		struct xb_dev *dev = xb_bus_dev(b->bus, i);
		uint64_t evt, tx, rx;
		char mac[32], refs[32];

		if (xb_dev_find(b->bus, "vif", xb_dev_devid(dev)) != dev)
			continue;		/* a disk */
		if (xb_front_read_uint(dev, "event-channel", 1ull << 32, &evt))
			evt = (uint64_t)-1;
		if (xb_front_read_uint(dev, "tx-ring-ref", 1ull << 32, &tx))
			tx = (uint64_t)-1;
		if (xb_front_read_uint(dev, "rx-ring-ref", 1ull << 32, &rx))
			rx = (uint64_t)-1;
		back_node(b, dev, "mac", mac, sizeof(mac));
		snprintf(refs, sizeof(refs), "%d/%d", (int)tx, (int)rx);
		n = snprintf(line, sizeof(line), "%-3u %-2d %-17s %-6u %-5d %-6d %-13s %-30s\n",
			     xb_dev_devid(dev), 0, mac, xb_dev_devid(dev), (int)xb_dev_state(dev),
			     (int)evt, refs, xb_dev_backend_path(dev));
		(void)!write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
	}
}

/* "mem-set KIB": the balloon target (xl writes memory/target the same way). */
static void mem_set(struct cli_backends *b, int fd, const char *arg)
{
	char *end;
	unsigned long long kib;

	errno = 0;
	kib = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || !kib) {
		answer_error(fd, "bad memory target");
		return;
	}
	if (!b->xs || xs_domain_set_target(b->xs, b->domid, kib)) {
		answer_error(fd, "no xenstore for this domain");
		return;
	}
	blog(b, "memory/target = %llu KiB", kib);
	(void)!write(fd, "ok\n", 3);
	service(b);		/* the watch event goes out now */
}

/* A whole command line from a client (b->lock held). */
static void client_command(struct cli_backends *b, struct client *c)
{
	const char *answer = "nopv\n";

	if (!strcmp(c->cmd, "console")) {
		c->console = true;
		return;
	}
	if (!strncmp(c->cmd, "block-attach ", 13) || !strncmp(c->cmd, "block-detach ", 13) ||
	    !strncmp(c->cmd, "block-detach-force ", 19) || !strcmp(c->cmd, "block-list")) {
		if (c->cmd[6] == 'a')
			block_attach(b, c->fd, c->cmd + 13);
		else if (c->cmd[6] == 'l')
			block_list(b, c->fd);
		else
			block_detach(b, c->fd, strchr(c->cmd, ' ') + 1, c->cmd[12] == '-');
		client_close(c);
		return;
	}
	if (!strncmp(c->cmd, "network-", 8)) {
		const char *arg = strchr(c->cmd, ' ');

		if (!strncmp(c->cmd, "network-attach", 14) && (!c->cmd[14] || arg == c->cmd + 14))
			net_attach(b, c->fd, arg ? arg + 1 : "");
		else if (!strcmp(c->cmd, "network-list"))
			net_list(b, c->fd);
		else if (arg && (!strncmp(c->cmd, "network-detach ", 15) ||
				 !strncmp(c->cmd, "network-detach-force ", 21)))
			net_detach(b, c->fd, arg + 1, c->cmd[14] == '-');
		else
			answer_error(c->fd, "unknown command");
		client_close(c);
		return;
	}
	if (!strncmp(c->cmd, "mem-set ", 8)) {
		mem_set(b, c->fd, c->cmd + 8);
		client_close(c);
		return;
	}
	if (!strcmp(c->cmd, "shutdown poweroff") || !strcmp(c->cmd, "shutdown reboot")) {
		if (b->xs && xs_domain_shutdown(b->xs, b->domid, c->cmd + 9) == 0) {
			answer = "ok\n";
			service(b);		/* the watch event goes out now */
		}
	} else {
		answer = "unknown command\n";
	}
	/* If the client went away there is nobody to tell. */
	(void)!write(c->fd, answer, strlen(answer));
	client_close(c);
}

static void client_input(struct cli_backends *b, struct client *c)
{
	char buf[512];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n <= 0) {
		client_close(c);
		return;
	}
	pthread_mutex_lock(&b->lock);
	for (ssize_t i = 0; i < n && c->fd >= 0; i++) {
		if (c->console) {
			if (b->inq_len < sizeof(b->inq))
				b->inq[b->inq_len++] = buf[i];
		} else if (buf[i] == '\n') {
			c->cmd[c->cmd_len] = '\0';
			client_command(b, c);
		} else if (c->cmd_len + 1 < sizeof(c->cmd)) {
			c->cmd[c->cmd_len++] = buf[i];
		}
	}
	if (b->cons && b->inq_len)
		service(b);
	pthread_mutex_unlock(&b->lock);
}

static void *socket_thread(void *p)
{
	struct cli_backends *b = p;

	for (;;) {
		struct pollfd pf[MAX_CLIENTS + 1];
		int k;

		pf[0] = (struct pollfd){ .fd = b->listen_fd, .events = POLLIN };
		for (k = 0; k < MAX_CLIENTS; k++) {
			struct client *c = &b->clients[k];

			pf[k + 1] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
			if (c->console && b->inq_len == sizeof(b->inq))
				pf[k + 1].events = 0;	/* the guest is not reading: hold back */
		}
		if (poll(pf, MAX_CLIENTS + 1, WAIT_MS) < 0 && errno != EINTR)
			return NULL;
		if (pf[0].revents & POLLIN) {
			int s = accept4(b->listen_fd, NULL, NULL, SOCK_CLOEXEC);

			for (k = 0; s >= 0 && k < MAX_CLIENTS && b->clients[k].fd >= 0; k++)
				;
			if (s >= 0 && k == MAX_CLIENTS)
				close(s);
			else if (s >= 0)
				b->clients[k] = (struct client){ .fd = s };
		}
		for (k = 0; k < MAX_CLIENTS; k++)
			if (b->clients[k].fd >= 0 && (pf[k + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				client_input(b, &b->clients[k]);
	}
	return NULL;
}

/* ---- setup ----------------------------------------------------------------------- */

/* mkdir -p for our fixed directories (a busybox initramfs may lack /var/log). */
static void mkdir_p(const char *dir, mode_t mode)
{
	char p[128];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, mode);
}

static int open_log(struct cli_backends *b)
{
	char path[512];

	if (cli_console_log_path(b->name, path, sizeof(path)))
		return -ENAMETOOLONG;
	if (!getenv("XVMM_LOG_DIR"))
		mkdir_p(CLI_LOG_DIR, 0755);
	/* Truncated: the log holds this run of the domain, as `xvmm console` shows it. */
	b->log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
	return b->log_fd < 0 ? -errno : 0;
}

static int open_socket(struct cli_backends *b)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int rc;

	if (cli_runner_sock_path(b->name, b->sock_path, sizeof(b->sock_path)))
		return -ENAMETOOLONG;
	if (!getenv("XVMM_RUN_DIR"))
		mkdir_p(CLI_RUN_DIR, 0700);
	memcpy(a.sun_path, b->sock_path, sizeof(a.sun_path));
	b->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (b->listen_fd < 0)
		return -errno;
	unlink(b->sock_path);		/* left by a runner that was killed */
	if (bind(b->listen_fd, (struct sockaddr *)&a, sizeof(a)) || listen(b->listen_fd, 4)) {
		rc = -errno;
		close(b->listen_fd);
		b->listen_fd = -1;
		b->sock_path[0] = '\0';
		return rc;
	}
	return 0;
}

static int setup_store(struct cli_backends *b, const struct xlcfg *cfg)
{
	struct xs_domain_info d = {
		.domid = b->domid, .name = cfg->name, .memory_kib = cfg->memory_mib * 1024,
		.vcpus = cfg->vcpus, .store_gfn = XVMM_SPAGE_PFN(XVMM_SPAGE_XENSTORE),
		.store_port = b->store_port,
	};
	char uuid[37];

	if (b->cons) {
		d.console_gfn = XVMM_SPAGE_PFN(XVMM_SPAGE_CONSOLE);
		d.console_port = b->cons_port;
	}
	xs_uuid_random(uuid);
	d.uuid = uuid;
	b->xs = xs_store_new();
	if (!b->xs || xs_domain_populate(b->xs, &d))
		return -ENOMEM;
	b->xc = xs_conn_introduce(b->xs, b->domid);
	return b->xc ? 0 : -ENOMEM;
}

static void dev_log(void *arg, const char *msg)
{
	blog(arg, "%s", msg);
}

/* The PV disks: each one's nodes are in the store before the guest runs. */
static void setup_devices(struct cli_backends *b, const struct xlcfg *cfg)
{
	struct xvmm_err err;

	if (!cfg->nr_disks && !cfg->nr_vifs)
		return;
	b->bus = xb_bus_new(b->xs, b->domid);
	if (!b->bus) {
		blog(b, "no PV devices: out of memory");
		return;
	}
	for (unsigned int i = 0; i < cfg->nr_disks; i++)
		if (blkback_add(b->bus, b->domid, &cfg->disks[i], dev_log, b, &err))
			blog(b, "%s (the guest does not get this disk)", err.msg);
	for (unsigned int i = 0; i < cfg->nr_vifs; i++)
		if (netback_add(b->bus, b->domid, &cfg->vifs[i], dev_log, b, &err))
			blog(b, "%s (the guest does not get this vif)", err.msg);
}

struct cli_backends *cli_backends_start(int fd, uint32_t domid, const struct xlcfg *cfg)
{
	struct cli_backends *b = calloc(1, sizeof(*b));
	pthread_t th;
	int rc;

	if (!b)
		return NULL;
	b->fd = fd;
	b->domid = domid;
	snprintf(b->name, sizeof(b->name), "%s", cfg->name);
	b->log_fd = b->listen_fd = -1;
	for (int k = 0; k < MAX_CLIENTS; k++)
		b->clients[k].fd = -1;
	pthread_mutex_init(&b->lock, NULL);
	b->cons_port = CLI_CONSOLE_PORT;
	b->store_port = CLI_STORE_PORT;

	b->cons = map_special(fd, domid, XVMM_SPAGE_CONSOLE);
	if (!b->cons)
		blog(b, "no PV console backend: mmap of the console page: %s", strerror(errno));
	b->store_ring = map_special(fd, domid, XVMM_SPAGE_XENSTORE);
	if (!b->store_ring)
		blog(b, "no xenstore: mmap of the store page: %s", strerror(errno));
	else if ((rc = setup_store(b, cfg)))
		blog(b, "no xenstore: %s", strerror(-rc));
	else
		setup_devices(b, cfg);
	if (b->cons && (rc = open_log(b)))
		blog(b, "console log: %s (output is dropped)", strerror(-rc));
	if ((rc = open_socket(b)))
		blog(b, "control socket %s: %s (no console input, shutdown via DOM_SHUTDOWN)",
		     b->sock_path, strerror(-rc));
	if ((b->cons || b->xc) && pthread_create(&th, NULL, wait_thread, b) == 0)
		pthread_detach(th);
	if (b->listen_fd >= 0 && pthread_create(&th, NULL, socket_thread, b) == 0)
		pthread_detach(th);
	return b;
}

void cli_backends_stop(struct cli_backends *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);	/* held: the threads stop with the process */
	if (b->cons)
		console_service(b);	/* the last words */
	xb_bus_free(b->bus);		/* I/O threads joined, disks closed */
	b->bus = NULL;
	if (b->sock_path[0])
		unlink(b->sock_path);
	if (b->log_fd >= 0)
		fsync(b->log_fd);
}
