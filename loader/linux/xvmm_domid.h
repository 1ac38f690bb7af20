/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain ids as Xen gives them (docs/domains.md "Domain ids"): the next
 * free id after the one given last, wrapping below DOMID_FIRST_RESERVED
 * (0x7ff0), so an id just destroyed is not given again at once. Xen keeps
 * the same rover in XEN_DOMCTL_createdomain for a toolstack that leaves
 * the choice to it, as xl does. Plain C, no kernel calls: the driver uses
 * it under xvmm_lock, tests/unit/test_domid.c on the host.
 */
#ifndef XVMM_DOMID_H
#define XVMM_DOMID_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

#define XVMM_DOMID_END		0x7ff0u		/* Xen's DOMID_FIRST_RESERVED */
#define XVMM_DOMID_WORDS	((XVMM_DOMID_END + 63) / 64)

struct xvmm_domids {
	unsigned long long used[XVMM_DOMID_WORDS];	/* bit n: id n is taken */
	unsigned int last;				/* the id given last, 0: none yet */
	unsigned int end;				/* ids are 1..end-1 */
};

/* Ids 1..end-1 free (end at most XVMM_DOMID_END; less only in tests). */
void xvmm_domids_init(struct xvmm_domids *a, unsigned int end);
/* The next free id after the last one given, wrapping; -ENOSPC when all are taken. */
int xvmm_domid_alloc(struct xvmm_domids *a);
/* A specific id (tests, or a toolstack that asks for one): 0, -EINVAL, -EEXIST. */
int xvmm_domid_claim(struct xvmm_domids *a, unsigned int id);
void xvmm_domid_free(struct xvmm_domids *a, unsigned int id);
bool xvmm_domid_used(const struct xvmm_domids *a, unsigned int id);

#endif
