// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain table (vmm/core/domain_table.c): reserve, publish, look up
 * and retire over Xen's whole id space; a leaf page per 512 ids, taken
 * with its first id and given back after its last; a retired domain (and
 * leaf) freed only after every other CPU has entered dom0 since, and not
 * before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "domain_table.h"
#include "errno.h"
#include "page_alloc.h"
#include "vmm.h"

/* ---- fakes: the pool (one block per allocation, freed page by page), two CPUs --- */

#define MAX_BLOCKS	1024
static struct { u64 pa; unsigned int n, left; } blocks[MAX_BLOCKS];
static unsigned int pages_out, pool_fail;

void *page_alloc_contig(unsigned int n, u64 *pa)
{
	unsigned int i;
	void *p;

	if (pool_fail)
		return NULL;
	for (i = 0; i < MAX_BLOCKS && blocks[i].left; i++)
		;
	assert_true(i < MAX_BLOCKS);
	p = aligned_alloc(4096, (size_t)n * 4096);
	assert_non_null(p);
	memset(p, 0, (size_t)n * 4096);
	blocks[i].pa = *pa = (u64)(uintptr_t)p;
	blocks[i].n = blocks[i].left = n;
	pages_out += n;
	return p;
}

void *page_alloc(u64 *pa)
{
	return page_alloc_contig(1, pa);
}

void page_free(u64 pa)
{
	for (unsigned int i = 0; i < MAX_BLOCKS; i++) {
		if (!blocks[i].left || pa < blocks[i].pa || pa >= blocks[i].pa + blocks[i].n * 4096ull)
			continue;
		pages_out--;
		if (--blocks[i].left == 0)
			free((void *)(uintptr_t)blocks[i].pa);
		return;
	}
	fail_msg("page_free(%llx): not allocated", (unsigned long long)pa);
}

struct vmm_cpu vmm_cpus[XVMM_MAX_CPUS];
static u64 gen;

u64 dom0_npt_changed(void)
{
	return ++gen;
}

/* Two launched CPUs; cpu_seen[i] is the generation CPU i last entered dom0 with. */
static u64 cpu_seen[2];

bool dom0_npt_flushed_except(u64 g, const struct vmm_cpu *self)
{
	for (unsigned int i = 0; i < 2; i++)
		if (&vmm_cpus[i] != self && cpu_seen[i] < g)
			return false;
	return true;
}

static void enter_dom0(unsigned int cpu)
{
	cpu_seen[cpu] = gen;
}

/* A domain as domain.c builds one: its own pages from the pool. */
static struct domain *new_domain(unsigned int id)
{
	u64 pa;
	struct domain *d = page_alloc_contig(7, &pa);

	d->id = id;
	d->struct_pa = pa;
	d->struct_pages = 7;
	d->state = DOMAIN_RUNNING;
	return d;
}

static struct domain *create(unsigned int id)
{
	struct domain *d;

	if (domain_table_reserve(id))
		return NULL;
	d = new_domain(id);
	domain_table_publish(d);
	return d;
}

static void destroy(struct domain *d)
{
	d->state = DOMAIN_FREE;
	domain_table_retire(d);
}

/* Let both CPUs pass through dom0, then reap from CPU 0. */
static void grace(void)
{
	enter_dom0(0);
	enter_dom0(1);
	domain_table_reap(&vmm_cpus[0]);
}

static int setup(void **state)
{
	(void)state;
	memset(cpu_seen, 0, sizeof(cpu_seen));
	vmm_cpus[0].launched = vmm_cpus[1].launched = true;
	pool_fail = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(domain_table_count(), 0);
	grace();
	assert_int_equal(domain_table_pending(), 0);
	assert_int_equal(pages_out, 0);		/* every struct and leaf given back */
	return 0;
}

static void test_reserve_publish_get(void **state)
{
	struct domain *d;

	(void)state;
	assert_int_equal(domain_table_reserve(5), 0);
	assert_int_equal(pages_out, 1);		/* the leaf of ids 0..511 */
	assert_null(domain_get(5));		/* being built: not found yet */
	assert_int_equal(domain_table_reserve(5), -EEXIST);
	d = new_domain(5);
	domain_table_publish(d);
	assert_ptr_equal(domain_get(5), d);
	assert_null(domain_get(4));
	assert_null(domain_get(6));
	assert_int_equal(domain_table_count(), 1);
	/* Shut down or crashed it is still found; being destroyed (FREE), not. */
	d->state = DOMAIN_CRASHED;
	assert_ptr_equal(domain_get(5), d);
	destroy(d);
	assert_null(domain_get(5));
	assert_int_equal(domain_table_count(), 0);
}

static void test_id_range(void **state)
{
	struct domain *lo, *hi;

	(void)state;
	assert_int_equal(domain_table_reserve(0), -EINVAL);		/* dom0 */
	assert_int_equal(domain_table_reserve(DOMID_FIRST_RESERVED), -EINVAL);
	assert_int_equal(domain_table_reserve(0xffff), -EINVAL);
	assert_null(domain_get(0));
	assert_null(domain_get(DOMID_SELF));
	assert_null(domain_get(~0u));
	lo = create(1);
	hi = create(DOMID_FIRST_RESERVED - 1);		/* 0x7fef, the last leaf */
	assert_non_null(lo);
	assert_non_null(hi);
	assert_ptr_equal(domain_get(0x7fef), hi);
	assert_int_equal(pages_out, 2 * 7 + 2);		/* two structs, two leaves */
	destroy(lo);
	destroy(hi);
}

static void test_next_walks_in_id_order(void **state)
{
	static const unsigned int ids[] = { 3, 511, 512, 4000, 0x7fef };
	struct domain *d[5], *x;
	unsigned int id = 0, n = 0;

	(void)state;
	for (unsigned int i = 0; i < 5; i++)
		d[i] = create(ids[i]);
	assert_int_equal(domain_table_reserve(9), 0);	/* reserved: not walked */
	d[2]->state = DOMAIN_FREE;			/* being destroyed: not walked */
	while ((x = domain_next(&id))) {
		assert_int_equal(x->id, id);
		assert_true(n == 0 || ids[n] > ids[n - 1]);
		if (n == 2)
			n++;				/* 512 skipped */
		assert_ptr_equal(x, d[n]);
		n++;
	}
	assert_int_equal(n, 5);
	domain_table_unreserve(9);
	for (unsigned int i = 0; i < 5; i++)
		destroy(d[i]);
}

static void test_grace_period(void **state)
{
	struct domain *d;

	(void)state;
	d = create(700);				/* leaf 1 */
	assert_int_equal(pages_out, 8);
	destroy(d);
	/* Neither CPU has entered dom0 since: nothing is freed, even by CPU 0 itself. */
	domain_table_reap(&vmm_cpus[0]);
	assert_int_equal(pages_out, 8);
	assert_int_equal(domain_table_pending(), 2);	/* the struct and its leaf */
	/* CPU 1 has; CPU 0 reaps (its own pointers are dead): freed. */
	enter_dom0(1);
	domain_table_reap(&vmm_cpus[0]);
	assert_int_equal(pages_out, 0);
	assert_int_equal(domain_table_pending(), 0);
	/* From CPU 1 the same needs CPU 0's entry; a non-CPU reaper needs both. */
	d = create(701);
	destroy(d);
	enter_dom0(1);
	domain_table_reap(NULL);
	assert_int_equal(pages_out, 8);
	domain_table_reap(&vmm_cpus[1]);
	assert_int_equal(pages_out, 8);
	enter_dom0(0);
	domain_table_reap(&vmm_cpus[1]);
	assert_int_equal(pages_out, 0);
}

static void test_id_free_at_once_struct_later(void **state)
{
	struct domain *a, *b;

	(void)state;
	a = create(42);
	destroy(a);
	/* The id is free for a new domain while the old struct waits out its grace. */
	b = create(42);
	assert_non_null(b);
	assert_ptr_equal(domain_get(42), b);
	assert_int_equal(domain_table_pending(), 1);	/* a; the leaf stayed (b uses it) */
	grace();
	assert_ptr_equal(domain_get(42), b);
	assert_int_equal(pages_out, 7 + 1);
	destroy(b);
}

static void test_retired_leaf_taken_back(void **state)
{
	struct domain *a, *b;

	(void)state;
	a = create(1030);				/* leaf 2 */
	destroy(a);					/* leaf 2 retired with it */
	b = create(1031);				/* takes the retired leaf back */
	assert_int_equal(pages_out, 7 + 7 + 1);
	grace();
	assert_int_equal(pages_out, 7 + 1);
	assert_ptr_equal(domain_get(1031), b);
	destroy(b);
}

static void test_no_pool_for_leaf(void **state)
{
	(void)state;
	pool_fail = 1;
	assert_int_equal(domain_table_reserve(2000), -ENOMEM);
	pool_fail = 0;
	assert_int_equal(domain_table_count(), 0);
	assert_int_equal(domain_table_reserve(2000), 0);
	domain_table_unreserve(2000);
	domain_table_unreserve(2000);			/* twice: nothing more */
	assert_int_equal(domain_table_count(), 0);
}

/* 256 at once, then cycles of 8: ids move on, the pool comes back. */
static void test_many(void **state)
{
	static struct domain *d[256];
	unsigned int next = 1;

	(void)state;
	for (unsigned int i = 0; i < 256; i++)
		assert_non_null(d[i] = create(next++));
	assert_int_equal(domain_table_count(), 256);
	for (unsigned int i = 0; i < 256; i++)
		assert_ptr_equal(domain_get(i + 1), d[i]);
	for (unsigned int i = 0; i < 256; i++)
		destroy(d[i]);
	grace();
	assert_int_equal(pages_out, 0);
	for (unsigned int c = 0; c < 200; c++) {
		for (unsigned int i = 0; i < 8; i++) {
			if (next >= DOMID_FIRST_RESERVED)
				next = 1;
			assert_non_null(d[i] = create(next++));
		}
		for (unsigned int i = 0; i < 8; i++)
			destroy(d[i]);
		if (c % 3 == 0)
			grace();
	}
	grace();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reserve_publish_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_walks_in_id_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grace_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_free_at_once_struct_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retired_leaf_taken_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pool_for_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
