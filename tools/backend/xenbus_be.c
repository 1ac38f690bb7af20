// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenbus backend plumbing (xenbus_be.h): device nodes as libxl writes them
 * (tools/libs/light/libxl_device.c libxl__device_generic_add: backend
 * directory n0 rD, frontend directory nD r0, both `state` = Initialising)
 * and the backend's state machine, as Linux's in-kernel backends run it
 * (drivers/block/xen-blkback/xenbus.c frontend_changed): InitWait once the
 * features are published; Connected once the frontend is Initialised or
 * Connected and its rings are mapped; Closing when it closes; Closed when
 * it is Closed; back to InitWait if it starts over.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenbus_be.h"

#define PATH_CAP	256
#define MAX_DEVS	64

struct xb_dev {
	struct xb_bus *bus;
	const struct xb_dev_ops *ops;
	void *priv;
	uint32_t devid;
	enum xenbus_state state;	/* the backend's, as last written */
	bool connected;			/* ops->connect succeeded, no disconnect since */
	bool removing;			/* xb_dev_remove: goes once the frontend closed */
	char back[PATH_CAP], front[PATH_CAP], front_state[PATH_CAP + 8];
};

struct xb_bus {
	struct xs_store *st;
	struct xs_conn *conn;		/* the watches */
	uint32_t domid;
	struct xb_dev *devs[MAX_DEVS];
	unsigned int nr;
};

enum xenbus_state xb_parse_state(const char *s)
{
	if (s[0] >= '1' && s[0] <= '8' && s[1] == '\0')
		return (enum xenbus_state)(s[0] - '0');
	return XenbusStateUnknown;
}

enum xb_action xb_next(enum xenbus_state be, enum xenbus_state fe, bool broken)
{
	if (be == XenbusStateClosed) {
		/* A frontend that starts over (reload, kexec) gets a fresh InitWait. */
		return fe == XenbusStateInitialising && !broken ? XB_REINIT : XB_NONE;
	}
	switch (fe) {
	case XenbusStateClosed:
	case XenbusStateUnknown:	/* its node went, or holds garbage */
		return XB_CLOSED;
	case XenbusStateClosing:
		return be == XenbusStateClosing ? XB_NONE : XB_CLOSE;
	default:
		break;
	}
	if (broken)
		return be == XenbusStateClosing ? XB_NONE : XB_CLOSE;
	if (be == XenbusStateInitWait &&
	    (fe == XenbusStateInitialised || fe == XenbusStateConnected))
		return XB_CONNECT;
	return XB_NONE;
}

/* ---- nodes ------------------------------------------------------------------ */

static int vwrite(struct xb_dev *dev, const char *dir, const char *key, const char *fmt,
		  va_list ap)
{
	char path[PATH_CAP + 64], val[512];
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	n = vsnprintf(val, sizeof(val), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(val))
		return -E2BIG;
	return xs_tool_write(dev->bus->st, path, val);
}

int xb_back_printf(struct xb_dev *dev, const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwrite(dev, dev->back, key, fmt, ap);
	va_end(ap);
	return rc;
}

int xb_front_printf(struct xb_dev *dev, const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vwrite(dev, dev->front, key, fmt, ap);
	va_end(ap);
	return rc;
}

int xb_front_read(struct xb_dev *dev, const char *key, char *buf, size_t cap)
{
	char path[PATH_CAP + 64];
	int n = snprintf(path, sizeof(path), "%s/%s", dev->front, key);

	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return xs_tool_read(dev->bus->st, path, buf, cap);
}

int xb_front_read_uint(struct xb_dev *dev, const char *key, uint64_t limit, uint64_t *out)
{
	char buf[32];
	uint64_t v = 0;
	int rc = xb_front_read(dev, key, buf, sizeof(buf));

	if (rc)
		return rc;
	if (!buf[0])
		return -EINVAL;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= limit)
			return -EINVAL;
	}
	*out = v;
	return 0;
}

void xb_dev_error(struct xb_dev *dev, int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Linux's format: "<errno> <message>". */
	xb_back_printf(dev, "error", "%d %s", err < 0 ? -err : err, msg);
}

static void set_state(struct xb_dev *dev, enum xenbus_state s)
{
	dev->state = s;
	xb_back_printf(dev, "state", "%d", (int)s);
}

/* ---- devices ------------------------------------------------------------------ */

struct xb_dev *xb_dev_new(struct xb_bus *bus, const struct xb_dev_ops *ops, uint32_t devid,
			  void *priv, int *err)
{
	uint32_t d = bus->domid;
	char perms[32];
	struct xb_dev *dev;
	int rc = 0;

	if (xb_dev_find(bus, ops->kind, devid)) {
		*err = -EEXIST;
		return NULL;
	}
	if (bus->nr == MAX_DEVS) {
		*err = -ENOSPC;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		*err = -ENOMEM;
		return NULL;
	}
	dev->bus = bus;
	dev->ops = ops;
	dev->priv = priv;
	dev->devid = devid;
	dev->state = XenbusStateInitialising;
	snprintf(dev->back, sizeof(dev->back), "/local/domain/0/backend/%s/%u/%u", ops->kind, d, devid);
	snprintf(dev->front, sizeof(dev->front), "/local/domain/%u/device/%s/%u", d, ops->kind, devid);
	snprintf(dev->front_state, sizeof(dev->front_state), "%s/state", dev->front);

	/* Old nodes of a device of that number (a detach that did not finish). */
	xs_tool_rm(bus->st, dev->back);
	xs_tool_rm(bus->st, dev->front);

	/* Backend: dom0's, the guest reads it. Frontend: the guest's, dom0 reads it. */
	rc = xs_tool_write(bus->st, dev->back, "");
	snprintf(perms, sizeof(perms), "n0 r%u", d);
	rc = rc ? rc : xs_tool_set_perms(bus->st, dev->back, perms);
	rc = rc ? rc : xb_back_printf(dev, "frontend", "%s", dev->front);
	rc = rc ? rc : xb_back_printf(dev, "frontend-id", "%u", d);
	rc = rc ? rc : xb_back_printf(dev, "online", "1");
	rc = rc ? rc : xb_back_printf(dev, "state", "%d", XenbusStateInitialising);
	rc = rc ? rc : xs_tool_write(bus->st, dev->front, "");
	snprintf(perms, sizeof(perms), "n%u r0", d);
	rc = rc ? rc : xs_tool_set_perms(bus->st, dev->front, perms);
	rc = rc ? rc : xb_front_printf(dev, "backend", "%s", dev->back);
	rc = rc ? rc : xb_front_printf(dev, "backend-id", "0");
	rc = rc ? rc : xb_front_printf(dev, "state", "%d", XenbusStateInitialising);
	rc = rc ? rc : xs_tool_watch(bus->conn, dev->front_state, dev->back);
	if (rc) {
		xs_tool_rm(bus->st, dev->back);
		xs_tool_rm(bus->st, dev->front);
		free(dev);
		*err = rc;
		return NULL;
	}
	bus->devs[bus->nr++] = dev;
	*err = 0;
	return dev;
}

int xb_dev_start(struct xb_dev *dev)
{
	int rc = dev->ops->publish ? dev->ops->publish(dev) : 0;

	if (rc)
		return rc;
	set_state(dev, XenbusStateInitWait);
	return 0;
}

static void dev_disconnect(struct xb_dev *dev)
{
	if (dev->connected && dev->ops->disconnect)
		dev->ops->disconnect(dev);
	dev->connected = false;
}

/* Unlink, release, remove the nodes. */
void xb_dev_destroy(struct xb_dev *dev)
{
	struct xb_bus *bus = dev->bus;

	dev_disconnect(dev);
	xs_tool_unwatch(bus->conn, dev->front_state, dev->back);
	if (dev->ops->release)
		dev->ops->release(dev);
	xs_tool_rm(bus->st, dev->back);
	xs_tool_rm(bus->st, dev->front);
	for (unsigned int i = 0; i < bus->nr; i++) {
		if (bus->devs[i] == dev) {
			bus->devs[i] = bus->devs[--bus->nr];
			break;
		}
	}
	free(dev);
}

void xb_dev_remove(struct xb_dev *dev)
{
	char buf[8];
	enum xenbus_state fe = XenbusStateUnknown;

	dev->removing = true;
	if (!xb_front_read(dev, "state", buf, sizeof(buf)))
		fe = xb_parse_state(buf);
	/* A frontend that never connected has nothing to tear down. */
	if (!dev->connected && fe != XenbusStateConnected && fe != XenbusStateInitialised) {
		xb_dev_destroy(dev);
		return;
	}
	dev_disconnect(dev);
	set_state(dev, XenbusStateClosing);
}

struct xb_dev *xb_dev_find(struct xb_bus *bus, const char *kind, uint32_t devid)
{
	for (unsigned int i = 0; i < bus->nr; i++)
		if (bus->devs[i]->devid == devid && !strcmp(bus->devs[i]->ops->kind, kind))
			return bus->devs[i];
	return NULL;
}

/* One device's step; true if it wrote to the store. */
static bool dev_step(struct xb_dev *dev)
{
	char buf[16];
	enum xenbus_state fe = XenbusStateUnknown;
	bool broken = dev->connected && dev->ops->broken && dev->ops->broken(dev);
	int rc;

	if (!xb_front_read(dev, "state", buf, sizeof(buf)))
		fe = xb_parse_state(buf);
	if (dev->removing && (fe == XenbusStateClosed || fe == XenbusStateUnknown ||
			      dev->state == XenbusStateClosed)) {
		xb_dev_destroy(dev);
		return true;
	}
	switch (xb_next(dev->state, fe, broken || dev->removing)) {
	case XB_CONNECT:
		rc = dev->ops->connect(dev);
		if (rc) {
			xb_dev_error(dev, rc, "connecting to the frontend");
			set_state(dev, XenbusStateClosing);
			return true;
		}
		dev->connected = true;
		set_state(dev, XenbusStateConnected);
		return true;
	case XB_CLOSE:
		dev_disconnect(dev);
		set_state(dev, XenbusStateClosing);
		return true;
	case XB_CLOSED:
		dev_disconnect(dev);
		set_state(dev, XenbusStateClosed);
		if (dev->removing)
			xb_dev_destroy(dev);
		return true;
	case XB_REINIT:
		set_state(dev, XenbusStateInitWait);
		return true;
	case XB_NONE:
		break;
	}
	return false;
}

bool xb_service(struct xb_bus *bus)
{
	char path[PATH_CAP + 8], token[PATH_CAP];
	bool changed = false, again = true;

	/* The events are only a trigger: each step rereads the states. */
	while (xs_tool_event(bus->conn, path, sizeof(path), token, sizeof(token)) == 1)
		;
	/* A step can make another one due (Closing, then Closed at once). */
	for (int round = 0; again && round < 4; round++) {
		again = false;
		for (unsigned int i = 0; i < bus->nr; i++) {
			struct xb_dev *dev = bus->devs[i];
			unsigned int nr = bus->nr;

			if (dev_step(dev)) {
				changed = again = true;
				if (bus->nr != nr)
					break;		/* dev went: the array moved */
			}
		}
		while (xs_tool_event(bus->conn, path, sizeof(path), token, sizeof(token)) == 1)
			;
	}
	return changed;
}

/* ---- the bus ------------------------------------------------------------------ */

struct xb_bus *xb_bus_new(struct xs_store *st, uint32_t domid)
{
	struct xb_bus *bus = calloc(1, sizeof(*bus));

	if (!bus)
		return NULL;
	bus->st = st;
	bus->domid = domid;
	bus->conn = xs_tool_conn(st);
	if (!bus->conn) {
		free(bus);
		return NULL;
	}
	return bus;
}

void xb_bus_free(struct xb_bus *bus)
{
	if (!bus)
		return;
	while (bus->nr)
		xb_dev_destroy(bus->devs[bus->nr - 1]);
	xs_conn_release(bus->conn);
	free(bus);
}

void *xb_dev_priv(const struct xb_dev *dev) { return dev->priv; }
bool xb_dev_removing(const struct xb_dev *dev) { return dev->removing; }
uint32_t xb_dev_domid(const struct xb_dev *dev) { return dev->bus->domid; }
uint32_t xb_dev_devid(const struct xb_dev *dev) { return dev->devid; }
enum xenbus_state xb_dev_state(const struct xb_dev *dev) { return dev->state; }
const char *xb_dev_backend_path(const struct xb_dev *dev) { return dev->back; }
const char *xb_dev_frontend_path(const struct xb_dev *dev) { return dev->front; }
unsigned int xb_bus_count(const struct xb_bus *bus) { return bus->nr; }

struct xb_dev *xb_bus_dev(const struct xb_bus *bus, unsigned int i)
{
	return i < bus->nr ? bus->devs[i] : NULL;
}
