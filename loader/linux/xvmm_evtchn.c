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
 * left the table under bound_lock, so delivery never sees a freed one.
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
#include <xvmm/ioctl.h>
#include "xvmm_alloc.h"
#include "xvmm_drv.h"

#define MAX_DOMAINS	16	/* the VMM's DOMAIN_MAX */
#define NR_PORTS	64	/* the VMM's XEN_NR_PORTS: dom0_notify is one u64 */

struct xvmm_evtchn {
	unsigned int domid;
	unsigned int port;
	bool bound;			/* in the table and bound in the VMM (xvmm_lock) */
	bool dead;			/* the domain is gone */
	atomic_t pending;		/* the guest signalled, not yet read */
	wait_queue_head_t wq;
};

static DEFINE_SPINLOCK(bound_lock);
static struct xvmm_evtchn *bound[MAX_DOMAINS + 1][NR_PORTS];

u64 xvmm_evtchn_deliver(unsigned int domid, u64 ports)
{
	u64 rest = ports;
	unsigned int p;

	if (!domid || domid > MAX_DOMAINS)
		return ports;
	spin_lock(&bound_lock);
	for (p = 0; p < NR_PORTS; p++) {
		struct xvmm_evtchn *e = bound[domid][p];

		if (!(ports & BIT_ULL(p)) || !e)
			continue;
		rest &= ~BIT_ULL(p);
		atomic_set(&e->pending, 1);
		wake_up_interruptible(&e->wq);
	}
	spin_unlock(&bound_lock);
	return rest;
}

void xvmm_evtchn_domain_gone(unsigned int domid)
{
	unsigned int p;

	if (!domid || domid > MAX_DOMAINS)
		return;
	spin_lock(&bound_lock);
	for (p = 0; p < NR_PORTS; p++) {
		struct xvmm_evtchn *e = bound[domid][p];

		if (!e)
			continue;
		bound[domid][p] = NULL;
		e->bound = false;
		WRITE_ONCE(e->dead, true);
		wake_up_interruptible(&e->wq);
	}
	spin_unlock(&bound_lock);
}

/* xvmm_lock held. */
static long attach(struct xvmm_evtchn *e)
{
	long ret;

	if (READ_ONCE(bound[e->domid][e->port]))
		return -EBUSY;
	ret = xvmm_domain_evtchn_bind(e->domid, e->port, true);
	if (ret)
		return ret;
	spin_lock(&bound_lock);
	bound[e->domid][e->port] = e;
	spin_unlock(&bound_lock);
	e->bound = true;
	return 0;
}

static int evtchn_release(struct inode *inode, struct file *f)
{
	struct xvmm_evtchn *e = f->private_data;

	mutex_lock(&xvmm_lock);
	if (e->bound) {
		spin_lock(&bound_lock);
		bound[e->domid][e->port] = NULL;
		spin_unlock(&bound_lock);
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
	if (req.flags || !req.domid || req.domid > MAX_DOMAINS || req.port >= NR_PORTS)
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
