// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation-failure injection, debug builds only (CONFIG_XVMM_FAULT_INJECT
 * gives the module XVMM_FAULT_INJECT; docs/testing.md). XVMM_IOCTL_FAULT_INJECT
 * arms the driver's own counter, which xvmm_alloc.h consults before every
 * kernel allocation, or the VMM's page pool: through XVMM_OP_FAULT_INJECT
 * while a VMM runs, else through the boot info of the next load, so that
 * the VMM's init() can be walked too. Without the option the ioctl answers
 * EOPNOTSUPP and nothing here counts.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <xvmm/fault_inject.h>
#include <xvmm/ioctl.h>
#include "xvmm_alloc.h"
#include "xvmm_drv.h"

#ifdef XVMM_FAULT_INJECT

static struct xvmm_fault_counter drv_counter;
static atomic64_t drv_live;	/* the driver's allocations not freed yet */
/* Under xvmm_lock: what the next load's VMM counts with, and the last load's count. */
static u64 next_vmm_nth;
static struct xvmm_fault_counter last_vmm_init;

bool xvmm_alloc_fails(void)
{
	return xvmm_fault_hit(&drv_counter);
}

void xvmm_alloc_live(long delta)
{
	atomic64_add(delta, &drv_live);
}

void xvmm_fault_boot(struct xvmm_fault_counter *bi_fault)
{
	lockdep_assert_held(&xvmm_lock);
	memset(bi_fault, 0, sizeof(*bi_fault));
	bi_fault->nth = next_vmm_nth;
	next_vmm_nth = 0;
}

void xvmm_fault_boot_done(const struct xvmm_fault_counter *bi_fault)
{
	lockdep_assert_held(&xvmm_lock);
	last_vmm_init = *bi_fault;
}

/* The running VMM's window: one control call, its answer in a page of ours. */
static long vmm_arm(u64 nth, struct xvmm_fault_counter *prev)
{
	/* Not through xvmm_alloc.h: arming must not count in the window it reads. */
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	long ret;

	if (!page)
		return -ENOMEM;
	ret = xvmm_hypercall(XVMM_OP_FAULT_INJECT, nth, virt_to_phys((void *)page));
	if (!ret)
		memcpy(prev, (void *)page, sizeof(*prev));
	free_page(page);
	return ret == -ENOSYS ? -EOPNOTSUPP : ret;	/* an image built without the option */
}

long xvmm_fault_ioctl(void __user *arg)
{
	struct xvmm_ioctl_fault_inject req;
	struct xvmm_fault_counter prev = {};
	long ret = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || (req.target != XVMM_FAULT_DRIVER && req.target != XVMM_FAULT_VMM))
		return -EINVAL;
	mutex_lock(&xvmm_lock);
	if (req.target == XVMM_FAULT_DRIVER) {
		xvmm_fault_arm(&drv_counter, req.nth, &prev);
	} else if (xvmm_is_loaded()) {
		ret = vmm_arm(req.nth, &prev);
	} else {
		prev = last_vmm_init;
		memset(&last_vmm_init, 0, sizeof(last_vmm_init));
		next_vmm_nth = req.nth;
	}
	mutex_unlock(&xvmm_lock);
	if (ret)
		return ret;
	req.seen = prev.seen;
	req.failed = prev.failed;
	req.live = req.target == XVMM_FAULT_DRIVER ? atomic64_read(&drv_live) : 0;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

#else /* !XVMM_FAULT_INJECT */

void xvmm_fault_boot(struct xvmm_fault_counter *bi_fault)
{
}

void xvmm_fault_boot_done(const struct xvmm_fault_counter *bi_fault)
{
}

long xvmm_fault_ioctl(void __user *arg)
{
	return -EOPNOTSUPP;
}

#endif
