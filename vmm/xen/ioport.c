// SPDX-License-Identifier: GPL-2.0-only
/*
 * Port I/O that nothing backs.
 *
 * What an x86 machine with nothing on the bus does: reads return all ones
 * for the access size, writes vanish. One exception, the debug console on
 * port 0xE9 (Bochs/QEMU "debugcon", which Xen also offers HVM guests): as
 * on Xen, bytes written there go to the hypervisor's log (`xvmm dmesg`) a
 * line at a time with a "(dN)" prefix, not to the guest's console, which
 * stays what the guest wrote with console_io.
 */
#include "xen_internal.h"

#define XEN_DEBUGCON_PORT	0xe9

void xen_ioport(struct vcpu *v, u16 port, bool in, unsigned int size, u32 *val)
{
	if (size != 1 && size != 2 && size != 4)
		size = 4;

	if (in) {
		*val = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
		return;
	}

	/* A wide access covers port .. port + size - 1; 0xE9 takes its own byte. */
	for (unsigned int i = 0; i < size; i++) {
		if ((u32)port + i == XEN_DEBUGCON_PORT) {
			domain_debugcon_putc(v->domain, (char)(*val >> (i * 8)));
		}
	}
}
