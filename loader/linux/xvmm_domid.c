// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain id allocation (xvmm_domid.h): a bitmap of Xen's id space (4 KiB)
 * and the id given last. A search skips whole words of taken ids.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif
#include "xvmm_domid.h"

void xvmm_domids_init(struct xvmm_domids *a, unsigned int end)
{
	memset(a, 0, sizeof(*a));
	a->end = end && end <= XVMM_DOMID_END ? end : XVMM_DOMID_END;
	a->used[0] = 1;		/* id 0 is dom0's */
}

bool xvmm_domid_used(const struct xvmm_domids *a, unsigned int id)
{
	return id >= a->end || (a->used[id / 64] >> (id % 64)) & 1;
}

/* The first free id in [from, to), or 0. */
static unsigned int first_free(const struct xvmm_domids *a, unsigned int from, unsigned int to)
{
	unsigned int id = from;

	while (id < to) {
		if (id % 64 == 0 && a->used[id / 64] == ~0ull) {
			id += 64;
			continue;
		}
		if (!xvmm_domid_used(a, id))
			return id;
		id++;
	}
	return 0;
}

int xvmm_domid_alloc(struct xvmm_domids *a)
{
	unsigned int id = first_free(a, a->last + 1, a->end);

	if (!id)
		id = first_free(a, 1, a->last + 1);
	if (!id)
		return -ENOSPC;
	a->used[id / 64] |= 1ull << (id % 64);
	a->last = id;
	return (int)id;
}

int xvmm_domid_claim(struct xvmm_domids *a, unsigned int id)
{
	if (id == 0 || id >= a->end)
		return -EINVAL;
	if (xvmm_domid_used(a, id))
		return -EEXIST;
	a->used[id / 64] |= 1ull << (id % 64);
	return 0;
}

void xvmm_domid_free(struct xvmm_domids *a, unsigned int id)
{
	if (id != 0 && id < a->end)
		a->used[id / 64] &= ~(1ull << (id % 64));
}
