// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/cli/ranges.c: which guest-physical ranges of a built
 * image `xvmm create` copies with DOM_WRITE, and how they are cut in pieces.
 * Synthetic build results, and one real build through libxvmm whose every
 * non-zero byte must lie inside a listed range.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvh_elf_fixture.h"

#include <xen/elfnote.h>
#include "cli.h"

static struct xvmm_build_result res;

static void base_result(void)
{
	memset(&res, 0, sizeof(res));
	res.elf.nr_segs = 1;
	res.elf.segs[0] = (struct elf_segment){ .paddr = 0x1000000, .filesz = 0x2345, .memsz = 0x3000 };
	res.layout.ram_size = 64ull << 20;
	res.layout.bootinfo_addr = 0x1003000;
	res.layout.acpi_addr = XVMM_ACPI_BASE;
	res.layout.spages_addr = XVMM_SPAGES_BASE;
	res.acpi.used = 0x2f0;
}

static void test_kernel_bootinfo_acpi_spages(void **state)
{
	struct cli_range r[CLI_MAX_RANGES];

	(void)state;
	base_result();
	/* kernel and boot-info page touch: one range; ACPI and special pages apart. */
	assert_int_equal(cli_write_ranges(&res, r, CLI_MAX_RANGES), 3);
	assert_int_equal(r[0].gpa, 0x1000000);
	assert_int_equal(r[0].len, 0x4000);
	assert_int_equal(r[1].gpa, XVMM_ACPI_BASE);
	assert_int_equal(r[1].len, 0x1000);
	assert_int_equal(r[2].gpa, XVMM_SPAGES_BASE);
	assert_int_equal(r[2].len, XVMM_SPAGES_SIZE);
}

static void test_ramdisk_and_unaligned_segments(void **state)
{
	struct cli_range r[CLI_MAX_RANGES];

	(void)state;
	base_result();
	res.elf.nr_segs = 3;
	/* out of order, unaligned, one inside another page, a gap */
	res.elf.segs[0] = (struct elf_segment){ .paddr = 0x200800, .memsz = 0x100 };
	res.elf.segs[1] = (struct elf_segment){ .paddr = 0x100010, .memsz = 0x1000 };
	res.elf.segs[2] = (struct elf_segment){ .paddr = 0x200f00, .memsz = 0x200 };
	res.layout.ramdisk_addr = 0x203000;
	res.layout.ramdisk_size = 0x1801;
	res.layout.bootinfo_addr = 0x205000;
	res.acpi.used = XVMM_ACPI_SIZE;		/* full: ACPI and special pages merge */
	assert_int_equal(cli_write_ranges(&res, r, CLI_MAX_RANGES), 4);
	assert_int_equal(r[0].gpa, 0x100000);
	assert_int_equal(r[0].len, 0x2000);
	assert_int_equal(r[1].gpa, 0x200000);
	assert_int_equal(r[1].len, 0x2000);
	assert_int_equal(r[2].gpa, 0x203000);	/* ramdisk + boot-info page */
	assert_int_equal(r[2].len, 0x3000);
	assert_int_equal(r[3].gpa, XVMM_SPECIAL_BASE);
	assert_int_equal(r[3].len, XVMM_SPECIAL_SIZE);
}

static void test_never_merge_ram_with_special(void **state)
{
	struct cli_range r[CLI_MAX_RANGES];

	(void)state;
	base_result();
	/* RAM up to the gap ends exactly where the special window starts. */
	res.layout.ram_size = XVMM_RAM_LOW_END;
	res.layout.bootinfo_addr = XVMM_RAM_LOW_END - XVMM_PAGE_SIZE;
	assert_int_equal(cli_write_ranges(&res, r, CLI_MAX_RANGES), 4);
	assert_int_equal(r[1].gpa + r[1].len, XVMM_RAM_LOW_END);
	assert_int_equal(r[2].gpa, XVMM_SPECIAL_BASE);
}

static void test_too_many(void **state)
{
	struct cli_range r[CLI_MAX_RANGES];

	(void)state;
	base_result();
	assert_int_equal(cli_write_ranges(&res, r, 2), -E2BIG);
	res.elf.nr_segs = ELF_LOAD_MAX_SEGS;
	for (unsigned int i = 0; i < ELF_LOAD_MAX_SEGS; i++)
		res.elf.segs[i] = (struct elf_segment){ .paddr = 0x100000 + i * 0x10000, .memsz = 1 };
	res.layout.ramdisk_addr = 0x300000;
	res.layout.ramdisk_size = 1;
	assert_int_equal(cli_write_ranges(&res, r, CLI_MAX_RANGES), ELF_LOAD_MAX_SEGS + 4);
}

static void test_piece_len(void **state)
{
	(void)state;
	assert_int_equal(cli_piece_len(0, 0x100), 0x100);
	assert_int_equal(cli_piece_len(0, 5ull << 20), 2ull << 20);
	assert_int_equal(cli_piece_len(0x1ff000, 0x3000), 0x1000);
	assert_int_equal(cli_piece_len(0x200000, 0x3000), 0x3000);
	assert_int_equal(cli_piece_len(XVMM_SPECIAL_BASE, XVMM_SPECIAL_SIZE), XVMM_SPECIAL_SIZE);
	assert_int_equal(cli_piece_len(0x3fffff, 2), 1);
	assert_int_equal(cli_piece_len(0x400000, 0), 0);
}

static size_t make_kernel(uint8_t *k)
{
	return make_pvh_elf64(k, 0x100000, 0x1000, 0x3000);
}

static bool covered(const struct cli_range *r, int n, uint64_t gpa)
{
	for (int i = 0; i < n; i++)
		if (gpa >= r[i].gpa && gpa - r[i].gpa < r[i].len)
			return true;
	return false;
}

/* Every byte the real builder wrote is inside a range; little else is. */
static void test_real_build_is_covered(void **state)
{
	static uint8_t k[0x2000];
	const uint64_t ram_size = 8ull << 20;
	uint8_t *ram = calloc(1, ram_size), *special = calloc(1, XVMM_SPECIAL_SIZE);
	struct xvmm_build_params p = {
		.kernel = k, .kernel_size = make_kernel(k),
		.ramdisk = "initrd-bytes", .ramdisk_size = 12,
		.cmdline = "console=hvc0", .nr_vcpus = 2,
	};
	struct cli_range r[CLI_MAX_RANGES];
	struct guest_mem gm;
	struct xvmm_err err;
	uint64_t total = 0;
	int n;

	(void)state;
	assert_non_null(ram);
	assert_non_null(special);
	guest_mem_init(&gm, ram, ram_size, special, XVMM_SPECIAL_BASE, XVMM_SPECIAL_SIZE);
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), 0);
	n = cli_write_ranges(&res, r, CLI_MAX_RANGES);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(r[i].gpa % XVMM_PAGE_SIZE, 0);
		assert_int_equal(r[i].len % XVMM_PAGE_SIZE, 0);
		assert_non_null(guest_mem_ptr(&gm, r[i].gpa, r[i].len));
		if (i)
			assert_true(r[i].gpa > r[i - 1].gpa + r[i - 1].len ||
				    r[i].gpa == XVMM_SPECIAL_BASE);
		total += r[i].len;
	}
	for (uint64_t a = 0; a < ram_size; a++)
		if (ram[a])
			assert_true(covered(r, n, a));
	for (uint64_t a = 0; a < XVMM_SPECIAL_SIZE; a++)
		if (special[a])
			assert_true(covered(r, n, XVMM_SPECIAL_BASE + a));
	/* kernel 3 pages, ramdisk 1, boot info 1, ACPI 1, special pages 8 */
	assert_int_equal(total, (3 + 1 + 1 + 1 + XVMM_NR_SPECIAL_PAGES) * XVMM_PAGE_SIZE);
	free(ram);
	free(special);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_bootinfo_acpi_spages),
		cmocka_unit_test(test_ramdisk_and_unaligned_segments),
		cmocka_unit_test(test_never_merge_ram_with_special),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_piece_len),
		cmocka_unit_test(test_real_build_is_covered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
