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
 * - The entry is guest memory and may change at any moment. Its access
 *   flags are set with a compare-and-exchange of the flags+domid word
 *   that checks the type (GTF_permit_access), the grantee (dom0, domid 0),
 *   GTF_readonly for anything that writes and, for a map, GTF_sub_page;
 *   a guest that keeps changing the word makes it fail after five tries
 *   ("unstable", _set_status_v1).
 * - A grant in use is pinned: GTF_reading while dom0 may read it,
 *   GTF_writing while dom0 may write it. The first pin checks the entry
 *   and fixes the frame; later pins only add GTF_writing if needed and use
 *   that frame (Xen's active entry); the flags are cleared when the last
 *   pin of their kind goes (release_grant_for_copy, unmap_common_complete).
 * - The frame must be the domain's own RAM, never the shared_info page or
 *   another VMM page at that frame (get_paged_frame: GNTST_bad_page).
 *
 * Pins. A map pins its grant from the map until its unmap is complete
 * (below). A copy pins it only while it copies, under the domain's
 * xen.lock, so no one else ever sees a copy's pin and it needs no record:
 * a ref's pins are its maptrack entries (XEN_GNT_MAX_MAPS, searched
 * linearly). Grant frames move under the same lock (grant.c), so an entry
 * pointer stays valid while it is held. Each copy segment copies at most
 * one page with the lock held.
 *
 * Where dom0 sees a mapped page: at its own host-physical address. The
 * page is in a chunk dom0 donated, so that address is free in dom0's
 * physical map (its nested page table points it at the junk page); the
 * map points it back at the page, read-only or read-write, marked as a
 * grant (npt.c), and the driver hands it to a process with mmap.
 *
 * Not offered: grant operations by a guest on another guest's grants
 * (GNTTABOP_map_grant_ref, unmap_grant_ref, copy from a domU): grant.c
 * answers -ENOSYS, as a Xen built without them.
 */
#include "lib.h"
#include "log.h"
#include "vmm.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

#define PIN_TRIES	5	/* Xen's _set_status_v1: a guest may race a few times, not forever */

/* Entries the table has: a ref at or beyond this is GNTST_bad_gntref. */
static u32 nr_entries(const struct domain *d)
{
	return d->xen.gnttab_nr_frames * (u32)GNTTAB_V1_PER_FRAME;
}

/*
 * The v1 entry of @ref as a VMM pointer, or NULL if its frame is not
 * mapped anywhere (nothing the guest could have written: it reads as
 * GTF_invalid).
 */
static struct grant_entry_v1 *entry_of(struct domain *d, u32 ref)
{
	u64 gfn = d->xen.gnttab_gfn[ref / GNTTAB_V1_PER_FRAME];
	struct grant_entry_v1 *frame;

	if (gfn == ~0ull)
		return NULL;
	frame = guest_page_ptr(d, gfn << PAGE_SHIFT, PAGE_SIZE);
	return frame ? frame + ref % GNTTAB_V1_PER_FRAME : NULL;
}

/* What dom0's maps of @ref hold: any pin, a writable one, and the frame they fixed. */
struct pins {
	bool any, write;
	u32 gfn;
};

static struct pins ref_pins(const struct domain *d, u32 ref)
{
	struct pins p = { false, false, 0 };

	for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS; i++) {
		const struct xen_gnt_map *m = &d->xen.gnt_map[i];

		if (m->state == XEN_GNT_FREE || m->ref != ref)
			continue;
		p.any = true;
		p.write |= !m->readonly;
		p.gfn = m->gfn;
	}
	return p;
}

/*
 * Set GTF_reading (and GTF_writing unless @readonly) on a first pin, or
 * GTF_writing on the first writable pin of a pinned grant (@pinned: then
 * type and domid were checked by the first pin and are not looked at
 * again, as in Xen). Xen's _set_status_v1.
 */
static s16 pin_entry(struct grant_entry_v1 *e, bool pinned, bool readonly, bool map)
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

		if (!pinned && ((flags & mask) != GTF_permit_access || domid != 0))
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

/*
 * A pin of @ref went (a copy ended, a map was freed or failed): clear
 * GTF_writing if it was the last writable pin, GTF_reading if it was the
 * last. The entry is looked up again: its frame may have moved.
 */
static void unpin(struct domain *d, u32 ref, bool was_write)
{
	struct grant_entry_v1 *e = entry_of(d, ref);
	struct pins p = ref_pins(d, ref);
	u16 clear = 0;

	if (was_write && !p.write)
		clear |= GTF_writing;
	if (!p.any)
		clear |= GTF_reading;
	if (e && clear)
		__atomic_fetch_and(&e->flags, (u16)~clear, __ATOMIC_SEQ_CST);
}

/* How dom0 should see host page @pa: as the most permissive live map of it allows. */
static enum dom0_access page_access(const struct domain *d, u64 pa)
{
	enum dom0_access a = DOM0_NO_ACCESS;

	for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS; i++) {
		const struct xen_gnt_map *m = &d->xen.gnt_map[i];

		if (m->state != XEN_GNT_MAPPED || m->revoked || m->pa != pa)
			continue;
		if (!m->readonly)
			return DOM0_READ_WRITE;
		a = DOM0_READ;
	}
	return a;
}

static void release(struct domain *d, struct xen_gnt_map *m)
{
	m->state = XEN_GNT_FREE;
	unpin(d, m->ref, !m->readonly);
}

/* Free the unmapped entries every CPU has flushed for: their grants may be unpinned now. */
static void reap(struct domain *d)
{
	for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS; i++) {
		struct xen_gnt_map *m = &d->xen.gnt_map[i];

		if (m->state == XEN_GNT_UNMAPPING && dom0_npt_flushed(m->flush_gen))
			release(d, m);
	}
}

/* ---- copy ------------------------------------------------------------ */

/* One segment, with the lock held (Xen's gnttab_copy_one, grant side only). */
static s16 copy_one(struct domain *d, const struct xvmm_gnt_copy *s)
{
	bool to_guest = s->flags & XVMM_GNT_TO_GUEST;
	struct grant_entry_v1 *e;
	struct pins p;
	u8 *buf = NULL, *page;
	u64 hpa;
	s16 st;

	if ((s->flags & ~XVMM_GNT_TO_GUEST) || s->reserved)
		return GNTST_bad_copy_arg;
	if ((u32)s->offset + s->len > PAGE_SIZE)
		return GNTST_bad_copy_arg;		/* "copy beyond page area" */
	if (s->len && !(buf = dom0_ram_buffer(s->buf, s->len)))
		return GNTST_bad_virt_addr;		/* not dom0's own RAM */
	if (s->ref >= nr_entries(d))
		return GNTST_bad_gntref;
	e = entry_of(d, s->ref);
	p = ref_pins(d, s->ref);
	if (!p.any || (to_guest && !p.write)) {
		st = pin_entry(e, p.any, !to_guest, false);
		if (st != GNTST_okay)
			return st;
	}
	page = guest_ram_frame(d, p.any ? p.gfn : __atomic_load_n(&e->frame, __ATOMIC_RELAXED),
			       &hpa);
	if (!page) {
		unpin(d, s->ref, to_guest);
		return GNTST_bad_page;
	}
	if (s->len && to_guest)
		memcpy(page + s->offset, buf, s->len);
	else if (s->len)
		memcpy(buf, page + s->offset, s->len);
	unpin(d, s->ref, to_guest);
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
	struct xen_gnt_map *m = NULL;
	struct grant_entry_v1 *e;
	struct pins p;
	u64 hpa;
	u32 gfn;
	s16 st;

	if (flags & ~XVMM_GNT_MAP_READONLY)
		return GNTST_general_error;
	for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS && !m; i++)
		if (d->xen.gnt_map[i].state == XEN_GNT_FREE)
			m = &d->xen.gnt_map[i];
	if (!m)
		return GNTST_no_device_space;		/* no maptrack entry left */
	if (ref >= nr_entries(d))
		return GNTST_bad_gntref;
	e = entry_of(d, ref);
	p = ref_pins(d, ref);
	if (!p.any || (!ro && !p.write)) {
		st = pin_entry(e, p.any, ro, true);
		if (st != GNTST_okay)
			return st;
	}
	gfn = p.any ? p.gfn : __atomic_load_n(&e->frame, __ATOMIC_RELAXED);
	if (!guest_ram_frame(d, gfn, &hpa)) {
		unpin(d, ref, !ro);
		return GNTST_bad_page;
	}
	before = page_access(d, hpa);
	*m = (struct xen_gnt_map){
		.state = XEN_GNT_MAPPED, .readonly = ro, .ref = ref, .gfn = gfn, .pa = hpa,
	};
	after = page_access(d, hpa);
	if (after != before) {
		if (dom0_grant_access(hpa, after)) {
			pr_info("d%u: grant %u: dom0's table refused page %llx\n", d->id, ref, hpa);
			release(d, m);
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
	*handle = (u32)(m - d->xen.gnt_map);
	*pa = hpa;
	return GNTST_okay;
}

s64 xen_gnttab_dom0_map(struct domain *d, u64 req_pa)
{
	struct xvmm_gnt_map *req = dom0_ram_buffer(req_pa, sizeof(*req));
	u32 ref, flags, handle = 0;
	u64 pa = 0;
	s16 st;

	if (!req)
		return -XEN_EFAULT;
	ref = READ_ONCE(req->ref);
	flags = READ_ONCE(req->flags);
	spin_lock(&d->xen.lock);
	if (d->xen.gnt_dead) {
		st = GNTST_bad_domain;
	} else {
		reap(d);
		st = map_one(d, ref, flags, &handle, &pa);
	}
	spin_unlock(&d->xen.lock);
	req->status = st;
	req->handle = handle;
	req->pa = pa;
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
 * Entries left unmapping are also freed by later grant calls (reap).
 */
s64 xen_gnttab_dom0_unmap(struct domain *d, u64 handle)
{
	struct xen_gnt_map *m;
	s64 ret = 0;

	if (handle >= XEN_GNT_MAX_MAPS)
		return -XEN_EINVAL;
	spin_lock(&d->xen.lock);
	m = &d->xen.gnt_map[handle];
	if (m->state == XEN_GNT_FREE) {
		ret = -XEN_EINVAL;
	} else {
		if (m->state == XEN_GNT_MAPPED) {
			enum dom0_access before = page_access(d, m->pa), after;

			/* flush_gen is 0, or when dom0 lost the page for writing to it (below). */
			m->state = XEN_GNT_UNMAPPING;
			after = page_access(d, m->pa);
			if (after != before) {
				if (dom0_grant_access(m->pa, after))
					pr_info("d%u: grant %u: dom0's table refused to drop page %llx\n",
						d->id, m->ref, m->pa);
				m->flush_gen = dom0_npt_changed();
			}
		}
		if (dom0_npt_flushed(m->flush_gen))
			release(d, m);
		else
			ret = -XEN_EAGAIN;
		reap(d);
	}
	spin_unlock(&d->xen.lock);
	return ret;
}

/*
 * The domain is being destroyed: dom0 loses every page it still maps
 * (back to junk here; the chunks then return to dom0 scrubbed, and the
 * driver flushes every CPU before it frees them). The guest's flags are
 * left as they are: its memory is about to be scrubbed.
 */
void xen_gnttab_dom0_revoke_all(struct domain *d)
{
	bool changed = false;

	spin_lock(&d->xen.lock);
	d->xen.gnt_dead = true;
	for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS; i++) {
		struct xen_gnt_map *m = &d->xen.gnt_map[i];

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
	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	for (unsigned int id = 1; id <= DOMAIN_MAX; id++) {
		struct domain *d = domain_get(id);
		bool found = false;

		if (!d)
			continue;
		spin_lock(&d->xen.lock);
		if (!d->xen.gnt_dead && page_access(d, pa) == DOM0_READ) {
			u64 gen;

			dom0_grant_access(pa, DOM0_NO_ACCESS);
			gen = dom0_npt_changed();
			/*
			 * Other CPUs may still read the page until they flush:
			 * the maps keep their pins until then, even if unmapped
			 * sooner (unmap waits for flush_gen).
			 */
			for (unsigned int i = 0; i < XEN_GNT_MAX_MAPS; i++) {
				struct xen_gnt_map *m = &d->xen.gnt_map[i];

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
