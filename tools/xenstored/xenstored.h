// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small xenstore for one xvmm domain, linked into the domain's runner
 * (docs/xenstore.md says why it is not a daemon). The store is a tree of
 * nodes in memory, each with a value and permissions. Connections are
 * the guest (its ring page, xs_ring.c) and the in-process toolstack
 * (privileged, domid 0, the xs_tool_* calls). Not thread-safe: the
 * runner holds one lock around every call.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xs_wire.h"

struct xs_store;
struct xs_conn;

struct xs_store *xs_store_new(void);
void xs_store_free(struct xs_store *st);

/*
 * A guest's connection (INTRODUCE from the toolstack's side): fires the
 * @introduceDomain watch. xs_conn_release() is RELEASE: its watches and
 * transactions go, @releaseDomain fires.
 */
struct xs_conn *xs_conn_introduce(struct xs_store *st, uint32_t domid);
void xs_conn_release(struct xs_conn *c);

/*
 * Handle one complete request (header + payload) from c; the reply and
 * any watch events it causes are queued on the connections concerned.
 */
void xs_conn_request(struct xs_conn *c, const struct xs_hdr *h, const char *payload);

/* Queued output of c: bytes waiting, and take up to cap of them. */
size_t xs_conn_pending(const struct xs_conn *c);
size_t xs_conn_take(struct xs_conn *c, void *buf, size_t cap);

/*
 * Move what the guest wrote on its request ring into the store and what
 * the store has for it onto the response ring. Returns true when the
 * guest should be notified (indices moved). A malformed stream or bad
 * indices set ring->error and stop service on that connection for good.
 */
bool xs_ring_service(struct xs_conn *c, struct xs_ring_page *ring);
bool xs_conn_broken(const struct xs_conn *c);

/* ---- the toolstack (privileged, domid 0; fires watches) ---------------- */

int xs_tool_write(struct xs_store *st, const char *path, const char *value);
/* perms: "n0 r5" style, space-separated (first is the owner). */
int xs_tool_set_perms(struct xs_store *st, const char *path, const char *perms);
/* Value of path into buf (NUL-terminated, truncated to cap). -ENOENT. */
int xs_tool_read(struct xs_store *st, const char *path, char *buf, size_t cap);
int xs_tool_rm(struct xs_store *st, const char *path);

/*
 * The toolstack's own watches (dom0's backends in the runner follow their
 * frontends this way): a privileged connection that no ring serves; its
 * watch events wait on it until xs_tool_event() takes them, one at a time
 * (1 and the event's path and token, or 0 when none is queued). Unlike a
 * WATCH request, xs_tool_watch() queues no initial event: the caller
 * reads the current state itself. Released with xs_conn_release().
 */
struct xs_conn *xs_tool_conn(struct xs_store *st);
int xs_tool_watch(struct xs_conn *c, const char *path, const char *token);
int xs_tool_unwatch(struct xs_conn *c, const char *path, const char *token);
int xs_tool_event(struct xs_conn *c, char *path, size_t pcap, char *token, size_t tcap);

/* What the toolstack writes for a PVH domain, as libxl does. */
struct xs_domain_info {
	uint32_t domid;
	const char *name;
	const char *uuid;		/* "xxxxxxxx-xxxx-..." */
	uint64_t memory_kib;		/* memory/target and memory/static-max */
	unsigned int vcpus;
	uint64_t console_gfn;		/* 0: no PV console */
	uint32_t console_port;
	uint64_t store_gfn;
	uint32_t store_port;
};
int xs_domain_populate(struct xs_store *st, const struct xs_domain_info *d);

/*
 * Ask the guest to power off / reboot (reason "poweroff", "reboot") by
 * writing control/shutdown, as xl does. -EOPNOTSUPP if the guest never
 * said it listens (control/feature-<reason> is not "1").
 */
int xs_domain_shutdown(struct xs_store *st, uint32_t domid, const char *reason);
/* `xl mem-set`: memory/target = kib, which the guest's balloon driver watches. */
int xs_domain_set_target(struct xs_store *st, uint32_t domid, uint64_t kib);

/* A random version-4 UUID as text (37 bytes with the NUL). */
void xs_uuid_random(char out[37]);

#endif /* XENSTORED_H */
