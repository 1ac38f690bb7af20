// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains on the dom0 side (include/xvmm/ioctl.h): guest memory, the build
 * steps, and the vCPU run loop. The driver owns every domain, so a domain
 * outlives the process that built it and DOM_DESTROY always works.
 *
 * The run loop lives here, as KVM's does: after a host interrupt the CPU
 * goes straight back into the guest; user space sees DOM_RUN return only
 * when the domain stops or a signal is pending.
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <asm/fpu/api.h>
#include <asm/io.h>
#include <xvmm/ioctl.h>
#include <xvmm/ram_layout.h>
#include "xvmm_alloc.h"
#include "xvmm_domid.h"
#include "xvmm_drv.h"

#define MAX_SPECIAL		32
#define MAX_VCPUS		64	/* the VMM's DOMAIN_MAX_VCPUS */
#define MAX_RAM			(512ull << 30)	/* the VMM's DOMAIN_MAX_RAM_CHUNKS */
/* Dom0 keeps at least this much of what it has available (MemAvailable). */
#define DOM0_KEEP		(64ull << 20)
#define CHUNK_ORDER		(XVMM_CHUNK_SHIFT - PAGE_SHIFT)

/* One vCPU's thread in DOM_RUN: what a kick needs to reach it. */
struct xvmm_vcpu {
	atomic_t runner;		/* 1 while a DOM_RUN drives it: one at a time */
	bool kick;			/* something is pending for it: look again */
	bool in_guest;
	bool halted;			/* asleep in DOM_RUN until an event or its timer */
	int cpu;			/* CPU it runs on while in_guest (then: last ran on) */
	atomic64_t cpu_ns;		/* its time in the guest */
	struct hrtimer timer;		/* the vCPU's next timer, while it runs */
	wait_queue_head_t wq;		/* it sleeps here while halted */
};

struct xvmm_dom {
	unsigned int domid;
	char name[XVMM_NAME_LEN];
	bool started;
	bool dying;
	bool paused;			/* DOM_PAUSE: the vCPUs wait in dom_run() */
	u64 start_ns;			/* boot time at DOM_START */
	atomic_t users;			/* DOM_RUN callers inside */
	wait_queue_head_t wq;
	u64 ram_size;			/* populated at start (memory) */
	u64 ram_max;			/* donated (maxmem): nr_chunks chunks */
	unsigned int nr_chunks;
	struct page **chunks;
	u64 special_gpa;
	unsigned int nr_special;
	struct page *special[MAX_SPECIAL];
	unsigned int nr_vcpus;
	struct xvmm_vcpu *vcpus;
	atomic64_t cpu_ns;
	atomic64_t notify;		/* ports the guest signalled, for DOM_WAIT */
	wait_queue_head_t notify_wq;
};

/*
 * Domains by id, as many as memory allows: changed under xvmm_lock and
 * xvmm_map_lock (xvmm_drv.h), ids given round-robin (xvmm_domid.h) under
 * xvmm_lock. An id stays taken from DOM_CREATE until its destroy is done.
 */
static DEFINE_XARRAY(doms);
static struct xvmm_domids domids;
static unsigned int nr_doms;

unsigned int xvmm_domain_count(void)
{
	return READ_ONCE(nr_doms);
}

static void free_dom(struct xvmm_dom *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_chunks; i++)
		xvmm___free_pages(d->chunks[i], CHUNK_ORDER);
	xvmm_kvfree(d->chunks);
	for (i = 0; i < d->nr_special; i++) {
		if (d->special[i]) {
			clear_highpage(d->special[i]);	/* the guest shared it */
			xvmm___free_page(d->special[i]);
		}
	}
	xvmm_kfree(d->vcpus);
	xvmm_kfree(d);
}

static struct xvmm_dom *find(unsigned int domid)
{
	return domid && domid < XVMM_DOMID_END ? xa_load(&doms, domid) : NULL;
}

int xvmm_domain_check_started(unsigned int domid)
{
	struct xvmm_dom *d = find(domid);

	lockdep_assert_held(&xvmm_lock);
	if (!d || d->dying)
		return -ENOENT;
	return d->started ? 0 : -EAGAIN;
}

bool xvmm_domain_owns_page(unsigned int domid, u64 pa)
{
	struct xvmm_dom *d = find(domid);
	unsigned int i;

	lockdep_assert_held(&xvmm_lock);
	if (!d || !PAGE_ALIGNED(pa))
		return false;
	for (i = 0; i < d->nr_chunks; i++) {
		u64 base = page_to_phys(d->chunks[i]);

		if (pa >= base && pa - base < XVMM_CHUNK_SIZE)
			return true;
	}
	return false;
}

/* The interrupt is the point: it makes the guest exit so the VMM can deliver its timer. */
static enum hrtimer_restart timer_fired(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

static long destroy(struct xvmm_dom *d);

/*
 * Called without xvmm_lock: the guest's RAM is allocated and zeroed
 * before the lock is taken (that is the slow part for a large guest), so
 * other domains' control calls do not wait for it.
 */
static long dom_create(struct xvmm_ioctl_dom_create __user *uarg)
{
	struct xvmm_ioctl_dom_create req;
	struct xvmm_dom *d, *o;
	unsigned long i;
	int id;
	long err;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	req.name[XVMM_NAME_LEN - 1] = '\0';
	if (!req.ram_max)
		req.ram_max = req.ram_size;
	if (req.flags || !req.name[0] || req.nr_vcpus == 0 || req.nr_vcpus > MAX_VCPUS ||
	    req.nr_special > MAX_SPECIAL ||
	    req.ram_size == 0 || req.ram_max < req.ram_size || req.ram_max > MAX_RAM ||
	    !IS_ALIGNED(req.ram_size, XVMM_CHUNK_SIZE) || !IS_ALIGNED(req.ram_max, XVMM_CHUNK_SIZE) ||
	    !PAGE_ALIGNED(req.special_gpa) ||
	    (req.nr_special && req.special_gpa < min(req.ram_max, XVMM_RAM_LOW_END)) ||
	    req.special_gpa + (u64)req.nr_special * PAGE_SIZE > (1ull << 32))
		return -EINVAL;
	/*
	 * All of maxmem is donated now (docs/domains.md): refuse at once what
	 * dom0 cannot give, rather than push it into reclaim and fail late.
	 */
	if (req.ram_max + DOM0_KEEP > ((u64)si_mem_available() << PAGE_SHIFT)) {
		pr_err("xvmm: %llu MiB of guest RAM asked, dom0 has %llu MiB available\n",
		       req.ram_max >> 20, ((u64)si_mem_available() << PAGE_SHIFT) >> 20);
		return -ENOMEM;
	}

	d = xvmm_kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	strscpy(d->name, req.name, sizeof(d->name));
	init_waitqueue_head(&d->wq);
	init_waitqueue_head(&d->notify_wq);
	d->vcpus = xvmm_kcalloc(req.nr_vcpus, sizeof(*d->vcpus), GFP_KERNEL);
	if (!d->vcpus) {
		xvmm_kfree(d);
		return -ENOMEM;
	}
	for (i = 0; i < req.nr_vcpus; i++) {
		init_waitqueue_head(&d->vcpus[i].wq);
		hrtimer_init(&d->vcpus[i].timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
		d->vcpus[i].timer.function = timer_fired;
	}
	d->ram_size = req.ram_size;
	d->ram_max = req.ram_max;
	d->nr_vcpus = req.nr_vcpus;
	d->special_gpa = req.special_gpa;
	d->chunks = xvmm_kvcalloc(req.ram_max / XVMM_CHUNK_SIZE, sizeof(*d->chunks), GFP_KERNEL);
	if (!d->chunks) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < req.ram_max / XVMM_CHUNK_SIZE; i++) {
		d->chunks[i] = xvmm_alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, CHUNK_ORDER);
		if (!d->chunks[i]) {
			pr_err("xvmm: no memory for %llu MiB of guest RAM (got %u of %llu 2 MiB chunks)\n",
			       req.ram_max >> 20, d->nr_chunks, req.ram_max / XVMM_CHUNK_SIZE);
			err = -ENOMEM;
			goto fail;
		}
		d->nr_chunks++;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto fail;
		}
		cond_resched();
	}
	for (i = 0; i < req.nr_special; i++) {
		d->special[i] = xvmm_alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!d->special[i]) {
			err = -ENOMEM;
			goto fail;
		}
		d->nr_special++;
	}

	/* Only now the lock, for the name, the id and the table. */
	mutex_lock(&xvmm_lock);
	err = xvmm_is_loaded() ? 0 : -ENODEV;
	xa_for_each(&doms, i, o)
		if (!err && !strcmp(o->name, req.name))
			err = -EEXIST;
	if (!domids.end)
		xvmm_domids_init(&domids, XVMM_DOMID_END);
	id = err ? 0 : xvmm_domid_alloc(&domids);
	if (id < 0) {
		pr_err("xvmm: no free domain id (%u domains exist)\n", nr_doms);
		err = id;
	}
	if (!err) {
		d->domid = id;
		mutex_lock(&xvmm_map_lock);
		err = xa_err(xa_store(&doms, id, d, GFP_KERNEL));
		if (!err)
			nr_doms++;
		mutex_unlock(&xvmm_map_lock);
		if (err)
			xvmm_domid_free(&domids, id);
	}
	mutex_unlock(&xvmm_lock);
	if (err)
		goto fail;
	req.domid = id;
	if (copy_to_user(uarg, &req, sizeof(req))) {
		/* Nobody learnt its id: it goes again (nothing was started). */
		mutex_lock(&xvmm_lock);
		if (find(id) == d)
			destroy(d);
		mutex_unlock(&xvmm_lock);
		return -EFAULT;
	}
	return 0;
fail:
	free_dom(d);
	return err;
}

/* Copy user bytes into guest memory that is still dom0's (before DOM_START). */
static long dom_write(struct xvmm_ioctl_dom_write __user *uarg)
{
	struct xvmm_ioctl_dom_write req;
	struct xvmm_dom *d;
	const u8 __user *src;
	u64 gpa, left;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	d = find(req.domid);
	if (!d)
		return -ENOENT;
	if (d->started || req.flags)
		return -EINVAL;
	gpa = req.gpa;
	left = req.len;
	src = u64_to_user_ptr(req.ptr);
	if (gpa + left < gpa)
		return -EINVAL;
	while (left) {
		u64 n;
		u8 *dst;

		unsigned long long roff;

		if (xvmm_ram_off(gpa, d->ram_size, &roff)) {
			/* Populated RAM: up to the end of this chunk (never across the gap). */
			u64 off = roff & (XVMM_CHUNK_SIZE - 1);

			n = min(left, XVMM_CHUNK_SIZE - off);
			dst = page_address(d->chunks[roff >> XVMM_CHUNK_SHIFT]) + off;
		} else if (gpa >= d->special_gpa &&
			   gpa - d->special_gpa < (u64)d->nr_special * PAGE_SIZE) {
			u64 off = gpa - d->special_gpa;

			n = min(left, PAGE_SIZE - (off & ~PAGE_MASK));
			dst = page_address(d->special[off >> PAGE_SHIFT]) + (off & ~PAGE_MASK);
		} else {
			return -EINVAL;
		}
		if (copy_from_user(dst, src, n))
			return -EFAULT;
		gpa += n;
		src += n;
		left -= n;
		cond_resched();
	}
	return 0;
}

static long dom_start(struct xvmm_ioctl_dom_start __user *uarg)
{
	struct xvmm_ioctl_dom_start req;
	struct xvmm_hc_dom_create *hc = NULL;
	struct xvmm_dom *d;
	u64 *chunk_pa;
	unsigned int i;
	long ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	d = find(req.domid);
	if (!d)
		return -ENOENT;
	if (d->started || req.flags || req.nr_memmap > XVMM_MEMMAP_MAX)
		return -EINVAL;
	BUILD_BUG_ON(sizeof(*hc) > PAGE_SIZE);
	hc = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	/* The VMM reads the list by physical address: one contiguous buffer. */
	chunk_pa = xvmm_kmalloc_array(d->nr_chunks, sizeof(u64), GFP_KERNEL | __GFP_NOWARN);
	if (!hc || !chunk_pa) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(hc->memmap, u64_to_user_ptr(req.memmap),
			   req.nr_memmap * sizeof(hc->memmap[0]))) {
		ret = -EFAULT;
		goto out;
	}
	hc->nr_memmap = req.nr_memmap;	/* checked by the VMM */
	for (i = 0; i < d->nr_chunks; i++)
		chunk_pa[i] = page_to_phys(d->chunks[i]);
	strscpy(hc->name, d->name, sizeof(hc->name));
	hc->domid = d->domid;
	hc->nr_vcpus = d->nr_vcpus;
	hc->nr_special = d->nr_special;
	hc->ram_size = d->ram_size;
	hc->ram_max = d->ram_max;
	hc->chunk_list_pa = virt_to_phys(chunk_pa);
	hc->special_gpa = d->special_gpa;
	for (i = 0; i < d->nr_special; i++)
		hc->special_pa[i] = page_to_phys(d->special[i]);
	hc->entry = req.entry;
	hc->start_info = req.start_info;
	hc->console_gfn = req.console_gfn;
	hc->store_gfn = req.store_gfn;
	hc->max_grant_frames = req.max_grant_frames;	/* checked by the VMM */
	hc->max_maptrack_frames = req.max_maptrack_frames;
	hc->max_evtchn_port = req.max_evtchn_port;	/* checked by the VMM */

	ret = xvmm_hypercall(XVMM_OP_DOM_CREATE, virt_to_phys(hc), 0);
	if (ret >= 0) {
		/* Dom0 must not keep the donated memory in any CPU's TLB. */
		xvmm_sync_all_cpus();
		d->started = true;	/* special pages stay: the guest shares them */
		d->start_ns = ktime_get_boottime_ns();
		ret = 0;
	} else {
		pr_err("xvmm: the VMM refused domain %u (%ld)\n", d->domid, ret);
		/* What the failed creation left for after a grace period (its table page) goes now. */
		xvmm_sync_all_cpus();
	}
out:
	xvmm_kfree(chunk_pa);
	xvmm_free_page((unsigned long)hc);
	return ret;
}

static void noop_ipi(void *unused)
{
}

/*
 * Make vCPU @i's thread notice d->dying or something pending for it: wake
 * it, or IPI it out of the guest (any interrupt makes the guest exit).
 */
static void kick_vcpu(struct xvmm_dom *d, unsigned int i)
{
	struct xvmm_vcpu *v = &d->vcpus[i];

	WRITE_ONCE(v->kick, true);
	smp_mb();
	wake_up_all(&v->wq);
	if (READ_ONCE(v->in_guest))
		smp_call_function_single(READ_ONCE(v->cpu), noop_ipi, NULL, 0);
}

static void kick(struct xvmm_dom *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_vcpus; i++)
		kick_vcpu(d, i);
	wake_up_all(&d->wq);
}

/* The VMM's XVMM_RUN_KICK mask: the other vCPUs it raised something for. */
static void kick_mask(struct xvmm_dom *d, u64 mask)
{
	while (mask) {
		unsigned int i = __ffs64(mask);

		mask &= mask - 1;
		if (i < d->nr_vcpus)
			kick_vcpu(d, i);
	}
}

/*
 * An event this vCPU sent over an interdomain channel raised something
 * for vCPUs of another domain, which may all sleep (XVMM_RUN_HALT): wake
 * them now. doms changes under xvmm_map_lock, and a domain's vCPU array
 * is freed only after it left doms.
 */
static void kick_other(unsigned int domid, u64 mask)
{
	struct xvmm_dom *rd;

	mutex_lock(&xvmm_map_lock);
	rd = find(domid);
	if (rd && !READ_ONCE(rd->dying))
		kick_mask(rd, mask);
	mutex_unlock(&xvmm_map_lock);
}

static long destroy(struct xvmm_dom *d)
{
	long ret;

	WRITE_ONCE(d->dying, true);
	kick(d);
	wake_up_all(&d->notify_wq);
	if (!wait_event_timeout(d->wq, atomic_read(&d->users) == 0, 10 * HZ))
		return -EBUSY;
	if (d->started) {
		/* No process may keep a page of the domain's through a grant map. */
		xvmm_grant_revoke_domain(d->domid);
		ret = xvmm_hypercall(XVMM_OP_DOM_DESTROY, d->domid, 0);
		if (ret) {
			pr_err("xvmm: VMM refused to destroy domain %u (%ld)\n", d->domid, ret);
			WRITE_ONCE(d->dying, false);
			return ret;
		}
		xvmm_sync_all_cpus();
	}
	xvmm_evtchn_domain_gone(d->domid);
	mutex_lock(&xvmm_map_lock);
	xa_erase(&doms, d->domid);
	nr_doms--;
	mutex_unlock(&xvmm_map_lock);
	xvmm_domid_free(&domids, d->domid);
	free_dom(d);		/* a page mmap inserted keeps its own reference */
	return 0;
}

void xvmm_domain_destroy_all(void)
{
	struct xvmm_dom *d;
	unsigned long i;

	xa_for_each(&doms, i, d)
		destroy(d);
}

/* One trip into the guest; returns the VMM's answer with run->reason set. */
static long run_once(struct xvmm_dom *d, unsigned int vcpu, u64 run_pa, u64 timer_ns,
		     bool *stop)
{
	struct xvmm_vcpu *v = &d->vcpus[vcpu];
	u64 t0;
	long ret;

	kernel_fpu_begin();
	if (timer_ns)
		hrtimer_start(&v->timer, ns_to_ktime(timer_ns), HRTIMER_MODE_REL_PINNED);
	local_irq_disable();
	WRITE_ONCE(v->cpu, smp_processor_id());
	WRITE_ONCE(v->in_guest, true);
	smp_mb();
	/* Checked after in_guest is visible: a kicker either sees us or we see it. */
	if (READ_ONCE(d->dying) || READ_ONCE(v->kick)) {
		WRITE_ONCE(v->in_guest, false);
		local_irq_enable();
		kernel_fpu_end();
		hrtimer_cancel(&v->timer);
		*stop = true;
		return 0;
	}
	t0 = ktime_get_ns();
	ret = xvmm_hypercall3(XVMM_OP_VCPU_RUN, d->domid, vcpu, run_pa);
	t0 = ktime_get_ns() - t0;
	atomic64_add(t0, &d->cpu_ns);
	atomic64_add(t0, &v->cpu_ns);
	WRITE_ONCE(v->in_guest, false);
	local_irq_enable();
	kernel_fpu_end();
	hrtimer_cancel(&v->timer);
	return ret;
}

/*
 * Pin a live domain for a call that sleeps without xvmm_lock (DOM_RUN,
 * DOM_WAIT): destroy waits until every pin is gone. NULL if there is none.
 */
static struct xvmm_dom *pin_dom(unsigned int domid)
{
	struct xvmm_dom *d;

	mutex_lock(&xvmm_lock);
	d = find(domid);
	if (d && !d->dying)
		atomic_inc(&d->users);
	else
		d = NULL;
	mutex_unlock(&xvmm_lock);
	return d;
}

static void unpin_dom(struct xvmm_dom *d)
{
	if (atomic_dec_and_test(&d->users))
		wake_up_all(&d->wq);
}

static long dom_run(struct xvmm_ioctl_dom_run __user *uarg)
{
	struct xvmm_ioctl_dom_run req;
	struct xvmm_run *run;
	struct xvmm_vcpu *vc;
	struct xvmm_dom *d;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	d = pin_dom(req.domid);
	if (!d)
		return -ENOENT;
	if (!d->started || req.vcpu >= d->nr_vcpus) {
		unpin_dom(d);
		return -EINVAL;
	}

	run = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!run) {
		ret = -ENOMEM;
		goto out_free;
	}
	vc = &d->vcpus[req.vcpu];
	/*
	 * A second caller for the same vCPU is refused, and the one driving
	 * it does not notice: the vCPU's state between its runs (a halt, a
	 * timer) belongs to that caller.
	 */
	if (atomic_cmpxchg(&vc->runner, 0, 1)) {
		ret = -EBUSY;
		goto out_free;
	}
	for (;;) {
		bool stop = false;

		WRITE_ONCE(vc->kick, false);
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (READ_ONCE(d->paused)) {
			/* DOM_PAUSE kicked us out of the guest: wait here for UNPAUSE. */
			wait_event_interruptible(vc->wq, !READ_ONCE(d->paused) ||
						 READ_ONCE(d->dying));
			if (READ_ONCE(d->dying)) {
				ret = -ENOENT;
				break;
			}
			continue;
		}
		ret = run_once(d, req.vcpu, virt_to_phys(run), run->timer_ns, &stop);
		if (stop && READ_ONCE(d->dying)) {
			ret = -ENOENT;
			break;
		}
		if (stop)
			continue;		/* kicked: look at the domain again */
		if (ret < 0)
			break;
		if (run->kick)
			kick_mask(d, run->kick);
		if (run->kick_domid)
			kick_other(run->kick_domid, run->kick_dom_mask);
		if (run->notify) {
			u64 rest = xvmm_evtchn_deliver(d->domid, run->notify);

			if (rest) {
				atomic64_or(rest, &d->notify);
				wake_up_all(&d->notify_wq);
			}
		}
		switch (run->reason) {
		case XVMM_RUN_INTR:
		case XVMM_RUN_YIELD:
		case XVMM_RUN_NOTIFY:
		case XVMM_RUN_KICK:
			cond_resched();
			continue;
		case XVMM_RUN_HALT: {
			/* Until the vCPU's timer, a kick (an event for it), destroy or a signal. */
			ktime_t until = run->timer_ns ? ns_to_ktime(run->timer_ns) : KTIME_MAX;

			WRITE_ONCE(vc->halted, true);
			wait_event_interruptible_hrtimeout(vc->wq, READ_ONCE(vc->kick) ||
							   READ_ONCE(d->dying), until);
			WRITE_ONCE(vc->halted, false);
			run->timer_ns = 0;	/* the VMM says again on the next return */
			continue;
		}
		case XVMM_RUN_SHUTDOWN:
		case XVMM_RUN_CRASH:
			req.reason = run->reason;
			req.code = run->code;
			ret = copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
			goto out;
		default:
			ret = -EPROTO;
			goto out;
		}
	}
out:
	atomic_set(&vc->runner, 0);
out_free:
	xvmm_free_page((unsigned long)run);
	unpin_dom(d);
	return ret;
}

static u32 vcpu_flags(const struct xvmm_vcpu *v)
{
	u32 f = 0;

	if (atomic_read(&v->runner))
		f |= XVMM_VCPUF_ONLINE;
	if (READ_ONCE(v->in_guest))
		f |= XVMM_VCPUF_RUNNING;
	if (READ_ONCE(v->halted))
		f |= XVMM_VCPUF_BLOCKED;
	return f;
}

/* xl's State letters r, b, p, d (the VMM's state gives s and c). */
static u32 dom_flags(const struct xvmm_dom *d)
{
	unsigned int i, driven = 0, halted = 0;
	u32 f = 0;

	for (i = 0; i < d->nr_vcpus; i++) {
		u32 v = vcpu_flags(&d->vcpus[i]);

		if (v & XVMM_VCPUF_RUNNING)
			f |= XVMM_DOMF_ONCPU;
		driven += !!(v & XVMM_VCPUF_ONLINE);
		halted += !!(v & XVMM_VCPUF_BLOCKED);
	}
	if (driven && halted == driven)
		f |= XVMM_DOMF_BLOCKED;
	if (READ_ONCE(d->paused))
		f |= XVMM_DOMF_PAUSED;
	if (READ_ONCE(d->dying))
		f |= XVMM_DOMF_DYING;
	return f;
}

static long dom_vcpu_list(struct xvmm_ioctl_vcpu_list __user *uarg)
{
	struct xvmm_ioctl_vcpu_list req;
	struct xvmm_vcpu_info info;
	struct xvmm_vcpu_info __user *out;
	struct xvmm_dom *d;
	unsigned int i;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	d = find(req.domid);
	if (!d)
		return -ENOENT;
	out = u64_to_user_ptr(req.vcpus);
	for (i = 0; i < d->nr_vcpus && i < req.nr; i++) {
		const struct xvmm_vcpu *v = &d->vcpus[i];

		memset(&info, 0, sizeof(info));
		info.vcpu = i;
		info.cpu = READ_ONCE(v->cpu);
		info.flags = vcpu_flags(v);
		info.cpu_ns = atomic64_read(&v->cpu_ns);
		if (copy_to_user(&out[i], &info, sizeof(info)))
			return -EFAULT;
	}
	req.nr = d->nr_vcpus;
	return copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
}

/* DOM_PAUSE: the vCPUs leave the guest (kicked) and wait in dom_run(); UNPAUSE wakes them. */
static long dom_pause(unsigned long domid, bool pause)
{
	struct xvmm_dom *d = domid < XVMM_DOMID_END ? find(domid) : NULL;

	if (!d || d->dying)
		return -ENOENT;
	if (!d->started)
		return -EAGAIN;
	WRITE_ONCE(d->paused, pause);
	kick(d);
	return 0;
}

static long dom_list(struct xvmm_ioctl_dom_list __user *uarg)
{
	struct xvmm_ioctl_dom_list req;
	struct xvmm_dom_info *info;
	struct xvmm_dom_info __user *out;
	struct xvmm_dom *d;
	unsigned long i;
	unsigned int n = 0;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;
	info = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	out = u64_to_user_ptr(req.doms);
	xa_for_each(&doms, i, d) {
		if (n >= req.nr)
			break;
		memset(info, 0, sizeof(*info));
		if (d->started && xvmm_hypercall(XVMM_OP_DOM_INFO, d->domid, virt_to_phys(info)))
			continue;
		info->domid = d->domid;
		info->nr_vcpus = d->nr_vcpus;
		info->ram_size = d->ram_size;
		if (!d->started)
			info->ram_current = d->ram_size;	/* the VMM's count once started */
		info->ram_max = d->ram_max;
		info->cpu_ns = atomic64_read(&d->cpu_ns);
		info->flags = dom_flags(d);
		if (d->started)
			info->uptime_ns = ktime_get_boottime_ns() - d->start_ns;
		strscpy(info->name, d->name, sizeof(info->name));
		if (copy_to_user(&out[n], info, sizeof(*info))) {
			ret = -EFAULT;
			break;
		}
		n++;
	}
	xvmm_free_page((unsigned long)info);
	req.nr = n;
	if (!ret && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

static long dom_console(struct xvmm_ioctl_dom_console __user *uarg)
{
	struct xvmm_log_read *page;
	struct xvmm_dom *d;
	u32 domid;
	u64 cursor;
	long ret;

	if (get_user(domid, &uarg->domid) || get_user(cursor, &uarg->log.cursor))
		return -EFAULT;
	d = find(domid);
	if (!d)
		return -ENOENT;
	if (!d->started)
		return -EAGAIN;
	page = (void *)xvmm_get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	ret = xvmm_hypercall3(XVMM_OP_DOM_CONSOLE, domid, virt_to_phys(page), cursor);
	if (!ret && copy_to_user(&uarg->log, page, sizeof(*page)))
		ret = -EFAULT;
	xvmm_free_page((unsigned long)page);
	return ret;
}

/*
 * A control call about a started domain (DOM_SHUTDOWN, EVTCHN_SEND) that
 * the guest must notice soon: kick its vCPU afterwards.
 */
static long call_and_kick(unsigned int domid, unsigned int op, unsigned long arg)
{
	struct xvmm_dom *d = find(domid);
	long ret;

	if (!d)
		return -ENOENT;
	if (!d->started)
		return -EAGAIN;
	ret = xvmm_hypercall(op, domid, arg);
	if (!ret)
		kick(d);
	return ret;
}

static long dom_shutdown(struct xvmm_ioctl_dom_shutdown __user *uarg)
{
	struct xvmm_ioctl_dom_shutdown req;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	return call_and_kick(req.domid, XVMM_OP_DOM_SHUTDOWN, req.reason);
}

/* A dom0 backend signals the guest's end of one of its ports. */
static long dom_notify(struct xvmm_ioctl_dom_notify __user *uarg)
{
	struct xvmm_ioctl_dom_notify req;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	return call_and_kick(req.domid, XVMM_OP_EVTCHN_SEND, req.port);
}

long xvmm_domain_evtchn_send(unsigned int domid, unsigned int port)
{
	return call_and_kick(domid, XVMM_OP_EVTCHN_SEND, port);
}

long xvmm_domain_evtchn_bind(unsigned int domid, unsigned int port, bool bind)
{
	struct xvmm_dom *d = find(domid);

	if (!xvmm_is_loaded() || !d || READ_ONCE(d->dying))
		return -ENOENT;
	if (!d->started)
		return -EAGAIN;
	return xvmm_hypercall3(XVMM_OP_EVTCHN_BIND, domid, port, bind);
}

/* A dom0 backend waits for the guest to signal; no lock held while it sleeps. */
static long dom_wait(struct xvmm_ioctl_dom_wait __user *uarg)
{
	struct xvmm_ioctl_dom_wait req;
	struct xvmm_dom *d;
	long ret = 0;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	d = pin_dom(req.domid);
	if (!d)
		return -ENOENT;

	if (wait_event_interruptible_timeout(d->notify_wq, atomic64_read(&d->notify) ||
					     READ_ONCE(d->dying),
					     msecs_to_jiffies(req.timeout_ms)) < 0)
		ret = -EINTR;
	req.pending = atomic64_xchg(&d->notify, 0);
	if (READ_ONCE(d->dying))
		ret = -ENOENT;
	if (!ret && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	unpin_dom(d);
	return ret;
}

/* mmap of one special page: XVMM_MMAP_SPECIAL(domid, n). */
int xvmm_domain_mmap(struct vm_area_struct *vma)
{
	unsigned int domid = vma->vm_pgoff >> 8, n = vma->vm_pgoff & 0xff;
	struct xvmm_dom *d;
	int ret;

	if (vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	mutex_lock(&xvmm_map_lock);	/* not xvmm_lock: we run under the mm's lock */
	d = find(domid);
	if (!d)
		ret = -ENOENT;
	else if (n >= d->nr_special || !d->special[n])
		ret = -EINVAL;
	else
		ret = vm_insert_page(vma, vma->vm_start, d->special[n]);
	mutex_unlock(&xvmm_map_lock);
	return ret;
}

long xvmm_domain_ioctl(unsigned int cmd, void __user *arg, unsigned long raw)
{
	long ret;

	/* DOM_RUN blocks for the guest's lifetime: it takes the lock only briefly. */
	if (cmd == XVMM_IOCTL_DOM_RUN)
		return xvmm_is_loaded() ? dom_run(arg) : -ENODEV;
	if (cmd == XVMM_IOCTL_DOM_WAIT)
		return xvmm_is_loaded() ? dom_wait(arg) : -ENODEV;
	if (cmd == XVMM_IOCTL_DOM_CREATE)
		return xvmm_is_loaded() ? dom_create(arg) : -ENODEV;

	mutex_lock(&xvmm_lock);
	if (!xvmm_is_loaded()) {
		ret = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case XVMM_IOCTL_DOM_WRITE:
		ret = dom_write(arg);
		break;
	case XVMM_IOCTL_DOM_START:
		ret = dom_start(arg);
		break;
	case XVMM_IOCTL_DOM_DESTROY:
		ret = raw < XVMM_DOMID_END && find(raw) ? destroy(find(raw)) : -ENOENT;
		break;
	case XVMM_IOCTL_DOM_LIST:
		ret = dom_list(arg);
		break;
	case XVMM_IOCTL_DOM_CONSOLE:
		ret = dom_console(arg);
		break;
	case XVMM_IOCTL_DOM_SHUTDOWN:
		ret = dom_shutdown(arg);
		break;
	case XVMM_IOCTL_DOM_NOTIFY:
		ret = dom_notify(arg);
		break;
	case XVMM_IOCTL_DOM_PAUSE:
	case XVMM_IOCTL_DOM_UNPAUSE:
		ret = dom_pause(raw, cmd == XVMM_IOCTL_DOM_PAUSE);
		break;
	case XVMM_IOCTL_DOM_VCPU_LIST:
		ret = dom_vcpu_list(arg);
		break;
	default:
		ret = -ENOTTY;
	}
out:
	mutex_unlock(&xvmm_lock);
	return ret;
}
