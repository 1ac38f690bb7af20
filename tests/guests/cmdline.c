// SPDX-License-Identifier: GPL-2.0-only
/* The test guests' command line (cmdline.h). */
#include "cmdline.h"
#include "guest.h"

static const char *cmdline(void)
{
	if (!start_info->cmdline_paddr || !phys_mapped(start_info->cmdline_paddr, 4096))
		return "";
	return phys_to_ptr(start_info->cmdline_paddr);
}

unsigned long cmdline_num(const char *key, unsigned long dflt)
{
	const char *start = cmdline(), *s = start;
	size_t k = strlen(key);

	for (; *s; s++) {
		unsigned long v = 0;

		if ((s != start && s[-1] != ' ') || strncmp(s, key, k))
			continue;
		for (s += k; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (unsigned long)(*s - '0');
		return v;
	}
	return dflt;
}

int cmdline_has(const char *word)
{
	const char *start = cmdline(), *p = start;
	size_t n = strlen(word);

	for (; *p; p++)
		if ((p == start || p[-1] == ' ') && !strncmp(p, word, n) && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}
