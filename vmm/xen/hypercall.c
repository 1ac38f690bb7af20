// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen hypercall dispatch for HVM/PVH guests.
 *
 * Follows Xen's xen/arch/x86/hvm/hypercall.c (hvm_hypercall) and the
 * per-caller tables of xen/include/hypercall-defs.c: the number is in RAX
 * (EAX for a 32-bit caller); arguments are RDI, RSI, RDX, R10, R8 from
 * 64-bit code and EBX, ECX, EDX, ESI, EDI from 32-bit code, which also
 * gets the compat struct layouts. A caller above ring 0 gets -EPERM, an
 * unknown number -ENOSYS. The result goes to RAX (EAX, zero-extended, for
 * a 32-bit caller). Numbers from include/xen/xen.h.
 */
#include "errno.h"
#include "generated/config.h"
#include "log.h"
#include "vcpu_regs.h"
#include "xen_internal.h"
#include <xen/xen.h>

_Static_assert(XEN_EPERM == EPERM && XEN_EFAULT == EFAULT && XEN_EINVAL == EINVAL &&
	       XEN_ENOSYS == ENOSYS && XEN_ENOENT == ENOENT,
	       "Xen and VMM errno values coincide");

#define XEN_HCALL_TABLE_SIZE	64

/* Adding a hypercall is one line here (and its handler in xen_internal.h). */
static const xen_hcall_fn xen_hcall_table[XEN_HCALL_TABLE_SIZE] = {
	[__HYPERVISOR_memory_op]	= xen_memory_op,
	[__HYPERVISOR_xen_version]	= xen_version_op,
#ifdef CONFIG_XEN_CONSOLE_IO
	[__HYPERVISOR_console_io]	= xen_console_io,
#endif
	[__HYPERVISOR_sched_op]		= xen_sched_op,
	[__HYPERVISOR_hvm_op]		= xen_hvm_op,
	[__HYPERVISOR_event_channel_op]	= xen_event_channel_op,
	[__HYPERVISOR_vcpu_op]		= xen_vcpu_op,
	[__HYPERVISOR_set_timer_op]	= xen_set_timer_op,
	[__HYPERVISOR_vm_assist]	= xen_vm_assist,
	[__HYPERVISOR_grant_table_op]	= xen_grant_table_op,
	[__HYPERVISOR_platform_op]	= xen_platform_op,
	[__HYPERVISOR_sysctl]		= xen_sysctl,
	[__HYPERVISOR_domctl]		= xen_domctl,
};

_Static_assert(XEN_HCALL_TABLE_SIZE == sizeof(((struct domain *)0)->enosys_logged),
	       "one enosys_logged flag per table slot");

static const enum vcpu_reg xen_hcall_args64[5] = { REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8 };
static const enum vcpu_reg xen_hcall_args32[5] = { REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI };

/*
 * One log line per domain and number. Numbers past the table share the
 * last flag (63, not a Xen hypercall), so only the first of them is logged.
 */
static void xen_hcall_log_unknown(struct vcpu *v, u64 nr)
{
	struct domain *d = v->domain;
	unsigned int slot = nr < XEN_HCALL_TABLE_SIZE ? (unsigned int)nr : XEN_HCALL_TABLE_SIZE - 1;

	if (d->enosys_logged[slot])
		return;
	d->enosys_logged[slot] = true;
	if (nr < XEN_HCALL_TABLE_SIZE)
		pr_info("d%u: hypercall %llu not implemented (-ENOSYS)\n", d->id, nr);
	else
		pr_info("d%u: hypercall 0x%llx out of range (-ENOSYS); not logging others\n",
			d->id, nr);
}

enum xen_action xen_hypercall(struct vcpu *v)
{
	struct xen_hcall hc = { .action = XEN_CONTINUE };
	const enum vcpu_reg *regs;
	xen_hcall_fn fn = NULL;
	s64 ret;

	v->hypercalls++;
	v->mode_64 = vcpu_is_64bit(v);
	hc.compat = !v->mode_64;
	regs = hc.compat ? xen_hcall_args32 : xen_hcall_args64;

	hc.nr = vcpu_reg_get(v, REG_RAX);
	if (hc.compat)
		hc.nr = (u32)hc.nr;
	for (unsigned int i = 0; i < 5; i++) {
		hc.arg[i] = vcpu_reg_get(v, regs[i]);
		if (hc.compat)
			hc.arg[i] = (u32)hc.arg[i];
	}

	if (hc.nr < XEN_HCALL_TABLE_SIZE)
		fn = xen_hcall_table[hc.nr];

	if (vcpu_cpl(v) != 0) {
		ret = -XEN_EPERM;
	} else if (!fn) {
		xen_hcall_log_unknown(v, hc.nr);
		ret = -XEN_ENOSYS;
	} else {
		ret = fn(v, &hc);
	}

	vcpu_reg_set(v, REG_RAX, hc.compat ? (u64)(u32)ret : (u64)ret);
	return hc.action;
}
