// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the smallest check — a line through console_io, then PASS.
 * With "block" on its command line it says so and then blocks for good
 * (SCHEDOP_block, no event bound) instead: a guest that exists and costs
 * no CPU, for tests that keep many at once (t-many).
 */
#include "cmdline.h"
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
	if (cmdline_has("block")) {
		printf("xvmm-guest: %s: blocking\n", guest_name);
		for (;;)
			HYPERCALL2(HC_sched_op, SCHEDOP_block, 0);
	}
}
