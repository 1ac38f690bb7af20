/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The world switch (AMD APM vol. 2, 15.5 "VMRUN"; 15.5.2 on what VMRUN
 * saves). VMRUN switches RAX, RSP, RIP, RFLAGS, segments and control
 * registers; the other general registers are ours to switch, and
 * VMLOAD/VMSAVE move FS, GS, TR, LDTR, KernelGSBase and the syscall MSRs.
 *
 *   void svm_world_switch(struct svm_world *w, u64 host_vmcb_pa)
 *
 * Runs with GIF = 0 (the host never sets it), so host interrupts and NMIs
 * stay pending until the guest world runs.
 */
#include "svm_asm.h"

	.text
	.globl	svm_world_switch
	.type	svm_world_switch, @function
svm_world_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rsi			/* host VMCB PA */
	push	%rdi			/* world */

	mov	WORLD_VMCB_PA(%rdi), %rax
	mov	GR_RBX(%rdi), %rbx
	mov	GR_RCX(%rdi), %rcx
	mov	GR_RDX(%rdi), %rdx
	mov	GR_RSI(%rdi), %rsi
	mov	GR_RBP(%rdi), %rbp
	mov	GR_R8(%rdi), %r8
	mov	GR_R9(%rdi), %r9
	mov	GR_R10(%rdi), %r10
	mov	GR_R11(%rdi), %r11
	mov	GR_R12(%rdi), %r12
	mov	GR_R13(%rdi), %r13
	mov	GR_R14(%rdi), %r14
	mov	GR_R15(%rdi), %r15
	mov	GR_RDI(%rdi), %rdi

	vmload	%rax
	vmrun	%rax
	.globl	svm_vmrun_resume
svm_vmrun_resume:			/* where #VMEXIT resumes the host */
	vmsave	%rax

	push	%rdi
	mov	8(%rsp), %rdi		/* world */
	mov	%rbx, GR_RBX(%rdi)
	mov	%rcx, GR_RCX(%rdi)
	mov	%rdx, GR_RDX(%rdi)
	mov	%rsi, GR_RSI(%rdi)
	mov	%rbp, GR_RBP(%rdi)
	mov	%r8, GR_R8(%rdi)
	mov	%r9, GR_R9(%rdi)
	mov	%r10, GR_R10(%rdi)
	mov	%r11, GR_R11(%rdi)
	mov	%r12, GR_R12(%rdi)
	mov	%r13, GR_R13(%rdi)
	mov	%r14, GR_R14(%rdi)
	mov	%r15, GR_R15(%rdi)
	pop	%rax
	mov	%rax, GR_RDI(%rdi)

	pop	%rdi
	pop	%rax			/* host VMCB PA */
	vmload	%rax

	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	svm_world_switch, . - svm_world_switch

/*
 * void svm_return_to_os(const struct guest_regs *regs, u64 rax, u64 rip,
 *                       u64 rflags, u64 rsp)
 * The last step of leaving SVM: the OS's segments, tables and control
 * registers are back (svm_leave); restore its general registers and IRETQ
 * to where it called us, on its own stack. CS and SS are the ones already
 * loaded by svm_leave.
 */
	.globl	svm_return_to_os
	.type	svm_return_to_os, @function
svm_return_to_os:
	xor	%eax, %eax
	mov	%ss, %ax
	push	%rax			/* SS */
	push	%r8			/* RSP */
	push	%rcx			/* RFLAGS */
	mov	%cs, %ax
	push	%rax			/* CS */
	push	%rdx			/* RIP */
	mov	%rsi, %rax		/* return value */
	mov	GR_RBX(%rdi), %rbx
	mov	GR_RCX(%rdi), %rcx
	mov	GR_RDX(%rdi), %rdx
	mov	GR_RSI(%rdi), %rsi
	mov	GR_RBP(%rdi), %rbp
	mov	GR_R8(%rdi), %r8
	mov	GR_R9(%rdi), %r9
	mov	GR_R10(%rdi), %r10
	mov	GR_R11(%rdi), %r11
	mov	GR_R12(%rdi), %r12
	mov	GR_R13(%rdi), %r13
	mov	GR_R14(%rdi), %r14
	mov	GR_R15(%rdi), %r15
	mov	GR_RDI(%rdi), %rdi
	iretq
	.size	svm_return_to_os, . - svm_return_to_os

	.section .note.GNU-stack, "", @progbits
