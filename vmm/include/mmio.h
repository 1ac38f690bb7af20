/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MMIO emulation for guests (vmm/core/mmio.c), vendor-neutral: a data
 * access to a guest-physical page with no memory behind it, which an
 * emulated device decodes (today only the vLAPIC's xAPIC page), is
 * finished in software. The backend routes its nested-page-fault (or EPT
 * violation) exits here; it knows nothing of the devices.
 */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include "domain.h"

/*
 * The instruction at the vCPU's RIP accessed @gpa and faulted there (a
 * data access, not an instruction fetch, a guest page-table walk or event
 * delivery: the caller checks). Fetch that instruction through the
 * guest's page tables, decode it, do the access against the device that
 * decodes @gpa (where none does, reads are all ones and writes dropped,
 * as on Xen), update the register operand and move RIP past the
 * instruction; 0. Any error (-EFAULT: the bytes at RIP cannot be fetched,
 * -EOPNOTSUPP: not an instruction emulated here): nothing done, one log
 * line says why, and the caller crashes the domain.
 */
int mmio_emulate(struct vcpu *v, u64 gpa);

#endif
