/* SPDX-License-Identifier: MIT */
/*
 * hvm_op (hypercall 34) and the HVM parameters, as this project writes them.
 *
 * Numbers and layouts from Xen's xen/include/public/hvm/hvm_op.h and
 * xen/include/public/hvm/params.h. struct xen_hvm_param has the same layout
 * for 32- and 64-bit callers.
 */
#ifndef XEN_HVM_OP_H
#define XEN_HVM_OP_H

#include <stdint.h>
#include <stddef.h>
#include "xen.h"

#define HVMOP_set_param			0	/* struct xen_hvm_param */
#define HVMOP_get_param			1	/* struct xen_hvm_param */
#define HVMOP_set_pci_intx_level	2
#define HVMOP_set_isa_irq_level		3
#define HVMOP_set_pci_link_route	4
#define HVMOP_flush_tlbs		5
#define HVMOP_pagetable_dying		9
#define HVMOP_get_time			10
#define HVMOP_xentrace			11
#define HVMOP_set_mem_access		12
#define HVMOP_get_mem_access		13
#define HVMOP_get_mem_type		15
#define HVMOP_set_evtchn_upcall_vector	23
#define HVMOP_guest_request_vm_event	24
#define HVMOP_altp2m			25

struct xen_hvm_param {
	domid_t domid;		/* IN: DOMID_SELF or the caller's id */
	uint16_t pad;
	uint32_t index;		/* IN: HVM_PARAM_* */
	uint64_t value;		/* IN (set) / OUT (get) */
};

/* Parameter indices. */
#define HVM_PARAM_CALLBACK_IRQ			0
#define HVM_PARAM_STORE_PFN			1
#define HVM_PARAM_STORE_EVTCHN			2
#define HVM_PARAM_PAE_ENABLED			4	/* deprecated */
#define HVM_PARAM_IOREQ_PFN			5
#define HVM_PARAM_BUFIOREQ_PFN			6
#define HVM_PARAM_VIRIDIAN			9
#define HVM_PARAM_TIMER_MODE			10
#define HVM_PARAM_HPET_ENABLED			11
#define HVM_PARAM_IDENT_PT			12
#define HVM_PARAM_DM_DOMAIN			13	/* deprecated */
#define HVM_PARAM_ACPI_S_STATE			14
#define HVM_PARAM_VM86_TSS			15
#define HVM_PARAM_VPT_ALIGN			16
#define HVM_PARAM_CONSOLE_PFN			17
#define HVM_PARAM_CONSOLE_EVTCHN		18
#define HVM_PARAM_ACPI_IOPORTS_LOCATION		19
#define HVM_PARAM_MEMORY_EVENT_CR0		20	/* deprecated */
#define HVM_PARAM_MEMORY_EVENT_CR3		21	/* deprecated */
#define HVM_PARAM_MEMORY_EVENT_CR4		22	/* deprecated */
#define HVM_PARAM_MEMORY_EVENT_INT3		23	/* deprecated */
#define HVM_PARAM_NESTEDHVM			24	/* deprecated */
#define HVM_PARAM_MEMORY_EVENT_SINGLE_STEP	25	/* deprecated */
#define HVM_PARAM_BUFIOREQ_EVTCHN		26	/* deprecated */
#define HVM_PARAM_PAGING_RING_PFN		27
#define HVM_PARAM_MONITOR_RING_PFN		28
#define HVM_PARAM_SHARING_RING_PFN		29
#define HVM_PARAM_MEMORY_EVENT_MSR		30	/* deprecated */
#define HVM_PARAM_TRIPLE_FAULT_REASON		31
#define HVM_PARAM_IOREQ_SERVER_PFN		32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES		33
#define HVM_PARAM_VM_GENERATION_ID_ADDR		34
#define HVM_PARAM_ALTP2M			35
#define HVM_PARAM_X87_FIP_WIDTH			36
#define HVM_PARAM_VM86_TSS_SIZED		37
#define HVM_PARAM_MCA_CAP			38

/*
 * Xen's HVM_NR_PARAMS: indices at or above it are -EINVAL. (The VMM's
 * struct domain keeps room for more, see vmm/include/domain.h.)
 */
#define XEN_HVM_NR_PARAMS			39

/*
 * HVM_PARAM_CALLBACK_IRQ value: the type in bits 63:56, the rest depends
 * on it. Type 2 (vector) puts the upcall vector in bits 7:0.
 */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT	56
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK	(0xffull << 56)
#define HVM_PARAM_CALLBACK_TYPE_GSI		0	/* value 0 = no callback */
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX	1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR		2

/* The upcall vector a CALLBACK_IRQ value asks for, or 0 if it is not the vector type. */
static inline uint8_t xen_hvm_callback_vector(uint64_t via)
{
	if ((via >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) != HVM_PARAM_CALLBACK_TYPE_VECTOR)
		return 0;
	return (uint8_t)via;
}

_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param is 16 bytes");
_Static_assert(offsetof(struct xen_hvm_param, index) == 4, "hvm_param.index @4");
_Static_assert(offsetof(struct xen_hvm_param, value) == 8, "hvm_param.value @8");

#endif
