// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the xl.cfg-style parser (tools/lib/xlcfg.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libxvmm/xlcfg.h>

static struct xlcfg cfg;
static struct xvmm_err err;

static int parse(const char *text)
{
	memset(&err, 0, sizeof(err));
	return xlcfg_parse(text, strlen(text), "guest.cfg", &cfg, &err);
}

/* Parse must fail with -EINVAL and err.msg must contain want. */
static void expect_error(const char *text, const char *want)
{
	int rc = parse(text);

	if (rc != -EINVAL || !strstr(err.msg, want))
		fail_msg("config:\n%s\nrc=%d msg='%s', expected '%s'", text, rc, err.msg, want);
}

#define MIN "name = \"g\"\nkernel = \"/k\"\ntype = \"pvh\"\n"

static void test_full_config(void **state)
{
	(void)state;
	const char *text =
		"# a PVH guest\n"
		"name = \"test-vm_1.0\"\n"
		"type = 'pvh'\n"
		"kernel = \"/boot/vmlinux\"   # trailing comment\n"
		"ramdisk = \"/boot/initrd.img\"\n"
		"cmdline = \"console=hvc0 \\\"q\\\"\"\n"
		"memory = 512\n"
		"maxmem = 0x200\n"
		"vcpus = 4\n"
		"on_poweroff = \"destroy\"; on_reboot = \"preserve\"\n"
		"on_crash = 'preserve'\n";

	assert_int_equal(parse(text), 0);
	assert_string_equal(cfg.name, "test-vm_1.0");
	assert_string_equal(cfg.kernel, "/boot/vmlinux");
	assert_string_equal(cfg.ramdisk, "/boot/initrd.img");
	assert_string_equal(cfg.cmdline, "console=hvc0 \"q\"");
	assert_int_equal(cfg.memory_mib, 512);
	assert_int_equal(cfg.maxmem_mib, 512);
	assert_int_equal(cfg.vcpus, 4);
	assert_int_equal(cfg.on_poweroff, XLCFG_ACTION_DESTROY);
	assert_int_equal(cfg.on_reboot, XLCFG_ACTION_PRESERVE);
	assert_int_equal(cfg.on_crash, XLCFG_ACTION_PRESERVE);
	assert_int_equal(cfg.nr_warnings, 0);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN), 0);
	assert_int_equal(cfg.memory_mib, 128);
	assert_int_equal(cfg.maxmem_mib, 128);
	assert_int_equal(cfg.vcpus, 1);
	assert_string_equal(cfg.ramdisk, "");
	assert_string_equal(cfg.cmdline, "");
	/* xl.cfg(5)'s defaults: a reboot restarts the domain, the rest destroy it. */
	assert_int_equal(cfg.on_reboot, XLCFG_ACTION_RESTART);
	assert_int_equal(cfg.on_poweroff, XLCFG_ACTION_DESTROY);
	assert_string_equal(xlcfg_action_name(cfg.on_crash), "destroy");
	assert_string_equal(xlcfg_action_name(XLCFG_ACTION_PRESERVE), "preserve");
}

static void test_quoted_numbers_and_radix(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN "memory = \"256\"\nvcpus = 010\n"), 0);
	assert_int_equal(cfg.memory_mib, 256);
	assert_int_equal(cfg.vcpus, 8);	/* leading 0: octal, as strtol base 0 */
}

static void test_escapes(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN "cmdline = \"a\\tb\\x41\\101\\\\\"\n"), 0);
	assert_string_equal(cfg.cmdline, "a\tbAA\\");
	assert_int_equal(parse(MIN "cmdline = 'it\\'s'\n"), 0);
	assert_string_equal(cfg.cmdline, "it's");
	assert_int_equal(parse(MIN "cmdline = \"single ' inside\"\n"), 0);
	assert_string_equal(cfg.cmdline, "single ' inside");
}

static void test_lists_and_unknown_keys(void **state)
{
	(void)state;
	const char *text = MIN
		"disk = [ 'phy:/dev/vg/g,xvda,w',\n"
		"         \"file:/x.img,xvdb,r\", # comment inside\n"
		"       ]\n"
		"vfb = []\n";

	/* xl keys xvmm does not support yet: warnings, so xl configs still load. */
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.nr_warnings, 1);
	assert_string_equal(cfg.warnings[0],
			    "guest.cfg:7: warning: 'vfb' is not supported by xvmm yet, ignored (in xl: a virtual framebuffer, a graphical console)");
	/* disk entries are kept (test_diskspec.c has the rest). */
	assert_int_equal(cfg.nr_disks, 2);
	assert_string_equal(cfg.disks[0].target, "/dev/vg/g");
	assert_string_equal(cfg.disks[1].target, "/x.img");
	assert_true(cfg.disks[1].readonly);
	/* A key xl does not know either (a typo, most likely): an error. */
	expect_error(MIN "frobnicate = 1\n", "guest.cfg:4: unknown key 'frobnicate'");
}

static void test_warning_overflow(void **state)
{
	(void)state;
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text), "%s", MIN);

	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "vfb = [ \"%d\" ]\n", i);
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.nr_warnings, XLCFG_MAX_WARNINGS);
	assert_int_equal(cfg.nr_warnings_dropped, 20 - XLCFG_MAX_WARNINGS);
}

static void test_missing_type_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("name = \"g\"\nkernel = \"/k\"\n"), 0);
	assert_int_equal(cfg.nr_warnings, 1);
	assert_non_null(strstr(cfg.warnings[0], "assuming type = \"pvh\""));
}

static void test_cmdline_root_extra(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN "root = \"/dev/xvda1\"\nextra = \"console=hvc0\"\n"), 0);
	assert_string_equal(cfg.cmdline, "root=/dev/xvda1 console=hvc0");
	assert_int_equal(parse(MIN "root = \"/dev/xvda1\"\n"), 0);
	assert_string_equal(cfg.cmdline, "root=/dev/xvda1");
	assert_int_equal(parse(MIN "extra = \"quiet\"\n"), 0);
	assert_string_equal(cfg.cmdline, "quiet");
	/* cmdline wins over root/extra, with a warning (as xl) */
	assert_int_equal(parse(MIN "extra = \"quiet\"\ncmdline = \"ro\"\n"), 0);
	assert_string_equal(cfg.cmdline, "ro");
	assert_int_equal(cfg.nr_warnings, 1);
	assert_non_null(strstr(cfg.warnings[0], "guest.cfg:4: warning: ignoring root= and extra="));
	/* += appends, last assignment wins */
	assert_int_equal(parse(MIN "cmdline = \"a\"\ncmdline += \" b\"\n"), 0);
	assert_string_equal(cfg.cmdline, "a b");
	assert_int_equal(parse(MIN "memory = 64\nmemory = 96\n"), 0);
	assert_int_equal(cfg.memory_mib, 96);
}

static void test_type_rejections(void **state)
{
	(void)state;
	expect_error("name = \"g\"\nkernel = \"/k\"\ntype = \"pv\"\n",
		     "guest.cfg:3: type = \"pv\" is not supported: xvmm runs PVH guests only");
	expect_error("name = \"g\"\nkernel = \"/k\"\ntype = \"hvm\"\n",
		     "guest.cfg:3: type = \"hvm\" is not supported");
	expect_error("type = \"xyz\"\n", "guest.cfg:1: type = \"xyz\" is unknown");
}

static void test_bounds(void **state)
{
	(void)state;
	expect_error(MIN "memory = 0\n", "guest.cfg:4: memory = 0 is out of range (1..524288)");
	expect_error(MIN "memory = 524289\n", "guest.cfg:4: memory = 524289 is out of range");
	expect_error(MIN "memory = 99999999999999999999999\n", "guest.cfg:4: memory = \"99999999999999999999999\" is not a number");
	expect_error(MIN "memory = \"12M\"\n", "guest.cfg:4: memory = \"12M\" is not a number");
	expect_error(MIN "vcpus = 0\n", "guest.cfg:4: vcpus = 0 is out of range (1..64)");
	expect_error(MIN "vcpus = 65\n", "guest.cfg:4: vcpus = 65 is out of range");
	expect_error(MIN "vcpus = [1]\n", "guest.cfg:4: vcpus must be a single value, not a list");
	assert_int_equal(parse(MIN "memory = 524288\nvcpus = 64\n"), 0);
}

static void test_grant_limits(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN), 0);
	assert_int_equal(cfg.max_grant_frames, 0);		/* the VMM's default, 64 */
	assert_int_equal(cfg.max_maptrack_frames, 0);
	assert_int_equal(parse(MIN "max_grant_frames = 128\nmax_maptrack_frames = 16\n"), 0);
	assert_int_equal(cfg.max_grant_frames, 128);
	assert_int_equal(cfg.max_maptrack_frames, 16);
	assert_int_equal(cfg.nr_warnings, 0);
	expect_error(MIN "max_grant_frames = 0\n",
		     "guest.cfg:4: max_grant_frames = 0 is out of range (1..256)");
	expect_error(MIN "max_grant_frames = 257\n", "max_grant_frames = 257 is out of range");
	expect_error(MIN "max_maptrack_frames = 1025\n",
		     "guest.cfg:4: max_maptrack_frames = 1025 is out of range (1..1024)");
	expect_error(MIN "max_maptrack_frames = \"many\"\n", "is not a number");
}

/* xl's max_event_channels: the highest port, Xen's 1023 when not given. */
static void test_max_event_channels(void **state)
{
	(void)state;
	assert_int_equal(parse(MIN), 0);
	assert_int_equal(cfg.max_event_channels, 0);		/* the VMM's default, 1023 */
	assert_int_equal(parse(MIN "max_event_channels = 4095\n"), 0);
	assert_int_equal(cfg.max_event_channels, 4095);
	assert_int_equal(cfg.nr_warnings, 0);
	assert_int_equal(parse(MIN "max_event_channels = 131071\n"), 0);
	expect_error(MIN "max_event_channels = 1\n",
		     "guest.cfg:4: max_event_channels = 1 is out of range (2..131071)");
	expect_error(MIN "max_event_channels = 131072\n",
		     "max_event_channels = 131072 is out of range");
	expect_error(MIN "max_event_channels = -1\n", "unexpected character");
}

static void test_maxmem(void **state)
{
	(void)state;
	expect_error(MIN "memory = 512\n\nmaxmem = 256\n",
		     "guest.cfg:6: maxmem = 256 is below memory = 512");
	/* Checked once the whole file is read: the order of the two does not matter. */
	expect_error(MIN "maxmem = 256\nmemory = 300\n", "guest.cfg:4: maxmem = 256 is below memory = 300");
	assert_int_equal(parse(MIN "maxmem = 300\nmemory = 300\n"), 0);
	assert_int_equal(cfg.maxmem_mib, 300);
	assert_int_equal(parse(MIN "memory = 256\nmaxmem = 1024\n"), 0);
	assert_int_equal(cfg.memory_mib, 256);
	assert_int_equal(cfg.maxmem_mib, 1024);
	/* maxmem against the default memory (128); no maxmem: memory's. */
	assert_int_equal(parse(MIN "maxmem = 200\n"), 0);
	assert_int_equal(cfg.maxmem_mib, 200);
	assert_int_equal(parse(MIN "memory = 6144\n"), 0);
	assert_int_equal(cfg.maxmem_mib, 6144);
	expect_error(MIN "maxmem = 0\n", "guest.cfg:4: maxmem = 0 is out of range");
	expect_error(MIN "maxmem = 524289\n", "guest.cfg:4: maxmem = 524289 is out of range (1..524288)");
}

static void test_names(void **state)
{
	(void)state;
	char text[256];

	expect_error("name = \"bad name\"\n", "guest.cfg:1: name may only contain A-Z a-z 0-9 _ . -");
	expect_error("name = \"a/b\"\n", "guest.cfg:1: name may only contain");
	expect_error("name = \"\"\n", "guest.cfg:1: name is empty");
	snprintf(text, sizeof(text), "kernel = \"/k\"\nname = \"%065d\"\n", 0);
	expect_error(text, "guest.cfg:2: name is 65 characters long (at most 64)");
	snprintf(text, sizeof(text), "kernel = \"/k\"\nname = \"%064d\"\n", 0);
	assert_int_equal(parse(text), 0);
	assert_int_equal(strlen(cfg.name), 64);
}

static void test_missing_keys(void **state)
{
	(void)state;
	expect_error("kernel = \"/k\"\n", "guest.cfg: missing required key 'name'");
	expect_error("name = \"g\"\n", "guest.cfg: missing required key 'kernel'");
	expect_error("", "missing required key 'name'");
}

static void test_actions(void **state)
{
	(void)state;
	expect_error(MIN "on_reboot = \"rename-restart\"\n",
		     "guest.cfg:4: on_reboot = \"rename-restart\" is not supported yet (xvmm supports \"destroy\", \"restart\" and \"preserve\")");
	{
		static const char t[] = MIN "on_poweroff = \"restart\"\non_reboot = \"destroy\"\n";

		assert_int_equal(xlcfg_parse(t, strlen(t), "guest.cfg", &cfg, &err), 0);
	}
	assert_int_equal(cfg.on_poweroff, XLCFG_ACTION_RESTART);
	assert_int_equal(cfg.on_reboot, XLCFG_ACTION_DESTROY);
	assert_string_equal(xlcfg_action_name(XLCFG_ACTION_RESTART), "restart");
	expect_error(MIN "\non_crash = \"coredump-destroy\"\n",
		     "guest.cfg:5: on_crash = \"coredump-destroy\" is not supported yet");
	expect_error(MIN "on_poweroff = \"explode\"\n",
		     "guest.cfg:4: on_poweroff = \"explode\" is not a valid action");
	expect_error(MIN "on_poweroff += \"destroy\"\n", "guest.cfg:4: '+=' cannot be used with on_poweroff");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error(MIN "cmdline = \"abc\n", "guest.cfg:4: unterminated string (missing closing \")");
	expect_error(MIN "cmdline = 'abc\n", "guest.cfg:4: unterminated string (missing closing ')");
	expect_error(MIN "memory 512\n", "guest.cfg:4: expected '=' after 'memory'");
	expect_error(MIN "= 5\n", "guest.cfg:4: expected a setting name, found '='");
	expect_error(MIN "kernel = vmlinux\n", "guest.cfg:4: value must be quoted");
	expect_error(MIN "memory =\n", "guest.cfg:4: expected a value, found end of line");
	expect_error(MIN "memory = 5 6\n", "guest.cfg:4: unexpected a value after the value of 'memory'");
	expect_error(MIN "disk = [ \"a\" \"b\" ]\n", "guest.cfg:4: unexpected item (missing ',') in list");
	expect_error(MIN "disk = [ \"a\",\n\n", "guest.cfg:4: list is not closed (missing ']')");
	expect_error(MIN "disk = [ [ \"a\" ] ]\n", "guest.cfg:4: nested lists are not allowed");
	expect_error(MIN "disk = [ a ]\n", "guest.cfg:4: list items must be quoted");
	expect_error(MIN "cmdline = \"\\q\"\n", "guest.cfg:4: invalid escape \\q in string");
	expect_error(MIN "cmdline = \"\\x4\"\n", "guest.cfg:4: \\x must be followed by two hex digits");
	expect_error(MIN "cmdline = \"\\000\"\n", "guest.cfg:4: NUL byte inside a string");
	expect_error(MIN "cmdline = \"\\400\"\n", "guest.cfg:4: octal escape above \\377");
	expect_error(MIN "@\n", "guest.cfg:4: unexpected character '@'");
	expect_error(MIN "\x01\n", "guest.cfg:4: unexpected byte 0x01");
}

static void test_embedded_nul(void **state)
{
	(void)state;
	const char text[] = "name = \"a\0b\"\n";

	memset(&err, 0, sizeof(err));
	assert_int_equal(xlcfg_parse(text, sizeof(text) - 1, "guest.cfg", &cfg, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "guest.cfg:1: NUL byte inside a string"));
}

static void test_too_long(void **state)
{
	(void)state;
	size_t n = XLCFG_CMDLINE_MAX + 64;
	char *text = malloc(n + 64);

	assert_non_null(text);
	strcpy(text, MIN "extra = \"");
	memset(text + strlen(text), 'x', XLCFG_CMDLINE_MAX);
	strcpy(text + strlen(MIN "extra = \"") + XLCFG_CMDLINE_MAX, "\"\n");
	expect_error(text, "guest.cfg:4: kernel command line is too long (at most 2047 bytes)");
	free(text);
}

static void test_parse_file(void **state)
{
	(void)state;
	char path[] = "/tmp/xlcfg-test-XXXXXX";
	int fd = mkstemp(path);
	const char *text = MIN "memory = 64\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(xlcfg_parse_file(path, &cfg, &err), 0);
	assert_int_equal(cfg.memory_mib, 64);
	unlink(path);
	assert_int_equal(xlcfg_parse_file(path, &cfg, &err), -ENOENT);
	assert_non_null(strstr(err.msg, path));
}

/* A file one byte over the limit is refused whole, and nothing is handed back. */
static void test_read_file_too_large(void **state)
{
	(void)state;
	char path[] = "/tmp/xlcfg-test-XXXXXX";
	int fd = mkstemp(path);
	char *text = malloc(XLCFG_MAX_INPUT + 1), *got = (char *)1;
	size_t len = 1;

	assert_true(fd >= 0 && text);
	memset(text, '#', XLCFG_MAX_INPUT + 1);
	assert_int_equal(write(fd, text, XLCFG_MAX_INPUT + 1), XLCFG_MAX_INPUT + 1);
	close(fd);
	assert_int_equal(xlcfg_read_file(path, &got, &len, &err), -EFBIG);
	assert_null(got);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.msg, "larger than"));
	assert_int_equal(xlcfg_parse_file(path, &cfg, &err), -EFBIG);
	/* Exactly at the limit it is read whole. */
	assert_int_equal(truncate(path, XLCFG_MAX_INPUT), 0);
	assert_int_equal(xlcfg_read_file(path, &got, &len, &err), 0);
	assert_int_equal(len, XLCFG_MAX_INPUT);
	assert_memory_equal(got, text, len);
	free(got);
	free(text);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_quoted_numbers_and_radix),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_lists_and_unknown_keys),
		cmocka_unit_test(test_warning_overflow),
		cmocka_unit_test(test_missing_type_warns),
		cmocka_unit_test(test_cmdline_root_extra),
		cmocka_unit_test(test_type_rejections),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_grant_limits),
		cmocka_unit_test(test_max_event_channels),
		cmocka_unit_test(test_maxmem),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_read_file_too_large),
	};

	return cmocka_run_group_tests_name("xlcfg", tests, NULL, NULL);
}
