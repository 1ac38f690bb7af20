// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm list`, `xvmm console`, `xvmm shutdown`, `xvmm destroy`: look the
 * domain up through DOM_LIST, one ioctl, one line of output. `shutdown`
 * first asks the guest through xenstore (control/shutdown, as xl does),
 * via the runner's socket; a guest that never said it listens
 * (control/feature-poweroff) or has no runner gets DOM_SHUTDOWN.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
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

int cmd_list(int argc, char **argv)
{
	struct xvmm_dom_info *d = NULL;
	unsigned int n = 0;
	int fd, rc;

	(void)argv;
	if (argc != 0)
		return usage_of("list");
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	rc = xdev_dom_list(fd, &d, &n);
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: list: %s\n", cli_dom_strerror(rc));
		return 1;
	}
	cli_print_list(stdout, d, n);
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

int cmd_shutdown(int argc, char **argv)
{
	static const char u[] = "shutdown [-R|--reboot] [-w|--wait] NAME|ID";
	struct xvmm_dom_info info;
	char name[XVMM_NAME_LEN + 1];
	const char *what = NULL;
	bool reboot = false, wait = false;
	int fd, rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-R") || !strcmp(argv[i], "--reboot"))
			reboot = true;
		else if (!strcmp(argv[i], "-w") || !strcmp(argv[i], "--wait"))
			wait = true;
		else if (argv[i][0] == '-' || what)
			return usage_of(u);
		else
			what = argv[i];
	}
	if (!what)
		return usage_of(u);
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (cli_lookup(fd, what, &info)) {
		close(fd);
		return 1;
	}
	cli_dom_name(&info, name);
	rc = pv_shutdown(name, reboot) ? 0 :
	     xdev_dom_shutdown(fd, info.domid,
			       reboot ? CLI_SHUTDOWN_REBOOT : CLI_SHUTDOWN_POWEROFF);
	if (rc) {
		fprintf(stderr, "xvmm: shutdown of domain %u (%s): %s\n", info.domid, name,
			cli_dom_strerror(rc));
		close(fd);
		return 1;
	}
	printf("xvmm: %s sent to domain %u (%s)\n", reboot ? "reboot" : "shutdown",
	       info.domid, name);
	fflush(stdout);
	/* -w: until it is no longer running (stopped, or destroyed by its runner). */
	while (wait) {
		struct xvmm_dom_info *d = NULL;
		unsigned int n = 0;

		rc = xdev_dom_list(fd, &d, &n);
		if (rc) {
			fprintf(stderr, "xvmm: listing domains: %s\n", cli_dom_strerror(rc));
			close(fd);
			return 1;
		}
		wait = false;
		for (unsigned int i = 0; i < n; i++)
			if (d[i].domid == info.domid && d[i].state == XVMM_DOM_RUNNING)
				wait = true;
		free(d);
		if (wait)
			poll(NULL, 0, 50);
	}
	close(fd);
	return 0;
}

int cmd_destroy(int argc, char **argv)
{
	struct xvmm_dom_info info;
	char name[XVMM_NAME_LEN + 1];
	int fd, rc;

	if (argc != 1 || argv[0][0] == '-')
		return usage_of("destroy NAME|ID");
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
