// SPDX-License-Identifier: GPL-2.0-only
/* The VMM's own small libc (vmm/lib/): formatting and string helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib.h"

static void fmt(const char *want, const char *f, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_format(void **state)
{
	(void)state;
	fmt("42 -7 0", "%d %d %u", 42, -7, 0u);
	fmt("ff FF 00ff", "%x %X %04x", 255u, 255u, 255u);
	fmt("18446744073709551615", "%llu", ~0ull);
	fmt("-9223372036854775808", "%lld", (long long)(-9223372036854775807ll - 1));
	fmt("[  ab] [ab  ]", "[%4s] [%-4s]", "ab", "ab");
	fmt("0x1000 c %", "%p %c %%", (void *)0x1000, 'c');
	fmt("(null)", "%s", (const char *)0);
}

static void test_format_truncates(void **state)
{
	char buf[8];
	int n;

	(void)state;
	n = snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = snprintf(buf, 0, "abc");
	assert_int_equal(n, 3);
}

static void test_strings(void **state)
{
	char buf[6];
	char a[8] = "abcdefg";

	(void)state;
	assert_int_equal(strlcpy(buf, "hello world", sizeof(buf)), 11);
	assert_string_equal(buf, "hello");
	assert_int_equal(strnlen("abc", 2), 2);
	memmove(a + 1, a, 4);
	assert_memory_equal(a, "aabcdfg", 7);
	memmove(a, a + 1, 4);
	assert_memory_equal(a, "abcddfg", 7);
	assert_true(memcmp("ab", "ac", 2) < 0);
	assert_int_equal(hash_fnv1a("", 0, 0), 0xcbf29ce484222325ull);
	assert_int_equal(hash_fnv1a("a", 1, 0), 0xaf63dc4c8601ec8cull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests_name("vmm_lib", tests, NULL, NULL);
}
