// SPDX-License-Identifier: GPL-2.0-only
/*
 * Persistent grants of one PV device (blkif's feature-persistent): the
 * frontend keeps a set of pages granted for the life of the connection
 * and reuses them for every request, so the backend maps each once and
 * then copies data with memcpy, without a grant-copy call per request.
 * This is the lookup from a grant reference to where it is mapped; the
 * caller maps and unmaps. Capacity is fixed: past it the caller copies
 * through the grant as without persistent grants (Linux's blkback does
 * the same past its max_persistent_grants). Nothing is ever removed while
 * connected: the frontend promises not to revoke these grants.
 */
#ifndef XVMM_GREF_CACHE_H
#define XVMM_GREF_CACHE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Linux's blkback default (xen_blkif_max_pgrants): 32 requests of 32
 * segments and their indirect pages; blkfront (max_indirect_segments 32,
 * a one-page ring) stays within it.
 */
#define GREF_CACHE_MAX		1056u
#define GREF_CACHE_SLOTS	2048u	/* a power of two, at least twice GREF_CACHE_MAX */

struct gref_entry {
	uint32_t gref;
	uint32_t handle;		/* the caller's: its map to undo */
	void *va;			/* NULL: slot free */
};

struct gref_cache {
	unsigned int nr;
	struct gref_entry slot[GREF_CACHE_SLOTS];
};

void gref_cache_init(struct gref_cache *c);

/* Where gref is mapped, or NULL. */
void *gref_cache_find(const struct gref_cache *c, uint32_t gref);

/* Remember a map: 0, -EEXIST (already there), -ENOSPC (full), -EINVAL (va NULL). */
int gref_cache_add(struct gref_cache *c, uint32_t gref, void *va, uint32_t handle);

bool gref_cache_full(const struct gref_cache *c);

/* Call fn for every entry (to unmap), then empty the cache. */
void gref_cache_clear(struct gref_cache *c, void (*fn)(void *arg, const struct gref_entry *e),
		      void *arg);

#endif /* XVMM_GREF_CACHE_H */
