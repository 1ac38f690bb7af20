// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-physical layout of a PVH domain built by libxvmm.
 * docs/domain-builder.md has the table; the numbers live here only.
 *
 *   0 .. min(ram, 0xFC000000)     RAM (e820 type 1): kernel at its p_paddr,
 *                                 then the ramdisk, then one boot-info page
 *   .. 0xFC000000                 unmapped hole (if RAM is smaller)
 *   0xFC000000 .. +64 KiB         ACPI tables (e820 type 3, ACPI reclaimable):
 *                                 RSDP, XSDT, FADT, MADT, DSDT
 *   0xFC010000 .. +32 KiB         special pages (e820 type 2, reserved):
 *                                 console ring, xenstore ring, spares
 *   0xFEE00000                    local APIC (not in the e820, as in Xen)
 *   4 GiB .. 4 GiB + ram - 0xFC000000   the rest of RAM (e820 type 1)
 *
 * 0xFC000000 is where Xen's libxl puts PVH ACPI data (ACPI_INFO_PHYSICAL_
 * ADDRESS) and where it starts a PVH domain's MMIO hole: RAM below it, the
 * rest above 4 GiB (include/xvmm/ram_layout.h, shared with the VMM and
 * the driver).
 */
#ifndef LIBXVMM_LAYOUT_H
#define LIBXVMM_LAYOUT_H

#include <stdint.h>

#include <xvmm/ram_layout.h>

#define XVMM_PAGE_SIZE		4096ull
#define XVMM_PAGE_ALIGN(x)	(((x) + XVMM_PAGE_SIZE - 1) & ~(XVMM_PAGE_SIZE - 1))

/* The special area: one window outside RAM. */
#define XVMM_SPECIAL_BASE	0xfc000000ull
#define XVMM_ACPI_OFFSET	0x0ull
#define XVMM_ACPI_SIZE		0x10000ull		/* 16 pages */
#define XVMM_SPAGES_OFFSET	0x10000ull
#define XVMM_NR_SPECIAL_PAGES	8u
#define XVMM_SPAGES_SIZE	(XVMM_NR_SPECIAL_PAGES * XVMM_PAGE_SIZE)
#define XVMM_SPECIAL_SIZE	(XVMM_SPAGES_OFFSET + XVMM_SPAGES_SIZE)

#define XVMM_ACPI_BASE		(XVMM_SPECIAL_BASE + XVMM_ACPI_OFFSET)
#define XVMM_SPAGES_BASE	(XVMM_SPECIAL_BASE + XVMM_SPAGES_OFFSET)

/* Index of each special page in the special-pages range. */
enum xvmm_special_page {
	XVMM_SPAGE_CONSOLE = 0,		/* HVM_PARAM_CONSOLE_PFN: xencons_interface */
	XVMM_SPAGE_XENSTORE = 1,	/* HVM_PARAM_STORE_PFN: xenstore ring */
	/* 2 .. XVMM_NR_SPECIAL_PAGES - 1: spare, reserved for later use */
};

/* Guest-physical frame number of special page i. */
#define XVMM_SPAGE_PFN(i)	((XVMM_SPAGES_BASE >> 12) + (uint64_t)(i))

/* RAM below 4 GiB ends at the special area; the most RAM a domain may have (the driver's). */
_Static_assert(XVMM_SPECIAL_BASE == XVMM_RAM_LOW_END, "the gap starts with the special area");
#define XVMM_RAM_MAX		(512ull << 30)

/* The local APIC's guest-physical base (MADT, and the vLAPIC). */
#define XVMM_LAPIC_BASE		0xfee00000u

/* Inside the boot-info page (one page in RAM after the kernel/ramdisk). */
#define XVMM_BOOTINFO_START_INFO	0x000u	/* struct hvm_start_info */
#define XVMM_BOOTINFO_MODLIST		0x040u	/* struct hvm_modlist_entry[4] */
#define XVMM_BOOTINFO_MAX_MODULES	4u
#define XVMM_BOOTINFO_MEMMAP		0x100u	/* struct hvm_memmap_table_entry[] */
#define XVMM_BOOTINFO_MAX_MEMMAP	32u	/* 0x100 + 32 * 24 = 0x400 */
#define XVMM_BOOTINFO_CMDLINE		0x800u	/* NUL-terminated */
#define XVMM_CMDLINE_MAX		0x800u	/* bytes including the NUL */

#endif /* LIBXVMM_LAYOUT_H */
