// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory by guest-physical address. A domain's memory is its
 * populated RAM frames (domain_ram.c), its special pages, its extra pages
 * and its shared_info page: nothing else is reachable from here, whatever
 * address a guest passes.
 */
#include "domain.h"
#include "errno.h"
#include "lib.h"
#include "vmm.h"

/* Host physical address of gpa's byte, or 0 if the domain has none there. */
static u64 gpa_to_hpa(const struct domain *d, u64 gpa)
{
	u64 hpa;

	if (d->shared_info_gpa != ~0ull &&
	    ALIGN_DOWN(gpa, PAGE_SIZE) == d->shared_info_gpa)
		return d->shared_info_pa + (gpa & (PAGE_SIZE - 1));
	hpa = domain_ram_hpa(d, gpa);
	if (hpa)
		return hpa;
	for (unsigned int i = 0; i < d->nr_extra; i++)
		if (d->extra[i].gfn == gpa >> PAGE_SHIFT)
			return d->extra[i].pa + (gpa & (PAGE_SIZE - 1));
	if (gpa >= d->special_gpa && gpa - d->special_gpa < (u64)d->nr_special * PAGE_SIZE) {
		u64 off = gpa - d->special_gpa;

		return d->special_pa[off >> PAGE_SHIFT] + (off & (PAGE_SIZE - 1));
	}
	return 0;
}

void *guest_page_ptr(struct domain *d, u64 gpa, size_t len)
{
	u64 hpa;

	if (len == 0 || len > PAGE_SIZE || (gpa & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		return NULL;
	hpa = gpa_to_hpa(d, gpa);
	if (!hpa)
		return NULL;
	return (void *)(uintptr_t)(DIRECTMAP_BASE + hpa);
}

void *guest_ram_frame(struct domain *d, u64 gfn, u64 *hpa)
{
	u64 pa;

	if (gfn >= (1ull << (64 - PAGE_SHIFT)) || gfn << PAGE_SHIFT == d->shared_info_gpa)
		return NULL;
	pa = domain_ram_hpa(d, gfn << PAGE_SHIFT);
	if (!pa)
		return NULL;	/* not RAM, or not populated now */
	*hpa = pa;
	return (void *)(uintptr_t)(DIRECTMAP_BASE + pa);
}

/* Page by page: consecutive guest pages need not be consecutive in the host. */
static int copy_guest(struct domain *d, u64 gpa, void *buf, size_t len, bool to_guest)
{
	u8 *p = buf;

	if (gpa + len < gpa)
		return -EFAULT;
	while (len) {
		size_t n = MIN(len, (size_t)(PAGE_SIZE - (gpa & (PAGE_SIZE - 1))));
		u8 *g = guest_page_ptr(d, gpa, n);

		if (!g)
			return -EFAULT;
		if (to_guest)
			memcpy(g, p, n);
		else
			memcpy(p, g, n);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

int copy_from_guest(struct domain *d, void *dst, u64 gpa, size_t len)
{
	return copy_guest(d, gpa, dst, len, false);
}

int copy_to_guest(struct domain *d, u64 gpa, const void *src, size_t len)
{
	return copy_guest(d, gpa, (void *)(uintptr_t)src, len, true);
}
