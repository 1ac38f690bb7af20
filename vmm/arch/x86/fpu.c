// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest FPU images (fpu.h). XSAVE/XRSTOR in their standard form (SDM
 * vol. 1, 13.7 and 13.8) with every component of the host's XCR0, or
 * FXSAVE/FXRSTOR where dom0 did not enable XSAVE. XRSTOR raises #GP on
 * an XSTATE_BV bit outside XCR0, a compacted or non-zero XCOMP_BV or
 * header bytes, or reserved MXCSR bits (SDM vol. 1, 13.8.1; FXRSTOR:
 * vol. 2A): the images are only ever written by XSAVE under the host's
 * XCR0, but a restore that faults all the same is the guest's, through
 * the exception table, never a FATAL of the VMM.
 */
#include "cpu.h"
#include "errno.h"
#include "extable.h"
#include "fpu.h"
#include "lib.h"

#define FCW_RESET	0x37f	/* x87 control word after FNINIT */
#define MXCSR_RESET	0x1f80	/* every exception masked, round to nearest */

static bool use_xsave;
static u64 host_xcr0;

static u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static void xsetbv0(u64 v)
{
	__asm__ __volatile__("xsetbv" :: "a"((u32)v), "d"((u32)(v >> 32)), "c"(0));
}

int fpu_init(void)
{
	struct cpuid_regs r;

	cpuid_count(1, 0, &r);
	use_xsave = (r.ecx & BIT(27)) != 0;	/* OSXSAVE: dom0 enabled XSAVE */
	if (!use_xsave)
		return 0;
	cpuid_count(0xd, 0, &r);
	if (r.ebx > PAGE_SIZE)			/* the image for today's XCR0 */
		return -ENODEV;
	host_xcr0 = xgetbv0();
	return 0;
}

void fpu_image_init(void *area)
{
	/* XSTATE_BV = 0: XRSTOR puts every component in its reset state. */
	memset(area, 0, PAGE_SIZE);
	((u16 *)area)[0] = FCW_RESET;
	((u32 *)area)[6] = MXCSR_RESET;
}

static int restore(const void *area)
{
	if (use_xsave) {
		__asm__ goto("1: xrstor64 (%0)\n\t"
			     EXTABLE_ENTRY("1b", "%l[fault]")
			     :: "r"(area), "a"(~0u), "d"(~0u) : "memory" : fault);
	} else {
		__asm__ goto("1: fxrstor64 (%0)\n\t"
			     EXTABLE_ENTRY("1b", "%l[fault]")
			     :: "r"(area) : "memory" : fault);
	}
	return 0;
fault:
	return -EFAULT;
}

int fpu_load(void *area)
{
	if (!restore(area))
		return 0;
	/* The image is not one this CPU takes: reset it, which always loads. */
	fpu_image_init(area);
	if (restore(area))
		__asm__ __volatile__("fninit");
	return -EFAULT;
}

void fpu_save(void *area)
{
	if (use_xsave)
		__asm__ __volatile__("xsave64 (%0)" :: "r"(area), "a"(~0u), "d"(~0u) : "memory");
	else
		__asm__ __volatile__("fxsave64 (%0)" :: "r"(area) : "memory");
}

bool fpu_host_xcr0_intact(void)
{
	if (!use_xsave || xgetbv0() == host_xcr0)
		return true;
	xsetbv0(host_xcr0);
	return false;
}

/*
 * XVMM_SELFTEST_EXTABLE: load an image every CPU refuses (XSTATE_BV with
 * bit 63, the compacted form, for a standard XRSTOR: SDM vol. 1, 13.8.1;
 * reserved MXCSR bits for FXRSTOR) and check that the fault ends in the
 * exception table. Runs in dom0's control call, so the registers hold
 * dom0's state: saved first and put back after.
 */
int fpu_selftest_refused_image(void *scratch, void *saved)
{
	int err;

	fpu_save(saved);
	fpu_image_init(scratch);
	if (use_xsave)
		((u64 *)scratch)[512 / 8] = BIT(63) | 3;	/* XSTATE_BV */
	else
		((u32 *)scratch)[6] = ~0u;			/* MXCSR */
	err = fpu_load(scratch);
	if (restore(saved))
		return -EIO;		/* dom0's own image refused: cannot happen */
	return err == -EFAULT ? 0 : -EIO;
}
