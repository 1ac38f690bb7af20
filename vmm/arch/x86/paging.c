// SPDX-License-Identifier: GPL-2.0-only
/*
 * Four-level page-table builder shared by the VMM's address space and the
 * nested page tables (same entry format: AMD APM vol. 2, 5.3.3 and 15.25).
 * Leaves are as large as alignment and max_leaf_level allow; a large leaf in
 * the way of a smaller mapping is split into a table that maps the same
 * range with the same flags first, so nothing else changes.
 */
#include "paging.h"
#include "errno.h"

int pt_init(struct pt *pt, const struct pt_ops *ops, u64 table_flags, int max_leaf_level)
{
	void *root;

	if (max_leaf_level < 1 || max_leaf_level > 3)
		return -EINVAL;
	pt->ops = ops;
	pt->table_flags = table_flags | PTE_P;
	pt->max_leaf_level = max_leaf_level;
	/* Callers may pt_destroy() after a failure: no root means nothing to free. */
	pt->root_pa = 0;
	root = ops->alloc_page(&pt->root_pa);
	if (!root) {
		pt->root_pa = 0;
		return -ENOMEM;
	}
	return 0;
}

static u64 *table_of(const struct pt *pt, u64 entry)
{
	return pt->ops->pa_to_va(entry & PTE_ADDR_MASK);
}

static bool is_leaf(u64 entry, int level)
{
	return level == 1 || (entry & PTE_PS);
}

static void free_table(struct pt *pt, u64 pa, int level)
{
	u64 *t = pt->ops->pa_to_va(pa);

	if (level > 1) {
		for (int i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_P) && !is_leaf(t[i], level))
				free_table(pt, t[i] & PTE_ADDR_MASK, level - 1);
	}
	pt->ops->free_page(pa);
}

void pt_destroy(struct pt *pt)
{
	if (pt->root_pa)
		free_table(pt, pt->root_pa, PT_LEVELS);
	pt->root_pa = 0;
}

/* Replace a large leaf at @level by a table of leaves one level down. */
static int split_leaf(struct pt *pt, u64 *entry, int level)
{
	u64 old = *entry, pa, sub_size = pt_level_size(level - 1);
	u64 flags = old & ~PTE_ADDR_MASK & ~PTE_PS;
	u64 *t;

	/* The PAT bit sits at bit 12 in large leaves, bit 7 in 4 KiB ones. */
	u64 base = old & PTE_ADDR_MASK & ~(pt_level_size(level) - 1);

	t = pt->ops->alloc_page(&pa);
	if (!t)
		return -ENOMEM;
	for (int i = 0; i < PT_ENTRIES; i++)
		t[i] = (base + (u64)i * sub_size) | flags | (level - 1 > 1 ? PTE_PS : 0);
	*entry = pa | pt->table_flags;
	return 0;
}

/* Find or create the entry for va at @want_level, splitting on the way. */
static int walk_to(struct pt *pt, u64 va, int want_level, u64 **out)
{
	u64 *t = pt->ops->pa_to_va(pt->root_pa);

	for (int level = PT_LEVELS; level > want_level; level--) {
		u64 *e = &t[pt_index(va, level)];

		if (!(*e & PTE_P)) {
			u64 pa;

			if (!pt->ops->alloc_page(&pa))
				return -ENOMEM;
			*e = pa | pt->table_flags;
		} else if (is_leaf(*e, level)) {
			int err = split_leaf(pt, e, level);

			if (err)
				return err;
		}
		t = table_of(pt, *e);
	}
	*out = &t[pt_index(va, want_level)];
	return 0;
}

static int pick_level(const struct pt *pt, u64 va, u64 pa, u64 left, bool unmap)
{
	for (int level = pt->max_leaf_level; level > 1; level--) {
		u64 sz = pt_level_size(level);

		if (IS_ALIGNED(va, sz) && (unmap || IS_ALIGNED(pa, sz)) && left >= sz)
			return level;
	}
	return 1;
}

static int set_range(struct pt *pt, u64 va, u64 pa, u64 size, u64 flags, bool unmap)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	if (va + size < va)
		return -EINVAL;
	while (size) {
		int level = pick_level(pt, va, pa, size, unmap);
		u64 sz = pt_level_size(level), *e;
		int err = walk_to(pt, va, level, &e);

		if (err)
			return err;
		/* A table where a large leaf goes: drop the table. */
		if ((*e & PTE_P) && !is_leaf(*e, level))
			free_table(pt, *e & PTE_ADDR_MASK, level - 1);
		if (unmap)
			*e = 0;
		else
			*e = pa | flags | PTE_P | (level > 1 ? PTE_PS : 0);
		va += sz;
		pa += sz;
		size -= sz;
	}
	return 0;
}

int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 flags)
{
	return set_range(pt, va, pa, size, flags & ~PTE_ADDR_MASK & ~PTE_PS, false);
}

int pt_unmap(struct pt *pt, u64 va, u64 size)
{
	return set_range(pt, va, 0, size, 0, true);
}

u64 pt_lookup(const struct pt *pt, u64 va, int *level)
{
	u64 *t = pt->ops->pa_to_va(pt->root_pa);

	for (int l = PT_LEVELS; l >= 1; l--) {
		u64 e = t[pt_index(va, l)];

		if (!(e & PTE_P))
			return 0;
		if (is_leaf(e, l)) {
			if (level)
				*level = l;
			return e;
		}
		t = table_of(pt, e);
	}
	return 0;
}
