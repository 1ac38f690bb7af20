// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translating between the VMM's virtual addresses and physical ones. The
 * VMM's memory is virtually contiguous at image_va but physically a list of
 * 2 MiB chunks (xvmm_boot_info.chunk_pa). And dom0's memory as the VMM
 * sees it: buffers dom0 passes, guest pages dom0 is granted, and when
 * every CPU has dropped what dom0's nested page table no longer maps.
 */
#include "arch.h"
#include "errno.h"
#include "vmm.h"

u64 vmm_va_to_pa(const void *va)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;
	u64 off = (u64)(uintptr_t)va - bi->image_va;

	if ((u64)(uintptr_t)va < bi->image_va || off >= bi->mem_size)
		return 0;
	return bi->chunk_pa[off >> XVMM_CHUNK_SHIFT] + (off & (XVMM_CHUNK_SIZE - 1));
}

void *vmm_pa_to_va(u64 pa)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;

	for (u32 i = 0; i < bi->nr_chunks; i++) {
		u64 base = bi->chunk_pa[i];
		u64 off = ((u64)i << XVMM_CHUNK_SHIFT) + (pa - base);

		if (pa >= base && pa - base < XVMM_CHUNK_SIZE && off < bi->mem_size)
			return (void *)(uintptr_t)(bi->image_va + off);
	}
	return NULL;
}

bool pa_overlaps_vmm(u64 pa, u64 len)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;

	for (u32 i = 0; i < bi->nr_chunks; i++) {
		u64 base = bi->chunk_pa[i];

		if (pa < base + XVMM_CHUNK_SIZE && base < pa + len)
			return true;
	}
	return false;
}

void *dom0_buffer(u64 pa, u64 len)
{
	if (len == 0 || pa + len < pa || pa + len > xvmm_boot_info.ram_end)
		return NULL;
	if (pa_overlaps_vmm(pa, len))
		return NULL;
	return (void *)(uintptr_t)(DIRECTMAP_BASE + pa);
}

void *dom0_ram_buffer(u64 pa, u64 len)
{
	void *p = dom0_buffer(pa, len);
	u64 first = ALIGN_DOWN(pa, PAGE_SIZE);

	if (!p || !vendor->dom0_owns(first, ALIGN_UP(pa + len, PAGE_SIZE) - first))
		return NULL;
	return p;
}

int dom0_grant_access(u64 pa, enum dom0_access access)
{
	if (!IS_ALIGNED(pa, PAGE_SIZE) || pa >= xvmm_boot_info.ram_end || pa_overlaps_vmm(pa, PAGE_SIZE))
		return -EINVAL;
	return vendor->dom0_grant(pa, access);
}

u64 dom0_npt_changed(void)
{
	return __atomic_add_fetch(&dom0_npt_generation, 1, __ATOMIC_SEQ_CST);
}

/*
 * A CPU records the generation before the VMRUN that flushes (svm.c's run
 * loop): from then until that VMRUN it runs only VMM code, so no dom0
 * access can use a translation older than the recorded generation.
 */
bool dom0_npt_flushed_except(u64 gen, const struct vmm_cpu *self)
{
	for (u32 i = 0; i < xvmm_boot_info.nr_cpus && i < XVMM_MAX_CPUS; i++)
		if (&vmm_cpus[i] != self && READ_ONCE(vmm_cpus[i].launched) &&
		    READ_ONCE(vmm_cpus[i].dom0_tlb_gen) < gen)
			return false;
	return true;
}

bool dom0_npt_flushed(u64 gen)
{
	return dom0_npt_flushed_except(gen, NULL);
}
