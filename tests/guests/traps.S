/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception entry stubs for vectors 0-31. Each stub makes the stack look
 * the same (error code or a 0 in its place, then the vector number) and
 * jumps to trap_common, which saves the caller-saved registers (32-bit:
 * all of them, and DS/ES, reloaded flat: the fault may be a bad DS) and
 * hands a pointer to that frame to the C trap_handler(). That either
 * fails the guest or, with a recovery point armed (guest.h, try_asm),
 * points the frame's IP at the fixup and returns: the registers come back
 * and IRET resumes there. trap_table lists the stubs for idt_init().
 */
#include "segments.h"
#ifdef __x86_64__
#define PTR	.quad
#else
#define PTR	.long
#endif

	.section .rodata
	.p2align 3
	.globl	trap_table
trap_table:

	.text
.macro	trap_stub vec
	.pushsection .rodata
	PTR	trap_\vec
	.popsection
trap_\vec:
	/* The CPU pushes an error code for these vectors only. */
	.if !((\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || \
	      (\vec == 21) || (\vec == 29) || (\vec == 30))
	push	$0
	.endif
	push	$\vec
	jmp	trap_common
.endm

	.altmacro
	.set	v, 0
	.rept	32
	trap_stub %v
	.set	v, v + 1
	.endr

trap_common:
	cld
#ifdef __x86_64__
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbx
	lea	80(%rsp), %rdi			/* &vector: struct trap_frame */
	mov	%rsp, %rbx
	and	$-16, %rsp
	call	trap_handler
	mov	%rbx, %rsp
	pop	%rbx
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp			/* vector, error code */
	iretq
#else
	pusha
	push	%ds
	push	%es
	mov	$SEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	lea	40(%esp), %eax			/* &vector: struct trap_frame */
	mov	%esp, %ebx
	and	$-16, %esp
	sub	$12, %esp
	push	%eax
	call	trap_handler
	mov	%ebx, %esp
	pop	%es
	pop	%ds
	popa
	add	$8, %esp			/* vector, error code */
	iret
#endif

	.section .note.GNU-stack, "", @progbits
