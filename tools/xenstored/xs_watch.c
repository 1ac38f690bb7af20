// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches (docs/misc/xenstore.txt, WATCH): a watch on a path fires when
 * that node or anything below it is written, created, removed or has its
 * permissions changed; removing an ancestor fires it too. The event is a
 * XS_WATCH_EVENT message "path\0token\0" carrying the path that changed
 * (relative to the domain's home if the watch was set with a relative
 * path). "@introduceDomain" and "@releaseDomain" fire when a domain is
 * introduced or released. Registering a watch queues one event at once,
 * as Xen does, so the watcher reads the current state.
 *
 * An unprivileged watcher only hears about nodes it may read (a removed
 * node: its nearest surviving ancestor decides).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

#define TOKEN_MAX	1024u

static bool is_special(const char *p)
{
	return p[0] == '@';
}

/* Is path equal to base or below it? */
static bool at_or_below(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(path, base, n))
		return false;
	return path[n] == '\0' || path[n] == '/' || !strcmp(base, "/");
}

static void queue_event(struct xs_conn *c, const struct xs_watch *w, const char *abs)
{
	char home[32];
	const char *p = abs;
	size_t hl;

	if (w->relative) {
		hl = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/", c->domid);
		if (!strncmp(abs, home, hl) && abs[hl])
			p = abs + hl;
	}
	xs_conn_send(c, XS_WATCH_EVENT, 0, 0, p, (uint32_t)strlen(p) + 1,
		     w->token, (uint32_t)strlen(w->token) + 1);
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token)
{
	char abs[XS_ABS_PATH_MAX + 64];
	struct xs_watch *w;
	bool relative = !is_special(path) && path[0] != '/';
	int rc;

	if (strlen(token) > TOKEN_MAX)
		return -EINVAL;
	if (is_special(path)) {
		if (strcmp(path, "@introduceDomain") && strcmp(path, "@releaseDomain"))
			return -EINVAL;
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		rc = xs_path_canon(c->domid, path, abs, sizeof(abs));
		if (rc)
			return rc;
	}
	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->path, abs) && !strcmp(w->token, token))
			return -EEXIST;
	if (!c->privileged && c->nr_watches >= XS_QUOTA_WATCHES)
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(abs);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	w->relative = relative;
	w->next = c->watches;
	c->watches = w;
	c->nr_watches++;
	return 0;
}

/* UNWATCH: the same path (as given, relative or not) and token. */
int xs_watch_del(struct xs_conn *c, const char *path, const char *token)
{
	char abs[XS_ABS_PATH_MAX + 64];
	int rc;

	if (is_special(path)) {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		rc = xs_path_canon(c->domid, path, abs, sizeof(abs));
		if (rc)
			return rc;
	}
	for (struct xs_watch **pp = &c->watches; *pp; pp = &(*pp)->next) {
		struct xs_watch *w = *pp;

		if (!strcmp(w->path, abs) && !strcmp(w->token, token)) {
			*pp = w->next;
			free(w->path);
			free(w->token);
			free(w);
			c->nr_watches--;
			return 0;
		}
	}
	return -ENOENT;
}

void xs_watch_clear(struct xs_conn *c)
{
	while (c->watches) {
		struct xs_watch *w = c->watches;

		c->watches = w->next;
		free(w->path);
		free(w->token);
		free(w);
	}
	c->nr_watches = 0;
}

static bool may_see(const struct xs_store *st, const struct xs_conn *c, const char *abs)
{
	const struct xs_node *n;

	if (c->privileged)
		return true;
	n = xs_tree_find_near(&st->tree, abs);
	return (xs_perm_of(n, c->domid) & XS_PERM_READ) != 0;
}

void xs_watch_fire(struct xs_store *st, const struct xs_changes *ch)
{
	for (unsigned int i = 0; ch && i < ch->n; i++) {
		const char *path = ch->v[i].path;

		for (struct xs_conn *c = st->conns; c; c = c->next) {
			if (c->broken || !may_see(st, c, path))
				continue;
			for (const struct xs_watch *w = c->watches; w; w = w->next) {
				if (is_special(w->path))
					continue;
				if (at_or_below(path, w->path))
					queue_event(c, w, path);
				else if (ch->v[i].rm && at_or_below(w->path, path))
					queue_event(c, w, w->path);	/* its node went with an ancestor */
			}
		}
	}
}

void xs_watch_fire_special(struct xs_store *st, const char *name)
{
	for (struct xs_conn *c = st->conns; c; c = c->next) {
		if (c->broken || !c->privileged)
			continue;
		for (const struct xs_watch *w = c->watches; w; w = w->next)
			if (!strcmp(w->path, name))
				queue_event(c, w, name);
	}
}
