// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants a guest gave dom0, for dom0's backends (include/xvmm/ioctl.h
 * GNT_*, docs/control-abi.md): copies through kernel bounce pages, and
 * maps a process can mmap, as Linux's gntdev offers them under Xen.
 *
 * The VMM checks the grants; this file keeps dom0's side honest:
 *
 * - Copies go through bounce pages of our own, so the VMM only ever sees
 *   dom0 kernel pages (which it checks are dom0's own RAM), never a user
 *   address.
 * - A map belongs to the file that made it. Only that file can mmap it
 *   (MAP_SHARED, one page, no write for a read-only map); the vma is
 *   VM_PFNMAP | VM_IO, so get_user_pages() cannot pin the page and fork()
 *   does not copy it (VM_DONTCOPY). The page is guest memory the driver
 *   allocated for the domain; it is never handed to the page allocator
 *   while a map exists.
 * - Revoking maps (GNT_UNMAP, GNT_UNMAP_BATCH, the file's last close,
 *   DOM_DESTROY) first zaps every process mapping of them
 *   (unmap_mapping_range on the file's mapping: the vma then faults with
 *   SIGBUS), then asks the VMM to unmap them in batches, making every CPU
 *   take one SYNC exit when the VMM says a CPU may still hold a
 *   translation (-EAGAIN), and asks again for those.
 * - GNT_MAP_BATCH maps many grants with batch calls and one SYNC round
 *   before any of them is handed out.
 *
 * Everything here runs under xvmm_lock, as domain create and destroy do,
 * except mmap, which runs under the mm's lock and so looks maps up under
 * xvmm_map_lock alone (xvmm_drv.h); a map being revoked is marked there
 * first, so no mmap can re-create a mapping that revoke has zapped.
 */
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <xvmm/ioctl.h>
#include "xvmm_alloc.h"
#include "xvmm_drv.h"

#define COPY_BATCH	16	/* segments per control call: one bounce page each */
#define HANDLE_MAX	0xffffffu	/* what XVMM_MMAP_GRANT carries */
#define GNTST_OKAY	0	/* include/xen/grant_table.h (the kernel has its own xen/) */
#define GNTST_GENERAL_ERROR	(-1)

struct xvmm_gmap {
	struct list_head node;
	struct file *owner;		/* the file that mapped it; mmap only through it */
	unsigned int domid;
	unsigned int handle;		/* the VMM's */
	bool readonly;
	bool pending;			/* unmap waits for the CPUs' flush */
	bool revoked;			/* being taken back: no new mmap */
	bool marked;			/* picked by a batch unmap or a failed batch map */
	u64 pa;				/* the guest page, mapped 1:1 in dom0 by the VMM */
};

static LIST_HEAD(gmaps);		/* changed under xvmm_lock and xvmm_map_lock */

static void gmap_publish(struct xvmm_gmap *g)
{
	mutex_lock(&xvmm_map_lock);
	list_add(&g->node, &gmaps);
	mutex_unlock(&xvmm_map_lock);
}

static struct xvmm_gmap *find_gmap(unsigned int domid, unsigned int handle)
{
	struct xvmm_gmap *g;

	list_for_each_entry(g, &gmaps, node)
		if (g->domid == domid && g->handle == handle)
			return g;
	return NULL;
}

/* No process can reach the page through this map any more. */
static void zap(struct xvmm_gmap *g)
{
	unmap_mapping_range(g->owner->f_mapping, XVMM_MMAP_GRANT(g->domid, g->handle),
			    PAGE_SIZE, 1);
}

/* Unmap @n maps (all of one domain) with one control call; statuses into @u. */
static void unmap_call(struct xvmm_gnt_unmap *u, struct xvmm_gmap **g, unsigned int n)
{
	long ret;

	ret = xvmm_hypercall3(XVMM_OP_GNT_UNMAP_BATCH, g[0]->domid, virt_to_phys(u), n);
	for (unsigned int i = 0; i < n; i++) {
		int st = ret ? (int)ret : u[i].status;

		g[i]->pending = st == -EAGAIN;
		if (st && st != -EAGAIN)
			pr_warn("xvmm: d%u grant map %u: unmap refused (%d)\n",
				g[i]->domid, g[i]->handle, st);
	}
}

/*
 * Unmap the maps @match picks that @want selects (first pass: all; second:
 * the pending ones), in batches of one domain's maps.
 */
static void unmap_pass(bool (*match)(const struct xvmm_gmap *, const void *), const void *arg,
		       bool pending_only, struct xvmm_gnt_unmap *u, struct xvmm_gmap **batch)
{
	struct xvmm_gmap *g;
	unsigned int n = 0;

	list_for_each_entry(g, &gmaps, node) {
		if (!match(g, arg) || (pending_only && !g->pending))
			continue;
		if (n && (n == XVMM_GNT_BATCH_MAX || batch[0]->domid != g->domid)) {
			unmap_call(u, batch, n);
			n = 0;
		}
		u[n].handle = g->handle;
		u[n].status = 0;
		batch[n++] = g;
	}
	if (n)
		unmap_call(u, batch, n);
}

/*
 * Take back every map @match picks: zap, unmap in the VMM, one SYNC round
 * for all those that wait for the CPUs' flush, unmap those again.
 */
static unsigned int revoke(bool (*match)(const struct xvmm_gmap *, const void *), const void *arg)
{
	struct xvmm_gnt_unmap *u = (void *)get_zeroed_page(GFP_KERNEL | __GFP_NOFAIL);
	struct xvmm_gmap **batch = kmalloc_array(XVMM_GNT_BATCH_MAX, sizeof(*batch),
						 GFP_KERNEL | __GFP_NOFAIL);
	struct xvmm_gmap *g, *tmp;
	unsigned int n = 0;
	bool sync = false;

	BUILD_BUG_ON(XVMM_GNT_BATCH_MAX * sizeof(*u) > PAGE_SIZE);
	lockdep_assert_held(&xvmm_lock);
	list_for_each_entry(g, &gmaps, node) {
		if (!match(g, arg))
			continue;
		/* Mark first, then zap: an mmap after the mark fails, one before is zapped. */
		mutex_lock(&xvmm_map_lock);
		g->revoked = true;
		mutex_unlock(&xvmm_map_lock);
		zap(g);
	}
	unmap_pass(match, arg, false, u, batch);
	list_for_each_entry(g, &gmaps, node)
		sync |= match(g, arg) && g->pending;
	if (sync) {
		xvmm_sync_all_cpus();
		unmap_pass(match, arg, true, u, batch);
	}
	list_for_each_entry_safe(g, tmp, &gmaps, node) {
		if (!match(g, arg))
			continue;
		if (g->pending)		/* the VMM frees it later, or at destroy */
			pr_warn("xvmm: d%u grant map %u: still in use after SYNC\n",
				g->domid, g->handle);
		mutex_lock(&xvmm_map_lock);
		list_del(&g->node);
		mutex_unlock(&xvmm_map_lock);
		xvmm_kfree(g);
		n++;
	}
	kfree(batch);
	free_page((unsigned long)u);
	return n;
}

static bool is_file(const struct xvmm_gmap *g, const void *f)
{
	return g->owner == f;
}

static bool is_domain(const struct xvmm_gmap *g, const void *domid)
{
	return g->domid == *(const unsigned int *)domid;
}

static bool is_this(const struct xvmm_gmap *g, const void *that)
{
	return g == that;
}

void xvmm_grant_revoke_domain(unsigned int domid)
{
	unsigned int n = revoke(is_domain, &domid);

	if (n)
		pr_info("xvmm: d%u: %u grant map(s) revoked before destroy\n", domid, n);
}

void xvmm_grant_release(struct file *f)
{
	mutex_lock(&xvmm_lock);
	if (xvmm_is_loaded())
		revoke(is_file, f);
	mutex_unlock(&xvmm_lock);
}

static long gnt_copy(struct xvmm_ioctl_gnt_copy __user *uarg)
{
	struct xvmm_ioctl_gnt_copy req;
	struct xvmm_gnt_copy *segs, *hc = NULL;
	struct xvmm_gnt_copy __user *useg;
	struct page *bounce[COPY_BATCH] = { NULL };
	unsigned int i, j, n;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.nr == 0 || req.nr > XVMM_GNT_COPY_MAX)
		return -EINVAL;
	useg = u64_to_user_ptr(req.segs);
	segs = xvmm_kvmalloc_array(req.nr, sizeof(*segs), GFP_KERNEL);
	if (!segs)
		return -ENOMEM;
	if (copy_from_user(segs, useg, req.nr * sizeof(*segs))) {
		ret = -EFAULT;
		goto out;
	}
	BUILD_BUG_ON(COPY_BATCH * sizeof(*hc) > PAGE_SIZE);
	hc = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!hc) {
		ret = -ENOMEM;
		goto out;
	}
	for (j = 0; j < COPY_BATCH && j < req.nr; j++) {
		bounce[j] = xvmm_alloc_page(GFP_KERNEL);
		if (!bounce[j]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < req.nr; i += n) {
		n = min_t(unsigned int, req.nr - i, COPY_BATCH);
		for (j = 0; j < n; j++) {
			struct xvmm_gnt_copy *s = &segs[i + j];
			bool fits = (u32)s->offset + s->len <= PAGE_SIZE;

			hc[j] = *s;
			hc[j].buf = page_to_phys(bounce[j]);
			/* A segment beyond the page is the VMM's to refuse; no user bytes move. */
			if (fits && (s->flags & XVMM_GNT_TO_GUEST) &&
			    copy_from_user(page_address(bounce[j]), u64_to_user_ptr(s->buf), s->len)) {
				ret = -EFAULT;
				goto out;
			}
		}
		mutex_lock(&xvmm_lock);
		ret = xvmm_is_loaded() ? xvmm_domain_check_started(req.domid) : -ENODEV;
		if (!ret)
			ret = xvmm_hypercall3(XVMM_OP_GNT_COPY, req.domid, virt_to_phys(hc), n);
		mutex_unlock(&xvmm_lock);
		if (ret)
			goto out;
		for (j = 0; j < n; j++) {
			struct xvmm_gnt_copy *s = &segs[i + j];

			s->status = hc[j].status;
			if (s->status == GNTST_OKAY && !(s->flags & XVMM_GNT_TO_GUEST) &&
			    copy_to_user(u64_to_user_ptr(s->buf), page_address(bounce[j]), s->len)) {
				ret = -EFAULT;
				goto out;
			}
			if (put_user(s->status, &useg[i + j].status)) {
				ret = -EFAULT;
				goto out;
			}
		}
	}
out:
	for (j = 0; j < COPY_BATCH; j++)
		if (bounce[j])
			xvmm___free_page(bounce[j]);
	xvmm_free_page((unsigned long)hc);
	xvmm_kvfree(segs);
	return ret;
}

static long gnt_map(struct file *f, struct xvmm_ioctl_gnt_map __user *uarg)
{
	struct xvmm_ioctl_gnt_map req;
	struct xvmm_gnt_map *hc;
	struct xvmm_gmap *g;
	long ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.reserved || (req.flags & ~XVMM_GNT_MAP_READONLY))
		return -EINVAL;
	g = xvmm_kzalloc(sizeof(*g), GFP_KERNEL);
	hc = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!g || !hc) {
		ret = -ENOMEM;
		goto out;
	}
	hc->ref = req.ref;
	hc->flags = req.flags;
	req.handle = 0;
	req.offset = 0;
	mutex_lock(&xvmm_lock);
	ret = xvmm_is_loaded() ? xvmm_domain_check_started(req.domid) : -ENODEV;
	if (!ret)
		ret = xvmm_hypercall(XVMM_OP_GNT_MAP, req.domid, virt_to_phys(hc));
	if (!ret && hc->status == GNTST_OKAY) {
		g->owner = f;
		g->domid = req.domid;
		g->handle = hc->handle;
		g->readonly = req.flags & XVMM_GNT_MAP_READONLY;
		g->pa = hc->pa;
		/* Only ever a page of this domain's RAM, and a handle the offset can carry. */
		if (g->handle > HANDLE_MAX || !xvmm_domain_owns_page(g->domid, g->pa)) {
			pr_err("xvmm: d%u grant map: the VMM gave page %llx, handle %u\n",
			       g->domid, g->pa, g->handle);
			gmap_publish(g);
			revoke(is_this, g);
			g = NULL;
			ret = -EIO;
		} else {
			/* No CPU may keep a translation from before: it would see junk. */
			xvmm_sync_all_cpus();
			gmap_publish(g);
			req.handle = g->handle;
			req.offset = XVMM_MMAP_GRANT(g->domid, g->handle);
			g = NULL;
		}
	}
	mutex_unlock(&xvmm_lock);
	if (!ret) {
		req.status = hc->status;
		if (copy_to_user(uarg, &req, sizeof(req)))
			ret = -EFAULT;	/* the map stays the file's until close */
	}
out:
	xvmm_kfree(g);
	xvmm_free_page((unsigned long)hc);
	return ret;
}

static long gnt_unmap(struct file *f, struct xvmm_ioctl_gnt_unmap __user *uarg)
{
	struct xvmm_ioctl_gnt_unmap req;
	struct xvmm_gmap *g;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	mutex_lock(&xvmm_lock);
	g = find_gmap(req.domid, req.handle);
	if (!g || g->owner != f)
		ret = -ENOENT;
	else
		revoke(is_this, g);
	mutex_unlock(&xvmm_lock);
	return ret;
}

static bool is_marked(const struct xvmm_gmap *g, const void *f)
{
	return g->owner == f && g->marked;
}

/*
 * Many maps: batch calls of XVMM_GNT_BATCH_MAX, every new map kept aside
 * until one SYNC round after the last call, then published.
 */
static long gnt_map_batch(struct file *f, struct xvmm_ioctl_gnt_batch __user *uarg)
{
	struct xvmm_ioctl_gnt_batch req;
	struct xvmm_ioctl_gnt_map_seg *segs;
	struct xvmm_gmap **gs;
	struct xvmm_gnt_map *hc;
	LIST_HEAD(fresh);
	unsigned int i, j, n, nr_ok = 0;
	bool bad = false;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.nr == 0 || req.nr > XVMM_IOCTL_GNT_BATCH_MAX)
		return -EINVAL;
	segs = xvmm_kvmalloc_array(req.nr, sizeof(*segs), GFP_KERNEL);
	gs = xvmm_kvcalloc(req.nr, sizeof(*gs), GFP_KERNEL);
	hc = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!segs || !gs || !hc) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(segs, u64_to_user_ptr(req.segs), req.nr * sizeof(*segs))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < req.nr; i++) {
		if (segs[i].flags & ~XVMM_GNT_MAP_READONLY) {
			ret = -EINVAL;
			goto out;
		}
		gs[i] = xvmm_kzalloc(sizeof(**gs), GFP_KERNEL);
		if (!gs[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	BUILD_BUG_ON(XVMM_GNT_BATCH_MAX * sizeof(*hc) > PAGE_SIZE);
	mutex_lock(&xvmm_lock);
	ret = xvmm_is_loaded() ? xvmm_domain_check_started(req.domid) : -ENODEV;
	for (i = 0; !ret && i < req.nr; i += n) {
		n = min_t(unsigned int, req.nr - i, XVMM_GNT_BATCH_MAX);
		for (j = 0; j < n; j++)
			hc[j] = (struct xvmm_gnt_map){ .ref = segs[i + j].ref,
						       .flags = segs[i + j].flags };
		ret = xvmm_hypercall3(XVMM_OP_GNT_MAP_BATCH, req.domid, virt_to_phys(hc), n);
		for (j = 0; !ret && j < n; j++) {
			struct xvmm_ioctl_gnt_map_seg *s = &segs[i + j];
			struct xvmm_gmap *g = gs[i + j];

			s->status = hc[j].status;
			s->handle = 0;
			s->offset = 0;
			if (s->status != GNTST_OKAY)
				continue;
			g->owner = f;
			g->domid = req.domid;
			g->handle = hc[j].handle;
			g->readonly = s->flags & XVMM_GNT_MAP_READONLY;
			g->pa = hc[j].pa;
			/* Published (unreachable by mmap: revoked) so that revoke finds it. */
			g->revoked = true;
			gmap_publish(g);
			gs[i + j] = NULL;
			if (g->handle > HANDLE_MAX || !xvmm_domain_owns_page(g->domid, g->pa)) {
				pr_err("xvmm: d%u grant map: the VMM gave page %llx, handle %u\n",
				       g->domid, g->pa, g->handle);
				s->status = GNTST_GENERAL_ERROR;
				g->marked = true;	/* is_marked: revoked below */
				bad = true;
				continue;
			}
			s->handle = g->handle;
			s->offset = XVMM_MMAP_GRANT(g->domid, g->handle);
			nr_ok++;
		}
	}
	if (bad)
		revoke(is_marked, f);
	/* No CPU may keep a translation from before: it would see junk. */
	if (nr_ok)
		xvmm_sync_all_cpus();
	for (i = 0; i < req.nr; i++) {
		struct xvmm_gmap *g;

		if (segs[i].status != GNTST_OKAY || ret)
			continue;
		mutex_lock(&xvmm_map_lock);
		g = find_gmap(req.domid, segs[i].handle);
		if (g && g->owner == f)
			g->revoked = false;
		mutex_unlock(&xvmm_map_lock);
	}
	mutex_unlock(&xvmm_lock);
	if (!ret && copy_to_user(u64_to_user_ptr(req.segs), segs, req.nr * sizeof(*segs)))
		ret = -EFAULT;	/* the maps stay the file's until close */
out:
	if (gs)
		for (i = 0; i < req.nr; i++)
			xvmm_kfree(gs[i]);
	xvmm_kvfree(gs);
	xvmm_kvfree(segs);
	xvmm_free_page((unsigned long)hc);
	return ret;
}

struct unmap_set {
	const struct file *f;
	unsigned int domid;
};

static bool in_set(const struct xvmm_gmap *g, const void *set)
{
	const struct unmap_set *s = set;

	return g->owner == s->f && g->domid == s->domid && g->marked;
}

/* Many unmaps of one file's maps of one domain: one revoke, so one SYNC round. */
static long gnt_unmap_batch(struct file *f, struct xvmm_ioctl_gnt_batch __user *uarg)
{
	struct xvmm_ioctl_gnt_batch req;
	struct unmap_set set = { f, 0 };
	struct xvmm_gnt_unmap *u;
	unsigned int i;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.nr == 0 || req.nr > XVMM_IOCTL_GNT_BATCH_MAX)
		return -EINVAL;
	u = xvmm_kvmalloc_array(req.nr, sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	if (copy_from_user(u, u64_to_user_ptr(req.segs), req.nr * sizeof(*u))) {
		ret = -EFAULT;
		goto out;
	}
	set.domid = req.domid;
	mutex_lock(&xvmm_lock);
	for (i = 0; i < req.nr; i++) {
		struct xvmm_gmap *g = find_gmap(req.domid, u[i].handle);

		if (!g || g->owner != f || g->revoked) {
			u[i].status = -ENOENT;
			continue;
		}
		u[i].status = 0;
		mutex_lock(&xvmm_map_lock);
		g->revoked = true;
		mutex_unlock(&xvmm_map_lock);
		g->marked = true;	/* for in_set */
	}
	revoke(in_set, &set);
	mutex_unlock(&xvmm_lock);
	if (copy_to_user(u64_to_user_ptr(req.segs), u, req.nr * sizeof(*u)))
		ret = -EFAULT;
out:
	xvmm_kvfree(u);
	return ret;
}

long xvmm_grant_ioctl(struct file *f, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case XVMM_IOCTL_GNT_COPY:
		return gnt_copy(arg);
	case XVMM_IOCTL_GNT_MAP:
		return gnt_map(f, arg);
	case XVMM_IOCTL_GNT_UNMAP:
		return gnt_unmap(f, arg);
	case XVMM_IOCTL_GNT_MAP_BATCH:
		return gnt_map_batch(f, arg);
	case XVMM_IOCTL_GNT_UNMAP_BATCH:
		return gnt_unmap_batch(f, arg);
	default:
		return -ENOTTY;
	}
}

/* mmap of one mapped grant: XVMM_MMAP_GRANT(domid, handle), through the file that mapped it. */
int xvmm_grant_mmap(struct file *f, struct vm_area_struct *vma)
{
	unsigned long pgoff = vma->vm_pgoff;
	unsigned int domid = (pgoff >> 24) & 0xffff, handle = pgoff & HANDLE_MAX;
	struct xvmm_gmap *g;
	int ret;

	if ((pgoff >> 40) != 1 || domid == 0)
		return -EINVAL;
	if (vma->vm_end - vma->vm_start != PAGE_SIZE || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&xvmm_map_lock);	/* not xvmm_lock: we run under the mm's lock */
	g = find_gmap(domid, handle);
	if (!g || g->owner != f || g->revoked) {
		ret = -ENOENT;
	} else if (g->readonly && (vma->vm_flags & VM_WRITE)) {
		ret = -EACCES;
	} else {
		if (g->readonly)
			vma->vm_flags &= ~VM_MAYWRITE;	/* no mprotect(PROT_WRITE) later */
		vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP | VM_IO;
		ret = remap_pfn_range(vma, vma->vm_start, PHYS_PFN(g->pa), PAGE_SIZE,
				      vma->vm_page_prot);
	}
	mutex_unlock(&xvmm_map_lock);
	return ret;
}
