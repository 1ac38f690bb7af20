/* SPDX-License-Identifier: GPL-2.0-only */
/* Page allocator over the pool the driver gave the VMM. */
#ifndef VMM_PAGE_ALLOC_H
#define VMM_PAGE_ALLOC_H

#include "types.h"

int page_pool_init(u64 pool_va, u64 pool_size);
void *page_alloc(u64 *pa);		/* zeroed page, NULL when the pool is empty */
void *page_alloc_contig(unsigned int n, u64 *pa); /* n contiguous pages in one chunk */
void page_free(u64 pa);
u64 page_pool_free_bytes(void);
u64 page_pool_total_bytes(void);

#endif
