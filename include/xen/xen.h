/* SPDX-License-Identifier: MIT */
/*
 * The core of the Xen guest ABI for x86, as this project writes it.
 *
 * Numbers and layouts follow Xen's xen/include/public/xen.h and
 * xen/include/public/arch-x86/xen.h (x86-64 layouts; the compat layouts a
 * 32-bit caller uses are noted where they differ). Fixed-width types only,
 * so the same header serves the VMM, the tools and host unit tests.
 */
#ifndef XEN_XEN_H
#define XEN_XEN_H

#include <stdint.h>
#include <stddef.h>

/* Hypercall numbers: RAX (EAX) at the VMMCALL/VMCALL, 32-byte stub n in the page. */
#define __HYPERVISOR_set_trap_table		0
#define __HYPERVISOR_mmu_update			1
#define __HYPERVISOR_set_gdt			2
#define __HYPERVISOR_stack_switch		3
#define __HYPERVISOR_set_callbacks		4
#define __HYPERVISOR_fpu_taskswitch		5
#define __HYPERVISOR_sched_op_compat		6
#define __HYPERVISOR_platform_op		7
#define __HYPERVISOR_set_debugreg		8
#define __HYPERVISOR_get_debugreg		9
#define __HYPERVISOR_update_descriptor		10
#define __HYPERVISOR_memory_op			12
#define __HYPERVISOR_multicall			13
#define __HYPERVISOR_update_va_mapping		14
#define __HYPERVISOR_set_timer_op		15
#define __HYPERVISOR_event_channel_op_compat	16
#define __HYPERVISOR_xen_version		17
#define __HYPERVISOR_console_io			18
#define __HYPERVISOR_physdev_op_compat		19
#define __HYPERVISOR_grant_table_op		20
#define __HYPERVISOR_vm_assist			21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret			23
#define __HYPERVISOR_vcpu_op			24
#define __HYPERVISOR_set_segment_base		25
#define __HYPERVISOR_mmuext_op			26
#define __HYPERVISOR_xsm_op			27
#define __HYPERVISOR_nmi_op			28
#define __HYPERVISOR_sched_op			29
#define __HYPERVISOR_callback_op		30
#define __HYPERVISOR_xenoprof_op		31
#define __HYPERVISOR_event_channel_op		32
#define __HYPERVISOR_physdev_op			33
#define __HYPERVISOR_hvm_op			34
#define __HYPERVISOR_sysctl			35
#define __HYPERVISOR_domctl			36
#define __HYPERVISOR_kexec_op			37
#define __HYPERVISOR_tmem_op			38
#define __HYPERVISOR_argo_op			39
#define __HYPERVISOR_xenpmu_op			40
#define __HYPERVISOR_dm_op			41
#define __HYPERVISOR_hypfs_op			42
#define __HYPERVISOR_arch_0			48	/* .. arch_7 = 55 */

/* The hypercall page: one 4 KiB page of 32-byte stubs, stub n for hypercall n. */
#define XEN_HYPERCALL_STUB_SIZE		32
#define XEN_HYPERCALL_PAGE_STUBS	128

typedef uint16_t domid_t;

/* Domain ids from here up are not ordinary domains. */
#define DOMID_FIRST_RESERVED	0x7ff0u
#define DOMID_SELF		0x7ff0u		/* the caller */
#define DOMID_IO		0x7ff1u
#define DOMID_XEN		0x7ff2u
#define DOMID_COW		0x7ff3u
#define DOMID_INVALID		0x7ff4u
#define DOMID_IDLE		0x7fffu

/* console_io (hypercall 18): (cmd, count, buffer). */
#define CONSOLEIO_write		0
#define CONSOLEIO_read		1

/* A domain's handle (its UUID), XENVER_guest_handle. */
typedef uint8_t xen_domain_handle_t[16];

/*
 * Per-vCPU time info, 32 bytes: the guest computes system time as
 * system_time + ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32
 * (a negative shift shifts right); version odd while an update is in flight.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;		/* ns since the domain started */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;			/* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
#define XEN_PVCLOCK_TSC_STABLE_BIT	(1u << 0)
#define XEN_PVCLOCK_GUEST_STOPPED	(1u << 1)

/* The x86 arch part of vcpu_info (x86-64 layout). */
struct arch_vcpu_info {
	uint64_t cr2;
	uint64_t pad;
};

/* One vCPU's slot in shared_info, 64 bytes on x86 (both layouts). */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad0[6];
	uint64_t evtchn_pending_sel;	/* uint32_t at offset 4 for 32-bit guests */
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

#define XEN_LEGACY_MAX_VCPUS	32

/* The x86 arch part of shared_info (x86-64 layout). */
struct arch_shared_info {
	uint64_t max_pfn;
	uint64_t pfn_to_mfn_frame_list_list;
	uint64_t nmi_reason;
	uint64_t p2m_cr3;
	uint64_t p2m_vaddr;
	uint64_t p2m_generation;
};

/*
 * The shared_info page, x86-64 layout. A 32-bit guest sees the compat
 * layout instead: evtchn_pending @2048 and evtchn_mask @2176 (32 x u32
 * each), wc_version @2304, wc_sec @2308, wc_nsec @2312, arch @2316.
 */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint64_t evtchn_pending[64];
	uint64_t evtchn_mask[64];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

#define XEN_COMPAT_SHINFO_EVTCHN_PENDING	2048
#define XEN_COMPAT_SHINFO_EVTCHN_MASK		2176
#define XEN_COMPAT_SHINFO_WC_VERSION		2304

_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info is 32 bytes");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "tsc_shift @28");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "flags @29");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "upcall_mask @1");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "pending_sel @8");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "time @32");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "evtchn_pending @2048");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "evtchn_mask @2560");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc_version @3072");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084, "wc_sec_hi @3084");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "arch @3088");
_Static_assert(sizeof(struct shared_info) <= 4096, "shared_info fits a page");

#endif
