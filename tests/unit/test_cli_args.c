// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the xvmm CLI's ioctl-free argument handling:
 * KEY=VALUE overrides on top of an xl.cfg (tools/cli/overrides.c) and
 * domains by name or ID and on_* actions (tools/cli/domains.c), and xl's
 * tables and sizes (tools/cli/xl_format.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

static struct xlcfg cfg;
static struct xvmm_err err;

static const char base_cfg[] =
	"name = \"g1\"\n"
	"type = \"pvh\"\n"
	"kernel = \"/boot/vmlinux\"\n"
	"memory = 64\n"
	"vfb = []\n";			/* line 5: an xl key xvmm lacks, a warning */

static int parse(const char *text, char **ov, unsigned int n)
{
	memset(&err, 0, sizeof(err));
	return cli_cfg_parse_text(text, strlen(text), "g.cfg", ov, n, &cfg, &err);
}

static void test_override_line(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(cli_override_line("memory=64", out, sizeof(out), &err), 0);
	assert_string_equal(out, "memory = 64");
	assert_int_equal(cli_override_line("memory=0x40", out, sizeof(out), &err), 0);
	assert_string_equal(out, "memory = 0x40");
	assert_int_equal(cli_override_line("name=web", out, sizeof(out), &err), 0);
	assert_string_equal(out, "name = \"web\"");
	assert_int_equal(cli_override_line("kernel=/boot/vm linux", out, sizeof(out), &err), 0);
	assert_string_equal(out, "kernel = \"/boot/vm linux\"");
	assert_int_equal(cli_override_line("name=\"q\"", out, sizeof(out), &err), 0);
	assert_string_equal(out, "name = \"q\"");
	assert_int_equal(cli_override_line("disk=['a','b']", out, sizeof(out), &err), 0);
	assert_string_equal(out, "disk = ['a','b']");
	assert_int_equal(cli_override_line("extra+= quiet", out, sizeof(out), &err), 0);
	assert_string_equal(out, "extra += \" quiet\"");
	assert_int_equal(cli_override_line("cmdline=a\\b\"c", out, sizeof(out), &err), 0);
	assert_string_equal(out, "cmdline = \"a\\\\b\\\"c\"");
	assert_int_equal(cli_override_line("cmdline=a\tb", out, sizeof(out), &err), 0);
	assert_string_equal(out, "cmdline = \"a\\x09b\"");
	assert_int_equal(cli_override_line("cmdline=", out, sizeof(out), &err), 0);
	assert_string_equal(out, "cmdline = \"\"");
	assert_int_equal(cli_override_line("memory=64k", out, sizeof(out), &err), 0);
	assert_string_equal(out, "memory = \"64k\"");	/* the parser says: not a number */
	assert_int_equal(cli_override_line("on_crash.x=1", out, sizeof(out), &err), 0);
	assert_string_equal(out, "on_crash.x = 1");
}

static void test_override_line_rejects(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(cli_override_line("memory", out, sizeof(out), &err), -EINVAL);
	assert_string_equal(err.msg, "override 'memory' is not KEY=VALUE");
	assert_int_equal(cli_override_line("=5", out, sizeof(out), &err), -EINVAL);
	assert_int_equal(cli_override_line("9x=5", out, sizeof(out), &err), -EINVAL);
	assert_int_equal(cli_override_line("a-b=5", out, sizeof(out), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'a-b' is not a valid key"));
	assert_int_equal(cli_override_line("+=5", out, sizeof(out), &err), -EINVAL);
	assert_int_equal(cli_override_line("x=[1,\n2]", out, sizeof(out), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "spans lines"));
	assert_int_equal(cli_override_line("name=0123456789abcdef", out, sizeof(out), &err), -E2BIG);
	assert_string_equal(out, "");
}

static void test_cfg_overrides_win(void **state)
{
	char *ov[] = { "memory=128", "name=g2", "vcpus=2", "on_crash=preserve",
		       "extra=console=hvc0" };

	(void)state;
	assert_int_equal(parse(base_cfg, ov, 5), 0);
	assert_string_equal(cfg.name, "g2");
	assert_int_equal(cfg.memory_mib, 128);
	assert_int_equal(cfg.vcpus, 2);
	assert_int_equal(cfg.on_crash, XLCFG_ACTION_PRESERVE);
	assert_int_equal(cfg.on_poweroff, XLCFG_ACTION_DESTROY);
	assert_string_equal(cfg.cmdline, "console=hvc0");
	assert_string_equal(cfg.kernel, "/boot/vmlinux");
	assert_int_equal(cfg.nr_warnings, 1);
	assert_string_equal(cfg.warnings[0], "g.cfg:5: warning: 'vfb' is not supported by xvmm yet, ignored (in xl: a virtual framebuffer, a graphical console)");
}

static void test_cfg_no_overrides_and_no_trailing_newline(void **state)
{
	static const char text[] = "name='a'\ntype='pvh'\nkernel='/k'";
	char *ov[] = { "memory=6" };

	(void)state;
	assert_int_equal(parse(text, NULL, 0), 0);
	assert_string_equal(cfg.kernel, "/k");
	assert_int_equal(cfg.memory_mib, 128);
	/* The missing newline must not glue the override onto the last line. */
	assert_int_equal(parse(text, ov, 1), 0);
	assert_int_equal(cfg.memory_mib, 6);
	assert_string_equal(cfg.kernel, "/k");
}

static void test_cfg_override_errors_are_named(void **state)
{
	char *bad_mem[] = { "vcpus=1", "memory=0" };
	char *warn[] = { "vfb=[]" };
	char *unknown[] = { "bogus=1" };
	char *bad_name[] = { "name=a/b" };
	char *bad_action[] = { "on_poweroff=soft-reset" };

	(void)state;
	assert_int_equal(parse(base_cfg, bad_mem, 2), -EINVAL);
	assert_string_equal(err.msg, "override 'memory=0': memory = 0 is out of range (1..524288)");
	assert_int_equal(parse(base_cfg, warn, 1), 0);
	assert_int_equal(cfg.nr_warnings, 2);
	assert_string_equal(cfg.warnings[1],
			    "override 'vfb=[]': warning: 'vfb' is not supported by xvmm yet, ignored (in xl: a virtual framebuffer, a graphical console)");
	assert_int_equal(parse(base_cfg, unknown, 1), -EINVAL);
	assert_string_equal(err.msg, "override 'bogus=1': unknown key 'bogus'");
	assert_int_equal(parse(base_cfg, bad_name, 1), -EINVAL);
	assert_non_null(strstr(err.msg, "override 'name=a/b': name may only contain"));
	{
		char *dom0[] = { "name=Domain-0" };

		assert_int_equal(parse(base_cfg, dom0, 1), -EEXIST);
		assert_string_equal(err.msg, "g.cfg: name \"Domain-0\" is dom0's: choose another");
	}
	assert_int_equal(parse(base_cfg, bad_action, 1), -EINVAL);
	assert_non_null(strstr(err.msg, "override 'on_poweroff=soft-reset': on_poweroff = \"soft-reset\" is not supported yet"));
}

static void test_cfg_file_errors_keep_their_line(void **state)
{
	char *ov[] = { "memory=64" };

	(void)state;
	assert_int_equal(parse("name = 'x'\nkernel = '/k'\nmemory = 999999\n", ov, 1), -EINVAL);
	assert_string_equal(err.msg, "g.cfg:3: memory = 999999 is out of range (1..524288)");
	assert_int_equal(parse("kernel = '/k'\n", ov, 1), -EINVAL);
	assert_string_equal(err.msg, "g.cfg: missing required key 'name'");
	/* A required key may come from the command line, as with xl. */
	{
		char *name[] = { "name=fromcli" };

		assert_int_equal(parse("kernel = '/k'\ntype='pvh'\n", name, 1), 0);
		assert_string_equal(cfg.name, "fromcli");
	}
}

static void test_cfg_parse_file(void **state)
{
	char path[] = "/tmp/xvmm-cli-test-XXXXXX";
	char *ov[] = { "memory=32" };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, base_cfg, strlen(base_cfg)), (ssize_t)strlen(base_cfg));
	close(fd);
	assert_int_equal(cli_cfg_parse(path, ov, 1, &cfg, &err), 0);
	assert_int_equal(cfg.memory_mib, 32);
	assert_string_equal(cfg.name, "g1");
	unlink(path);
	assert_int_equal(cli_cfg_parse(path, ov, 1, &cfg, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_memory_equal(err.msg, path, strlen(path));
}

static struct xvmm_dom_info fake[4];

static void fill_fake(void)
{
	memset(fake, 0, sizeof(fake));
	fake[0] = (struct xvmm_dom_info){ .domid = 1, .state = XVMM_DOM_RUNNING, .nr_vcpus = 1,
					  .ram_current = 64ull << 20, .cpu_ns = 1260000000ull,
					  .exits = 10, .hypercalls = 3, .name = "web" };
	fake[1] = (struct xvmm_dom_info){ .domid = 2, .state = XVMM_DOM_SHUTDOWN, .nr_vcpus = 1,
					  .ram_current = 128ull << 20, .name = "1" };
	fake[2] = (struct xvmm_dom_info){ .domid = 7, .state = XVMM_DOM_CRASHED, .nr_vcpus = 1,
					  .ram_current = 2ull << 20, .name = "db" };
	/* A name that fills the field with no NUL. */
	fake[3].domid = 12;
	memset(fake[3].name, 'x', XVMM_NAME_LEN);
}

static void test_find_domain(void **state)
{
	char long_name[XVMM_NAME_LEN + 1];

	(void)state;
	fill_fake();
	assert_int_equal(cli_find_domain(fake, 4, "web"), 0);
	assert_int_equal(cli_find_domain(fake, 4, "db"), 2);
	assert_int_equal(cli_find_domain(fake, 4, "7"), 2);
	assert_int_equal(cli_find_domain(fake, 4, "2"), 1);
	/* An ID wins over a name that looks like one, as in xl. */
	assert_int_equal(cli_find_domain(fake, 4, "1"), 0);
	assert_int_equal(cli_find_domain(fake, 4, "3"), -1);
	assert_int_equal(cli_find_domain(fake, 4, "we"), -1);
	assert_int_equal(cli_find_domain(fake, 4, ""), -1);
	assert_int_equal(cli_find_domain(fake, 4, "007"), 2);
	assert_int_equal(cli_find_domain(fake, 4, "99999999999999999999"), -1);
	assert_int_equal(cli_find_domain(fake, 0, "web"), -1);
	memset(long_name, 'x', XVMM_NAME_LEN);
	long_name[XVMM_NAME_LEN] = '\0';
	assert_int_equal(cli_find_domain(fake, 4, long_name), 3);
	long_name[XVMM_NAME_LEN - 1] = '\0';
	assert_int_equal(cli_find_domain(fake, 4, long_name), -1);
}

static void test_state_char(void **state)
{
	(void)state;
	assert_int_equal(cli_state_char(XVMM_DOM_RUNNING), 'r');
	assert_int_equal(cli_state_char(XVMM_DOM_SHUTDOWN), 's');
	assert_int_equal(cli_state_char(XVMM_DOM_CRASHED), 'c');
	assert_int_equal(cli_state_char(0), '-');
	assert_int_equal(cli_state_char(99), '?');
}

/* What f printed, as a string (free it). */
static char *printed(FILE *f, char **buf)
{
	fclose(f);
	return *buf;
}

#define MEMSTREAM(buf, len) (buf = NULL, open_memstream(&buf, &len))

/* xl's list header (tools/xl/xl_info.c): tabs before State and Time(s). */
#define LIST_HEADER "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"

static void test_print_list(void **state)
{
	struct cli_dom0 d0 = { .mem_kib = 2048 * 1024 + 512, .nr_cpus = 2, .cpu_s = 12.34 };
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	fill_fake();
	fake[0].flags = XVMM_DOMF_ONCPU;
	fake[1].shutdown_reason = CLI_SHUTDOWN_REBOOT;
	f = MEMSTREAM(buf, len);
	cli_print_list(f, &d0, fake, 3, false);
	assert_string_equal(printed(f, &buf),
		LIST_HEADER
		"Domain-0                                     0  2048     2     r-----      12.3\n"
		"web                                          1    64     1     r-----       1.3\n"
		"1                                            2   128     1     ---sr-       0.0\n"
		"db                                           7     2     1     ---sc-       0.0\n");
	free(buf);

	/* No domains: the header and dom0's row; no dom0 (list NAME): that domain alone. */
	f = MEMSTREAM(buf, len);
	cli_print_list(f, &d0, fake, 0, false);
	assert_string_equal(printed(f, &buf), LIST_HEADER
		"Domain-0                                     0  2048     2     r-----      12.3\n");
	free(buf);
	f = MEMSTREAM(buf, len);
	cli_print_list(f, NULL, fake + 2, 1, false);
	assert_string_equal(printed(f, &buf), LIST_HEADER
		"db                                           7     2     1     ---sc-       0.0\n");
	free(buf);
	/* --counts: the VMM's exits and hypercalls, where scripts found them before. */
	f = MEMSTREAM(buf, len);
	cli_print_list(f, &d0, fake, 1, true);
	assert_string_equal(printed(f, &buf),
		"Name                                        ID   Mem VCPUs\tState\tTime(s)"
		"        Exits   Hypercalls\n"
		"Domain-0                                     0  2048     2     r-----      12.3"
		"            -            -\n"
		"web                                          1    64     1     r-----       1.3"
		"           10            3\n");
	free(buf);
	/* A name longer than xl's 40 columns pushes the row, as in xl. */
	f = MEMSTREAM(buf, len);
	cli_print_list(f, NULL, fake + 3, 1, false);
	assert_int_equal(strlen(printed(f, &buf)) - strlen(LIST_HEADER), XVMM_NAME_LEN + 40);
	free(buf);
}

static void test_state_str(void **state)
{
	struct xvmm_dom_info d = { .state = XVMM_DOM_RUNNING };
	char s[7];

	(void)state;
	cli_state_str(&d, s);
	assert_string_equal(s, "------");	/* runnable, not on a CPU this instant */
	d.flags = XVMM_DOMF_BLOCKED;
	cli_state_str(&d, s);
	assert_string_equal(s, "-b----");
	d.flags = XVMM_DOMF_PAUSED | XVMM_DOMF_BLOCKED;
	cli_state_str(&d, s);
	assert_string_equal(s, "-bp---");
	d.flags = XVMM_DOMF_ONCPU | XVMM_DOMF_DYING;
	cli_state_str(&d, s);
	assert_string_equal(s, "r----d");
	/* Shut down: no r or b, the reason letter after the s. */
	d.state = XVMM_DOM_SHUTDOWN;
	d.flags = XVMM_DOMF_ONCPU | XVMM_DOMF_BLOCKED;
	d.shutdown_reason = CLI_SHUTDOWN_POWEROFF;
	cli_state_str(&d, s);
	assert_string_equal(s, "---s--");
	d.shutdown_reason = CLI_SHUTDOWN_SUSPEND;
	cli_state_str(&d, s);
	assert_string_equal(s, "---ss-");
	d.shutdown_reason = CLI_SHUTDOWN_WATCHDOG;
	cli_state_str(&d, s);
	assert_string_equal(s, "---sw-");
	d.shutdown_reason = 5;
	cli_state_str(&d, s);
	assert_string_equal(s, "---sS-");
	d.shutdown_reason = 77;
	cli_state_str(&d, s);
	assert_string_equal(s, "---s?-");
	d.state = XVMM_DOM_CRASHED;
	d.shutdown_reason = 0;
	cli_state_str(&d, s);
	assert_string_equal(s, "---sc-");
	/* Created, not started. */
	d = (struct xvmm_dom_info){ 0 };
	cli_state_str(&d, s);
	assert_string_equal(s, "------");
}

static void test_vcpu_list(void **state)
{
	struct xvmm_vcpu_info v[3] = {
		{ .vcpu = 0, .cpu = 1, .flags = XVMM_VCPUF_ONLINE | XVMM_VCPUF_RUNNING,
		  .cpu_ns = 2500000000ull },
		{ .vcpu = 1, .cpu = 0, .flags = XVMM_VCPUF_ONLINE | XVMM_VCPUF_BLOCKED,
		  .cpu_ns = 49000000ull },
		{ .vcpu = 2, .cpu = 0, .flags = 0, .cpu_ns = 0 },
	};
	char *buf;
	size_t len;
	FILE *f = MEMSTREAM(buf, len);

	(void)state;
	cli_print_vcpu_header(f);
	for (unsigned int i = 0; i < 3; i++)
		cli_print_vcpu_row(f, "smp", 3, &v[i], -1);
	cli_print_vcpu_row(f, "Domain-0", 0, &v[0], 1);
	assert_string_equal(printed(f, &buf),
		"Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"
		"smp                                  3     0    1   r--       2.5  all / all\n"
		"smp                                  3     1    0   -b-       0.0  all / all\n"
		"smp                                  3     2    -   --p       0.0  all / all\n"
		"Domain-0                             0     0    1   r--       2.5  1 / all\n");
	free(buf);
}

static void test_uptime(void **state)
{
	char s[64], *buf;
	size_t len;
	FILE *f;

	(void)state;
	cli_uptime_str(0, false, s, sizeof(s));
	assert_string_equal(s, " 0:00:00");
	cli_uptime_str(3725, false, s, sizeof(s));
	assert_string_equal(s, " 1:02:05");
	cli_uptime_str(86400 + 36000 + 59, false, s, sizeof(s));
	assert_string_equal(s, "1 day, 10:00:59");
	cli_uptime_str(3 * 86400 + 61, true, s, sizeof(s));
	assert_string_equal(s, "3 days,  0:01");
	cli_uptime_str(59, true, s, sizeof(s));
	assert_string_equal(s, " 0:00");
	f = MEMSTREAM(buf, len);
	cli_print_uptime_header(f);
	cli_print_uptime_row(f, "Domain-0", 0, 125, false, "");
	cli_print_uptime_row(f, "web", 4, 7200, true, "12:30:00");
	assert_string_equal(printed(f, &buf),
		"Name                                ID Uptime\n"
		"Domain-0                             0  0:02:05\n"
		" 12:30:00 up  2:00, web (4)\n");
	free(buf);
}

static void test_parse_mem(void **state)
{
	uint64_t kib = 0;

	(void)state;
	/* xl's parse_mem_size_kb(): no unit is MiB (xl's code; its man page says KiB). */
	assert_int_equal(cli_parse_mem_kb("128", &kib), 0);
	assert_int_equal(kib, 128 * 1024);
	assert_int_equal(cli_parse_mem_kb("128m", &kib), 0);
	assert_int_equal(kib, 128 * 1024);
	assert_int_equal(cli_parse_mem_kb("2G", &kib), 0);
	assert_int_equal(kib, 2 * 1024 * 1024);
	assert_int_equal(cli_parse_mem_kb("1t", &kib), 0);
	assert_int_equal(kib, 1ull << 30);
	assert_int_equal(cli_parse_mem_kb("65536k", &kib), 0);
	assert_int_equal(kib, 65536);
	assert_int_equal(cli_parse_mem_kb("1048576b", &kib), 0);
	assert_int_equal(kib, 1024);
	assert_int_equal(cli_parse_mem_kb("", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("m", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("-5m", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("12mb", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("12x", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("99999999999999999999", &kib), -EINVAL);
	assert_int_equal(cli_parse_mem_kb("17179869184t", &kib), -ERANGE);
}

static void test_top(void **state)
{
	struct cli_dom0 host = { .mem_kib = 1024 * 1024 };
	struct xvmm_dom_info a[2], b[2];
	char *buf;
	size_t len;
	FILE *f;

	(void)state;
	fill_fake();
	a[0] = fake[0];			/* web: 1.26 s */
	a[1] = fake[2];
	b[0] = fake[2];			/* another order: matched by domid */
	b[1] = fake[0];
	b[1].cpu_ns += 500000000ull;	/* half a second in a 2 s interval: 25 % */
	b[1].ram_max = 128ull << 20;
	b[0].ram_max = 2ull << 20;
	f = MEMSTREAM(buf, len);
	cli_print_top(f, &host, a, 2, b, 2, 2000000000ull);
	assert_string_equal(printed(f, &buf),
		"      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS"
		"        EXITS   HYPERCALLS\n"
		"        db ---sc-          0    0.0       2048    0.2       2048       0.2     1"
		"            0            0\n"
		"       web ------          2   25.0      65536    6.2     131072      12.5     1"
		"           10            3\n");
	free(buf);
}

static void test_info(void **state)
{
	struct xvmm_status st = { .abi = (0 << 16) | 5, .nr_cpus = 2, .cpu_mask = 0x3,
				  .mem_total = 16ull << 20, .mem_free = 12ull << 20 };
	struct utsname u;
	struct cli_dom0 d0 = { .mem_kib = 4096 * 1024, .nr_cpus = 2 };
	char *buf;
	size_t len;
	FILE *f = MEMSTREAM(buf, len);

	(void)state;
	memset(&u, 0, sizeof(u));
	strcpy(u.nodename, "box");
	strcpy(u.release, "6.1.0-57-amd64");
	strcpy(u.version, "#1 SMP");
	strcpy(u.machine, "x86_64");
	memset(st.version, 'v', sizeof(st.version));	/* no NUL: cut at its size */
	cli_print_info(f, &st, &u, &d0, 3000 * 1024);
	printed(f, &buf);
	assert_non_null(strstr(buf, "host                   : box\n"
				    "release                : 6.1.0-57-amd64\n"
				    "version                : #1 SMP\n"
				    "machine                : x86_64\n"
				    "nr_cpus                : 2\n"
				    "max_cpu_id             : 1\n"));
	assert_non_null(strstr(buf, "\ntotal_memory           : 4096\n"
				    "free_memory            : 3000\n"));
	assert_non_null(strstr(buf, "\nxen_major              : 4\n"
				    "xen_minor              : 17\n"));
	assert_non_null(strstr(buf, "\nxen_version            : 4.17.0-xvmm\n"));
	assert_non_null(strstr(buf, "\nxvmm_abi               : 0.5\n"
				    "xvmm_memory            : 16384\n"
				    "xvmm_free_memory       : 12288\n"));
	assert_non_null(strstr(buf, "\nxend_config_format     : 4\n"));
	/* Every line is "key (23 wide): value". */
	for (char *l = buf; *l; l = strchr(l, '\n') + 1)
		assert_memory_equal(l + 23, ": ", 2);
	free(buf);
}

static void test_stop_action(void **state)
{
	const char *what;

	(void)state;
	xlcfg_init(&cfg);
	cfg.on_reboot = XLCFG_ACTION_PRESERVE;
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_SHUTDOWN, CLI_SHUTDOWN_POWEROFF, &what),
			 XLCFG_ACTION_DESTROY);
	assert_string_equal(what, "poweroff");
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_SHUTDOWN, CLI_SHUTDOWN_REBOOT, &what),
			 XLCFG_ACTION_PRESERVE);
	assert_string_equal(what, "reboot");
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_CRASH, 0, &what), XLCFG_ACTION_DESTROY);
	assert_string_equal(what, "crashed");
	cfg.on_crash = XLCFG_ACTION_PRESERVE;
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_CRASH, 0, NULL), XLCFG_ACTION_PRESERVE);
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_SHUTDOWN, CLI_SHUTDOWN_CRASH, &what),
			 XLCFG_ACTION_PRESERVE);
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_SHUTDOWN, CLI_SHUTDOWN_WATCHDOG, &what),
			 XLCFG_ACTION_PRESERVE);
	assert_string_equal(what, "watchdog");
	assert_int_equal(cli_stop_action(&cfg, XVMM_RUN_SHUTDOWN, CLI_SHUTDOWN_SUSPEND, &what),
			 XLCFG_ACTION_DESTROY);
	assert_string_equal(what, "shutdown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_override_line),
		cmocka_unit_test(test_override_line_rejects),
		cmocka_unit_test(test_cfg_overrides_win),
		cmocka_unit_test(test_cfg_no_overrides_and_no_trailing_newline),
		cmocka_unit_test(test_cfg_override_errors_are_named),
		cmocka_unit_test(test_cfg_file_errors_keep_their_line),
		cmocka_unit_test(test_cfg_parse_file),
		cmocka_unit_test(test_find_domain),
		cmocka_unit_test(test_state_char),
		cmocka_unit_test(test_print_list),
		cmocka_unit_test(test_state_str),
		cmocka_unit_test(test_vcpu_list),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_parse_mem),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_stop_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
