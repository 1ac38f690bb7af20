// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's RAM (docs/memory-layout.md, "A guest's RAM"): the 2 MiB
 * chunks dom0 donated, where each sits in guest-physical space
 * (include/xvmm/ram_layout.h: below the gap under 4 GiB, then above
 * 4 GiB), and which of its 4 KiB frames are populated now.
 *
 * Every RAM frame keeps its own page for the life of the domain: RAM byte
 * n is always byte n of the chunk list. A frame the guest gives back
 * (XENMEM_decrease_reservation) leaves the nested page table and its page
 * stays in the domain, unreachable by the guest; populating the frame
 * again maps the same page, zeroed first, as Xen hands a guest a scrubbed
 * page. So a vCPU that still holds a stale translation of the frame can
 * reach only a page of its own domain, never one given to dom0 or another
 * guest, and nothing has to wait for a TLB flush before the page is
 * reused. Frames past `memory` (up to `maxmem`) start given back: the
 * driver donates all of maxmem at creation (docs/domains.md says why).
 */
#include "arch.h"
#include "errno.h"
#include "lib.h"
#include "page_alloc.h"
#include "vmm.h"
#include <xvmm/ram_layout.h>

#define FRAMES_PER_CHUNK	(XVMM_CHUNK_SIZE / PAGE_SIZE)

static void free_pages_n(u64 pa, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		page_free(pa + (u64)i * PAGE_SIZE);
}

static bool absent(const struct domain *d, u64 frame)
{
	const u64 *map = READ_ONCE(d->ram_absent);

	return map && (READ_ONCE(map[frame / 64]) & (1ull << (frame % 64)));
}

/*
 * The bitmap of frames not populated, allocated at creation: Linux gives
 * frames back at boot (its grant frames) and BUG()s if a decrease falls
 * short, so running out of pool must show at creation, not there.
 */
static int absent_map_ready(struct domain *d)
{
	u64 frames = d->ram_max / PAGE_SIZE;
	unsigned int pages = (unsigned int)((frames + 8 * PAGE_SIZE - 1) / (8 * PAGE_SIZE));
	u64 *map;

	if (d->ram_absent)
		return 0;
	map = page_alloc_contig(pages, &d->ram_absent_pa);
	if (!map)
		return -ENOMEM;
	d->ram_absent_pages = pages;
	WRITE_ONCE(d->ram_absent, map);
	return 0;
}

static void set_absent(struct domain *d, u64 frame, bool out)
{
	u64 bit = 1ull << (frame % 64);

	if (out == absent(d, frame))
		return;
	WRITE_ONCE(d->ram_absent[frame / 64], d->ram_absent[frame / 64] ^ bit);
	d->ram_nr_absent += out ? 1 : (u64)-1;
}

/* RAM frame index of guest frame gfn, or false. */
static bool frame_index(const struct domain *d, u64 gfn, u64 *frame)
{
	unsigned long long off;

	if (gfn >= (1ull << (64 - PAGE_SHIFT)) || !xvmm_ram_off(gfn << PAGE_SHIFT, d->ram_max, &off))
		return false;
	*frame = off / PAGE_SIZE;
	return true;
}

static u64 frame_hpa(const struct domain *d, u64 frame)
{
	return d->ram_chunk_pa[frame / FRAMES_PER_CHUNK] + (frame % FRAMES_PER_CHUNK) * PAGE_SIZE;
}

int domain_ram_take(struct domain *d, u64 ram_size, u64 ram_max, const u64 *chunks)
{
	unsigned int n = (unsigned int)(ram_max / XVMM_CHUNK_SIZE);
	unsigned int list_pages = (unsigned int)(ALIGN_UP((u64)n * sizeof(u64), PAGE_SIZE) / PAGE_SIZE);
	int err = 0;

	if (ram_size == 0 || ram_max < ram_size || !IS_ALIGNED(ram_size, XVMM_CHUNK_SIZE) ||
	    !IS_ALIGNED(ram_max, XVMM_CHUNK_SIZE) || ram_max / XVMM_CHUNK_SIZE > DOMAIN_MAX_RAM_CHUNKS)
		return -EINVAL;
	d->ram_chunk_pa = page_alloc_contig(list_pages, &d->ram_chunk_list_pa);
	if (!d->ram_chunk_pa)
		return -ENOMEM;
	d->ram_chunk_list_pages = list_pages;
	d->ram_size = ram_size;
	d->ram_max = ram_max;
	for (d->nr_ram_chunks = 0; d->nr_ram_chunks < n; d->nr_ram_chunks++) {
		u64 pa = chunks[d->nr_ram_chunks];

		/* dom0_hide refuses VMM memory, MMIO, memory given away already. */
		if (!IS_ALIGNED(pa, XVMM_CHUNK_SIZE) || pa + XVMM_CHUNK_SIZE > xvmm_boot_info.ram_end ||
		    pa + XVMM_CHUNK_SIZE < pa || pa_overlaps_vmm(pa, XVMM_CHUNK_SIZE)) {
			err = -EINVAL;
			break;
		}
		err = vendor->dom0_hide(pa, XVMM_CHUNK_SIZE);
		if (err)
			break;
		d->ram_chunk_pa[d->nr_ram_chunks] = pa;
	}
	/* Frames past memory start given back, ready for populate_physmap. */
	if (!err && !(err = absent_map_ready(d)))
		for (u64 f = ram_size / PAGE_SIZE; f < ram_max / PAGE_SIZE; f++)
			set_absent(d, f, true);
	dom0_npt_changed();
	if (err)
		domain_ram_give_back(d);
	return err;
}

void domain_ram_give_back(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_ram_chunks; i++) {
		u64 pa = d->ram_chunk_pa[i];

		memset((void *)(uintptr_t)(DIRECTMAP_BASE + pa), 0, XVMM_CHUNK_SIZE);
		vendor->dom0_restore(pa, XVMM_CHUNK_SIZE);
	}
	if (d->nr_ram_chunks)
		dom0_npt_changed();
	d->nr_ram_chunks = 0;
	if (d->ram_chunk_pa)
		free_pages_n(d->ram_chunk_list_pa, d->ram_chunk_list_pages);
	d->ram_chunk_pa = NULL;
	d->ram_chunk_list_pages = 0;
	if (d->ram_absent)
		free_pages_n(d->ram_absent_pa, d->ram_absent_pages);
	d->ram_absent = NULL;
	d->ram_absent_pages = 0;
	d->ram_nr_absent = 0;
}

bool domain_ram_frame_of(const struct domain *d, u64 gfn)
{
	u64 frame;

	return frame_index(d, gfn, &frame);
}

u64 domain_ram_hpa(const struct domain *d, u64 gpa)
{
	u64 frame;

	if (!frame_index(d, gpa >> PAGE_SHIFT, &frame) || absent(d, frame))
		return 0;
	return frame_hpa(d, frame) + (gpa & (PAGE_SIZE - 1));
}

int domain_ram_remove(struct domain *d, u64 gfn)
{
	u64 frame;
	int err;

	if (!frame_index(d, gfn, &frame))
		return -EINVAL;
	spin_lock(&d->lock);
	if (absent(d, frame))
		err = -ENOENT;
	else if (!(err = vendor->domain_unmap_page(d, gfn << PAGE_SHIFT)))
		set_absent(d, frame, true);
	spin_unlock(&d->lock);
	return err;
}

int domain_ram_populate(struct domain *d, u64 gfn)
{
	u64 frame, hpa;
	int err = 0;

	if (!frame_index(d, gfn, &frame))
		return -EINVAL;
	spin_lock(&d->lock);
	if (absent(d, frame)) {
		hpa = frame_hpa(d, frame);
		memset((void *)(uintptr_t)(DIRECTMAP_BASE + hpa), 0, PAGE_SIZE);
		err = vendor->domain_map_page(d, gfn << PAGE_SHIFT, hpa);
		if (!err)
			set_absent(d, frame, false);
	}
	spin_unlock(&d->lock);
	return err;
}

u64 domain_ram_pages(const struct domain *d)
{
	return d->ram_max / PAGE_SIZE - READ_ONCE(d->ram_nr_absent);
}
