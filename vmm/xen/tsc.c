// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host TSC, as time.c reads it. Separate so the unit tests can put a
 * fake clock in its place.
 */
#include "xen_internal.h"

u64 xen_read_tsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* CPUID 0x80000007 EDX[8]: the TSC runs at a constant rate in every state. */
bool xen_tsc_invariant(void)
{
	u32 a, b, c, d;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u), "c"(0));
	if (a < 0x80000007u)
		return false;
	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000007u), "c"(0));
	return d & (1u << 8);
}
