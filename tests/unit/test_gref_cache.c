// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/backend/gref_cache.c: lookups find what was added
 * and nothing else, refs that collide in the table all stay reachable,
 * a ref is added once, the cache stops at GREF_CACHE_MAX, and clear hands
 * every entry back exactly once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gref_cache.h"

static struct gref_cache cache;
static char pages[GREF_CACHE_MAX + 1];	/* distinct addresses to stand for maps */

static void test_find_add(void **state)
{
	(void)state;
	gref_cache_init(&cache);
	assert_null(gref_cache_find(&cache, 0));
	assert_int_equal(gref_cache_add(&cache, 7, &pages[0], 70), 0);
	assert_int_equal(gref_cache_add(&cache, 0, &pages[1], 0), 0);
	assert_int_equal(gref_cache_add(&cache, 0xFFFFFFFF, &pages[2], 5), 0);
	assert_ptr_equal(gref_cache_find(&cache, 7), &pages[0]);
	assert_ptr_equal(gref_cache_find(&cache, 0), &pages[1]);
	assert_ptr_equal(gref_cache_find(&cache, 0xFFFFFFFF), &pages[2]);
	assert_null(gref_cache_find(&cache, 8));
	assert_int_equal(gref_cache_add(&cache, 7, &pages[3], 71), -EEXIST);
	assert_ptr_equal(gref_cache_find(&cache, 7), &pages[0]);
	assert_int_equal(gref_cache_add(&cache, 9, NULL, 0), -EINVAL);
	assert_int_equal(cache.nr, 3);
}

/* Refs GREF_CACHE_SLOTS apart share a home slot in most hashes: all must stay found. */
static void test_collisions_and_capacity(void **state)
{
	(void)state;
	gref_cache_init(&cache);
	for (unsigned int i = 0; i < GREF_CACHE_MAX; i++)
		assert_int_equal(gref_cache_add(&cache, i * GREF_CACHE_SLOTS, &pages[i], i), 0);
	assert_true(gref_cache_full(&cache));
	assert_int_equal(gref_cache_add(&cache, 12345, &pages[GREF_CACHE_MAX], 1), -ENOSPC);
	for (unsigned int i = 0; i < GREF_CACHE_MAX; i++)
		assert_ptr_equal(gref_cache_find(&cache, i * GREF_CACHE_SLOTS), &pages[i]);
	assert_null(gref_cache_find(&cache, 12345));
	assert_null(gref_cache_find(&cache, 1));
}

static unsigned int seen[GREF_CACHE_MAX];

static void count(void *arg, const struct gref_entry *e)
{
	unsigned int *calls = arg;
	unsigned int i = (unsigned int)((char *)e->va - pages);

	assert_true(i < GREF_CACHE_MAX);
	assert_int_equal(e->handle, i + 1000);
	seen[i]++;
	(*calls)++;
}

static void test_clear(void **state)
{
	unsigned int calls = 0;

	(void)state;
	gref_cache_init(&cache);
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < 500; i++)
		assert_int_equal(gref_cache_add(&cache, 3 * i + 1, &pages[i], i + 1000), 0);
	gref_cache_clear(&cache, count, &calls);
	assert_int_equal(calls, 500);
	for (unsigned int i = 0; i < 500; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(cache.nr, 0);
	assert_null(gref_cache_find(&cache, 1));
	assert_int_equal(gref_cache_add(&cache, 1, &pages[0], 1000), 0);	/* usable again */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_add),
		cmocka_unit_test(test_collisions_and_capacity),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
