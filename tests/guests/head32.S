/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH entry of the xvmm test guests.
 *
 * The VMM (or QEMU's -kernel PVH loader) enters _start in 32-bit protected
 * mode with paging off and EBX holding the guest-physical address of the
 * hvm_start_info. We load a GDT of our own, clear .bss, set up a stack and,
 * in the 64-bit build, identity-map the first 4 GiB with 2 MiB pages and
 * switch to long mode. Then rt_start(start_info) takes over in C.
 */
#include <xen/elfnote.h>
#include "segments.h"

/* The PVH entry note: name "Xen", type PHYS32_ENTRY, a 4-byte address. */
	.section .note.Xen, "a", @note
	.p2align 2
	.long	2f - 1f
	.long	4f - 3f
	.long	XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz	XEN_ELFNOTE_NAME
2:	.p2align 2
3:	.long	_start
4:	.p2align 2

/* The hypercall page: filled by the VMM when we write its MSR. Until then
 * it holds int3, so a call into an unfilled page shows up as #BP. */
	.section .text.hypercall_page, "ax", @progbits
	.p2align 12
	.globl	hypercall_page
hypercall_page:
	.fill	4096, 1, 0xcc

	.section .text.head, "ax", @progbits
	.code32
	.globl	_start
_start:
	cli
	cld
	mov	%ebx, %esi			/* start_info, kept in ESI */

	lgdt	gdt_desc
	ljmp	$SEL_CS32, $1f
1:	mov	$SEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	/* Clear .bss (stack and page tables live there). */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	mov	$stack_top, %esp
	pushl	$0
	popf					/* IF, DF, TF, AC clear */

#ifdef __x86_64__
	/* 4 PDs: 2048 x 2 MiB identity pages (present, writable, PS): 4 GiB,
	 * so the ACPI tables and special pages just below 4 GiB are reachable. */
	mov	$pd, %edi
	mov	$0x83, %eax
	mov	$2048, %ecx
2:	mov	%eax, (%edi)
	movl	$0, 4(%edi)
	add	$0x200000, %eax
	add	$8, %edi
	loop	2b
	movl	$pd + 3, pdpt			/* PDPT[0..3] -> PDs, present + writable */
	movl	$pd + 0x1000 + 3, pdpt + 8
	movl	$pd + 0x2000 + 3, pdpt + 16
	movl	$pd + 0x3000 + 3, pdpt + 24
	movl	$pdpt + 3, pml4			/* PML4[0] -> PDPT */

	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$0x20, %eax			/* CR4.PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx		/* EFER */
	rdmsr
	or	$0x100, %eax			/* EFER.LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax		/* CR0.PG | CR0.PE */
	mov	%eax, %cr0
	ljmp	$SEL_CS64, $start64

	.code64
start64:
	mov	$stack_top, %esp		/* zero-extends into RSP */
	mov	%esi, %edi			/* rt_start(start_info) */
	call	rt_start
#else
	push	%esi				/* rt_start(start_info) */
	call	rt_start
#endif
3:	cli
	hlt
	jmp	3b

	.data
	.p2align 3
gdt:
	.quad	0				/* null */
	.quad	0x00cf9a000000ffff		/* SEL_CS32: flat 32-bit code */
	.quad	0x00af9a000000ffff		/* SEL_CS64: 64-bit code */
	.quad	0x00cf92000000ffff		/* SEL_DS:   flat data */
gdt_end:
	.p2align 3
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt, 0				/* 8-byte base: also right for a 64-bit lgdt */

	.bss
	.p2align 12
#ifdef __x86_64__
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
#endif
	.globl	stack_top
stack:	.skip	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
