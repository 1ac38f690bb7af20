/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every kernel allocation of xvmm.ko, and its free, goes through these,
 * so that a debug build (CONFIG_XVMM_FAULT_INJECT: XVMM_FAULT_INJECT in
 * the module) can fail the Nth one on purpose (include/xvmm/fault_inject.h,
 * xvmm_fault.c) and count those not freed yet. Without it the checks are
 * constants and each is the plain allocator. The __GFP_NOFAIL allocations
 * of grant revocation stay plain (they may not fail), frees and all.
 */
#ifndef XVMM_ALLOC_H
#define XVMM_ALLOC_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#ifdef XVMM_FAULT_INJECT
bool xvmm_alloc_fails(void);
/* The allocations not yet freed, so a test sees a leak exactly (xvmm_fault.c). */
void xvmm_alloc_live(long delta);
#else
static inline bool xvmm_alloc_fails(void)
{
	return false;
}

static inline void xvmm_alloc_live(long delta)
{
}
#endif

/* @alloc unless the injection says fail; a success counts as live. */
#define xvmm_alloc_(type, alloc) ({					\
	type p_ = xvmm_alloc_fails() ? (type)0 : (alloc);		\
	if (p_)								\
		xvmm_alloc_live(1);					\
	p_;								\
})
#define xvmm_free_(ptr, free) do {					\
	if (ptr)							\
		xvmm_alloc_live(-1);					\
	free;								\
} while (0)

#define xvmm_kzalloc(size, gfp)		xvmm_alloc_(void *, kzalloc(size, gfp))
#define xvmm_kcalloc(n, size, gfp)	xvmm_alloc_(void *, kcalloc(n, size, gfp))
#define xvmm_kmalloc_array(n, size, gfp) xvmm_alloc_(void *, kmalloc_array(n, size, gfp))
#define xvmm_kvmalloc(size, gfp)	xvmm_alloc_(void *, kvmalloc(size, gfp))
#define xvmm_kvmalloc_array(n, size, gfp) xvmm_alloc_(void *, kvmalloc_array(n, size, gfp))
#define xvmm_kvcalloc(n, size, gfp)	xvmm_alloc_(void *, kvcalloc(n, size, gfp))
#define xvmm_alloc_pages(gfp, order)	xvmm_alloc_(struct page *, alloc_pages(gfp, order))
#define xvmm_alloc_page(gfp)		xvmm_alloc_(struct page *, alloc_page(gfp))
#define xvmm_get_zeroed_page(gfp)	xvmm_alloc_(unsigned long, get_zeroed_page(gfp))

/* Their frees: NULL (0) frees nothing and counts nothing, as the plain ones. */
#define xvmm_kfree(p)			xvmm_free_(p, kfree(p))
#define xvmm_kvfree(p)			xvmm_free_(p, kvfree(p))
#define xvmm_free_page(addr)		xvmm_free_(addr, free_page(addr))
#define xvmm___free_page(page)		xvmm_free_(page, __free_page(page))
#define xvmm___free_pages(page, order)	xvmm_free_(page, __free_pages(page, order))

#endif
