// SPDX-License-Identifier: GPL-2.0-only
/*
 * The grant table machinery the map and copy paths share: entries, pins
 * (Xen's active entries), maptrack tables. Follows Xen 4.17's
 * xen/common/grant_table.c (_set_status_v1, the active entry's pin counts,
 * get_maptrack_handle) with layouts from public/grant_table.h.
 *
 * Pins. A grant in use is pinned: GTF_reading while some mapper may read
 * it, GTF_writing while one may write it. The entry is guest memory and
 * may change at any moment: its flags are set with a compare-and-exchange
 * of the flags+domid word that checks the type (GTF_permit_access), the
 * grantee, GTF_readonly for a writable pin and, for a map, GTF_sub_page;
 * a guest that keeps changing the word makes it fail after five tries
 * ("unstable"). The first pin fixes the frame and the grantee in the
 * active entry; later pins use that frame and must come from that grantee
 * (Xen: act->domid). The flags are cleared when the last pin of their kind
 * goes. A copy pins only while it copies, under the granter's xen.lock.
 * The frame must be the granter's own RAM (get_paged_frame: GNTST_bad_page).
 *
 * Active entries come a page (256 refs) at a time from the VMM page pool
 * at a ref's first pin; maptrack tables a page (85 maps) at a time when
 * all their entries are in use, up to the domain's max_maptrack_frames.
 * A handle is an index: frame handle / 85, slot handle % 85. Each table
 * hashes its maps by one key (dom0's by host page, a guest's by the frame
 * it maps at), so finding the maps of one page never scans the table.
 */
#include "grant_internal.h"
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "vmm.h"
#include "xen_internal.h"

#define PIN_TRIES	5	/* Xen's _set_status_v1: a guest may race a few times, not forever */
#define PIN_MAX		0xffffu	/* Xen refuses a pin count about to overflow */

u32 gnt_nr_entries(const struct domain *d)
{
	return d->xen.gnttab_nr_frames * (u32)GNTTAB_V1_PER_FRAME;
}

struct grant_entry_v1 *gnt_entry(struct domain *d, u32 ref)
{
	u64 gfn = d->xen.gnttab_gfn[ref / GNTTAB_V1_PER_FRAME];
	struct grant_entry_v1 *frame;

	if (gfn == ~0ull)
		return NULL;
	frame = guest_page_ptr(d, gfn << PAGE_SHIFT, PAGE_SIZE);
	return frame ? frame + ref % GNTTAB_V1_PER_FRAME : NULL;
}

static struct xen_gnt_active *active_of(struct domain *d, u32 ref, bool alloc)
{
	struct xen_gnt_active **page = &d->xen.gnt_active[ref / XEN_GNT_ACTIVE_PER_PAGE];
	u64 pa;

	if (ref >= XEN_GNTTAB_MAX_FRAMES * GNTTAB_V1_PER_FRAME)
		return NULL;
	if (!*page && alloc)
		*page = page_alloc(&pa);
	return *page ? *page + ref % XEN_GNT_ACTIVE_PER_PAGE : NULL;
}

/*
 * Set GTF_reading (and GTF_writing unless @readonly) on a first pin, or
 * GTF_writing on the first writable pin of a pinned grant (@pinned: type
 * and domid were checked by the first pin and are not looked at again).
 */
static s16 pin_entry(struct grant_entry_v1 *e, u16 ld, bool pinned, bool readonly, bool map)
{
	u32 *word = (u32 *)(void *)e;	/* flags in bits 0-15, domid in 16-31 */
	u16 mask = GTF_type_mask | (map ? GTF_sub_page : 0);
	u32 old;

	if (!e)
		return GNTST_general_error;
	old = __atomic_load_n(word, __ATOMIC_RELAXED);
	for (unsigned int tries = 1;; tries++) {
		u16 flags = (u16)old, domid = (u16)(old >> 16);
		u32 new = old | GTF_reading | (readonly ? 0 : GTF_writing), found;

		if (!pinned && ((flags & mask) != GTF_permit_access || domid != ld))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		found = xen_guest_cmpxchg32(word, old, new);
		if (found == old)
			return GNTST_okay;
		if (tries == PIN_TRIES)
			return GNTST_general_error;	/* the guest keeps changing it */
		old = found;
	}
}

/* Clear the flags no pin holds any more; the entry is looked up again (its frame may have moved). */
static void clear_flags(struct domain *d, u32 ref, const struct xen_gnt_active *a, bool was_write)
{
	struct grant_entry_v1 *e = gnt_entry(d, ref);
	u16 clear = 0;

	if (was_write && !a->pin_rw)
		clear |= GTF_writing;
	if (!a->pin_ro && !a->pin_rw)
		clear |= GTF_reading;
	if (e && clear)
		__atomic_fetch_and(&e->flags, (u16)~clear, __ATOMIC_SEQ_CST);
}

s16 gnt_pin(struct domain *rd, u32 ref, u16 ld, bool readonly, bool map,
	    u32 *gfn, u64 *hpa, u8 **page)
{
	struct xen_gnt_active *a;
	bool pinned;
	s16 st;

	if (ref >= gnt_nr_entries(rd))
		return GNTST_bad_gntref;
	a = active_of(rd, ref, true);
	if (!a)
		return GNTST_no_space;			/* the VMM's page pool is empty */
	pinned = a->pin_ro || a->pin_rw;
	if (pinned && a->domid != ld)
		return GNTST_general_error;		/* granted to someone else when pinned */
	if ((readonly ? a->pin_ro : a->pin_rw) >= PIN_MAX)
		return GNTST_general_error;
	if (!pinned || (!readonly && !a->pin_rw)) {
		st = pin_entry(gnt_entry(rd, ref), ld, pinned, readonly, map);
		if (st != GNTST_okay)
			return st;
	}
	if (!pinned)
		a->gfn = __atomic_load_n(&gnt_entry(rd, ref)->frame, __ATOMIC_RELAXED);
	*page = guest_ram_frame(rd, a->gfn, hpa);
	if (!*page) {
		clear_flags(rd, ref, a, !readonly);
		return GNTST_bad_page;
	}
	a->domid = ld;
	if (readonly)
		a->pin_ro++;
	else
		a->pin_rw++;
	*gfn = a->gfn;
	return GNTST_okay;
}

void gnt_unpin(struct domain *rd, u32 ref, bool readonly)
{
	struct xen_gnt_active *a = active_of(rd, ref, false);

	if (!a)
		return;
	if (readonly && a->pin_ro)
		a->pin_ro--;
	else if (!readonly && a->pin_rw)
		a->pin_rw--;
	clear_flags(rd, ref, a, !readonly);
}

/* ---- maptrack -------------------------------------------------------- */

void gnt_maptrack_init(struct xen_maptrack *t, u32 max_frames, bool by_host_gfn)
{
	*t = (struct xen_maptrack){
		.max_frames = max_frames, .free = XEN_GNT_NONE, .unmapping = XEN_GNT_NONE,
		.by_host_gfn = by_host_gfn,
	};
}

struct xen_gnt_map *gnt_map_get(const struct xen_maptrack *t, u32 handle)
{
	u32 f = handle / XEN_GNT_MAPS_PER_FRAME;

	if (!t->frame || f >= t->nr_frames)
		return NULL;
	return &t->frame[f][handle % XEN_GNT_MAPS_PER_FRAME];
}

static unsigned int dir_pages(const struct xen_maptrack *t)
{
	return (unsigned int)ALIGN_UP(t->max_frames * sizeof(void *), PAGE_SIZE) / PAGE_SIZE;
}

static bool grow(struct xen_maptrack *t)
{
	struct xen_gnt_map *frame;
	u32 base;
	u64 pa;

	bool new_dir = false, new_bucket = false;

	if (t->nr_frames >= t->max_frames)
		return false;
	if (!t->frame) {
		if (!(t->frame = page_alloc_contig(dir_pages(t), &pa)))
			return false;
		new_dir = true;
	}
	if (!t->bucket) {
		t->bucket = page_alloc(&pa);
		if (!t->bucket)
			goto fail;
		new_bucket = true;
		memset(t->bucket, 0xff, PAGE_SIZE);	/* every chain empty (XEN_GNT_NONE) */
	}
	frame = page_alloc(&pa);
	if (!frame)
		goto fail;
	base = t->nr_frames * (u32)XEN_GNT_MAPS_PER_FRAME;
	t->frame[t->nr_frames++] = frame;
	for (u32 i = XEN_GNT_MAPS_PER_FRAME; i-- > 0;) {
		frame[i].next = t->free;	/* lowest handle first */
		t->free = base + i;
	}
	return true;
fail:
	/* A map that cannot be made leaves the pool as it found it. */
	if (new_bucket) {
		page_free(vmm_va_to_pa(t->bucket));
		t->bucket = NULL;
	}
	if (new_dir) {
		for (unsigned int i = 0; i < dir_pages(t); i++)
			page_free(vmm_va_to_pa(t->frame) + (u64)i * PAGE_SIZE);
		t->frame = NULL;
	}
	return false;
}

struct xen_gnt_map *gnt_map_alloc(struct xen_maptrack *t, u32 *handle)
{
	struct xen_gnt_map *m;

	if (t->free == XEN_GNT_NONE && !grow(t))
		return NULL;
	*handle = t->free;
	m = gnt_map_get(t, t->free);
	t->free = m->next;
	*m = (struct xen_gnt_map){ .next = XEN_GNT_NONE, .hnext = XEN_GNT_NONE };
	return m;
}

void gnt_map_free(struct xen_maptrack *t, u32 handle)
{
	struct xen_gnt_map *m = gnt_map_get(t, handle);

	m->state = XEN_GNT_FREE;
	m->next = t->free;
	t->free = handle;
}

/*
 * A map that failed after gnt_map_alloc() gave its entry back: if that
 * allocation grew the table (it had @frames_before frames), shrink it
 * back, so a failed map leaves the pool as it found it. A table grows only
 * when no entry is free, so the free list is then exactly the new frame's.
 */
void gnt_maptrack_undo_grow(struct xen_maptrack *t, u32 frames_before)
{
	if (t->nr_frames != frames_before + 1)
		return;
	page_free(vmm_va_to_pa(t->frame[--t->nr_frames]));
	t->frame[t->nr_frames] = NULL;
	t->free = XEN_GNT_NONE;
	if (t->nr_frames)
		return;
	for (unsigned int i = 0; i < dir_pages(t); i++)
		page_free(vmm_va_to_pa(t->frame) + (u64)i * PAGE_SIZE);
	t->frame = NULL;
	page_free(vmm_va_to_pa(t->bucket));
	t->bucket = NULL;
}

static u64 key_of(const struct xen_maptrack *t, const struct xen_gnt_map *m)
{
	return t->by_host_gfn ? m->host_gfn : m->pa >> PAGE_SHIFT;
}

void gnt_hash_add(struct xen_maptrack *t, u32 handle)
{
	struct xen_gnt_map *m = gnt_map_get(t, handle);
	u32 *head = &t->bucket[key_of(t, m) % XEN_GNT_HASH];

	m->hnext = *head;
	*head = handle;
}

void gnt_hash_del(struct xen_maptrack *t, u32 handle)
{
	struct xen_gnt_map *m = gnt_map_get(t, handle);
	u32 *link = &t->bucket[key_of(t, m) % XEN_GNT_HASH];

	while (*link != XEN_GNT_NONE) {
		if (*link == handle) {
			*link = m->hnext;
			m->hnext = XEN_GNT_NONE;
			return;
		}
		link = &gnt_map_get(t, *link)->hnext;
	}
}

u32 gnt_hash_first(const struct xen_maptrack *t, u64 key)
{
	return t->bucket ? t->bucket[key % XEN_GNT_HASH] : XEN_GNT_NONE;
}

void gnt_maptrack_destroy(struct xen_maptrack *t)
{
	for (u32 i = 0; i < t->nr_frames; i++)
		page_free(vmm_va_to_pa(t->frame[i]));
	if (t->frame)
		for (unsigned int i = 0; i < dir_pages(t); i++)
			page_free(vmm_va_to_pa(t->frame) + (u64)i * PAGE_SIZE);
	if (t->bucket)
		page_free(vmm_va_to_pa(t->bucket));
	gnt_maptrack_init(t, t->max_frames, t->by_host_gfn);
}

void gnt_lock_two(struct domain *a, struct domain *b)
{
	if (a && b && a != b && b->id < a->id) {
		struct domain *t = a;

		a = b;
		b = t;
	}
	if (a)
		spin_lock(&a->xen.lock);
	if (b && b != a)
		spin_lock(&b->xen.lock);
}

void gnt_unlock_two(struct domain *a, struct domain *b)
{
	if (b && b != a)
		spin_unlock(&b->xen.lock);
	if (a)
		spin_unlock(&a->xen.lock);
}

/* ---- limits and teardown --------------------------------------------- */

int xen_gnttab_limits(struct domain *d, u32 max_grant_frames, u32 max_maptrack_frames)
{
	if (max_grant_frames > XEN_GNTTAB_MAX_FRAMES || max_maptrack_frames > XEN_MAPTRACK_MAX_FRAMES)
		return -EINVAL;
	d->xen.gnttab_max_frames = (u16)max_grant_frames;
	d->xen.maptrack_max_frames = max_maptrack_frames;
	return 0;
}

void xen_gnttab_destroy(struct domain *d)
{
	xen_gnttab_guest_destroy(d);
	spin_lock(&d->xen.lock);
	d->xen.gnt_dead = true;
	gnt_maptrack_destroy(&d->xen.dom0_maps);
	gnt_maptrack_destroy(&d->xen.guest_maps);
	for (unsigned int i = 0; i < XEN_GNT_ACTIVE_PAGES; i++) {
		if (d->xen.gnt_active[i])
			page_free(vmm_va_to_pa(d->xen.gnt_active[i]));
		d->xen.gnt_active[i] = NULL;
	}
	spin_unlock(&d->xen.lock);
}
