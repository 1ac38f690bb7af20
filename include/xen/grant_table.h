/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1, as this project writes them: the shared entry a
 * guest fills, its flags, the grant_table_op sub-op numbers and the status
 * codes (GNTST_*) that Xen's grant operations and xvmm's dom0 grant calls
 * (include/xvmm/control.h) report.
 *
 * Numbers and layouts from Xen's xen/include/public/grant_table.h. The
 * entry has the same layout for 32- and 64-bit guests.
 */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <stdint.h>
#include <stddef.h>
#include "xen.h"

typedef uint32_t grant_ref_t;

/* One v1 entry: 8 bytes, 512 to a 4 KiB frame; ref n is entry n of the table. */
struct grant_entry_v1 {
	uint16_t flags;		/* GTF_*: type and flags; GTF_reading/writing are Xen's */
	domid_t domid;		/* the domain allowed access */
	uint32_t frame;		/* the guest frame granted */
};

#define GNTTAB_V1_PER_FRAME	(4096 / sizeof(struct grant_entry_v1))

/* Entry type (flags bits 0-1). */
#define GTF_invalid		0u
#define GTF_permit_access	1u
#define GTF_accept_transfer	2u
#define GTF_transitive		3u	/* v2 only */
#define GTF_type_mask		3u

/* Flags of a GTF_permit_access entry. */
#define GTF_readonly		(1u << 2)	/* guest: the grantee may only read */
#define GTF_reading		(1u << 3)	/* hypervisor: mapped or copied from right now */
#define GTF_writing		(1u << 4)	/* hypervisor: mapped writable or copied to right now */
#define GTF_PWT			(1u << 5)
#define GTF_PCD			(1u << 6)
#define GTF_PAT			(1u << 7)
#define GTF_sub_page		(1u << 8)	/* copy only, never map (v2 sub-page grants) */

/* grant_table_op (hypercall 20): (unsigned int cmd, void *uop, unsigned int count). */
#define GNTTABOP_map_grant_ref		0
#define GNTTABOP_unmap_grant_ref	1
#define GNTTABOP_setup_table		2
#define GNTTABOP_dump_table		3
#define GNTTABOP_transfer		4
#define GNTTABOP_copy			5
#define GNTTABOP_query_size		6
#define GNTTABOP_unmap_and_replace	7
#define GNTTABOP_set_version		8
#define GNTTABOP_get_status_frames	9
#define GNTTABOP_get_version		10
#define GNTTABOP_swap_grant_ref		11
#define GNTTABOP_cache_flush		12
#define GNTTABOP_CMD_MASK		0xfffu	/* the rest is a continuation argument */

/* Status of one grant operation (negative: failed). */
#define GNTST_okay		0
#define GNTST_general_error	(-1)	/* bad flags or domid in the entry, read-only, unstable */
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)	/* ref beyond the table */
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)	/* out of space in the I/O MMU */
#define GNTST_permission_denied	(-8)
#define GNTST_bad_page		(-9)	/* the frame is not the granting domain's RAM */
#define GNTST_bad_copy_arg	(-10)	/* offset + len beyond the page */
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)	/* no maptrack entry left (handles) */

/* map_grant_ref flags. */
#define GNTMAP_device_map	(1u << 0)
#define GNTMAP_host_map		(1u << 1)
#define GNTMAP_readonly		(1u << 2)
#define GNTMAP_application_map	(1u << 3)
#define GNTMAP_contains_pte	(1u << 4)

/* copy flags: which side names a grant reference (else a frame of the caller). */
#define GNTCOPY_source_gref	(1u << 0)
#define GNTCOPY_dest_gref	(1u << 1)

_Static_assert(sizeof(struct grant_entry_v1) == 8 &&
	       offsetof(struct grant_entry_v1, domid) == 2 &&
	       offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1");

#endif /* XEN_GRANT_TABLE_H */
