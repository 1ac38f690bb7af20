/* SPDX-License-Identifier: GPL-2.0-only */
/* xvmm.ko internals: the loaded image and the calls into it. */
#ifndef XVMM_DRV_H
#define XVMM_DRV_H

#include <linux/types.h>
#include <xvmm/control.h>
#include <xvmm/image.h>

struct xvmm_loaded {
	void *va;				/* vmap of all chunks */
	unsigned int nr_chunks;
	struct page *chunks[XVMM_MAX_CHUNKS];	/* order-9 allocations */
	int (*init)(void);
	int (*launch)(unsigned int cpu);
	struct xvmm_fault_counter *fault;	/* in the boot info (fault_inject.h) */
	char version[XVMM_VERSION_STR_LEN];
};

/* xvmm_image.c */
int xvmm_image_prepare(struct xvmm_loaded *l, const u8 *image, size_t len,
		       unsigned int mem_mb);
void xvmm_image_free(struct xvmm_loaded *l);

/* xvmm_trust.c: which images run (docs/trust.md). */
struct xvmm_trust_verdict {
	unsigned int state;		/* XVMM_TRUST_* (ioctl.h) */
	unsigned int keyring;		/* XVMM_KEYRING_*, when verified */
	size_t image_len;		/* the image without its signature */
	char detail[128];		/* which key, or what is wrong */
};
int xvmm_trust_init(void);
void xvmm_trust_exit(void);
/* 0 and a verdict when the image may run; else why not (logged). */
int xvmm_trust_check(const u8 *file, size_t len, struct xvmm_trust_verdict *v);
/* The image runs: say so, taint for one that did not verify. */
void xvmm_trust_commit(const struct xvmm_trust_verdict *v);

/*
 * xvmm_fault.c: allocation-failure injection (debug builds; no-ops and
 * EOPNOTSUPP otherwise). With xvmm_lock held, the loader hands the VMM
 * its armed counter before init() and gives back what init() counted.
 */
void xvmm_fault_boot(struct xvmm_fault_counter *bi_fault);
void xvmm_fault_boot_done(const struct xvmm_fault_counter *bi_fault);
long xvmm_fault_ioctl(void __user *arg);

/* xvmm_launch.c */
int xvmm_launch_all(struct xvmm_loaded *l);
int xvmm_unload_all(void);

/*
 * A control call (include/xvmm/control.h). Only valid on a CPU running
 * under the VMM: callers hold xvmm_lock with the VMM loaded.
 */
static inline long xvmm_hypercall(unsigned int op, unsigned long a0, unsigned long a1)
{
	long ret;

	asm volatile("vmmcall"
		     : "=a"(ret)
		     : "a"((unsigned long)XVMM_HC(op)), "D"(a0), "S"(a1)
		     : "memory");
	return ret;
}

static inline long xvmm_hypercall3(unsigned int op, unsigned long a0, unsigned long a1,
				   unsigned long a2)
{
	long ret;

	asm volatile("vmmcall"
		     : "=a"(ret)
		     : "a"((unsigned long)XVMM_HC(op)), "D"(a0), "S"(a1), "d"(a2)
		     : "memory");
	return ret;
}

/* xvmm_main.c: serialises load/unload and domain create/destroy. */
extern struct mutex xvmm_lock;
/*
 * What mmap looks up (the domain table, the grant maps), changed with both
 * locks held, read by mmap with this one alone: mmap runs under the mm's
 * lock, and the ioctls touch user memory (which may take the mm's lock)
 * with xvmm_lock held, so mmap must not wait for xvmm_lock. Order:
 * xvmm_lock, then xvmm_map_lock; nothing faults on user memory or waits
 * for xvmm_lock under xvmm_map_lock.
 */
extern struct mutex xvmm_map_lock;
bool xvmm_is_loaded(void);
void xvmm_sync_all_cpus(void);

/* xvmm_domain.c */
long xvmm_domain_ioctl(unsigned int cmd, void __user *arg, unsigned long raw);
unsigned int xvmm_domain_count(void);
struct vm_area_struct;
int xvmm_domain_mmap(struct vm_area_struct *vma);
void xvmm_domain_destroy_all(void);
/* For xvmm_evtchn.c, with xvmm_lock held: bind/unbind, signal a port of a live domain. */
long xvmm_domain_evtchn_bind(unsigned int domid, unsigned int port, bool bind);
long xvmm_domain_evtchn_send(unsigned int domid, unsigned int port);

/* xvmm_evtchn.c: dom0's per-port event channel descriptors (EVTCHN_BIND). */
long xvmm_evtchn_bind(void __user *arg);
/* Ports of @domid the guest signalled: wake their descriptors; returns the others. */
u64 xvmm_evtchn_deliver(unsigned int domid, u64 ports);
/* The domain is destroyed: its descriptors hang up. */
void xvmm_evtchn_domain_gone(unsigned int domid);

/* With xvmm_lock held: 0 if @domid is started, -ENOENT (none) or -EAGAIN (not yet). */
int xvmm_domain_check_started(unsigned int domid);
/* With xvmm_lock held: is the page at @pa part of the domain's RAM? */
bool xvmm_domain_owns_page(unsigned int domid, u64 pa);

/* xvmm_grant.c: grants a guest gave dom0 (ioctl.h GNT_*), owned by the file that mapped them. */
struct file;
long xvmm_grant_ioctl(struct file *f, unsigned int cmd, void __user *arg);
int xvmm_grant_mmap(struct file *f, struct vm_area_struct *vma);
void xvmm_grant_release(struct file *f);
/* With xvmm_lock held, before the domain is destroyed: take back every map of it. */
void xvmm_grant_revoke_domain(unsigned int domid);

#endif
