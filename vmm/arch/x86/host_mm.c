// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMM's own address space (docs/memory-layout.md). Dom0's page tables
 * cannot serve: they belong to whichever process made the call and may be
 * freed under us. Two regions:
 *   - [image_va, +mem_size): the image and pool, 4 KiB pages at the same
 *     address as the driver's vmap, so the launch code runs across the
 *     CR3 switch; text read-only, everything else no-execute;
 *   - DIRECTMAP_BASE + [0, ram_end): RAM, to reach dom0's buffers.
 * No global pages: the lower half must not outlive an unload in the TLB.
 */
#include "cpu.h"
#include "errno.h"
#include "log.h"
#include "page_alloc.h"
#include "paging.h"
#include "vmm.h"

static struct pt host_pt;

static void *pool_pa_to_va(u64 pa)
{
	return vmm_pa_to_va(pa);
}

const struct pt_ops vmm_pt_ops = {
	.alloc_page = page_alloc,
	.free_page = page_free,
	.pa_to_va = pool_pa_to_va,
};

u64 vmm_host_cr3(void)
{
	return host_pt.root_pa;
}

static int map_image(void)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;
	u64 text_end = (u64)(uintptr_t)__text_end - bi->image_va;
	u64 ro_end = (u64)(uintptr_t)__ro_end - bi->image_va;

	for (u64 off = 0; off < bi->mem_size; off += PAGE_SIZE) {
		u64 flags = 0;
		int err;

		if (off >= text_end)
			flags |= PTE_NX;
		if (off >= ro_end)
			flags |= PTE_RW;
		err = pt_map(&host_pt, bi->image_va + off,
			     vmm_va_to_pa((void *)(uintptr_t)(bi->image_va + off)),
			     PAGE_SIZE, flags);
		if (err)
			return err;
	}
	return 0;
}

int vmm_setup_address_space(void)
{
	struct cpuid_regs r;
	int max_level = 2;
	int err;

	cpuid_count(0x80000001, 0, &r);
	if (r.edx & BIT(26))		/* 1 GiB pages */
		max_level = 3;
	err = pt_init(&host_pt, &vmm_pt_ops, PTE_RW, max_level);
	if (err)
		return err;
	err = map_image();
	if (err)
		return err;
	err = pt_map(&host_pt, DIRECTMAP_BASE, 0,
		     ALIGN_UP(xvmm_boot_info.ram_end, SZ_2M), PTE_RW | PTE_NX);
	if (err)
		return err;
	pr_info("host page table at %llx\n", (unsigned long long)host_pt.root_pa);
	return 0;
}
