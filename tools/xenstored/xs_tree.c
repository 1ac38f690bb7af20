// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore node tree: paths, lookups, permissions, and the changes
 * READ/WRITE/MKDIR/RM/SET_PERMS make (docs/misc/xenstore.txt).
 *
 * Permission rules: domain 0 may do anything; a node's owner (perms[0])
 * may do anything with it; others get their own entry, or perms[0]'s
 * letter. Creating a node needs write access to its nearest existing
 * ancestor; a new node takes its parent's permissions, and is owned by
 * its creator when that is not domain 0. Unprivileged domains may own at
 * most XS_QUOTA_NODES nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' || c == '@';
}

bool xs_path_valid(const char *p)
{
	size_t len = strlen(p);

	if (len == 0 || p[0] != '/' || len > XS_ABS_PATH_MAX)
		return false;
	if (len > 1 && p[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!path_char_ok(p[i]) || (p[i] == '/' && p[i + 1] == '/'))
			return false;
	return true;
}

int xs_path_canon(uint32_t domid, const char *in, char *out, size_t cap)
{
	int n;

	if (in[0] == '/') {
		n = snprintf(out, cap, "%s", in);
	} else {
		if (in[0] == '\0' || strlen(in) > XS_REL_PATH_MAX)
			return -EINVAL;
		n = snprintf(out, cap, "/local/domain/%u/%s", domid, in);
	}
	if (n < 0 || (size_t)n >= cap || !xs_path_valid(out))
		return -EINVAL;
	return 0;
}

static struct xs_node *node_new(const char *name, size_t nlen)
{
	struct xs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, nlen);
	n->value = strdup("");
	if (!n->name || !n->value) {
		free(n->name);
		free(n->value);
		free(n);
		return NULL;
	}
	return n;
}

static void node_free(struct xs_node *n, unsigned int *count)
{
	while (n) {
		struct xs_node *next = n->next;

		node_free(n->children, count);
		free(n->name);
		free(n->value);
		free(n->perms);
		free(n);
		if (count)
			(*count)--;
		n = next;
	}
}

static int set_perms(struct xs_node *n, const struct xs_perm *p, uint32_t nr)
{
	struct xs_perm *np = malloc(nr * sizeof(*np));

	if (!np)
		return -ENOMEM;
	memcpy(np, p, nr * sizeof(*np));
	free(n->perms);
	n->perms = np;
	n->nr_perms = nr;
	return 0;
}

int xs_tree_init(struct xs_tree *t)
{
	static const struct xs_perm owner0 = { 0, XS_PERM_NONE };

	t->root = node_new("", 0);
	t->nr_nodes = 1;
	if (!t->root || set_perms(t->root, &owner0, 1)) {
		xs_tree_destroy(t);
		return -ENOMEM;
	}
	return 0;
}

void xs_tree_destroy(struct xs_tree *t)
{
	node_free(t->root, NULL);
	t->root = NULL;
	t->nr_nodes = 0;
}

static struct xs_node *clone_node(const struct xs_node *s, struct xs_node *parent)
{
	struct xs_node *n = node_new(s->name, strlen(s->name)), **tail;

	if (!n)
		return NULL;
	n->parent = parent;
	free(n->value);
	n->value = malloc(s->len + 1);
	if (!n->value || set_perms(n, s->perms, s->nr_perms))
		goto fail;
	memcpy(n->value, s->value, s->len + 1);
	n->len = s->len;
	tail = &n->children;
	for (const struct xs_node *c = s->children; c; c = c->next) {
		*tail = clone_node(c, n);
		if (!*tail)
			goto fail;
		tail = &(*tail)->next;
	}
	return n;
fail:
	if (!n->value)
		n->value = strdup("");
	node_free(n, NULL);
	return NULL;
}

int xs_tree_clone(const struct xs_tree *src, struct xs_tree *dst)
{
	dst->root = clone_node(src->root, NULL);
	dst->nr_nodes = src->nr_nodes;
	return dst->root ? 0 : -ENOMEM;
}

static struct xs_node *child(const struct xs_node *n, const char *name, size_t len)
{
	for (struct xs_node *c = n->children; c; c = c->next)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/* Walk abs as far as it exists; *rest is what is left ("" if found). */
static struct xs_node *walk(const struct xs_tree *t, const char *abs, const char **rest)
{
	struct xs_node *n = t->root;
	const char *p = abs + 1;

	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct xs_node *c = child(n, p, len);

		if (!c)
			break;
		n = c;
		p += len + (e ? 1 : 0);
	}
	*rest = p;
	return n;
}

struct xs_node *xs_tree_find(const struct xs_tree *t, const char *abs)
{
	const char *rest;
	struct xs_node *n = walk(t, abs, &rest);

	return *rest ? NULL : n;
}

struct xs_node *xs_tree_find_near(const struct xs_tree *t, const char *abs)
{
	const char *rest;

	return walk(t, abs, &rest);
}

unsigned int xs_perm_of(const struct xs_node *n, uint32_t domid)
{
	if (domid == 0 || n->perms[0].domid == domid)
		return XS_PERM_BOTH;
	for (uint32_t i = 1; i < n->nr_perms; i++)
		if (n->perms[i].domid == domid)
			return n->perms[i].perm;
	return n->perms[0].perm;
}

int xs_tree_read(const struct xs_tree *t, uint32_t domid, const char *abs,
		 const struct xs_node **out)
{
	const struct xs_node *n = xs_tree_find(t, abs);

	if (!n)
		return -ENOENT;
	if (!(xs_perm_of(n, domid) & XS_PERM_READ))
		return -EACCES;
	*out = n;
	return 0;
}

static unsigned int owned_by(const struct xs_node *n, uint32_t domid)
{
	unsigned int k = 0;

	for (; n; n = n->next)
		k += (n->perms[0].domid == domid) + owned_by(n->children, domid);
	return k;
}

int xs_tree_write(struct xs_tree *t, uint32_t domid, const char *abs, const char *val,
		  uint32_t len, bool mkdir, struct xs_changes *ch)
{
	const char *rest;
	struct xs_node *n = walk(t, abs, &rest), *first_new = NULL;
	unsigned int need = 0;
	char *copy;

	if (!(xs_perm_of(n, domid) & XS_PERM_WRITE))
		return -EACCES;
	if (!*rest && mkdir)
		return 0;			/* MKDIR of an existing node: nothing to do */
	for (const char *p = rest; *p; p++)
		need += (p == rest || p[-1] == '/');
	if (need && t->nr_nodes + need > XS_MAX_NODES)
		return -ENOSPC;
	if (need && domid != 0 && owned_by(t->root, domid) + need > XS_QUOTA_NODES)
		return -ENOSPC;
	copy = malloc((size_t)len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, val, len);
	copy[len] = '\0';
	while (*rest) {
		const char *e = strchr(rest, '/');
		size_t clen = e ? (size_t)(e - rest) : strlen(rest);
		struct xs_node *c = node_new(rest, clen);

		if (!c || set_perms(c, n->perms, n->nr_perms)) {
			if (c)
				node_free(c, NULL);
			if (first_new) {	/* undo the ancestors made so far */
				struct xs_node **pp = &first_new->parent->children;

				while (*pp != first_new)
					pp = &(*pp)->next;
				*pp = first_new->next;
				first_new->next = NULL;
				node_free(first_new, &t->nr_nodes);
			}
			free(copy);
			return -ENOMEM;
		}
		if (domid != 0)
			c->perms[0].domid = domid;
		c->parent = n;
		c->next = n->children;
		n->children = c;
		t->nr_nodes++;
		if (!first_new)
			first_new = c;
		n = c;
		rest += clen + (e ? 1 : 0);
	}
	free(n->value);
	n->value = copy;
	n->len = len;
	return xs_changes_add(ch, abs, false);
}

int xs_tree_rm(struct xs_tree *t, uint32_t domid, const char *abs, struct xs_changes *ch)
{
	struct xs_node *n = xs_tree_find(t, abs), **pp;

	if (!strcmp(abs, "/"))
		return -EINVAL;
	if (!n) {
		/* As Xen: removing a missing node under an existing parent is fine. */
		const char *rest;
		struct xs_node *near = walk(t, abs, &rest);

		if (strchr(rest, '/'))
			return -ENOENT;
		return (xs_perm_of(near, domid) & XS_PERM_READ) ? 0 : -EACCES;
	}
	if (!(xs_perm_of(n, domid) & XS_PERM_WRITE))
		return -EACCES;
	pp = &n->parent->children;
	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	n->next = NULL;
	node_free(n, &t->nr_nodes);
	return xs_changes_add(ch, abs, true);
}

int xs_tree_set_perms(struct xs_tree *t, uint32_t domid, const char *abs,
		      const struct xs_perm *p, uint32_t nr, struct xs_changes *ch)
{
	struct xs_node *n = xs_tree_find(t, abs);
	int rc;

	if (!n)
		return -ENOENT;
	if (nr == 0 || nr > XS_MAX_PERMS)
		return -EINVAL;
	/* Only the owner (or domain 0) may change them, and only dom0 gives a node away. */
	if (domid != 0 && n->perms[0].domid != domid)
		return -EACCES;
	if (domid != 0 && p[0].domid != domid)
		return -EPERM;
	rc = set_perms(n, p, nr);
	return rc ? rc : xs_changes_add(ch, abs, false);
}

int xs_perm_parse(const char *s, struct xs_perm *p)
{
	static const char letters[] = "nrwb";
	const char *l = s[0] ? strchr(letters, s[0]) : NULL;
	unsigned long v = 0;

	if (!l || !s[1])
		return -EINVAL;
	for (const char *d = s + 1; *d; d++) {
		if (*d < '0' || *d > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*d - '0');
		if (v > 0xffff)
			return -EINVAL;
	}
	p->perm = (uint8_t)(l - letters);
	p->domid = (uint32_t)v;
	return 0;
}

void xs_perm_format(const struct xs_perm *p, char *out, size_t cap)
{
	snprintf(out, cap, "%c%u", "nrwb"[p->perm & 3], p->domid);
}

int xs_changes_add(struct xs_changes *ch, const char *path, bool rm)
{
	if (!ch)
		return 0;
	if (ch->n == ch->cap) {
		unsigned int ncap = ch->cap ? ch->cap * 2 : 4;
		struct xs_change *nv = realloc(ch->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		ch->v = nv;
		ch->cap = ncap;
	}
	ch->v[ch->n].path = strdup(path);
	if (!ch->v[ch->n].path)
		return -ENOMEM;
	ch->v[ch->n++].rm = rm;
	return 0;
}

void xs_changes_free(struct xs_changes *ch)
{
	for (unsigned int i = 0; i < ch->n; i++)
		free(ch->v[i].path);
	free(ch->v);
	memset(ch, 0, sizeof(*ch));
}
