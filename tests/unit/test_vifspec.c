// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the xl-network-configuration parser (tools/lib/vifspec.c)
 * and the `vif = [...]` key of xl.cfg (tools/lib/xlcfg.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxvmm/vifspec.h>
#include <libxvmm/xlcfg.h>

static struct xl_vif v;
static struct xvmm_err err;

static int parse(const char *spec)
{
	memset(&err, 0, sizeof(err));
	return xl_vif_parse(spec, &v, &err);
}

static void expect_ok(const char *spec)
{
	int rc = parse(spec);

	if (rc)
		fail_msg("spec '%s': rc=%d msg='%s'", spec, rc, err.msg);
}

static void expect_error(const char *spec, const char *want)
{
	int rc = parse(spec);

	if (rc != -EINVAL || !strstr(err.msg, want))
		fail_msg("spec '%s': rc=%d msg='%s', expected '%s'", spec, rc, err.msg, want);
}

static void assert_mac(const uint8_t *mac, const char *want)
{
	char s[18];

	xl_vif_mac_str(mac, s);
	assert_string_equal(s, want);
}

static void test_defaults(void **state)
{
	(void)state;
	expect_ok("");
	assert_false(v.mac_given);
	assert_string_equal(v.bridge, "xenbr0");
	assert_string_equal(v.vifname, "");
	assert_string_equal(v.ip, "");
	assert_int_equal(v.nr_ips, 0);
	assert_int_equal(v.devid, -1);
	assert_int_equal(v.mtu, 1500);
	assert_true(v.trusted);
	expect_ok("   ");
	assert_false(v.mac_given);
}

/* The man page's examples. */
static void test_manpage_examples(void **state)
{
	(void)state;
	expect_ok("mac=00:16:3E:74:3d:76,model=rtl8139,bridge=xenbr0");
	assert_true(v.mac_given);
	assert_mac(v.mac, "00:16:3e:74:3d:76");
	assert_string_equal(v.model, "rtl8139");
	assert_string_equal(v.bridge, "xenbr0");
	expect_ok("mac=00:16:3E:74:34:32");
	assert_mac(v.mac, "00:16:3e:74:34:32");
	expect_ok("mac=00:16:3e:5f:48:e4,bridge=xenbr1");
	assert_string_equal(v.bridge, "xenbr1");
}

static void test_keys(void **state)
{
	(void)state;
	expect_ok(" mac=0:16:3e:1:2:3 , bridge=br-lan, ip=192.0.2.2, script=vif-bridge, type=vif");
	assert_mac(v.mac, "00:16:3e:01:02:03");
	assert_string_equal(v.bridge, "br-lan");
	assert_string_equal(v.ip, "192.0.2.2");
	assert_int_equal(v.nr_ips, 1);
	assert_int_equal(v.ips[0], inet_addr("192.0.2.2"));

	expect_ok("ip=192.0.2.2 192.0.2.3,script=/etc/xen/scripts/vif-bridge");
	assert_int_equal(v.nr_ips, 2);
	assert_int_equal(v.ips[1], inet_addr("192.0.2.3"));
	assert_string_equal(v.ip, "192.0.2.2 192.0.2.3");

	expect_ok("vifname=web0,devid=3,mtu=9000,untrusted,backend=0");
	assert_string_equal(v.vifname, "web0");
	assert_int_equal(v.devid, 3);
	assert_int_equal(v.mtu, 9000);
	assert_false(v.trusted);
	expect_ok("untrusted,trusted,backend=Domain-0");
	assert_true(v.trusted);

	/* The last of a repeated key wins, as xl's replace_string. */
	expect_ok("bridge=a,bridge=b,mac=00:16:3e:00:00:01,mac=00-16-3e-00-00-02");
	assert_string_equal(v.bridge, "b");
	assert_mac(v.mac, "00:16:3e:00:00:02");

	/* bridge= empty: a routed setup, the tap is left alone. */
	expect_ok("bridge=");
	assert_string_equal(v.bridge, "");
	/* xl skips empty parameters. */
	expect_ok("bridge=x,,ip=192.0.2.9,");
	assert_string_equal(v.bridge, "x");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("mac=00:16:3e:00:00", "malformed");
	expect_error("mac=00:16:3e:00:00:00:00", "malformed");
	expect_error("mac=00:16:3e:0g:00:00", "malformed");
	expect_error("mac=00:16:3e:123:00:00", "malformed");
	expect_error("mac=", "malformed");
	expect_error("mac=01:16:3e:00:00:01", "multicast");
	expect_error("mac=ff:ff:ff:ff:ff:ff", "multicast");
	expect_error("mac=00:00:00:00:00:00", "not an address");
	expect_error("bridge=a-name-longer-than-15", "1 to 15");
	expect_error("bridge=br/0", "cannot contain");
	expect_error("bridge=..", "not an interface name");
	expect_error("vifname=a b", "cannot contain");
	expect_error("vifname=0123456789abcdef", "1 to 15");
	expect_error("ip=192.0.2", "not an IPv4 address");
	expect_error("ip=2001:db8::1", "not an IPv4 address");
	expect_error("ip=1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5 6.6.6.6 7.7.7.7 8.8.8.8 9.9.9.9",
		     "at most 8");
	expect_error("mtu=67", "from 68 to 65535");
	expect_error("mtu=65536", "from 68 to 65535");
	expect_error("mtu=1500x", "must be a number");
	expect_error("devid=256", "from 0 to 255");
	expect_error("devid=-1", "must be a number");
	expect_error("type=ioemu", "emulated NIC");
	expect_error("type=foo", "unknown");
	expect_error("script=vif-route", "not supported");
	expect_error("script=/etc/xen/scripts/vif-nat", "not supported");
	expect_error("backend=drv", "dom0 only");
	expect_error("rate=10Mb/s", "rate= is not supported");
	expect_error("vlan=10", "vlan= is not supported");
	expect_error("gatewaydev=eth0", "gatewaydev= is not supported");
	expect_error("colo_compare_out=x", "COLO");
	expect_error("macaddr=00:16:3e:00:00:01", "unknown key 'macaddr'");
	expect_error("bridge", "not key=value");
	{
		char big[XL_VIF_SPEC_MAX + 8];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		expect_error(big, "longer than");
	}
}

/* libxl's rule: Xen's OUI, the fourth byte's top bit clear. */
static void test_random_mac(void **state)
{
	(void)state;
	uint8_t mac[6];
	const uint8_t r1[3] = { 0xff, 0xee, 0xdd }, r2[3] = { 0x12, 0x34, 0x56 };
	char name[XL_VIF_IFNAME_MAX];

	xl_vif_random_mac(mac, r1);
	assert_mac(mac, "00:16:3e:7f:ee:dd");
	xl_vif_random_mac(mac, r2);
	assert_mac(mac, "00:16:3e:12:34:56");
	assert_int_equal(mac[0] & 3, 0);	/* unicast, universal: Xen's own OUI */

	expect_ok("devid=4");
	assert_int_equal(xl_vif_ifname(&v, 7, name), 0);
	assert_string_equal(name, "vif7.4");
	expect_ok("vifname=guest-web");
	assert_int_equal(xl_vif_ifname(&v, 7, name), 0);
	assert_string_equal(name, "guest-web");
	v.vifname[0] = '\0';
	v.devid = 255;
	assert_int_equal(xl_vif_ifname(&v, 4000000000u, name), -ENAMETOOLONG);
}

/* ---- xl.cfg ------------------------------------------------------------- */

#define MIN "name = \"g\"\ntype = \"pvh\"\nkernel = \"/k\"\n"

static struct xlcfg cfg;

static int cfg_parse(const char *text)
{
	memset(&err, 0, sizeof(err));
	return xlcfg_parse(text, strlen(text), "guest.cfg", &cfg, &err);
}

static void cfg_error(const char *text, const char *want)
{
	int rc = cfg_parse(text);

	if (rc != -EINVAL || !strstr(err.msg, want))
		fail_msg("rc=%d msg='%s', expected '%s'", rc, err.msg, want);
}

static void test_xlcfg_vifs(void **state)
{
	(void)state;
	assert_int_equal(cfg_parse(MIN "vif = [ 'devid=0,mac=00:16:3e:00:00:01,bridge=xenbr0,ip=192.0.2.2',\n"
				   "        '', 'devid=0' ]\n"), -EINVAL);
	assert_non_null(strstr(err.msg, "guest.cfg:4: vif 2: devid 0 is already used by vif 0"));

	/* Devids: given ones kept, the others the lowest free, in order. */
	assert_int_equal(cfg_parse(MIN "vif = [ 'mac=00:16:3e:00:00:01', 'devid=0,bridge=b' ]\n"
				   "vif += [ '' ]\n"), 0);
	assert_int_equal(cfg.nr_vifs, 3);
	assert_int_equal(cfg.nr_warnings, 0);
	assert_int_equal(cfg.vifs[0].devid, 1);
	assert_int_equal(cfg.vifs[1].devid, 0);
	assert_int_equal(cfg.vifs[2].devid, 2);
	assert_true(cfg.vifs[0].mac_given);
	assert_string_equal(cfg.vifs[1].bridge, "b");

	/* '=' replaces, '+=' appends; an empty list means no vifs. */
	assert_int_equal(cfg_parse(MIN "vif = [ '' ]\nvif = [ ]\n"), 0);
	assert_int_equal(cfg.nr_vifs, 0);

	cfg_error(MIN "vif = 'mac=00:16:3e:00:00:01'\n", "vif must be a list");
	cfg_error(MIN "vif = [ 'bridge=a', 'mac=00:16:3e:0:0:1x' ]\n",
		  "guest.cfg:4: vif 'mac=00:16:3e:0:0:1x': mac '00:16:3e:0:0:1x' is malformed");
	cfg_error(MIN "vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3E:00:00:01' ]\n",
		  "mac 00:16:3e:00:00:01 is already used by vif 0");
	cfg_error(MIN "vif = [ 'vifname=a', 'vifname=a' ]\n", "vifname a is already used");
	cfg_error(MIN "vif = [ '','','','','','','','','' ]\n", "too many vifs (at most 8)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_manpage_examples),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_random_mac),
		cmocka_unit_test(test_xlcfg_vifs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
