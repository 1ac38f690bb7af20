/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 four-level page tables, used for the VMM's own address space and,
 * in the same format, for AMD nested page tables (APM vol. 2, 5.3 and
 * 15.25.5: nested tables are ordinary long-mode tables, walked as user
 * accesses, so NPT entries carry U/S).
 */
#ifndef VMM_X86_PAGING_H
#define VMM_X86_PAGING_H

#include "types.h"

#define PTE_P		BIT(0)
#define PTE_RW		BIT(1)
#define PTE_US		BIT(2)
#define PTE_PWT		BIT(3)
#define PTE_PCD		BIT(4)
#define PTE_A		BIT(5)
#define PTE_D		BIT(6)
#define PTE_PS		BIT(7)	/* large page in PDPTE/PDE */
#define PTE_G		BIT(8)
#define PTE_NX		BIT(63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

#define PT_ENTRIES	512
#define PT_LEVELS	4	/* level 4 = PML4 ... level 1 = PT */

/* Page size mapped by one entry at a level. */
static inline u64 pt_level_size(int level)
{
	return 1ull << (PAGE_SHIFT + 9 * (level - 1));
}

static inline unsigned int pt_index(u64 va, int level)
{
	return (unsigned int)((va >> (PAGE_SHIFT + 9 * (level - 1))) & 511);
}

/*
 * Where page-table pages come from and how to reach them: the VMM passes its
 * page pool, the unit tests a host buffer.
 */
struct pt_ops {
	void *(*alloc_page)(u64 *pa);	/* zeroed 4 KiB page, or NULL */
	void (*free_page)(u64 pa);
	void *(*pa_to_va)(u64 pa);
};

struct pt {
	u64 root_pa;
	const struct pt_ops *ops;
	u64 table_flags;	/* flags of non-leaf entries */
	int max_leaf_level;	/* 3: 1 GiB pages allowed, 2: 2 MiB, 1: 4 KiB only */
};

int pt_init(struct pt *pt, const struct pt_ops *ops, u64 table_flags, int max_leaf_level);
void pt_destroy(struct pt *pt);

/*
 * Map [va, va + size) to [pa, pa + size) with leaf flags, using the largest
 * pages alignment allows; splits larger leaves that are in the way.
 * va, pa and size must be 4 KiB aligned. Returns 0 or -ENOMEM/-EINVAL.
 */
int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 flags);

/* Unmap [va, va + size): entries become not-present (splitting as needed). */
int pt_unmap(struct pt *pt, u64 va, u64 size);

/*
 * Look up va: returns the leaf entry and its level (page size), or 0 when
 * nothing is mapped there.
 */
u64 pt_lookup(const struct pt *pt, u64 va, int *level);

#endif
