// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xenbus for dom0's user-space backends (docs/pv-devices.md): the
 * xenstore nodes of a PV device as libxl writes them, and the backend's
 * half of the xenbus state machine (Xen's io/xenbus.h), driven by a watch
 * on the frontend's `state` node. Device kinds (vbd today, vif next) plug
 * in through struct xb_dev_ops; this file knows nothing of rings.
 *
 * For device DEVID of domain D of kind KIND ("vbd"):
 *   backend   /local/domain/0/backend/KIND/D/DEVID   perms n0 rD
 *             frontend, frontend-id, online, state + the kind's nodes
 *   frontend  /local/domain/D/device/KIND/DEVID      perms nD r0
 *             backend, backend-id, state + the kind's nodes
 *
 * Threads: every call here runs under the runner's one lock (the store is
 * not thread-safe); the ops are called with it held, so they must not
 * wait for a thread that takes it.
 */
#ifndef XVMM_XENBUS_BE_H
#define XVMM_XENBUS_BE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xenbus.h>
#include <xenstored.h>

struct xb_bus;
struct xb_dev;

struct xb_dev_ops {
	const char *kind;		/* the xenstore directory name: "vbd", "vif" */
	/* Before InitWait: write the backend's feature nodes. 0 or -errno. */
	int (*publish)(struct xb_dev *dev);
	/*
	 * The frontend is Initialised (or Connected): read its nodes, map its
	 * rings, bind its event channel, start serving. 0, or -errno (the
	 * device then closes, its error node saying why).
	 */
	int (*connect)(struct xb_dev *dev);
	/* Stop serving and let go of the frontend's rings and ports (idempotent). */
	void (*disconnect)(struct xb_dev *dev);
	/* Has the device given up on its frontend (a malformed ring)? */
	bool (*broken)(struct xb_dev *dev);
	/* The device is removed: free the kind's state (after disconnect). */
	void (*release)(struct xb_dev *dev);
};

/* What the state machine does next, from the two ends' states. */
enum xb_action {
	XB_NONE = 0,
	XB_CONNECT,		/* frontend ready, backend waiting: connect, go Connected */
	XB_CLOSE,		/* frontend closing (or we broke): disconnect, go Closing */
	XB_CLOSED,		/* frontend closed or gone: disconnect, go Closed */
	XB_REINIT,		/* frontend starts over after Closed: go InitWait again */
};

/*
 * The transition rule alone (pure, unit tested): be is the backend's
 * state, fe what the frontend's node says (XenbusStateUnknown when it is
 * missing or not a state), broken whether the device gave up.
 */
enum xb_action xb_next(enum xenbus_state be, enum xenbus_state fe, bool broken);

/* Parse a state node's text: a state 1..8, else XenbusStateUnknown. */
enum xenbus_state xb_parse_state(const char *s);

/* One bus per domain. NULL when out of memory. */
struct xb_bus *xb_bus_new(struct xs_store *st, uint32_t domid);
/* Disconnect and release every device, remove their nodes, free the bus. */
void xb_bus_free(struct xb_bus *bus);

/*
 * A new device: write both directories (with priv's kind nodes, written
 * by the caller between xb_dev_new and xb_dev_start), set the watch.
 */
struct xb_dev *xb_dev_new(struct xb_bus *bus, const struct xb_dev_ops *ops, uint32_t devid,
			  void *priv, int *err);
/* Publish (ops->publish) and go to InitWait. 0 or -errno. */
int xb_dev_start(struct xb_dev *dev);
/*
 * Hot unplug: ask the frontend to close (backend Closing); once it has
 * (or at once when it never connected), the device is disconnected,
 * released and its nodes removed.
 */
void xb_dev_remove(struct xb_dev *dev);
/* Forced unplug: disconnect, release and remove the nodes now. */
void xb_dev_destroy(struct xb_dev *dev);
struct xb_dev *xb_dev_find(struct xb_bus *bus, const char *kind, uint32_t devid);
/* Was xb_dev_remove() called on it (it is going)? */
bool xb_dev_removing(const struct xb_dev *dev);

/*
 * Take the bus's watch events and run each device's state machine; also
 * notices devices that broke. Returns true when it changed the store
 * (the guest's xenstore ring may then have events to send).
 */
bool xb_service(struct xb_bus *bus);

/* Accessors for the kind's code. */
void *xb_dev_priv(const struct xb_dev *dev);
uint32_t xb_dev_domid(const struct xb_dev *dev);
uint32_t xb_dev_devid(const struct xb_dev *dev);
enum xenbus_state xb_dev_state(const struct xb_dev *dev);
const char *xb_dev_backend_path(const struct xb_dev *dev);
const char *xb_dev_frontend_path(const struct xb_dev *dev);

/* Write BACKEND/key or FRONTEND/key (printf-style). 0 or -errno. */
int xb_back_printf(struct xb_dev *dev, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xb_front_printf(struct xb_dev *dev, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Read FRONTEND/key into buf: 0, -ENOENT. */
int xb_front_read(struct xb_dev *dev, const char *key, char *buf, size_t cap);
/* Read FRONTEND/key as an unsigned decimal below limit: 0, -ENOENT, -EINVAL. */
int xb_front_read_uint(struct xb_dev *dev, const char *key, uint64_t limit, uint64_t *out);
/* Say why the device failed, in BACKEND/error (as Linux's xenbus_dev_fatal does). */
void xb_dev_error(struct xb_dev *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How many devices the bus has (for tests and block-list). */
unsigned int xb_bus_count(const struct xb_bus *bus);
struct xb_dev *xb_bus_dev(const struct xb_bus *bus, unsigned int i);

#endif /* XVMM_XENBUS_BE_H */
