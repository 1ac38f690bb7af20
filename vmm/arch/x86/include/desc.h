/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMM's GDT, TSS and IDT (one GDT and TSS per CPU, one shared IDT). */
#ifndef VMM_X86_DESC_H
#define VMM_X86_DESC_H

#include "percpu.h"

#define VMM_CS		0x08
#define VMM_DS		0x10
#define VMM_TSS		0x18

struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

struct cpu_desc {
	u64 gdt[5];		/* null, code64, data, TSS (two slots) */
	struct tss64 tss;
};

int idt_init(void);
/* Load this CPU's GDT, TSS and the IDT; segment registers reloaded. */
void cpu_desc_load(struct vmm_cpu *c, struct cpu_desc *d);

/* The register frame the exception stubs build (exceptions.S). */
struct exception_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

#endif
