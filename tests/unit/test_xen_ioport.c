// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unbacked port I/O (vmm/xen/ioport.c): all-ones reads of every size,
 * port 0xE9 output, writes elsewhere dropped.
 */
#include "test_xen_fakes.h"

static void test_reads_all_ones(void **state)
{
	static const u16 ports[] = { 0x00, 0x60, 0x70, 0xe9, 0xcf8, 0xcfc, 0xffff };
	u32 val;

	(void)state;
	for (unsigned int i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		val = 0x12345678;
		xen_ioport(fv, ports[i], true, 1, &val);
		assert_int_equal(val, 0xff);
		xen_ioport(fv, ports[i], true, 2, &val);
		assert_int_equal(val, 0xffff);
		xen_ioport(fv, ports[i], true, 4, &val);
		assert_int_equal(val, 0xffffffffu);
	}
	assert_int_equal(fake_console_len, 0);
}

static void test_e9_output(void **state)
{
	const char *msg = "Hi!\n";
	u32 val;

	(void)state;
	for (const char *p = msg; *p; p++) {
		val = 0xffffff00u | (uint8_t)*p;	/* only the low byte counts */
		xen_ioport(fv, 0xe9, false, 1, &val);
	}
	assert_int_equal(fake_debugcon_len, 4);
	assert_memory_equal(fake_debugcon, msg, 4);
	assert_int_equal(fake_console_len, 0);	/* the guest console is console_io's */
}

static void test_wide_writes_cover_e9(void **state)
{
	u32 val;

	(void)state;
	val = 0x4241;				/* outw 0xe9: 'A' to 0xe9, 'B' to 0xea */
	xen_ioport(fv, 0xe9, false, 2, &val);
	val = 0x00430000;			/* outl 0xe7: byte 2 lands on 0xe9 */
	xen_ioport(fv, 0xe7, false, 4, &val);
	val = 0x44444444;			/* outw 0xea: misses */
	xen_ioport(fv, 0xea, false, 2, &val);
	assert_int_equal(fake_debugcon_len, 2);
	assert_memory_equal(fake_debugcon, "AC", 2);
}

static void test_other_writes_dropped(void **state)
{
	u32 val = 0x41;

	(void)state;
	xen_ioport(fv, 0x80, false, 1, &val);
	xen_ioport(fv, 0x3f8, false, 1, &val);
	xen_ioport(fv, 0xcf8, false, 4, &val);
	xen_ioport(fv, 0xffff, false, 4, &val);		/* no wrap to 0xe9 */
	assert_int_equal(fake_debugcon_len, 0);
	assert_int_equal(val, 0x41);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_all_ones, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_e9_output, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_wide_writes_cover_e9, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_writes_dropped, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
