/* SPDX-License-Identifier: MIT */
/*
 * PVH start-of-day information, as this project writes it.
 *
 * The layout is the Xen ABI described in Xen's
 * xen/include/public/arch-x86/hvm/start_info.h and docs/misc/pvh.pandoc:
 * a PVH guest is entered with EBX holding the guest-physical address of a
 * struct hvm_start_info. All addresses are guest-physical, little endian;
 * an address of 0 means "not present". Version 1 added the memory map.
 */
#ifndef XEN_HVM_START_INFO_H
#define XEN_HVM_START_INFO_H

#include <stdint.h>
#include <stddef.h>

/* "xEn3" with bit 7 of the 'E' set. */
#define XEN_HVM_START_MAGIC_VALUE	0x336ec578u
#define XEN_HVM_START_INFO_VERSION	1u

/*
 * Memory map entry types: the ACPI "Address Range Types" (ACPI 6.x,
 * System Address Map Interfaces), plus Xen's OEM-range values.
 */
#define XEN_HVM_MEMMAP_TYPE_RAM			1u
#define XEN_HVM_MEMMAP_TYPE_RESERVED		2u
#define XEN_HVM_MEMMAP_TYPE_ACPI		3u
#define XEN_HVM_MEMMAP_TYPE_NVS			4u
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE		5u
#define XEN_HVM_MEMMAP_TYPE_DISABLED		6u
#define XEN_HVM_MEMMAP_TYPE_PMEM		7u
#define XEN_HVM_MEMMAP_TYPE_SHARED_INFO		0xf0000001u
#define XEN_HVM_MEMMAP_TYPE_GRANT_TABLE		0xf0000002u
#define XEN_HVM_MEMMAP_TYPE_GNTTAB_STATUS	0xf0000003u
#define XEN_HVM_MEMMAP_TYPE_FOREIGN_REG		0xf0000004u

struct hvm_start_info {
	uint32_t magic;			/* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;		/* 1 */
	uint32_t flags;			/* SIF_* (0 for a domU) */
	uint32_t nr_modules;		/* entries at modlist_paddr */
	uint64_t modlist_paddr;		/* struct hvm_modlist_entry[] */
	uint64_t cmdline_paddr;		/* NUL-terminated ASCII */
	uint64_t rsdp_paddr;		/* ACPI RSDP */
	uint64_t memmap_paddr;		/* struct hvm_memmap_table_entry[] (v1+) */
	uint32_t memmap_entries;	/* 0: no map given (v1+) */
	uint32_t reserved;		/* must be 0 */
};

struct hvm_modlist_entry {
	uint64_t paddr;			/* module start */
	uint64_t size;			/* bytes */
	uint64_t cmdline_paddr;		/* 0 or NUL-terminated ASCII */
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;			/* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;		/* must be 0 */
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info is 56 bytes");
_Static_assert(offsetof(struct hvm_start_info, magic) == 0, "magic @0");
_Static_assert(offsetof(struct hvm_start_info, version) == 4, "version @4");
_Static_assert(offsetof(struct hvm_start_info, flags) == 8, "flags @8");
_Static_assert(offsetof(struct hvm_start_info, nr_modules) == 12, "nr_modules @12");
_Static_assert(offsetof(struct hvm_start_info, modlist_paddr) == 16, "modlist_paddr @16");
_Static_assert(offsetof(struct hvm_start_info, cmdline_paddr) == 24, "cmdline_paddr @24");
_Static_assert(offsetof(struct hvm_start_info, rsdp_paddr) == 32, "rsdp_paddr @32");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 40, "memmap_paddr @40");
_Static_assert(offsetof(struct hvm_start_info, memmap_entries) == 48, "memmap_entries @48");
_Static_assert(offsetof(struct hvm_start_info, reserved) == 52, "reserved @52");

_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry is 32 bytes");
_Static_assert(offsetof(struct hvm_modlist_entry, size) == 8, "size @8");
_Static_assert(offsetof(struct hvm_modlist_entry, cmdline_paddr) == 16, "cmdline_paddr @16");
_Static_assert(offsetof(struct hvm_modlist_entry, reserved) == 24, "reserved @24");

_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry is 24 bytes");
_Static_assert(offsetof(struct hvm_memmap_table_entry, size) == 8, "size @8");
_Static_assert(offsetof(struct hvm_memmap_table_entry, type) == 16, "type @16");
_Static_assert(offsetof(struct hvm_memmap_table_entry, reserved) == 20, "reserved @20");

#endif /* XEN_HVM_START_INFO_H */
