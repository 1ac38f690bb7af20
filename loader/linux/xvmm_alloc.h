/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every kernel allocation of xvmm.ko goes through these, so that a debug
 * build (CONFIG_XVMM_FAULT_INJECT: XVMM_FAULT_INJECT in the module) can
 * fail the Nth one on purpose (include/xvmm/fault_inject.h, xvmm_fault.c).
 * Without it xvmm_alloc_fails() is constant false and each is the plain
 * allocator. __GFP_NOFAIL allocations stay plain: they may not fail.
 */
#ifndef XVMM_ALLOC_H
#define XVMM_ALLOC_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#ifdef XVMM_FAULT_INJECT
bool xvmm_alloc_fails(void);
#else
static inline bool xvmm_alloc_fails(void)
{
	return false;
}
#endif

#define xvmm_kzalloc(size, gfp)		(xvmm_alloc_fails() ? NULL : kzalloc(size, gfp))
#define xvmm_kcalloc(n, size, gfp)	(xvmm_alloc_fails() ? NULL : kcalloc(n, size, gfp))
#define xvmm_kmalloc_array(n, size, gfp) \
	(xvmm_alloc_fails() ? NULL : kmalloc_array(n, size, gfp))
#define xvmm_kvmalloc(size, gfp)	(xvmm_alloc_fails() ? NULL : kvmalloc(size, gfp))
#define xvmm_kvmalloc_array(n, size, gfp) \
	(xvmm_alloc_fails() ? NULL : kvmalloc_array(n, size, gfp))
#define xvmm_kvcalloc(n, size, gfp)	(xvmm_alloc_fails() ? NULL : kvcalloc(n, size, gfp))
#define xvmm_alloc_pages(gfp, order)	(xvmm_alloc_fails() ? NULL : alloc_pages(gfp, order))
#define xvmm_alloc_page(gfp)		(xvmm_alloc_fails() ? NULL : alloc_page(gfp))
#define xvmm_get_zeroed_page(gfp)	(xvmm_alloc_fails() ? 0ul : get_zeroed_page(gfp))

#endif
