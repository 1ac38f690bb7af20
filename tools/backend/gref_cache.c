// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant reference -> mapping, open addressing with linear probing
 * (gref_cache.h). The table is at most half full, so a lookup ends at a
 * free slot within a few probes; entries are never removed one by one,
 * so no tombstones are needed.
 */
#include <errno.h>
#include <stddef.h>

#include "gref_cache.h"

static unsigned int home(uint32_t gref)
{
	/* Fibonacci hashing: frontends hand out refs in runs, this spreads them. */
	return (unsigned int)((gref * 2654435761u) >> 21) & (GREF_CACHE_SLOTS - 1);
}

void gref_cache_init(struct gref_cache *c)
{
	c->nr = 0;
	for (unsigned int i = 0; i < GREF_CACHE_SLOTS; i++)
		c->slot[i] = (struct gref_entry){ 0 };
}

void *gref_cache_find(const struct gref_cache *c, uint32_t gref)
{
	for (unsigned int i = home(gref), n = 0; n < GREF_CACHE_SLOTS;
	     i = (i + 1) & (GREF_CACHE_SLOTS - 1), n++) {
		if (!c->slot[i].va)
			return NULL;
		if (c->slot[i].gref == gref)
			return c->slot[i].va;
	}
	return NULL;
}

bool gref_cache_full(const struct gref_cache *c)
{
	return c->nr >= GREF_CACHE_MAX;
}

int gref_cache_add(struct gref_cache *c, uint32_t gref, void *va, uint32_t handle)
{
	unsigned int i = home(gref);

	if (!va)
		return -EINVAL;
	if (gref_cache_full(c))
		return -ENOSPC;
	while (c->slot[i].va) {
		if (c->slot[i].gref == gref)
			return -EEXIST;
		i = (i + 1) & (GREF_CACHE_SLOTS - 1);
	}
	c->slot[i] = (struct gref_entry){ .gref = gref, .handle = handle, .va = va };
	c->nr++;
	return 0;
}

void gref_cache_clear(struct gref_cache *c, void (*fn)(void *arg, const struct gref_entry *e),
		      void *arg)
{
	for (unsigned int i = 0; i < GREF_CACHE_SLOTS; i++)
		if (c->slot[i].va && fn)
			fn(arg, &c->slot[i]);
	gref_cache_init(c);
}
