/* SPDX-License-Identifier: MIT */
/*
 * xen_version (hypercall 17), as this project writes it.
 *
 * Sub-op numbers and layouts from Xen's xen/include/public/version.h,
 * feature bits from xen/include/public/features.h. Every sub-op returns 0
 * on success except XENVER_version and XENVER_pagesize, which return the
 * value itself.
 */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#include <stdint.h>
#include <stddef.h>
#include "xen.h"

#define XENVER_version			0	/* arg NULL; returns major << 16 | minor */
#define XENVER_extraversion		1	/* char[16] */
#define XENVER_compile_info		2	/* struct xen_compile_info */
#define XENVER_capabilities		3	/* char[1024] */
#define XENVER_changeset		4	/* char[64] */
#define XENVER_platform_parameters	5	/* struct xen_platform_parameters */
#define XENVER_get_features		6	/* struct xen_feature_info */
#define XENVER_pagesize			7	/* arg NULL; returns the page size */
#define XENVER_guest_handle		8	/* xen_domain_handle_t */
#define XENVER_commandline		9	/* char[1024] */
#define XENVER_build_id			10	/* struct xen_varbuf */
#define XENVER_extraversion2		11	/* struct xen_varbuf (Xen 4.20+) */
#define XENVER_capabilities2		12
#define XENVER_changeset2		13
#define XENVER_commandline2		14

#define XEN_EXTRAVERSION_LEN		16
#define XEN_CAPABILITIES_INFO_LEN	1024
#define XEN_CHANGESET_INFO_LEN		64
#define XEN_COMMANDLINE_LEN		1024

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

/* x86-64 layout; a 32-bit caller's virt_start is a uint32_t (4 bytes). */
struct xen_platform_parameters {
	uint64_t virt_start;
};

struct xen_platform_parameters_compat {
	uint32_t virt_start;
};

struct xen_feature_info {
	uint32_t submap_idx;	/* IN: which 32-bit submap */
	uint32_t submap;	/* OUT */
};

/* Header of the variable-length buffer the *2 and build_id sub-ops take. */
struct xen_varbuf {
	uint32_t len;		/* IN: size of buf[] that follows */
};

/* Feature bits of submap 0 (features.h). */
#define XENFEAT_writable_page_tables		0
#define XENFEAT_writable_descriptor_tables	1
#define XENFEAT_auto_translated_physmap		2
#define XENFEAT_supervisor_mode_kernel		3
#define XENFEAT_pae_pgdir_above_4gb		4
#define XENFEAT_mmu_pt_update_preserve_ad	5
#define XENFEAT_highmem_assist			6
#define XENFEAT_gnttab_map_avail_bits		7
#define XENFEAT_hvm_callback_vector		8
#define XENFEAT_hvm_safe_pvclock		9
#define XENFEAT_hvm_pirqs			10
#define XENFEAT_dom0				11
#define XENFEAT_grant_map_identity		12
#define XENFEAT_memory_op_vnode_supported	13
#define XENFEAT_ARM_SMCCC_supported		14
#define XENFEAT_linux_rsdp_unrestricted		15
#define XENFEAT_not_direct_mapped		16
#define XENFEAT_direct_mapped			17
#define XENFEAT_runstate_phys_area		18
#define XENFEAT_vcpu_time_phys_area		19
#define XENFEAT_dm_msix_all_writes		20
#define XENFEAT_NR_SUBMAPS			1

_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info is 144 bytes");
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_parameters (64-bit)");
_Static_assert(sizeof(struct xen_platform_parameters_compat) == 4, "platform_parameters (32-bit)");
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info is 8 bytes");
_Static_assert(offsetof(struct xen_feature_info, submap) == 4, "submap @4");
_Static_assert(sizeof(xen_domain_handle_t) == 16, "domain handle is 16 bytes");

#endif
