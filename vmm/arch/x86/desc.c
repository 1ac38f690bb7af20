// SPDX-License-Identifier: GPL-2.0-only
/*
 * Descriptor tables for the VMM's host side. Every exception vector has a
 * handler (exceptions.S) so a VMM bug ends in a register dump, never a
 * silent triple fault. #DF, NMI and #MC use IST1, a stack of their own
 * (AMD APM vol. 2, 8.9.4 "Interrupt-Stack Table").
 */
#include "cpu.h"
#include "desc.h"
#include "lib.h"
#include "vmm.h"

struct __packed idt_gate {
	u16 off0;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off1;
	u32 off2;
	u32 reserved;
};

static struct idt_gate idt[32] __aligned(16);
extern const u64 exception_stubs[32];

int idt_init(void)
{
	for (int v = 0; v < 32; v++) {
		u64 h = exception_stubs[v];
		struct idt_gate *g = &idt[v];

		g->off0 = (u16)h;
		g->sel = VMM_CS;
		g->ist = (v == 2 || v == 8 || v == 18) ? 1 : 0;
		g->type = 0x8e;		/* present, DPL 0, 64-bit interrupt gate */
		g->off1 = (u16)(h >> 16);
		g->off2 = (u32)(h >> 32);
		g->reserved = 0;
	}
	return 0;
}

static u64 tss_desc_low(u64 base, u32 limit)
{
	return (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
	       (0x89ull << 40) |		/* present, 64-bit available TSS */
	       ((u64)((limit >> 16) & 0xf) << 48) |
	       (((base >> 24) & 0xffull) << 56);
}

void cpu_desc_load(struct vmm_cpu *c, struct cpu_desc *d)
{
	struct desc_ptr gdtr, idtr;
	u64 tss = (u64)(uintptr_t)&d->tss;

	d->gdt[0] = 0;
	d->gdt[1] = 0x00af9b000000ffffull;	/* code: L, P, DPL0, accessed */
	d->gdt[2] = 0x00cf93000000ffffull;	/* data: P, writable, accessed */
	d->gdt[3] = tss_desc_low(tss, sizeof(d->tss) - 1);
	d->gdt[4] = tss >> 32;
	memset(&d->tss, 0, sizeof(d->tss));
	d->tss.ist[0] = c->df_stack_top;
	d->tss.iomap_base = sizeof(d->tss);

	gdtr.limit = sizeof(d->gdt) - 1;
	gdtr.base = (u64)(uintptr_t)d->gdt;
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u64)(uintptr_t)idt;
	lgdt(&gdtr);
	lidt(&idtr);
	__asm__ __volatile__(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ss\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		"ltr %w[tr]"
		:: [cs] "i"(VMM_CS), [ds] "i"(VMM_DS), [tr] "r"((u16)VMM_TSS)
		: "rax", "memory");
}
