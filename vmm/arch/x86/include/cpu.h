/* SPDX-License-Identifier: GPL-2.0-only */
/* x86 instructions, control registers and MSR numbers used by the VMM. */
#ifndef VMM_X86_CPU_H
#define VMM_X86_CPU_H

#include "types.h"

/* MSRs (AMD APM vol. 2, appendix A; Intel SDM vol. 4). */
#define MSR_IA32_SYSENTER_CS	0x00000174
#define MSR_IA32_SYSENTER_ESP	0x00000175
#define MSR_IA32_SYSENTER_EIP	0x00000176
#define MSR_IA32_DEBUGCTL	0x000001d9
#define MSR_IA32_PAT		0x00000277
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_VM_CR		0xc0010114	/* APM 15.30.1 */
#define MSR_VM_HSAVE_PA		0xc0010117	/* APM 15.30.4 */

#define EFER_SCE	BIT(0)
#define EFER_LME	BIT(8)
#define EFER_LMA	BIT(10)
#define EFER_NXE	BIT(11)
#define EFER_SVME	BIT(12)
#define EFER_LMSLE	BIT(13)
#define EFER_FFXSR	BIT(14)
#define EFER_TCE	BIT(15)

#define VM_CR_SVMDIS	BIT(4)

#define CR0_PE		BIT(0)
#define CR0_MP		BIT(1)
#define CR0_EM		BIT(2)
#define CR0_TS		BIT(3)
#define CR0_ET		BIT(4)
#define CR0_NE		BIT(5)
#define CR0_WP		BIT(16)
#define CR0_AM		BIT(18)
#define CR0_NW		BIT(29)
#define CR0_CD		BIT(30)
#define CR0_PG		BIT(31)
#define CR4_VME		BIT(0)
#define CR4_PVI		BIT(1)
#define CR4_TSD		BIT(2)
#define CR4_DE		BIT(3)
#define CR4_PSE		BIT(4)
#define CR4_PAE		BIT(5)
#define CR4_MCE		BIT(6)
#define CR4_PGE		BIT(7)
#define CR4_PCE		BIT(8)
#define CR4_OSFXSR	BIT(9)
#define CR4_OSXMMEXCPT	BIT(10)
#define CR4_UMIP	BIT(11)
#define CR4_LA57	BIT(12)
#define CR4_VMXE	BIT(13)
#define CR4_SMXE	BIT(14)
#define CR4_FSGSBASE	BIT(16)
#define CR4_PCIDE	BIT(17)
#define CR4_OSXSAVE	BIT(18)
#define CR4_SMEP	BIT(20)
#define CR4_SMAP	BIT(21)
#define CR4_PKE		BIT(22)

#define RFLAGS_IF	BIT(9)
#define RFLAGS_VM	BIT(17)
#define RFLAGS_FIXED	BIT(1)

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

#define DEFINE_CR(n)							\
static inline u64 read_cr##n(void)					\
{									\
	u64 v;								\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(u64 v)					\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

/*
 * DR0-DR3 as a set: no VMCB or VMCS field holds them, so the VMM switches
 * them itself between dom0 and a guest (debugreg.c).
 */
void dr0_3_save(u64 dr[4]);
void dr0_3_load(const u64 dr[4]);

static inline u64 read_dr7(void)
{
	u64 v;

	__asm__ __volatile__("mov %%dr7, %0" : "=r"(v));
	return v;
}

static inline u64 read_dr6(void)
{
	u64 v;

	__asm__ __volatile__("mov %%dr6, %0" : "=r"(v));
	return v;
}

static inline void write_dr7(u64 v)
{
	__asm__ __volatile__("mov %0, %%dr7" :: "r"(v));
}

static inline void write_dr6(u64 v)
{
	__asm__ __volatile__("mov %0, %%dr6" :: "r"(v));
}

static inline u64 read_rflags(void)
{
	u64 v;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(v));
	return v;
}

struct __packed desc_ptr {
	u16 limit;
	u64 base;
};

static inline void sgdt(struct desc_ptr *d)
{
	__asm__ __volatile__("sgdt %0" : "=m"(*d));
}

static inline void sidt(struct desc_ptr *d)
{
	__asm__ __volatile__("sidt %0" : "=m"(*d));
}

static inline void lgdt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lgdt %0" :: "m"(*d));
}

static inline void lidt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lidt %0" :: "m"(*d));
}

#define READ_SEG(name)							\
static inline u16 read_##name(void)					\
{									\
	u16 v;								\
	__asm__ __volatile__("mov %%" #name ", %0" : "=r"(v));		\
	return v;							\
}
READ_SEG(cs)
READ_SEG(ss)
READ_SEG(ds)
READ_SEG(es)
READ_SEG(fs)
READ_SEG(gs)
#undef READ_SEG

static inline u16 read_tr(void)
{
	u16 v;

	__asm__ __volatile__("str %0" : "=r"(v));
	return v;
}

static inline u16 read_ldtr(void)
{
	u16 v;

	__asm__ __volatile__("sldt %0" : "=r"(v));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause");
}

static inline void cli(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void flush_tlb_all_local(void)
{
	write_cr3(read_cr3());
}

static inline void __noreturn cpu_park(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

#endif
