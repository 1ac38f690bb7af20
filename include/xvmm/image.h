/* SPDX-License-Identifier: MIT */
/*
 * The VMM image as the driver loads it, and what the driver hands the VMM.
 *
 * xvmm.bin is a flat, position-independent image linked at 0 with a
 * struct xvmm_image_header at offset 0. The driver:
 *   1. allocates mem_size bytes (rounded up to 2 MiB chunks) plus the page
 *      pool, maps them virtually contiguous (vmap, executable),
 *   2. copies file_size bytes of the image to the start,
 *   3. applies the R_X86_64_RELATIVE relocations in [rela_start, rela_end),
 *   4. fills the struct xvmm_boot_info at boot_info,
 *   5. calls init() once, then launch(cpu) on every online CPU at once
 *      with interrupts off (see docs/launch.md).
 * All offsets are from the start of the image.
 */
#ifndef XVMM_IMAGE_H
#define XVMM_IMAGE_H

#define XVMM_IMAGE_MAGIC	0x4d4d5658	/* "XVMM" */
#define XVMM_IMAGE_FORMAT	1
#define XVMM_CHUNK_SHIFT	21		/* memory is handed over in 2 MiB chunks */
#define XVMM_CHUNK_SIZE		(1ull << XVMM_CHUNK_SHIFT)
#define XVMM_MAX_CHUNKS		128		/* 256 MiB */

#ifndef __ASSEMBLER__

#include "fault_inject.h"

struct xvmm_image_header {
	unsigned int magic;		/* XVMM_IMAGE_MAGIC */
	unsigned int format;		/* XVMM_IMAGE_FORMAT */
	unsigned long long file_size;	/* bytes to copy from the file */
	unsigned long long mem_size;	/* bytes the image occupies (incl. bss) */
	unsigned long long init;	/* int init(void) */
	unsigned long long launch;	/* int launch(unsigned int cpu) */
	unsigned long long rela_start;	/* Elf64_Rela[] */
	unsigned long long rela_end;
	unsigned long long boot_info;	/* struct xvmm_boot_info */
	unsigned long long version;	/* NUL-terminated version string */
};

/*
 * Filled by the driver before init(); read-only for the VMM afterwards,
 * but for the fault counter (fault_inject.h), which the driver arms before
 * init() and the VMM counts in.
 */
struct xvmm_boot_info {
	unsigned long long image_va;	/* where the image is mapped, in dom0 and in the VMM */
	unsigned long long mem_size;	/* bytes mapped at image_va (image + pool) */
	unsigned int nr_chunks;		/* 2 MiB chunks backing [image_va, +mem_size) */
	unsigned int nr_cpus;		/* CPU indices 0..nr_cpus-1 will call launch() */
	unsigned long long chunk_pa[XVMM_MAX_CHUNKS];
	unsigned long long ram_end;	/* end of the highest RAM range: the VMM's direct map */
	unsigned long long phys_limit;	/* dom0's NPT maps [0, phys_limit) 1:1 */
	unsigned long long tsc_khz;	/* TSC frequency: guests' pvclock */
	unsigned long long wallclock_ns;	/* UTC ns since 1970 when the TSC read 0 */
	struct xvmm_fault_counter fault;	/* CONFIG_XVMM_FAULT_INJECT: the page pool's */
};

#endif /* __ASSEMBLER__ */
#endif /* XVMM_IMAGE_H */
