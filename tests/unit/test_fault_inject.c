// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for include/xvmm/fault_inject.h, the counter behind
 * allocation-failure injection (CONFIG_XVMM_FAULT_INJECT): exactly the
 * nth allocation after an arm fails and none after it, nth 0 fails none,
 * re-arming reports the window that ends and starts counting afresh,
 * and threads counting at once see exactly one failure between them.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <xvmm/fault_inject.h>

/* Count @n allocations; return the 1-based index of each that failed, as a bitmask. */
static unsigned long long run(struct xvmm_fault_counter *c, unsigned int n)
{
	unsigned long long mask = 0;

	for (unsigned int i = 1; i <= n; i++)
		if (xvmm_fault_hit(c))
			mask |= 1ull << i;
	return mask;
}

static void test_zero_fails_none(void **state)
{
	struct xvmm_fault_counter c = { 0 }, prev;

	(void)state;
	assert_int_equal(run(&c, 50), 0);
	xvmm_fault_arm(&c, 0, &prev);
	assert_int_equal(prev.seen, 50);
	assert_int_equal(prev.failed, 0);
	assert_int_equal(run(&c, 50), 0);
}

static void test_exactly_the_nth(void **state)
{
	struct xvmm_fault_counter c = { 0 }, prev;

	(void)state;
	for (unsigned int nth = 1; nth <= 40; nth++) {
		xvmm_fault_arm(&c, nth, &prev);
		assert_int_equal(run(&c, 40), 1ull << nth);
		/* Once past it, nothing more fails in this window. */
		assert_int_equal(run(&c, 40), 0);
		xvmm_fault_arm(&c, 0, &prev);
		assert_int_equal(prev.nth, nth);
		assert_int_equal(prev.seen, 80);
		assert_int_equal(prev.failed, 1);
	}
}

static void test_walk_ends_past_the_last(void **state)
{
	struct xvmm_fault_counter c = { 0 }, prev;

	(void)state;
	/* An operation with 7 allocations: nth 8 is past it, and the window says so. */
	xvmm_fault_arm(&c, 8, &prev);
	assert_int_equal(run(&c, 7), 0);
	xvmm_fault_arm(&c, 0, &prev);
	assert_int_equal(prev.seen, 7);
	assert_int_equal(prev.failed, 0);
}

static void test_rearm_restarts_count(void **state)
{
	struct xvmm_fault_counter c = { 0 }, prev;

	(void)state;
	xvmm_fault_arm(&c, 5, &prev);
	assert_int_equal(run(&c, 3), 0);
	/* Re-armed before the 5th: the new window counts from 1 again. */
	xvmm_fault_arm(&c, 2, &prev);
	assert_int_equal(prev.seen, 3);
	assert_int_equal(prev.failed, 0);
	assert_int_equal(run(&c, 4), 1ull << 2);
	xvmm_fault_arm(&c, 0, &prev);
	assert_int_equal(prev.seen, 4);
	assert_int_equal(prev.failed, 1);
	assert_int_equal(c.nth, 0);
	assert_int_equal(c.seen, 0);
	assert_int_equal(c.failed, 0);
}

#define THREADS	4
#define EACH	20000

static struct xvmm_fault_counter shared;
static unsigned int hits[THREADS];

static void *count_many(void *arg)
{
	unsigned int *h = arg;

	for (unsigned int i = 0; i < EACH; i++)
		*h += (unsigned int)xvmm_fault_hit(&shared);
	return NULL;
}

static void test_threads_one_failure(void **state)
{
	pthread_t t[THREADS];
	struct xvmm_fault_counter prev;
	unsigned int total = 0;

	(void)state;
	xvmm_fault_arm(&shared, 12345, &prev);
	for (unsigned int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, count_many, &hits[i]), 0);
	for (unsigned int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += hits[i];
	}
	xvmm_fault_arm(&shared, 0, &prev);
	assert_int_equal(total, 1);
	assert_int_equal(prev.seen, THREADS * EACH);
	assert_int_equal(prev.failed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_fails_none),
		cmocka_unit_test(test_exactly_the_nth),
		cmocka_unit_test(test_walk_ends_past_the_last),
		cmocka_unit_test(test_rearm_restarts_count),
		cmocka_unit_test(test_threads_one_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
