// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page pool: the part of the driver's allocation after the image, one bit
 * per 4 KiB page. Runs at init (one CPU) and from exit handlers (any CPU),
 * so it takes a lock.
 */
#include "errno.h"
#include "generated/config.h"
#include "lib.h"
#include "page_alloc.h"
#include "spinlock.h"
#include "vmm.h"

#define POOL_MAX_PAGES	((XVMM_MAX_CHUNKS * XVMM_CHUNK_SIZE) >> PAGE_SHIFT)

static u64 pool_va;
static u64 pool_pages;
static u64 pool_free;
static u64 used[POOL_MAX_PAGES / 64];
static spinlock_t pool_lock = SPINLOCK_INIT;

int page_pool_init(u64 va, u64 size)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || size < PAGE_SIZE)
		return -EINVAL;
	pool_va = va;
	pool_pages = MIN(size >> PAGE_SHIFT, (u64)POOL_MAX_PAGES);
	pool_free = pool_pages;
	memset(used, 0, sizeof(used));
	return 0;
}

/*
 * CONFIG_XVMM_FAULT_INJECT (debug builds): every allocation from the pool
 * counts, and the armed one fails as if the pool were empty
 * (include/xvmm/fault_inject.h; armed with XVMM_OP_FAULT_INJECT, or by the
 * driver through the boot info before init()). Compiled out otherwise.
 */
static bool fail_on_purpose(void)
{
#ifdef CONFIG_XVMM_FAULT_INJECT
	return xvmm_fault_hit(&xvmm_boot_info.fault);
#else
	return false;
#endif
}

static bool page_used(u64 i)
{
	return used[i / 64] & BIT(i % 64);
}

static void mark(u64 i, bool on)
{
	if (on)
		used[i / 64] |= BIT(i % 64);
	else
		used[i / 64] &= ~BIT(i % 64);
}

void *page_alloc_contig(unsigned int n, u64 *pa)
{
	u64 run = 0, start = 0;
	void *va = NULL;

	if (n == 0 || n > XVMM_CHUNK_SIZE / PAGE_SIZE || fail_on_purpose())
		return NULL;
	spin_lock(&pool_lock);
	for (u64 i = 0; i < pool_pages; i++) {
		/* Runs may not cross a chunk: chunks are only virtually contiguous. */
		u64 addr = pool_va + (i << PAGE_SHIFT);
		bool chunk_start = IS_ALIGNED(addr - xvmm_boot_info.image_va, XVMM_CHUNK_SIZE);

		if (page_used(i) || (chunk_start && run)) {
			run = 0;
			if (page_used(i))
				continue;
		}
		if (run == 0)
			start = i;
		if (++run == n) {
			for (u64 j = start; j < start + n; j++)
				mark(j, true);
			pool_free -= n;
			va = (void *)(uintptr_t)(pool_va + (start << PAGE_SHIFT));
			break;
		}
	}
	spin_unlock(&pool_lock);
	if (!va)
		return NULL;
	memset(va, 0, (size_t)n * PAGE_SIZE);
	*pa = vmm_va_to_pa(va);
	return va;
}

void *page_alloc(u64 *pa)
{
	return page_alloc_contig(1, pa);
}

void page_free(u64 pa)
{
	void *va = vmm_pa_to_va(pa);
	u64 i;

	if (!va || (u64)(uintptr_t)va < pool_va)
		return;
	i = ((u64)(uintptr_t)va - pool_va) >> PAGE_SHIFT;
	if (i >= pool_pages)
		return;
	spin_lock(&pool_lock);
	if (page_used(i)) {
		mark(i, false);
		pool_free++;
	}
	spin_unlock(&pool_lock);
}

u64 page_pool_free_bytes(void)
{
	return pool_free << PAGE_SHIFT;
}

u64 page_pool_total_bytes(void)
{
	return pool_pages << PAGE_SHIFT;
}
