// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmmcall_user: issue an xvmm control call (VERSION) from ring 3. The VMM
 * must refuse it with #UD: exit 0 on SIGILL, 1 if the call returned.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xvmm/control.h>

static void on_sigill(int sig)
{
	(void)sig;
	static const char msg[] = "vmmcall_user: SIGILL (refused, as it must be)\n";
	write(1, msg, sizeof(msg) - 1);
	_exit(0);
}

int main(void)
{
	unsigned long rax = XVMM_HC(XVMM_OP_UNLOAD);

	signal(SIGILL, on_sigill);
	__asm__ __volatile__("vmmcall" : "+a"(rax) :: "memory");
	printf("vmmcall_user: control call from ring 3 returned %#lx\n", rax);
	return 1;
}
