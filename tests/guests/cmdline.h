/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test guests' command line (start_info's cmdline, tests/guests/
 * cmdline.c): words separated by spaces, as `xvmm create ... cmdline=...`
 * gives them.
 */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

/* The decimal number after KEY ("seed=") at the start of a word, or dflt. */
unsigned long cmdline_num(const char *key, unsigned long dflt);
/* Whether WORD is one of the words. */
int cmdline_has(const char *word);

#endif
