// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvm_op (hypercall 34): HVM parameters.
 *
 * Follows Xen's xen/arch/x86/hvm/hvm.c (hvmop_set_param, hvmop_get_param,
 * hvm_allow_set_param, hvm_allow_get_param) with numbers from
 * xen/include/public/hvm/hvm_op.h and params.h (include/xen/hvm_op.h).
 * Only DOMID_SELF (or the caller's own id) is accepted; a guest reads and
 * writes only the parameters Xen lets a guest touch.
 *
 * Differences from Xen, on purpose:
 *  - HVM_PARAM_CONSOLE_PFN and CONSOLE_EVTCHN read as -EINVAL while the
 *    toolstack has set no console page (there is no dom0 console backend
 *    yet). Xen would return 0, and a guest that gets 0/0 successfully may
 *    set up a ring at frame 0 and wait forever for a backend to drain it
 *    (XTF does). -EINVAL is what XenServer 6.0-6.2 returned for these two
 *    parameters, so guests already handle it: Linux's hvc_xen and XTF both
 *    give up on the PV console on any error.
 *  - STORE_PFN / STORE_EVTCHN read 0 unless the toolstack set them:
 *    "no xenstore", which xenbus and XTF accept.
 */
#include "xen_internal.h"
#include <xen/hvm_op.h>
#include <xen/xen.h>

_Static_assert(XEN_HVM_NR_PARAMS <= HVM_NR_PARAMS, "struct domain has room for every parameter");

/* Parameters Xen lets a guest set on itself (hvm_allow_set_param). */
static int allow_set(u32 index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_X87_FIP_WIDTH:
		return 0;
	case HVM_PARAM_ALTP2M:		/* read-only */
		return -XEN_EEXIST;
	case HVM_PARAM_PAE_ENABLED:	/* deprecated */
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_MEMORY_EVENT_CR0:
	case HVM_PARAM_MEMORY_EVENT_CR3:
	case HVM_PARAM_MEMORY_EVENT_CR4:
	case HVM_PARAM_MEMORY_EVENT_INT3:
	case HVM_PARAM_NESTEDHVM:
	case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
	case HVM_PARAM_MEMORY_EVENT_MSR:
		return -XEN_EINVAL;
	default:			/* the toolstack's business */
		return -XEN_EPERM;
	}
}

/* Parameters Xen lets a guest read on itself (hvm_allow_get_param). */
static int allow_get(u32 index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_ALTP2M:
	case HVM_PARAM_X87_FIP_WIDTH:
		return 0;
	case HVM_PARAM_PAE_ENABLED:
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_MEMORY_EVENT_CR0:
	case HVM_PARAM_MEMORY_EVENT_CR3:
	case HVM_PARAM_MEMORY_EVENT_CR4:
	case HVM_PARAM_MEMORY_EVENT_INT3:
	case HVM_PARAM_NESTEDHVM:
	case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
	case HVM_PARAM_MEMORY_EVENT_MSR:
		return -XEN_EINVAL;
	default:
		return -XEN_EPERM;
	}
}

static int read_param(struct vcpu *v, u64 addr, struct xen_hvm_param *p)
{
	if (xen_copy_from_guest(v, p, addr, sizeof(*p)))
		return -XEN_EFAULT;
	if (p->index >= XEN_HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (!xen_domid_is_self(v, p->domid))
		return -XEN_EPERM;	/* Xen: -ESRCH or an XSM refusal */
	return 0;
}

static s64 set_param(struct vcpu *v, u64 addr)
{
	struct domain *d = v->domain;
	struct xen_hvm_param p;
	int rc;

	rc = read_param(v, addr, &p);
	if (!rc)
		rc = allow_set(p.index);
	if (rc)
		return rc;
	/*
	 * CALLBACK_IRQ: stored as given. Only the vector type (2 << 56 |
	 * vector) has an effect; a PVH domain has no virtual IOAPIC or PIC,
	 * so Xen also accepts and ignores the GSI and PCI INTx types.
	 * (Xen latches the shared_info layout here; v->mode_64 already holds
	 * the caller's mode, latched by xen_hypercall.)
	 */
	d->hvm_params[p.index] = p.value;
	return 0;
}

/* No PV console until the toolstack set up its page (a dom0 backend). */
static bool console_absent(const struct domain *d, u32 index)
{
	return (index == HVM_PARAM_CONSOLE_PFN || index == HVM_PARAM_CONSOLE_EVTCHN) &&
	       d->hvm_params[HVM_PARAM_CONSOLE_PFN] == 0;
}

static s64 get_param(struct vcpu *v, u64 addr)
{
	struct domain *d = v->domain;
	struct xen_hvm_param p;
	int rc;

	rc = read_param(v, addr, &p);
	if (!rc)
		rc = allow_get(p.index);
	if (rc)
		return rc;
	if (console_absent(d, p.index))
		return -XEN_EINVAL;
	p.value = d->hvm_params[p.index];
	return xen_copy_to_guest(v, addr, &p, sizeof(p));
}

/*
 * A per-vCPU event upcall vector (Xen's hvmop_set_evtchn_upcall_vector):
 * vectors below 0x10 are refused; setting it raises the vector once
 * (Xen asserts the event interrupt right away). Delivery: evtchn.c.
 */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
	uint8_t pad[3];
};

static s64 set_upcall_vector(struct vcpu *v, u64 addr)
{
	struct domain *d = v->domain;
	struct xen_hvm_evtchn_upcall_vector op;
	struct vcpu *t;

	if (xen_copy_from_guest(v, &op, addr, sizeof(op)))
		return -XEN_EFAULT;
	if (op.vector < 0x10)
		return -XEN_EINVAL;
	if (op.vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	t = &d->vcpus[op.vcpu];
	t->xen.upcall_vector = op.vector;
	__atomic_store_n(&t->xen.upcall_edge, 1, __ATOMIC_SEQ_CST);
	return 0;
}

s64 xen_hvm_op(struct vcpu *v, struct xen_hcall *hc)
{
	switch (hc->arg[0]) {		/* unsigned long op */
	case HVMOP_set_param:
		return set_param(v, hc->arg[1]);
	case HVMOP_get_param:
		return get_param(v, hc->arg[1]);
	case HVMOP_set_evtchn_upcall_vector:
		return set_upcall_vector(v, hc->arg[1]);
	default:
		return -XEN_ENOSYS;
	}
}
