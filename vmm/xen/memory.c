// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (hypercall 12): the first sub-ops a PVH guest needs.
 *
 * Follows Xen's xen/common/memory.c (do_memory_op, add_to_physmap),
 * xen/arch/x86/mm.c (arch_memory_op: XENMEM_memory_map) and
 * xen/arch/x86/mm/p2m.c (xenmem_add_to_physmap_one), with layouts from
 * xen/include/public/memory.h (include/xen/memory.h), 64-bit and compat.
 *
 * XENMEM_memory_map is -ENOSYS: that is what Xen answers when no map was
 * set for the domain, and a PVH guest reads its map from hvm_start_info
 * (memmap_paddr, start info version 1), which the toolstack always fills.
 * Linux asks XENMEM_memory_map only when the start info is version 0.
 */
#include "log.h"
#include "xen_internal.h"
#include <xen/memory.h>
#include <xen/xen.h>

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

	switch (x.space) {
	case XENMAPSPACE_shared_info:
		return map_shared_info(v, x.idx, x.gpfn);
	case XENMAPSPACE_grant_table:	/* grant tables are not here yet */
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
	case XENMAPSPACE_dev_mmio:
	default:
		/* Xen's answer for a space it cannot map for this domain. */
		return -XEN_EINVAL;
	}
}

/* Xen reads the argument first, then finds no map: -EFAULT or -ENOSYS. */
static s64 memory_map(struct vcpu *v, struct xen_hcall *hc)
{
	struct xen_memory_map map;
	size_t size = hc->compat ? sizeof(struct xen_memory_map_compat) : sizeof(map);

	if (xen_copy_from_guest(v, &map, hc->arg[1], size))
		return -XEN_EFAULT;
	return -XEN_ENOSYS;
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
	default:
		return -XEN_ENOSYS;
	}
}
