// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysctl, domctl and platform_op from a domU (vmm/xen/privileged.c):
 * -EFAULT for an unreadable argument, -EACCES for a version that is not
 * Xen 4.17's, -EPERM otherwise; XTF's sysctl version probe finds 0x15.
 */
#include "test_xen_fakes.h"
#include <xen/privileged.h>
#include <xen/xen.h>

#define BUF	0x4000ull

static void put_head(u32 cmd, u32 version)
{
	struct xen_privileged_op_head h = { cmd, version };

	memcpy(fake_ram + BUF, &h, sizeof(h));
}

static const struct {
	u32 nr, version;
} ops[] = {
	{ __HYPERVISOR_sysctl, XEN_SYSCTL_INTERFACE_VERSION },
	{ __HYPERVISOR_domctl, XEN_DOMCTL_INTERFACE_VERSION },
	{ __HYPERVISOR_platform_op, XENPF_INTERFACE_VERSION },
};

static void test_version_then_privilege(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		put_head(1, ops[i].version);
		assert_int_equal(hcall64(ops[i].nr, BUF, 0, 0, 0, 0, NULL), -1);	/* EPERM */
		assert_int_equal(hcall32(ops[i].nr, BUF, 0, 0, 0, 0, NULL), -1);
		put_head(1, ops[i].version + 1);
		assert_int_equal(hcall64(ops[i].nr, BUF, 0, 0, 0, 0, NULL), -13);	/* EACCES */
		put_head(1, 0);
		assert_int_equal(hcall32(ops[i].nr, BUF, 0, 0, 0, 0, NULL), -13);
	}
}

static void test_bad_argument(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		assert_int_equal(hcall64(ops[i].nr, FAKE_BAD_GPA, 0, 0, 0, 0, NULL), -14);
		assert_int_equal(hcall64(ops[i].nr, FAKE_RAM_SIZE - 4, 0, 0, 0, 0, NULL), -14);
		assert_int_equal(hcall32(ops[i].nr, (u32)FAKE_BAD_GPA, 0, 0, 0, 0, NULL), -14);
	}
}

/* XTF's xtf_probe_sysctl_interface_version: the first version not -EACCES. */
static void test_xtf_probe(void **state)
{
	int found = -1;

	(void)state;
	for (u32 v = 0; v < 128 && found < 0; v++) {
		put_head(0, v);
		if (hcall64(__HYPERVISOR_sysctl, BUF, 0, 0, 0, 0, NULL) != -13)
			found = (int)v;
	}
	assert_int_equal(found, 0x15);
}

/* No log line: these are answers, not missing hypercalls. */
static void test_not_logged_as_missing(void **state)
{
	(void)state;
	put_head(0, 0);
	hcall64(__HYPERVISOR_sysctl, BUF, 0, 0, 0, 0, NULL);
	assert_null(strstr(fake_log, "not implemented"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_then_privilege, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_argument, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xtf_probe, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_not_logged_as_missing, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
