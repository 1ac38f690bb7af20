// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest page walk (vmm/core/guest_walk.c) over tables built in the
 * fake guest RAM, and hypercall buffers copied through it
 * (vmm/xen/guest_copy.c): paging off, 32-bit, PAE, 4- and 5-level long
 * mode, large pages, present and writable checks.
 */
#include "test_xen_fakes.h"
#include "guest_walk.h"
#include "xen_internal.h"

#define P	1ull
#define RW	2ull
#define PS	0x80ull
#define CR0_PE_PG_WP	(1ull | (1ull << 31) | (1ull << 16))

static void put32(u64 gpa, u32 v) { memcpy(fake_ram + gpa, &v, 4); }
static void put64(u64 gpa, u64 v) { memcpy(fake_ram + gpa, &v, 8); }

static u64 walk(u64 la, bool write, int *rc)
{
	u64 gpa = 0xdead;

	*rc = guest_linear_to_gpa(fv, la, write, &gpa);
	return gpa;
}

static void test_paging_off(void **state)
{
	int rc;

	(void)state;
	assert_int_equal(walk(0x12345, false, &rc), 0x12345);
	assert_int_equal(rc, 0);
	/* 32 bits only. */
	assert_int_equal(walk(0x100012345ull, true, &rc), 0x12345);
}

static void test_2level(void **state)
{
	int rc;

	(void)state;
	fake_cr[0] = CR0_PE_PG_WP;
	fake_cr[3] = 0x1000;
	/* la 0x00401234: PDE 1 -> PT at 0x2000, PTE 1 -> frame 0x5000. */
	put32(0x1000 + 1 * 4, 0x2000 | P | RW);
	put32(0x2000 + 1 * 4, 0x5000 | P);
	assert_int_equal(walk(0x00401234, false, &rc), 0x5234);
	assert_int_equal(rc, 0);
	walk(0x00401234, true, &rc);		/* read-only, CR0.WP */
	assert_int_equal(rc, -14);
	fake_cr[0] &= ~(1ull << 16);		/* WP off: supervisor writes pass */
	assert_int_equal(walk(0x00401234, true, &rc), 0x5234);
	assert_int_equal(rc, 0);
	/* 4 MiB page at PDE 2 only with CR4.PSE; PSE-36 bits 20:13. */
	put32(0x1000 + 2 * 4, 0x00c00000 | (1u << 13) | P | RW | PS);
	fake_cr[4] = 1u << 4;
	assert_int_equal(walk(0x00812345, false, &rc), 0x100c12345ull);
	/* Not present. */
	walk(0x00c00000, false, &rc);
	assert_int_equal(rc, -14);
}

static void test_pae(void **state)
{
	int rc;

	(void)state;
	fake_cr[0] = CR0_PE_PG_WP;
	fake_cr[4] = 1u << 5;
	fake_cr[3] = 0x1020;			/* 32-byte aligned PDPT */
	put64(0x1020 + 3 * 8, 0x2000 | P);	/* PDPTE 3: no R/W bit */
	put64(0x2000 + 5 * 8, 0x3000 | P | RW);
	put64(0x3000 + 7 * 8, 0x6000 | P | RW);
	/* la = 3 << 30 | 5 << 21 | 7 << 12 | 0x89 */
	assert_int_equal(walk(0xc0a07089ull, true, &rc), 0x6089);
	assert_int_equal(rc, 0);
	put64(0x2000 + 6 * 8, 0x200000 | P | RW | PS);	/* 2 MiB */
	assert_int_equal(walk(0xc0c12345ull, true, &rc), 0x212345);
}

static void build_long(void)
{
	fake_cr[0] = CR0_PE_PG_WP;
	fake_cr[4] = 1u << 5;
	fake_efer = (1u << 10) | (1u << 8);
	fake_cr[3] = 0x1000;
	/* la 0xffff888000000000: PML4 273, PDPT 0, PD 0, PT 1. */
	put64(0x1000 + 273 * 8, 0x2000 | P | RW);
	put64(0x2000, 0x3000 | P | RW);
	put64(0x3000, 0x4000 | P | RW);
	put64(0x4000 + 1 * 8, 0x7000 | P | RW);
	put64(0x4000 + 2 * 8, 0x9000 | P | RW);
}

static void test_long_mode(void **state)
{
	int rc;

	(void)state;
	build_long();
	assert_int_equal(walk(0xffff888000001abcull, true, &rc), 0x7abc);
	assert_int_equal(rc, 0);
	/* 2 MiB at PD 1, 1 GiB at PDPT 1. */
	put64(0x3000 + 8, 0x400000 | P | RW | PS);
	assert_int_equal(walk(0xffff888000212345ull, false, &rc), 0x412345);
	put64(0x2000 + 8, 0x40000000 | P | RW | PS);
	assert_int_equal(walk(0xffff888041234567ull, false, &rc), 0x41234567);
	/* Non-canonical, not present. */
	walk(0x0000888000001000ull | (1ull << 47), false, &rc);
	assert_int_equal(rc, -14);
	walk(0xffff888000003000ull, false, &rc);
	assert_int_equal(rc, -14);
	/* A table outside the domain's memory. */
	put64(0x1000 + 274 * 8, FAKE_BAD_GPA | P | RW);
	walk(0xffff890000000000ull, false, &rc);
	assert_int_equal(rc, -14);
	/* 5-level: LA57 adds a level above (PML5 index 0 here: 0x8000). */
	fake_cr[4] |= 1u << 12;
	fake_cr[3] = 0x8000;
	put64(0x8000 + 511 * 8, 0x1000 | P | RW);
	assert_int_equal(walk(0xfffe888000001abcull | (0x1ffull << 48), false, &rc), 0x7abc);
	assert_int_equal(rc, 0);
}

/* A buffer over two linear pages that map to frames far apart. */
static void test_copy_across_pages(void **state)
{
	u8 buf[16], out[16];

	(void)state;
	build_long();
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i + 1);
	assert_int_equal(xen_copy_to_guest(fv, 0xffff888000001ff8ull, buf, sizeof(buf)), 0);
	assert_memory_equal(fake_ram + 0x7ff8, buf, 8);
	assert_memory_equal(fake_ram + 0x9000, buf + 8, 8);
	assert_int_equal(xen_copy_from_guest(fv, out, 0xffff888000001ff8ull, sizeof(out)), 0);
	assert_memory_equal(out, buf, sizeof(buf));
	/* The second page missing: -EFAULT. */
	put64(0x4000 + 2 * 8, 0);
	assert_int_equal(xen_copy_from_guest(fv, out, 0xffff888000001ff8ull, sizeof(out)), -14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paging_off, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_2level, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pae, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_long_mode, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_copy_across_pages, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
