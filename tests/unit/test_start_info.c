// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the guest layout, the PVH boot information
 * (tools/lib/start_info.c) and the whole builder (tools/lib/build.c).
 * Start info and tables are read back byte by byte at the offsets of
 * Xen's public/arch-x86/hvm/start_info.h.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "pvh_elf_fixture.h"

#include <xen/elfnote.h>
#include <libxvmm/acpi.h>
#include <libxvmm/build.h>
#include <libxvmm/start_info.h>

#define RAM (32ull << 20)

static uint8_t *ram, *special;
static struct guest_mem gm;
static struct guest_layout lay;
static struct xvmm_err err;

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM);
	special = calloc(1, XVMM_SPECIAL_SIZE);
	if (!ram || !special)
		return -1;
	guest_mem_init(&gm, ram, RAM, special, XVMM_SPECIAL_BASE, XVMM_SPECIAL_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	free(special);
	return 0;
}

static uint32_t r32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t r64(const uint8_t *p)
{
	return r32(p) | (uint64_t)r32(p + 4) << 32;
}

static void test_plan_with_ramdisk(void **state)
{
	(void)state;
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x180123, 0x100200,
					   0x5000, 11, 2, &err), 0);
	assert_int_equal(lay.ramdisk_addr, 0x181000);
	assert_int_equal(lay.ramdisk_size, 0x5000);
	assert_int_equal(lay.nr_modules, 1);
	assert_int_equal(lay.bootinfo_addr, 0x186000);
	assert_int_equal(lay.start_info_addr, 0x186000);
	assert_int_equal(lay.modlist_addr, 0x186040);
	assert_int_equal(lay.memmap_addr, 0x186100);
	assert_int_equal(lay.cmdline_addr, 0x186800);
	assert_int_equal(lay.cmdline_size, 12);
	assert_int_equal(lay.acpi_addr, 0xfc000000);
	assert_int_equal(lay.spages_addr, 0xfc010000);
	assert_int_equal(lay.entry, 0x100200);
	assert_int_equal(XVMM_SPAGE_PFN(XVMM_SPAGE_CONSOLE), 0xfc010);
	assert_int_equal(XVMM_SPAGE_PFN(XVMM_SPAGE_XENSTORE), 0xfc011);
}

static void test_plan_without_ramdisk_or_cmdline(void **state)
{
	(void)state;
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x1000000, 0x1001000, 0x1000000,
					   0, 0, 1, &err), 0);
	assert_int_equal(lay.ramdisk_addr, 0);
	assert_int_equal(lay.nr_modules, 0);
	assert_int_equal(lay.modlist_addr, 0);
	assert_int_equal(lay.bootinfo_addr, 0x1001000);
	assert_int_equal(lay.cmdline_addr, 0);
}

static void test_plan_rejects(void **state)
{
	(void)state;
	assert_int_equal(guest_layout_plan(&lay, RAM + 1, 0x100000, 0x200000, 0x100000, 0, 0, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a non-zero page multiple"));
	assert_int_equal(guest_layout_plan(&lay, 0, 0x100000, 0x200000, 0x100000, 0, 0, 1, &err), -EINVAL);
	assert_int_equal(guest_layout_plan(&lay, XVMM_RAM_MAX + 0x100000, 0x100000, 0x200000, 0x100000, 0, 0, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "above the 524288 MiB limit"));
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, RAM + 1, 0x100000, 0, 0, 1, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "does not fit in guest RAM"));
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, RAM, 0, 1, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "ramdisk of 33554432 bytes does not fit"));
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000,
					   RAM - 0x200000, 0, 1, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "no room for the boot-info page"));
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, RAM - 0x800, 0x100000, 0, 0, 1, &err), -ENOSPC);
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, 0, 2048, 1, &err), -E2BIG);
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, 0, 2047, 1, &err), 0);
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, 0, 0, 0, &err), -EINVAL);
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, 0, 0, 65, &err), -EINVAL);
}

static void test_memmap(void **state)
{
	(void)state;
	struct hvm_memmap_table_entry m[4];

	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x200000, 0x100000, 0, 0, 1, &err), 0);
	assert_int_equal(guest_memmap_build(&lay, m, 2), -ENOSPC);
	assert_int_equal(guest_memmap_build(&lay, m, 4), 3);
	assert_int_equal(m[0].addr, 0);
	assert_int_equal(m[0].size, RAM);
	assert_int_equal(m[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	assert_int_equal(m[1].addr, 0xfc000000);
	assert_int_equal(m[1].size, 0x10000);
	assert_int_equal(m[1].type, XEN_HVM_MEMMAP_TYPE_ACPI);
	assert_int_equal(m[2].addr, 0xfc010000);
	assert_int_equal(m[2].size, XVMM_NR_SPECIAL_PAGES * 4096);
	assert_int_equal(m[2].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	for (int i = 0; i < 3; i++)
		assert_int_equal(m[i].reserved, 0);
	/* sorted, non-overlapping, special pages outside RAM */
	assert_true(m[0].addr + m[0].size <= m[1].addr);
	assert_true(m[1].addr + m[1].size <= m[2].addr);
}

/* Every RAM byte once, in order: below the gap, then from 4 GiB; the special area in the gap. */
static void check_memmap(uint64_t ram_size)
{
	struct hvm_memmap_table_entry m[XVMM_BOOTINFO_MAX_MEMMAP];
	uint64_t ram_seen = 0;
	int n;

	assert_int_equal(guest_layout_plan(&lay, ram_size, 0x100000, 0x200000, 0x100000, 0, 0, 1, &err), 0);
	n = guest_memmap_build(&lay, m, XVMM_BOOTINFO_MAX_MEMMAP);
	assert_int_equal(n, ram_size > 0xfc000000ull ? 4 : 3);
	assert_int_equal(lay.memmap_entries, n);
	for (int i = 0; i < n; i++) {
		assert_true(m[i].size > 0);
		if (i)
			assert_true(m[i - 1].addr + m[i - 1].size <= m[i].addr);
		if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM) {
			/* Nothing of RAM in [0xFC000000, 4 GiB): the special area and the LAPIC are there. */
			assert_true(m[i].addr + m[i].size <= 0xfc000000ull || m[i].addr >= 1ull << 32);
			ram_seen += m[i].size;
		}
	}
	assert_int_equal(ram_seen, ram_size);
	assert_int_equal(m[0].addr, 0);
	assert_int_equal(m[0].size, ram_size < 0xfc000000ull ? ram_size : 0xfc000000ull);
	if (n == 4) {
		assert_int_equal(m[3].addr, 1ull << 32);
		assert_int_equal(m[3].size, ram_size - 0xfc000000ull);
		assert_int_equal(m[3].type, XEN_HVM_MEMMAP_TYPE_RAM);
	}
}

/* The e820 split around the gap (include/xvmm/ram_layout.h), tiny to the largest. */
static void test_memmap_split(void **state)
{
	struct xvmm_ram_range r[2];

	(void)state;
	check_memmap(4ull << 20);
	check_memmap(0xfc000000ull - (2ull << 20));
	check_memmap(0xfc000000ull);			/* all of it below the gap */
	check_memmap(0xfc000000ull + (2ull << 20));	/* 2 MiB above 4 GiB */
	check_memmap(6144ull << 20);			/* 4032 MiB low, 2112 MiB high */
	check_memmap(XVMM_RAM_MAX);
	assert_int_equal(xvmm_ram_split(6144ull << 20, r), 2);
	assert_int_equal(r[1].size, 2112ull << 20);
	assert_int_equal(xvmm_ram_split(0, r), 0);
	/* Byte offsets and addresses agree both ways. */
	{
		unsigned long long off;

		assert_int_equal(xvmm_ram_gpa(0xfc000000ull), 1ull << 32);
		assert_int_equal(xvmm_ram_gpa(0xfbfff000ull), 0xfbfff000ull);
		assert_true(xvmm_ram_off(1ull << 32, 6144ull << 20, &off));
		assert_int_equal(off, 0xfc000000ull);
		assert_false(xvmm_ram_off(0xfc000000ull, 6144ull << 20, &off));	/* the gap */
		assert_false(xvmm_ram_off(0xffffffffull, 6144ull << 20, &off));
		assert_false(xvmm_ram_off((1ull << 32) + (2112ull << 20), 6144ull << 20, &off));
		assert_true(xvmm_ram_off((1ull << 32) + (2112ull << 20) - 1, 6144ull << 20, &off));
		assert_int_equal(off, (6144ull << 20) - 1);
		assert_false(xvmm_ram_off(1ull << 32, 0xfc000000ull, &off));	/* none above */
		assert_false(xvmm_ram_off(64ull << 20, 32ull << 20, &off));
		assert_int_equal(xvmm_ram_end_gpa(6144ull << 20), (1ull << 32) + (2112ull << 20));
		assert_int_equal(xvmm_ram_end_gpa(32ull << 20), 32ull << 20);
	}
	/* Kernel, ramdisk and boot info stay below the gap with RAM above 4 GiB. */
	assert_int_equal(guest_layout_plan(&lay, 6144ull << 20, 0x100000, 0x200000, 0x100000,
					   0xfc000000ull - 0x200000, 0, 1, &err), -ENOSPC);
	assert_int_equal(guest_layout_plan(&lay, 6144ull << 20, 0x100000, 0x200000, 0x100000,
					   0xfc000000ull - 0x201000, 0, 1, &err), 0);
	assert_int_equal(lay.bootinfo_addr, 0xfc000000ull - 0x1000);
}

/* The builder's view of RAM above 4 GiB: offset 0xFC000000 of its buffer is guest 4 GiB. */
static void test_guest_mem_high(void **state)
{
	const uint64_t size = 0xfc000000ull + (4ull << 20);
	struct guest_mem big;
	uint8_t *buf;

	(void)state;
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(buf != MAP_FAILED);
	guest_mem_init(&big, buf, size, special, XVMM_SPECIAL_BASE, XVMM_SPECIAL_SIZE);
	assert_ptr_equal(guest_mem_ptr(&big, 1ull << 32, 8), buf + 0xfc000000ull);
	assert_ptr_equal(guest_mem_ptr(&big, (1ull << 32) + (4ull << 20) - 8, 8), buf + size - 8);
	assert_null(guest_mem_ptr(&big, (1ull << 32) + (4ull << 20) - 4, 8));
	assert_ptr_equal(guest_mem_ptr(&big, 0xfbfffff8ull, 8), buf + 0xfbfffff8ull);
	assert_null(guest_mem_ptr(&big, 0xfbfffffcull, 8));		/* into the gap */
	assert_ptr_equal(guest_mem_ptr(&big, 0xfc000000ull, 8), special);	/* the gap holds the special area */
	assert_null(guest_mem_ptr(&big, 0xfe000000ull, 8));
	assert_true(guest_mem_in_ram(&big, 1ull << 32, 4ull << 20));
	assert_false(guest_mem_in_ram(&big, (1ull << 32) - 4096, 8192));
	assert_int_equal(guest_mem_write(&big, (1ull << 32) + 16, "high", 4, &err), 0);
	assert_memory_equal(buf + 0xfc000000ull + 16, "high", 4);
	munmap(buf, size);
}

static void test_boot_info_bytes(void **state)
{
	(void)state;
	uint8_t rd[0x1800];
	const char *cmd = "console=hvc0 root=/dev/ram0";
	const uint8_t *si, *mod, *mm;

	for (size_t i = 0; i < sizeof(rd); i++)
		rd[i] = (uint8_t)(i * 7);
	memset(ram, 0x5a, RAM);
	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x140000, 0x100000,
					   sizeof(rd), strlen(cmd), 1, &err), 0);
	lay.rsdp_addr = 0xfc000000;
	assert_int_equal(guest_boot_info_write(&lay, &gm, rd, cmd, &err), 0);

	si = ram + lay.start_info_addr;
	assert_int_equal(lay.start_info_addr, 0x142000);
	assert_memory_equal(si, "\x78\xc5\x6e\x33", 4);		/* magic, LE */
	assert_int_equal(r32(si + 4), 1);			/* version */
	assert_int_equal(r32(si + 8), 0);			/* flags */
	assert_int_equal(r32(si + 12), 1);			/* nr_modules */
	assert_int_equal(r64(si + 16), 0x142040);		/* modlist_paddr */
	assert_int_equal(r64(si + 24), 0x142800);		/* cmdline_paddr */
	assert_int_equal(r64(si + 32), 0xfc000000);		/* rsdp_paddr */
	assert_int_equal(r64(si + 40), 0x142100);		/* memmap_paddr */
	assert_int_equal(r32(si + 48), 3);			/* memmap_entries */
	assert_int_equal(r32(si + 52), 0);			/* reserved */

	mod = ram + 0x142040;
	assert_int_equal(r64(mod), 0x140000);			/* ramdisk paddr */
	assert_int_equal(r64(mod + 8), sizeof(rd));
	assert_int_equal(r64(mod + 16), 0);
	assert_int_equal(r64(mod + 24), 0);
	assert_memory_equal(ram + 0x140000, rd, sizeof(rd));

	mm = ram + 0x142100;
	assert_int_equal(r64(mm), 0);
	assert_int_equal(r64(mm + 8), RAM);
	assert_int_equal(r32(mm + 16), 1);
	assert_int_equal(r64(mm + 24), 0xfc000000);
	assert_int_equal(r32(mm + 40), 3);
	assert_int_equal(r64(mm + 48), 0xfc010000);
	assert_int_equal(r32(mm + 64), 2);

	assert_string_equal((const char *)ram + 0x142800, cmd);
	/* rest of the boot-info page zeroed, bytes after it untouched */
	assert_int_equal(ram[0x142800 + strlen(cmd) + 1], 0);
	assert_int_equal(ram[0x142fff], 0);
	assert_int_equal(ram[0x143000], 0x5a);
	assert_int_equal(ram[0x13ffff], 0x5a);
}

static void test_boot_info_rejects(void **state)
{
	(void)state;
	struct guest_mem small;

	assert_int_equal(guest_layout_plan(&lay, RAM, 0x100000, 0x140000, 0x100000, 16, 3, 1, &err), 0);
	assert_int_equal(guest_boot_info_write(&lay, &gm, NULL, "abc", &err), -EINVAL);
	assert_int_equal(guest_boot_info_write(&lay, &gm, "0123456789abcdef", "abcd", &err), -EINVAL);
	guest_mem_init(&small, ram, 0x100000, NULL, 0, 0);
	assert_int_equal(guest_boot_info_write(&lay, &small, "0123456789abcdef", "abc", &err), -EFAULT);
}

static void test_guest_mem_bounds(void **state)
{
	(void)state;
	assert_non_null(guest_mem_ptr(&gm, 0, RAM));
	assert_null(guest_mem_ptr(&gm, 1, RAM));
	assert_null(guest_mem_ptr(&gm, UINT64_MAX, 2));
	assert_null(guest_mem_ptr(&gm, RAM - 1, UINT64_MAX));
	assert_non_null(guest_mem_ptr(&gm, RAM, 0));
	assert_ptr_equal(guest_mem_ptr(&gm, XVMM_SPECIAL_BASE + 4, 4), special + 4);
	assert_null(guest_mem_ptr(&gm, XVMM_SPECIAL_BASE - 1, 2));
	assert_null(guest_mem_ptr(&gm, XVMM_SPECIAL_BASE + XVMM_SPECIAL_SIZE - 1, 2));
	assert_false(guest_mem_in_ram(&gm, XVMM_SPECIAL_BASE, 1));
	assert_int_equal(guest_mem_write(&gm, RAM - 2, "abcd", 4, &err), -EFAULT);
	assert_non_null(strstr(err.msg, "outside guest memory"));
	assert_int_equal(guest_mem_zero(&gm, RAM, 1, &err), -EFAULT);
}

static size_t make_kernel(uint8_t *k)
{
	return make_pvh_elf64(k, 0x100000, 0x1000, 0x3000);
}

static void test_build_guest(void **state)
{
	(void)state;
	static uint8_t k[0x2000];
	struct xvmm_build_params p = {
		.kernel = k, .kernel_size = make_kernel(k),
		.ramdisk = "initrd-bytes", .ramdisk_size = 12,
		.cmdline = "console=hvc0", .nr_vcpus = 3,
	};
	struct xvmm_build_result res;
	const uint8_t *si, *rsdp;

	memset(ram, 0, RAM);
	memset(special, 0, XVMM_SPECIAL_SIZE);
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), 0);
	assert_int_equal(res.layout.entry, 0x100040);
	assert_int_equal(ram[0x100040], 0xf4);
	assert_int_equal(res.layout.ramdisk_addr, 0x103000);
	assert_memory_equal(ram + 0x103000, "initrd-bytes", 12);

	si = ram + res.layout.start_info_addr;
	assert_int_equal(r32(si), XEN_HVM_START_MAGIC_VALUE);
	assert_int_equal(r64(si + 32), res.acpi.rsdp);
	assert_int_equal(res.acpi.rsdp, XVMM_ACPI_BASE);
	rsdp = special + (res.acpi.rsdp - XVMM_SPECIAL_BASE);
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(acpi_sum(rsdp, 36), 0);
	/* MADT has 3 LAPICs */
	const uint8_t *madt = special + (res.acpi.madt - XVMM_SPECIAL_BASE);
	assert_int_equal(r32(madt + 4), ACPI_MADT_FIXED_SIZE + 3 * 8);
	assert_string_equal((const char *)ram + r64(si + 24), "console=hvc0");
}

static void test_build_guest_rejects(void **state)
{
	(void)state;
	static uint8_t k[0x2000];
	struct xvmm_build_params p = { .kernel = k, .kernel_size = make_kernel(k), .nr_vcpus = 1 };
	struct xvmm_build_result res;
	struct guest_mem bad = gm;

	bad.special_size = 0x1000;
	assert_int_equal(xvmm_build_guest(&bad, &p, &res, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "special window"));
	p.ramdisk_size = 5;
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), -EINVAL);
	p.ramdisk_size = 0;
	p.kernel_size = 10;
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), -ENOEXEC);
	p.kernel_size = 0x2000;
	p.nr_vcpus = 0;
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), -EINVAL);
	p.nr_vcpus = 1;
	assert_int_equal(xvmm_build_guest(&gm, &p, &res, &err), 0);
	assert_int_equal(res.layout.cmdline_addr, 0);
	assert_int_equal(r64(ram + res.layout.start_info_addr + 24), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_with_ramdisk),
		cmocka_unit_test(test_plan_without_ramdisk_or_cmdline),
		cmocka_unit_test(test_plan_rejects),
		cmocka_unit_test(test_memmap),
		cmocka_unit_test(test_memmap_split),
		cmocka_unit_test(test_guest_mem_high),
		cmocka_unit_test(test_boot_info_bytes),
		cmocka_unit_test(test_boot_info_rejects),
		cmocka_unit_test(test_guest_mem_bounds),
		cmocka_unit_test(test_build_guest),
		cmocka_unit_test(test_build_guest_rejects),
	};

	return cmocka_run_group_tests_name("start_info", tests, setup, teardown);
}
