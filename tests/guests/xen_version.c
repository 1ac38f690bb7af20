// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version: the sub-ops Linux and XTF use, and error paths.
 *  - XENVER_version: major >= 4
 *  - extraversion (char[16]) and capabilities (char[1024]): 0, NUL-terminated
 *  - get_features submap 0: auto_translated_physmap, hvm_callback_vector,
 *    hvm_safe_pvclock set
 *  - pagesize: 4096
 *  - an unknown sub-op: -ENOSYS
 *  - a buffer beyond RAM (0xfffff000): -EFAULT, and the guest lives on
 *  - sysctl, domctl, platform_op: a wrong interface version -EACCES, the
 *    right one (found as XTF finds the sysctl one: the first version that is
 *    not -EACCES) -EPERM, as Xen 4.17 answers a domU
 */
#include "guest.h"

DEFINE_GUEST_NAME;

#define BAD_BUFFER ((void *)0xfffff000ul)

/* Hypercall numbers and Xen 4.17 interface versions (public/sysctl.h, domctl.h, platform.h). */
#define HC_platform_op	7
#define HC_sysctl	35
#define HC_domctl	36

static char caps[1024];

#ifndef EACCES
#define EACCES	13
#endif

/*
 * The version comes first: any other is -EACCES; then the privilege check,
 * -EPERM for every domU. For sysctl the version is found the way XTF finds
 * it (xtf_probe_sysctl_interface_version): the first not refused with -EACCES.
 */
static void privileged_op(const char *what, unsigned long nr, uint32_t version)
{
	static uint32_t op[32];		/* cmd, interface_version, payload */
	long rc;

	if (nr == HC_sysctl) {
		int found = -1;

		for (uint32_t v = 0; v < 128 && found < 0; v++) {
			op[1] = v;
			if (HYPERCALL2(nr, op, 0) != -EACCES)
				found = (int)v;
		}
		if (found != (int)version)
			fail("sysctl: first version not refused with -EACCES is %d, want 0x%x",
			     found, version);
	}
	op[1] = version + 1;
	rc = HYPERCALL2(nr, op, 0);
	if (rc != -EACCES)
		fail("%s with version 0x%x returned %ld, want -EACCES", what, version + 1, rc);
	op[1] = version;
	rc = HYPERCALL2(nr, op, 0);
	if (rc != -EPERM)
		fail("%s with version 0x%x returned %ld, want -EPERM", what, version, rc);
	rc = HYPERCALL2(nr, BAD_BUFFER, 0);
	if (rc != -EFAULT)
		fail("%s at %p returned %ld, want -EFAULT", what, BAD_BUFFER, rc);
	printf("xvmm-guest: %s: %s version 0x%x: -EPERM\n", guest_name, what, version);
}

void guest_main(void)
{
	static const unsigned int want[] = {
		XENFEAT_auto_translated_physmap, XENFEAT_hvm_callback_vector,
		XENFEAT_hvm_safe_pvclock,
	};
	struct xen_feature_info fi = { 0, 0 };
	char extra[16];
	long ver, rc;

	need_xen();

	ver = xen_version(XENVER_version, NULL);
	printf("xvmm-guest: %s: version %ld.%ld\n", guest_name, ver >> 16, ver & 0xffff);
	if ((ver >> 16) < 4)
		fail("XENVER_version %lx: major < 4", ver);

	memset(extra, 0xff, sizeof(extra));
	rc = xen_version(XENVER_extraversion, extra);
	if (rc)
		fail("extraversion returned %ld", rc);
	if (strnlen(extra, sizeof(extra)) == sizeof(extra))
		fail("extraversion not NUL-terminated");
	printf("xvmm-guest: %s: extraversion \"%s\"\n", guest_name, extra);

	memset(caps, 0xff, sizeof(caps));
	rc = xen_version(XENVER_capabilities, caps);
	if (rc)
		fail("capabilities returned %ld", rc);
	if (strnlen(caps, sizeof(caps)) == sizeof(caps))
		fail("capabilities not NUL-terminated");
	printf("xvmm-guest: %s: capabilities \"%s\"\n", guest_name, caps);

	rc = xen_version(XENVER_get_features, &fi);
	if (rc)
		fail("get_features returned %ld", rc);
	printf("xvmm-guest: %s: features[0] %x\n", guest_name, fi.submap);
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		if (!(fi.submap & (1u << want[i])))
			fail("feature bit %u clear (submap %x)", want[i], fi.submap);

	rc = xen_version(XENVER_pagesize, NULL);
	if (rc != 4096)
		fail("pagesize %ld", rc);

	rc = xen_version(1000, NULL);
	if (rc != -ENOSYS)
		fail("unknown sub-op 1000 returned %ld, want -ENOSYS", rc);

	rc = xen_version(XENVER_extraversion, BAD_BUFFER);
	if (rc != -EFAULT)
		fail("extraversion into %p returned %ld, want -EFAULT", BAD_BUFFER, rc);
	rc = xen_version(XENVER_get_features, BAD_BUFFER);
	if (rc != -EFAULT)
		fail("get_features at %p returned %ld, want -EFAULT", BAD_BUFFER, rc);

	privileged_op("sysctl", HC_sysctl, 0x15);
	privileged_op("domctl", HC_domctl, 0x15);
	privileged_op("platform_op", HC_platform_op, 0x03000001);

	if (xen_version(XENVER_version, NULL) != ver)
		fail("XENVER_version changed after the bad calls");
}
