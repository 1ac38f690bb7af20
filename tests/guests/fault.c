// SPDX-License-Identifier: GPL-2.0-only
/*
 * fault: triple faults on purpose. With a zero-limit IDT, the #UD from ud2
 * cannot be delivered (#GP), nor can that (#DF), so the CPU shuts down;
 * the VMM must crash the domain. No verdict line is ever printed. Under
 * plain QEMU with -no-reboot, QEMU exits.
 */
#include "guest.h"

DEFINE_GUEST_NAME;

void guest_main(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		unsigned long base;
	} empty = { 0, 0 };

	printf("xvmm-guest: %s: about to fault\n", guest_name);
	asm volatile("lidt %0; ud2" :: "m"(empty) : "memory");
	fail("still running after the triple fault");
}
