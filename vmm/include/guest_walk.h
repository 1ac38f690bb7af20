/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest linear → guest-physical translation by walking the guest's own
 * page tables (vmm/core/guest_walk.c). Xen's HVM hypercalls name buffers
 * by guest linear address; vmm/xen/ translates them page by page.
 */
#ifndef VMM_GUEST_WALK_H
#define VMM_GUEST_WALK_H

#include "domain.h"

/*
 * Translate @la as the vCPU sees it now (CR0.PG, CR4.PAE/PSE/LA57,
 * EFER.LMA, CR3). Paging off: @la is physical (32 bits). 32-bit non-PAE
 * (4 KiB and 4 MiB pages, PSE-36), PAE (4 KiB, 2 MiB), 4- and 5-level long
 * mode (4 KiB, 2 MiB, 1 GiB). Every level must be present; with @write
 * and CR0.WP set, every level must be writable too. Accessed and dirty
 * bits are not set. Returns 0 with *gpa, or -EFAULT (not present, not
 * writable, non-canonical, or a table outside the domain's memory).
 */
int guest_linear_to_gpa(struct vcpu *v, u64 la, bool write, u64 *gpa);

#endif
