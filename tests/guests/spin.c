// SPDX-License-Identifier: GPL-2.0-only
/*
 * spin: announces itself, then loops forever without a hypercall or an
 * exit of its own; the test checks the VMM keeps dom0 alive and can destroy
 * it. Runs under plain QEMU too (it needs no Xen).
 */
#include "guest.h"

DEFINE_GUEST_NAME;

void guest_main(void)
{
	printf("xvmm-guest: %s: spinning\n", guest_name);
	for (;;)
		asm volatile("" ::: "memory");
}
