/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the files of vmm/xen/ only: the hypercall handler type, the
 * handlers the dispatch table in hypercall.c names, and the guest-buffer
 * helpers every handler uses. The outside world sees vmm/include/xen_abi.h.
 */
#ifndef VMM_XEN_INTERNAL_H
#define VMM_XEN_INTERNAL_H

#include "domain.h"
#include "xen_abi.h"
#include <xen/errno.h>
#include <xen/xen.h>

/* One hypercall in flight. */
struct xen_hcall {
	u64 nr;
	u64 arg[5];		/* zero-extended 32-bit values for a 32-bit caller */
	bool compat;		/* 32-bit caller: 32-bit arguments and compat layouts */
	enum xen_action action;	/* what the vCPU does next; XEN_CONTINUE unless set */
};

/* A handler returns the value for RAX: >= 0, or a negative Xen errno. */
typedef s64 (*xen_hcall_fn)(struct vcpu *v, struct xen_hcall *hc);

s64 xen_memory_op(struct vcpu *v, struct xen_hcall *hc);	/* memory.c */
s64 xen_version_op(struct vcpu *v, struct xen_hcall *hc);	/* version.c */
s64 xen_console_io(struct vcpu *v, struct xen_hcall *hc);	/* console.c */
s64 xen_sched_op(struct vcpu *v, struct xen_hcall *hc);		/* sched.c */
s64 xen_hvm_op(struct vcpu *v, struct xen_hcall *hc);		/* hvm.c */

/*
 * Guest buffers named by hypercall arguments. In Xen's HVM ABI these are
 * guest *linear* addresses; vmm/core offers copies by guest-physical
 * address only, so for now the address is taken as guest-physical, which
 * is right while the guest runs with paging off or identity-mapped (XTF,
 * early PVH entry) and wrong for a Linux kernel's direct-map addresses.
 * This is the one place that changes when a guest page walk exists.
 * Both return 0 or -XEN_EFAULT.
 */
static inline int xen_copy_from_guest(struct vcpu *v, void *dst, u64 addr, size_t len)
{
	return copy_from_guest(v->domain, dst, addr, len) ? -XEN_EFAULT : 0;
}

static inline int xen_copy_to_guest(struct vcpu *v, u64 addr, const void *src, size_t len)
{
	return copy_to_guest(v->domain, addr, src, len) ? -XEN_EFAULT : 0;
}

/* The domid fields of memory_op/hvm_op: only the caller itself, here. */
static inline bool xen_domid_is_self(const struct vcpu *v, u16 domid)
{
	return domid == DOMID_SELF || domid == v->domain->id;
}

/*
 * The CPUID filter (cpuid.c), split from the CPUID instruction so it can
 * be tested with any host's values: *r holds the host's answer for
 * (leaf, subleaf) and is rewritten into what the guest sees.
 */
enum xen_cpu_vendor { XEN_CPU_OTHER, XEN_CPU_AMD, XEN_CPU_INTEL };
struct xen_host_cpuid {
	enum xen_cpu_vendor vendor;
	u32 max_basic;		/* host CPUID.0.EAX */
	u32 max_ext;		/* host CPUID.0x80000000.EAX */
};
void xen_cpuid_filter(const struct vcpu *v, const struct xen_host_cpuid *host,
		      u32 leaf, u32 subleaf, struct xen_cpuid_regs *r);

/* The hypercall page (msr.c): fill a 4 KiB page with the stubs. */
void xen_fill_hypercall_page(u8 *page, enum xen_hypercall_insn insn);

#endif
