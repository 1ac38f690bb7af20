// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm block-attach DOM DISKSPEC...`, `block-detach DOM VDEV`,
 * `block-list DOM`, as xl's: the domain's runner owns its disks
 * (docs/pv-devices.md), so each command is a line on the runner's control
 * socket (console_backend.c), answered "ok", "error MESSAGE" or, for
 * block-list, the table.
 *
 * block-detach asks the guest to let go (backend Closing) and waits up to
 * 10 s for the device to disappear, then removes it by force, as libxl
 * does when a frontend does not answer.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define ANSWER_MS	5000
#define DETACH_WAIT_MS	10000

/* Send cmd to NAME's runner; its whole answer into buf. 0 or -errno. */
int cli_runner_ask(const char *name, const char *cmd, char *buf, size_t cap)
{
	int s = cli_runner_connect(name, cmd);
	size_t have = 0;

	if (s < 0)
		return s;
	for (;;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, ANSWER_MS) <= 0) {
			close(s);
			return -ETIMEDOUT;
		}
		n = read(s, buf + have, cap - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (have += (size_t)n) == cap - 1)
			break;
	}
	buf[have] = '\0';
	close(s);
	return 0;
}

/* The domain's name (for its socket), or -1 with a message. */
int cli_runner_name(const char *what, char name[XVMM_NAME_LEN + 1])
{
	struct xvmm_dom_info info;
	int fd = cli_open_dev();

	if (fd < 0)
		return -1;
	if (cli_lookup(fd, what, &info)) {
		close(fd);
		return -1;
	}
	close(fd);
	cli_dom_name(&info, name);
	return 0;
}

/* "ok" -> 0; "error MSG" printed -> 1. */
int cli_runner_report(const char *cmd, const char *name, int rc, const char *ans)
{
	if (rc) {
		fprintf(stderr, "xvmm: %s: domain %s's runner: %s\n", cmd, name,
			rc == -ENOENT || rc == -ECONNREFUSED ? "not running (no control socket)" :
			strerror(-rc));
		return 1;
	}
	if (!strncmp(ans, "ok\n", 3))
		return 0;
	if (!strncmp(ans, "error ", 6)) {
		fprintf(stderr, "xvmm: %s: %.*s\n", cmd, (int)strcspn(ans + 6, "\n"), ans + 6);
		return 1;
	}
	fprintf(stderr, "xvmm: %s: unexpected answer from the runner: '%.60s'\n", cmd, ans);
	return 1;
}

int cmd_block_attach(int argc, char **argv)
{
	char name[XVMM_NAME_LEN + 1], ans[512];
	char *cmd;
	size_t len = sizeof("block-attach ");
	int rc;

	if (argc < 2 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm block-attach NAME|ID DISKSPEC...\n");
		return 2;
	}
	/* As xl: the spec's components may come as separate arguments. */
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > CLI_RUNNER_CMD_MAX - 2) {
		fprintf(stderr, "xvmm: block-attach: disk spec is too long\n");
		return 1;
	}
	cmd = malloc(len);
	if (!cmd)
		return 1;
	strcpy(cmd, "block-attach ");
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(cmd, ",");
		strcat(cmd, argv[i]);
	}
	if (cli_runner_name(argv[0], name)) {
		free(cmd);
		return 1;
	}
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	free(cmd);
	return cli_runner_report("block-attach", name, rc, ans);
}

/* Is VDEV's device (devid) still in the runner's list? */
static int still_listed(const char *name, uint32_t devid)
{
	static char ans[16384];
	char want[16];
	int n = snprintf(want, sizeof(want), "\n%u ", devid);

	if (cli_runner_ask(name, "block-list", ans, sizeof(ans)))
		return -1;
	return n > 0 && strstr(ans, want) != NULL;
}

int cmd_block_detach(int argc, char **argv)
{
	char name[XVMM_NAME_LEN + 1], ans[512], cmd[64];
	uint32_t devid;
	int rc;

	if (argc != 2 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm block-detach NAME|ID VDEV\n");
		return 2;
	}
	if (xl_vdev_to_devid(argv[1], &devid)) {
		fprintf(stderr, "xvmm: block-detach: '%s' is not a virtual device name "
			"(xvda, 51712, ...)\n", argv[1]);
		return 1;
	}
	if (cli_runner_name(argv[0], name))
		return 1;
	snprintf(cmd, sizeof(cmd), "block-detach %u", devid);
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	if (cli_runner_report("block-detach", name, rc, ans))
		return 1;
	for (int t = 0; t < DETACH_WAIT_MS; t += 100) {
		if (still_listed(name, devid) <= 0)
			return 0;
		poll(NULL, 0, 100);
	}
	fprintf(stderr, "xvmm: block-detach: the guest did not let go of %s in %d s: removed "
		"by force\n", argv[1], DETACH_WAIT_MS / 1000);
	snprintf(cmd, sizeof(cmd), "block-detach-force %u", devid);
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	return cli_runner_report("block-detach", name, rc, ans);
}

int cmd_block_list(int argc, char **argv)
{
	static char ans[16384];
	char name[XVMM_NAME_LEN + 1];
	int rc;

	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm block-list NAME|ID\n");
		return 2;
	}
	if (cli_runner_name(argv[0], name))
		return 1;
	rc = cli_runner_ask(name, "block-list", ans, sizeof(ans));
	if (rc)
		return cli_runner_report("block-list", name, rc, ans);
	fputs(ans, stdout);
	return 0;
}
