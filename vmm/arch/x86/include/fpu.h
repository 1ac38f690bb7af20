/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest vCPU's FPU, SSE and AVX state (vmm/arch/x86/fpu.c), for any
 * vendor: one XSAVE (or FXSAVE) image per vCPU, loaded into the CPU when
 * dom0 hands the CPU to the vCPU and saved when it goes back. The VMM
 * itself never touches FPU or vector registers (-mgeneral-regs-only).
 */
#ifndef VMM_X86_FPU_H
#define VMM_X86_FPU_H

#include "types.h"

/* Probe the host once (XSAVE enabled by dom0, its XCR0). 0 or -ENODEV. */
int fpu_init(void);

/* @area (a 4 KiB page, 64-byte aligned): every component in its reset state. */
void fpu_image_init(void *area);

/*
 * Load @area into the CPU. 0, or -EFAULT if the CPU refused the image
 * (the exception table caught the fault): the registers then hold the
 * reset state and the caller crashes the domain.
 */
int fpu_load(void *area);
void fpu_save(void *area);

/*
 * Is XCR0 still the host's? Guests cannot change it (XSETBV is
 * intercepted, CR4.OSXSAVE refused), so a difference means the CPU let
 * a guest through: XCR0 is put back and false returned, and the caller
 * ends that guest before any image is saved or loaded under a foreign
 * XCR0 (an XRSTOR of dom0's image under it would fault).
 */
bool fpu_host_xcr0_intact(void);

/* XVMM_SELFTEST_EXTABLE, with two free pages: 0, or -EIO if the fault was not caught. */
int fpu_selftest_refused_image(void *scratch, void *saved);

#endif
