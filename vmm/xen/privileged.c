// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysctl (35), domctl (36) and platform_op (7) from a domU.
 *
 * Every xvmm guest is unprivileged: dom0 is the native OS and never makes
 * hypercalls. Xen 4.17 answers an unprivileged caller in this order
 * (xen/common/sysctl.c do_sysctl, xen/common/domctl.c do_domctl,
 * xen/arch/x86/platform_hypercall.c do_platform_op): the argument cannot be
 * read, -EFAULT; its interface version is not the hypervisor's, -EACCES;
 * otherwise the XSM dummy policy refuses, -EPERM. Guests rely on the order:
 * XTF probes the sysctl version by looking for the first answer that is
 * not -EACCES. (Xen's domctl looks the target domain up before asking XSM
 * for most commands, so a domctl naming no domain may get -ESRCH there;
 * here it is -EPERM for every command.)
 */
#include "xen_internal.h"
#include <xen/privileged.h>

static s64 privileged_op(struct vcpu *v, u64 arg, u32 version)
{
	struct xen_privileged_op_head head;

	if (xen_copy_from_guest(v, &head, arg, sizeof(head)))
		return -XEN_EFAULT;
	if (head.interface_version != version)
		return -XEN_EACCES;
	return -XEN_EPERM;
}

s64 xen_sysctl(struct vcpu *v, struct xen_hcall *hc)
{
	return privileged_op(v, hc->arg[0], XEN_SYSCTL_INTERFACE_VERSION);
}

s64 xen_domctl(struct vcpu *v, struct xen_hcall *hc)
{
	return privileged_op(v, hc->arg[0], XEN_DOMCTL_INTERFACE_VERSION);
}

s64 xen_platform_op(struct vcpu *v, struct xen_hcall *hc)
{
	return privileged_op(v, hc->arg[0], XENPF_INTERFACE_VERSION);
}
