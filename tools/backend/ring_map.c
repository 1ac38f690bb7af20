// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring pages mapped side by side (ring_map.h): the range is reserved
 * PROT_NONE first, then each granted page is mapped into it in place
 * (MAP_FIXED) at the mmap offset its map returned (docs/control-abi.md).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <xen/grant_table.h>
#include <xvmm/ioctl.h>

#include "ring_map.h"

#define PAGE_SIZE	4096u

int ring_map(struct ring_map *m, int xfd, uint32_t domid, const uint32_t *refs, unsigned int n)
{
	struct xvmm_ioctl_gnt_map_seg seg[RING_MAP_MAX_PAGES];
	struct xvmm_ioctl_gnt_batch req = { .domid = domid, .nr = n, .segs = (uintptr_t)seg };
	void *va;

	m->va = NULL;
	m->nr_mapped = 0;
	m->nr_pages = n;
	if (n == 0 || n > RING_MAP_MAX_PAGES)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		seg[i] = (struct xvmm_ioctl_gnt_map_seg){ .ref = refs[i] };
	if (ioctl(xfd, XVMM_IOCTL_GNT_MAP_BATCH, &req) < 0)
		return -errno;
	for (unsigned int i = 0; i < n; i++)
		if (seg[i].status == GNTST_okay)
			m->handles[m->nr_mapped++] = seg[i].handle;
	if (m->nr_mapped != n)
		return -EACCES;
	va = mmap(NULL, (size_t)PAGE_SIZE * n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED)
		return -errno;
	m->va = va;
	for (unsigned int i = 0; i < n; i++) {
		void *p = mmap((char *)va + (size_t)i * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, xfd, (off_t)seg[i].offset);

		if (p == MAP_FAILED)
			return -errno;
	}
	return 0;
}

void ring_unmap(struct ring_map *m, int xfd, uint32_t domid)
{
	struct xvmm_gnt_unmap un[RING_MAP_MAX_PAGES];
	struct xvmm_ioctl_gnt_batch req = { .domid = domid, .nr = m->nr_mapped,
					    .segs = (uintptr_t)un };

	if (m->va)
		munmap(m->va, (size_t)PAGE_SIZE * m->nr_pages);
	m->va = NULL;
	for (unsigned int i = 0; i < m->nr_mapped; i++)
		un[i] = (struct xvmm_gnt_unmap){ .handle = m->handles[i] };
	if (req.nr)
		ioctl(xfd, XVMM_IOCTL_GNT_UNMAP_BATCH, &req);
	m->nr_mapped = 0;
}
