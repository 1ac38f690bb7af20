// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections and requests: one xenstore message in, its reply (and any
 * watch events) queued out. Message semantics follow Xen's
 * docs/misc/xenstore.txt; error replies carry Xen's errno names.
 *
 * Transactions work on a private copy of the tree taken at
 * TRANSACTION_START. TRANSACTION_END "T" installs the copy if nothing
 * changed the store since the start (else EAGAIN: the guest retries, as
 * xenbus does), then fires the watches of what the transaction changed;
 * "F" drops it. Coarser than Xen's per-node conflict check, never wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

#define MAX_ARGS	(XS_MAX_PERMS + 1)

static const struct { int err; const char *name; } errnames[] = {
	{ EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
	{ EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
	{ ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
	{ ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
	{ EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
	{ EPERM, "EPERM" },
};

const char *xs_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "EIO";
}

struct xs_store *xs_store_new(void)
{
	struct xs_store *st = calloc(1, sizeof(*st));

	if (st && xs_tree_init(&st->tree)) {
		free(st);
		return NULL;
	}
	return st;
}

static void conn_free(struct xs_conn *c)
{
	xs_watch_clear(c);
	while (c->txs) {
		struct xs_tx *t = c->txs;

		c->txs = t->next;
		xs_tree_destroy(&t->tree);
		xs_changes_free(&t->changes);
		free(t);
	}
	while (c->out_head) {
		struct xs_msg *m = c->out_head;

		c->out_head = m->next;
		free(m);
	}
	free(c);
}

void xs_store_free(struct xs_store *st)
{
	if (!st)
		return;
	while (st->conns) {
		struct xs_conn *c = st->conns;

		st->conns = c->next;
		conn_free(c);
	}
	xs_tree_destroy(&st->tree);
	free(st);
}

struct xs_conn *xs_conn_introduce(struct xs_store *st, uint32_t domid)
{
	struct xs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->st = st;
	c->domid = domid;
	c->privileged = domid == 0;
	c->next_txid = 1;
	c->next = st->conns;
	st->conns = c;
	xs_watch_fire_special(st, "@introduceDomain");
	return c;
}

void xs_conn_release(struct xs_conn *c)
{
	struct xs_store *st = c->st;

	for (struct xs_conn **pp = &st->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	conn_free(c);
	xs_watch_fire_special(st, "@releaseDomain");
}

bool xs_conn_broken(const struct xs_conn *c)
{
	return c->broken;
}

bool xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		  const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	struct xs_hdr h = { type, req_id, tx_id, alen + blen };
	struct xs_msg *m;

	if ((uint64_t)alen + blen > XS_PAYLOAD_MAX || c->out_count >= XS_MAX_OUT_MSGS)
		return false;
	m = malloc(sizeof(*m) + sizeof(h) + alen + blen);
	if (!m)
		return false;
	m->next = NULL;
	m->len = (uint32_t)sizeof(h) + alen + blen;
	memcpy(m->data, &h, sizeof(h));
	if (alen)
		memcpy(m->data + sizeof(h), a, alen);
	if (blen)
		memcpy(m->data + sizeof(h) + alen, b, blen);
	if (type == XS_WATCH_EVENT) {
		if (c->out_tail)
			c->out_tail->next = m;
		else
			c->out_head = m;
		c->out_tail = m;
	} else {
		/* Replies go ahead of queued watch events (not of a half-sent one). */
		struct xs_msg **pp = &c->out_head;

		while (*pp && (((struct xs_hdr *)(*pp)->data)->type != XS_WATCH_EVENT ||
			       (*pp == c->out_head && c->out_off))) {
			pp = &(*pp)->next;
		}
		m->next = *pp;
		*pp = m;
		if (!m->next)
			c->out_tail = m;
	}
	c->out_count++;
	c->out_bytes += m->len;
	return true;
}

size_t xs_conn_pending(const struct xs_conn *c)
{
	return c->out_bytes - c->out_off;
}

size_t xs_conn_take(struct xs_conn *c, void *buf, size_t cap)
{
	size_t done = 0;

	while (c->out_head && done < cap) {
		struct xs_msg *m = c->out_head;
		size_t n = m->len - c->out_off;

		if (n > cap - done)
			n = cap - done;
		memcpy((char *)buf + done, m->data + c->out_off, n);
		done += n;
		c->out_off += (uint32_t)n;
		if (c->out_off == m->len) {
			c->out_head = m->next;
			if (!c->out_head)
				c->out_tail = NULL;
			c->out_bytes -= m->len;
			c->out_off = 0;
			c->out_count--;
			free(m);
		}
	}
	return done;
}

/* ---- requests ------------------------------------------------------------- */

static void reply(struct xs_conn *c, const struct xs_hdr *h, const void *p, uint32_t len)
{
	xs_conn_send(c, h->type, h->req_id, h->tx_id, p, len, NULL, 0);
}

static void reply_str(struct xs_conn *c, const struct xs_hdr *h, const char *s)
{
	reply(c, h, s, (uint32_t)strlen(s) + 1);
}

static void reply_err(struct xs_conn *c, const struct xs_hdr *h, int err)
{
	const char *s = xs_errno_name(err);

	xs_conn_send(c, XS_ERROR, h->req_id, h->tx_id, s, (uint32_t)strlen(s) + 1, NULL, 0);
}

/* NUL-terminated strings of the payload into v; -EINVAL unless it ends in NUL. */
static int split(const char *p, uint32_t len, const char **v, unsigned int max)
{
	unsigned int n = 0;

	if (len == 0 || p[len - 1] != '\0')
		return -EINVAL;
	for (uint32_t i = 0; i < len; i += (uint32_t)strlen(p + i) + 1) {
		if (n == max)
			return -EINVAL;
		v[n++] = p + i;
	}
	return (int)n;
}

static int parse_domid(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 0xffff)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* The tree a request works on: the store's, or its transaction's copy. */
static int tree_of(struct xs_conn *c, uint32_t tx_id, struct xs_tree **t, struct xs_tx **tx)
{
	*tx = NULL;
	*t = &c->st->tree;
	if (tx_id == 0)
		return 0;
	for (struct xs_tx *x = c->txs; x; x = x->next) {
		if (x->id == tx_id) {
			*tx = x;
			*t = &x->tree;
			return 0;
		}
	}
	return -ENOENT;
}

/* After a change: fire now, or remember it for the transaction's end. */
static void changed(struct xs_conn *c, struct xs_tx *tx, struct xs_changes *ch)
{
	if (tx) {
		for (unsigned int i = 0; i < ch->n; i++)
			xs_changes_add(&tx->changes, ch->v[i].path, ch->v[i].rm);
	} else if (ch->n) {
		c->st->gen++;
		xs_watch_fire(c->st, ch);
	}
	xs_changes_free(ch);
}

static int do_read_like(struct xs_conn *c, const struct xs_hdr *h, struct xs_tree *t,
			const char *abs)
{
	const struct xs_node *n;
	char buf[XS_PAYLOAD_MAX];
	uint32_t len = 0;
	int rc = xs_tree_read(t, c->domid, abs, &n);

	if (rc)
		return rc;
	if (h->type == XS_READ) {
		reply(c, h, n->value, n->len);
		return 0;
	}
	if (h->type == XS_DIRECTORY) {
		for (const struct xs_node *k = n->children; k; k = k->next) {
			size_t l = strlen(k->name) + 1;

			if (len + l > sizeof(buf))
				return -E2BIG;
			memcpy(buf + len, k->name, l);
			len += (uint32_t)l;
		}
	} else {	/* XS_GET_PERMS */
		for (uint32_t i = 0; i < n->nr_perms; i++) {
			char s[16];

			xs_perm_format(&n->perms[i], s, sizeof(s));
			memcpy(buf + len, s, strlen(s) + 1);
			len += (uint32_t)strlen(s) + 1;
		}
	}
	reply(c, h, buf, len);
	return 0;
}

static int do_tx_start(struct xs_conn *c, const struct xs_hdr *h)
{
	struct xs_tx *tx;
	char id[16];

	if (h->tx_id)
		return -EBUSY;
	if (!c->privileged && c->nr_txs >= XS_QUOTA_TXS)
		return -ENOSPC;
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return -ENOMEM;
	if (xs_tree_clone(&c->st->tree, &tx->tree)) {
		free(tx);
		return -ENOMEM;
	}
	tx->id = c->next_txid++;
	if (c->next_txid == 0)
		c->next_txid = 1;
	tx->base_gen = c->st->gen;
	tx->next = c->txs;
	c->txs = tx;
	c->nr_txs++;
	snprintf(id, sizeof(id), "%u", tx->id);
	reply_str(c, h, id);
	return 0;
}

static int do_tx_end(struct xs_conn *c, const struct xs_hdr *h, const char *arg)
{
	struct xs_tx **pp, *tx;
	int rc = 0;

	if (strcmp(arg, "T") && strcmp(arg, "F"))
		return -EINVAL;
	for (pp = &c->txs; *pp && (*pp)->id != h->tx_id; pp = &(*pp)->next)
		;
	tx = *pp;
	if (!tx || h->tx_id == 0)
		return -ENOENT;
	*pp = tx->next;
	c->nr_txs--;
	if (arg[0] == 'T' && tx->base_gen != c->st->gen) {
		rc = -EAGAIN;
	} else if (arg[0] == 'T') {
		struct xs_tree old = c->st->tree;

		c->st->tree = tx->tree;
		tx->tree = old;
		if (tx->changes.n) {
			c->st->gen++;
			xs_watch_fire(c->st, &tx->changes);
		}
	}
	xs_tree_destroy(&tx->tree);
	xs_changes_free(&tx->changes);
	free(tx);
	if (!rc)
		reply_str(c, h, "OK");
	return rc;
}

static int do_domain_op(struct xs_conn *c, const struct xs_hdr *h, const char **v, int n)
{
	uint32_t domid;
	struct xs_conn *d = NULL;
	char path[32];

	if (parse_domid(v[0], &domid))
		return -EINVAL;
	if (h->type == XS_GET_DOMAIN_PATH) {
		snprintf(path, sizeof(path), "/local/domain/%u", domid);
		reply_str(c, h, path);
		return 0;
	}
	if (!c->privileged)
		return -EACCES;
	for (d = c->st->conns; d && d->domid != domid; d = d->next)
		;
	switch (h->type) {
	case XS_IS_DOMAIN_INTRODUCED:
		reply_str(c, h, d ? "T" : "F");
		return 0;
	case XS_INTRODUCE:	/* "domid\0mfn\0port\0": the ring is mapped by the caller */
		if (n < 3)
			return -EINVAL;
		if (!d && !xs_conn_introduce(c->st, domid))
			return -ENOMEM;
		break;
	default:		/* XS_RELEASE */
		if (!d)
			return -ENOENT;
		if (d == c)
			return -EINVAL;
		xs_conn_release(d);
		break;
	}
	reply_str(c, h, "OK");
	return 0;
}

static int dispatch(struct xs_conn *c, const struct xs_hdr *h, const char *p)
{
	const char *v[MAX_ARGS];
	char abs[XS_ABS_PATH_MAX + 64];
	struct xs_changes ch = { 0 };
	struct xs_perm perms[XS_MAX_PERMS];
	struct xs_tree *t;
	struct xs_tx *tx;
	int n, rc;

	switch (h->type) {
	case XS_WRITE:
		/* "path\0" then the value's raw bytes. */
		if (!memchr(p, '\0', h->len))
			return -EINVAL;
		v[0] = p;
		n = 1;
		break;
	case XS_TRANSACTION_START:
		return do_tx_start(c, h);
	case XS_RESET_WATCHES:
		xs_watch_clear(c);
		reply_str(c, h, "OK");
		return 0;
	default:
		n = split(p, h->len, v, MAX_ARGS);
		if (n < 0)
			return n;
	}
	switch (h->type) {
	case XS_TRANSACTION_END:
		return do_tx_end(c, h, v[0]);
	case XS_GET_DOMAIN_PATH:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_IS_DOMAIN_INTRODUCED:
		return do_domain_op(c, h, v, n);
	case XS_WATCH:
	case XS_UNWATCH:
		if (n != 2)
			return -EINVAL;
		rc = h->type == XS_WATCH ? xs_watch_add(c, v[0], v[1]) : xs_watch_del(c, v[0], v[1]);
		if (rc)
			return rc;
		reply_str(c, h, "OK");
		if (h->type == XS_WATCH)	/* the initial event, after the reply */
			xs_conn_send(c, XS_WATCH_EVENT, 0, 0, v[0], (uint32_t)strlen(v[0]) + 1,
				     v[1], (uint32_t)strlen(v[1]) + 1);
		return 0;
	default:
		break;
	}
	/* Path operations. */
	rc = tree_of(c, h->tx_id, &t, &tx);
	if (rc)
		return rc;
	rc = xs_path_canon(c->domid, v[0], abs, sizeof(abs));
	if (rc)
		return rc;
	switch (h->type) {
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
		return do_read_like(c, h, t, abs);
	case XS_WRITE: {
		uint32_t plen = (uint32_t)strlen(p) + 1;

		rc = xs_tree_write(t, c->domid, abs, p + plen, h->len - plen, false, &ch);
		break;
	}
	case XS_MKDIR:
		rc = xs_tree_write(t, c->domid, abs, "", 0, true, &ch);
		break;
	case XS_RM:
		rc = xs_tree_rm(t, c->domid, abs, &ch);
		break;
	case XS_SET_PERMS:
		if (n < 2)
			return -EINVAL;
		for (int i = 1; i < n; i++)
			if (xs_perm_parse(v[i], &perms[i - 1]))
				return -EINVAL;
		rc = xs_tree_set_perms(t, c->domid, abs, perms, (uint32_t)(n - 1), &ch);
		break;
	default:
		return -ENOSYS;
	}
	changed(c, tx, &ch);
	if (!rc)
		reply_str(c, h, "OK");
	return rc;
}

void xs_conn_request(struct xs_conn *c, const struct xs_hdr *h, const char *payload)
{
	int rc;

	if (h->len > XS_PAYLOAD_MAX)
		rc = -E2BIG;
	else if (h->type == XS_WATCH_EVENT || h->type == XS_ERROR)
		rc = -EINVAL;
	else if (h->len == 0 && h->type != XS_TRANSACTION_START && h->type != XS_RESET_WATCHES)
		rc = -EINVAL;
	else
		rc = dispatch(c, h, payload);
	if (rc)
		reply_err(c, h, rc);
}

/* ---- the toolstack's own watches ------------------------------------------- */

struct xs_conn *xs_tool_conn(struct xs_store *st)
{
	return xs_conn_introduce(st, 0);
}

int xs_tool_watch(struct xs_conn *c, const char *path, const char *token)
{
	return xs_watch_add(c, path, token);
}

int xs_tool_unwatch(struct xs_conn *c, const char *path, const char *token)
{
	return xs_watch_del(c, path, token);
}

int xs_tool_event(struct xs_conn *c, char *path, size_t pcap, char *token, size_t tcap)
{
	while (c->out_head) {
		struct xs_msg *m = c->out_head;
		const struct xs_hdr *h = (const struct xs_hdr *)m->data;
		const char *p = (const char *)m->data + sizeof(*h);
		size_t plen = strnlen(p, h->len);
		bool event = h->type == XS_WATCH_EVENT && plen < h->len;

		if (event) {
			snprintf(path, pcap, "%s", p);
			snprintf(token, tcap, "%.*s", (int)(h->len - plen - 1), p + plen + 1);
		}
		c->out_head = m->next;
		if (!c->out_head)
			c->out_tail = NULL;
		c->out_bytes -= m->len;
		c->out_off = 0;
		c->out_count--;
		free(m);
		if (event)
			return 1;
	}
	return 0;
}
