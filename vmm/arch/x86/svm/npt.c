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
#include "svm.h"
#include "vmm.h"

extern const struct pt_ops vmm_pt_ops;

/* Nested walks are user accesses (APM 15.25.5): U/S is set at every level. */
#define NPT_FLAGS	(PTE_RW | PTE_US)

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
