// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's own grant operations on other guests' grants:
 * GNTTABOP_map_grant_ref, unmap_grant_ref and copy, as Xen 4.17's
 * xen/common/grant_table.c (map_grant_ref, unmap_common, gnttab_copy_one)
 * and xen/arch/x86/hvm/grant_table.c (create_grant_p2m_mapping,
 * replace_grant_p2m_mapping) do them for a translated (HVM/PVH) guest.
 *
 * Map: GNTMAP_host_map only (device and application maps and
 * GNTMAP_contains_pte are GNTST_general_error, as for HVM in Xen);
 * host_addr is a guest-physical address in the mapping domain, whose
 * nested page table then points that frame at the granted page,
 * read-only for GNTMAP_readonly (which a GTF_readonly grant needs). The
 * frame may be a page of its own RAM (Linux uses ballooned-out ones) or
 * unused address space; not shared_info, a special or extra page, a frame
 * of its own grant table, or a frame another grant is mapped at
 * (GNTST_general_error). Unmap puts back what was there (its RAM page, or
 * nothing). A guest writing to a read-only map takes a nested page fault
 * the VMM does not resolve: the domain is crashed (Xen injects #GP). The
 * VMM's own accesses to the mapping domain's memory (hypercall buffers)
 * still see its RAM page at that frame, not the granted one.
 *
 * The grant is checked and pinned by grant_table.c with the mapping
 * domain as the grantee: an entry granted to another domain, or pinned by
 * one, is GNTST_general_error as in Xen (a third domain is refused, the
 * granting page untouched). The map lives in the mapper's guest_maps
 * table (Xen's maptrack); the handle is its index. Both domains' xen.lock
 * are held, lower domid first.
 *
 * TLB. The mapper's vCPUs share an ASID and cache nested translations per
 * CPU. Every change bumps the mapper's npt_gen (domain_npt_changed): each
 * of its vCPUs flushes before it next enters and records the generation,
 * running ones are kicked out of the guest. The calling vCPU is in the
 * VMM and flushes before it runs again, so with one vCPU an unmap is
 * complete at once; with others running, the granted page stays pinned
 * (GTF_reading/GTF_writing) until each has flushed, and the unpin happens
 * at the mapper's next grant operation after that (or its destruction).
 *
 * Destruction: of the mapper, its maps are unpinned (its table goes with
 * it); of the granter, every other domain's maps of its pages leave their
 * tables (revoked: unmapping them later succeeds) before its memory goes
 * back to dom0, and the driver's SYNC round after DOM_DESTROY makes every
 * CPU leave the guests it runs, so the next entry flushes.
 *
 * Copy: each side is a grant reference (GNTCOPY_source_gref /
 * GNTCOPY_dest_gref) of the named domain, or a frame of the caller, which
 * must then be named DOMID_SELF (GNTST_permission_denied otherwise, as in
 * Xen). At most one page per segment (GNTST_bad_copy_arg).
 *
 * A batch is at most GNT_GUEST_BATCH_MAX operations (-EINVAL beyond):
 * there are no hypercall continuations here.
 */
#include "grant_internal.h"
#include "lib.h"
#include "log.h"
#include "xen_internal.h"

#define GNT_GUEST_BATCH_MAX	4096

/* The granting domain named by a map or copy: NULL if none (GNTST_bad_domain). */
static struct domain *granter(struct vcpu *v, u16 dom, bool self_ok)
{
	if (dom == DOMID_SELF)
		return self_ok ? v->domain : NULL;
	return dom == 0 ? NULL : domain_get(dom);
}

/* Is a guest map of @ld at host frame @gfn already? */
static bool host_gfn_mapped(const struct domain *ld, u32 gfn)
{
	const struct xen_maptrack *t = &ld->xen.guest_maps;

	for (u32 h = gnt_hash_first(t, gfn); h != XEN_GNT_NONE;) {
		const struct xen_gnt_map *m = gnt_map_get(t, h);

		if (m->state != XEN_GNT_FREE && !m->revoked && m->host_gfn == gfn)
			return true;
		h = m->hnext;
	}
	return false;
}

static bool is_own_grant_frame(const struct domain *d, u64 gfn)
{
	for (unsigned int i = 0; i < d->xen.gnttab_max_frames; i++)
		if (d->xen.gnttab_gfn[i] == gfn)
			return true;
	return false;
}

/* ---- map --------------------------------------------------------------- */

static s16 map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
	struct domain *ld = v->domain, *rd;
	bool ro = op->flags & GNTMAP_readonly;
	u64 gfn = op->host_addr >> PAGE_SHIFT, hpa;
	struct xen_gnt_map *m;
	u32 handle, frame;
	u8 *page;
	s16 st;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;		/* Xen: "bad flags" */
	if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte))
		return GNTST_general_error;		/* no device maps in a translated guest */
	if (op->flags & ~(GNTMAP_host_map | GNTMAP_readonly))
		return GNTST_general_error;		/* create_grant_p2m_mapping */
	rd = granter(v, op->dom, false);
	if (!rd)
		return GNTST_bad_domain;
	gnt_lock_two(ld, rd);
	if (rd->xen.gnt_dead || ld->xen.gnt_dead) {
		st = GNTST_bad_domain;
		goto out;
	}
	m = gnt_map_alloc(&ld->xen.guest_maps, &handle);
	if (!m) {
		st = GNTST_no_space;
		goto out;
	}
	st = gnt_pin(rd, op->ref, (u16)ld->id, ro, true, &frame, &hpa, &page);
	if (st != GNTST_okay) {
		gnt_map_free(&ld->xen.guest_maps, handle);
		goto out;
	}
	if (gfn >= XEN_GNT_NONE || host_gfn_mapped(ld, (u32)gfn) || is_own_grant_frame(ld, gfn) ||
	    domain_map_grant_page(ld, gfn, hpa, ro)) {
		gnt_unpin(rd, op->ref, ro);
		gnt_map_free(&ld->xen.guest_maps, handle);
		st = GNTST_general_error;
		goto out;
	}
	m->state = XEN_GNT_MAPPED;
	m->readonly = ro;
	m->dom = (u16)rd->id;
	m->ref = op->ref;
	m->gfn = frame;
	m->host_gfn = (u32)gfn;
	m->pa = hpa;
	gnt_hash_add(&ld->xen.guest_maps, handle);
	ld->xen.guest_maps.nr_mapped++;
	/* The frame showed something else: no vCPU may keep that translation. */
	domain_npt_changed(ld, v);
	op->handle = handle;
out:
	gnt_unlock_two(ld, rd);
	return st;
}

/* ---- release of unmapped maps ----------------------------------------- */

/*
 * Free the unmapped entries no vCPU but @self can reach any more, each
 * with its granter's lock (taken lower domid first, so not while holding
 * ours if the granter's id is lower: look, drop, lock both, look again).
 */
static void reap(struct vcpu *self, struct domain *ld)
{
	struct xen_maptrack *t = &ld->xen.guest_maps;

	for (;;) {
		struct domain *rd = NULL;
		u32 *link, h = XEN_GNT_NONE;
		bool done = false;

		spin_lock(&ld->xen.lock);
		for (link = &t->unmapping; *link != XEN_GNT_NONE; link = &gnt_map_get(t, *link)->next) {
			struct xen_gnt_map *m = gnt_map_get(t, *link);

			if (m->revoked || domain_npt_flushed(ld, m->flush_gen, self)) {
				h = *link;
				rd = m->revoked ? NULL : domain_get(m->dom);
				break;
			}
		}
		spin_unlock(&ld->xen.lock);
		if (h == XEN_GNT_NONE)
			return;
		gnt_lock_two(ld, rd);
		for (link = &t->unmapping; *link != XEN_GNT_NONE; link = &gnt_map_get(t, *link)->next) {
			struct xen_gnt_map *m;

			if (*link != h)
				continue;
			m = gnt_map_get(t, h);
			if (!m->revoked && (!rd || rd->id != m->dom))
				break;	/* the granter went meanwhile: it revokes it */
			*link = m->next;
			gnt_hash_del(t, h);
			if (!m->revoked)
				gnt_unpin(rd, m->ref, m->readonly);
			gnt_map_free(t, h);
			done = true;
			break;
		}
		gnt_unlock_two(ld, rd);
		if (!done)
			return;
	}
}

/* ---- unmap ------------------------------------------------------------- */

static s16 unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
	struct domain *ld = v->domain;
	struct xen_maptrack *t = &ld->xen.guest_maps;
	struct xen_gnt_map *m;
	s16 st = GNTST_okay;

	spin_lock(&ld->xen.lock);
	m = gnt_map_get(t, op->handle);
	if (!m || m->state != XEN_GNT_MAPPED) {
		st = GNTST_bad_handle;
	} else if (op->host_addr >> PAGE_SHIFT != m->host_gfn) {
		st = GNTST_general_error;		/* replace_grant_p2m_mapping: not this map */
	} else {
		if (!m->revoked && domain_unmap_grant_page(ld, m->host_gfn))
			pr_info("d%u: grant map at gfn %x: the table refused to restore it\n",
				ld->id, m->host_gfn);
		if (!m->revoked)
			m->flush_gen = domain_npt_changed(ld, v);
		m->state = XEN_GNT_UNMAPPING;
		t->nr_mapped--;
		m->next = t->unmapping;
		t->unmapping = op->handle;
	}
	spin_unlock(&ld->xen.lock);
	return st;
}

s64 xen_gnttab_guest_map(struct vcpu *v, u64 uop, u32 count)
{
	if (count > GNT_GUEST_BATCH_MAX)
		return -XEN_EINVAL;
	reap(v, v->domain);
	for (u32 i = 0; i < count; i++) {
		u64 a = uop + (u64)i * sizeof(struct gnttab_map_grant_ref);
		struct gnttab_map_grant_ref op;

		if (xen_copy_from_guest(v, &op, a, sizeof(op)))
			return -XEN_EFAULT;
		op.handle = 0;
		op.dev_bus_addr = 0;
		op.status = map_one(v, &op);
		if (xen_copy_to_guest(v, a + offsetof(struct gnttab_map_grant_ref, status),
				      &op.status, 2 + 4 + 8))
			return -XEN_EFAULT;
	}
	return 0;
}

s64 xen_gnttab_guest_unmap(struct vcpu *v, u64 uop, u32 count)
{
	if (count > GNT_GUEST_BATCH_MAX)
		return -XEN_EINVAL;
	for (u32 i = 0; i < count; i++) {
		u64 a = uop + (u64)i * sizeof(struct gnttab_unmap_grant_ref);
		struct gnttab_unmap_grant_ref op;

		if (xen_copy_from_guest(v, &op, a, sizeof(op)))
			return -XEN_EFAULT;
		op.status = unmap_one(v, &op);
		if (xen_copy_to_guest(v, a + offsetof(struct gnttab_unmap_grant_ref, status),
				      &op.status, sizeof(op.status)))
			return -XEN_EFAULT;
	}
	reap(v, v->domain);
	return 0;
}

/* ---- copy -------------------------------------------------------------- */

struct copy_side {
	u64 frame;		/* ref or gmfn */
	u16 domid;
	u16 offset;
	bool gref;
	struct domain *d;	/* the domain whose grant it names; NULL for a frame of ours */
	u8 *page;
	bool pinned;
};

static s16 side_domain(struct vcpu *v, struct copy_side *s)
{
	if (!s->gref) {
		if (s->domid != DOMID_SELF)
			return GNTST_permission_denied;	/* only DOMID_SELF by frame */
		return GNTST_okay;
	}
	s->d = granter(v, s->domid, true);
	return s->d ? GNTST_okay : GNTST_bad_domain;
}

static s16 side_page(struct vcpu *v, struct copy_side *s, bool write)
{
	u64 hpa;
	u32 gfn;
	s16 st;

	if (!s->gref) {
		s->page = s->frame < XEN_GNT_NONE ? guest_ram_frame(v->domain, s->frame, &hpa) : NULL;
		return s->page ? GNTST_okay : GNTST_bad_page;
	}
	if (s->d->xen.gnt_dead)
		return GNTST_bad_domain;
	if (s->frame >= XEN_GNT_NONE)
		return GNTST_bad_gntref;
	st = gnt_pin(s->d, (u32)s->frame, (u16)v->domain->id, !write, false, &gfn, &hpa, &s->page);
	s->pinned = st == GNTST_okay;
	return st;
}

static s16 copy_one(struct vcpu *v, struct copy_side *src, struct copy_side *dst, u16 len,
		    u16 flags)
{
	s16 st;

	if (flags & ~(GNTCOPY_source_gref | GNTCOPY_dest_gref))
		return GNTST_bad_copy_arg;
	src->gref = flags & GNTCOPY_source_gref;
	dst->gref = flags & GNTCOPY_dest_gref;
	if ((u32)src->offset + len > PAGE_SIZE || (u32)dst->offset + len > PAGE_SIZE)
		return GNTST_bad_copy_arg;
	st = side_domain(v, src);
	if (st == GNTST_okay)
		st = side_domain(v, dst);
	if (st != GNTST_okay)
		return st;
	gnt_lock_two(src->d, dst->d);
	st = side_page(v, src, false);
	if (st == GNTST_okay)
		st = side_page(v, dst, true);
	if (st == GNTST_okay && len)
		memmove(dst->page + dst->offset, src->page + src->offset, len);
	if (dst->pinned)
		gnt_unpin(dst->d, (u32)dst->frame, false);
	if (src->pinned)
		gnt_unpin(src->d, (u32)src->frame, true);
	gnt_unlock_two(src->d, dst->d);
	return st;
}

s64 xen_gnttab_guest_copy(struct vcpu *v, bool compat, u64 uop, u32 count)
{
	size_t size = compat ? sizeof(struct gnttab_copy_compat) : sizeof(struct gnttab_copy);
	size_t status_off = compat ? offsetof(struct gnttab_copy_compat, status)
				   : offsetof(struct gnttab_copy, status);

	if (count > GNT_GUEST_BATCH_MAX)
		return -XEN_EINVAL;
	for (u32 i = 0; i < count; i++) {
		u64 a = uop + (u64)i * size;
		struct copy_side src = { 0 }, dst = { 0 };
		u16 len, flags;
		s16 st;

		if (compat) {
			struct gnttab_copy_compat c;

			if (xen_copy_from_guest(v, &c, a, sizeof(c)))
				return -XEN_EFAULT;
			src = (struct copy_side){ .frame = c.source.u.gmfn, .domid = c.source.domid,
						  .offset = c.source.offset };
			dst = (struct copy_side){ .frame = c.dest.u.gmfn, .domid = c.dest.domid,
						  .offset = c.dest.offset };
			len = c.len;
			flags = c.flags;
		} else {
			struct gnttab_copy c;

			if (xen_copy_from_guest(v, &c, a, sizeof(c)))
				return -XEN_EFAULT;
			src = (struct copy_side){ .frame = c.source.u.gmfn, .domid = c.source.domid,
						  .offset = c.source.offset };
			dst = (struct copy_side){ .frame = c.dest.u.gmfn, .domid = c.dest.domid,
						  .offset = c.dest.offset };
			len = c.len;
			flags = c.flags;
		}
		/* A grant reference is the low 32 bits of the union. */
		if (flags & GNTCOPY_source_gref)
			src.frame = (u32)src.frame;
		if (flags & GNTCOPY_dest_gref)
			dst.frame = (u32)dst.frame;
		st = copy_one(v, &src, &dst, len, flags);
		if (xen_copy_to_guest(v, a + status_off, &st, sizeof(st)))
			return -XEN_EFAULT;
	}
	return 0;
}

/* ---- destruction ----------------------------------------------------- */

void xen_gnttab_guest_destroy(struct domain *d)
{
	struct xen_maptrack *t = &d->xen.guest_maps;
	struct domain *ld;

	/* Its own maps of other domains' grants: unpin them. */
	for (u32 h = 0; h < t->nr_frames * (u32)XEN_GNT_MAPS_PER_FRAME; h++) {
		struct xen_gnt_map *m;
		struct domain *rd;

		spin_lock(&d->xen.lock);
		m = gnt_map_get(t, h);
		rd = m->state == XEN_GNT_FREE || m->revoked ? NULL : domain_get(m->dom);
		spin_unlock(&d->xen.lock);
		if (!rd)
			continue;
		gnt_lock_two(d, rd);
		if (m->state != XEN_GNT_FREE && !m->revoked && m->dom == rd->id) {
			gnt_unpin(rd, m->ref, m->readonly);
			m->revoked = true;
		}
		gnt_unlock_two(d, rd);
	}
	/* Other domains' maps of its pages: they leave those domains' tables. */
	for (unsigned int id = 0; (ld = domain_next(&id));) {
		struct xen_maptrack *lt;
		bool changed = false;

		if (ld == d)
			continue;
		lt = &ld->xen.guest_maps;
		gnt_lock_two(ld, d);
		for (u32 h = 0; h < lt->nr_frames * (u32)XEN_GNT_MAPS_PER_FRAME; h++) {
			struct xen_gnt_map *m = gnt_map_get(lt, h);

			if (m->state == XEN_GNT_FREE || m->revoked || m->dom != d->id)
				continue;
			if (m->state == XEN_GNT_MAPPED) {
				domain_unmap_grant_page(ld, m->host_gfn);
				changed = true;
			}
			m->revoked = true;
		}
		gnt_unlock_two(ld, d);
		if (changed) {
			domain_npt_changed(ld, NULL);
			pr_info("d%u: its maps of d%u's grants revoked\n", ld->id, d->id);
		}
	}
}
