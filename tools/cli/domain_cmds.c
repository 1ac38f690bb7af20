// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm list`, `console`, `shutdown`, `reboot`, `destroy`: look the
 * domain up through DOM_LIST, one ioctl, one line of output. `shutdown`
 * first asks the guest through xenstore (control/shutdown, as xl does),
 * via the runner's socket; a guest that never said it listens
 * (control/feature-poweroff) or has no runner gets DOM_SHUTDOWN.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int usage_of(const char *u)
{
	fprintf(stderr, "usage: xvmm %s\n", u);
	return 2;
}

int cli_lookup(int fd, const char *what, struct xvmm_dom_info *info)
{
	struct xvmm_dom_info *d = NULL;
	unsigned int n = 0;
	int rc = xdev_dom_list(fd, &d, &n), i;

	if (rc) {
		fprintf(stderr, "xvmm: listing domains: %s\n", cli_dom_strerror(rc));
		return -1;
	}
	i = cli_find_domain(d, n, what);
	if (i < 0) {
		fprintf(stderr, "xvmm: no domain %s\n", what);
		free(d);
		return -1;
	}
	*info = d[i];
	free(d);
	return 0;
}

/* `xl list [DOMAIN]`: dom0's row first, then every domain (or only the one named). */
int cmd_list(int argc, char **argv)
{
	struct xvmm_dom_info *d = NULL;
	struct cli_dom0 d0;
	unsigned int n = 0;
	int fd, rc, i = -1;
	bool counts = false;

	if (argc > 0 && !strcmp(argv[0], "--counts")) {
		counts = true;
		argc--;
		argv++;
	}
	if (argc > 1 || (argc == 1 && argv[0][0] == '-'))
		return usage_of("list [--counts] [NAME|ID]");
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	rc = xdev_dom_list(fd, &d, &n);
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: list: %s\n", cli_dom_strerror(rc));
		return 1;
	}
	cli_dom0_read(&d0);
	if (argc == 1 && strcmp(argv[0], "0") && strcmp(argv[0], CLI_DOM0_NAME)) {
		i = cli_find_domain(d, n, argv[0]);
		if (i < 0) {
			fprintf(stderr, "xvmm: no domain %s\n", argv[0]);
			free(d);
			return 1;
		}
	}
	if (argc == 0)
		cli_print_list(stdout, &d0, d, n, counts);
	else if (i < 0)
		cli_print_list(stdout, &d0, d, 0, counts);
	else
		cli_print_list(stdout, NULL, &d[i], 1, counts);
	free(d);
	return 0;
}

int cmd_console(int argc, char **argv)
{
	struct xvmm_dom_info info;
	struct xvmm_err err;
	const char *what = NULL;
	bool follow = true;
	int fd, rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--no-follow"))
			follow = false;
		else if (argv[i][0] == '-' || what)
			return usage_of("console [-n|--no-follow] NAME|ID");
		else
			what = argv[i];
	}
	if (!what)
		return usage_of("console [-n|--no-follow] NAME|ID");
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (cli_lookup(fd, what, &info)) {
		close(fd);
		return 1;
	}
	if (follow && isatty(STDIN_FILENO)) {
		char name[XVMM_NAME_LEN + 1];

		cli_dom_name(&info, name);
		fprintf(stderr, "xvmm: console of domain %u (%s); Ctrl-] detaches\n",
			info.domid, name);
	}
	rc = cli_console(fd, info.domid, follow, &err);
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: %s\n", err.msg);
		return 1;
	}
	return 0;
}

/* Ask the runner to write control/shutdown: true if the guest was asked. */
static bool pv_shutdown(const char *name, bool reboot)
{
	int s = cli_runner_connect(name, reboot ? "shutdown reboot" : "shutdown poweroff");
	struct pollfd p;
	char ans[16] = "";
	ssize_t n = 0;

	if (s < 0)
		return false;
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	if (poll(&p, 1, 2000) > 0)
		n = read(s, ans, sizeof(ans) - 1);
	close(s);
	return n > 0 && !strncmp(ans, "ok\n", 3);
}

/*
 * -w: until the domain is gone. Its runner destroys it after it stopped
 * (unless the config says preserve): while the domain is listed, wait
 * while it runs or its runner still has its socket, then at most 6 s more
 * (the runner waits up to 5 s for `create -c` to drain the console)
 * before taking a stopped domain as preserved. A domain that rebooted
 * into the same ID (on_reboot = "restart") is a new one: it started after
 * we began to wait.
 */
static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);	/* the driver's uptime clock */
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int wait_gone(int fd, const struct xvmm_dom_info *info, const char *name)
{
	char sock[128];
	uint64_t t0 = boot_ns(), stopped_ns = 0;

	if (cli_runner_sock_path(name, sock, sizeof(sock)))
		sock[0] = '\0';
	for (;;) {
		struct xvmm_dom_info *d = NULL;
		unsigned int n = 0;
		bool listed = false, running = false;
		uint64_t waited_ns = boot_ns() - t0;
		int rc = xdev_dom_list(fd, &d, &n);

		if (rc) {
			fprintf(stderr, "xvmm: listing domains: %s\n", cli_dom_strerror(rc));
			return 1;
		}
		for (unsigned int i = 0; i < n; i++) {
			if (d[i].domid != info->domid || d[i].uptime_ns < waited_ns)
				continue;
			listed = true;
			running = d[i].state == XVMM_DOM_RUNNING;
		}
		free(d);
		if (!listed)
			return 0;
		if (!running && (!sock[0] || access(sock, F_OK))) {
			stopped_ns += 50000000ull;
			if (stopped_ns > 6000000000ull)
				return 0;	/* preserved */
		}
		poll(NULL, 0, 50);
	}
}

/* Ask one domain; 0, or 1 with a message. */
static int send_shutdown(int fd, const struct xvmm_dom_info *info, bool reboot)
{
	char name[XVMM_NAME_LEN + 1];
	int rc;

	cli_dom_name(info, name);
	rc = pv_shutdown(name, reboot) ? 0 :
	     xdev_dom_shutdown(fd, info->domid,
			       reboot ? CLI_SHUTDOWN_REBOOT : CLI_SHUTDOWN_POWEROFF);
	if (rc) {
		fprintf(stderr, "xvmm: %s of domain %u (%s): %s\n", reboot ? "reboot" : "shutdown",
			info->domid, name, cli_dom_strerror(rc));
		return 1;
	}
	printf("xvmm: %s sent to domain %u (%s)\n", reboot ? "reboot" : "shutdown",
	       info->domid, name);
	fflush(stdout);
	return 0;
}

/*
 * As xl's: one domain, or -a every running one; -w waits until they are
 * gone; -F (xl: fall back to an ACPI event without PV drivers) is what
 * xvmm always does (DOM_SHUTDOWN), so it is accepted and changes nothing.
 */
static int shutdown_or_reboot(int argc, char **argv, bool reboot)
{
	const char *u = reboot ? "reboot [-a|--all] [-w|--wait] [-F] NAME|ID" :
				 "shutdown [-R|--reboot] [-a|--all] [-w|--wait] [-F] NAME|ID";
	struct xvmm_dom_info *d = NULL;
	const char *what = NULL;
	bool wait = false, all = false;
	unsigned int n = 0;
	int fd, rc = 0;

	for (int i = 0; i < argc; i++) {
		if (!reboot && (!strcmp(argv[i], "-R") || !strcmp(argv[i], "--reboot")))
			reboot = true;
		else if (!strcmp(argv[i], "-w") || !strcmp(argv[i], "--wait"))
			wait = true;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = true;
		else if (!strcmp(argv[i], "-F"))
			continue;
		else if (argv[i][0] == '-' || what)
			return usage_of(u);
		else
			what = argv[i];
	}
	if (!what == !all)
		return usage_of(u);	/* xl: "You must specify -a or a domain id" */
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (all) {
		int lrc = xdev_dom_list(fd, &d, &n);

		if (lrc) {
			fprintf(stderr, "xvmm: listing domains: %s\n", cli_dom_strerror(lrc));
			close(fd);
			return 1;
		}
	} else {
		d = malloc(sizeof(*d));
		if (!d || cli_lookup(fd, what, d)) {
			free(d);
			close(fd);
			return 1;
		}
		n = 1;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (all && d[i].state != XVMM_DOM_RUNNING)
			continue;
		if (send_shutdown(fd, &d[i], reboot)) {
			rc = 1;
			d[i].state = 0;		/* not waited for */
		}
	}
	for (unsigned int i = 0; wait && i < n; i++) {
		char name[XVMM_NAME_LEN + 1];

		if (all && d[i].state != XVMM_DOM_RUNNING)
			continue;
		if (!all && rc)
			break;
		cli_dom_name(&d[i], name);
		rc |= wait_gone(fd, &d[i], name);
	}
	free(d);
	close(fd);
	return rc;
}

int cmd_shutdown(int argc, char **argv)
{
	return shutdown_or_reboot(argc, argv, false);
}

int cmd_reboot(int argc, char **argv)
{
	return shutdown_or_reboot(argc, argv, true);
}

int cmd_destroy(int argc, char **argv)
{
	struct xvmm_dom_info info;
	char name[XVMM_NAME_LEN + 1];
	int fd, rc;

	if (argc != 1 || argv[0][0] == '-')
		return usage_of("destroy NAME|ID");
	if (!strcmp(argv[0], "0") || !strcmp(argv[0], CLI_DOM0_NAME)) {
		fprintf(stderr, "xvmm: not destroying dom0: it is the running Linux (`xvmm unload` "
			"gives its CPUs back)\n");
		return 1;
	}
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (cli_lookup(fd, argv[0], &info)) {
		close(fd);
		return 1;
	}
	cli_dom_name(&info, name);
	rc = xdev_dom_destroy(fd, info.domid);
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: destroy of domain %u (%s): %s\n", info.domid, name,
			cli_dom_strerror(rc));
		return 1;
	}
	printf("xvmm: destroyed domain %u (%s)\n", info.domid, name);
	return 0;
}
