// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen MSR (vmm/xen/msr.c): the hypercall page bytes for VMMCALL and
 * VMCALL, the page index, bad addresses, reads, MSRs that are not ours.
 */
#include "test_xen_fakes.h"
#include <xen/xen.h>

#define PAGE	0x3000ull

static void check_stub(const uint8_t *p, u32 n, uint8_t last)
{
	const uint8_t *s = p + n * 32;

	assert_int_equal(s[0], 0xb8);
	assert_int_equal(s[1] | s[2] << 8 | s[3] << 16 | (u32)s[4] << 24, n);
	assert_int_equal(s[5], 0x0f);
	assert_int_equal(s[6], 0x01);
	assert_int_equal(s[7], last);
	assert_int_equal(s[8], 0xc3);
	for (int i = 9; i < 32; i++)
		assert_int_equal(s[i], 0xcc);
}

static void test_page_vmmcall(void **state)
{
	(void)state;
	memset(fake_ram + PAGE - 16, 0x11, 4096 + 32);
	xen_hypercall_insn = XEN_INSN_VMMCALL;
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE), 0);
	for (u32 n = 0; n < 128; n++)
		if (n != __HYPERVISOR_iret)
			check_stub(fake_ram + PAGE, n, 0xd9);
	/* Exactly the page. */
	assert_int_equal(fake_ram[PAGE - 1], 0x11);
	assert_int_equal(fake_ram[PAGE + 4096], 0x11);
	/* Stub 17 as a guest test would see it. */
	static const uint8_t stub17[] = { 0xb8, 17, 0, 0, 0, 0x0f, 0x01, 0xd9, 0xc3 };
	assert_memory_equal(fake_ram + PAGE + 17 * 32, stub17, sizeof(stub17));
}

static void test_page_iret_slot(void **state)
{
	const uint8_t *s;

	(void)state;
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE), 0);
	s = fake_ram + PAGE + __HYPERVISOR_iret * 32;
	assert_int_equal(s[0], 0x0f);		/* ud2 */
	assert_int_equal(s[1], 0x0b);
	for (int i = 2; i < 32; i++)
		assert_int_equal(s[i], 0xcc);
}

static void test_page_vmcall(void **state)
{
	(void)state;
	xen_hypercall_insn = XEN_INSN_VMCALL;
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE), 0);
	xen_hypercall_insn = XEN_INSN_VMMCALL;
	check_stub(fake_ram + PAGE, 0, 0xc1);
	check_stub(fake_ram + PAGE, 127, 0xc1);
}

static void test_mode_latch(void **state)
{
	(void)state;
	fake_64bit = false;
	fv->mode_64 = true;
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE), 0);
	assert_false(fv->mode_64);
	fake_64bit = true;
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE), 0);
	assert_true(fv->mode_64);
}

static void test_bad_values(void **state)
{
	(void)state;
	memset(fake_ram + PAGE, 0x11, 4096);
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE | 1), -22);	/* page index 1 */
	assert_int_equal(xen_wrmsr(fv, 0x40000000, PAGE | 0xfff), -22);
	assert_int_equal(fake_ram[PAGE], 0x11);
	assert_int_equal(xen_wrmsr(fv, 0x40000000, FAKE_BAD_GPA), -22);	/* not RAM */
	assert_int_equal(xen_wrmsr(fv, 0x40000000, FAKE_RAM_SIZE), -22);
	assert_int_equal(xen_wrmsr(fv, 0x40000000, 0xfffffffffffff000ull), -22);
	/* Last page of RAM is fine. */
	assert_int_equal(xen_wrmsr(fv, 0x40000000, FAKE_RAM_SIZE - 4096), 0);
}

static void test_reads_and_other_msrs(void **state)
{
	u64 val = 0x1234;

	(void)state;
	assert_int_equal(xen_rdmsr(fv, 0x40000000, &val), 0);
	assert_int_equal(val, 0);				/* write-only, reads 0 */
	/* The rest of Xen's range faults; outside it, not ours. */
	assert_int_equal(xen_rdmsr(fv, 0x40000001, &val), -22);
	assert_int_equal(xen_wrmsr(fv, 0x40000001, PAGE), -22);
	assert_int_equal(xen_wrmsr(fv, 0x400002ff, PAGE), -22);
	assert_int_equal(xen_wrmsr(fv, 0x40000300, PAGE), -2);
	assert_int_equal(xen_rdmsr(fv, 0x3fffffff, &val), -2);
	assert_int_equal(xen_rdmsr(fv, 0xc0000080, &val), -2);
	assert_int_equal(xen_wrmsr(fv, 0x1b, 0xfee00900), -2);
	assert_int_equal(fake_gp + fake_ud, 0);	/* injecting is the backend's job */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_vmmcall, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_page_iret_slot, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_page_vmcall, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_mode_latch, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_reads_and_other_msrs, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
