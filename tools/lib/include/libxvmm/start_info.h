// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory layout planning and the PVH boot information:
 * hvm_start_info, module list (module 0 = ramdisk, as Linux expects),
 * memory map and command line (Xen docs/misc/pvh.pandoc,
 * public/arch-x86/hvm/start_info.h).
 */
#ifndef LIBXVMM_START_INFO_H
#define LIBXVMM_START_INFO_H

#include <stddef.h>
#include <stdint.h>

#include <xen/hvm_start_info.h>
#include <libxvmm/error.h>
#include <libxvmm/guest_mem.h>
#include <libxvmm/layout.h>

struct guest_layout {
	uint64_t ram_size;		/* bytes of RAM: below the gap, the rest above 4 GiB */
	uint64_t kernel_lo, kernel_hi;	/* span of the loaded kernel */
	uint32_t entry;			/* PVH entry (EIP) */
	uint64_t ramdisk_addr;		/* 0 if no ramdisk */
	uint64_t ramdisk_size;
	uint64_t bootinfo_addr;		/* the boot-info page */
	uint64_t start_info_addr;	/* EBX at entry */
	uint64_t modlist_addr;		/* 0 if no modules */
	uint32_t nr_modules;
	uint64_t memmap_addr;
	uint32_t memmap_entries;
	uint64_t cmdline_addr;		/* 0 if no command line */
	uint64_t cmdline_size;		/* including the NUL */
	uint64_t special_base, special_size;
	uint64_t acpi_addr, acpi_size;	/* window for the ACPI tables */
	uint64_t rsdp_addr;		/* set by the ACPI builder */
	uint64_t spages_addr;		/* first special page */
	unsigned int nr_vcpus;
};

/*
 * Place everything: ramdisk page-aligned after the kernel, then the
 * boot-info page; all in RAM below the gap (0xFC000000). cmdline_len excludes the
 * NUL (0 = no command line). -EINVAL / -ENOSPC / -E2BIG with a message.
 */
int guest_layout_plan(struct guest_layout *lay, uint64_t ram_size,
		      uint64_t kernel_lo, uint64_t kernel_hi, uint32_t entry,
		      uint64_t ramdisk_size, size_t cmdline_len,
		      unsigned int nr_vcpus, struct xvmm_err *err);

/*
 * Fill out[] with the e820-style memory map for lay, sorted by address:
 * RAM below the gap, ACPI window (type ACPI), special pages (reserved),
 * RAM above 4 GiB if ram_size goes past the gap (include/xvmm/ram_layout.h).
 * Returns the number of entries, -ENOSPC if max is too small, -EINVAL for
 * no RAM.
 */
int guest_memmap_build(const struct guest_layout *lay,
		       struct hvm_memmap_table_entry *out, unsigned int max);

/*
 * Write ramdisk, command line, module list, memory map and hvm_start_info
 * into guest memory as planned (lay->rsdp_addr must already be set, or 0).
 */
int guest_boot_info_write(const struct guest_layout *lay,
			  const struct guest_mem *gm,
			  const void *ramdisk, const char *cmdline,
			  struct xvmm_err *err);

#endif /* LIBXVMM_START_INFO_H */
