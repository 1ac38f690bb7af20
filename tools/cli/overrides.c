// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm create FILE KEY=VALUE...`: the config file, then each override as
 * one more line after it, parsed together by libxvmm's xl.cfg parser (as xl
 * appends its extra config). Messages that point past the file's last line
 * are renamed after the override they came from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool key_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool key_char(char c)
{
	return key_start(c) || (c >= '0' && c <= '9') || c == '.';
}

/* A number as the xl.cfg lexer reads it: decimal, 0x hex, leading-0 octal. */
static bool is_number(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		if (!*s)
			return false;
		for (; *s; s++)
			if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
			      (*s >= 'A' && *s <= 'F')))
				return false;
		return true;
	}
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int cli_override_line(const char *arg, char *out, size_t cap, struct xvmm_err *err)
{
	const char *eq = strchr(arg, '='), *val;
	size_t klen, o = 0;
	bool append;

	if (!eq || eq == arg || !key_start(arg[0]))
		return xvmm_err_set(err, -EINVAL, "override '%s' is not KEY=VALUE", arg);
	append = eq[-1] == '+';
	klen = (size_t)(eq - arg) - append;
	for (size_t i = 0; i < klen; i++)
		if (!key_char(arg[i]))
			return xvmm_err_set(err, -EINVAL, "override '%s': '%.*s' is not a valid key",
					    arg, (int)klen, arg);
	val = eq + 1;

#define PUT(c) do { if (o + 1 >= cap) goto toolong; out[o++] = (c); } while (0)
	for (size_t i = 0; i < klen; i++)
		PUT(arg[i]);
	PUT(' ');
	if (append)
		PUT('+');
	PUT('=');
	PUT(' ');
	if (val[0] == '"' || val[0] == '\'' || val[0] == '[' || is_number(val)) {
		if (strchr(val, '\n'))
			return xvmm_err_set(err, -EINVAL, "override '%s' spans lines", arg);
		for (const char *s = val; *s; s++)
			PUT(*s);
	} else {
		PUT('"');
		for (const unsigned char *s = (const unsigned char *)val; *s; s++) {
			if (*s == '"' || *s == '\\') {
				PUT('\\');
				PUT((char)*s);
			} else if (*s < 0x20 || *s == 0x7f) {
				char hex[5];

				snprintf(hex, sizeof(hex), "\\x%02x", *s);
				for (int k = 0; hex[k]; k++)
					PUT(hex[k]);
			} else {
				PUT((char)*s);
			}
		}
		PUT('"');
	}
#undef PUT
	out[o] = '\0';
	return 0;
toolong:
	out[0] = '\0';
	return xvmm_err_set(err, -E2BIG, "override '%.40s...' is too long", arg);
}

/*
 * msg is "PATH:LINE: text" or "PATH: text". If LINE is past the file
 * (first_override_line + i), rewrite it as "override 'ARG': text".
 */
static void rename_override(char *msg, size_t cap, const char *path,
			    unsigned int first_override_line,
			    char *const *overrides, unsigned int nr)
{
	size_t plen = strlen(path);
	unsigned long line;
	char *end, tmp[XVMM_ERR_MAX];

	if (strncmp(msg, path, plen) || msg[plen] != ':' ||
	    msg[plen + 1] < '0' || msg[plen + 1] > '9')
		return;
	line = strtoul(msg + plen + 1, &end, 10);
	if (end[0] != ':' || end[1] != ' ' || line < first_override_line ||
	    line - first_override_line >= nr)
		return;
	snprintf(tmp, sizeof(tmp), "override '%s': %s",
		 overrides[line - first_override_line], end + 2);
	snprintf(msg, cap, "%s", tmp);
}

int cli_cfg_parse_text(const char *text, size_t len, const char *path,
		       char *const *overrides, unsigned int nr_overrides,
		       struct xlcfg *cfg, struct xvmm_err *err)
{
	unsigned int lines = 0;
	size_t cap = len + 2, used;
	char *buf, line[XLCFG_PATH_MAX + 128];
	int rc;

	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (len && text[len - 1] != '\n')
		lines++;
	for (unsigned int i = 0; i < nr_overrides; i++)
		cap += strlen(overrides[i]) * 4 + 8;	/* worst case: every byte \xHH */
	buf = malloc(cap);
	if (!buf)
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	memcpy(buf, text, len);
	used = len;
	if (len && text[len - 1] != '\n')
		buf[used++] = '\n';
	for (unsigned int i = 0; i < nr_overrides; i++) {
		size_t l;

		rc = cli_override_line(overrides[i], line, sizeof(line), err);
		if (rc) {
			free(buf);
			return rc;
		}
		l = strlen(line);
		memcpy(buf + used, line, l);
		used += l;
		buf[used++] = '\n';
	}
	rc = xlcfg_parse(buf, used, path, cfg, err);
	free(buf);
	if (rc && err)
		rename_override(err->msg, sizeof(err->msg), path, lines + 1,
				overrides, nr_overrides);
	for (unsigned int i = 0; i < cfg->nr_warnings; i++)
		rename_override(cfg->warnings[i], sizeof(cfg->warnings[i]), path, lines + 1,
				overrides, nr_overrides);
	/* `xvmm list` shows dom0 under that name, as xl does: it is taken. */
	if (!rc && !strcmp(cfg->name, CLI_DOM0_NAME))
		rc = xvmm_err_set(err, -EEXIST, "%s: name \"%s\" is dom0's: choose another",
				  path, CLI_DOM0_NAME);
	return rc;
}

int cli_cfg_parse(const char *path, char *const *overrides, unsigned int nr_overrides,
		  struct xlcfg *cfg, struct xvmm_err *err)
{
	char *text;
	size_t len;
	int rc;

	xlcfg_init(cfg);
	rc = xlcfg_read_file(path, &text, &len, err);
	if (rc)
		return rc;
	rc = cli_cfg_parse_text(text, len, path, overrides, nr_overrides, cfg, err);
	free(text);
	return rc;
}
