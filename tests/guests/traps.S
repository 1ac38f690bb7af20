/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception entry stubs for vectors 0-31. Each stub makes the stack look
 * the same (error code or a 0 in its place, then the vector number) and
 * jumps to trap_common, which hands a pointer to that frame to the C
 * trap_handler(). trap_table lists the stubs for idt_init().
 */
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
#ifdef __x86_64__
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	trap_handler
#else
	mov	%esp, %eax
	and	$-16, %esp
	push	%eax
	call	trap_handler
#endif
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
