// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm network-attach DOM [VIFSPEC...]`, `network-detach DOM DEVID|MAC`,
 * `network-list DOM`, as xl's: the domain's runner owns its vifs
 * (docs/pv-devices.md), so each command is a line on the runner's control
 * socket (console_backend.c), answered "ok", "error MESSAGE" or, for
 * network-list, the table. As for disks, network-detach asks the guest to
 * let go and removes the vif by force after 10 s.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DETACH_WAIT_MS	10000

int cmd_network_attach(int argc, char **argv)
{
	char name[XVMM_NAME_LEN + 1], ans[512];
	char cmd[CLI_RUNNER_CMD_MAX];
	size_t len;
	int rc;

	if (argc < 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm network-attach NAME|ID [VIFSPEC...]\n");
		return 2;
	}
	/* As xl: the spec's key=value pairs come as separate arguments (or one). */
	len = (size_t)snprintf(cmd, sizeof(cmd), "network-attach ");
	for (int i = 1; i < argc; i++) {
		int n = snprintf(cmd + len, sizeof(cmd) - len, "%s%s", i > 1 ? "," : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(cmd) - len || strchr(argv[i], '\n')) {
			fprintf(stderr, "xvmm: network-attach: vif spec is too long\n");
			return 1;
		}
		len += (size_t)n;
	}
	if (cli_runner_name(argv[0], name))
		return 1;
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	if (!rc && !strncmp(ans, "ok ", 3)) {
		printf("%.*s\n", (int)strcspn(ans + 3, "\n"), ans + 3);	/* "vif3.1 00:16:3e:..." */
		return 0;
	}
	return cli_runner_report("network-attach", name, rc, ans);
}

/* Is devid still in the runner's list? */
static int still_listed(const char *name, const char *devid)
{
	static char ans[16384];
	char want[24];

	if (cli_runner_ask(name, "network-list", ans, sizeof(ans)))
		return -1;
	snprintf(want, sizeof(want), "\n%s ", devid);
	return strstr(ans, want) != NULL;
}

int cmd_network_detach(int argc, char **argv)
{
	char name[XVMM_NAME_LEN + 1], ans[512], cmd[64], devid[16];
	int rc;

	if (argc != 2 || argv[0][0] == '-' || strlen(argv[1]) > 17) {
		fprintf(stderr, "usage: xvmm network-detach NAME|ID DEVID|MAC\n");
		return 2;
	}
	if (cli_runner_name(argv[0], name))
		return 1;
	snprintf(cmd, sizeof(cmd), "network-detach %s", argv[1]);
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	/* The runner answers "ok DEVID": the device to wait for. */
	if (rc || strncmp(ans, "ok ", 3))
		return cli_runner_report("network-detach", name, rc, ans);
	snprintf(devid, sizeof(devid), "%.*s", (int)strcspn(ans + 3, "\n"), ans + 3);
	for (int t = 0; t < DETACH_WAIT_MS; t += 100) {
		if (still_listed(name, devid) <= 0)
			return 0;
		poll(NULL, 0, 100);
	}
	fprintf(stderr, "xvmm: network-detach: the guest did not let go of vif %s in %d s: "
		"removed by force\n", devid, DETACH_WAIT_MS / 1000);
	snprintf(cmd, sizeof(cmd), "network-detach-force %s", devid);
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	if (!rc && !strncmp(ans, "ok ", 3))
		return 0;
	return cli_runner_report("network-detach", name, rc, ans);
}

int cmd_network_list(int argc, char **argv)
{
	static char ans[16384];
	char name[XVMM_NAME_LEN + 1];
	int rc;

	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm network-list NAME|ID\n");
		return 2;
	}
	if (cli_runner_name(argv[0], name))
		return 1;
	rc = cli_runner_ask(name, "network-list", ans, sizeof(ans));
	if (rc)
		return cli_runner_report("network-list", name, rc, ans);
	fputs(ans, stdout);
	return 0;
}
