/* SPDX-License-Identifier: MIT */
/*
 * The headers of the hypercalls only a privileged domain may make:
 * sysctl (35), domctl (36) and platform_op (7). Each argument starts with
 * a command and an interface version; Xen checks the version before the
 * caller's privilege. Values from Xen 4.17's public/sysctl.h, domctl.h
 * and platform.h.
 */
#ifndef XEN_PRIVILEGED_H
#define XEN_PRIVILEGED_H

#include <stdint.h>

#define XEN_SYSCTL_INTERFACE_VERSION	0x00000015
#define XEN_DOMCTL_INTERFACE_VERSION	0x00000015
#define XENPF_INTERFACE_VERSION		0x03000001

/* The first 8 bytes of struct xen_sysctl, xen_domctl and xen_platform_op. */
struct xen_privileged_op_head {
	uint32_t cmd;
	uint32_t interface_version;
};

#endif
