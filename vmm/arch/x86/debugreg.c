// SPDX-License-Identifier: GPL-2.0-only
/* DR0-DR3 saved and loaded as a set (cpu.h); any vendor. */
#include "cpu.h"

void dr0_3_save(u64 dr[4])
{
	__asm__ __volatile__("mov %%dr0, %0" : "=r"(dr[0]));
	__asm__ __volatile__("mov %%dr1, %0" : "=r"(dr[1]));
	__asm__ __volatile__("mov %%dr2, %0" : "=r"(dr[2]));
	__asm__ __volatile__("mov %%dr3, %0" : "=r"(dr[3]));
}

void dr0_3_load(const u64 dr[4])
{
	__asm__ __volatile__("mov %0, %%dr0" :: "r"(dr[0]));
	__asm__ __volatile__("mov %0, %%dr1" :: "r"(dr[1]));
	__asm__ __volatile__("mov %0, %%dr2" :: "r"(dr[2]));
	__asm__ __volatile__("mov %0, %%dr3" :: "r"(dr[3]));
}
