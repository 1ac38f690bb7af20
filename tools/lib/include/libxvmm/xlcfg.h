// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl.cfg-style domain configuration (the syntax of Xen's xl.cfg(5)).
 *
 * Syntax: `key = value` or `key += value`, ended by a newline or ';';
 * values are "double" or 'single' quoted strings (C escapes \n \t \\ \" \'
 * \xHH and octal, as xl's libxlu), integers (decimal, 0x hex, leading-0
 * octal, as strtol base 0), or lists [ v, v, ... ] that may span lines
 * and end with a comma. '#' starts a comment to end of line.
 *
 * Error policy: the first error stops parsing and is returned as
 * "file:line: message" in err (-EINVAL). Keys xvmm does not know or does
 * not support yet are NOT errors: each adds "file:line: warning: ..." to
 * cfg->warnings, which the caller prints. The last assignment of a key
 * wins, as in xl.
 */
#ifndef LIBXVMM_XLCFG_H
#define LIBXVMM_XLCFG_H

#include <stddef.h>
#include <stdint.h>

#include <libxvmm/diskspec.h>
#include <libxvmm/error.h>
#include <libxvmm/layout.h>
#include <libxvmm/vifspec.h>

#define XLCFG_NAME_MAX		64		/* chars, [A-Za-z0-9_.-] */
#define XLCFG_PATH_MAX		4096		/* bytes including the NUL */
#define XLCFG_CMDLINE_MAX	XVMM_CMDLINE_MAX	/* bytes including the NUL */
#define XLCFG_MEMORY_MIN_MIB	1ull
#define XLCFG_MEMORY_MAX_MIB	(XVMM_RAM_MAX >> 20)	/* 512 GiB; dom0 must have it too */
#define XLCFG_VCPUS_MAX		64u
#define XLCFG_GRANT_FRAMES_MAX	256u	/* XVMM_GNTTAB_MAX_FRAMES (xvmm/control.h) */
#define XLCFG_MAPTRACK_FRAMES_MAX	1024u	/* XVMM_MAPTRACK_MAX_FRAMES */
#define XLCFG_EVTCHN_PORT_MIN	2u	/* the console's and xenstore's ports */
#define XLCFG_EVTCHN_PORT_MAX	131071u	/* XVMM_EVTCHN_MAX_PORT */
#define XLCFG_MAX_WARNINGS	16u
#define XLCFG_MAX_DISKS		16u
#define XLCFG_MAX_VIFS		8u
#define XLCFG_MAX_INPUT		(1u << 20)	/* config files above 1 MiB refused */

enum xlcfg_action {
	XLCFG_ACTION_DESTROY = 0,
	XLCFG_ACTION_PRESERVE = 1,
	XLCFG_ACTION_RESTART = 2,	/* destroy, then create again from the same config */
};

struct xlcfg {
	char name[XLCFG_NAME_MAX + 1];
	char kernel[XLCFG_PATH_MAX];
	char ramdisk[XLCFG_PATH_MAX];		/* "" if none */
	char cmdline[XLCFG_CMDLINE_MAX];	/* final command line, "" if none */
	uint64_t memory_mib;			/* default 128 */
	uint64_t maxmem_mib;			/* >= memory_mib; default memory_mib */
	unsigned int vcpus;			/* default 1 */
	unsigned int max_grant_frames;		/* 1..256; 0: not given (Xen's 64) */
	unsigned int max_maptrack_frames;	/* 1..1024; 0: not given (Xen's 1024) */
	unsigned int max_event_channels;	/* highest port, 2..131071; 0: not given (Xen's 1023) */
	/* Defaults as xl's: destroy, except on_reboot: restart. */
	enum xlcfg_action on_poweroff, on_reboot, on_crash;
	unsigned int nr_disks;			/* disk = [ ... ] entries, in order */
	struct xl_disk disks[XLCFG_MAX_DISKS];
	unsigned int nr_vifs;			/* vif = [ ... ] entries, in order */
	struct xl_vif vifs[XLCFG_MAX_VIFS];	/* devids unique, all >= 0 after parsing */
	unsigned int nr_warnings;		/* entries in warnings[] */
	unsigned int nr_warnings_dropped;	/* warnings beyond the array */
	char warnings[XLCFG_MAX_WARNINGS][XVMM_ERR_MAX];
};

/* Defaults: memory 128, vcpus 1, every on_* destroy, everything else empty. */
void xlcfg_init(struct xlcfg *cfg);

/*
 * Parse text[0..len) (need not be NUL-terminated); filename is only used
 * in messages. Required keys: name, kernel. Returns 0 or -EINVAL.
 */
int xlcfg_parse(const char *text, size_t len, const char *filename,
		struct xlcfg *cfg, struct xvmm_err *err);

/*
 * Read a config file whole into a malloc()ed buffer (*text, *len; not
 * NUL-terminated): -errno from open/read, -ENOMEM, or -EFBIG when it is
 * larger than XLCFG_MAX_INPUT. For callers that add to the text before
 * parsing it (the CLI's KEY=VALUE overrides).
 */
int xlcfg_read_file(const char *path, char **text, size_t *len, struct xvmm_err *err);

/* Read and parse a file (xlcfg_read_file's errors, or xlcfg_parse's). */
int xlcfg_parse_file(const char *path, struct xlcfg *cfg, struct xvmm_err *err);

const char *xlcfg_action_name(enum xlcfg_action a);

#endif /* LIBXVMM_XLCFG_H */
