// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's RAM (vmm/core/domain_ram.c): the chunk list from the page
 * pool sized by maxmem, where each chunk sits in guest-physical space
 * (below the gap, then above 4 GiB), the chunks dom0 may not donate, what
 * goes back at destroy, and frames given back and populated again.
 *
 * The chunks are host buffers; their "host physical" address is the
 * buffer's minus DIRECTMAP_BASE, so the direct map reaches them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "errno.h"
#include "page_alloc.h"
#include "vmm.h"
#include <xvmm/ram_layout.h>

#define MIB		(1ull << 20)
#define CHUNK		XVMM_CHUNK_SIZE
#define MAX_CHUNKS	8

/* ---- fakes: the pool, dom0's nested table, the domain's --------------- */

struct xvmm_boot_info xvmm_boot_info;
volatile u64 dom0_npt_generation;
static unsigned int pool_pages_out, pool_fail_after = ~0u;

static struct { u64 pa; unsigned int n, left; } blocks[16];

void *page_alloc_contig(unsigned int n, u64 *pa)
{
	unsigned int i;
	void *p;

	if (pool_fail_after == 0)
		return NULL;
	pool_fail_after--;
	p = aligned_alloc(4096, (size_t)n * 4096);
	assert_non_null(p);
	memset(p, 0, (size_t)n * 4096);
	for (i = 0; i < 16 && blocks[i].left; i++)
		;
	assert_true(i < 16);
	blocks[i].pa = *pa = (u64)(uintptr_t)p;
	blocks[i].n = blocks[i].left = n;
	pool_pages_out += n;
	return p;
}

/* One page at a time, as the real pool; the block goes back with its last page. */
void page_free(u64 pa)
{
	for (unsigned int i = 0; i < 16; i++) {
		if (!blocks[i].left || pa < blocks[i].pa || pa >= blocks[i].pa + blocks[i].n * 4096ull)
			continue;
		pool_pages_out--;
		if (--blocks[i].left == 0)
			free((void *)(uintptr_t)blocks[i].pa);
		return;
	}
	fail_msg("page_free(%llx): not allocated", (unsigned long long)pa);
}

u64 dom0_npt_changed(void)
{
	return ++dom0_npt_generation;
}

bool pa_overlaps_vmm(u64 pa, u64 len)
{
	(void)len;
	return pa == 0x1000000;	/* "VMM memory" */
}

static unsigned int nr_hidden, nr_restored;
static int hide_fail_at = -1;

static int fake_dom0_hide(u64 pa, u64 size)
{
	assert_int_equal(size, CHUNK);
	if ((int)nr_hidden == hide_fail_at)
		return -EBUSY;
	(void)pa;
	nr_hidden++;
	return 0;
}

static int fake_dom0_restore(u64 pa, u64 size)
{
	const u8 *p = (const u8 *)(uintptr_t)(DIRECTMAP_BASE + pa);

	assert_int_equal(size, CHUNK);
	for (u64 i = 0; i < CHUNK; i += 4096)
		assert_int_equal(p[i], 0);	/* scrubbed before dom0 has it back */
	nr_restored++;
	return 0;
}

/* The domain's nested table, 4 KiB at a time. */
static u64 npt_gpa[4096], npt_hpa[4096];
static unsigned int npt_n;
static bool npt_fail;

static int fake_map(struct domain *d, u64 gpa, u64 hpa)
{
	(void)d;
	if (npt_fail)
		return -ENOMEM;
	for (unsigned int i = 0; i < npt_n; i++)
		if (npt_gpa[i] == gpa) {
			npt_hpa[i] = hpa;
			return 0;
		}
	assert_true(npt_n < 4096);
	npt_gpa[npt_n] = gpa;
	npt_hpa[npt_n++] = hpa;
	return 0;
}

static int fake_unmap(struct domain *d, u64 gpa)
{
	(void)d;
	if (npt_fail)
		return -ENOMEM;
	for (unsigned int i = 0; i < npt_n; i++)
		if (npt_gpa[i] == gpa) {
			npt_gpa[i] = npt_gpa[--npt_n];
			npt_hpa[i] = npt_hpa[npt_n];
			return 0;
		}
	return 0;	/* was a 2 MiB leaf: split, the page gone */
}

static bool npt_has(u64 gpa, u64 *hpa)
{
	for (unsigned int i = 0; i < npt_n; i++)
		if (npt_gpa[i] == gpa) {
			*hpa = npt_hpa[i];
			return true;
		}
	return false;
}

static const struct vmm_vendor fake_vendor = {
	.dom0_hide = fake_dom0_hide, .dom0_restore = fake_dom0_restore,
	.domain_map_page = fake_map, .domain_unmap_page = fake_unmap,
};
const struct vmm_vendor *vendor = &fake_vendor;

/* ---- helpers ------------------------------------------------------------ */

static struct domain *d;
static u8 *chunk_mem[MAX_CHUNKS];
static u64 chunk_pa[MAX_CHUNKS];

static int setup(void **state)
{
	(void)state;
	d = calloc(1, DOMAIN_SIZE(DOMAIN_MAX_VCPUS));
	assert_non_null(d);
	xvmm_boot_info.ram_end = ~0ull;
	for (unsigned int i = 0; i < MAX_CHUNKS; i++) {
		chunk_mem[i] = aligned_alloc(CHUNK, CHUNK);
		assert_non_null(chunk_mem[i]);
		memset(chunk_mem[i], 0, CHUNK);
		chunk_pa[i] = (u64)(uintptr_t)chunk_mem[i] - DIRECTMAP_BASE;
	}
	nr_hidden = nr_restored = npt_n = 0;
	hide_fail_at = -1;
	npt_fail = false;
	pool_pages_out = 0;
	pool_fail_after = ~0u;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < MAX_CHUNKS; i++)
		free(chunk_mem[i]);
	free(d);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_take_and_give_back(void **state)
{
	(void)state;
	memset(chunk_mem[1], 0x55, CHUNK);	/* the driver zeroes them; here the VMM must scrub what the guest wrote */
	assert_int_equal(domain_ram_take(d, 4 * CHUNK, 4 * CHUNK, chunk_pa), 0);
	assert_int_equal(d->nr_ram_chunks, 4);
	assert_int_equal(nr_hidden, 4);
	assert_int_equal(pool_pages_out, 2);	/* the list and the bitmap (8 MiB: one page each) */
	assert_non_null(d->ram_absent);
	assert_int_equal(domain_ram_pages(d), 4 * CHUNK / 4096);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(d->ram_chunk_pa[i], chunk_pa[i]);
	/* RAM byte n is byte n of the chunk list. */
	assert_int_equal(domain_ram_hpa(d, 0), chunk_pa[0]);
	assert_int_equal(domain_ram_hpa(d, 3 * CHUNK + 0x1234), chunk_pa[3] + 0x1234);
	assert_int_equal(domain_ram_hpa(d, 4 * CHUNK), 0);
	assert_true(domain_ram_frame_of(d, 4 * CHUNK / 4096 - 1));
	assert_false(domain_ram_frame_of(d, 4 * CHUNK / 4096));
	assert_false(domain_ram_frame_of(d, ~0ull));
	memset(chunk_mem[2] + 100, 0x77, 5000);	/* the guest's data, scrubbed at the end */
	domain_ram_give_back(d);
	assert_int_equal(nr_restored, 4);
	assert_int_equal(pool_pages_out, 0);
	assert_int_equal(d->nr_ram_chunks, 0);
	assert_null(d->ram_chunk_pa);
}

static void test_refused_chunks(void **state)
{
	u64 list[4];

	(void)state;
	/* Sizes: none, not 2 MiB multiples, maxmem below memory. */
	assert_int_equal(domain_ram_take(d, 0, 0, chunk_pa), -EINVAL);
	assert_int_equal(domain_ram_take(d, CHUNK + 4096, 2 * CHUNK, chunk_pa), -EINVAL);
	assert_int_equal(domain_ram_take(d, 2 * CHUNK, CHUNK, chunk_pa), -EINVAL);
	assert_int_equal(domain_ram_take(d, CHUNK, (u64)(DOMAIN_MAX_RAM_CHUNKS + 1) * CHUNK, chunk_pa),
			 -EINVAL);
	assert_int_equal(pool_pages_out, 0);
	/* A misaligned chunk, VMM memory, one past RAM's end: what was hidden comes back. */
	memcpy(list, chunk_pa, sizeof(list));
	list[2] = chunk_pa[2] + 4096;
	assert_int_equal(domain_ram_take(d, 4 * CHUNK, 4 * CHUNK, list), -EINVAL);
	assert_int_equal(nr_hidden, 2);
	assert_int_equal(nr_restored, 2);
	assert_int_equal(pool_pages_out, 0);
	nr_hidden = nr_restored = 0;
	list[2] = 0x1000000;
	assert_int_equal(domain_ram_take(d, 4 * CHUNK, 4 * CHUNK, list), -EINVAL);
	assert_int_equal(nr_restored, nr_hidden);
	nr_hidden = nr_restored = 0;
	list[2] = ~0ull & ~(CHUNK - 1);		/* wraps */
	assert_int_equal(domain_ram_take(d, 4 * CHUNK, 4 * CHUNK, list), -EINVAL);
	assert_int_equal(nr_restored, nr_hidden);
	/* Dom0 no longer owns one (given to another domain). */
	nr_hidden = nr_restored = 0;
	hide_fail_at = 3;
	assert_int_equal(domain_ram_take(d, 4 * CHUNK, 4 * CHUNK, chunk_pa), -EBUSY);
	assert_int_equal(nr_restored, 3);
	assert_int_equal(pool_pages_out, 0);
	/* No pool page for the list, or for the bitmap: every chunk goes back. */
	hide_fail_at = -1;
	pool_fail_after = 0;
	assert_int_equal(domain_ram_take(d, CHUNK, CHUNK, chunk_pa), -ENOMEM);
	nr_hidden = nr_restored = 0;
	pool_fail_after = 1;
	assert_int_equal(domain_ram_take(d, 2 * CHUNK, 4 * CHUNK, chunk_pa), -ENOMEM);
	assert_int_equal(nr_hidden, 4);
	assert_int_equal(nr_restored, 4);
	assert_int_equal(pool_pages_out, 0);
}

/* maxmem above memory: frames past memory start given back, ready to populate. */
static void test_maxmem_and_balloon(void **state)
{
	const u64 first_out = 2 * CHUNK / 4096;
	u64 hpa;

	(void)state;
	assert_int_equal(domain_ram_take(d, 2 * CHUNK, 4 * CHUNK, chunk_pa), 0);
	assert_int_equal(d->nr_ram_chunks, 4);		/* all of maxmem donated */
	assert_non_null(d->ram_absent);
	assert_int_equal(domain_ram_pages(d), first_out);
	assert_int_equal(domain_ram_hpa(d, first_out * 4096), 0);
	assert_true(domain_ram_frame_of(d, first_out));
	/* Give a populated frame back: out of the nested table, counted, twice refused. */
	chunk_mem[0][5 * 4096] = 0x42;
	assert_int_equal(domain_ram_remove(d, 5), 0);
	assert_int_equal(domain_ram_hpa(d, 5 * 4096), 0);
	assert_int_equal(domain_ram_pages(d), first_out - 1);
	assert_int_equal(domain_ram_remove(d, 5), -ENOENT);
	assert_int_equal(domain_ram_remove(d, 4 * CHUNK / 4096), -EINVAL);
	/* Populated again: its own page, zeroed, mapped. */
	assert_int_equal(domain_ram_populate(d, 5), 0);
	assert_int_equal(chunk_mem[0][5 * 4096], 0);
	assert_true(npt_has(5 * 4096, &hpa));
	assert_int_equal(hpa, chunk_pa[0] + 5 * 4096);
	assert_int_equal(domain_ram_populate(d, 5), 0);	/* populated: nothing changes */
	assert_int_equal(domain_ram_pages(d), first_out);
	/* Past memory, up to maxmem. */
	memset(chunk_mem[3] + CHUNK - 4096, 0x99, 4096);
	assert_int_equal(domain_ram_populate(d, 4 * CHUNK / 4096 - 1), 0);
	assert_int_equal(chunk_mem[3][CHUNK - 1], 0);
	assert_int_equal(domain_ram_pages(d), first_out + 1);
	assert_int_equal(domain_ram_populate(d, 4 * CHUNK / 4096), -EINVAL);
	/* The table cannot change (no page for a split): nothing counted. */
	npt_fail = true;
	assert_int_equal(domain_ram_remove(d, 6), -ENOMEM);
	assert_int_equal(domain_ram_populate(d, first_out), -ENOMEM);
	assert_int_equal(domain_ram_pages(d), first_out + 1);
	assert_int_equal(domain_ram_hpa(d, 6 * 4096), chunk_pa[0] + 6 * 4096);
	npt_fail = false;
	domain_ram_give_back(d);
	assert_int_equal(pool_pages_out, 0);	/* list and bitmap */
	assert_null(d->ram_absent);
}

/* RAM past the gap sits at 4 GiB: a domain of 4032 MiB + 4 MiB, chunk list faked around it. */
static void test_above_4g(void **state)
{
	const u64 low_chunks = XVMM_RAM_LOW_END / CHUNK;	/* 2016 */
	const u64 n = low_chunks + 2;
	u64 *list = calloc(n, sizeof(u64));
	unsigned long long off;

	(void)state;
	assert_non_null(list);
	/* Every chunk of the list is one of our 8 buffers: only the addresses matter here. */
	for (u64 i = 0; i < n; i++)
		list[i] = chunk_pa[i % MAX_CHUNKS];
	assert_int_equal(domain_ram_take(d, n * CHUNK, n * CHUNK, list), 0);
	assert_int_equal(pool_pages_out, 4 + 32);	/* 2018 entries: 4 pages of list; 1033216 bits: 32 of bitmap */
	assert_int_equal(domain_ram_hpa(d, XVMM_RAM_LOW_END - 4096), list[low_chunks - 1] + CHUNK - 4096);
	assert_int_equal(domain_ram_hpa(d, XVMM_RAM_LOW_END), 0);		/* the gap */
	assert_int_equal(domain_ram_hpa(d, 0xfee00000ull), 0);
	assert_int_equal(domain_ram_hpa(d, 1ull << 32), list[low_chunks]);
	assert_int_equal(domain_ram_hpa(d, (1ull << 32) + CHUNK + 8), list[low_chunks + 1] + 8);
	assert_int_equal(domain_ram_hpa(d, (1ull << 32) + 2 * CHUNK), 0);
	assert_false(domain_ram_frame_of(d, XVMM_RAM_LOW_END / 4096));
	assert_true(domain_ram_frame_of(d, (1ull << 32) / 4096));
	assert_true(xvmm_ram_off((1ull << 32) + 5, n * CHUNK, &off));
	assert_int_equal(off, XVMM_RAM_LOW_END + 5);
	/* Ballooning above 4 GiB: the nested table changes at the high address. */
	assert_int_equal(domain_ram_remove(d, (1ull << 32) / 4096 + 3), 0);
	assert_int_equal(domain_ram_hpa(d, (1ull << 32) + 3 * 4096), 0);
	assert_int_equal(domain_ram_populate(d, (1ull << 32) / 4096 + 3), 0);
	{
		u64 hpa;

		assert_true(npt_has((1ull << 32) + 3 * 4096, &hpa));
		assert_int_equal(hpa, list[low_chunks] + 3 * 4096);
	}
	free(list);
	/* Scrub and restore only the first 8 entries: the rest repeat the same buffers. */
	d->nr_ram_chunks = MAX_CHUNKS;
	domain_ram_give_back(d);
	assert_int_equal(nr_restored, MAX_CHUNKS);
	assert_int_equal(pool_pages_out, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_take_and_give_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maxmem_and_balloon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_above_4g, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
