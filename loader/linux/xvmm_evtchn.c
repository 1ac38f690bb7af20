// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dom0's event channel descriptors (XVMM_IOCTL_EVTCHN_BIND, ioctl.h): one
 * file per bound guest port, which a backend poll(2)s next to its other
 * descriptors, as Xen's /dev/xen/evtchn lets it. The VMM binds the port
 * (XVMM_OP_EVTCHN_BIND); the run loop hands the ports the guest signalled
 * to xvmm_evtchn_deliver(), which wakes their descriptors; the others go
 * on to DOM_WAIT as before.
 *
 * Lifetimes: a descriptor's state is freed only at its release, after it
 * left the table under the table's lock, so delivery never sees a freed
 * one. The table is an xarray by domid * NR_PORTS + port: as many domains
 * as exist, nothing for ports nobody bound.
 * Bind, unbind and domain destroy all run under xvmm_lock; a destroyed
 * domain's descriptors hang up (POLLHUP, read returns 0) and stay until
 * closed.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <xvmm/ioctl.h>
#include "xvmm_alloc.h"
#include "xvmm_domid.h"
#include "xvmm_drv.h"

#define NR_PORTS	64	/* the VMM's XEN_NR_PORTS: dom0_notify is one u64 */

struct xvmm_evtchn {
	unsigned int domid;
	unsigned int port;
	bool bound;			/* in the table and bound in the VMM (xvmm_lock) */
	bool dead;			/* the domain is gone */
	atomic_t pending;		/* the guest signalled, not yet read */
	wait_queue_head_t wq;
};

static DEFINE_XARRAY(bound);

static unsigned long bound_index(unsigned int domid, unsigned int port)
{
	return (unsigned long)domid * NR_PORTS + port;
}

u64 xvmm_evtchn_deliver(unsigned int domid, u64 ports)
{
	u64 rest = ports;
	unsigned int p;

	if (!domid || domid >= XVMM_DOMID_END)
		return ports;
	xa_lock(&bound);
	for (p = 0; p < NR_PORTS; p++) {
		struct xvmm_evtchn *e;

		if (!(ports & BIT_ULL(p)) || !(e = xa_load(&bound, bound_index(domid, p))))
			continue;
		rest &= ~BIT_ULL(p);
		atomic_set(&e->pending, 1);
		wake_up_interruptible(&e->wq);
	}
	xa_unlock(&bound);
	return rest;
}

void xvmm_evtchn_domain_gone(unsigned int domid)
{
	struct xvmm_evtchn *e;
	unsigned long i;

	if (!domid || domid >= XVMM_DOMID_END)
		return;
	xa_lock(&bound);
	xa_for_each_range(&bound, i, e, bound_index(domid, 0), bound_index(domid, NR_PORTS - 1)) {
		__xa_erase(&bound, i);
		e->bound = false;
		WRITE_ONCE(e->dead, true);
		wake_up_interruptible(&e->wq);
	}
	xa_unlock(&bound);
}

/*
 * xvmm_lock held. A descriptor already in the table for this port is
 * stale when the VMM binds the port again: the guest closed that channel
 * and allocated the port anew, unbound for dom0 (as a frontend that died
 * and a new one do). The old descriptor then hangs up, and its release
 * leaves the new binding alone; while its channel is still up, the VMM
 * refuses and so do we.
 */
static long attach(struct xvmm_evtchn *e)
{
	unsigned long i = bound_index(e->domid, e->port);
	struct xvmm_evtchn *old = xa_load(&bound, i);
	long ret;

	/* A slot first (it may allocate): once the VMM has bound the port, storing cannot fail. */
	if (!old) {
		ret = xa_reserve(&bound, i, GFP_KERNEL);
		if (ret)
			return ret;
	}
	ret = xvmm_domain_evtchn_bind(e->domid, e->port, true);
	if (ret) {
		if (!old)
			xa_release(&bound, i);
		return old ? -EBUSY : ret;
	}
	xa_lock(&bound);
	if (old) {
		old->bound = false;
		WRITE_ONCE(old->dead, true);
		wake_up_interruptible(&old->wq);
	}
	__xa_store(&bound, i, e, GFP_ATOMIC);	/* into the slot that is there: no allocation */
	xa_unlock(&bound);
	e->bound = true;
	return 0;
}

static int evtchn_release(struct inode *inode, struct file *f)
{
	struct xvmm_evtchn *e = f->private_data;

	mutex_lock(&xvmm_lock);
	if (e->bound) {
		xa_erase(&bound, bound_index(e->domid, e->port));
		e->bound = false;
		/* The guest may have closed its end meanwhile: nothing to undo then. */
		xvmm_domain_evtchn_bind(e->domid, e->port, false);
	}
	mutex_unlock(&xvmm_lock);
	xvmm_kfree(e);
	return 0;
}

static __poll_t evtchn_poll(struct file *f, poll_table *pt)
{
	struct xvmm_evtchn *e = f->private_data;
	__poll_t mask = 0;

	poll_wait(f, &e->wq, pt);
	if (atomic_read(&e->pending))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(e->dead))
		mask |= EPOLLHUP;
	else
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static ssize_t evtchn_read(struct file *f, char __user *buf, size_t count, loff_t *off)
{
	struct xvmm_evtchn *e = f->private_data;
	u32 port = e->port;
	int ret;

	if (count < sizeof(port))
		return -EINVAL;
	for (;;) {
		if (atomic_xchg(&e->pending, 0))
			return put_user(port, (u32 __user *)buf) ? -EFAULT : sizeof(port);
		if (READ_ONCE(e->dead))
			return 0;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(e->wq, atomic_read(&e->pending) ||
					       READ_ONCE(e->dead));
		if (ret)
			return ret;
	}
}

static ssize_t evtchn_write(struct file *f, const char __user *buf, size_t count, loff_t *off)
{
	struct xvmm_evtchn *e = f->private_data;
	long ret;

	if (count < sizeof(u32))
		return -EINVAL;
	mutex_lock(&xvmm_lock);
	ret = e->bound ? xvmm_domain_evtchn_send(e->domid, e->port) : -ENOENT;
	mutex_unlock(&xvmm_lock);
	return ret ? ret : sizeof(u32);
}

static const struct file_operations evtchn_fops = {
	.owner = THIS_MODULE,
	.release = evtchn_release,
	.poll = evtchn_poll,
	.read = evtchn_read,
	.write = evtchn_write,
	.llseek = noop_llseek,
};

long xvmm_evtchn_bind(void __user *uarg)
{
	struct xvmm_ioctl_evtchn_bind req;
	struct xvmm_evtchn *e;
	struct file *file;
	long ret;
	int fd;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags || !req.domid || req.domid >= XVMM_DOMID_END || req.port >= NR_PORTS)
		return -EINVAL;
	e = xvmm_kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->domid = req.domid;
	e->port = req.port;
	init_waitqueue_head(&e->wq);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		xvmm_kfree(e);
		return fd;
	}
	file = anon_inode_getfile("xvmm-evtchn", &evtchn_fops, e, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		xvmm_kfree(e);
		return PTR_ERR(file);
	}
	/* From here the file owns e: its release undoes whatever attach did. */
	mutex_lock(&xvmm_lock);
	ret = attach(e);
	mutex_unlock(&xvmm_lock);
	req.fd = fd;
	if (!ret && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	if (ret) {
		fput(file);
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, file);
	return 0;
}
