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
 * NULL when it is outside RAM, wraps, or touches VMM memory. Control calls
 * take their arguments through dom0_ram_buffer below, which also refuses
 * guest pages: the VMM never writes a result into a guest on dom0's word.
 */
void *dom0_buffer(u64 pa, u64 len);

/*
 * Dom0's nested page table and the guest pages dom0 is granted
 * (vmm/core/memory.c, docs/memory-layout.md).
 *
 * dom0_ram_buffer: as dom0_buffer, and every page of it dom0's own RAM as
 * its nested page table maps it now: not a page given to a guest, not a
 * guest page dom0 has mapped through a grant. For data the VMM copies to
 * or from on dom0's behalf.
 *
 * dom0_grant_access: dom0 sees the 4 KiB guest RAM page at pa 1:1 with
 * that access, or (DOM0_NO_ACCESS) junk again as for any guest page.
 * 0, -EINVAL (not a hidden guest page or a grant mapping), -ENOMEM.
 *
 * Every change to dom0's table is followed by dom0_npt_changed(), which
 * returns the new generation; each CPU flushes its TLB before it next
 * runs dom0 and records the generation it flushed for (arch.h).
 * dom0_npt_flushed(gen) is true once every launched CPU has;
 * dom0_npt_flushed_except, every one but @self (the caller's CPU).
 */
enum dom0_access { DOM0_NO_ACCESS, DOM0_READ, DOM0_READ_WRITE };
void *dom0_ram_buffer(u64 pa, u64 len);
int dom0_grant_access(u64 pa, enum dom0_access access);
u64 dom0_npt_changed(void);
bool dom0_npt_flushed(u64 gen);
struct vmm_cpu;
bool dom0_npt_flushed_except(u64 gen, const struct vmm_cpu *self);

int vmm_setup_address_space(void);
u64 vmm_host_cr3(void);

#endif
