// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvm_op (vmm/xen/hvm.c): set/get_param on itself, Xen's rules on which
 * parameters a guest may touch, the console/store answers, bounds.
 */
#include "test_xen_fakes.h"
#include <xen/hvm_op.h>
#include <xen/xen.h>

#define ARG	0x5000ull

static void put_param(u16 domid, u32 index, u64 value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index, .value = value };

	memcpy(fake_ram + ARG, &p, sizeof(p));
}

static u64 param_value(void)
{
	struct xen_hvm_param p;

	memcpy(&p, fake_ram + ARG, sizeof(p));
	return p.value;
}

static s64 hvm64(u64 op, u64 arg)
{
	return hcall64(__HYPERVISOR_hvm_op, op, arg, 0, 0, 0, NULL);
}

static s64 set_p(u32 index, u64 value)
{
	put_param(DOMID_SELF, index, value);
	return hvm64(HVMOP_set_param, ARG);
}

static s64 get_p(u32 index, u64 *value)
{
	s64 rc;

	put_param(DOMID_SELF, index, 0x5a5a5a5a5a5a5a5aull);
	rc = hvm64(HVMOP_get_param, ARG);
	*value = param_value();
	return rc;
}

static void test_callback_vector(void **state)
{
	u64 via = (2ull << 56) | 0xf3, v;

	(void)state;
	assert_int_equal(set_p(HVM_PARAM_CALLBACK_IRQ, via), 0);
	assert_int_equal(fd->hvm_params[HVM_PARAM_CALLBACK_IRQ], via);
	assert_int_equal(xen_hvm_callback_vector(fd->hvm_params[HVM_PARAM_CALLBACK_IRQ]), 0xf3);
	assert_int_equal(get_p(HVM_PARAM_CALLBACK_IRQ, &v), 0);
	assert_int_equal(v, via);
	/* GSI type (and 0 = none): accepted and stored, no vector. */
	assert_int_equal(set_p(HVM_PARAM_CALLBACK_IRQ, 5), 0);
	assert_int_equal(xen_hvm_callback_vector(fd->hvm_params[HVM_PARAM_CALLBACK_IRQ]), 0);
	assert_int_equal(set_p(HVM_PARAM_CALLBACK_IRQ, 0), 0);
	assert_int_equal(fd->hvm_params[HVM_PARAM_CALLBACK_IRQ], 0);
}

static void test_32bit_caller(void **state)
{
	(void)state;
	put_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, (2ull << 56) | 0xe0);
	assert_int_equal(hcall32(__HYPERVISOR_hvm_op, HVMOP_set_param, ARG, 0, 0, 0, NULL), 0);
	assert_int_equal(fd->hvm_params[HVM_PARAM_CALLBACK_IRQ], (2ull << 56) | 0xe0);
	assert_false(fv->mode_64);		/* the layout latch */
	put_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 77);
	assert_int_equal(hcall32(__HYPERVISOR_hvm_op, HVMOP_get_param, ARG, 0, 0, 0, NULL), 0);
	assert_int_equal(param_value(), 0);
}

static void test_store_reads_zero(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(get_p(HVM_PARAM_STORE_PFN, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(get_p(HVM_PARAM_STORE_EVTCHN, &v), 0);
	assert_int_equal(v, 0);
	/* Set by the toolstack: read back. */
	fd->hvm_params[HVM_PARAM_STORE_PFN] = 0xfeffc;
	assert_int_equal(get_p(HVM_PARAM_STORE_PFN, &v), 0);
	assert_int_equal(v, 0xfeffc);
	/* The guest may set the event channel but not the page. */
	assert_int_equal(set_p(HVM_PARAM_STORE_EVTCHN, 3), 0);
	assert_int_equal(set_p(HVM_PARAM_STORE_PFN, 0x100), -1);
	assert_int_equal(fd->hvm_params[HVM_PARAM_STORE_PFN], 0xfeffc);
}

static void test_console_absent_then_present(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(get_p(HVM_PARAM_CONSOLE_PFN, &v), -22);
	assert_int_equal(v, 0x5a5a5a5a5a5a5a5aull);	/* untouched */
	assert_int_equal(get_p(HVM_PARAM_CONSOLE_EVTCHN, &v), -22);
	/* Setting the event channel alone does not make a console. */
	assert_int_equal(set_p(HVM_PARAM_CONSOLE_EVTCHN, 2), 0);
	assert_int_equal(get_p(HVM_PARAM_CONSOLE_EVTCHN, &v), -22);
	/* Once the toolstack has a backend page, both read back. */
	fd->hvm_params[HVM_PARAM_CONSOLE_PFN] = 0xfefff;
	assert_int_equal(get_p(HVM_PARAM_CONSOLE_PFN, &v), 0);
	assert_int_equal(v, 0xfefff);
	assert_int_equal(get_p(HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(set_p(HVM_PARAM_CONSOLE_PFN, 1), -1);
}

static void test_guest_rules(void **state)
{
	u64 v;

	(void)state;
	/* The toolstack's parameters: -EPERM both ways. */
	assert_int_equal(set_p(HVM_PARAM_IDENT_PT, 0x1000), -1);
	assert_int_equal(set_p(HVM_PARAM_ACPI_S_STATE, 3), -1);
	assert_int_equal(set_p(HVM_PARAM_VIRIDIAN, 1), -1);
	assert_int_equal(get_p(HVM_PARAM_IOREQ_PFN, &v), -1);
	assert_int_equal(get_p(HVM_PARAM_TIMER_MODE, &v), -1);
	/* Deprecated: -EINVAL. */
	assert_int_equal(set_p(HVM_PARAM_PAE_ENABLED, 1), -22);
	assert_int_equal(get_p(HVM_PARAM_NESTEDHVM, &v), -22);
	assert_int_equal(get_p(HVM_PARAM_MEMORY_EVENT_MSR, &v), -22);
	/* Read-only: -EEXIST to set, readable. */
	assert_int_equal(set_p(HVM_PARAM_ALTP2M, 1), -17);
	assert_int_equal(get_p(HVM_PARAM_ALTP2M, &v), 0);
	assert_int_equal(v, 0);
	/* Allowed ones round-trip. */
	assert_int_equal(set_p(HVM_PARAM_VM86_TSS_SIZED, 0x123), 0);
	assert_int_equal(get_p(HVM_PARAM_VM86_TSS_SIZED, &v), 0);
	assert_int_equal(v, 0x123);
	for (unsigned int i = 0; i < HVM_NR_PARAMS; i++)
		if (i != HVM_PARAM_VM86_TSS_SIZED && i != HVM_PARAM_ALTP2M)
			assert_int_equal(fd->hvm_params[i], 0);
}

static void test_bounds_and_domains(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(set_p(XEN_HVM_NR_PARAMS, 1), -22);
	assert_int_equal(get_p(XEN_HVM_NR_PARAMS, &v), -22);
	assert_int_equal(set_p(HVM_NR_PARAMS, 1), -22);
	assert_int_equal(get_p(0xffffffffu, &v), -22);
	put_param(0, HVM_PARAM_CALLBACK_IRQ, 1);		/* dom0 */
	assert_int_equal(hvm64(HVMOP_set_param, ARG), -1);
	put_param(FAKE_DOMID, HVM_PARAM_CALLBACK_IRQ, 1);	/* itself by id */
	assert_int_equal(hvm64(HVMOP_set_param, ARG), 0);
	put_param(FAKE_DOMID + 1, HVM_PARAM_STORE_PFN, 0);
	assert_int_equal(hvm64(HVMOP_get_param, ARG), -1);
}

static void test_bad_pointer_and_ops(void **state)
{
	(void)state;
	assert_int_equal(hvm64(HVMOP_set_param, FAKE_BAD_GPA), -14);
	assert_int_equal(hvm64(HVMOP_get_param, FAKE_BAD_GPA), -14);
	assert_int_equal(hvm64(HVMOP_get_param, FAKE_RAM_SIZE - 8), -14);
	assert_int_equal(hcall32(__HYPERVISOR_hvm_op, HVMOP_get_param, (u32)FAKE_BAD_GPA,
				 0, 0, 0, NULL), -14);
	assert_int_equal(hvm64(HVMOP_set_evtchn_upcall_vector, FAKE_BAD_GPA), -14);
	assert_int_equal(hvm64(HVMOP_pagetable_dying, ARG), -38);
	assert_int_equal(hvm64(HVMOP_get_time, ARG), -38);
	/* unsigned long op: a high bit makes it another op. */
	put_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 0);
	assert_int_equal(hvm64(0x100000000ull | HVMOP_get_param, ARG), -38);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_callback_vector, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_32bit_caller, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_store_reads_zero, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_console_absent_then_present, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_guest_rules, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bounds_and_domains, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointer_and_ops, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
