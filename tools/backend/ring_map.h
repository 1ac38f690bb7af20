// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PV device's shared ring pages in dom0: the frontend's grant refs
 * mapped writable through a /dev/xvmm file (GNT_MAP_BATCH, one SYNC round
 * for all of them) and placed side by side in one range of the backend's
 * address space, so the ring code sees one contiguous ring (blkif's 2^order
 * pages, netif's tx page then rx page). Shared by blkback and netback.
 */
#ifndef XVMM_RING_MAP_H
#define XVMM_RING_MAP_H

#include <stdint.h>

#define RING_MAP_MAX_PAGES	16u	/* blkif's max-ring-page-order 4 */

struct ring_map {
	void *va;			/* NULL: nothing mapped */
	unsigned int nr_pages;		/* the range's size */
	unsigned int nr_mapped;		/* grant maps held */
	uint32_t handles[RING_MAP_MAX_PAGES];
};

/*
 * Map n (1..RING_MAP_MAX_PAGES) refs of domain domid on xfd: 0, or
 * -errno (-EACCES: a ref the guest did not grant). On failure what was
 * mapped stays in m for ring_unmap, which must be called either way.
 */
int ring_map(struct ring_map *m, int xfd, uint32_t domid, const uint32_t *refs, unsigned int n);

/* Unmap the range and give the grant maps back (close() of xfd would, too). */
void ring_unmap(struct ring_map *m, int xfd, uint32_t domid);

#endif /* XVMM_RING_MAP_H */
