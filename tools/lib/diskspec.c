// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl-disk-configuration(5) DISKSPEC parser (libxvmm/diskspec.h).
 *
 * The rules, from the man page: parameters are separated by commas and
 * leading whitespace is ignored; one without '=' that is not a flag fills
 * the next positional parameter not yet given (target, format, vdev,
 * access); each parameter may be given once, positionally or by name; an
 * empty value means the default; `target=` swallows the rest of the
 * string. In the deprecated form a known prefix on the target ("phy:",
 * "file:", "raw:", "qcow2:", "tap:aio:", ...) names the format, and the
 * positional order is target, vdev[:devtype], access.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxvmm/diskspec.h>

enum pos { P_TARGET, P_FORMAT, P_VDEV, P_ACCESS, P_NR };

static const char *const pos_name[P_NR] = { "target", "format", "vdev", "access" };

struct dparse {
	struct xl_disk *d;
	struct xvmm_err *err;
	bool given[P_NR];
	char *val[P_NR];	/* points into the work copy */
	bool deprecated;	/* target had a xend prefix */
	bool devtype_given, discard_given, trusted_given;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int set_pos(struct dparse *ps, enum pos p, char *v)
{
	if (ps->given[p])
		return xvmm_err_set(ps->err, -EINVAL, "%s is given twice", pos_name[p]);
	ps->given[p] = true;
	ps->val[p] = v;
	return 0;
}

/* Strip the deprecated xend prefixes from a target; may set the format. */
static int strip_prefixes(struct dparse *ps, char **target)
{
	static const struct { const char *p; int fmt; } pre[] = {
		{ "tap:", -1 }, { "tap2:", -1 }, { "aio:", -1 }, { "phy:", -1 },
		{ "file:", -1 }, { "raw:", XL_DISK_FORMAT_RAW }, { "qcow2:", XL_DISK_FORMAT_QCOW2 },
		{ "qcow:", -2 }, { "vhd:", -2 },
	};
	bool again = true;

	while (again) {
		again = false;
		for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
			size_t n = strlen(pre[i].p);

			if (strncmp(*target, pre[i].p, n))
				continue;
			if (pre[i].fmt == -2)
				return xvmm_err_set(ps->err, -EINVAL, "format '%.*s' is not supported "
						    "(xvmm serves raw and qcow2)", (int)n - 1, pre[i].p);
			if (pre[i].fmt >= 0)
				ps->d->format = (enum xl_disk_format)pre[i].fmt;
			*target += n;
			/* xend's form: target,vdev[:devtype],access; no format after it. */
			ps->deprecated = true;
			ps->given[P_FORMAT] = true;
			again = true;
			break;
		}
	}
	return 0;
}

static int parse_flag_or_key(struct dparse *ps, char *tok, bool *handled)
{
	char *eq = strchr(tok, '=');
	char *k = tok, *v = NULL;

	*handled = true;
	if (eq) {
		*eq = '\0';
		v = eq + 1;
		for (char *e = eq; e > k && is_space(e[-1]); )
			*--e = '\0';
	}
	if (!v) {
		if (!strcmp(k, "cdrom")) {
			if (ps->devtype_given)
				return xvmm_err_set(ps->err, -EINVAL, "devtype is given twice");
			ps->devtype_given = true;
			ps->d->cdrom = true;
		} else if (!strcmp(k, "discard") || !strcmp(k, "no-discard")) {
			if (ps->discard_given)
				return xvmm_err_set(ps->err, -EINVAL, "discard is given twice");
			ps->discard_given = true;
			ps->d->discard = k[0] == 'd';
		} else if (!strcmp(k, "trusted") || !strcmp(k, "untrusted")) {
			if (ps->trusted_given)
				return xvmm_err_set(ps->err, -EINVAL, "trusted is given twice");
			ps->trusted_given = true;
			ps->d->trusted = k[0] == 't';
		} else if (!strcmp(k, "direct-io-safe")) {
			ps->d->direct_io_safe = true;
		} else if (!strcmp(k, "colo")) {
			return xvmm_err_set(ps->err, -EINVAL, "colo is not supported");
		} else {
			*handled = false;	/* a positional parameter */
		}
		return 0;
	}
	for (int p = 0; p < P_NR; p++)
		if (!strcmp(k, pos_name[p]))
			return set_pos(ps, (enum pos)p, v);
	if (!strcmp(k, "devtype")) {
		if (ps->devtype_given)
			return xvmm_err_set(ps->err, -EINVAL, "devtype is given twice");
		ps->devtype_given = true;
		if (!strcmp(v, "cdrom"))
			ps->d->cdrom = true;
		else if (*v && strcmp(v, "disk"))
			return xvmm_err_set(ps->err, -EINVAL, "devtype '%.40s' is unknown (cdrom)", v);
		return 0;
	}
	if (!strcmp(k, "backend")) {
		if (*v && strcmp(v, "0") && strcmp(v, "Domain-0"))
			return xvmm_err_set(ps->err, -EINVAL, "backend '%.40s': only dom0 serves "
					    "disks on xvmm (no driver domains)", v);
		return 0;
	}
	if (!strcmp(k, "backendtype")) {
		/* One backend implementation serves them all. */
		if (*v && strcmp(v, "phy") && strcmp(v, "qdisk") && strcmp(v, "tap") &&
		    strcmp(v, "standalone"))
			return xvmm_err_set(ps->err, -EINVAL, "backendtype '%.40s' is unknown "
					    "(phy, qdisk, standalone, tap)", v);
		return 0;
	}
	if (!strcmp(k, "specification")) {
		if (*v && strcmp(v, "xen"))
			return xvmm_err_set(ps->err, -EINVAL, "specification '%.40s' is not "
					    "supported (xen)", v);
		return 0;
	}
	if (!strcmp(k, "grant_usage"))
		return 0;		/* virtio only, which is refused above */
	if (!strcmp(k, "script"))
		return xvmm_err_set(ps->err, -EINVAL, "script= is not supported (xvmm runs no "
				    "hotplug scripts; give a file or block device as target)");
	if (!strncmp(k, "colo-", 5) || !strcmp(k, "active-disk") || !strcmp(k, "hidden-disk"))
		return xvmm_err_set(ps->err, -EINVAL, "%.40s: COLO is not supported", k);
	return xvmm_err_set(ps->err, -EINVAL, "unknown key '%.40s'", k);
}

static int finish(struct dparse *ps)
{
	struct xl_disk *d = ps->d;
	const char *v;
	int rc;

	v = ps->val[P_FORMAT];
	if (v && *v) {
		if (!strcmp(v, "raw"))
			d->format = XL_DISK_FORMAT_RAW;
		else if (!strcmp(v, "qcow2"))
			d->format = XL_DISK_FORMAT_QCOW2;
		else if (!strcmp(v, "qcow") || !strcmp(v, "vhd") || !strcmp(v, "qed"))
			return xvmm_err_set(ps->err, -EINVAL, "format '%s' is not supported "
					    "(xvmm serves raw and qcow2)", v);
		else
			return xvmm_err_set(ps->err, -EINVAL, "format '%.40s' is unknown "
					    "(raw, qcow2)", v);
	}

	v = ps->val[P_VDEV];
	if (!v || !*v)
		return xvmm_err_set(ps->err, -EINVAL, "no vdev given (e.g. vdev=xvda)");
	if (strlen(v) >= sizeof(d->vdev))
		return xvmm_err_set(ps->err, -EINVAL, "vdev '%.40s' is too long", v);
	rc = xl_vdev_to_devid(v, &d->devid);
	if (rc)
		return xvmm_err_set(ps->err, rc, "vdev '%.40s' is not a virtual device name "
				    "(xvda, hdc, sdb, d1p2 or a number; xen-vbd-interface(7))", v);
	strcpy(d->vdev, v);

	v = ps->val[P_ACCESS];
	if (v && *v) {
		if (!strcmp(v, "ro") || !strcmp(v, "r"))
			d->readonly = true;
		else if (!strcmp(v, "rw") || !strcmp(v, "w"))
			d->readonly = false;
		else
			return xvmm_err_set(ps->err, -EINVAL, "access '%.40s' is unknown "
					    "(ro, r, rw, w)", v);
		if (d->cdrom && !d->readonly)
			return xvmm_err_set(ps->err, -EINVAL, "a cdrom is read-only (access=ro)");
	} else {
		d->readonly = d->cdrom;
	}

	v = ps->val[P_TARGET];
	if (!v || !*v)
		return xvmm_err_set(ps->err, -EINVAL, d->cdrom ?
				    "no target given (an empty cdrom drive is not supported)" :
				    "no target given (target=/path/to/disk.img)");
	if (strlen(v) + (v[0] == '/' ? 0 : 5) >= sizeof(d->target))
		return xvmm_err_set(ps->err, -EINVAL, "target is too long (at most %zu bytes)",
				    sizeof(d->target) - 1);
	snprintf(d->target, sizeof(d->target), "%s%s", v[0] == '/' ? "" : "/dev/", v);
	return 0;
}

int xl_disk_parse(const char *spec, struct xl_disk *d, struct xvmm_err *err)
{
	struct dparse ps = { .d = d, .err = err };
	char *work, *s;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->discard = d->trusted = true;
	if (strlen(spec) >= XL_DISK_SPEC_MAX)
		return xvmm_err_set(err, -EINVAL, "disk spec is longer than %u bytes",
				    XL_DISK_SPEC_MAX - 1);
	work = strdup(spec);
	if (!work)
		return xvmm_err_set(err, -ENOMEM, "out of memory");

	for (s = work; s && !rc; ) {
		char *tok, *end;
		bool handled;

		while (is_space(*s))
			s++;
		/* target= takes everything after it, trailing whitespace included. */
		if (!strncmp(s, "target=", 7)) {
			/* Allowed after an empty positional target (the man page). */
			if (ps.given[P_TARGET] && !ps.val[P_TARGET][0])
				ps.given[P_TARGET] = false;
			rc = set_pos(&ps, P_TARGET, s + 7);
			break;
		}
		tok = s;
		s = strchr(s, ',');
		if (s)
			*s++ = '\0';
		for (end = tok + strlen(tok); end > tok && is_space(end[-1]); )
			*--end = '\0';
		if (!*tok && !s && tok == work)
			break;				/* the empty spec */
		rc = parse_flag_or_key(&ps, tok, &handled);
		if (rc || handled)
			continue;
		/* Positional: the next one not given yet. */
		if (!ps.given[P_TARGET]) {
			rc = set_pos(&ps, P_TARGET, tok);
			if (!rc)
				rc = strip_prefixes(&ps, &ps.val[P_TARGET]);
			continue;
		}
		if (ps.deprecated && !ps.given[P_VDEV]) {
			char *colon = strchr(tok, ':');

			if (colon) {		/* hdc:cdrom */
				*colon = '\0';
				if (!strcmp(colon + 1, "cdrom"))
					d->cdrom = true;
				else if (strcmp(colon + 1, "disk"))
					rc = xvmm_err_set(err, -EINVAL, "devtype '%.40s' is unknown "
							  "(cdrom)", colon + 1);
			}
			if (!rc)
				rc = set_pos(&ps, P_VDEV, tok);
			continue;
		}
		for (int p = P_FORMAT; p < P_NR; p++) {
			if (!ps.given[p]) {
				rc = set_pos(&ps, (enum pos)p, tok);
				goto next;
			}
		}
		rc = xvmm_err_set(err, -EINVAL, "too many positional parameters at '%.40s' "
				  "(target, format, vdev, access)", tok);
next:		;
	}
	if (!rc)
		rc = finish(&ps);
	free(work);
	return rc;
}

/* ---- virtual device names ------------------------------------------------- */

/* Decimal without leading zeros into *out (< limit); end of digits in *endp. */
static bool parse_dec(const char *s, const char **endp, uint32_t limit, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= limit)
			return false;
	}
	*out = (uint32_t)v;
	*endp = p;
	return true;
}

/* A plain number in C notation (strtoul base 0), the whole string. */
static bool parse_number(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v == 0 || v >= (2ull << 28))
		return false;
	*out = (uint32_t)v;
	return true;
}

static int xvd_number(uint32_t disk, uint32_t part, uint32_t *devid)
{
	if (disk < 16 && part < 16)
		*devid = 202u << 8 | disk << 4 | part;
	else if (disk < (1u << 20) && part < 256)
		*devid = 1u << 28 | disk << 8 | part;
	else
		return -EINVAL;
	return 0;
}

int xl_vdev_to_devid(const char *vdev, uint32_t *devid)
{
	const char *p;
	uint32_t disk = 0, part = 0;
	int kind;			/* 0 xvd, 1 sd, 2 hd */

	if (parse_number(vdev, devid))
		return 0;
	if (vdev[0] == 'd' && vdev[1] >= '0' && vdev[1] <= '9') {	/* dNpM */
		if (!parse_dec(vdev + 1, &p, 1u << 20, &disk))
			return -EINVAL;
		if (*p == 'p' && !parse_dec(p + 1, &p, 256, &part))
			return -EINVAL;
		return *p ? -EINVAL : xvd_number(disk, part, devid);
	}
	if (!strncmp(vdev, "xvd", 3))
		kind = 0, p = vdev + 3;
	else if (!strncmp(vdev, "sd", 2))
		kind = 1, p = vdev + 2;
	else if (!strncmp(vdev, "hd", 2))
		kind = 2, p = vdev + 2;
	else
		return -EINVAL;
	/* Letters count in bijective base 26: a = 0, z = 25, aa = 26. */
	if (*p < 'a' || *p > 'z')
		return -EINVAL;
	for (uint64_t d = 0; *p >= 'a' && *p <= 'z'; p++) {
		d = d * 26 + (uint64_t)(*p - 'a' + 1);
		if (d > (1u << 20))
			return -EINVAL;
		disk = (uint32_t)d - 1;
	}
	if (*p && !parse_dec(p, &p, 256, &part))
		return -EINVAL;
	if (*p)
		return -EINVAL;
	switch (kind) {
	case 0:
		return xvd_number(disk, part, devid);
	case 1:
		if (disk >= 16 || part >= 16)
			return -EINVAL;
		*devid = 8u << 8 | disk << 4 | part;
		return 0;
	default:
		if (disk >= 4 || part >= 64)
			return -EINVAL;
		*devid = (disk < 2 ? 3u << 8 | disk << 6 : 22u << 8 | (disk - 2) << 6) | part;
		return 0;
	}
}
