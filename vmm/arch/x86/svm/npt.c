// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dom0's nested page table (AMD APM vol. 2, 15.25): every physical address
 * below phys_limit, RAM and MMIO alike, mapped 1:1 with the largest pages
 * that fit, except the VMM's own memory. Each VMM page is backed instead by
 * one shared junk page: dom0 reading VMM memory gets junk, writing changes
 * only junk, and neither takes an exit or crashes anything.
 *
 * Leaves are WB; with nested paging the guest's PAT and the MTRRs still
 * decide the effective type (APM 15.25.8), so MMIO stays uncached.
 */
#include "cpu.h"
#include "errno.h"
#include "log.h"
#include "paging.h"
#include "spinlock.h"
#include "svm.h"
#include "vmm.h"
#include <xvmm/ram_layout.h>

extern const struct pt_ops vmm_pt_ops;

/* Nested walks are user accesses (APM 15.25.5): U/S is set at every level. */
#define NPT_FLAGS	(PTE_RW | PTE_US)
/*
 * A guest page dom0 maps through a grant: 1:1 like dom0's own RAM, so
 * marked in a bit the CPU ignores (AVL, bits 9-11 of a long-mode entry,
 * APM vol. 2 5.4.1) to tell the two apart: such a page is never dom0's to
 * give away or to use as a buffer (npt_dom0_owns).
 */
#define NPT_GRANT	BIT(9)

int npt_build_dom0_with(const struct pt_ops *ops, const struct xvmm_boot_info *bi,
			u64 junk_pa, u64 *root_pa, int max_level);

int npt_build_dom0_with(const struct pt_ops *ops, const struct xvmm_boot_info *bi,
			u64 junk_pa, u64 *root_pa, int max_level)
{
	struct pt npt;
	int err;

	if (!IS_ALIGNED(bi->phys_limit, PAGE_SIZE) || bi->phys_limit == 0)
		return -EINVAL;
	err = pt_init(&npt, ops, NPT_FLAGS, max_level);
	if (err)
		return err;
	err = pt_map(&npt, 0, 0, bi->phys_limit, NPT_FLAGS);
	for (u32 i = 0; !err && i < bi->nr_chunks; i++) {
		u64 base = bi->chunk_pa[i];

		if (base >= bi->phys_limit)
			continue;
		for (u64 off = 0; !err && off < XVMM_CHUNK_SIZE; off += PAGE_SIZE)
			err = pt_map(&npt, base + off, junk_pa, PAGE_SIZE, NPT_FLAGS);
	}
	if (err) {
		pt_destroy(&npt);
		return err;
	}
	*root_pa = npt.root_pa;
	return 0;
}

int npt_build_dom0(u64 phys_limit, u64 junk_pa, u64 *root_pa)
{
	struct xvmm_boot_info bi = xvmm_boot_info;
	struct cpuid_regs r;
	int err;

	bi.phys_limit = phys_limit;
	/* 1 GiB nested pages where the CPU has them (CPUID 8000_0001 EDX[26]). */
	cpuid_count(0x80000001, 0, &r);
	err = npt_build_dom0_with(&vmm_pt_ops, &bi, junk_pa, root_pa,
				  (r.edx & BIT(26)) ? 3 : 2);
	if (!err)
		pr_info("dom0 NPT: [0, %llx) 1:1, %u VMM chunks hidden\n",
			(unsigned long long)phys_limit, bi.nr_chunks);
	return err;
}

/* Dom0's table is shared by all CPUs: changes are serialised here. */
static spinlock_t dom0_npt_lock = SPINLOCK_INIT;
static u64 dom0_root, dom0_junk_pa;

static struct pt dom0_pt(void)
{
	struct pt pt = {
		.root_pa = dom0_root, .ops = &vmm_pt_ops,
		.table_flags = NPT_FLAGS | PTE_P, .max_leaf_level = 3,
	};
	return pt;
}

void npt_dom0_set(u64 root, u64 junk_pa)
{
	dom0_root = root;
	dom0_junk_pa = junk_pa;
}

/*
 * Dom0 gives [pa, pa + size) away: it must be mapped 1:1 now (not VMM
 * memory, not given to another domain), and becomes junk-backed.
 */
static bool identity_mapped(const struct pt *pt, u64 pa, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		int level;
		u64 e = pt_lookup(pt, pa + off, &level);
		u64 mask = pt_level_size(level) - 1;

		if (!e || (e & NPT_GRANT) ||
		    (e & PTE_ADDR_MASK & ~mask) + ((pa + off) & mask) != pa + off)
			return false;
	}
	return true;
}

bool npt_dom0_owns_with(const struct pt *pt, u64 pa, u64 size);

bool npt_dom0_owns_with(const struct pt *pt, u64 pa, u64 size)
{
	return identity_mapped(pt, pa, size);
}

bool npt_dom0_owns(u64 pa, u64 size)
{
	struct pt pt = dom0_pt();
	bool owned;

	spin_lock(&dom0_npt_lock);
	owned = identity_mapped(&pt, pa, size);
	spin_unlock(&dom0_npt_lock);
	return owned;
}

int npt_dom0_hide(u64 pa, u64 size)
{
	struct pt pt = dom0_pt();
	int err = 0;

	spin_lock(&dom0_npt_lock);
	if (!identity_mapped(&pt, pa, size))
		err = -EBUSY;
	for (u64 off = 0; !err && off < size; off += PAGE_SIZE)
		err = pt_map(&pt, pa + off, dom0_junk_pa, PAGE_SIZE, NPT_FLAGS);
	spin_unlock(&dom0_npt_lock);
	return err;
}

int npt_dom0_restore(u64 pa, u64 size)
{
	struct pt pt = dom0_pt();
	int err;

	spin_lock(&dom0_npt_lock);
	err = pt_map(&pt, pa, pa, size, NPT_FLAGS);
	spin_unlock(&dom0_npt_lock);
	return err;
}

/*
 * A granted guest page: junk now (hidden with its chunk), or a grant
 * mapping; becomes a read-only or read-write grant mapping, or junk again.
 * Dom0's own RAM and MMIO are refused here; VMM memory is junk-backed
 * too, and dom0_grant_access (vmm/core/memory.c) refuses it before this.
 */
int npt_dom0_grant_with(struct pt *pt, u64 junk_pa, u64 pa, enum dom0_access access);

int npt_dom0_grant_with(struct pt *pt, u64 junk_pa, u64 pa, enum dom0_access access)
{
	int level = 0;
	u64 e;

	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	e = pt_lookup(pt, pa, &level);
	if (!e || level != 1)
		return -EINVAL;
	if (!(e & NPT_GRANT) && (e & PTE_ADDR_MASK) != junk_pa)
		return -EINVAL;
	switch (access) {
	case DOM0_NO_ACCESS:
		return pt_map(pt, pa, junk_pa, PAGE_SIZE, NPT_FLAGS);
	case DOM0_READ:
		return pt_map(pt, pa, pa, PAGE_SIZE, PTE_US | NPT_GRANT);
	case DOM0_READ_WRITE:
		return pt_map(pt, pa, pa, PAGE_SIZE, NPT_FLAGS | NPT_GRANT);
	}
	return -EINVAL;
}

int npt_dom0_grant(u64 pa, enum dom0_access access)
{
	struct pt pt = dom0_pt();
	int err;

	spin_lock(&dom0_npt_lock);
	err = npt_dom0_grant_with(&pt, dom0_junk_pa, pa, access);
	spin_unlock(&dom0_npt_lock);
	return err;
}

/* Does dom0's table let dom0 write @pa now? (A write fault may come from a stale translation.) */
bool npt_dom0_writable(u64 pa)
{
	struct pt pt = dom0_pt();
	u64 e;

	spin_lock(&dom0_npt_lock);
	e = pt_lookup(&pt, pa, NULL);
	spin_unlock(&dom0_npt_lock);
	return (e & PTE_P) && (e & PTE_RW);
}

/*
 * A guest's table: its populated RAM in 2 MiB leaves where the chunks sit
 * in guest-physical space (include/xvmm/ram_layout.h), special pages in
 * 4 KiB ones, nothing else. Chunks past `memory` start unpopulated.
 */
int npt_domain_init(struct domain *d)
{
	struct pt pt;
	int err = pt_init(&pt, &vmm_pt_ops, NPT_FLAGS, 2);

	for (unsigned int i = 0; !err && i < d->ram_size / XVMM_CHUNK_SIZE; i++)
		err = pt_map(&pt, xvmm_ram_gpa((u64)i * XVMM_CHUNK_SIZE), d->ram_chunk_pa[i],
			     XVMM_CHUNK_SIZE, NPT_FLAGS);
	for (unsigned int i = 0; !err && i < d->nr_special; i++)
		err = pt_map(&pt, d->special_gpa + (u64)i * PAGE_SIZE, d->special_pa[i],
			     PAGE_SIZE, NPT_FLAGS);
	if (err) {
		if (pt.root_pa)
			pt_destroy(&pt);
		return err;
	}
	d->npt_root = pt.root_pa;
	return 0;
}

static struct pt domain_pt(struct domain *d)
{
	struct pt pt = {
		.root_pa = d->npt_root, .ops = &vmm_pt_ops,
		.table_flags = NPT_FLAGS | PTE_P, .max_leaf_level = 2,
	};
	return pt;
}

int npt_domain_map_page(struct domain *d, u64 gpa, u64 hpa)
{
	struct pt pt = domain_pt(d);

	return pt_map(&pt, gpa, hpa, PAGE_SIZE, NPT_FLAGS);
}

/* Read-only for the guest (a GTF_readonly grant): a write takes a nested page fault. */
int npt_domain_map_page_ro(struct domain *d, u64 gpa, u64 hpa)
{
	struct pt pt = domain_pt(d);

	return pt_map(&pt, gpa, hpa, PAGE_SIZE, PTE_US);
}

/* Nothing at @gpa any more (a large leaf around it is split). */
int npt_domain_unmap_page(struct domain *d, u64 gpa)
{
	struct pt pt = domain_pt(d);

	return pt_unmap(&pt, gpa, PAGE_SIZE);
}

void npt_domain_destroy(struct domain *d)
{
	struct pt pt = { .root_pa = d->npt_root, .ops = &vmm_pt_ops };

	if (d->npt_root)
		pt_destroy(&pt);
	d->npt_root = 0;
}
