// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain ids as the driver gives them (loader/linux/xvmm_domid.c): the
 * next free one after the last given, wrapping below 0x7ff0, skipping the
 * ones in use; -ENOSPC when none is free.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "xvmm_domid.h"

static struct xvmm_domids a;

static void test_round_robin(void **state)
{
	(void)state;
	xvmm_domids_init(&a, 0);
	assert_int_equal(a.end, XVMM_DOMID_END);
	assert_int_equal(xvmm_domid_alloc(&a), 1);
	assert_int_equal(xvmm_domid_alloc(&a), 2);
	assert_int_equal(xvmm_domid_alloc(&a), 3);
	/* A destroyed id is not given again at once: the rover goes on. */
	xvmm_domid_free(&a, 2);
	assert_false(xvmm_domid_used(&a, 2));
	assert_int_equal(xvmm_domid_alloc(&a), 4);
	xvmm_domid_free(&a, 4);
	assert_int_equal(xvmm_domid_alloc(&a), 5);
	assert_true(xvmm_domid_used(&a, 0));	/* dom0's */
	assert_true(xvmm_domid_used(&a, XVMM_DOMID_END));
}

static void test_wraps_below_reserved(void **state)
{
	(void)state;
	xvmm_domids_init(&a, 0);
	assert_int_equal(xvmm_domid_claim(&a, 0x7fee), 0);
	a.last = 0x7fee;
	assert_int_equal(xvmm_domid_alloc(&a), 0x7fef);	/* the last ordinary id */
	assert_int_equal(xvmm_domid_alloc(&a), 1);	/* wrapped, 0 skipped */
	assert_int_equal(xvmm_domid_claim(&a, 0x7ff0), -EINVAL);	/* DOMID_SELF */
	assert_int_equal(xvmm_domid_claim(&a, 0), -EINVAL);
	assert_int_equal(xvmm_domid_claim(&a, 1), -EEXIST);
}

static void test_skips_in_use(void **state)
{
	(void)state;
	xvmm_domids_init(&a, 0);
	/* Ids 1..200 taken (whole words of them), then 202, 203 taken too. */
	for (unsigned int i = 1; i <= 200; i++)
		assert_int_equal(xvmm_domid_claim(&a, i), 0);
	assert_int_equal(xvmm_domid_claim(&a, 202), 0);
	assert_int_equal(xvmm_domid_claim(&a, 203), 0);
	assert_int_equal(xvmm_domid_alloc(&a), 201);
	assert_int_equal(xvmm_domid_alloc(&a), 204);
	/* After a wrap, the first free id from the bottom. */
	xvmm_domid_free(&a, 77);
	a.last = 0x7fef;
	assert_int_equal(xvmm_domid_alloc(&a), 77);
	assert_int_equal(xvmm_domid_alloc(&a), 205);
}

static void test_exhaustion(void **state)
{
	(void)state;
	/* Every ordinary id, then none. */
	xvmm_domids_init(&a, 0);
	for (unsigned int i = 1; i < XVMM_DOMID_END; i++)
		assert_int_equal(xvmm_domid_alloc(&a), (int)i);
	assert_int_equal(xvmm_domid_alloc(&a), -ENOSPC);
	assert_int_equal(xvmm_domid_alloc(&a), -ENOSPC);
	/* One freed in the middle: that one, and then none again. */
	xvmm_domid_free(&a, 12345);
	assert_int_equal(xvmm_domid_alloc(&a), 12345);
	assert_int_equal(xvmm_domid_alloc(&a), -ENOSPC);
	/* A small space (as tests shrink it): 1..3. */
	xvmm_domids_init(&a, 4);
	assert_int_equal(xvmm_domid_alloc(&a), 1);
	assert_int_equal(xvmm_domid_alloc(&a), 2);
	assert_int_equal(xvmm_domid_alloc(&a), 3);
	assert_int_equal(xvmm_domid_alloc(&a), -ENOSPC);
	xvmm_domid_free(&a, 1);
	assert_int_equal(xvmm_domid_alloc(&a), 1);
	xvmm_domid_free(&a, 5);		/* out of range: ignored */
	assert_int_equal(xvmm_domid_alloc(&a), -ENOSPC);
}

/* Many create/destroy cycles with a few alive: ids keep moving on and stay unique. */
static void test_cycles(void **state)
{
	unsigned int alive[8] = { 0 }, last = 0;

	(void)state;
	xvmm_domids_init(&a, 0);
	for (unsigned int n = 0; n < 100000; n++) {
		unsigned int slot = n % 8;
		int id;

		if (alive[slot])
			xvmm_domid_free(&a, alive[slot]);
		id = xvmm_domid_alloc(&a);
		assert_true(id > 0 && id < (int)XVMM_DOMID_END);
		for (unsigned int j = 0; j < 8; j++)
			assert_int_not_equal(alive[j], (unsigned int)id);
		/* Round-robin: the next id up, unless it wrapped. */
		assert_true((unsigned int)id == last + 1 || (unsigned int)id < last);
		alive[slot] = (unsigned int)id;
		last = (unsigned int)id;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_wraps_below_reserved),
		cmocka_unit_test(test_skips_in_use),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_cycles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
