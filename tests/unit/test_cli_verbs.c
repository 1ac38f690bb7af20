// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for xl's verbs in tools/cli/xl_cmds.c (pause, unpause,
 * mem-set, vcpu-list, uptime, top), against a fake driver: the xdev_*
 * ioctl layer, the domain lookup and the runner's socket are replaced
 * here. Checks what each verb asks the driver or the runner for, its exit
 * code (0 done, 1 failed, 2 usage) and what it prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

/* ---- the fake driver -------------------------------------------------- */

static struct xvmm_dom_info doms[2];
static unsigned int nr_doms;
static int pause_calls, pause_last_id, pause_last_flag, pause_rc;
static char runner_cmd[128], runner_name[XVMM_NAME_LEN + 1];
static int runner_calls;
static bool dev_fails;

int cli_open_dev(void)
{
	if (dev_fails) {
		fprintf(stderr, "xvmm: not loaded (no /dev/xvmm)\n");
		return -1;
	}
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

const char *cli_dom_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}

int xdev_dom_list(int fd, struct xvmm_dom_info **out, unsigned int *nr)
{
	(void)fd;
	*out = calloc(2, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	memcpy(*out, doms, sizeof(doms));
	*nr = nr_doms;
	return 0;
}

int cli_lookup(int fd, const char *what, struct xvmm_dom_info *info)
{
	int i = cli_find_domain(doms, nr_doms, what);

	(void)fd;
	if (i < 0) {
		fprintf(stderr, "xvmm: no domain %s\n", what);
		return -1;
	}
	*info = doms[i];
	return 0;
}

int xdev_dom_pause(int fd, uint32_t domid, bool pause)
{
	(void)fd;
	pause_calls++;
	pause_last_id = (int)domid;
	pause_last_flag = pause;
	return pause_rc;
}

int xdev_dom_vcpu_list(int fd, uint32_t domid, struct xvmm_vcpu_info **out, unsigned int *nr)
{
	(void)fd;
	*out = calloc(2, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)[0] = (struct xvmm_vcpu_info){ .vcpu = 0, .cpu = 1, .cpu_ns = 1500000000ull,
					     .flags = XVMM_VCPUF_ONLINE | XVMM_VCPUF_RUNNING };
	(*out)[1] = (struct xvmm_vcpu_info){ .vcpu = 1, .cpu = 0,
					     .flags = XVMM_VCPUF_ONLINE | XVMM_VCPUF_BLOCKED };
	*nr = domid == 1 ? 2 : 1;
	return 0;
}

int cli_runner_ask(const char *name, const char *cmd, char *buf, size_t cap)
{
	runner_calls++;
	snprintf(runner_name, sizeof(runner_name), "%s", name);
	snprintf(runner_cmd, sizeof(runner_cmd), "%s", cmd);
	snprintf(buf, cap, "ok\n");
	return 0;
}

int cli_runner_report(const char *cmd, const char *name, int rc, const char *ans)
{
	(void)cmd;
	(void)name;
	return rc || strncmp(ans, "ok\n", 3) ? 1 : 0;
}

/* ---- helpers ----------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(doms, 0, sizeof(doms));
	doms[0] = (struct xvmm_dom_info){ .domid = 1, .state = XVMM_DOM_RUNNING, .nr_vcpus = 2,
					  .ram_current = 160ull << 20, .ram_max = 256ull << 20,
					  .uptime_ns = 3725000000000ull, .name = "web" };
	doms[1] = (struct xvmm_dom_info){ .domid = 4, .state = XVMM_DOM_SHUTDOWN, .nr_vcpus = 1,
					  .ram_current = 32ull << 20, .ram_max = 32ull << 20,
					  .name = "db" };	/* uptime 0: not started */
	nr_doms = 2;
	pause_calls = runner_calls = 0;
	pause_last_id = -1;
	pause_rc = 0;
	runner_cmd[0] = runner_name[0] = '\0';
	dev_fails = false;
	return 0;
}

/* Run cmd(argc, argv) with stdout and stderr in files: its exit code, the outputs in out/err. */
static int run(int (*cmd)(int, char **), int argc, char **argv, char *out, char *err,
	       size_t cap)
{
	FILE *o = tmpfile(), *e = tmpfile();
	int so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO), rc;
	size_t n;

	assert_non_null(o);
	assert_non_null(e);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(o), STDOUT_FILENO);
	dup2(fileno(e), STDERR_FILENO);
	rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, STDOUT_FILENO);
	dup2(se, STDERR_FILENO);
	close(so);
	close(se);
	rewind(o);
	n = fread(out, 1, cap - 1, o);
	out[n] = '\0';
	rewind(e);
	n = fread(err, 1, cap - 1, e);
	err[n] = '\0';
	fclose(o);
	fclose(e);
	return rc;
}

static char out[8192], err[8192];

/* ---- the verbs ------------------------------------------------------------ */

static void test_pause_unpause(void **state)
{
	char *web[] = { "web" }, *one[] = { "1" }, *dom0[] = { "Domain-0" }, *none[] = { "x" };
	char *two[] = { "web", "db" }, *opt[] = { "-f" };

	(void)state;
	assert_int_equal(run(cmd_pause, 1, web, out, err, sizeof(out)), 0);
	assert_int_equal(pause_calls, 1);
	assert_int_equal(pause_last_id, 1);
	assert_true(pause_last_flag);
	assert_string_equal(out, "");		/* silent, as xl */
	assert_string_equal(err, "");
	assert_int_equal(run(cmd_unpause, 1, one, out, err, sizeof(out)), 0);
	assert_int_equal(pause_last_id, 1);
	assert_false(pause_last_flag);

	/* Usage, dom0, unknown domain, the driver's refusal: no further calls but the last. */
	assert_int_equal(run(cmd_pause, 0, NULL, out, err, sizeof(out)), 2);
	assert_string_equal(err, "usage: xvmm pause NAME|ID\n");
	assert_int_equal(run(cmd_pause, 2, two, out, err, sizeof(out)), 2);
	assert_int_equal(run(cmd_unpause, 1, opt, out, err, sizeof(out)), 2);
	assert_int_equal(run(cmd_pause, 1, dom0, out, err, sizeof(out)), 1);
	assert_non_null(strstr(err, "dom0 is the running Linux"));
	assert_int_equal(run(cmd_pause, 1, none, out, err, sizeof(out)), 1);
	assert_string_equal(err, "xvmm: no domain x\n");
	assert_int_equal(pause_calls, 2);
	pause_rc = -EAGAIN;
	assert_int_equal(run(cmd_pause, 1, web, out, err, sizeof(out)), 1);
	assert_non_null(strstr(err, "xvmm: pause of domain 1 (web): "));
	dev_fails = true;
	assert_int_equal(run(cmd_pause, 1, web, out, err, sizeof(out)), 1);
	assert_int_equal(pause_calls, 3);
}

static void test_mem_set(void **state)
{
	char *ok[] = { "web", "128m" }, *nounit[] = { "1", "200" }, *kib[] = { "web", "65536k" };
	char *above[] = { "web", "300m" }, *bad[] = { "web", "12q" }, *zero[] = { "web", "0" };
	char *missing[] = { "web" }, *nodom[] = { "zz", "64m" };

	(void)state;
	assert_int_equal(run(cmd_mem_set, 2, ok, out, err, sizeof(out)), 0);
	assert_string_equal(runner_name, "web");
	assert_string_equal(runner_cmd, "mem-set 131072");
	assert_string_equal(out, "");
	assert_int_equal(run(cmd_mem_set, 2, nounit, out, err, sizeof(out)), 0);
	assert_string_equal(runner_cmd, "mem-set 204800");	/* no unit: MiB, as xl's parser */
	assert_int_equal(run(cmd_mem_set, 2, kib, out, err, sizeof(out)), 0);
	assert_string_equal(runner_cmd, "mem-set 65536");
	assert_int_equal(runner_calls, 3);

	/* Refused before the runner is asked. */
	assert_int_equal(run(cmd_mem_set, 2, above, out, err, sizeof(out)), 1);
	assert_string_equal(err, "xvmm: mem-set: 300m is above domain 1 (web)'s maxmem (256 MiB)\n");
	assert_int_equal(run(cmd_mem_set, 2, bad, out, err, sizeof(out)), 1);
	assert_string_equal(err, "xvmm: mem-set: invalid memory size: 12q\n");
	assert_int_equal(run(cmd_mem_set, 2, zero, out, err, sizeof(out)), 1);
	assert_int_equal(run(cmd_mem_set, 2, nodom, out, err, sizeof(out)), 1);
	assert_string_equal(err, "xvmm: no domain zz\n");
	assert_int_equal(run(cmd_mem_set, 1, missing, out, err, sizeof(out)), 2);
	assert_int_equal(runner_calls, 3);
}

static void test_vcpu_list_cmd(void **state)
{
	char *web[] = { "web" }, *both[] = { "db", "nosuch" }, *opt[] = { "-l" };

	(void)state;
	assert_int_equal(run(cmd_vcpu_list, 1, web, out, err, sizeof(out)), 0);
	assert_string_equal(out,
		"Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"
		"web                                  1     0    1   r--       1.5  all / all\n"
		"web                                  1     1    0   -b-       0.0  all / all\n");
	/* One known, one not: the known one's rows, a message for the other, exit 1. */
	assert_int_equal(run(cmd_vcpu_list, 2, both, out, err, sizeof(out)), 1);
	assert_non_null(strstr(out, "\ndb                                   4     0    1   r--"));
	assert_string_equal(err, "xvmm: no domain nosuch\n");
	/* All: dom0's vCPUs (one per CPU of this machine) first, then each domain's. */
	assert_int_equal(run(cmd_vcpu_list, 0, NULL, out, err, sizeof(out)), 0);
	assert_true(strstr(out, "\nDomain-0                             0     0") <
		    strstr(out, "\nweb "));
	assert_int_equal(run(cmd_vcpu_list, 1, opt, out, err, sizeof(out)), 2);
}

static void test_uptime_cmd(void **state)
{
	char *web[] = { "web" }, *s_web[] = { "-s", "web" }, *dom0[] = { "0" };

	(void)state;
	assert_int_equal(run(cmd_uptime, 1, web, out, err, sizeof(out)), 0);
	assert_string_equal(out, "Name                                ID Uptime\n"
				 "web                                  1  1:02:05\n");
	assert_int_equal(run(cmd_uptime, 2, s_web, out, err, sizeof(out)), 0);
	assert_non_null(strstr(out, " up  1:02, web (1)\n"));
	assert_int_equal(run(cmd_uptime, 1, dom0, out, err, sizeof(out)), 0);
	assert_non_null(strstr(out, "\nDomain-0                             0 "));
	/* All: dom0, then the started domains only (db has not started). */
	assert_int_equal(run(cmd_uptime, 0, NULL, out, err, sizeof(out)), 0);
	assert_non_null(strstr(out, "\nDomain-0 "));
	assert_non_null(strstr(out, "\nweb "));
	assert_null(strstr(out, "\ndb "));
}

static void test_top_cmd(void **state)
{
	char *quick[] = { "-d", "0.01" }, *bad[] = { "-d", "0" }, *junk[] = { "x" };

	(void)state;
	assert_int_equal(run(cmd_top, 2, quick, out, err, sizeof(out)), 0);
	assert_non_null(strstr(out, "      NAME  STATE   CPU(sec) CPU(%)"));
	assert_non_null(strstr(out, "\n       web ------ "));
	assert_non_null(strstr(out, "\n        db ---s-- "));
	assert_int_equal(run(cmd_top, 2, bad, out, err, sizeof(out)), 2);
	assert_int_equal(run(cmd_top, 1, junk, out, err, sizeof(out)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pause_unpause, setup),
		cmocka_unit_test_setup(test_mem_set, setup),
		cmocka_unit_test_setup(test_vcpu_list_cmd, setup),
		cmocka_unit_test_setup(test_uptime_cmd, setup),
		cmocka_unit_test_setup(test_top_cmd, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
