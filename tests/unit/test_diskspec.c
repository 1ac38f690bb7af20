// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the xl-disk-configuration parser (tools/lib/diskspec.c)
 * and the `disk = [...]` key of xl.cfg (tools/lib/xlcfg.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxvmm/diskspec.h>
#include <libxvmm/xlcfg.h>

static struct xl_disk d;
static struct xvmm_err err;

static int parse(const char *spec)
{
	memset(&err, 0, sizeof(err));
	return xl_disk_parse(spec, &d, &err);
}

static void expect_error(const char *spec, const char *want)
{
	int rc = parse(spec);

	if (rc != -EINVAL || !strstr(err.msg, want))
		fail_msg("spec '%s': rc=%d msg='%s', expected '%s'", spec, rc, err.msg, want);
}

static void expect_disk(const char *spec, const char *target, const char *vdev, uint32_t devid,
			enum xl_disk_format fmt, bool ro, bool cdrom)
{
	int rc = parse(spec);

	if (rc)
		fail_msg("spec '%s': rc=%d msg='%s'", spec, rc, err.msg);
	assert_string_equal(d.target, target);
	assert_string_equal(d.vdev, vdev);
	assert_int_equal(d.devid, devid);
	assert_int_equal(d.format, fmt);
	assert_int_equal(d.readonly, ro);
	assert_int_equal(d.cdrom, cdrom);
}

/* The man page's own examples: each group says the same thing. */
static void test_manpage_equivalents(void **state)
{
	(void)state;
	const uint32_t hda = 3u << 8, hdc = 22u << 8;

	expect_disk("/dev/vg/guest-volume,,hda", "/dev/vg/guest-volume", "hda", hda,
		    XL_DISK_FORMAT_RAW, false, false);
	expect_disk("/dev/vg/guest-volume,raw,hda,rw", "/dev/vg/guest-volume", "hda", hda,
		    XL_DISK_FORMAT_RAW, false, false);
	expect_disk("format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
		    "/dev/vg/guest-volume", "hda", hda, XL_DISK_FORMAT_RAW, false, false);
	expect_disk("raw:/dev/vg/guest-volume,hda,w", "/dev/vg/guest-volume", "hda", hda,
		    XL_DISK_FORMAT_RAW, false, false);

	expect_disk("/root/image.iso,,hdc,cdrom", "/root/image.iso", "hdc", hdc,
		    XL_DISK_FORMAT_RAW, true, true);
	expect_disk("/root/image.iso,,hdc,,cdrom", "/root/image.iso", "hdc", hdc,
		    XL_DISK_FORMAT_RAW, true, true);
	expect_disk("/root/image.iso,raw,hdc,devtype=cdrom", "/root/image.iso", "hdc", hdc,
		    XL_DISK_FORMAT_RAW, true, true);
	expect_disk("format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
		    "/root/image.iso", "hdc", hdc, XL_DISK_FORMAT_RAW, true, true);
	expect_disk("raw:/root/image.iso,hdc:cdrom,ro", "/root/image.iso", "hdc", hdc,
		    XL_DISK_FORMAT_RAW, true, true);
}

static void test_forms(void **state)
{
	(void)state;
	expect_disk("format=raw, vdev=xvda, access=rw, target=/path/disk.img", "/path/disk.img",
		    "xvda", 51712, XL_DISK_FORMAT_RAW, false, false);
	expect_disk("/img/q.qcow2,qcow2,xvdb,ro", "/img/q.qcow2", "xvdb", 51728,
		    XL_DISK_FORMAT_QCOW2, true, false);
	expect_disk("qcow2:/img/q.qcow2,xvdc,r", "/img/q.qcow2", "xvdc", 51744,
		    XL_DISK_FORMAT_QCOW2, true, false);
	expect_disk("phy:/dev/vg/lv,xvda1,w", "/dev/vg/lv", "xvda1", 51713,
		    XL_DISK_FORMAT_RAW, false, false);
	expect_disk("file:/srv/a.img,xvdb,w", "/srv/a.img", "xvdb", 51728,
		    XL_DISK_FORMAT_RAW, false, false);
	expect_disk("tap:aio:/srv/a.img,xvdb,w", "/srv/a.img", "xvdb", 51728,
		    XL_DISK_FORMAT_RAW, false, false);
	/* A relative target is under /dev; vdev given by name, positionals fill the rest. */
	expect_disk("vdev=xvde, vg/lv, raw", "/dev/vg/lv", "xvde", 51776,
		    XL_DISK_FORMAT_RAW, false, false);
	/* target= takes the rest of the string, commas and spaces too. */
	expect_disk("vdev=xvda, target=/a,b c ", "/a,b c ", "xvda", 51712,
		    XL_DISK_FORMAT_RAW, false, false);
	/* An empty positional target may be given again with target=. */
	expect_disk(",raw,xvda,rw,target=/x", "/x", "xvda", 51712, XL_DISK_FORMAT_RAW, false, false);
	/* Flags. */
	assert_int_equal(parse("/x,,xvda,no-discard,untrusted,direct-io-safe"), 0);
	assert_false(d.discard);
	assert_false(d.trusted);
	assert_true(d.direct_io_safe);
	assert_int_equal(parse("/x,,xvda"), 0);
	assert_true(d.discard);
	assert_true(d.trusted);
	assert_int_equal(parse("/x,,xvda,backendtype=qdisk,backend=0,specification=xen"), 0);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "no vdev");
	expect_error("/x", "no vdev");
	expect_error("vdev=xvda", "no target");
	expect_error("vdev=xvda,cdrom", "empty cdrom");
	expect_error("/x,,xvda,rw,extra", "too many positional");
	expect_error("/x,,xvda,rx", "access 'rx' is unknown");
	expect_error("/x,vmdk,xvda", "format 'vmdk' is unknown");
	expect_error("/x,vhd,xvda", "not supported");
	expect_error("vhd:/x,xvda,w", "not supported");
	expect_error("/x,,xvda,vdev=xvdb", "vdev is given twice");
	expect_error("target=/x,vdev=xvdb", "no vdev");	/* vdev= is part of the target */
	expect_error("/x,,xvda,colour=red", "unknown key 'colour'");
	expect_error("/x,,xvda,script=block-iscsi", "script= is not supported");
	expect_error("/x,,xvda,backend=dd", "only dom0");
	expect_error("/x,,xvda,specification=virtio", "not supported");
	expect_error("/x,,xvda,devtype=floppy", "devtype 'floppy'");
	expect_error("/x,,hdc,rw,devtype=cdrom", "read-only");
	expect_error("/x,,xvda,cdrom,cdrom", "devtype is given twice");
	expect_error("/x,,vda", "not a virtual device name");
	expect_error("/x,,xvd", "not a virtual device name");
	expect_error("/x,,xvda01", "not a virtual device name");
	expect_error("/x,,hde", "not a virtual device name");
	expect_error("/x,,sdq", "not a virtual device name");
}

static void test_vdev_numbers(void **state)
{
	(void)state;
	static const struct { const char *name; uint32_t devid; } ok[] = {
		{ "xvda", 202u << 8 }, { "xvdb", 202u << 8 | 1 << 4 }, { "xvdb2", 202u << 8 | 1 << 4 | 2 },
		{ "xvdp15", 202u << 8 | 15 << 4 | 15 },
		{ "xvdq", 1u << 28 | 16 << 8 }, { "xvdz", 1u << 28 | 25 << 8 },
		{ "xvdaa", 1u << 28 | 26 << 8 }, { "xvdtq37", 1u << 28 | 536 << 8 | 37 },
		{ "xvda16", 1u << 28 | 16 },
		{ "d0", 202u << 8 }, { "d0p0", 202u << 8 }, { "d1p2", 202u << 8 | 1 << 4 | 2 },
		{ "d536p37", 1u << 28 | 536 << 8 | 37 },
		{ "sda", 8u << 8 }, { "sdb3", 8u << 8 | 1 << 4 | 3 },
		{ "hda", 3u << 8 }, { "hdb1", 3u << 8 | 1 << 6 | 1 }, { "hdc2", 22u << 8 | 2 },
		{ "hdd63", 22u << 8 | 1 << 6 | 63 },
		{ "51712", 51712 }, { "0xca00", 51712 }, { "0145000", 51712 },
	};
	static const char *const bad[] = {
		"", "0", "xvd", "xvdA", "xvda256", "xvda-1", "sd", "sda16", "hda64", "hde",
		"d", "d01", "dp1", "d1p", "d1p256", "d1048576", "xvda1x", "x", "0x", "0x20000000",
	};
	uint32_t v;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (xl_vdev_to_devid(ok[i].name, &v) || v != ok[i].devid)
			fail_msg("%s: got %u, want %u", ok[i].name, v, ok[i].devid);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xl_vdev_to_devid(bad[i], &v) == 0)
			fail_msg("'%s' accepted as %u", bad[i], v);
}

/* ---- the xl.cfg key -------------------------------------------------------- */

static struct xlcfg cfg;

#define MIN "name = \"g\"\nkernel = \"/k\"\ntype = \"pvh\"\n"

static int cfg_parse(const char *text)
{
	memset(&err, 0, sizeof(err));
	return xlcfg_parse(text, strlen(text), "guest.cfg", &cfg, &err);
}

static void test_cfg_disks(void **state)
{
	(void)state;
	assert_int_equal(cfg_parse(MIN "disk = [ 'format=raw, vdev=xvda, access=rw, "
				   "target=/d/a.img',\n  '/d/b.img,,xvdb,ro', ]\n"), 0);
	assert_int_equal(cfg.nr_disks, 2);
	assert_string_equal(cfg.disks[0].target, "/d/a.img");
	assert_int_equal(cfg.disks[0].devid, 51712);
	assert_false(cfg.disks[0].readonly);
	assert_string_equal(cfg.disks[1].target, "/d/b.img");
	assert_true(cfg.disks[1].readonly);
	assert_int_equal(cfg.nr_warnings, 0);

	/* += adds, = replaces. */
	assert_int_equal(cfg_parse(MIN "disk = [ '/a,,xvda' ]\ndisk += [ '/b,,xvdb' ]\n"), 0);
	assert_int_equal(cfg.nr_disks, 2);
	assert_int_equal(cfg_parse(MIN "disk = [ '/a,,xvda' ]\ndisk = [ '/b,,xvdb' ]\n"), 0);
	assert_int_equal(cfg.nr_disks, 1);
	assert_string_equal(cfg.disks[0].target, "/b");
	assert_int_equal(cfg_parse(MIN "disk = []\n"), 0);
	assert_int_equal(cfg.nr_disks, 0);
}

static void test_cfg_disk_errors(void **state)
{
	(void)state;
	/* xvda and d0 are the same virtual device. */
	assert_int_equal(cfg_parse(MIN "disk = [ '/a,,xvda', '/b,,d0p0' ]\n"), -EINVAL);
	assert_non_null(strstr(err.msg, "guest.cfg:4:"));
	assert_non_null(strstr(err.msg, "already used by 'xvda'"));
	assert_int_equal(cfg_parse(MIN "disk = '/a,,xvda'\n"), -EINVAL);
	assert_non_null(strstr(err.msg, "disk must be a list"));
	assert_int_equal(cfg_parse(MIN "\ndisk = [ '/a,,xvda', 'vdev=xvdb' ]\n"), -EINVAL);
	assert_non_null(strstr(err.msg, "guest.cfg:5: disk 'vdev=xvdb': no target"));
	{
		char text[4096] = MIN "disk = [";

		for (int i = 0; i < 17; i++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text),
				 "'/a,,xvd%c',", 'a' + i);
		strcat(text, "]\n");
		assert_int_equal(cfg_parse(text), -EINVAL);
		assert_non_null(strstr(err.msg, "too many disks"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manpage_equivalents),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_vdev_numbers),
		cmocka_unit_test(test_cfg_disks),
		cmocka_unit_test(test_cfg_disk_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
