// SPDX-License-Identifier: GPL-2.0-only
/*
 * hcbench: the cost of the two paths every guest rides on, in TSC ticks
 * (bench/guest-paths converts them with dom0's TSC frequency):
 *   - a hypercall the VMM finishes alone: xen_version(XENVER_version) as a
 *     bare VMMCALL, back to back;
 *   - a trip through dom0: SCHEDOP_yield returns to the driver's run loop,
 *     which re-enters the guest.
 */
#include "guest.h"

DEFINE_GUEST_NAME;

#define HC_CALLS	2000
#define YIELDS		500

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void guest_main(void)
{
	uint64_t t0, t1, t2;
	long v = 0;

	need_xen();
	t0 = rdtsc();
	for (int i = 0; i < HC_CALLS; i++)
		v = hypercall_bare(HC_xen_version, 0, 0, 0, 0, 0);
	t1 = rdtsc();
	for (int i = 0; i < YIELDS; i++)
		HYPERCALL2(HC_sched_op, SCHEDOP_yield, 0);
	t2 = rdtsc();
	if (v < 0x40000)
		fail("xen_version returned %lx", (unsigned long)v);
	/* Totals stay far below 2^32 ticks: 32-bit division serves both builds. */
	printf("xvmm-guest: hcbench: hypercall-ticks %u yield-ticks %u\n",
	       (uint32_t)(t1 - t0) / HC_CALLS, (uint32_t)(t2 - t1) / YIELDS);
}
