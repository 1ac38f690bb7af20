// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dom0 backends and a guest's grants: copy to and from, map and unmap the
 * pages a guest grants dom0 in its v1 grant table (XVMM_OP_GNT_*,
 * include/xvmm/control.h, docs/control-abi.md).
 *
 * Dom0 is native Linux, not a Xen guest: it has no grant table, maptrack
 * or p2m of its own, so what Xen's xen/common/grant_table.c does for the
 * mapping domain (gnttab_copy, map_grant_ref, unmap_common) comes here as
 * control calls; the rules on the granting side are Xen's
 * (public/grant_table.h, <xen/grant_table.h>):
 *
 * - The entry is checked and pinned as grant_table.c says, with dom0
 *   (domid 0) as the grantee.
 * - The frame must be the domain's own RAM, never the shared_info page or
 *   another VMM page at that frame (get_paged_frame: GNTST_bad_page).
 *
 * Pins (grant_table.c). A map pins its grant from the map until its
 * unmap is complete (below). A copy pins it only while it copies, under
 * the domain's xen.lock. Grant frames move under the same lock (grant.c),
 * so an entry pointer stays valid while it is held. Each copy segment
 * copies at most one page with the lock held. Dom0's maps of a domain's
 * grants are in its dom0_maps table (the handle is the index; up to
 * max_maptrack_frames of 85 maps), hashed by host page.
 *
 * Where dom0 sees a mapped page: at its own host-physical address. The
 * page is in a chunk dom0 donated, so that address is free in dom0's
 * physical map (its nested page table points it at the junk page); the
 * map points it back at the page, read-only or read-write, marked as a
 * grant (npt.c), and the driver hands it to a process with mmap.
 *
 * Batches (XVMM_OP_GNT_MAP_BATCH, XVMM_OP_GNT_UNMAP_BATCH) do what that
 * many single calls would, under one lock hold per element; the driver
 * then needs one SYNC round for the whole batch. A guest's own maps of
 * other guests' grants are grant_guest.c's.
 */
#include "grant_internal.h"
#include "lib.h"
#include "log.h"
#include "vmm.h"
#include "xen_internal.h"

#define MAPS(d)	(&(d)->xen.dom0_maps)

/* How dom0 should see host page @pa: as the most permissive live map of it allows. */
static enum dom0_access page_access(struct domain *d, u64 pa)
{
	const struct xen_maptrack *t = MAPS(d);
	enum dom0_access a = DOM0_NO_ACCESS;

	for (u32 h = gnt_hash_first(t, pa >> PAGE_SHIFT); h != XEN_GNT_NONE;) {
		const struct xen_gnt_map *m = gnt_map_get(t, h);

		h = m->hnext;
		if (m->state != XEN_GNT_MAPPED || m->revoked || m->pa != pa)
			continue;
		if (!m->readonly)
			return DOM0_READ_WRITE;
		a = DOM0_READ;
	}
	return a;
}

/* The map is gone for good: unpin its grant, free the entry. */
static void release(struct domain *d, u32 handle)
{
	struct xen_gnt_map *m = gnt_map_get(MAPS(d), handle);

	gnt_hash_del(MAPS(d), handle);
	gnt_unpin(d, m->ref, m->readonly);
	gnt_map_free(MAPS(d), handle);
}

/* Free the unmapped entries every CPU has flushed for: their grants may be unpinned now. */
static void reap(struct domain *d)
{
	struct xen_maptrack *t = MAPS(d);
	u32 *link = &t->unmapping;

	while (*link != XEN_GNT_NONE) {
		u32 h = *link;
		struct xen_gnt_map *m = gnt_map_get(t, h);

		if (dom0_npt_flushed(m->flush_gen)) {
			*link = m->next;
			release(d, h);
		} else {
			link = &m->next;
		}
	}
}

/* ---- copy ------------------------------------------------------------ */

/* One segment, with the lock held (Xen's gnttab_copy_one, grant side only). */
static s16 copy_one(struct domain *d, const struct xvmm_gnt_copy *s)
{
	bool to_guest = s->flags & XVMM_GNT_TO_GUEST;
	u8 *buf = NULL, *page;
	u64 hpa;
	u32 gfn;
	s16 st;

	if ((s->flags & ~XVMM_GNT_TO_GUEST) || s->reserved)
		return GNTST_bad_copy_arg;
	if ((u32)s->offset + s->len > PAGE_SIZE)
		return GNTST_bad_copy_arg;		/* "copy beyond page area" */
	if (s->len && !(buf = dom0_ram_buffer(s->buf, s->len)))
		return GNTST_bad_virt_addr;		/* not dom0's own RAM */
	st = gnt_pin(d, s->ref, 0, !to_guest, false, &gfn, &hpa, &page);
	if (st != GNTST_okay)
		return st;
	if (s->len && to_guest)
		memcpy(page + s->offset, buf, s->len);
	else if (s->len)
		memcpy(buf, page + s->offset, s->len);
	gnt_unpin(d, s->ref, !to_guest);
	return GNTST_okay;
}

s64 xen_gnttab_dom0_copy(struct domain *d, u64 segs_pa, u64 count)
{
	struct xvmm_gnt_copy *segs;

	if (count == 0 || count > XVMM_GNT_COPY_MAX)
		return -XEN_EINVAL;
	segs = dom0_ram_buffer(segs_pa, count * sizeof(*segs));
	if (!segs)
		return -XEN_EFAULT;
	for (u64 i = 0; i < count; i++) {
		struct xvmm_gnt_copy s = segs[i];	/* read once */
		s16 st;

		spin_lock(&d->xen.lock);
		if (d->xen.gnt_dead) {
			st = GNTST_bad_domain;
		} else {
			reap(d);
			st = copy_one(d, &s);
		}
		spin_unlock(&d->xen.lock);
		segs[i].status = st;
	}
	return 0;
}

/* ---- map and unmap --------------------------------------------------- */

/* Xen's map_grant_ref for a host mapping in dom0, with the lock held. */
static s16 map_one(struct domain *d, u32 ref, u32 flags, u32 *handle, u64 *pa)
{
	bool ro = flags & XVMM_GNT_MAP_READONLY;
	enum dom0_access before, after;
	struct xen_gnt_map *m;
	u8 *page;
	u64 hpa;
	u32 gfn, frames;
	s16 st;

	if (flags & ~XVMM_GNT_MAP_READONLY)
		return GNTST_general_error;
	if (ref >= gnt_nr_entries(d))
		return GNTST_bad_gntref;
	frames = MAPS(d)->nr_frames;
	m = gnt_map_alloc(MAPS(d), handle);
	if (!m)
		return GNTST_no_space;			/* no maptrack entry left */
	st = gnt_pin(d, ref, 0, ro, true, &gfn, &hpa, &page);
	if (st != GNTST_okay) {
		gnt_map_free(MAPS(d), *handle);
		gnt_maptrack_undo_grow(MAPS(d), frames);
		return st;
	}
	before = page_access(d, hpa);
	m->state = XEN_GNT_MAPPED;
	m->readonly = ro;
	m->ref = ref;
	m->gfn = gfn;
	m->pa = hpa;
	gnt_hash_add(MAPS(d), *handle);
	after = page_access(d, hpa);
	if (after != before) {
		if (dom0_grant_access(hpa, after)) {
			pr_info("d%u: grant %u: dom0's table refused page %llx\n", d->id, ref, hpa);
			release(d, *handle);
			gnt_maptrack_undo_grow(MAPS(d), frames);
			return GNTST_general_error;
		}
		/*
		 * More access than before: a CPU may still hold the junk (or
		 * read-only) translation and would see junk (or fault), not
		 * the page, until it flushes. The driver has every CPU take a
		 * SYNC exit before handing the page out.
		 */
		dom0_npt_changed();
	}
	*pa = hpa;
	return GNTST_okay;
}

static s16 map_locked(struct domain *d, u32 ref, u32 flags, u32 *handle, u64 *pa)
{
	s16 st;

	spin_lock(&d->xen.lock);
	if (d->xen.gnt_dead) {
		st = GNTST_bad_domain;
	} else {
		reap(d);
		st = map_one(d, ref, flags, handle, pa);
	}
	spin_unlock(&d->xen.lock);
	return st;
}

s64 xen_gnttab_dom0_map(struct domain *d, u64 req_pa)
{
	struct xvmm_gnt_map *req = dom0_ram_buffer(req_pa, sizeof(*req));
	u32 handle = 0;
	u64 pa = 0;
	s16 st;

	if (!req)
		return -XEN_EFAULT;
	st = map_locked(d, READ_ONCE(req->ref), READ_ONCE(req->flags), &handle, &pa);
	req->status = st;
	req->handle = st == GNTST_okay ? handle : 0;
	req->pa = st == GNTST_okay ? pa : 0;
	return 0;
}

s64 xen_gnttab_dom0_map_batch(struct domain *d, u64 maps_pa, u64 count)
{
	struct xvmm_gnt_map *maps;

	if (count == 0 || count > XVMM_GNT_BATCH_MAX)
		return -XEN_EINVAL;
	maps = dom0_ram_buffer(maps_pa, count * sizeof(*maps));
	if (!maps)
		return -XEN_EFAULT;
	for (u64 i = 0; i < count; i++) {
		u32 handle = 0;
		u64 pa = 0;
		s16 st = map_locked(d, READ_ONCE(maps[i].ref), READ_ONCE(maps[i].flags),
				    &handle, &pa);

		maps[i].status = st;
		maps[i].handle = st == GNTST_okay ? handle : 0;
		maps[i].pa = st == GNTST_okay ? pa : 0;
	}
	return 0;
}

/*
 * Unmap. Once dom0's nested page table no longer maps the page, a CPU may
 * still hold the old translation: nested translations are cached per CPU,
 * tagged with dom0's ASID, and only that CPU's own flush removes them
 * (APM vol. 2 15.16: TLB_CONTROL applies at that CPU's VMRUN; nothing is
 * broadcast for nested tables). Until every CPU has flushed, dom0 can
 * still read or write the page, so the grant stays pinned (GTF_reading,
 * GTF_writing) and the guest cannot take the page back: Xen likewise
 * flushes before unmap_common_complete clears the flags.
 *
 * Each CPU flushes before it next runs dom0 once dom0_npt_generation
 * moved, and records the generation it flushed for (svm.c). So the first
 * call takes the page away and answers -EAGAIN; the driver makes every CPU
 * take an exit (XVMM_OP_SYNC by IPI, as after DOM_START and DOM_DESTROY)
 * and calls again, which finds every CPU flushed and unpins. The VMM
 * checks the CPUs' records itself (dom0_npt_flushed): a driver that skips
 * the IPI only delays the unpin, it can never make the guest reuse a page
 * dom0 still reaches. Chosen over stopping the other CPUs from the VMM,
 * which has no way into them while they run dom0 (dom0 owns the APIC).
 * Entries left unmapping are also freed by later map and copy calls
 * (reap); an unmap call only ever frees its own.
 */
static s64 unmap_one(struct domain *d, u64 handle)
{
	struct xen_maptrack *t = MAPS(d);
	struct xen_gnt_map *m = handle < XEN_GNT_NONE ? gnt_map_get(t, (u32)handle) : NULL;

	if (!m || m->state == XEN_GNT_FREE)
		return -XEN_EINVAL;
	if (m->state == XEN_GNT_MAPPED) {
		enum dom0_access before = page_access(d, m->pa), after;

		/* flush_gen is 0, or when dom0 lost the page for writing to it. */
		m->state = XEN_GNT_UNMAPPING;
		after = page_access(d, m->pa);
		if (after != before) {
			if (dom0_grant_access(m->pa, after))
				pr_info("d%u: grant %u: dom0's table refused to drop page %llx\n",
					d->id, m->ref, m->pa);
			m->flush_gen = dom0_npt_changed();
		}
		m->next = t->unmapping;
		t->unmapping = (u32)handle;
	}
	/* Only this one: the driver calls again for each map it was told to wait for. */
	if (!dom0_npt_flushed(m->flush_gen))
		return -XEN_EAGAIN;
	for (u32 *link = &t->unmapping; *link != XEN_GNT_NONE; link = &gnt_map_get(t, *link)->next)
		if (*link == handle) {
			*link = m->next;
			break;
		}
	release(d, (u32)handle);
	return 0;
}

s64 xen_gnttab_dom0_unmap(struct domain *d, u64 handle)
{
	s64 ret;

	spin_lock(&d->xen.lock);
	ret = unmap_one(d, handle);
	spin_unlock(&d->xen.lock);
	return ret;
}

s64 xen_gnttab_dom0_unmap_batch(struct domain *d, u64 unmaps_pa, u64 count)
{
	struct xvmm_gnt_unmap *u;

	if (count == 0 || count > XVMM_GNT_BATCH_MAX)
		return -XEN_EINVAL;
	u = dom0_ram_buffer(unmaps_pa, count * sizeof(*u));
	if (!u)
		return -XEN_EFAULT;
	for (u64 i = 0; i < count; i++) {
		u32 handle = READ_ONCE(u[i].handle);

		spin_lock(&d->xen.lock);
		u[i].status = (int)unmap_one(d, handle);
		spin_unlock(&d->xen.lock);
	}
	return 0;
}

/*
 * The domain is being destroyed: dom0 loses every page it still maps
 * (back to junk here; the chunks then return to dom0 scrubbed, and the
 * driver flushes every CPU before it frees them). The guest's flags are
 * left as they are: its memory is about to be scrubbed. The table itself
 * goes in xen_gnttab_destroy.
 */
void xen_gnttab_dom0_revoke_all(struct domain *d)
{
	struct xen_maptrack *t = MAPS(d);
	bool changed = false;

	spin_lock(&d->xen.lock);
	d->xen.gnt_dead = true;
	for (u32 h = 0; h < t->nr_frames * (u32)XEN_GNT_MAPS_PER_FRAME; h++) {
		struct xen_gnt_map *m = gnt_map_get(t, h);

		if (m->state == XEN_GNT_FREE)
			continue;
		if (m->state == XEN_GNT_MAPPED && !m->revoked)
			dom0_grant_access(m->pa, DOM0_NO_ACCESS);
		m->state = XEN_GNT_FREE;
		changed = true;
	}
	spin_unlock(&d->xen.lock);
	if (changed) {
		pr_info("d%u: dom0's grant maps revoked\n", d->id);
		dom0_npt_changed();
	}
}

/*
 * Dom0 wrote to a page it maps only read-only (exit.c has already ruled
 * out a stale read-only translation of a page now writable). The write
 * cannot go to the page; the page becomes junk for dom0 and the write
 * lands there. The maps stay until dom0 unmaps them, without access.
 */
bool xen_gnttab_dom0_write_fault(u64 pa)
{
	struct domain *d;

	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	for (unsigned int id = 0; (d = domain_next(&id));) {
		bool found = false;

		spin_lock(&d->xen.lock);
		if (!d->xen.gnt_dead && page_access(d, pa) == DOM0_READ) {
			const struct xen_maptrack *t = MAPS(d);
			u64 gen;

			dom0_grant_access(pa, DOM0_NO_ACCESS);
			gen = dom0_npt_changed();
			/*
			 * Other CPUs may still read the page until they flush:
			 * the maps keep their pins until then, even if unmapped
			 * sooner (unmap waits for flush_gen).
			 */
			for (u32 h = gnt_hash_first(t, pa >> PAGE_SHIFT); h != XEN_GNT_NONE;) {
				struct xen_gnt_map *m = gnt_map_get(t, h);

				h = m->hnext;
				if (m->state == XEN_GNT_MAPPED && m->pa == pa) {
					m->revoked = true;
					m->flush_gen = gen;
					found = true;
				}
			}
			pr_info("d%u: dom0 wrote to a read-only grant map of page %llx\n", d->id, pa);
		}
		spin_unlock(&d->xen.lock);
		if (found)
			return true;
	}
	return false;
}
