// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioloop: what Linux's quick PIT calibration does to a VMM — 300,000 reads
 * of an unbacked port (0x42) back to back, every one an exit, with host
 * interrupts interleaved — then checks every read gave all ones and that
 * it is still alive. A reproducer for the rare guest-boot fault
 * (docs/linux-guest.md).
 */
#include "guest.h"

DEFINE_GUEST_NAME;

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void guest_main(void)
{
	unsigned int bad = 0;

	need_xen();
	for (unsigned int i = 0; i < 300000; i++)
		if (inb(0x42) != 0xff)
			bad++;
	if (bad)
		fail("%u reads of port 0x42 were not 0xff", bad);
}
