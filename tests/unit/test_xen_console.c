// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io (vmm/xen/console.c): writes reach the domain's console in
 * order and in chunks, reads give nothing, bad buffers are -EFAULT.
 */
#include "generated/config.h"
#include "test_xen_fakes.h"
#include <xen/xen.h>

#define BUF	0x8000ull

static s64 cons64(u32 cmd, u32 count, u64 buf)
{
	return hcall64(__HYPERVISOR_console_io, cmd, count, buf, 0, 0, NULL);
}

#ifdef CONFIG_XEN_CONSOLE_IO

static void test_write(void **state)
{
	(void)state;
	memcpy(fake_ram + BUF, "hello, xen\n", 11);
	assert_int_equal(cons64(CONSOLEIO_write, 11, BUF), 0);
	assert_int_equal(fake_console_len, 11);
	assert_memory_equal(fake_console, "hello, xen\n", 11);
	/* 32-bit caller: count in ECX, buffer in EDX. */
	assert_int_equal(hcall32(__HYPERVISOR_console_io, CONSOLEIO_write, 3, BUF, 0, 0, NULL), 0);
	assert_int_equal(fake_console_len, 14);
	assert_memory_equal(fake_console + 11, "hel", 3);
}

static void test_write_zero_and_long(void **state)
{
	(void)state;
	assert_int_equal(cons64(CONSOLEIO_write, 0, FAKE_BAD_GPA), 0);	/* nothing read */
	assert_int_equal(fake_console_len, 0);

	for (unsigned int i = 0; i < 1000; i++)
		fake_ram[BUF + i] = (uint8_t)('a' + i % 26);
	assert_int_equal(cons64(CONSOLEIO_write, 1000, BUF), 0);	/* several chunks */
	assert_int_equal(fake_console_len, 1000);
	assert_memory_equal(fake_console, fake_ram + BUF, 1000);
}

static void test_write_capped(void **state)
{
	(void)state;
	/* A huge count stops at the cap (4 x the console buffer), no further. */
	assert_int_equal(cons64(CONSOLEIO_write, 0xffffffffu, 0), 0);
	assert_int_equal(fake_console_len, 4 * DOMAIN_CONSOLE_SIZE);
	/* Bytes past the cap are not even read: no -EFAULT for them. */
	fake_console_len = 0;
	assert_int_equal(cons64(CONSOLEIO_write, 0xffffffffu, FAKE_RAM_SIZE - 4 * DOMAIN_CONSOLE_SIZE), 0);
	assert_int_equal(fake_console_len, 4 * DOMAIN_CONSOLE_SIZE);
}

static void test_write_bad_buffer(void **state)
{
	(void)state;
	assert_int_equal(cons64(CONSOLEIO_write, 10, FAKE_BAD_GPA), -14);
	assert_int_equal(fake_console_len, 0);
	/* The chunks before a bad address are written, as in Xen. */
	memset(fake_ram + FAKE_RAM_SIZE - 128, 'z', 128);
	assert_int_equal(cons64(CONSOLEIO_write, 300, FAKE_RAM_SIZE - 128), -14);
	assert_int_equal(fake_console_len, 128);
	assert_int_equal(hcall32(__HYPERVISOR_console_io, CONSOLEIO_write, 1, 0xfffffff0u, 0, 0,
				 NULL), -14);
}

static void test_read_and_bad_cmd(void **state)
{
	(void)state;
	memset(fake_ram + BUF, 'q', 16);
	assert_int_equal(cons64(CONSOLEIO_read, 16, BUF), 0);
	assert_int_equal(fake_ram[BUF], 'q');
	assert_int_equal(cons64(CONSOLEIO_read, 0x80000000u, BUF), -7);	/* E2BIG */
	assert_int_equal(cons64(2, 16, BUF), -38);
	assert_int_equal(hcall32(__HYPERVISOR_console_io, 0xffffffffu, 0, 0, 0, 0, NULL), -38);
	assert_int_equal(fake_console_len, 0);
}

#else

static void test_compiled_out(void **state)
{
	(void)state;
	memcpy(fake_ram + BUF, "x", 1);
	assert_int_equal(cons64(CONSOLEIO_write, 1, BUF), -38);
	assert_int_equal(fake_console_len, 0);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef CONFIG_XEN_CONSOLE_IO
		cmocka_unit_test_setup_teardown(test_write, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_write_zero_and_long, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_write_capped, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_write_bad_buffer, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_read_and_bad_cmd, fake_setup, fake_teardown),
#else
		cmocka_unit_test_setup_teardown(test_compiled_out, fake_setup, fake_teardown),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
