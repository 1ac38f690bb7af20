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

/*
 * Up to 15 bytes of the instruction at CS:RIP (X86_MAX_INSN_LEN), page
 * by page through the guest's page tables; stops at the first page that
 * does not translate or is not the domain's memory. Returns how many.
 */
unsigned int guest_fetch_insn(struct vcpu *v, u8 *buf);

#endif
