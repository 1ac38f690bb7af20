// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains as people see them: find one by name or ID, and what a stopped
 * domain's config says to do with it (the tables: xl_format.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char cli_state_char(unsigned int state)
{
	switch (state) {
	case XVMM_DOM_RUNNING:
		return 'r';
	case XVMM_DOM_SHUTDOWN:
		return 's';
	case XVMM_DOM_CRASHED:
		return 'c';
	case 0:
		return '-';	/* created, not started yet */
	default:
		return '?';
	}
}

void cli_dom_name(const struct xvmm_dom_info *info, char out[XVMM_NAME_LEN + 1])
{
	size_t n = strnlen(info->name, XVMM_NAME_LEN);

	memcpy(out, info->name, n);
	out[n] = '\0';
}

static bool is_id(const char *s)
{
	if (!*s || strlen(s) > 9)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int cli_find_domain(const struct xvmm_dom_info *d, unsigned int n, const char *what)
{
	char name[XVMM_NAME_LEN + 1];

	if (is_id(what)) {
		unsigned long id = strtoul(what, NULL, 10);

		for (unsigned int i = 0; i < n; i++)
			if (d[i].domid == id)
				return (int)i;
	}
	for (unsigned int i = 0; i < n; i++) {
		cli_dom_name(&d[i], name);
		if (!strcmp(name, what))
			return (int)i;
	}
	return -1;
}

enum xlcfg_action cli_stop_action(const struct xlcfg *cfg, unsigned int reason,
				  unsigned int code, const char **what)
{
	const char *dummy;

	if (!what)
		what = &dummy;
	if (reason == XVMM_RUN_CRASH) {
		*what = "crashed";
		return cfg->on_crash;
	}
	switch (code) {
	case CLI_SHUTDOWN_REBOOT:
		*what = "reboot";
		return cfg->on_reboot;
	case CLI_SHUTDOWN_CRASH:
		*what = "crashed";
		return cfg->on_crash;
	case CLI_SHUTDOWN_WATCHDOG:
		*what = "watchdog";
		return cfg->on_crash;
	case CLI_SHUTDOWN_POWEROFF:
		*what = "poweroff";
		return cfg->on_poweroff;
	default:
		*what = "shutdown";
		return cfg->on_poweroff;
	}
}
