/* SPDX-License-Identifier: MIT */
/*
 * /dev/xvmm: the driver's interface to dom0 user space. Each ioctl maps
 * onto one control call (control.h) or onto the driver's own load/unload.
 * Errors are returned as -1 with errno set (Linux numbering).
 */
#ifndef XVMM_IOCTL_H
#define XVMM_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include "control.h"
#include "image.h"

#define XVMM_DEVICE	"/dev/xvmm"

struct xvmm_ioctl_load {
	__u64 image_ptr;	/* user address of the image file's bytes */
	__u64 image_len;
	__u32 mem_mb;		/* memory for the VMM in MiB; 0: the driver's default */
	__u32 flags;		/* must be 0 */
};

/*
 * IMAGE_TRUST: how the running image got in (docs/trust.md). state is
 * NONE with no VMM loaded; VERIFIED with the keyring that vouched for it;
 * UNSIGNED when it runs without a valid signature (the kernel is then
 * tainted 'U'), detail saying what was wrong with it.
 */
#define XVMM_TRUST_NONE		0
#define XVMM_TRUST_UNSIGNED	1
#define XVMM_TRUST_VERIFIED	2
#define XVMM_KEYRING_SECONDARY	1	/* the kernel's secondary trusted keyring */
#define XVMM_KEYRING_PLATFORM	2	/* the platform keyring (UEFI db) */
#define XVMM_KEYRING_BUILD	3	/* the build key compiled into xvmm.ko */

struct xvmm_image_trust {
	__u32 state;		/* XVMM_TRUST_* */
	__u32 keyring;		/* XVMM_KEYRING_*, when VERIFIED */
	char detail[128];	/* NUL-terminated */
};

struct xvmm_meminfo {
	__u32 loaded;		/* 0: no VMM; the rest is zero */
	__u32 nr_chunks;
	__u64 image_va;
	__u64 chunk_pa[XVMM_MAX_CHUNKS];
};

/*
 * Domains. The driver owns them: they outlive the process that created
 * them, and DOM_DESTROY always works, whatever their vCPUs are doing.
 * Build: DOM_CREATE allocates guest memory (not yet given to the VMM),
 * DOM_WRITE fills it, DOM_START hands it to the VMM. Then one thread per
 * vCPU calls DOM_RUN, which returns only when the domain stops or a signal
 * is pending (-EINTR; call it again to continue).
 */
struct xvmm_ioctl_dom_create {
	char name[XVMM_NAME_LEN];	/* unique among live domains */
	__u32 nr_vcpus;			/* 1 for now */
	__u32 nr_special;		/* 4 KiB pages at special_gpa, at most 32 */
	__u64 ram_size;			/* bytes populated at start (memory), a multiple of 2 MiB */
	__u64 special_gpa;		/* page aligned, in the gap below 4 GiB (ram_layout.h) */
	__u32 domid;			/* out */
	__u32 flags;			/* must be 0 */
	__u64 ram_max;			/* bytes (maxmem), 0 or >= ram_size, a multiple of 2 MiB */
};

struct xvmm_ioctl_dom_write {
	__u32 domid;
	__u32 flags;			/* must be 0 */
	__u64 gpa;			/* inside populated RAM or the special pages */
	__u64 ptr;			/* user buffer */
	__u64 len;
};

struct xvmm_ioctl_dom_start {
	__u32 domid;
	__u32 flags;			/* must be 0 */
	__u64 entry;			/* PVH entry (32-bit physical address) */
	__u64 start_info;		/* EBX at entry */
	__u64 console_gfn;		/* PV console ring page (a special page), or 0 */
	__u64 store_gfn;		/* xenstore ring page (a special page), or 0 */
	__u32 max_grant_frames;		/* 0: 64; else 1..256 (control.h) */
	__u32 max_maptrack_frames;	/* 0: 1024; else 1..1024 */
	__u32 max_evtchn_port;		/* xl max_event_channels; 0: 1023; else up to 131071 */
	__u32 nr_memmap;		/* XENMEM_memory_map's entries, 0..XVMM_MEMMAP_MAX */
	__u64 memmap;			/* user pointer to struct xvmm_memmap_entry[nr_memmap] */
};

struct xvmm_ioctl_dom_run {
	__u32 domid;
	__u32 vcpu;
	__u32 reason;			/* out: XVMM_RUN_SHUTDOWN or XVMM_RUN_CRASH */
	__u32 code;			/* out: SHUTDOWN_* for XVMM_RUN_SHUTDOWN */
};

struct xvmm_ioctl_dom_list {
	__u32 nr;			/* in: room in doms; out: domains returned */
	__u32 flags;			/* must be 0 */
	__u64 doms;			/* user pointer to struct xvmm_dom_info[nr] */
};

struct xvmm_ioctl_dom_console {
	__u32 domid;
	__u32 flags;
	struct xvmm_log_read log;	/* log.cursor in, the rest out (like LOG_READ) */
};

struct xvmm_ioctl_dom_shutdown {
	__u32 domid;
	__u32 reason;			/* SHUTDOWN_poweroff (0), reboot (1), crash (3) */
};

/*
 * Dom0 backends (console, xenstore) and their guest: DOM_NOTIFY signals
 * the guest's end of a dom0 port; DOM_WAIT blocks until the guest
 * signals, or timeout_ms passes, and returns (and clears) the ports it
 * signalled. The shared ring pages are mmap()ed from /dev/xvmm at offset
 * XVMM_MMAP_SPECIAL(domid, n) for special page n (one page per mapping).
 */
struct xvmm_ioctl_dom_notify {
	__u32 domid;
	__u32 port;
};

struct xvmm_ioctl_dom_wait {
	__u32 domid;
	__u32 timeout_ms;
	__u64 pending;			/* out: bit n set: the guest signalled port n */
};

/*
 * DOM_PAUSE / DOM_UNPAUSE (arg: domid): hold every vCPU of a started
 * domain in dom0 (it runs no guest code, its time stops), or let them go
 * on. Not counted: one UNPAUSE undoes any number of PAUSEs.
 * DOM_VCPU_LIST: the domain's vCPUs, as `xl vcpu-list` shows them; nr in:
 * room in vcpus, out: the domain's vCPU count (at most room are written).
 */
#define XVMM_VCPUF_ONLINE	(1u << 0)	/* a DOM_RUN drives it */
#define XVMM_VCPUF_RUNNING	(1u << 1)	/* in the guest right now, on cpu */
#define XVMM_VCPUF_BLOCKED	(1u << 2)	/* halted, waiting for an event or its timer */

struct xvmm_vcpu_info {
	__u32 vcpu;
	__u32 cpu;			/* the host CPU it last ran on */
	__u32 flags;			/* XVMM_VCPUF_* */
	__u32 reserved;
	__u64 cpu_ns;			/* time it spent in the guest */
};

struct xvmm_ioctl_vcpu_list {
	__u32 domid;
	__u32 nr;			/* in: room; out: vCPUs the domain has */
	__u64 vcpus;			/* user pointer to struct xvmm_vcpu_info[nr] */
};

#define XVMM_MMAP_SPECIAL(domid, n)	((((__u64)(domid) << 8) | (n)) << 12)

/*
 * Grants a guest gave dom0 (control.h, docs/control-abi.md).
 * GNT_COPY: nr (at most XVMM_GNT_COPY_MAX) segments between user buffers
 * (buf is a user address) and granted pages; each segment's status is
 * written back into the array. GNT_MAP: the page becomes mappable with
 * mmap(NULL, 4096, PROT_READ[|PROT_WRITE], MAP_SHARED, fd, offset) on the
 * same open file (PROT_WRITE refused for a read-only map). GNT_UNMAP, the
 * file's last close and DOM_DESTROY revoke a map: the process's mappings
 * of it are zapped first (touching them afterwards raises SIGBUS).
 */
struct xvmm_ioctl_gnt_copy {
	__u32 domid;
	__u32 nr;
	__u64 segs;			/* user pointer to struct xvmm_gnt_copy[nr] */
};

struct xvmm_ioctl_gnt_map {
	__u32 domid;
	__u32 ref;
	__u32 flags;			/* XVMM_GNT_MAP_READONLY */
	__s32 status;			/* out: GNTST_* */
	__u32 handle;			/* out */
	__u32 reserved;			/* must be 0 */
	__u64 offset;			/* out: the mmap() offset, XVMM_MMAP_GRANT(domid, handle) */
};

struct xvmm_ioctl_gnt_unmap {
	__u32 domid;
	__u32 handle;
};

/*
 * GNT_MAP_BATCH: nr (1..XVMM_IOCTL_GNT_BATCH_MAX) maps of one domain's
 * grants at once, as Linux's IOCTL_GNTDEV_MAP_GRANT_REF takes a count;
 * each element gets its own status (GNTST_*), handle and mmap offset, and
 * one SYNC round covers the batch. GNT_UNMAP_BATCH: nr handles (struct
 * xvmm_gnt_unmap of control.h), each status 0 or -ENOENT (not a map of
 * this file), with one SYNC round.
 */
#define XVMM_IOCTL_GNT_BATCH_MAX	4096

struct xvmm_ioctl_gnt_map_seg {
	__u32 ref;			/* in */
	__u32 flags;			/* in: XVMM_GNT_MAP_READONLY */
	__s32 status;			/* out: GNTST_* */
	__u32 handle;			/* out */
	__u64 offset;			/* out: the mmap() offset */
};

struct xvmm_ioctl_gnt_batch {
	__u32 domid;
	__u32 nr;
	__u64 segs;			/* user pointer: xvmm_ioctl_gnt_map_seg[nr] or xvmm_gnt_unmap[nr] */
};

/* Handles are up to 24 bits (1024 maptrack frames of 85 maps), domain ids 16. */
#define XVMM_MMAP_GRANT_BIT		(1ull << 40)	/* in the page offset */
#define XVMM_MMAP_GRANT(domid, handle)	\
	((XVMM_MMAP_GRANT_BIT | ((__u64)(domid) << 24) | (__u64)(handle)) << 12)

/*
 * A dom0 backend's own event channel, as /dev/xen/evtchn gives one in
 * Xen. EVTCHN_BIND binds a port the guest allocated unbound for dom0
 * (EVTCHNOP_alloc_unbound with remote_dom 0) and returns a new file
 * descriptor (close-on-exec) for it:
 *   poll(2)   POLLIN once the guest signalled the port; POLLHUP when the
 *             domain is gone;
 *   read(2)   4 bytes: the port number, consuming the signal (blocks, or
 *             EAGAIN with O_NONBLOCK; 0 once the domain is gone);
 *   write(2)  4 bytes (any value): signal the guest's end (as DOM_NOTIFY);
 *   close(2)  unbinds: the guest's port waits unbound for dom0 again.
 * Signals on a port bound this way go to its descriptor, not DOM_WAIT.
 */
struct xvmm_ioctl_evtchn_bind {
	__u32 domid;
	__u32 port;			/* the guest's port */
	__u32 flags;			/* must be 0 */
	__s32 fd;			/* out */
};

/*
 * FAULT_INJECT (debug builds only: CONFIG_XVMM_FAULT_INJECT in both
 * xvmm.ko and the image, else EOPNOTSUPP; docs/testing.md): fail the nth
 * allocation from now of the driver's kernel allocations (target DRIVER)
 * or of the VMM's page pool (target VMM; with no VMM loaded, of the next
 * load's VMM init()), and report the window the call ends: how many
 * allocations were counted and how many failed on purpose. nth 0 fails
 * none. With no VMM loaded, target VMM reports the last load's init().
 * Target DRIVER also says how many of the driver's allocations are not
 * freed yet, so that a test sees a leak of any size.
 */
#define XVMM_FAULT_DRIVER	1
#define XVMM_FAULT_VMM		2

struct xvmm_ioctl_fault_inject {
	__u32 target;			/* XVMM_FAULT_DRIVER or XVMM_FAULT_VMM */
	__u32 flags;			/* must be 0 */
	__u64 nth;			/* in: the allocation to fail, 1: the next; 0: none */
	__u64 seen;			/* out: allocations counted in the window that ends */
	__u64 failed;			/* out: how many of them failed on purpose (0 or 1) */
	__u64 live;			/* out, DRIVER: its allocations not freed yet */
};

#define XVMM_IOCTL_LOAD		_IOW('X', 1, struct xvmm_ioctl_load)
#define XVMM_IOCTL_UNLOAD	_IO('X', 2)
#define XVMM_IOCTL_STATUS	_IOR('X', 3, struct xvmm_status)
#define XVMM_IOCTL_LOG_READ	_IOWR('X', 4, struct xvmm_log_read)
#define XVMM_IOCTL_SELFTEST	_IO('X', 5)		/* arg: XVMM_SELFTEST_* */
#define XVMM_IOCTL_MEMINFO	_IOR('X', 6, struct xvmm_meminfo)
#define XVMM_IOCTL_VERSION	_IOR('X', 7, struct xvmm_version)
#define XVMM_IOCTL_IMAGE_TRUST	_IOR('X', 8, struct xvmm_image_trust)
#define XVMM_IOCTL_FAULT_INJECT	_IOWR('X', 9, struct xvmm_ioctl_fault_inject)

#define XVMM_IOCTL_DOM_CREATE	_IOWR('X', 16, struct xvmm_ioctl_dom_create)
#define XVMM_IOCTL_DOM_WRITE	_IOW('X', 17, struct xvmm_ioctl_dom_write)
#define XVMM_IOCTL_DOM_START	_IOW('X', 18, struct xvmm_ioctl_dom_start)
#define XVMM_IOCTL_DOM_RUN	_IOWR('X', 19, struct xvmm_ioctl_dom_run)
#define XVMM_IOCTL_DOM_DESTROY	_IO('X', 20)		/* arg: domid */
#define XVMM_IOCTL_DOM_LIST	_IOWR('X', 21, struct xvmm_ioctl_dom_list)
#define XVMM_IOCTL_DOM_CONSOLE	_IOWR('X', 22, struct xvmm_ioctl_dom_console)
#define XVMM_IOCTL_DOM_SHUTDOWN	_IOW('X', 23, struct xvmm_ioctl_dom_shutdown)
#define XVMM_IOCTL_DOM_NOTIFY	_IOW('X', 24, struct xvmm_ioctl_dom_notify)
#define XVMM_IOCTL_DOM_WAIT	_IOWR('X', 25, struct xvmm_ioctl_dom_wait)
#define XVMM_IOCTL_EVTCHN_BIND	_IOWR('X', 26, struct xvmm_ioctl_evtchn_bind)
#define XVMM_IOCTL_DOM_PAUSE	_IO('X', 27)		/* arg: domid */
#define XVMM_IOCTL_DOM_UNPAUSE	_IO('X', 28)		/* arg: domid */
#define XVMM_IOCTL_DOM_VCPU_LIST	_IOWR('X', 29, struct xvmm_ioctl_vcpu_list)

#define XVMM_IOCTL_GNT_COPY	_IOW('X', 32, struct xvmm_ioctl_gnt_copy)
#define XVMM_IOCTL_GNT_MAP	_IOWR('X', 33, struct xvmm_ioctl_gnt_map)
#define XVMM_IOCTL_GNT_UNMAP	_IOW('X', 34, struct xvmm_ioctl_gnt_unmap)
#define XVMM_IOCTL_GNT_MAP_BATCH	_IOW('X', 35, struct xvmm_ioctl_gnt_batch)
#define XVMM_IOCTL_GNT_UNMAP_BATCH	_IOW('X', 36, struct xvmm_ioctl_gnt_batch)

#endif /* XVMM_IOCTL_H */
