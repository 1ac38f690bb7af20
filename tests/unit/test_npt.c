// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page-table builder (vmm/arch/x86/paging.c) and dom0's nested page
 * table (vmm/arch/x86/svm/npt.c), on host memory: ranges, large pages,
 * splits, holes for VMM memory, and running out of pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "paging.h"
#include "vmm.h"

/* Stubs for what npt.c links against in the VMM. */
struct xvmm_boot_info xvmm_boot_info;
void vmm_log(const char *fmt, ...) { (void)fmt; }
const struct pt_ops vmm_pt_ops;
int npt_build_dom0_with(const struct pt_ops *ops, const struct xvmm_boot_info *bi,
			u64 junk_pa, u64 *root_pa, int max_level);
int npt_dom0_grant_with(struct pt *pt, u64 junk_pa, u64 pa, enum dom0_access access);
bool npt_dom0_owns_with(const struct pt *pt, u64 pa, u64 size);

/* A fake physical memory: page n lives at "physical" address BASE + n * 4K. */
#define POOL_PAGES	4096
#define POOL_BASE	0x40000000ull
static u8 (*pool)[PAGE_SIZE];
static unsigned int pool_used, pool_limit, pool_freed;

static void *fake_alloc(u64 *pa)
{
	if (pool_used >= pool_limit)
		return NULL;
	memset(pool[pool_used], 0, PAGE_SIZE);
	*pa = POOL_BASE + (u64)pool_used * PAGE_SIZE;
	return pool[pool_used++];
}

static void fake_free(u64 pa)
{
	(void)pa;
	pool_freed++;
}

static void *fake_va(u64 pa)
{
	assert_true(pa >= POOL_BASE && pa < POOL_BASE + (u64)POOL_PAGES * PAGE_SIZE);
	return pool[(pa - POOL_BASE) / PAGE_SIZE];
}

static const struct pt_ops ops = { fake_alloc, fake_free, fake_va };

static int setup(void **state)
{
	(void)state;
	pool = calloc(POOL_PAGES, PAGE_SIZE);
	pool_used = pool_freed = 0;
	pool_limit = POOL_PAGES;
	return pool ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

static void expect_leaf(struct pt *pt, u64 va, u64 pa, int level)
{
	int got_level = 0;
	u64 e = pt_lookup(pt, va, &got_level);

	assert_true(e & PTE_P);
	assert_int_equal(got_level, level);
	assert_int_equal((e & PTE_ADDR_MASK) + (va & (pt_level_size(level) - 1)), pa);
}

static void test_large_pages_when_aligned(void **state)
{
	struct pt pt;

	(void)state;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW, 3), 0);
	/* 1 GiB-aligned 2 GiB: two 1 GiB leaves, one PML4 + one PDPT page. */
	assert_int_equal(pt_map(&pt, 0, 0, 2 * SZ_1G, PTE_RW), 0);
	expect_leaf(&pt, 0x12345000, 0x12345000, 3);
	expect_leaf(&pt, SZ_1G + 0x1000, SZ_1G + 0x1000, 3);
	assert_int_equal(pool_used, 2);
	assert_int_equal(pt_lookup(&pt, 2 * SZ_1G, NULL), 0);
}

/* No root page: root_pa is 0 whatever the struct held, so pt_destroy() frees nothing. */
static void test_init_without_root_page(void **state)
{
	struct pt pt;

	(void)state;
	memset(&pt, 0x5a, sizeof(pt));
	pool_limit = 0;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW, 2), -12);
	assert_int_equal(pt.root_pa, 0);
	pt_destroy(&pt);
	assert_int_equal(pool_freed, 0);
}

static void test_unaligned_uses_smaller_pages(void **state)
{
	struct pt pt;

	(void)state;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW, 3), 0);
	/* [2M - 4K, 4M + 4K): 4K, one 2M leaf, 4K. */
	assert_int_equal(pt_map(&pt, SZ_2M - PAGE_SIZE, SZ_2M - PAGE_SIZE,
				SZ_2M + 2 * PAGE_SIZE, PTE_RW), 0);
	expect_leaf(&pt, SZ_2M - PAGE_SIZE, SZ_2M - PAGE_SIZE, 1);
	expect_leaf(&pt, SZ_2M + 0x5000, SZ_2M + 0x5000, 2);
	expect_leaf(&pt, 2 * SZ_2M, 2 * SZ_2M, 1);
	assert_int_equal(pt_lookup(&pt, 2 * SZ_2M + PAGE_SIZE, NULL), 0);
	/* va and pa of different alignment: 4 KiB pages only. */
	assert_int_equal(pt_map(&pt, 8 * SZ_2M, 9 * SZ_2M + PAGE_SIZE, SZ_2M, PTE_RW), 0);
	expect_leaf(&pt, 8 * SZ_2M + 0x3000, 9 * SZ_2M + 0x4000, 1);
}

static void test_split_keeps_the_rest(void **state)
{
	struct pt pt;

	(void)state;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW | PTE_US, 3), 0);
	assert_int_equal(pt_map(&pt, 0, 0, SZ_1G, PTE_RW | PTE_US), 0);
	/* Remap one 4 KiB page inside the 1 GiB leaf elsewhere. */
	assert_int_equal(pt_map(&pt, 0x30201000, 0x7000, PAGE_SIZE, PTE_US), 0);
	expect_leaf(&pt, 0x30201000, 0x7000, 1);
	assert_false(pt_lookup(&pt, 0x30201000, NULL) & PTE_RW);
	/* Its neighbours still map 1:1, at 4K in the same 2M, 2M elsewhere. */
	expect_leaf(&pt, 0x30200000, 0x30200000, 1);
	expect_leaf(&pt, 0x30202000, 0x30202000, 1);
	expect_leaf(&pt, 0x30400000, 0x30400000, 2);
	expect_leaf(&pt, 0x00000000, 0x00000000, 2);
	assert_true(pt_lookup(&pt, 0x30400000, NULL) & PTE_US);
	assert_true(pt_lookup(&pt, 0x30400000, NULL) & PTE_RW);
}

static void test_unmap_and_bad_args(void **state)
{
	struct pt pt;

	(void)state;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW, 2), 0);
	assert_int_equal(pt_map(&pt, 0, 0, 4 * SZ_2M, PTE_RW), 0);
	expect_leaf(&pt, SZ_2M, SZ_2M, 2);		/* max level 2: no 1 GiB leaves */
	assert_int_equal(pt_unmap(&pt, SZ_2M + PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(pt_lookup(&pt, SZ_2M + PAGE_SIZE, NULL), 0);
	expect_leaf(&pt, SZ_2M, SZ_2M, 1);
	assert_int_equal(pt_map(&pt, 0x1001, 0, PAGE_SIZE, 0), -22);
	assert_int_equal(pt_map(&pt, 0, 0, 0x800, 0), -22);
	assert_int_equal(pt_map(&pt, ~0ull & PAGE_MASK, 0, 2 * PAGE_SIZE, 0), -22);
	assert_int_equal(pt_init(&pt, &ops, 0, 4), -22);
}

static void test_out_of_pages(void **state)
{
	struct pt pt;

	(void)state;
	assert_int_equal(pt_init(&pt, &ops, PTE_RW, 3), 0);
	pool_limit = pool_used + 1;
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_SIZE, PTE_RW), -12);
}

static void test_dom0_npt_hides_vmm_chunks(void **state)
{
	struct xvmm_boot_info bi = { 0 };
	struct pt pt = { .ops = &ops };
	const u64 junk = 0x7777000;
	u64 root;
	int level;

	(void)state;
	bi.nr_chunks = 2;
	bi.chunk_pa[0] = 0x3c000000;		/* below 1 GiB */
	bi.chunk_pa[1] = 0x3ee00000;
	bi.phys_limit = 1ull << 40;		/* 1 TiB: RAM and MMIO above it */
	assert_int_equal(npt_build_dom0_with(&ops, &bi, junk, &root, 3), 0);
	pt.root_pa = root;

	/* Every VMM page is backed by the junk page, user + writable. */
	for (u64 off = 0; off < XVMM_CHUNK_SIZE; off += PAGE_SIZE) {
		for (int c = 0; c < 2; c++) {
			u64 e = pt_lookup(&pt, bi.chunk_pa[c] + off, &level);

			assert_int_equal(level, 1);
			assert_int_equal(e & PTE_ADDR_MASK, junk);
			assert_true((e & (PTE_P | PTE_RW | PTE_US)) == (PTE_P | PTE_RW | PTE_US));
		}
	}
	/* Around them, 1:1 with the largest pages that fit. */
	expect_leaf(&pt, 0x3c000000 - PAGE_SIZE, 0x3c000000 - PAGE_SIZE, 2);
	expect_leaf(&pt, 0x3c200000, 0x3c200000, 2);
	expect_leaf(&pt, 0x3f000000, 0x3f000000, 2);
	expect_leaf(&pt, SZ_1G, SZ_1G, 3);
	expect_leaf(&pt, 0xfee00000, 0xfee00000, 3);		/* LAPIC MMIO */
	expect_leaf(&pt, (1ull << 40) - PAGE_SIZE, (1ull << 40) - PAGE_SIZE, 3);
	assert_int_equal(pt_lookup(&pt, 1ull << 40, NULL), 0);
	assert_true(pt_lookup(&pt, 0xfee00000, NULL) & PTE_US);
	/* A handful of table pages, not one per 4 KiB of the address space. */
	assert_true(pool_used < 16);
}

/*
 * A granted guest page (hidden, junk-backed) comes back 1:1 read-only or
 * read-write, marked as a grant, and goes back to junk; nothing that is
 * not a hidden page or a grant mapping can be turned into one.
 */
static void test_dom0_npt_grant(void **state)
{
	struct xvmm_boot_info bi = { 0 };
	struct pt pt = { .ops = &ops };
	const u64 junk = 0x7777000, page = 0x3c003000;
	u64 root, e;
	int level;

	(void)state;
	bi.nr_chunks = 1;
	bi.chunk_pa[0] = 0x3c000000;		/* stands for a chunk given to a guest */
	bi.phys_limit = 1ull << 32;
	assert_int_equal(npt_build_dom0_with(&ops, &bi, junk, &root, 2), 0);
	pt.root_pa = root;
	assert_false(npt_dom0_owns_with(&pt, page, PAGE_SIZE));

	assert_int_equal(npt_dom0_grant_with(&pt, junk, page, DOM0_READ), 0);
	e = pt_lookup(&pt, page, &level);
	assert_int_equal(level, 1);
	assert_int_equal(e & PTE_ADDR_MASK, page);
	assert_true((e & (PTE_P | PTE_US)) == (PTE_P | PTE_US));
	assert_false(e & PTE_RW);
	/* 1:1, but a grant: never dom0's own to give away or to copy into. */
	assert_false(npt_dom0_owns_with(&pt, page, PAGE_SIZE));
	/* Its neighbours stay junk. */
	assert_int_equal(pt_lookup(&pt, page + PAGE_SIZE, NULL) & PTE_ADDR_MASK, junk);
	assert_int_equal(pt_lookup(&pt, page - PAGE_SIZE, NULL) & PTE_ADDR_MASK, junk);

	assert_int_equal(npt_dom0_grant_with(&pt, junk, page, DOM0_READ_WRITE), 0);
	e = pt_lookup(&pt, page, NULL);
	assert_true(e & PTE_RW);
	assert_int_equal(e & PTE_ADDR_MASK, page);

	assert_int_equal(npt_dom0_grant_with(&pt, junk, page, DOM0_NO_ACCESS), 0);
	e = pt_lookup(&pt, page, NULL);
	assert_int_equal(e & PTE_ADDR_MASK, junk);
	assert_true(e & PTE_RW);
	/* Again from junk: idempotent. */
	assert_int_equal(npt_dom0_grant_with(&pt, junk, page, DOM0_NO_ACCESS), 0);

	/* Dom0's own RAM (a 2 MiB leaf, or a 4 KiB 1:1 page), unaligned, bad access. */
	assert_int_equal(npt_dom0_grant_with(&pt, junk, 0x3c200000, DOM0_READ), -22);
	assert_int_equal(npt_dom0_grant_with(&pt, junk, 0x1000, DOM0_READ_WRITE), -22);
	assert_int_equal(npt_dom0_grant_with(&pt, junk, page + 8, DOM0_READ), -22);
	assert_int_equal(npt_dom0_grant_with(&pt, junk, page, (enum dom0_access)7), -22);
	assert_int_equal(npt_dom0_grant_with(&pt, junk, 1ull << 33, DOM0_READ), -22);
	assert_true(npt_dom0_owns_with(&pt, 0x3c200000, PAGE_SIZE));
}

static void test_dom0_npt_bad_limit(void **state)
{
	struct xvmm_boot_info bi = { 0 };
	u64 root;

	(void)state;
	bi.phys_limit = 0x1234;
	assert_int_equal(npt_build_dom0_with(&ops, &bi, 0, &root, 3), -22);
	bi.phys_limit = 0;
	assert_int_equal(npt_build_dom0_with(&ops, &bi, 0, &root, 3), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_large_pages_when_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_uses_smaller_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_keeps_the_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_and_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom0_npt_hides_vmm_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom0_npt_bad_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dom0_npt_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_without_root_page, setup, teardown),
	};

	return cmocka_run_group_tests_name("npt", tests, NULL, NULL);
}
