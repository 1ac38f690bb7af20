/* SPDX-License-Identifier: MIT */
/*
 * memory_op (hypercall 12), the parts a PVH guest uses first, as this
 * project writes them.
 *
 * Numbers and layouts from Xen's xen/include/public/memory.h. The command
 * word carries the sub-op in its low bits and, for the ops that take a
 * continuation, a start extent above them (Xen's xen/include/xen/hypercall.h).
 * Each struct has an x86-64 layout and a "_compat" layout for 32-bit
 * callers, whose xen_ulong_t, xen_pfn_t and guest handles are 4 bytes.
 */
#ifndef XEN_MEMORY_H
#define XEN_MEMORY_H

#include <stdint.h>
#include <stddef.h>
#include "xen.h"

#define MEMOP_EXTENT_SHIFT	6
#define MEMOP_CMD_MASK		((1u << MEMOP_EXTENT_SHIFT) - 1)

#define XENMEM_increase_reservation	0
#define XENMEM_decrease_reservation	1
#define XENMEM_maximum_ram_page		2
#define XENMEM_current_reservation	3
#define XENMEM_maximum_reservation	4
#define XENMEM_machphys_mfn_list	5
#define XENMEM_populate_physmap		6
#define XENMEM_add_to_physmap		7	/* struct xen_add_to_physmap */
#define XENMEM_memory_map		9	/* struct xen_memory_map */
#define XENMEM_machine_memory_map	10
#define XENMEM_exchange			11
#define XENMEM_machphys_mapping		12
#define XENMEM_set_memory_map		13
#define XENMEM_maximum_gpfn		14
#define XENMEM_remove_from_physmap	15
#define XENMEM_add_to_physmap_batch	23
#define XENMEM_get_vnumainfo		26
#define XENMEM_acquire_resource		28

/* add_to_physmap spaces. */
#define XENMAPSPACE_shared_info		0	/* idx 0: the shared_info page */
#define XENMAPSPACE_grant_table		1	/* idx: grant frame (| status bit) */
#define XENMAPSPACE_gmfn		2
#define XENMAPSPACE_gmfn_range		3
#define XENMAPSPACE_gmfn_foreign	4
#define XENMAPSPACE_dev_mmio		5
#define XENMAPIDX_grant_table_status	0x80000000u

struct xen_add_to_physmap {
	domid_t domid;		/* DOMID_SELF or the caller's own id */
	uint16_t size;		/* pages, XENMAPSPACE_gmfn_range only */
	uint32_t space;		/* XENMAPSPACE_* */
	uint64_t idx;		/* index into the space */
	uint64_t gpfn;		/* guest frame where it should appear */
};

struct xen_add_to_physmap_compat {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

struct xen_memory_map {
	uint32_t nr_entries;	/* IN: room in buffer; OUT: entries stored */
	uint32_t pad;
	uint64_t buffer;	/* guest address of e820-format entries */
};

struct xen_memory_map_compat {
	uint32_t nr_entries;
	uint32_t buffer;
};

/* One entry of the map, as INT 15h E820 returns it (20 bytes, packed). */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap (64-bit)");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4, "xatp.space @4");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8, "xatp.idx @8");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "xatp.gpfn @16");
_Static_assert(sizeof(struct xen_add_to_physmap_compat) == 16, "xen_add_to_physmap (32-bit)");
_Static_assert(offsetof(struct xen_add_to_physmap_compat, gpfn) == 12, "compat xatp.gpfn @12");
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map (64-bit)");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "memory_map.buffer @8");
_Static_assert(sizeof(struct xen_memory_map_compat) == 8, "xen_memory_map (32-bit)");
_Static_assert(sizeof(struct xen_e820_entry) == 20, "e820 entry is 20 bytes");

#endif
