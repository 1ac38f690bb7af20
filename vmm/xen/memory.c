// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (hypercall 12): the first sub-ops a PVH guest needs.
 *
 * Follows Xen's xen/common/memory.c (do_memory_op, add_to_physmap),
 * xen/arch/x86/mm.c (arch_memory_op: XENMEM_memory_map) and
 * xen/arch/x86/mm/p2m.c (xenmem_add_to_physmap_one), with layouts from
 * xen/include/public/memory.h (include/xen/memory.h), 64-bit and compat.
 *
 * XENMEM_memory_map returns the map the toolstack set at creation (as
 * libxl sets one with xc_domain_set_memory_map), the same one it wrote
 * into hvm_start_info; -ENOSYS if it set none, as Xen answers then.
 *
 * Reservations (do_memory_op's decrease_reservation / populate_physmap):
 * the domain's RAM frames are the maxmem bytes the driver donated, laid
 * out below the gap under 4 GiB and above 4 GiB (vmm/core/domain_ram.c);
 * the first `memory` of them start populated. decrease_reservation takes
 * populated frames out of the nested page table: the guest reading one
 * afterwards gets all ones and its writes go nowhere, as on Xen 4.17 for
 * an HVM guest touching a gfn with nothing behind it (vmm/core/mmio.c).
 * A frame given back already ends the walk, as Xen's guest_remove_page
 * failing on a frame with nothing behind it does (XSA-277: the same frame
 * twice is 1, then 0 extents done). populate_physmap maps RAM frames
 * again, zeroed (populated ones stay as they are); a frame that is not a
 * RAM frame (beyond maxmem, the gap, the special pages) stops the walk
 * and the count done tells the guest. current_reservation counts the
 * populated frames, maximum_reservation maxmem's. Mapping shared_info or
 * a grant frame onto a given-back frame populates it first. increase_
 * reservation, the PV way, does nothing (0 extents), as it gives a
 * translated guest nothing usable.
 */
#include "log.h"
#include "lib.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/memory.h>
#include <xen/xen.h>
#include <xvmm/ram_layout.h>

static int read_xatp(struct vcpu *v, struct xen_hcall *hc, struct xen_add_to_physmap *x)
{
	if (hc->compat) {
		struct xen_add_to_physmap_compat c;

		if (xen_copy_from_guest(v, &c, hc->arg[1], sizeof(c)))
			return -XEN_EFAULT;
		x->domid = c.domid;
		x->size = c.size;
		x->space = c.space;
		x->idx = c.idx;
		/* A 32-bit caller's all-ones frame is the invalid frame too. */
		x->gpfn = c.gpfn == 0xffffffffu ? ~0ull : c.gpfn;
		return 0;
	}
	return xen_copy_from_guest(v, x, hc->arg[1], sizeof(*x));
}

static s64 map_shared_info(struct vcpu *v, u64 idx, u64 gpfn)
{
	struct domain *d = v->domain;

	if (idx != 0)
		return -XEN_EINVAL;
	if (!domain_map_shared_info(d, gpfn)) {
		pr_info("d%u: add_to_physmap(shared_info) at gfn 0x%llx refused\n", d->id, gpfn);
		return -XEN_EINVAL;
	}
	d->shared_info_gpa = gpfn << 12;
	xen_shared_info_mapped(d);
	return 0;
}

static s64 add_to_physmap(struct vcpu *v, struct xen_hcall *hc, u64 start_extent)
{
	struct xen_add_to_physmap x;
	int rc;

	/* Xen refuses a start extent that does not fit the size field. */
	if (start_extent > 0xffff)
		return -XEN_EDOM;
	rc = read_xatp(v, hc, &x);
	if (rc)
		return rc;
	if (x.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;	/* only through add_to_physmap_batch */
	if (!xen_domid_is_self(v, x.domid))
		return -XEN_EPERM;	/* no guest may change another's map */
	if (x.gpfn == ~0ull)
		return -XEN_EINVAL;	/* INVALID_GFN */

	/*
	 * A RAM frame given back is populated again first: a grant frame in
	 * RAM is that frame's own page, and shared_info is mapped over it.
	 */
	if ((x.space == XENMAPSPACE_shared_info || x.space == XENMAPSPACE_grant_table) &&
	    domain_ram_frame_of(v->domain, x.gpfn) && domain_ram_populate(v->domain, x.gpfn))
		return -XEN_ENOMEM;
	switch (x.space) {
	case XENMAPSPACE_shared_info:
		rc = (int)map_shared_info(v, x.idx, x.gpfn);
		break;
	case XENMAPSPACE_grant_table:
		rc = (int)xen_gnttab_map_frame(v, x.idx, x.gpfn);
		break;
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
	case XENMAPSPACE_dev_mmio:
	default:
		/* Xen's answer for a space it cannot map for this domain. */
		return -XEN_EINVAL;
	}
	return rc;
}

/*
 * Xen's arch_memory_op: read the argument, -ENOSYS if the toolstack set
 * no map, else copy min(nr_entries, entries) e820 entries to the buffer
 * and write nr_entries back. The toolstack passes the same map it wrote
 * into hvm_start_info (DOM_CREATE), so the two agree.
 */
static s64 memory_map(struct vcpu *v, struct xen_hcall *hc)
{
	struct domain *d = v->domain;
	struct xen_memory_map map;
	struct xen_memory_map_compat c;
	u64 buffer;
	u32 n;

	if (hc->compat) {
		if (xen_copy_from_guest(v, &c, hc->arg[1], sizeof(c)))
			return -XEN_EFAULT;
		map.nr_entries = c.nr_entries;
		buffer = c.buffer;
	} else {
		if (xen_copy_from_guest(v, &map, hc->arg[1], sizeof(map)))
			return -XEN_EFAULT;
		buffer = map.buffer;
	}
	if (!d->nr_memmap)
		return -XEN_ENOSYS;
	n = MIN(map.nr_entries, d->nr_memmap);
	for (u32 i = 0; i < n; i++) {
		struct xen_e820_entry e = {
			.addr = d->memmap[i].addr, .size = d->memmap[i].size, .type = d->memmap[i].type,
		};

		if (xen_copy_to_guest(v, buffer + (u64)i * sizeof(e), &e, sizeof(e)))
			return -XEN_EFAULT;
	}
	if (hc->compat) {
		c.nr_entries = n;
		return xen_copy_to_guest(v, hc->arg[1], &c, sizeof(c)) ? -XEN_EFAULT : 0;
	}
	map.nr_entries = n;
	return xen_copy_to_guest(v, hc->arg[1], &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

static int read_reservation(struct vcpu *v, struct xen_hcall *hc, struct xen_memory_reservation *r)
{
	if (hc->compat) {
		struct xen_memory_reservation_compat c;

		if (xen_copy_from_guest(v, &c, hc->arg[1], sizeof(c)))
			return -XEN_EFAULT;
		r->extent_start = c.extent_start;
		r->nr_extents = c.nr_extents;
		r->extent_order = c.extent_order;
		r->mem_flags = c.mem_flags;
		r->domid = c.domid;
		return 0;
	}
	return xen_copy_from_guest(v, r, hc->arg[1], sizeof(*r));
}

/* Xen's largest extent for an unprivileged domain (CONFIG_DOMU_MAX_ORDER). */
#define DOMU_MAX_ORDER	9
/*
 * Frames one call may touch. Xen would preempt a longer call with a
 * continuation; there are none here, so the call stops and the count
 * done says where, as for any frame it cannot do. Linux's balloon asks
 * for at most 512 frames at a time.
 */
#define RESV_MAX_FRAMES	(1u << 16)

/* Is every frame of the extent at gfn populated (decrease) / a RAM frame (populate)? */
static bool extent_ok(struct domain *d, u64 gfn, u64 pages, bool decrease)
{
	for (u64 j = 0; j < pages; j++) {
		if (!domain_ram_frame_of(d, gfn + j))
			return false;
		if (decrease && !domain_ram_hpa(d, (gfn + j) << 12))
			return false;
	}
	return true;
}

/*
 * decrease_reservation / populate_physmap: walk the frame list from
 * start_extent. Every frame of an extent must be a RAM frame of the
 * domain (below maxmem in its layout: not the gap, the special pages or
 * beyond); for a decrease, populated now. A decrease takes the frames out
 * of the nested page table (domain_ram_remove), and every vCPU of the
 * domain flushes its TLB before it next runs guest code (the caller
 * included; running ones are kicked out). A populate maps the frames
 * again, zeroed. Returns the number of extents done, counting
 * start_extent, as Xen does.
 */
static s64 reservation(struct vcpu *v, struct xen_hcall *hc, u64 start, bool decrease)
{
	struct domain *d = v->domain;
	struct xen_memory_reservation r;
	size_t esz = hc->compat ? 4 : 8;
	u64 i, pages, budget = RESV_MAX_FRAMES;
	bool removed = false;

	if (read_reservation(v, hc, &r))
		return start;
	if (start >= r.nr_extents || r.extent_order > DOMU_MAX_ORDER)
		return start;
	if (!xen_domid_is_self(v, r.domid))
		return -XEN_EPERM;
	pages = 1ull << r.extent_order;
	for (i = start; i < r.nr_extents && budget >= pages; i++, budget -= pages) {
		u64 gfn = 0, j;

		if (xen_copy_from_guest(v, &gfn, r.extent_start + i * esz, esz))
			break;
		if (gfn & (pages - 1) || !extent_ok(d, gfn, pages, decrease))
			break;
		for (j = 0; j < pages; j++) {
			int err = decrease ? domain_ram_remove(d, gfn + j) : domain_ram_populate(d, gfn + j);

			if (err)
				break;
			removed |= decrease;
		}
		if (j < pages)
			break;		/* no memory for a page-table split: the extent is not done */
	}
	if (removed)
		domain_npt_changed(d, v);
	return (s64)i;
}

/* current_reservation / maximum_reservation: pages populated / maxmem, for DOMID_SELF. */
static s64 reservation_size(struct vcpu *v, struct xen_hcall *hc, bool current)
{
	struct domain *d = v->domain;
	domid_t dom;

	if (xen_copy_from_guest(v, &dom, hc->arg[1], sizeof(dom)))
		return -XEN_EFAULT;
	if (!xen_domid_is_self(v, dom))
		return domain_get(dom) || dom == 0 ? -XEN_EPERM : -XEN_ESRCH;
	return current ? (s64)domain_ram_pages(d) : (s64)(d->ram_max >> 12);
}

s64 xen_memory_op(struct vcpu *v, struct xen_hcall *hc)
{
	u64 cmd = hc->arg[0];		/* unsigned long cmd */
	u64 start_extent = cmd >> MEMOP_EXTENT_SHIFT;

	switch (cmd & MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, hc, start_extent);
	case XENMEM_memory_map:
		return memory_map(v, hc);
	case XENMEM_increase_reservation:
		return (s64)start_extent;	/* nothing a translated guest could use */
	case XENMEM_decrease_reservation:
		return reservation(v, hc, start_extent, true);
	case XENMEM_populate_physmap:
		return reservation(v, hc, start_extent, false);
	case XENMEM_maximum_ram_page:
		/* Xen gives the host's highest frame; here the end of the guest's RAM frames. */
		return (s64)(xvmm_ram_end_gpa(v->domain->ram_max) >> 12);
	case XENMEM_current_reservation:
		return reservation_size(v, hc, true);
	case XENMEM_maximum_reservation:
		return reservation_size(v, hc, false);
	default:
		return -XEN_ENOSYS;
	}
}
