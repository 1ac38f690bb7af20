// SPDX-License-Identifier: GPL-2.0-only
/*
 * One call that builds a PVH domain's memory image: load the kernel ELF,
 * plan the layout, build the ACPI tables in the special area, write the
 * ramdisk, command line, module list, memory map and hvm_start_info.
 * Afterwards the vCPU 0 state is: EIP = layout.entry, EBX =
 * layout.start_info_addr (Xen docs/misc/pvh.pandoc, "Initial state").
 */
#ifndef LIBXVMM_BUILD_H
#define LIBXVMM_BUILD_H

#include <stddef.h>

#include <libxvmm/acpi.h>
#include <libxvmm/elf_load.h>
#include <libxvmm/error.h>
#include <libxvmm/guest_mem.h>
#include <libxvmm/start_info.h>

struct xvmm_build_params {
	const void *kernel;		/* ELF image bytes */
	size_t kernel_size;
	const void *ramdisk;		/* NULL if none */
	size_t ramdisk_size;
	const char *cmdline;		/* NULL or "" if none */
	unsigned int nr_vcpus;
};

struct xvmm_build_result {
	struct elf_image_info elf;
	struct guest_layout layout;
	struct acpi_tables acpi;
};

/*
 * gm must have RAM at [0, ram_size) with ram_size <= XVMM_RAM_MAX and the
 * special window at XVMM_SPECIAL_BASE of at least XVMM_SPECIAL_SIZE bytes;
 * both buffers are expected zeroed by the caller.
 */
int xvmm_build_guest(const struct guest_mem *gm,
		     const struct xvmm_build_params *p,
		     struct xvmm_build_result *res, struct xvmm_err *err);

#endif /* LIBXVMM_BUILD_H */
