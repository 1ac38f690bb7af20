// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inside the xenstore library: the node tree (xs_tree.c), watches
 * (xs_watch.c), connections and requests (xs_proto.c), the ring
 * (xs_ring.c). Errors are negative errno values; xs_proto.c turns them
 * into Xen's error strings.
 */
#ifndef XENSTORED_XS_INTERNAL_H
#define XENSTORED_XS_INTERNAL_H

#include "xenstored.h"

#define XS_MAX_NODES		8192u	/* whole tree */
#define XS_QUOTA_NODES		1000u	/* nodes an unprivileged domain may own */
#define XS_QUOTA_WATCHES	128u
#define XS_QUOTA_TXS		10u
#define XS_MAX_OUT_MSGS		1024u	/* queued replies + events per connection */
#define XS_MAX_PERMS		32u

struct xs_perm {
	uint32_t domid;
	uint8_t perm;			/* XS_PERM_* */
};

struct xs_node {
	char *name;			/* path component; "" for the root */
	char *value;
	uint32_t len;
	struct xs_perm *perms;		/* perms[0]: owner and default */
	uint32_t nr_perms;
	struct xs_node *parent, *children, *next;
};

struct xs_tree {
	struct xs_node *root;
	unsigned int nr_nodes;
};

/* Paths a change touched, for watches. rm: the node and all below it went. */
struct xs_change {
	char *path;
	bool rm;
};

struct xs_changes {
	struct xs_change *v;
	unsigned int n, cap;
};

/* ---- xs_tree.c ------------------------------------------------------------ */

/* Absolute form of a path a domain sent: relative ones are under its home. */
int xs_path_canon(uint32_t domid, const char *in, char *out, size_t cap);
bool xs_path_valid(const char *abs);

int xs_tree_init(struct xs_tree *t);
void xs_tree_destroy(struct xs_tree *t);
int xs_tree_clone(const struct xs_tree *src, struct xs_tree *dst);

struct xs_node *xs_tree_find(const struct xs_tree *t, const char *abs);
/* The node or its nearest existing ancestor. */
struct xs_node *xs_tree_find_near(const struct xs_tree *t, const char *abs);
unsigned int xs_perm_of(const struct xs_node *n, uint32_t domid);

int xs_tree_read(const struct xs_tree *t, uint32_t domid, const char *abs,
		 const struct xs_node **out);
/* Write (or, with mkdir, create if missing), creating ancestors. */
int xs_tree_write(struct xs_tree *t, uint32_t domid, const char *abs, const char *val,
		  uint32_t len, bool mkdir, struct xs_changes *ch);
int xs_tree_rm(struct xs_tree *t, uint32_t domid, const char *abs, struct xs_changes *ch);
int xs_tree_set_perms(struct xs_tree *t, uint32_t domid, const char *abs,
		      const struct xs_perm *p, uint32_t n, struct xs_changes *ch);

/* "r5" -> perm; -EINVAL if malformed. */
int xs_perm_parse(const char *s, struct xs_perm *p);
/* perm -> "r5" (cap >= 12). */
void xs_perm_format(const struct xs_perm *p, char *out, size_t cap);

int xs_changes_add(struct xs_changes *ch, const char *path, bool rm);
void xs_changes_free(struct xs_changes *ch);

/* ---- xs_watch.c ------------------------------------------------------------ */

struct xs_watch {
	char *path;			/* absolute, or "@introduceDomain" ... */
	char *token;
	bool relative;			/* events carry the path relative to home */
	struct xs_watch *next;
};

int xs_watch_add(struct xs_conn *c, const char *path, const char *token);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_clear(struct xs_conn *c);
/* Queue events for every watch a change fires, on every connection. */
void xs_watch_fire(struct xs_store *st, const struct xs_changes *ch);
void xs_watch_fire_special(struct xs_store *st, const char *name);

/* ---- xs_proto.c: connections ------------------------------------------ */

struct xs_msg {
	struct xs_msg *next;
	uint32_t len;			/* header + payload */
	unsigned char data[];
};

struct xs_tx {
	uint32_t id;
	uint64_t base_gen;		/* store generation when it started */
	struct xs_tree tree;		/* private copy the transaction works on */
	struct xs_changes changes;
	struct xs_tx *next;
};

struct xs_conn {
	struct xs_store *st;
	struct xs_conn *next;
	uint32_t domid;
	bool privileged;
	bool broken;
	struct xs_watch *watches;
	unsigned int nr_watches;
	struct xs_tx *txs;
	unsigned int nr_txs;
	uint32_t next_txid;
	/* ring input: a message being assembled */
	unsigned char in[sizeof(struct xs_hdr) + XS_PAYLOAD_MAX];
	uint32_t in_have;
	/* output queue */
	struct xs_msg *out_head, *out_tail;
	uint32_t out_off;		/* bytes of out_head already sent */
	unsigned int out_count;
	size_t out_bytes;
};

struct xs_store {
	struct xs_tree tree;
	uint64_t gen;			/* bumped on every change to tree */
	struct xs_conn *conns;
};

/* Queue a message; false if the queue is full (the message is dropped). */
bool xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		  const void *a, uint32_t alen, const void *b, uint32_t blen);
const char *xs_errno_name(int err);

#endif /* XENSTORED_XS_INTERNAL_H */
