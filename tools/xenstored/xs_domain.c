// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack's side of the store: privileged writes (domain 0, watches
 * fire), and the nodes a toolstack writes for a new PVH domain. The list
 * follows what Xen's libxl writes (tools/libs/light/libxl_create.c
 * libxl__domain_make, libxl_dom.c libxl__build_post, the primary console
 * of libxl_console.c) and docs/misc/xenstore-paths.pandoc; it leaves out
 * what only libxl, QEMU or xenconsoled use (/libxl, image/, console/tty).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xs_internal.h"

#define PATH_CAP	(XS_ABS_PATH_MAX + 1)

static int tool_change(struct xs_store *st, int rc, struct xs_changes *ch)
{
	if (!rc && ch->n) {
		st->gen++;
		xs_watch_fire(st, ch);
	}
	xs_changes_free(ch);
	return rc;
}

int xs_tool_write(struct xs_store *st, const char *path, const char *value)
{
	struct xs_changes ch = { 0 };

	if (!xs_path_valid(path))
		return -EINVAL;
	return tool_change(st, xs_tree_write(&st->tree, 0, path, value,
					     (uint32_t)strlen(value), false, &ch), &ch);
}

int xs_tool_rm(struct xs_store *st, const char *path)
{
	struct xs_changes ch = { 0 };

	if (!xs_path_valid(path))
		return -EINVAL;
	return tool_change(st, xs_tree_rm(&st->tree, 0, path, &ch), &ch);
}

int xs_tool_set_perms(struct xs_store *st, const char *path, const char *perms)
{
	struct xs_perm p[XS_MAX_PERMS];
	struct xs_changes ch = { 0 };
	char buf[16 * XS_MAX_PERMS], *save = NULL, *tok;
	uint32_t n = 0;

	if (!xs_path_valid(path) || strlen(perms) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, perms);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == XS_MAX_PERMS || xs_perm_parse(tok, &p[n]))
			return -EINVAL;
		n++;
	}
	return tool_change(st, xs_tree_set_perms(&st->tree, 0, path, p, n, &ch), &ch);
}

int xs_tool_read(struct xs_store *st, const char *path, char *buf, size_t cap)
{
	const struct xs_node *n;
	int rc;

	if (!xs_path_valid(path))
		return -EINVAL;
	rc = xs_tree_read(&st->tree, 0, path, &n);
	if (rc)
		return rc;
	if (cap) {
		size_t l = n->len < cap - 1 ? n->len : cap - 1;

		memcpy(buf, n->value, l);
		buf[l] = '\0';
	}
	return 0;
}

/* Write base/rel = value (printf-style) with perms; 0 or -errno. */
static int put(struct xs_store *st, const char *base, const char *rel, const char *perms,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int put(struct xs_store *st, const char *base, const char *rel, const char *perms,
	       const char *fmt, ...)
{
	char path[PATH_CAP], val[256];
	va_list ap;
	int rc;

	if (snprintf(path, sizeof(path), "%s%s%s", base, rel[0] ? "/" : "", rel) >=
	    (int)sizeof(path))
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	rc = xs_tool_write(st, path, val);
	if (!rc && perms)
		rc = xs_tool_set_perms(st, path, perms);
	return rc;
}

int xs_domain_populate(struct xs_store *st, const struct xs_domain_info *d)
{
	/* ro: dom0's, the guest may read. rw: the guest's own. */
	static const char *const rw_paths[] = {
		"device/suspend/event-channel", "data", "drivers", "feature", "attr", "error",
		"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
		"control/feature-suspend", "control/sysrq",
	};
	char dom[64], vm[96], ro[32], rw[16];
	int rc = 0;

	snprintf(dom, sizeof(dom), "/local/domain/%u", d->domid);
	snprintf(vm, sizeof(vm), "/vm/%s", d->uuid);
	snprintf(ro, sizeof(ro), "n0 r%u", d->domid);
	snprintf(rw, sizeof(rw), "n%u", d->domid);

	rc |= put(st, "/local/domain/0", "name", NULL, "Domain-0");
	rc |= put(st, "/local/domain/0", "domid", NULL, "0");
	rc |= put(st, vm, "", ro, "%s", "");
	rc |= put(st, vm, "uuid", ro, "%s", d->uuid);
	rc |= put(st, vm, "name", ro, "%s", d->name);
	rc |= put(st, vm, "start_time", ro, "%lld", (long long)time(NULL));

	rc |= put(st, dom, "", ro, "%s", "");
	rc |= put(st, dom, "vm", ro, "%s", vm);
	rc |= put(st, dom, "name", ro, "%s", d->name);
	rc |= put(st, dom, "domid", ro, "%u", d->domid);
	for (unsigned int i = 0; i < d->vcpus; i++) {
		char rel[32];

		snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
		rc |= put(st, dom, rel, ro, "online");
	}
	rc |= put(st, dom, "memory/static-max", ro, "%llu", (unsigned long long)d->memory_kib);
	rc |= put(st, dom, "memory/target", ro, "%llu", (unsigned long long)d->memory_kib);
	rc |= put(st, dom, "device", ro, "%s", "");
	rc |= put(st, dom, "control", ro, "%s", "");
	rc |= put(st, dom, "control/platform-feature-multiprocessor-suspend", ro, "1");
	rc |= put(st, dom, "control/platform-feature-xs_reset_watches", ro, "1");
	for (size_t i = 0; i < sizeof(rw_paths) / sizeof(rw_paths[0]); i++)
		rc |= put(st, dom, rw_paths[i], rw, "%s", "");
	if (d->store_gfn) {
		rc |= put(st, dom, "store", ro, "%s", "");
		rc |= put(st, dom, "store/ring-ref", ro, "%llu", (unsigned long long)d->store_gfn);
		rc |= put(st, dom, "store/port", ro, "%u", d->store_port);
	}
	if (d->console_gfn) {
		rc |= put(st, dom, "console", ro, "%s", "");
		rc |= put(st, dom, "console/ring-ref", ro, "%llu",
			  (unsigned long long)d->console_gfn);
		rc |= put(st, dom, "console/port", ro, "%u", d->console_port);
		rc |= put(st, dom, "console/limit", ro, "1048576");
		rc |= put(st, dom, "console/type", ro, "xenconsoled");
	}
	return rc ? -ENOMEM : 0;
}

int xs_domain_shutdown(struct xs_store *st, uint32_t domid, const char *reason)
{
	char path[96], val[8];

	snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s", domid, reason);
	if (xs_tool_read(st, path, val, sizeof(val)) || strcmp(val, "1"))
		return -EOPNOTSUPP;
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	return xs_tool_write(st, path, reason);
}

int xs_domain_set_target(struct xs_store *st, uint32_t domid, uint64_t kib)
{
	char path[96], val[24];

	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)kib);
	return xs_tool_write(st, path, val);
}

void xs_uuid_random(char out[37])
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, b, sizeof(b)) : -1;

	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof(b)) {
		unsigned long long x = (unsigned long long)time(NULL) ^
				       ((unsigned long long)getpid() << 32);

		for (size_t i = 0; i < sizeof(b); i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			b[i] = (unsigned char)(x >> 56);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
		 b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
