// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `xvmm` CLI's internal interfaces. The files split by job:
 *
 *   main.c           dispatch, usage, the VMM commands (load/unload/...)
 *   dev.c            the ioctl layer: one thin wrapper per domain ioctl,
 *                    returning 0 or -errno (unit tests link a fake instead)
 *   overrides.c      xl.cfg file + KEY=VALUE overrides -> struct xlcfg
 *   ranges.c         which guest-physical ranges DOM_WRITE must copy
 *   domain_build.c   build the image in user buffers, CREATE/WRITE/START
 *   domains.c        domain info for people: name/ID lookup, `list` table,
 *                    what a stopped domain's config says to do
 *   domain_run.c     the runner: a detached process, one thread per vCPU
 *   domain_create.c  `xvmm create`
 *   domain_cmds.c    `xvmm list`, `shutdown`, `reboot`, `destroy`
 *   xl_format.c      xl's tables: list (dom0 first), vcpu-list, uptime; top;
 *                    xl's memory sizes
 *   xl_cmds.c        `xvmm info`, `vcpu-list`, `pause`, `unpause`, `mem-set`,
 *                    `uptime`, `top`; dom0's own numbers for them
 *   network_cmds.c   `xvmm network-attach`, `network-detach`, `network-list` (the same way)
 *   block_cmds.c     `xvmm block-attach`, `block-detach`, `block-list` (through
 *                    the runner's control socket)
 *   console.c        `xvmm console`, and `create -c`
 *   console_backend.c the runner's dom0 backends: PV console ring, xenstore
 *                    ring (tools/xenstored), PV disks (tools/backend), the
 *                    control socket
 */
#ifndef XVMM_CLI_H
#define XVMM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libxvmm/build.h>
#include <libxvmm/error.h>
#include <libxvmm/layout.h>
#include <libxvmm/xlcfg.h>
#include <xvmm/ioctl.h>

/* Xen's SHUTDOWN_* codes (public/sched.h), as DOM_RUN and DOM_SHUTDOWN use them. */
#define CLI_SHUTDOWN_POWEROFF	0
#define CLI_SHUTDOWN_REBOOT	1
#define CLI_SHUTDOWN_SUSPEND	2
#define CLI_SHUTDOWN_CRASH	3
#define CLI_SHUTDOWN_WATCHDOG	4

/* Special area handed to DOM_CREATE: ACPI window + special pages. */
#define CLI_NR_SPECIAL		(XVMM_SPECIAL_SIZE / XVMM_PAGE_SIZE)
#define CLI_MAX_SPECIAL		32	/* struct xvmm_hc_dom_create.special_pa[] */
_Static_assert(XVMM_SPECIAL_SIZE % XVMM_PAGE_SIZE == 0, "special area is whole pages");
_Static_assert(CLI_NR_SPECIAL <= CLI_MAX_SPECIAL, "special area exceeds DOM_CREATE's 32 pages");

/*
 * The rings' guest event channel ports. The VMM binds them to dom0 when
 * the domain starts (vmm/xen/evtchn.c xen_domain_init: console first, then
 * xenstore, from port 1); dom0's port n is the guest's port n.
 */
#define CLI_CONSOLE_PORT	1
#define CLI_STORE_PORT		2

/* Where the runner keeps the console log and its control socket
 * ($XVMM_LOG_DIR and $XVMM_RUN_DIR override, for tests). */
#define CLI_LOG_DIR		"/var/log/xvmm"
#define CLI_RUN_DIR		"/run/xvmm"

/* Guest RAM goes to the driver in 2 MiB chunks. */
#define CLI_RAM_ALIGN		(2ull << 20)

/* ---- dev.c: the ioctl layer (every function: 0 or -errno) ------------- */

/* Open /dev/xvmm; prints why not and returns -1 on failure. */
int cli_open_dev(void);
/* What an errno from a domain ioctl means for the person at the keyboard. */
const char *cli_dom_strerror(int err);

int xdev_dom_create(int fd, struct xvmm_ioctl_dom_create *req);
int xdev_dom_write(int fd, uint32_t domid, uint64_t gpa, const void *buf, uint64_t len);
int xdev_dom_start(int fd, uint32_t domid, uint64_t entry, uint64_t start_info);
int xdev_dom_run(int fd, struct xvmm_ioctl_dom_run *req);
int xdev_dom_destroy(int fd, uint32_t domid);
/* All live domains into a malloc'd array (*out, free() it), count in *nr. */
int xdev_dom_list(int fd, struct xvmm_dom_info **out, unsigned int *nr);
int xdev_dom_console(int fd, struct xvmm_ioctl_dom_console *req);
int xdev_dom_shutdown(int fd, uint32_t domid, uint32_t reason);
int xdev_dom_pause(int fd, uint32_t domid, bool pause);
/* The domain's vCPUs into a malloc'd array (*out, free() it), count in *nr. */
int xdev_dom_vcpu_list(int fd, uint32_t domid, struct xvmm_vcpu_info **out, unsigned int *nr);
/*
 * DOM_START with the console and xenstore ring pages. Lives in
 * console_backend.c with the other backend ioctls; domain_build.c has a
 * weak fallback to xdev_dom_start() (no rings) for the unit tests' fake
 * driver, which fakes only xdev_dom_start(). Both belong in dev.c.
 */
int xdev_dom_start_rings(int fd, uint32_t domid, uint64_t entry, uint64_t start_info,
			 uint64_t console_gfn, uint64_t store_gfn,
			 uint32_t max_grant_frames, uint32_t max_maptrack_frames,
			 uint32_t max_evtchn_port,
			 const struct xvmm_memmap_entry *memmap, uint32_t nr_memmap);
/* Dom0's MemAvailable in bytes (/proc/meminfo), 0 if unknown: for error messages. */
uint64_t cli_dom0_mem_available(void);
int xdev_dom_notify(int fd, uint32_t domid, uint32_t port);
/* DOM_WAIT: ports the guest signalled into *pending (0 on timeout). */
int xdev_dom_wait(int fd, uint32_t domid, uint32_t timeout_ms, uint64_t *pending);

/* ---- overrides.c -------------------------------------------------------- */

/*
 * Turn one command-line override KEY=VALUE (or KEY+=VALUE) into an xl.cfg
 * line in out. Numbers, "quoted", 'quoted' and [lists] pass unchanged;
 * anything else is quoted (so `name=web kernel=/boot/vmlinux` work).
 * -EINVAL with a message if arg is not KEY=VALUE.
 */
int cli_override_line(const char *arg, char *out, size_t cap, struct xvmm_err *err);

/*
 * Parse the config text (file contents, len bytes) named path, then the
 * overrides as if appended to it (as `xl create FILE KEY=VALUE...`).
 * Messages about an override's line name it instead of a line number:
 * "override 'memory=0': memory = 0 is out of range (1..4032)".
 */
int cli_cfg_parse_text(const char *text, size_t len, const char *path,
		       char *const *overrides, unsigned int nr_overrides,
		       struct xlcfg *cfg, struct xvmm_err *err);
/* Read path (at most XLCFG_MAX_INPUT bytes), then cli_cfg_parse_text(). */
int cli_cfg_parse(const char *path, char *const *overrides, unsigned int nr_overrides,
		  struct xlcfg *cfg, struct xvmm_err *err);

/* ---- ranges.c ------------------------------------------------------------ */

struct cli_range {
	uint64_t gpa;
	uint64_t len;
};

#define CLI_MAX_RANGES	(ELF_LOAD_MAX_SEGS + 4)

/*
 * The page-aligned ranges the builder wrote, sorted and merged: kernel
 * segments (memsz, so .bss zeroes are written too), ramdisk, boot-info
 * page, ACPI tables (what acpi_build used) and all special pages (written
 * as zeroes so the console and xenstore rings start clean).
 * Returns how many (<= max), or -E2BIG.
 */
int cli_write_ranges(const struct xvmm_build_result *res, struct cli_range *out,
		     unsigned int max);

/* Length of the first DOM_WRITE piece of [gpa, +len): up to the next 2 MiB boundary. */
uint64_t cli_piece_len(uint64_t gpa, uint64_t len);

/* ---- domain_build.c ----------------------------------------------------- */

struct cli_image {
	struct guest_mem gm;
	void *ram;			/* anonymous mmap, ram_size bytes */
	uint64_t ram_size;		/* memory MiB rounded up to 2 MiB */
	uint64_t ram_max;		/* maxmem MiB rounded up to 2 MiB (>= ram_size) */
	void *special;			/* XVMM_SPECIAL_SIZE bytes */
	struct xvmm_build_result res;
};

/* memory_mib in bytes, rounded up to 2 MiB. */
uint64_t cli_ram_size(uint64_t memory_mib);

/* Map the buffers and run the builder. -errno with a message. */
int cli_image_build(struct cli_image *img, const struct xlcfg *cfg,
		    const void *kernel, size_t kernel_size,
		    const void *ramdisk, size_t ramdisk_size, struct xvmm_err *err);
void cli_image_free(struct cli_image *img);

/*
 * DOM_CREATE, DOM_WRITE of every range, DOM_START. On any failure after
 * DOM_CREATE the domain is destroyed again. -errno with a message.
 */
int cli_domain_load(int fd, const struct xlcfg *cfg, const struct cli_image *img,
		    uint32_t *domid, struct xvmm_err *err);

/* ---- domains.c ------------------------------------------------------------ */

/* 'r' running, 's' shut down, 'c' crashed, '-' not started, '?' otherwise. */
char cli_state_char(unsigned int state);
/* The name as a C string (info->name need not be NUL-terminated). */
void cli_dom_name(const struct xvmm_dom_info *info, char out[XVMM_NAME_LEN + 1]);
/*
 * Index in d[0..n) of the domain `what` names: a decimal number is an ID
 * (as in xl; if no domain has that ID it may still be a name), else a name.
 * -1 if none.
 */
int cli_find_domain(const struct xvmm_dom_info *d, unsigned int n, const char *what);
/*
 * What the config says to do when DOM_RUN reports reason/code:
 * poweroff (and suspend, unsupported) -> on_poweroff, reboot -> on_reboot,
 * crash, watchdog and XVMM_RUN_CRASH -> on_crash. *what names the event.
 */
enum xlcfg_action cli_stop_action(const struct xlcfg *cfg, unsigned int reason,
				  unsigned int code, const char **what);

/* ---- xl_format.c: xl's output formats ------------------------------------ */

#define CLI_DOM0_NAME	"Domain-0"

/* Dom0 as xl shows it: the running Linux, every CPU its vCPU. */
struct cli_dom0 {
	uint64_t mem_kib;		/* MemTotal */
	unsigned int nr_cpus;		/* online CPUs */
	double cpu_s;			/* busy time of all CPUs (/proc/stat), seconds */
	uint64_t uptime_s;		/* /proc/uptime */
};

/* xl's six State letters ("r-----", "---sc-", ...) into out. */
void cli_state_str(const struct xvmm_dom_info *d, char out[7]);
/*
 * `xl list`: header, dom0's row (if dom0 is not NULL), then the domains;
 * counts adds the VMM's Exits and Hypercalls columns.
 */
void cli_print_list(FILE *f, const struct cli_dom0 *dom0, const struct xvmm_dom_info *d,
		    unsigned int n, bool counts);
/* `xl vcpu-list`: header, then one row per vCPU (pinned: dom0's CPU, or -1 for all). */
void cli_print_vcpu_header(FILE *f);
void cli_print_vcpu_row(FILE *f, const char *name, unsigned int domid,
			const struct xvmm_vcpu_info *v, int pinned);
/* `xl uptime` [-s]. */
void cli_uptime_str(unsigned long long secs, bool short_mode, char *out, size_t cap);
void cli_print_uptime_header(FILE *f);
void cli_print_uptime_row(FILE *f, const char *name, unsigned int id, unsigned long long secs,
			  bool short_mode, const char *now_hms);
/* xl's memory size ("512m", "1g", "2048" = MiB, "65536k") in KiB: 0, -EINVAL or -ERANGE. */
int cli_parse_mem_kb(const char *s, uint64_t *kib);
/* `xl info` from the VMM's status, uname, dom0's numbers and MemAvailable (KiB). */
struct utsname;
void cli_print_info(FILE *f, const struct xvmm_status *st, const struct utsname *u,
		    const struct cli_dom0 *d0, uint64_t avail_kib);
/* `xvmm top`: two DOM_LIST samples interval_ns apart (a before b). */
void cli_print_top(FILE *f, const struct cli_dom0 *host, const struct xvmm_dom_info *a,
		   unsigned int na, const struct xvmm_dom_info *b, unsigned int nb,
		   uint64_t interval_ns);

/* ---- domain_create.c (also the runner's on_reboot = "restart") ------------ */

/* Kernel and ramdisk into a built image: 0, or 1 with a message on stderr. */
int cli_create_build(const struct xlcfg *cfg, struct cli_image *img);
/*
 * DOM_CREATE/WRITE/START of the built image on fd (freed here), then the
 * runner. 0 with *domid and *hold (cli_runner_spawn), or 1 with a message.
 */
int cli_create_start(int fd, const struct xlcfg *cfg, struct cli_image *img, uint32_t *domid,
		     int *hold);

/* ---- domain_run.c ------------------------------------------------------ */

/*
 * Start the detached runner for a started domain (one thread per vCPU in
 * a new session, stdio on /dev/null). When the domain stops, the runner
 * waits until *hold_fd is closed (at most a few seconds) before it applies
 * on_poweroff/on_reboot/on_crash, so that `create -c` can read the last
 * console output first; close *hold_fd as soon as that is not needed.
 * -errno with a message; the caller destroys the domain.
 */
int cli_runner_spawn(int fd, uint32_t domid, const struct xlcfg *cfg,
		     int *hold_fd, struct xvmm_err *err);

/* ---- console_backend.c ---------------------------------------------------- */

struct cli_backends;

/*
 * In the runner, before the vCPUs run: map the console and xenstore ring
 * pages, fill the store with the domain's nodes, open the console log and
 * the control socket, start the backend threads. What cannot be set up is
 * logged and left out (never fatal). NULL only when out of memory.
 */
struct cli_backends *cli_backends_start(int fd, uint32_t domid, const struct xlcfg *cfg);
/* When the runner ends: drain the console a last time, remove the socket. */
void cli_backends_stop(struct cli_backends *b);

/* A control socket command line: "block-attach DISKSPEC" is the longest. */
#define CLI_RUNNER_CMD_MAX	(XL_DISK_SPEC_MAX + 32)

int cli_console_log_path(const char *name, char *buf, size_t cap);
int cli_runner_sock_path(const char *name, char *buf, size_t cap);
/* Connect to NAME's runner and send the command line cmd: fd or -errno. */
int cli_runner_connect(const char *name, const char *cmd);

/* ---- console.c ---------------------------------------------------------- */

/*
 * Print the domain's console and, if follow, keep printing until it is no
 * longer running (or Ctrl-] on a terminal). 0, or -errno with a message.
 */
int cli_console(int fd, uint32_t domid, bool follow, struct xvmm_err *err);

/* ---- commands ------------------------------------------------------------ */

int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_vcpu_list(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_mem_set(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_top(int argc, char **argv);
/* Dom0's numbers for list/uptime/top (xl_cmds.c): 0, or -errno. */
int cli_dom0_read(struct cli_dom0 *d);
int cmd_block_attach(int argc, char **argv);
int cmd_block_detach(int argc, char **argv);
int cmd_block_list(int argc, char **argv);
int cmd_network_attach(int argc, char **argv);
int cmd_network_detach(int argc, char **argv);
int cmd_network_list(int argc, char **argv);

/*
 * The runner's control socket, for the device commands (block_cmds.c):
 * send cmd to NAME's runner and read its whole answer into buf (0 or
 * -errno); the name of the domain `what` names (0, or -1 with a message);
 * print what an answer means ("ok" -> 0, "error MSG" -> 1 and MSG).
 */
int cli_runner_ask(const char *name, const char *cmd, char *buf, size_t cap);
int cli_runner_name(const char *what, char name[XVMM_NAME_LEN + 1]);
int cli_runner_report(const char *cmd, const char *name, int rc, const char *ans);

/*
 * Look `what` up through DOM_LIST. Prints "xvmm: no domain WHAT" (or the
 * ioctl error) and returns -1 if there is none.
 */
int cli_lookup(int fd, const char *what, struct xvmm_dom_info *info);

#endif /* XVMM_CLI_H */
