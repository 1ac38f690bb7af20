// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading the VMM image (include/xvmm/image.h): check the header, allocate
 * the VMM's memory in 2 MiB chunks, map it executable at one virtual
 * address, copy and relocate the image, and fill in its boot info.
 */
#include <linux/elf.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/io.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/tsc.h>
#include <asm/processor.h>
#include "xvmm_alloc.h"
#include "xvmm_drv.h"

#define CHUNK_ORDER	(XVMM_CHUNK_SHIFT - PAGE_SHIFT)

static bool in_file(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static int check_header(const struct xvmm_image_header *h, size_t len)
{
	if (len < sizeof(*h) || h->magic != XVMM_IMAGE_MAGIC) {
		pr_err("xvmm: not an xvmm image (bad magic)\n");
		return -ENOEXEC;
	}
	if (h->format != XVMM_IMAGE_FORMAT) {
		pr_err("xvmm: image format %u, this driver takes %u\n",
		       h->format, XVMM_IMAGE_FORMAT);
		return -ENOEXEC;
	}
	if (h->file_size > len || h->file_size < sizeof(*h) ||
	    h->mem_size < h->file_size || h->mem_size > XVMM_MAX_CHUNKS * XVMM_CHUNK_SIZE ||
	    h->init >= h->file_size || h->launch >= h->file_size ||
	    h->rela_start > h->rela_end || !in_file(h->rela_start, h->rela_end - h->rela_start, h->file_size) ||
	    (h->rela_end - h->rela_start) % sizeof(Elf64_Rela) ||
	    !in_file(h->boot_info, sizeof(struct xvmm_boot_info), h->mem_size) ||
	    !in_file(h->version, 1, h->file_size)) {
		pr_err("xvmm: image header inconsistent with its %zu bytes\n", len);
		return -ENOEXEC;
	}
	return 0;
}

/* The image is linked at 0: each R_X86_64_RELATIVE slot becomes base + addend. */
static int relocate(u8 *base, const struct xvmm_image_header *h)
{
	const Elf64_Rela *r = (const Elf64_Rela *)(base + h->rela_start);
	const Elf64_Rela *end = (const Elf64_Rela *)(base + h->rela_end);

	for (; r < end; r++) {
		if (ELF64_R_TYPE(r->r_info) != R_X86_64_RELATIVE ||
		    !in_file(r->r_offset, sizeof(u64), h->file_size)) {
			pr_err("xvmm: image has a relocation the driver cannot apply\n");
			return -ENOEXEC;
		}
		*(u64 *)(base + r->r_offset) = (u64)base + r->r_addend;
	}
	return 0;
}

static int note_ram_end(struct resource *r, void *arg)
{
	u64 *end = arg;

	if (r->end + 1 > *end)
		*end = r->end + 1;
	return 0;
}

/* End of the highest "System RAM" range: the VMM's direct map covers [0, it). */
static u64 ram_end(void)
{
	u64 end = 0;

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
			    0, -1, &end, note_ram_end);
	return end;
}

/* Toggling CR4.PGE drops every TLB entry, global ones included (SDM 4.10.4.1). */
static void flush_tlb_this_cpu(void *unused)
{
	unsigned long cr4, flags;

	local_irq_save(flags);
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" :: "r"(cr4 ^ X86_CR4_PGE) : "memory");
	asm volatile("mov %0, %%cr4" :: "r"(cr4) : "memory");
	local_irq_restore(flags);
}

/*
 * vmap() always maps no-execute (since Linux 5.8), and set_memory_x() is
 * not exported: clear NX in the kernel PTEs of our own mapping ourselves.
 */
static int make_executable(void *va, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		unsigned int level;
		pte_t *pte = lookup_address((unsigned long)va + off, &level);

		if (!pte || level != PG_LEVEL_4K)
			return -EFAULT;
		set_pte(pte, pte_mkexec(*pte));
	}
	on_each_cpu(flush_tlb_this_cpu, NULL, 1);
	return 0;
}

void xvmm_image_free(struct xvmm_loaded *l)
{
	unsigned int i;

	if (l->va)
		vunmap(l->va);
	l->va = NULL;
	for (i = 0; i < l->nr_chunks; i++) {
		/* Scrub: the VMM's state must not outlive it in free memory. */
		memset(page_address(l->chunks[i]), 0, XVMM_CHUNK_SIZE);
		xvmm___free_pages(l->chunks[i], CHUNK_ORDER);
	}
	l->nr_chunks = 0;
}

int xvmm_image_prepare(struct xvmm_loaded *l, const u8 *image, size_t len,
		       unsigned int mem_mb)
{
	const struct xvmm_image_header *h = (const void *)image;
	struct xvmm_boot_info *bi;
	struct page **pages;
	unsigned int i, j;
	u64 total;
	int err;

	err = check_header(h, len);
	if (err)
		return err;
	total = round_up(max_t(u64, (u64)mem_mb << 20, h->mem_size + (2u << 20)),
			 XVMM_CHUNK_SIZE);
	if (total > XVMM_MAX_CHUNKS * XVMM_CHUNK_SIZE) {
		pr_err("xvmm: %llu MiB is more than the VMM can take (%llu MiB)\n",
		       total >> 20, (XVMM_MAX_CHUNKS * XVMM_CHUNK_SIZE) >> 20);
		return -EINVAL;
	}
	if (nr_cpu_ids > XVMM_MAX_CPUS) {
		pr_err("xvmm: %u CPU ids, the VMM handles %u\n", nr_cpu_ids, XVMM_MAX_CPUS);
		return -EINVAL;
	}

	memset(l, 0, sizeof(*l));
	for (i = 0; i < total / XVMM_CHUNK_SIZE; i++) {
		l->chunks[i] = xvmm_alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, CHUNK_ORDER);
		if (!l->chunks[i]) {
			pr_err("xvmm: out of memory for the VMM (%llu MiB in 2 MiB chunks)\n",
			       total >> 20);
			err = -ENOMEM;
			goto fail;
		}
		l->nr_chunks++;
	}

	pages = xvmm_kvmalloc_array(total >> PAGE_SHIFT, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < l->nr_chunks; i++)
		for (j = 0; j < (1u << CHUNK_ORDER); j++)
			pages[(i << CHUNK_ORDER) + j] = l->chunks[i] + j;
	l->va = vmap(pages, total >> PAGE_SHIFT, VM_MAP, PAGE_KERNEL_EXEC);
	xvmm_kvfree(pages);
	if (!l->va) {
		err = -ENOMEM;
		goto fail;
	}

	err = make_executable(l->va, total);
	if (err)
		goto fail;
	memcpy(l->va, image, h->file_size);
	err = relocate(l->va, h);
	if (err)
		goto fail;

	bi = l->va + h->boot_info;
	bi->image_va = (u64)l->va;
	bi->mem_size = total;
	bi->nr_chunks = l->nr_chunks;
	bi->nr_cpus = nr_cpu_ids;
	for (i = 0; i < l->nr_chunks; i++)
		bi->chunk_pa[i] = page_to_phys(l->chunks[i]);
	bi->ram_end = ram_end();
	bi->phys_limit = 1ull << boot_cpu_data.x86_phys_bits;
	bi->tsc_khz = tsc_khz;
	/* UTC at TSC 0: guests' wallclock (shared_info wc_*) plus their system time. */
	bi->wallclock_ns = ktime_get_real_ns() - mul_u64_u32_div(rdtsc(), 1000000, tsc_khz);

	l->fault = &bi->fault;
	xvmm_fault_boot(l->fault);

	l->init = l->va + h->init;
	l->launch = l->va + h->launch;
	strscpy(l->version, (const char *)image + h->version,
		min_t(size_t, sizeof(l->version), h->file_size - h->version));
	return 0;
fail:
	xvmm_image_free(l);
	return err;
}
