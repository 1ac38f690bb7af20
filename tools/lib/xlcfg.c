// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl.cfg-style configuration parser. Syntax as in Xen's xl.cfg(5) and its
 * libxlu parser: settings `key = value` / `key += value` ended by newline
 * or ';', '#' comments, atoms (quoted strings with C escapes, or bare
 * numbers) and lists of atoms in [ ] that may span lines. As in libxlu,
 * quoted and bare atoms are interchangeable: `memory = "512"` is a number.
 * The input is untrusted (and fuzzed): every scan is bounded by len.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxvmm/xlcfg.h>

enum tok_kind { T_EOF, T_NEWLINE, T_SEMI, T_IDENT, T_ATOM, T_EQ, T_PLUSEQ,
		T_LBRACK, T_RBRACK, T_COMMA };

struct tok {
	enum tok_kind kind;
	unsigned int line;
	char *str;		/* T_IDENT / T_ATOM: malloc'd, NUL-terminated */
	size_t len;
};

struct value {
	bool is_list;
	char *str;		/* atom value (malloc'd) */
	size_t len;
	unsigned int nitems;	/* list length */
	char **items;		/* list items (malloc'd), nitems of them */
};

static void value_free(struct value *v)
{
	free(v->str);
	for (unsigned int i = 0; i < v->nitems; i++)
		free(v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* A string key whose value is kept until the end (cmdline composition). */
struct strval {
	char *s;
	unsigned int line;
};

struct parser {
	const char *p, *end;
	const char *file;
	unsigned int line;
	struct xlcfg *cfg;
	struct xvmm_err *err;
	struct strval cmdline, root, extra;
	unsigned int name_line, kernel_line, type_line, maxmem_line, memory_line;
	unsigned int vif_line[XLCFG_MAX_VIFS];
};

static int perr(struct parser *ps, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *ps, unsigned int line, const char *fmt, ...)
{
	char msg[XVMM_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		return xvmm_err_set(ps->err, -EINVAL, "%s:%u: %s", ps->file, line, msg);
	return xvmm_err_set(ps->err, -EINVAL, "%s: %s", ps->file, msg);
}

static void pwarn(struct parser *ps, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pwarn(struct parser *ps, unsigned int line, const char *fmt, ...)
{
	struct xlcfg *cfg = ps->cfg;
	char *w;
	va_list ap;
	int k;

	if (cfg->nr_warnings >= XLCFG_MAX_WARNINGS) {
		cfg->nr_warnings_dropped++;
		return;
	}
	w = cfg->warnings[cfg->nr_warnings++];
	k = snprintf(w, XVMM_ERR_MAX, "%s:%u: warning: ", ps->file, line);
	if (k < 0 || k >= XVMM_ERR_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(w + k, XVMM_ERR_MAX - (size_t)k, fmt, ap);
	va_end(ap);
}

/* ---- lexer ---------------------------------------------------------- */

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copy [s, s + n) into a new NUL-terminated string. */
static char *dup_range(const char *s, size_t n)
{
	char *r = malloc(n + 1);

	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

/* A quoted string; ps->p is at the opening quote. libxlu's escapes. */
static int lex_string(struct parser *ps, struct tok *t)
{
	char q = *ps->p++;
	const char *start = ps->p;
	size_t raw = 0;
	char *out, *o;

	while (ps->p + raw < ps->end && ps->p[raw] != q && ps->p[raw] != '\n') {
		if (ps->p[raw] == '\\' && ps->p + raw + 1 < ps->end && ps->p[raw + 1] != '\n')
			raw++;
		raw++;
	}
	if (ps->p + raw >= ps->end || ps->p[raw] != q)
		return perr(ps, t->line, "unterminated string (missing closing %c)", q);

	out = o = malloc(raw + 1);
	if (!out)
		return xvmm_err_set(ps->err, -ENOMEM, "out of memory");
	for (const char *s = start; s < start + raw; ) {
		char c = *s++, e;
		int v;

		if (c == '\0') {
			free(out);
			return perr(ps, t->line, "NUL byte inside a string");
		}
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		e = *s++;	/* the scan above guarantees s < start + raw here */
		switch (e) {
		case '"': case '\'': case '\\': *o++ = e; continue;
		case 'a': *o++ = '\a'; continue;
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'v': *o++ = '\v'; continue;
		case 'x':
			if (start + raw - s < 2 || hexval(s[0]) < 0 || hexval(s[1]) < 0) {
				free(out);
				return perr(ps, t->line, "\\x must be followed by two hex digits");
			}
			v = hexval(s[0]) * 16 + hexval(s[1]);
			s += 2;
			break;
		default:
			if (e >= '0' && e <= '7' && start + raw - s >= 2 &&
			    s[0] >= '0' && s[0] <= '7' && s[1] >= '0' && s[1] <= '7') {
				v = (e - '0') * 64 + (s[0] - '0') * 8 + (s[1] - '0');
				s += 2;
				if (v > 255) {
					free(out);
					return perr(ps, t->line, "octal escape above \\377");
				}
				break;
			}
			free(out);
			return perr(ps, t->line, "invalid escape \\%c in string", e);
		}
		if (v == 0) {
			free(out);
			return perr(ps, t->line, "NUL byte inside a string");
		}
		*o++ = (char)v;
	}
	*o = '\0';
	ps->p += raw + 1;
	t->kind = T_ATOM;
	t->str = out;
	t->len = (size_t)(o - out);
	return 0;
}

static int lex(struct parser *ps, struct tok *t)
{
	const char *s;

	memset(t, 0, sizeof(*t));
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
		ps->p++;
	if (ps->p < ps->end && *ps->p == '#')	/* comment: up to the newline */
		while (ps->p < ps->end && *ps->p != '\n')
			ps->p++;
	t->line = ps->line;
	if (ps->p >= ps->end) {
		t->kind = T_EOF;
		return 0;
	}
	s = ps->p;
	switch (*s) {
	case '\n': ps->p++; ps->line++; t->kind = T_NEWLINE; return 0;
	case ';': ps->p++; t->kind = T_SEMI; return 0;
	case '=': ps->p++; t->kind = T_EQ; return 0;
	case '[': ps->p++; t->kind = T_LBRACK; return 0;
	case ']': ps->p++; t->kind = T_RBRACK; return 0;
	case ',': ps->p++; t->kind = T_COMMA; return 0;
	case '+':
		if (ps->end - s >= 2 && s[1] == '=') {
			ps->p += 2;
			t->kind = T_PLUSEQ;
			return 0;
		}
		break;
	case '"': case '\'':
		return lex_string(ps, t);
	default:
		break;
	}
	if (is_ident_start(*s) || is_digit(*s)) {
		bool ident = is_ident_start(*s);

		while (ps->p < ps->end && is_ident_char(*ps->p))
			ps->p++;
		t->kind = ident ? T_IDENT : T_ATOM;
		t->len = (size_t)(ps->p - s);
		t->str = dup_range(s, t->len);
		if (!t->str)
			return xvmm_err_set(ps->err, -ENOMEM, "out of memory");
		return 0;
	}
	if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
		return perr(ps, t->line, "unexpected character '%c'", *s);
	return perr(ps, t->line, "unexpected byte 0x%02x", (unsigned char)*s);
}

/* ---- values --------------------------------------------------------- */

static const char *tok_desc(const struct tok *t)
{
	switch (t->kind) {
	case T_EOF: return "end of file";
	case T_NEWLINE: return "end of line";
	case T_SEMI: return "';'";
	case T_IDENT: return "a bare word";
	case T_ATOM: return "a value";
	case T_EQ: return "'='";
	case T_PLUSEQ: return "'+='";
	case T_LBRACK: return "'['";
	case T_RBRACK: return "']'";
	case T_COMMA: return "','";
	}
	return "?";
}

/* The items of a list after its '['; each kept in v->items. */
static int parse_list(struct parser *ps, unsigned int line, struct value *v)
{
	struct tok t;
	int rc;

	for (bool want_item = true;;) {
		do {
			rc = lex(ps, &t);
			if (rc)
				return rc;
		} while (t.kind == T_NEWLINE);
		if (t.kind == T_RBRACK)
			return 0;
		if (want_item && (t.kind == T_ATOM || t.kind == T_IDENT)) {
			char **n;

			if (t.kind == T_IDENT) {
				free(t.str);
				return perr(ps, t.line, "list items must be quoted strings or numbers");
			}
			n = realloc(v->items, (v->nitems + 1) * sizeof(*n));
			if (!n) {
				free(t.str);
				return xvmm_err_set(ps->err, -ENOMEM, "out of memory");
			}
			v->items = n;
			v->items[v->nitems++] = t.str;
			want_item = false;
			continue;
		}
		if (!want_item && t.kind == T_COMMA) {
			want_item = true;
			continue;
		}
		if (t.kind == T_EOF)
			return perr(ps, line, "list is not closed (missing ']')");
		if (t.kind == T_LBRACK)
			return perr(ps, t.line, "nested lists are not allowed");
		free(t.str);
		return perr(ps, t.line, "unexpected %s in list", want_item ? tok_desc(&t) : "item (missing ',')");
	}
}

/* value := atom | '[' [atom {',' atom} [',']] ']'  (newlines allowed in lists) */
static int parse_value(struct parser *ps, unsigned int line, struct value *v)
{
	struct tok t;
	int rc = lex(ps, &t);

	memset(v, 0, sizeof(*v));
	if (rc)
		return rc;
	if (t.kind == T_ATOM) {
		v->str = t.str;
		v->len = t.len;
		return 0;
	}
	if (t.kind == T_IDENT) {
		free(t.str);
		return perr(ps, t.line, "value must be quoted (a string in \"...\"), a number or a list");
	}
	if (t.kind != T_LBRACK)
		return perr(ps, line, "expected a value, found %s", tok_desc(&t));

	v->is_list = true;
	rc = parse_list(ps, line, v);
	if (rc)
		value_free(v);
	return rc;
}

/* strtoul(base 0)-style: 0x hex, leading 0 octal, else decimal. */
static bool parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = hexval(*s);

		if (d < 0 || (unsigned int)d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* ---- keys ----------------------------------------------------------- */

static int want_atom(struct parser *ps, const char *key, unsigned int line,
		     const struct value *v)
{
	if (v->is_list)
		return perr(ps, line, "%s must be a single value, not a list", key);
	return 0;
}

static int get_number(struct parser *ps, const char *key, unsigned int line,
		      const struct value *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	int rc = want_atom(ps, key, line, v);

	if (rc)
		return rc;
	if (!parse_u64(v->str, out))
		return perr(ps, line, "%s = \"%.40s\" is not a number", key, v->str);
	if (*out < lo || *out > hi)
		return perr(ps, line, "%s = %llu is out of range (%llu..%llu)", key,
			    (unsigned long long)*out, (unsigned long long)lo,
			    (unsigned long long)hi);
	return 0;
}

/* Copy an atom into a fixed buffer; "+=" appends to what is there. */
static int set_fixed(struct parser *ps, const char *key, unsigned int line,
		     const struct value *v, bool append, char *dst, size_t cap)
{
	size_t have = append ? strlen(dst) : 0;
	int rc = want_atom(ps, key, line, v);

	if (rc)
		return rc;
	if (v->len >= cap - have)
		return perr(ps, line, "%s is too long (at most %zu bytes)", key, cap - 1);
	memcpy(dst + have, v->str, v->len + 1);
	return 0;
}

/* Keep a string value for later (cmdline/root/extra). */
static int set_kept(struct parser *ps, const char *key, unsigned int line,
		    struct value *v, bool append, struct strval *sv)
{
	int rc = want_atom(ps, key, line, v);

	if (rc)
		return rc;
	if (append && sv->s) {
		size_t a = strlen(sv->s);
		char *n;

		if (v->len >= XLCFG_CMDLINE_MAX || a >= XLCFG_CMDLINE_MAX)
			return perr(ps, line, "%s is too long (at most %u bytes)", key,
				    XLCFG_CMDLINE_MAX - 1);
		n = realloc(sv->s, a + v->len + 1);
		if (!n)
			return xvmm_err_set(ps->err, -ENOMEM, "out of memory");
		memcpy(n + a, v->str, v->len + 1);
		sv->s = n;
	} else {
		free(sv->s);
		sv->s = v->str;
		v->str = NULL;
	}
	sv->line = line;
	return 0;
}

static int set_action(struct parser *ps, const char *key, unsigned int line,
		      const struct value *v, enum xlcfg_action *out)
{
	static const char *const later[] = {
		"rename-restart", "coredump-destroy", "coredump-restart", "soft-reset",
	};
	int rc = want_atom(ps, key, line, v);

	if (rc)
		return rc;
	if (strcmp(v->str, "destroy") == 0) {
		*out = XLCFG_ACTION_DESTROY;
		return 0;
	}
	if (strcmp(v->str, "preserve") == 0) {
		*out = XLCFG_ACTION_PRESERVE;
		return 0;
	}
	if (strcmp(v->str, "restart") == 0) {
		*out = XLCFG_ACTION_RESTART;
		return 0;
	}
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (strcmp(v->str, later[i]) == 0)
			return perr(ps, line, "%s = \"%s\" is not supported yet "
				    "(xvmm supports \"destroy\", \"restart\" and \"preserve\")", key, v->str);
	return perr(ps, line, "%s = \"%.40s\" is not a valid action "
		    "(destroy, restart, rename-restart, preserve, coredump-destroy, "
		    "coredump-restart, soft-reset)", key, v->str);
}

static int set_name(struct parser *ps, unsigned int line, const struct value *v)
{
	int rc = want_atom(ps, "name", line, v);

	if (rc)
		return rc;
	if (v->len == 0)
		return perr(ps, line, "name is empty");
	if (v->len > XLCFG_NAME_MAX)
		return perr(ps, line, "name is %zu characters long (at most %u)",
			    v->len, XLCFG_NAME_MAX);
	for (size_t i = 0; i < v->len; i++) {
		char c = v->str[i];

		if (!(is_ident_start(c) || is_digit(c) || c == '.' || c == '-'))
			return perr(ps, line, "name may only contain A-Z a-z 0-9 _ . - "
				    "(found byte 0x%02x)", (unsigned char)c);
	}
	memcpy(ps->cfg->name, v->str, v->len + 1);
	ps->name_line = line;
	return 0;
}

static int set_type(struct parser *ps, unsigned int line, const struct value *v)
{
	int rc = want_atom(ps, "type", line, v);

	if (rc)
		return rc;
	if (strcmp(v->str, "pvh") == 0) {
		ps->type_line = line;
		return 0;
	}
	if (strcmp(v->str, "pv") == 0 || strcmp(v->str, "hvm") == 0)
		return perr(ps, line, "type = \"%s\" is not supported: xvmm runs PVH guests only "
			    "(type = \"pvh\"; a Linux kernel needs CONFIG_XEN_PVH=y)", v->str);
	return perr(ps, line, "type = \"%.40s\" is unknown (xl knows pv, pvh, hvm; "
		    "xvmm supports pvh)", v->str);
}

/*
 * disk = [ 'DISKSPEC', ... ] (xl-disk-configuration(5), tools/lib/diskspec.c);
 * "+=" adds entries. Two entries may not name the same virtual device.
 */
static int set_disks(struct parser *ps, unsigned int line, const struct value *v, bool append)
{
	struct xlcfg *cfg = ps->cfg;
	struct xvmm_err derr;

	if (!v->is_list)
		return perr(ps, line, "disk must be a list: disk = [ 'DISKSPEC', ... ]");
	if (!append)
		cfg->nr_disks = 0;
	for (unsigned int i = 0; i < v->nitems; i++) {
		struct xl_disk *d = &cfg->disks[cfg->nr_disks];

		if (cfg->nr_disks == XLCFG_MAX_DISKS)
			return perr(ps, line, "too many disks (at most %u)", XLCFG_MAX_DISKS);
		if (xl_disk_parse(v->items[i], d, &derr))
			return perr(ps, line, "disk '%.80s': %s", v->items[i], derr.msg);
		for (unsigned int j = 0; j < cfg->nr_disks; j++)
			if (cfg->disks[j].devid == d->devid)
				return perr(ps, line, "disk '%.80s': vdev %s is already used by "
					    "'%s' (virtual device %u)", v->items[i], d->vdev,
					    cfg->disks[j].vdev, d->devid);
		cfg->nr_disks++;
	}
	return 0;
}

/*
 * vif = [ 'VIFSPEC', ... ] (xl-network-configuration(5), tools/lib/vifspec.c);
 * "+=" adds entries. Devids are checked and filled in by finish_vifs().
 */
static int set_vifs(struct parser *ps, unsigned int line, const struct value *v, bool append)
{
	struct xlcfg *cfg = ps->cfg;
	struct xvmm_err verr;

	if (!v->is_list)
		return perr(ps, line, "vif must be a list: vif = [ 'VIFSPEC', ... ]");
	if (!append)
		cfg->nr_vifs = 0;
	for (unsigned int i = 0; i < v->nitems; i++) {
		if (cfg->nr_vifs == XLCFG_MAX_VIFS)
			return perr(ps, line, "too many vifs (at most %u)", XLCFG_MAX_VIFS);
		if (xl_vif_parse(v->items[i], &cfg->vifs[cfg->nr_vifs], &verr))
			return perr(ps, line, "vif '%.80s': %s", v->items[i], verr.msg);
		ps->vif_line[cfg->nr_vifs++] = line;
	}
	return 0;
}

/*
 * Each vif's DEVID is its index in the list unless devid= says otherwise
 * (the man page); xl takes the lowest free number, which is the index
 * when nobody gave one. Two vifs may not share a devid, a given MAC or a
 * vifname.
 */
static int finish_vifs(struct parser *ps)
{
	struct xlcfg *cfg = ps->cfg;
	bool used[XL_VIF_DEVID_MAX + 1] = { false };

	for (unsigned int i = 0; i < cfg->nr_vifs; i++) {
		struct xl_vif *a = &cfg->vifs[i];

		for (unsigned int j = 0; j < i; j++) {
			struct xl_vif *b = &cfg->vifs[j];

			if (a->devid >= 0 && a->devid == b->devid)
				return perr(ps, ps->vif_line[i], "vif %u: devid %d is already used "
					    "by vif %u", i, a->devid, j);
			if (a->mac_given && b->mac_given && !memcmp(a->mac, b->mac, 6))
				return perr(ps, ps->vif_line[i], "vif %u: mac %02x:%02x:%02x:%02x:"
					    "%02x:%02x is already used by vif %u", i, a->mac[0],
					    a->mac[1], a->mac[2], a->mac[3], a->mac[4], a->mac[5], j);
			if (a->vifname[0] && !strcmp(a->vifname, b->vifname))
				return perr(ps, ps->vif_line[i], "vif %u: vifname %s is already "
					    "used by vif %u", i, a->vifname, j);
		}
		if (a->devid >= 0)
			used[a->devid] = true;
	}
	for (unsigned int i = 0; i < cfg->nr_vifs; i++) {
		int d = 0;

		if (cfg->vifs[i].devid >= 0)
			continue;
		while (used[d])
			d++;			/* at most 8 vifs: always below 256 */
		cfg->vifs[i].devid = d;
		used[d] = true;
	}
	return 0;
}

/* xl keys that xvmm recognises but does not implement yet. */
/* xl.cfg(5) keys xvmm does not implement yet, and what each would do. */
static const struct { const char *key, *does; } unsupported_keys[] = {
	{ "vfb", "a virtual framebuffer, a graphical console" },
	{ "vkb", "a virtual keyboard and mouse" },
	{ "vtpm", "a virtual TPM" },
	{ "p9", "a 9pfs share of a dom0 directory" },
	{ "pci", "a passed-through PCI device" },
	{ "usb", "emulated USB" },
	{ "usbctrl", "a PV USB controller" },
	{ "usbdev", "a passed-through USB device" },
	{ "channel", "a named PV console channel" },
	{ "serial", "an emulated serial port" },
	{ "boot", "the HVM boot device order" },
	{ "bootloader", "a boot loader such as pygrub that picks the kernel from the guest's disk" },
	{ "bootloader_args", "arguments for that boot loader" },
	{ "builder", "the domain builder, the older name of type" },
	{ "uuid", "a fixed UUID; xvmm makes a random one" },
	{ "maxvcpus", "room for vCPUs hot-plugged later" },
	{ "cpus", "the host CPUs its vCPUs may run on" },
	{ "cpus_soft", "the host CPUs its vCPUs prefer" },
	{ "cpu_weight", "its share of CPU time against other domains" },
	{ "cap", "a limit on its CPU time" },
	{ "device_model_version", "which QEMU emulates its devices" },
	{ "device_model_override", "the path of that QEMU" },
	{ "localtime", "an RTC in local time instead of UTC" },
	{ "rtc_timeoffset", "an offset of its RTC from dom0's clock" },
	{ "acpi", "whether it gets ACPI tables; xvmm always gives them" },
	{ "apic", "whether it gets an APIC; xvmm always gives one" },
	{ "pae", "PAE for an HVM guest" },
	{ "viridian", "Hyper-V enlightenments for Windows" },
	{ "hap", "nested paging on or off; xvmm always uses it" },
	{ "nestedhvm", "hardware virtualisation inside the guest" },
	{ "vnc", "a VNC server for its framebuffer" },
	{ "sdl", "an SDL window for its framebuffer" },
	{ "vga", "an emulated graphics card" },
	{ "on_watchdog", "what to do when its watchdog fires; xvmm applies on_crash" },
	{ "on_soft_reset", "what to do on a soft reset" },
	{ "seclabel", "an XSM/FLASK security label" },
	{ "xen_platform_pci", "the Xen platform PCI device of HVM guests" },
	{ "vcpu_hard_affinity", "the host CPUs each vCPU may run on" },
	{ "vcpu_soft_affinity", "the host CPUs each vCPU prefers" },
	{ "pool", "the CPU pool it runs in" },
	{ "shadow_memory", "memory for shadow page tables" },
	{ "firmware", "the firmware it boots, OVMF or SeaBIOS" },
	{ "device_tree", "a device tree for it, on Arm" },
	{ "e820_host", "the host's memory map instead of its own" },
	{ "tsc_mode", "how its TSC is emulated or passed through" },
	{ "videoram", "video memory of the emulated graphics card" },
	{ "vnclisten", "the address the VNC server listens on" },
	{ "keymap", "the keyboard layout of the VNC/SDL console" },
	{ "stdvga", "a standard VGA card instead of Cirrus" },
	{ "claim_mode", "claiming its memory before it is built" },
};

static int apply(struct parser *ps, const char *key, unsigned int line,
		 struct value *v, bool append)
{
	struct xlcfg *cfg = ps->cfg;
	uint64_t n;
	int rc;

	if (append && (strcmp(key, "name") == 0 || strcmp(key, "type") == 0 ||
		       strcmp(key, "memory") == 0 || strcmp(key, "maxmem") == 0 ||
		       strcmp(key, "vcpus") == 0 || strncmp(key, "on_", 3) == 0))
		return perr(ps, line, "'+=' cannot be used with %s", key);

	if (strcmp(key, "name") == 0)
		return set_name(ps, line, v);
	if (strcmp(key, "type") == 0)
		return set_type(ps, line, v);
	if (strcmp(key, "kernel") == 0) {
		rc = set_fixed(ps, key, line, v, append, cfg->kernel, sizeof(cfg->kernel));
		ps->kernel_line = line;
		return rc;
	}
	if (strcmp(key, "ramdisk") == 0)
		return set_fixed(ps, key, line, v, append, cfg->ramdisk, sizeof(cfg->ramdisk));
	if (strcmp(key, "cmdline") == 0)
		return set_kept(ps, key, line, v, append, &ps->cmdline);
	if (strcmp(key, "root") == 0)
		return set_kept(ps, key, line, v, append, &ps->root);
	if (strcmp(key, "extra") == 0)
		return set_kept(ps, key, line, v, append, &ps->extra);
	if (strcmp(key, "memory") == 0) {
		rc = get_number(ps, key, line, v, XLCFG_MEMORY_MIN_MIB, XLCFG_MEMORY_MAX_MIB, &n);
		cfg->memory_mib = n;
		ps->memory_line = line;
		return rc;
	}
	if (strcmp(key, "maxmem") == 0) {
		rc = get_number(ps, key, line, v, XLCFG_MEMORY_MIN_MIB, XLCFG_MEMORY_MAX_MIB, &n);
		cfg->maxmem_mib = n;
		ps->maxmem_line = line;
		return rc;
	}
	if (strcmp(key, "vcpus") == 0) {
		rc = get_number(ps, key, line, v, 1, XLCFG_VCPUS_MAX, &n);
		cfg->vcpus = (unsigned int)n;
		return rc;
	}
	/* Xen refuses 0 grant frames; 0 maptrack frames (no maps) is not offered here. */
	if (strcmp(key, "max_grant_frames") == 0) {
		rc = get_number(ps, key, line, v, 1, XLCFG_GRANT_FRAMES_MAX, &n);
		cfg->max_grant_frames = (unsigned int)n;
		return rc;
	}
	if (strcmp(key, "max_maptrack_frames") == 0) {
		rc = get_number(ps, key, line, v, 1, XLCFG_MAPTRACK_FRAMES_MAX, &n);
		cfg->max_maptrack_frames = (unsigned int)n;
		return rc;
	}
	if (strcmp(key, "disk") == 0)
		return set_disks(ps, line, v, append);
	if (strcmp(key, "vif") == 0)
		return set_vifs(ps, line, v, append);
	/*
	 * xl's max_event_channels is the highest port (Xen's max_evtchn_port);
	 * ports 1 and 2 are the console's and xenstore's, and FIFO has 2^17.
	 */
	if (strcmp(key, "max_event_channels") == 0) {
		rc = get_number(ps, key, line, v, XLCFG_EVTCHN_PORT_MIN, XLCFG_EVTCHN_PORT_MAX, &n);
		cfg->max_event_channels = (unsigned int)n;
		return rc;
	}
	if (strcmp(key, "on_poweroff") == 0)
		return set_action(ps, key, line, v, &cfg->on_poweroff);
	if (strcmp(key, "on_reboot") == 0)
		return set_action(ps, key, line, v, &cfg->on_reboot);
	if (strcmp(key, "on_crash") == 0)
		return set_action(ps, key, line, v, &cfg->on_crash);

	for (size_t i = 0; i < sizeof(unsupported_keys) / sizeof(unsupported_keys[0]); i++)
		if (strcmp(key, unsupported_keys[i].key) == 0) {
			pwarn(ps, line, "'%s' is not supported by xvmm yet, ignored (in xl: %s)",
			      key, unsupported_keys[i].does);
			return 0;
		}
	/* Not an xl key at all: most likely a typo, which must not pass silently. */
	return perr(ps, line, "unknown key '%.64s'", key);
}

/* xl's rule: cmdline wins; else "root=<root> <extra>", "root=<root>" or extra. */
static int compose_cmdline(struct parser *ps)
{
	struct xlcfg *cfg = ps->cfg;
	int n;

	if (ps->cmdline.s) {
		if (ps->root.s || ps->extra.s)
			pwarn(ps, ps->root.s ? ps->root.line : ps->extra.line,
			      "ignoring root= and extra= in favour of cmdline=");
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s", ps->cmdline.s);
	} else if (ps->root.s && ps->extra.s) {
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "root=%s %s",
			     ps->root.s, ps->extra.s);
	} else if (ps->root.s) {
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "root=%s", ps->root.s);
	} else if (ps->extra.s) {
		n = snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s", ps->extra.s);
	} else {
		cfg->cmdline[0] = '\0';
		return 0;
	}
	if (n < 0 || (size_t)n >= sizeof(cfg->cmdline)) {
		cfg->cmdline[0] = '\0';
		return perr(ps, ps->cmdline.s ? ps->cmdline.line :
			    ps->extra.s ? ps->extra.line : ps->root.line,
			    "kernel command line is too long (at most %u bytes)",
			    XLCFG_CMDLINE_MAX - 1);
	}
	return 0;
}

static int finish(struct parser *ps)
{
	struct xlcfg *cfg = ps->cfg;
	int rc;

	if (!ps->name_line)
		return perr(ps, 0, "missing required key 'name'");
	if (!ps->kernel_line || !cfg->kernel[0])
		return perr(ps, ps->kernel_line, "missing required key 'kernel' "
			    "(an uncompressed PVH ELF kernel, e.g. vmlinux)");
	if (!ps->type_line)
		pwarn(ps, 1, "no 'type' given: assuming type = \"pvh\" (xl would assume pv)");
	/* xl: maxmem below memory is an error ("maxmem ... lower than memory"). */
	if (ps->maxmem_line && cfg->maxmem_mib < cfg->memory_mib)
		return perr(ps, ps->maxmem_line, "maxmem = %llu is below memory = %llu: "
			    "maxmem is the most the guest may balloon up to",
			    (unsigned long long)cfg->maxmem_mib,
			    (unsigned long long)cfg->memory_mib);
	if (!ps->maxmem_line)
		cfg->maxmem_mib = cfg->memory_mib;
	rc = finish_vifs(ps);
	if (!rc)
		rc = compose_cmdline(ps);
	return rc;
}

static int parse_statements(struct parser *ps)
{
	for (;;) {
		struct tok key, op, end;
		struct value v;
		int rc;

		rc = lex(ps, &key);
		if (rc)
			return rc;
		if (key.kind == T_NEWLINE || key.kind == T_SEMI)
			continue;
		if (key.kind == T_EOF)
			return 0;
		if (key.kind != T_IDENT) {
			free(key.str);
			return perr(ps, key.line, "expected a setting name, found %s", tok_desc(&key));
		}
		rc = lex(ps, &op);
		if (!rc && op.kind != T_EQ && op.kind != T_PLUSEQ) {
			free(op.str);
			rc = perr(ps, key.line, "expected '=' after '%.64s'", key.str);
		}
		if (!rc)
			rc = parse_value(ps, key.line, &v);
		if (!rc) {
			rc = lex(ps, &end);
			if (!rc && end.kind != T_NEWLINE && end.kind != T_SEMI && end.kind != T_EOF) {
				free(end.str);
				rc = perr(ps, key.line, "unexpected %s after the value of '%.64s' "
					  "(one setting per line, or separate with ';')",
					  tok_desc(&end), key.str);
			}
			if (!rc)
				rc = apply(ps, key.str, key.line, &v, op.kind == T_PLUSEQ);
			value_free(&v);
		}
		free(key.str);
		if (rc)
			return rc;
	}
}

void xlcfg_init(struct xlcfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->memory_mib = 128;
	cfg->maxmem_mib = 128;
	cfg->vcpus = 1;
	cfg->on_poweroff = cfg->on_crash = XLCFG_ACTION_DESTROY;
	cfg->on_reboot = XLCFG_ACTION_RESTART;	/* xl.cfg(5)'s default */
}

int xlcfg_parse(const char *text, size_t len, const char *filename,
		struct xlcfg *cfg, struct xvmm_err *err)
{
	struct parser ps = {
		.p = text, .end = text + len, .line = 1,
		.file = filename ? filename : "<config>", .cfg = cfg, .err = err,
	};
	int rc;

	xlcfg_init(cfg);
	if (len > XLCFG_MAX_INPUT)
		return perr(&ps, 0, "config is %zu bytes (at most %u)", len, XLCFG_MAX_INPUT);
	if (!text)
		ps.end = ps.p = "";
	rc = parse_statements(&ps);
	if (!rc)
		rc = finish(&ps);
	free(ps.cmdline.s);
	free(ps.root.s);
	free(ps.extra.s);
	return rc;
}

int xlcfg_read_file(const char *path, char **text, size_t *len, struct xvmm_err *err)
{
	char *buf;
	size_t used = 0;
	ssize_t n;
	int fd, rc;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xvmm_err_set(err, -errno, "%s: %s", path, strerror(errno));
	buf = malloc(XLCFG_MAX_INPUT + 1);
	if (!buf) {
		close(fd);
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	}
	/* One byte more than allowed tells a file that is too large. */
	while ((n = read(fd, buf + used, XLCFG_MAX_INPUT + 1 - used)) > 0) {
		used += (size_t)n;
		if (used > XLCFG_MAX_INPUT)
			break;
	}
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		rc = xvmm_err_set(err, rc, "%s: %s", path, strerror(-rc));
	else if (used > XLCFG_MAX_INPUT)
		rc = xvmm_err_set(err, -EFBIG, "%s: config is larger than %u bytes",
				  path, XLCFG_MAX_INPUT);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = used;
	return 0;
}

int xlcfg_parse_file(const char *path, struct xlcfg *cfg, struct xvmm_err *err)
{
	char *text;
	size_t len;
	int rc;

	xlcfg_init(cfg);
	rc = xlcfg_read_file(path, &text, &len, err);
	if (rc)
		return rc;
	rc = xlcfg_parse(text, len, path, cfg, err);
	free(text);
	return rc;
}

const char *xlcfg_action_name(enum xlcfg_action a)
{
	return a == XLCFG_ACTION_PRESERVE ? "preserve" :
	       a == XLCFG_ACTION_RESTART ? "restart" : "destroy";
}
