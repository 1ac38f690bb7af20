/* SPDX-License-Identifier: MIT */
/*
 * xvmm control ABI: the one definition shared by the VMM, the dom0 driver
 * and the tools.
 *
 * Control calls are VMMCALL (AMD) / VMCALL (Intel) from dom0 ring 0 only.
 * RAX holds XVMM_HC(op); arguments are in RDI, RSI, RDX, R10; the result
 * comes back in RAX as a non-negative value or a negative errno (Linux
 * numbering, which dom0 userspace sees unchanged through the driver).
 * The op range is disjoint from Xen's hypercall numbers (0..63), so one
 * VMMCALL exit can tell the two apart.
 */
#ifndef XVMM_CONTROL_H
#define XVMM_CONTROL_H

#define XVMM_HC_BASE		0x58560000u	/* "XV" << 16 */
#define XVMM_HC_MASK		0xffff0000u
#define XVMM_HC(op)		(XVMM_HC_BASE | (op))
#define XVMM_HC_IS_CONTROL(rax)	(((rax) & 0xffffffffffff0000ull) == XVMM_HC_BASE)

/* Control operations (low 16 bits of RAX). */
#define XVMM_OP_VERSION		0x0001	/* -> XVMM_ABI_VERSION; RDI = PA of struct xvmm_version or 0 */
#define XVMM_OP_STATUS		0x0002	/* RDI = PA of struct xvmm_status */
#define XVMM_OP_LOG_READ	0x0003	/* RDI = PA of struct xvmm_log_read (one page), RSI = cursor */
#define XVMM_OP_UNLOAD		0x0004	/* on each CPU: leave SVM/VMX, return 0 to the caller */
#define XVMM_OP_SELFTEST	0x0005	/* RDI = XVMM_SELFTEST_* -> 0 or -errno */

#define XVMM_OP_SYNC		0x0006	/* no-op exit: this CPU picks up pending TLB flushes */
/*
 * Debug builds only (CONFIG_XVMM_FAULT_INJECT, else -ENOSYS): RDI = nth,
 * fail the nth page pool allocation from now (0: none); RSI = PA of a
 * struct xvmm_fault_counter (fault_inject.h) that gets the window this
 * call ends, or 0.
 */
#define XVMM_OP_FAULT_INJECT	0x0007
#define XVMM_OP_DOM_CREATE	0x0010	/* RDI = PA of struct xvmm_hc_dom_create -> domid */
#define XVMM_OP_DOM_DESTROY	0x0011	/* RDI = domid: scrub, give memory back to dom0 */
#define XVMM_OP_VCPU_RUN	0x0012	/* RDI = domid, RSI = vcpu, RDX = PA of struct xvmm_run */
#define XVMM_OP_DOM_INFO	0x0013	/* RDI = domid, RSI = PA of struct xvmm_dom_info */
#define XVMM_OP_DOM_CONSOLE	0x0014	/* RDI = domid, RSI = PA of struct xvmm_log_read, RDX = cursor */
#define XVMM_OP_DOM_SHUTDOWN	0x0015	/* RDI = domid, RSI = SHUTDOWN_* reason */
#define XVMM_OP_EVTCHN_SEND	0x0016	/* RDI = domid, RSI = port: dom0 signals the guest */
#define XVMM_OP_EVTCHN_BIND	0x0017	/* RDI = domid, RSI = port, RDX = 1 bind / 0 unbind */

/*
 * Dom0 backends and a guest's grants (grant table v1; struct xvmm_gnt_*
 * below). GNT_UNMAP returns -EAGAIN while a CPU may still hold the page in
 * its TLB: make every CPU take an exit (XVMM_OP_SYNC), then call again.
 */
#define XVMM_OP_GNT_COPY	0x0020	/* RDI = domid, RSI = PA of xvmm_gnt_copy[RDX], RDX = count */
#define XVMM_OP_GNT_MAP		0x0021	/* RDI = domid, RSI = PA of struct xvmm_gnt_map */
#define XVMM_OP_GNT_UNMAP	0x0022	/* RDI = domid, RSI = handle */
#define XVMM_OP_GNT_MAP_BATCH	0x0023	/* RDI = domid, RSI = PA of xvmm_gnt_map[RDX], RDX = count */
#define XVMM_OP_GNT_UNMAP_BATCH	0x0024	/* RDI = domid, RSI = PA of xvmm_gnt_unmap[RDX], RDX = count */

/* XVMM_OP_SELFTEST sub-ops. */
#define XVMM_SELFTEST_INTEGRITY	1	/* image text/rodata and the canary page intact */
#define XVMM_SELFTEST_EXTABLE	2	/* a refused FPU image faults into the exception table */

/* ABI version: bump the major on any incompatible change. */
#define XVMM_ABI_MAJOR		0
#define XVMM_ABI_MINOR		6
#define XVMM_ABI_VERSION	((XVMM_ABI_MAJOR << 16) | XVMM_ABI_MINOR)

#define XVMM_VERSION_STR_LEN	64

struct xvmm_version {
	unsigned int abi;				/* XVMM_ABI_VERSION */
	unsigned int reserved;
	char version[XVMM_VERSION_STR_LEN];		/* NUL-terminated build version */
};

#define XVMM_MAX_CPUS		64

struct xvmm_status {
	unsigned int abi;
	unsigned int nr_cpus;				/* CPUs running under the VMM */
	unsigned long long cpu_mask;			/* bit n: CPU index n launched */
	unsigned long long mem_total;			/* bytes of memory given to the VMM */
	unsigned long long mem_free;			/* bytes of its page pool still free */
	unsigned long long exits[XVMM_MAX_CPUS];	/* #VMEXITs handled per CPU */
	char version[XVMM_VERSION_STR_LEN];
};

#define XVMM_NAME_LEN		64

/*
 * A domain as dom0 hands it over. Memory: RAM [0, ram_size) is
 * ram_size / 2 MiB chunks of 2 MiB-aligned host memory, listed in
 * chunk_list_pa (a page array of u64 PAs, at most 512 per page, pages
 * contiguous in one allocation); special pages are 4 KiB host pages mapped
 * at special_gpa + n * 4 KiB. The first vCPU starts in the PVH entry state
 * (32-bit protected mode, paging off) at entry with EBX = start_info.
 */
struct xvmm_hc_dom_create {
	char name[XVMM_NAME_LEN];
	unsigned int domid;			/* chosen by the driver, 1..0x7fef */
	unsigned int reserved;
	/* special_pa[] below are dom0 pages the guest shares: rings stay
	 * readable by dom0's backends (they are dom0's own memory). */
	unsigned int nr_vcpus;
	unsigned int nr_special;
	/*
	 * RAM (include/xvmm/ram_layout.h): ram_max bytes (xl.cfg maxmem) in
	 * 2 MiB chunks, the first ram_size bytes (memory) populated at
	 * creation, the rest for the guest to populate (XENMEM_populate_physmap).
	 * ram_max 0 means ram_size.
	 */
	unsigned long long ram_size;
	unsigned long long ram_max;
	unsigned long long chunk_list_pa;	/* PA of u64[ram_max / 2 MiB] */
	unsigned long long special_gpa;
	unsigned long long special_pa[32];
	unsigned long long entry;
	unsigned long long start_info;
	/*
	 * PV console and xenstore rings: guest frame numbers of two of the
	 * special pages, or 0 for none. The VMM binds one event channel for
	 * each to dom0 (HVM_PARAM_CONSOLE_EVTCHN / STORE_EVTCHN) and sets
	 * HVM_PARAM_CONSOLE_PFN / STORE_PFN.
	 */
	unsigned long long console_gfn;
	unsigned long long store_gfn;
	/*
	 * Grant table sizes (xl.cfg max_grant_frames, max_maptrack_frames):
	 * 0 for Xen's defaults (64 and 1024), else 1..256 and 1..1024; more
	 * is -EINVAL. A maptrack frame holds 85 maps here (the domain's maps
	 * of other domains' grants; dom0's maps of its grants count apart,
	 * against the same limit).
	 */
	unsigned int max_grant_frames;
	unsigned int max_maptrack_frames;
	/*
	 * xl.cfg max_event_channels: the highest event channel port the
	 * domain may bind, 0 for Xen's default (1023), at most 131071; more
	 * is -EINVAL. The ABI caps it further (2-level: 4095, or 1023 for a
	 * 32-bit guest).
	 */
	unsigned int max_evtchn_port;
	/*
	 * The memory map the guest reads with XENMEM_memory_map (Xen's
	 * xc_domain_set_memory_map): the same entries as hvm_start_info's,
	 * sorted, not overlapping; nr_memmap 0 leaves XENMEM_memory_map -ENOSYS.
	 */
	unsigned int nr_memmap;			/* at most XVMM_MEMMAP_MAX */
	struct xvmm_memmap_entry {
		unsigned long long addr, size;
		unsigned int type, reserved;	/* XEN_HVM_MEMMAP_TYPE_* (e820 types) */
	} memmap[16];
};

#define XVMM_MEMMAP_MAX			16

#define XVMM_GNTTAB_DEFAULT_FRAMES	64
#define XVMM_GNTTAB_MAX_FRAMES		256
#define XVMM_MAPTRACK_DEFAULT_FRAMES	1024
#define XVMM_MAPTRACK_MAX_FRAMES	1024
#define XVMM_EVTCHN_DEFAULT_MAX_PORT	1023	/* xl's max_event_channels default */
#define XVMM_EVTCHN_MAX_PORT		131071	/* FIFO: 2^17 ports */

/* Why XVMM_OP_VCPU_RUN came back to dom0. */
#define XVMM_RUN_INTR		1	/* a host interrupt is pending: dom0 takes it, re-enters */
#define XVMM_RUN_HALT		2	/* vCPU blocked: sleep until deadline_ns (0: none) or an event */
#define XVMM_RUN_YIELD		3	/* vCPU yielded: reschedule, re-enter */
#define XVMM_RUN_SHUTDOWN	4	/* domain shut down; code = SHUTDOWN_* (Xen sched.h) */
#define XVMM_RUN_CRASH		5	/* domain crashed (fault, triple fault, crash request) */
#define XVMM_RUN_NOTIFY		6	/* the guest signalled dom0: see notify, then re-enter */
#define XVMM_RUN_KICK		7	/* kick the vCPUs in kick (wake, or IPI out of the guest), re-enter */

struct xvmm_run {
	unsigned int reason;		/* XVMM_RUN_* */
	unsigned int code;
	unsigned long long timer_ns;	/* ns until the vCPU's next timer, 0: none (every reason) */
	unsigned long long notify;	/* bit n: guest signalled its dom0 port n (n < 64) */
	unsigned long long exits;	/* exits taken during this run */
	unsigned long long kick;	/* bit n: vCPU n of the domain has something pending (every reason) */
	/* Another domain's vCPUs an interdomain event raised something for (0: none); kick them too. */
	unsigned int kick_domid;
	unsigned int reserved;
	unsigned long long kick_dom_mask;	/* bit n: its vCPU n */
};

#define XVMM_DOM_RUNNING	1
#define XVMM_DOM_SHUTDOWN	2
#define XVMM_DOM_CRASHED	3

struct xvmm_dom_info {
	unsigned int domid;
	unsigned int state;		/* XVMM_DOM_* */
	unsigned int shutdown_reason;
	unsigned int nr_vcpus;
	unsigned long long ram_size;
	unsigned long long exits;
	unsigned long long hypercalls;
	unsigned long long cpu_ns;	/* time its vCPUs spent in VCPU_RUN (filled by the driver) */
	char name[XVMM_NAME_LEN];
	unsigned long long ram_current;	/* bytes of RAM populated now (after ballooning) */
	unsigned long long ram_max;	/* maxmem in bytes */
	/* Filled by the driver (the VMM leaves them 0): */
	unsigned int flags;		/* XVMM_DOMF_* */
	unsigned int reserved;
	unsigned long long uptime_ns;	/* since DOM_START (0: not started) */
};

/* struct xvmm_dom_info flags, the letters of xl's State column. */
#define XVMM_DOMF_ONCPU		(1u << 0)	/* a vCPU is in the guest right now ('r') */
#define XVMM_DOMF_BLOCKED	(1u << 1)	/* every driven vCPU is halted ('b') */
#define XVMM_DOMF_PAUSED	(1u << 2)	/* DOM_PAUSE: its vCPUs are held in dom0 ('p') */
#define XVMM_DOMF_DYING		(1u << 3)	/* DOM_DESTROY is tearing it down ('d') */

/* XVMM_OP_LOG_READ fills one page of this shape. */
#define XVMM_LOG_PAGE		4096
#define XVMM_LOG_DATA_MAX	(XVMM_LOG_PAGE - 16)

struct xvmm_log_read {
	unsigned long long cursor;	/* out: where the next read starts */
	unsigned int len;		/* out: bytes in data */
	unsigned int dropped;		/* out: bytes lost to ring wrap before data */
	char data[XVMM_LOG_DATA_MAX];
};

/*
 * Grants (docs/control-abi.md). A guest grants dom0 (domid 0) access to a
 * page of its RAM with a grant table entry; dom0's backends then copy to
 * and from it, or map it, naming it by (domid, ref). Statuses are Xen's
 * GNTST_* (<xen/grant_table.h>); the call itself fails with an errno only
 * for a bad domain, array or count.
 *
 * XVMM_OP_GNT_COPY: count (1..XVMM_GNT_COPY_MAX) segments, each between a
 * dom0 buffer and [offset, offset + len) of the granted page, direction by
 * XVMM_GNT_TO_GUEST (a copy to the guest needs a writable grant). The
 * buffer must be dom0's own RAM (not VMM memory, not a guest's, not a
 * mapped grant).
 */
#define XVMM_GNT_COPY_MAX	128
#define XVMM_GNT_TO_GUEST	1u	/* buf -> granted page; without it granted page -> buf */

struct xvmm_gnt_copy {
	unsigned long long buf;		/* dom0 physical address (XVMM_IOCTL_GNT_COPY: user address) */
	unsigned int ref;		/* grant reference in the domain's table */
	unsigned short offset;		/* in the granted page */
	unsigned short len;		/* offset + len <= 4096 */
	unsigned short flags;		/* XVMM_GNT_TO_GUEST */
	short status;			/* out: GNTST_* */
	unsigned int reserved;		/* must be 0 */
};

/*
 * XVMM_OP_GNT_MAP: dom0 sees the granted page at its own host-physical
 * address (pa) until XVMM_OP_GNT_UNMAP(handle); read-only if the map asks
 * for it (it must when the grant is GTF_readonly). The entry's GTF_reading
 * (and GTF_writing) stay set while mapped.
 */
#define XVMM_GNT_MAP_READONLY	1u

struct xvmm_gnt_map {
	unsigned int ref;		/* in */
	unsigned int flags;		/* in: XVMM_GNT_MAP_READONLY */
	int status;			/* out: GNTST_* */
	unsigned int handle;		/* out, when status is GNTST_okay */
	unsigned long long pa;		/* out: the page, mapped 1:1 in dom0 */
};

/*
 * Batches: XVMM_OP_GNT_MAP_BATCH maps count (1..XVMM_GNT_BATCH_MAX)
 * struct xvmm_gnt_map at once, each with its own status, as that many
 * GNT_MAP calls would; XVMM_OP_GNT_UNMAP_BATCH unmaps count handles, each
 * status 0, -EAGAIN (call again after every CPU took an exit, as for
 * GNT_UNMAP) or -EINVAL (no such map). One SYNC round covers a batch.
 */
#define XVMM_GNT_BATCH_MAX	128

struct xvmm_gnt_unmap {
	unsigned int handle;		/* in */
	int status;			/* out: 0, -EAGAIN, -EINVAL */
};

#endif /* XVMM_CONTROL_H */
