// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translating between the VMM's virtual addresses and physical ones. The
 * VMM's memory is virtually contiguous at image_va but physically a list of
 * 2 MiB chunks (xvmm_boot_info.chunk_pa).
 */
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
