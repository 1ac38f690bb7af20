/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMM's memory: its own image and pool, and its view of dom0's RAM. */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include "types.h"
#include <xvmm/image.h>
#include <xvmm/control.h>

/*
 * The VMM address space (docs/memory-layout.md): the image and pool at the
 * same virtual address dom0's driver mapped them (so code runs unchanged
 * across the CR3 switch), and all of RAM at DIRECTMAP_BASE, in the lower
 * half where nothing of Linux's lives.
 */
#define DIRECTMAP_BASE	0x0000100000000000ull

extern struct xvmm_boot_info xvmm_boot_info;
extern const char xvmm_version[];
extern char __image_start[], __text_end[], __ro_end[], __image_end[];

/* VMM memory (image and pool) only: 0 / NULL for anything else. */
u64 vmm_va_to_pa(const void *va);
void *vmm_pa_to_va(u64 pa);

/* True if [pa, pa + len) overlaps memory the VMM owns. */
bool pa_overlaps_vmm(u64 pa, u64 len);

/*
 * A dom0 physical buffer, reachable once the VMM's address space is live:
 * NULL when it is outside RAM, wraps, or touches VMM memory.
 */
void *dom0_buffer(u64 pa, u64 len);

int vmm_setup_address_space(void);
u64 vmm_host_cr3(void);

#endif
