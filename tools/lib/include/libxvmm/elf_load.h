// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF loader for PVH kernels (untrusted input).
 *
 * Accepts little-endian ELF32 and ELF64 (ET_EXEC or ET_DYN) for EM_386 or
 * EM_X86_64 in either class (XTF ships ELF32 images with EM_X86_64).
 * The PVH entry comes from the XEN_ELFNOTE_PHYS32_ENTRY note (name "Xen",
 * 4- or 8-byte value below 4 GiB) found in PT_NOTE segments, or in SHT_NOTE
 * sections if no PT_NOTE holds it (Xen docs/misc/pvh.pandoc).
 * PT_LOAD segments load at their physical address p_paddr; bytes between
 * p_filesz and p_memsz are zeroed.
 */
#ifndef LIBXVMM_ELF_LOAD_H
#define LIBXVMM_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <libxvmm/error.h>
#include <libxvmm/guest_mem.h>

#define ELF_LOAD_MAX_PHDRS	128	/* e_phnum above this is refused */
#define ELF_LOAD_MAX_SHDRS	1024	/* section headers scanned for notes */
#define ELF_LOAD_MAX_SEGS	16	/* PT_LOAD segments with memsz > 0 */

struct elf_segment {
	uint64_t paddr;		/* guest-physical load address */
	uint64_t offset;	/* file offset of the bytes */
	uint64_t filesz;
	uint64_t memsz;		/* >= filesz; the tail is zeroed */
};

struct elf_image_info {
	unsigned int elf_class;	/* 32 or 64 */
	uint16_t machine;	/* EM_386 or EM_X86_64 */
	uint32_t pvh_entry;	/* from XEN_ELFNOTE_PHYS32_ENTRY */
	unsigned int nr_segs;
	struct elf_segment segs[ELF_LOAD_MAX_SEGS];
	uint64_t paddr_lo;	/* lowest segment start */
	uint64_t paddr_hi;	/* highest segment end (exclusive) */
};

/*
 * Validate the image and describe it; writes nothing to guest memory.
 * info is meaningful only when 0 is returned.
 * Returns 0, or -ENOEXEC (not a usable PVH ELF) / -E2BIG (limits) with a
 * message in err.
 */
int elf_parse(const void *file, size_t size, struct elf_image_info *info,
	      struct xvmm_err *err);

/*
 * elf_parse(), then check that every segment lies in guest RAM and copy
 * it there (zero-filling memsz beyond filesz). -ERANGE if a segment falls
 * outside RAM.
 */
int elf_load(const void *file, size_t size, const struct guest_mem *gm,
	     struct elf_image_info *info, struct xvmm_err *err);

#endif /* LIBXVMM_ELF_LOAD_H */
