// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant_table_op (hypercall 20), version 1, and grant frames for
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table).
 *
 * Follows Xen 4.17's xen/common/grant_table.c (do_grant_table_op,
 * gnttab_query_size, gnttab_setup_table, gnttab_set_version,
 * gnttab_get_version, gnttab_map_frame) and the HVM filter in
 * xen/arch/x86/hvm/hypercall.c, with layouts from public/grant_table.h
 * (vmm/xen/xen_ops_abi.h).
 *
 * A domain has up to max_grant_frames frames (xl.cfg, default 64 as in
 * Xen, at most XEN_GNTTAB_MAX_FRAMES); it starts with one, and
 * add_to_physmap of frame idx grows the table to idx + 1, as in Xen.
 * Linux's PVH path (xlated_setup_gnttab_pages) takes the frames' guest
 * frames from its balloon (XENMEM_decrease_reservation) and then maps
 * frame i at each of them. Here a grant frame *is* the guest RAM page at
 * the frame it was mapped to: decrease_reservation leaves the page
 * backed (memory.c), and mapping a frame there zeroes it, or moves the
 * frame's contents there when it was mapped elsewhere before. A frame
 * outside RAM (Linux with XEN_UNPOPULATED_ALLOC puts them in unused
 * address space) is a VMM page mapped there (domain_map_extra_page),
 * freed when the domain is destroyed. The contents stay the guest's.
 *
 * Dom0's backends copy and map the grants a guest gives dom0 through
 * control calls (grant_dom0.c). A guest's own GNTTABOP_map_grant_ref,
 * unmap_grant_ref and copy work on other guests' grants (grant_guest.c);
 * swap_grant_ref, transfer and the v2 ops are -ENOSYS.
 */
#include "grant_internal.h"
#include "lib.h"
#include "log.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

/* Limits from xen_gnttab_limits (grant_table.c) stay; 0 there means Xen's default. */
void xen_gnttab_init(struct domain *d)
{
	struct xen_domain_state *x = &d->xen;

	if (!x->gnttab_max_frames)
		x->gnttab_max_frames = XEN_GNTTAB_DEFAULT_FRAMES;
	if (!x->maptrack_max_frames)
		x->maptrack_max_frames = XEN_MAPTRACK_DEFAULT_FRAMES;
	x->gnttab_nr_frames = 1;
	for (unsigned int i = 0; i < XEN_GNTTAB_MAX_FRAMES; i++)
		x->gnttab_gfn[i] = ~0ull;
	gnt_maptrack_init(&x->dom0_maps, x->maptrack_max_frames, false);
	gnt_maptrack_init(&x->guest_maps, x->maptrack_max_frames, true);
}

s64 xen_gnttab_map_frame(struct vcpu *v, u64 idx, u64 gfn)
{
	struct domain *d = v->domain;
	u64 old;
	u8 *dst;

	if (idx >= d->xen.gnttab_max_frames)
		return -XEN_EINVAL;	/* status frames (bit 31) need v2 */
	dst = domain_ram_frame_of(d, gfn) ? guest_page_ptr(d, gfn << 12, 4096)
					  : domain_map_extra_page(d, gfn);
	if (!dst) {
		pr_info("d%u: grant frame %llu at gfn 0x%llx refused\n", d->id, idx, gfn);
		return -XEN_EINVAL;
	}
	spin_lock(&d->xen.lock);
	old = d->xen.gnttab_gfn[idx];
	if (old != gfn) {
		u8 *src = old == ~0ull ? NULL : guest_page_ptr(d, old << 12, 4096);

		if (src)
			memcpy(dst, src, 4096);
		else
			memset(dst, 0, 4096);
		/* Another frame mapped at that gfn is replaced, as Xen's p2m would. */
		for (unsigned int i = 0; i < d->xen.gnttab_max_frames; i++)
			if (d->xen.gnttab_gfn[i] == gfn)
				d->xen.gnttab_gfn[i] = ~0ull;
		d->xen.gnttab_gfn[idx] = gfn;
	}
	if (idx >= d->xen.gnttab_nr_frames)
		d->xen.gnttab_nr_frames = (u16)(idx + 1);
	spin_unlock(&d->xen.lock);
	return 0;
}

static s16 dom_status(struct vcpu *v, domid_t dom)
{
	if (xen_domid_is_self(v, dom))
		return GNTST_okay;
	return domain_get(dom) || dom == 0 ? GNTST_permission_denied : GNTST_bad_domain;
}

static s64 query_size(struct vcpu *v, u64 uop, u32 count)
{
	struct gnttab_query_size q;

	if (count != 1)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(v, &q, uop, sizeof(q)))
		return -XEN_EFAULT;
	q.status = dom_status(v, q.dom);
	if (q.status == GNTST_okay) {
		q.nr_frames = v->domain->xen.gnttab_nr_frames;
		q.max_nr_frames = v->domain->xen.gnttab_max_frames;
	}
	return xen_copy_to_guest(v, uop, &q, sizeof(q));
}

/*
 * The PV way to find the frames; for a translated guest Xen returns the
 * guest frame each is mapped at (INVALID_GFN, all ones, if none).
 */
static s64 setup_table(struct vcpu *v, struct xen_hcall *hc, u64 uop, u32 count)
{
	struct domain *d = v->domain;
	struct gnttab_setup_table s;
	u64 list;
	s16 status;

	if (count != 1)
		return -XEN_EINVAL;
	if (hc->compat) {
		struct gnttab_setup_table_compat c;

		if (xen_copy_from_guest(v, &c, uop, sizeof(c)))
			return -XEN_EFAULT;
		s.dom = c.dom;
		s.nr_frames = c.nr_frames;
		list = c.frame_list;
	} else {
		if (xen_copy_from_guest(v, &s, uop, sizeof(s)))
			return -XEN_EFAULT;
		list = s.frame_list;
	}
	status = dom_status(v, s.dom);
	if (status == GNTST_okay && s.nr_frames > d->xen.gnttab_max_frames)
		status = GNTST_general_error;
	if (status == GNTST_okay) {
		if (s.nr_frames > d->xen.gnttab_nr_frames)
			d->xen.gnttab_nr_frames = (u16)s.nr_frames;
		for (u32 i = 0; i < s.nr_frames; i++) {
			u64 gfn = d->xen.gnttab_gfn[i];
			u32 gfn32 = gfn == ~0ull ? ~0u : (u32)gfn;
			int rc = hc->compat ? xen_copy_to_guest(v, list + i * 4ull, &gfn32, 4) :
					      xen_copy_to_guest(v, list + i * 8ull, &gfn, 8);

			if (rc)
				status = GNTST_bad_virt_addr;
		}
	}
	return xen_copy_to_guest(v, uop + offsetof(struct gnttab_setup_table, status),
				 &status, sizeof(status));
}

/* Version 1 only: asking for 2 is -ENOSYS, as Xen with max_grant_version 1. */
static s64 set_version(struct vcpu *v, u64 uop)
{
	struct gnttab_set_version s;
	s64 rc;

	if (xen_copy_from_guest(v, &s, uop, sizeof(s)))
		return -XEN_EFAULT;
	if (s.version == 1)
		rc = 0;
	else if (s.version == 2)
		rc = -XEN_ENOSYS;
	else
		rc = -XEN_EINVAL;
	s.version = 1;
	if (xen_copy_to_guest(v, uop, &s, sizeof(s)))
		return -XEN_EFAULT;
	return rc;
}

static s64 get_version(struct vcpu *v, u64 uop)
{
	struct gnttab_get_version g;

	if (xen_copy_from_guest(v, &g, uop, sizeof(g)))
		return -XEN_EFAULT;
	if (!xen_domid_is_self(v, g.dom))
		return domain_get(g.dom) || g.dom == 0 ? -XEN_EPERM : -XEN_ESRCH;
	g.version = 1;
	return xen_copy_to_guest(v, uop, &g, sizeof(g));
}

s64 xen_grant_table_op(struct vcpu *v, struct xen_hcall *hc)
{
	u32 cmd = (u32)hc->arg[0];
	u64 uop = hc->arg[1];
	u32 count = (u32)hc->arg[2];

	if ((s32)count < 0)
		return -XEN_EINVAL;
	if ((cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		return query_size(v, uop, count);
	case GNTTABOP_setup_table:
		return setup_table(v, hc, uop, count);
	case GNTTABOP_set_version:
		return set_version(v, uop);
	case GNTTABOP_get_version:
		return get_version(v, uop);
	case GNTTABOP_map_grant_ref:
		return xen_gnttab_guest_map(v, uop, count);
	case GNTTABOP_unmap_grant_ref:
		return xen_gnttab_guest_unmap(v, uop, count);
	case GNTTABOP_copy:
		return xen_gnttab_guest_copy(v, hc->compat, uop, count);
	case GNTTABOP_swap_grant_ref:
	default:			/* Xen's HVM filter: -ENOSYS for the rest */
		return -XEN_ENOSYS;
	}
}
