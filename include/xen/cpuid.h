/* SPDX-License-Identifier: MIT */
/*
 * The Xen CPUID leaves, as this project writes them.
 *
 * From Xen's xen/include/public/arch-x86/cpuid.h. The leaves start at
 * 0x40000000 (0x40000100 when Viridian takes the first range; a guest
 * scans base + k * 0x100 for the signature).
 */
#ifndef XEN_CPUID_H
#define XEN_CPUID_H

#include <stdint.h>

#define XEN_CPUID_FIRST_LEAF	0x40000000u
#define XEN_CPUID_LEAF(i)	(XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_MAX_NUM_LEAVES 5	/* base + 5 is the last leaf */

/* base + 0: EAX = last leaf; EBX, ECX, EDX = "XenVMMXenVMM". */
#define XEN_CPUID_SIGNATURE_EBX	0x566e6558u	/* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX	0x65584d4du	/* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX	0x4d4d566eu	/* "nVMM" */

/* base + 1: EAX = major << 16 | minor. */

/*
 * base + 2: EAX = number of hypercall pages, EBX = the MSR that fills them
 * (write gpa | page index), ECX = feature flags (PV only).
 */
#define XEN_HYPERCALL_MSR	0x40000000u
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD (1u << 0)

/* base + 3: time (sub-leaves 0..2): TSC mode, scale and offset, host kHz. */
#define XEN_CPUID_TSC_EMULATED		(1u << 0)
#define XEN_CPUID_HOST_TSC_RELIABLE	(1u << 1)
#define XEN_CPUID_RDTSCP_INSTR_AVAIL	(1u << 2)

/* base + 4, sub-leaf 0: EAX = HVM features, EBX = vCPU id, ECX = domid. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT	(1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT	(1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS	(1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT	(1u << 3)	/* EBX = vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT	(1u << 4)	/* ECX = domid */
#define XEN_HVM_CPUID_EXT_DEST_ID	(1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR	(1u << 6)	/* HVMOP_set_evtchn_upcall_vector */

/* base + 5, sub-leaf 0: EAX = last sub-leaf, EBX[7:0] = machine address width (PV). */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK 0xffu

#endif
