/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs, vendor-neutral (docs/domains.md). Dom0 is not a
 * struct domain: it is the OS the VMM runs under. Guests are created from
 * memory dom0 donates, and each vCPU runs when a dom0 thread asks for it
 * (XVMM_OP_VCPU_RUN), on whatever CPU that thread is on.
 */
#ifndef VMM_DOMAIN_H
#define VMM_DOMAIN_H

#include "domain_table.h"
#include "spinlock.h"
#include "xen_state.h"
#include "vlapic.h"
#include "vcpu_start.h"
#include "types.h"
#include <xvmm/control.h>

#define DOMAIN_MAX_VCPUS	64	/* xl's vcpus/maxvcpus limit here */
#define DOMAIN_MAX_RAM_CHUNKS	(1u << 18)	/* 512 GiB: the chunk list is one pool chunk at most */
#define DOMAIN_MAX_SPECIAL	32	/* 4 KiB pages outside RAM (ACPI, rings) */
#define DOMAIN_CONSOLE_SIZE	16384	/* console_io / port 0xE9 output kept per domain */
#define HVM_NR_PARAMS		64
#define DOMAIN_MAX_EXTRA	40	/* VMM pages mapped outside RAM: grant frames */
#define DOMAIN_UNBACKED_LOGGED	16	/* pages with nothing behind them, logged once each */

enum domain_state {
	DOMAIN_FREE = 0,
	DOMAIN_RUNNING,
	DOMAIN_SHUTDOWN,	/* the guest asked: shutdown_reason says why */
	DOMAIN_CRASHED,		/* fatal fault, or SCHEDOP_shutdown(crash) */
};

/* Why VCPU_RUN returned to dom0 (XVMM_RUN_* in control.h). */
struct vcpu_exit_info;

/* Exit counts by kind, logged when the domain is destroyed (bench/). */
enum vcpu_exit_kind {
	EXIT_KIND_HYPERCALL, EXIT_KIND_CPUID, EXIT_KIND_MSR, EXIT_KIND_IO,
	EXIT_KIND_HOST_EVENT, EXIT_KIND_HLT, EXIT_KIND_NPF, EXIT_KIND_OTHER,
	NR_EXIT_KINDS
};

struct vcpu {
	struct domain *domain;
	unsigned int id;
	bool running;			/* a dom0 thread is inside VCPU_RUN with it */
	bool mode_64;			/* latched at the last hypercall: long mode + CS.L */
	void *arch;			/* vendor state (struct svm_world for SVM) */
	u64 exits;
	u64 hypercalls;
	u64 exit_kinds[NR_EXIT_KINDS];
	struct xen_vcpu_state xen;	/* Xen ABI state (vmm/xen/, xen_state.h) */
	struct vlapic lapic;
	bool upcall_injected;		/* the backend offered the callback vector */
	u8 injected_vector;		/* the backend offered this LAPIC vector */
	bool cpuid_faulting;		/* MISC_FEATURES_ENABLES bit 0 (msr_policy.c) */
	/* Start-up (vcpu_start.c): power state; the inbox other vCPUs post to. */
	enum vcpu_power power;		/* changed by this vCPU's own thread only */
	bool initialised;		/* has a start state: vCPU 0, or after a SIPI */
	u32 post;			/* VCPU_POST_*, atomic */
	u8 sipi_vector;
	bool nmi_pending;		/* for the vendor to inject at the next entry */
	struct vcpu_start_state start_state;	/* VCPUOP_initialise's, until applied */
	u64 npt_seen_gen;		/* the domain's npt_gen this vCPU last flushed for */
};

/*
 * A domain lives in DOMAIN_SIZE(nr_vcpus) bytes of contiguous pool pages
 * (struct_pa, struct_pages), taken at DOM_CREATE and freed a grace period
 * after DOM_DESTROY (domain_table.h): vcpus[] is as long as the domain has
 * vCPUs, not DOMAIN_MAX_VCPUS.
 */
struct domain {
	unsigned int id;		/* 1..DOMAIN_ID_END-1; 0 is dom0 */
	enum domain_state state;
	bool dying;			/* DOM_DESTROY under way: no vCPU enters (atomic) */
	u64 struct_pa;
	unsigned int struct_pages;
	struct domain *retire_next;	/* domain_table.c, once out of the table */
	u64 retire_gen;
	unsigned int shutdown_reason;	/* SHUTDOWN_* from Xen's sched.h */
	char name[XVMM_NAME_LEN];
	spinlock_t lock;

	/*
	 * Guest RAM (vmm/core/domain_ram.c, include/xvmm/ram_layout.h):
	 * ram_max bytes in 2 MiB chunks (a list from the page pool), of which
	 * ram_size were populated at creation. ram_absent has a bit per RAM
	 * frame not populated now (ballooned out, or never populated past
	 * ram_size), from the pool at creation. Under lock.
	 * Special 4 KiB pages at special_gpa + n * 4 KiB.
	 */
	u64 ram_size;
	u64 ram_max;
	unsigned int nr_ram_chunks;
	u64 *ram_chunk_pa;
	u64 ram_chunk_list_pa;
	unsigned int ram_chunk_list_pages;
	u64 *ram_absent;
	u64 ram_absent_pa;
	unsigned int ram_absent_pages;
	u64 ram_nr_absent;
	unsigned int nr_memmap;		/* XENMEM_memory_map's entries */
	struct xvmm_memmap_entry memmap[XVMM_MEMMAP_MAX];
	u64 special_gpa;
	unsigned int nr_special;
	u64 special_pa[DOMAIN_MAX_SPECIAL];
	u64 npt_root;			/* the domain's nested/extended page table */
	u64 npt_gen;			/* bumped when a page leaves or changes in it (domain_npt_changed) */

	unsigned int nr_vcpus;

	/* Ports the guest signalled towards dom0, bit n = port n (n < 64). */
	u64 dom0_notify;
	/* vCPUs dom0 must kick (wake or IPI out of guest mode): bit n = vCPU n. */
	u64 kick_pending;
	struct xen_domain_state xen;	/* Xen ABI state (vmm/xen/, xen_state.h) */

	/* Xen ABI state (vmm/xen/). */
	u64 shared_info_gpa;		/* ~0 until XENMEM_add_to_physmap */
	u64 shared_info_pa;		/* its VMM page */
	unsigned int nr_extra;		/* VMM pages at guest frames outside RAM */
	struct { u64 gfn, pa; } extra[DOMAIN_MAX_EXTRA];
	u64 hvm_params[HVM_NR_PARAMS];
	bool enosys_logged[64];		/* one log line per unknown hypercall number */
	u64 unbacked_logged[DOMAIN_UNBACKED_LOGGED];	/* vmm/core/mmio.c */
	unsigned int nr_unbacked_logged;

	/* Guest output: console_io(write), read by dom0 (`xvmm console`). */
	char console[DOMAIN_CONSOLE_SIZE];
	u64 console_head;
	/* Port 0xE9 output, a line at a time into the VMM log. */
	char debugcon[120];
	unsigned int debugcon_len;

	struct vcpu vcpus[];		/* nr_vcpus of them */
};

#define DOMAIN_SIZE(nr_vcpus)	(sizeof(struct domain) + (size_t)(nr_vcpus) * sizeof(struct vcpu))

/* vmm/core/domain.c: control ops (dom0 PA arguments checked there) */
s64 domain_create(u64 req_pa);
s64 domain_destroy(unsigned int domid);
s64 domain_info(unsigned int domid, u64 pa);
s64 domain_console_read(unsigned int domid, u64 pa, u64 cursor);
s64 domain_request_shutdown(unsigned int domid, u64 reason);
s64 domain_evtchn_send(unsigned int domid, u64 port);
s64 domain_evtchn_bind(unsigned int domid, u64 port, u64 bind);
unsigned int domain_count(void);

/* vmm/core/domain.c (lookups: domain_table.h) */
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why);
void domain_console_write(struct domain *d, const char *s, size_t n);
/*
 * Something is now pending for @v (an interrupt, an event, an INIT or
 * SIPI) that it must see soon: dom0 is asked to kick its thread (wake it,
 * or IPI it out of guest mode) when the current vCPU next returns to dom0,
 * which it does at once (XVMM_RUN_KICK).
 */
void domain_kick_vcpu(struct vcpu *v);
void domain_debugcon_putc(struct domain *d, char c);
/*
 * Back guest frame gfn with the domain's shared_info page (a zeroed VMM
 * page, XENMEM_add_to_physmap with XENMAPSPACE_shared_info). Returns a
 * VMM pointer to it, or NULL (gfn out of range / no memory).
 */
void *domain_map_shared_info(struct domain *d, u64 gfn);
/*
 * A zeroed VMM page at guest frame gfn outside RAM and the special pages
 * (grant frames Linux places in unpopulated address space); the same page
 * again if one is there already. Freed at destroy. NULL if none is left.
 */
void *domain_map_extra_page(struct domain *d, u64 gfn);
/*
 * Grant maps of another domain's page (vmm/xen/grant_guest.c): guest
 * frame gfn of @d shows host page hpa, read-only or writable; unmapping
 * shows what was there before again (its RAM page, or nothing outside
 * RAM). -EINVAL for a frame that may not be replaced (shared_info, the
 * special and extra pages, beyond the guest-physical limit).
 * domain_npt_changed: every vCPU flushes its TLB before it next enters,
 * the running ones other than @self are kicked; returns the generation.
 * domain_npt_flushed: no vCPU but @self (NULL: none) can still use a
 * translation from before generation gen.
 */
int domain_map_grant_page(struct domain *d, u64 gfn, u64 hpa, bool readonly);
int domain_unmap_grant_page(struct domain *d, u64 gfn);
u64 domain_npt_changed(struct domain *d, const struct vcpu *self);
bool domain_npt_flushed(struct domain *d, u64 gen, const struct vcpu *self);

/*
 * Guest RAM (vmm/core/domain_ram.c). domain_ram_take: check and hide the
 * chunks dom0 donates (req's chunk list), build the lists; on failure
 * everything taken is given back. domain_ram_give_back: scrub every
 * chunk and return it to dom0, free the lists.
 * domain_ram_hpa: host address of gpa's byte if it is populated RAM, else 0.
 * domain_ram_frame_of: is gfn a RAM frame (populated or not)?
 * domain_ram_remove: take populated frame gfn out of the nested table
 * (0; -EINVAL not a RAM frame; -ENOENT not populated; -ENOMEM). The page
 * stays the domain's; the caller makes the vCPUs flush (domain_npt_changed).
 * domain_ram_populate: back RAM frame gfn again with its page, zeroed
 * (0, also if it is populated already; -EINVAL; -ENOMEM).
 * domain_ram_pages: frames populated now.
 */
int domain_ram_take(struct domain *d, u64 ram_size, u64 ram_max, const u64 *chunks);
void domain_ram_give_back(struct domain *d);
u64 domain_ram_hpa(const struct domain *d, u64 gpa);
bool domain_ram_frame_of(const struct domain *d, u64 gfn);
int domain_ram_remove(struct domain *d, u64 gfn);
int domain_ram_populate(struct domain *d, u64 gfn);
u64 domain_ram_pages(const struct domain *d);

/* vmm/core/acpi_sleep.c: the ACPI sleep registers; false if @port is not one. */
bool acpi_sleep_io(struct vcpu *v, u16 port, bool in, unsigned int size, u32 *val);

/*
 * Guest memory by guest-physical address (vmm/core/guest_mem.c). Return 0,
 * or -EFAULT when any byte is outside the domain's memory. Never touch
 * anything but the domain's own pages.
 */
int copy_from_guest(struct domain *d, void *dst, u64 gpa, size_t len);
int copy_to_guest(struct domain *d, u64 gpa, const void *src, size_t len);
/* A VMM pointer to [gpa, gpa + len) if it lies inside one page, else NULL. */
void *guest_page_ptr(struct domain *d, u64 gpa, size_t len);
/*
 * Guest frame gfn if it is the domain's RAM proper (a page of a donated
 * chunk, not the shared_info page mapped over it): a VMM pointer to it,
 * and its host physical address in *hpa. NULL otherwise.
 */
void *guest_ram_frame(struct domain *d, u64 gfn, u64 *hpa);

#endif
