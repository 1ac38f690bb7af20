/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The launch entry: called by the dom0 driver on each CPU, with interrupts
 * off, as  int launch(unsigned int cpu).  It keeps the caller's callee-saved
 * registers and return address in a struct launch_frame on the OS stack,
 * moves to this CPU's VMM stack and calls xvmm_cpu_launch(cpu, frame,
 * os_rsp). On success that never returns: the backend resumes the OS as
 * dom0 right after the call, with RAX = 0 and the registers of the frame.
 * On failure it returns an errno and we go back the way we came.
 */
	.text
	.globl	xvmm_launch_entry
	.type	xvmm_launch_entry, @function
xvmm_launch_entry:
	endbr64
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %r12		/* struct launch_frame * (OS stack) */
	mov	%edi, %r13d		/* cpu */

	call	xvmm_cpu_stack		/* still on the OS stack: rax = stack top or 0 */
	test	%rax, %rax
	jz	1f

	mov	%rax, %rsp
	push	%r12			/* OS stack, for the way back */
	sub	$8, %rsp
	mov	%r13d, %edi
	mov	%r12, %rsi
	lea	56(%r12), %rdx		/* OS rsp after our ret */
	call	xvmm_cpu_launch		/* returns only on failure */
	add	$8, %rsp
	pop	%rsp
	jmp	2f
1:
	mov	$-22, %rax		/* -EINVAL: no such CPU, or init() not done */
2:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	xvmm_launch_entry, . - xvmm_launch_entry

	.globl	xvmm_init_entry
	.type	xvmm_init_entry, @function
xvmm_init_entry:
	endbr64
	jmp	xvmm_init
	.size	xvmm_init_entry, . - xvmm_init_entry

	.section .note.GNU-stack, "", @progbits
