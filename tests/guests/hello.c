// SPDX-License-Identifier: GPL-2.0-only
/* hello: the smallest check — a line through console_io, then PASS. */
#include "guest.h"

DEFINE_GUEST_NAME;

void guest_main(void)
{
	const char msg[] = "Hello from xvmm guest\n";
	long rc;

	need_xen();
	rc = HYPERCALL3(HC_console_io, CONSOLEIO_write, sizeof(msg) - 1, msg);
	debugcon_write(msg, sizeof(msg) - 1);
	if (rc != 0)
		fail("console_io write returned %ld", rc);
}
