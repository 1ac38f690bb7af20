// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version (hypercall 17): who the hypervisor says it is.
 *
 * Follows Xen's xen/common/kernel.c (do_xen_version) as an unprivileged
 * HVM domain sees it under the default XSM policy (xen/include/xsm/dummy.h),
 * with layouts from xen/include/public/version.h (include/xen/version.h).
 * xvmm reports Xen 4.17: the ABI level it implements, not Xen's code.
 */
#include "lib.h"
#include "xen_internal.h"
#include <xen/version.h>

#define XVMM_XEN_MAJOR		4
#define XVMM_XEN_MINOR		17
#define XVMM_EXTRAVERSION	".0-xvmm"
/* No PV guests: only the HVM capabilities of an x86-64 host. */
#define XVMM_CAPABILITIES	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"
#define XVMM_CHANGESET		"unavailable"

/*
 * Submap 0, the honest subset of what Xen gives a translated HVM domain:
 * the guest owns its page tables (writable_page_tables) and sees a
 * guest-physical address space (auto_translated_physmap) that is not
 * machine memory (not_direct_mapped); events arrive on a vector
 * (hvm_callback_vector); pvclock in vcpu_info is safe to use
 * (hvm_safe_pvclock). Left out until the interface behind each exists:
 * memory_op_vnode_supported (no vNUMA), runstate_phys_area and
 * vcpu_time_phys_area (vcpu_op), dm_msix_all_writes (no dm_op), hvm_pirqs.
 */
#define XVMM_FEATURES_SUBMAP0	((1u << XENFEAT_writable_page_tables) |		\
				 (1u << XENFEAT_auto_translated_physmap) |	\
				 (1u << XENFEAT_hvm_callback_vector) |		\
				 (1u << XENFEAT_hvm_safe_pvclock) |		\
				 (1u << XENFEAT_not_direct_mapped))

/* Copy a NUL-padded string of exactly @size bytes to the guest. */
static s64 put_string(struct vcpu *v, u64 addr, const char *s, size_t size)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];
	size_t n = strnlen(s, size - 1);

	memset(buf, 0, size);
	memcpy(buf, s, n);
	return xen_copy_to_guest(v, addr, buf, size);
}

static s64 compile_info(struct vcpu *v, u64 addr)
{
	struct xen_compile_info info;

	memset(&info, 0, sizeof(info));
	memcpy(info.compiler, "gcc", 3);
	memcpy(info.compile_by, "xvmm", 4);
	memcpy(info.compile_domain, "xvmm", 4);
	/* No date: the image is reproducible. */
	return xen_copy_to_guest(v, addr, &info, sizeof(info));
}

static s64 platform_parameters(struct vcpu *v, struct xen_hcall *hc)
{
	/* virt_start is meaningful for PV only; Xen reports 0 to HVM guests. */
	if (hc->compat) {
		struct xen_platform_parameters_compat p = { .virt_start = 0 };

		return xen_copy_to_guest(v, hc->arg[1], &p, sizeof(p));
	} else {
		struct xen_platform_parameters p = { .virt_start = 0 };

		return xen_copy_to_guest(v, hc->arg[1], &p, sizeof(p));
	}
}

static s64 get_features(struct vcpu *v, u64 addr)
{
	struct xen_feature_info fi;

	if (xen_copy_from_guest(v, &fi, addr, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx != 0)
		return -XEN_EINVAL;
	fi.submap = XVMM_FEATURES_SUBMAP0;
	return xen_copy_to_guest(v, addr, &fi, sizeof(fi));
}

s64 xen_version_op(struct vcpu *v, struct xen_hcall *hc)
{
	u64 arg = hc->arg[1];

	switch ((u32)hc->arg[0]) {	/* int cmd */
	case XENVER_version:
		return (XVMM_XEN_MAJOR << 16) | XVMM_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(v, arg, XVMM_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info:
		return compile_info(v, arg);
	case XENVER_capabilities:
		return put_string(v, arg, XVMM_CAPABILITIES, XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return put_string(v, arg, XVMM_CHANGESET, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters:
		return platform_parameters(v, hc);
	case XENVER_get_features:
		return get_features(v, arg);
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : 4096;
	case XENVER_guest_handle: {
		/* The domain has no UUID here: the zero handle. */
		xen_domain_handle_t h = { 0 };

		return xen_copy_to_guest(v, arg, h, sizeof(h));
	}
	case XENVER_commandline:
		/* The VMM has no command line: an empty one. */
		return put_string(v, arg, "", XEN_COMMANDLINE_LEN);
	case XENVER_build_id:
		/* What Xen's default policy gives an unprivileged domain. */
		return -XEN_EPERM;
	default:
		/* Includes the varbuf sub-ops 11..14, which Xen 4.17 did not have. */
		return -XEN_ENOSYS;
	}
}
