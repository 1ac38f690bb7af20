/* SPDX-License-Identifier: MIT */
/*
 * Xen ELF note types, as this project writes them.
 *
 * Numbers from Xen's xen/include/public/elfnote.h. Xen notes live in a
 * PT_NOTE segment (or SHT_NOTE section) and carry the name "Xen".
 * Numeric descriptors are 4 or 8 bytes long: Linux up to 6.13 emits
 * PHYS32_ENTRY with _ASM_PTR (8 bytes on x86-64), later kernels and
 * most other PVH guests a 4-byte value.
 */
#ifndef XEN_ELFNOTE_H
#define XEN_ELFNOTE_H

#define XEN_ELFNOTE_NAME		"Xen"

#define XEN_ELFNOTE_INFO		0
#define XEN_ELFNOTE_ENTRY		1	/* PV virtual entry (numeric) */
#define XEN_ELFNOTE_HYPERCALL_PAGE	2
#define XEN_ELFNOTE_VIRT_BASE		3
#define XEN_ELFNOTE_PADDR_OFFSET	4
#define XEN_ELFNOTE_XEN_VERSION		5	/* string */
#define XEN_ELFNOTE_GUEST_OS		6	/* string */
#define XEN_ELFNOTE_GUEST_VERSION	7	/* string */
#define XEN_ELFNOTE_LOADER		8	/* string */
#define XEN_ELFNOTE_PAE_MODE		9	/* string */
#define XEN_ELFNOTE_FEATURES		10	/* string */
#define XEN_ELFNOTE_BSD_SYMTAB		11
#define XEN_ELFNOTE_HV_START_LOW	12
#define XEN_ELFNOTE_L1_MFN_VALID	13
#define XEN_ELFNOTE_SUSPEND_CANCEL	14
#define XEN_ELFNOTE_INIT_P2M		15
#define XEN_ELFNOTE_MOD_START_PFN	16
#define XEN_ELFNOTE_SUPPORTED_FEATURES	17	/* numeric bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY	18	/* PVH 32-bit physical entry (numeric) */
#define XEN_ELFNOTE_PHYS32_RELOC	19	/* up to 3 x u32: align, min, max */
#define XEN_ELFNOTE_MAX			XEN_ELFNOTE_PHYS32_RELOC

#endif /* XEN_ELFNOTE_H */
