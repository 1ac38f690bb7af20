// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runtime core: C entry, IDT, exception reports, verdicts, string helpers.
 */
#include "guest.h"
#include "segments.h"

struct hvm_start_info *start_info;

/* ---- IDT ---------------------------------------------------------------- */

#ifdef __x86_64__
struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};
#else
struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
};
#endif

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	unsigned long base;
};

/* The frame traps.S builds: vector, error code, then what the CPU pushed. */
struct trap_frame {
	unsigned long vector, error, ip, cs, flags;
};

extern const unsigned long trap_table[32];
/* All 256 vectors; 32 and up stay not-present (#NP, a FAIL) until idt_set_gate(). */
static struct idt_gate idt[256];

void idt_set_gate(unsigned int vector, void (*entry)(void))
{
	unsigned long a = (unsigned long)entry;

	idt[vector & 255].off_lo = (uint16_t)a;
	idt[vector & 255].sel = SEL_CS;
	idt[vector & 255].type = 0x8e;		/* present, DPL 0, interrupt gate */
#ifdef __x86_64__
	idt[vector & 255].off_mid = (uint16_t)(a >> 16);
	idt[vector & 255].off_hi = (uint32_t)(a >> 32);
#else
	idt[vector & 255].off_hi = (uint16_t)(a >> 16);
#endif
}

static void idt_init(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (unsigned long)idt };

	for (unsigned int v = 0; v < ARRAY_SIZE(trap_table); v++)
		idt_set_gate(v, (void (*)(void))trap_table[v]);
	asm volatile("lidt %0" :: "m"(p));
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "RSV", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "RSV", "RSV", "RSV", "RSV", "RSV", "RSV", "#HV", "#VC",
	"#SX", "RSV",
};

volatile struct fault_info last_fault = { .vector = NO_FAULT };
volatile unsigned long fault_fixup;

/* Returns only when a recovery point was armed: traps.S then IRETs to f->ip. */
void trap_handler(struct trap_frame *f);
void trap_handler(struct trap_frame *f)
{
	unsigned long cr2 = 0, fixup = fault_fixup;

	if (f->vector == 14)
		asm volatile("mov %%cr2, %0" : "=r"(cr2));
	if (fixup) {
		fault_fixup = 0;		/* a fault in the fixup path is a FAIL */
		last_fault.vector = (int)(f->vector & 31);
		last_fault.error = f->error;
		last_fault.ip = f->ip;
		last_fault.cr2 = cr2;
		last_fault.count++;
		f->ip = fixup;
		return;
	}
	fail("exception %lu %s at ip %lx, error %lx, cr2 %lx",
	     f->vector, exc_names[f->vector & 31], f->ip, f->error, cr2);
}

/* ---- operations that may fault (guest.h) ---------------------------------- */

int try_rdmsr(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	int v = try_asm("rdmsr", : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");

	*val = ((uint64_t)hi << 32) | lo;
	return v;
}

int try_wrmsr(uint32_t msr, uint64_t val)
{
	return try_asm("wrmsr", :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		       : "memory");
}

int try_write_cr0(unsigned long val)
{
	return try_asm("mov %0, %%cr0", :: "r"(val) : "memory");
}

int try_write_cr3(unsigned long val)
{
	return try_asm("mov %0, %%cr3", :: "r"(val) : "memory");
}

int try_write_cr4(unsigned long val)
{
	return try_asm("mov %0, %%cr4", :: "r"(val) : "memory");
}

int try_lmsw(uint16_t val)
{
	return try_asm("lmsw %w0", :: "r"(val) : "memory");
}

int try_clts(void)
{
	return try_asm("clts", ::: "memory");
}

int try_xsetbv(uint32_t xcr, uint64_t val)
{
	return try_asm("xsetbv", :: "c"(xcr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		       : "memory");
}

int try_xgetbv(uint32_t xcr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	int v = try_asm("xgetbv", : "+a"(lo), "+d"(hi) : "c"(xcr) : "memory");

	*val = ((uint64_t)hi << 32) | lo;
	return v;
}

int try_ldmxcsr(uint32_t val)
{
	return try_asm("ldmxcsr %0", :: "m"(val) : "memory");
}

int try_fldcw(uint16_t val)
{
	return try_asm("fldcw %0", :: "m"(val) : "memory");
}

int try_fxsave(void *area)
{
	return try_asm("fxsave (%0)", :: "r"(area) : "memory");
}

int try_fxrstor(const void *area)
{
	return try_asm("fxrstor (%0)", :: "r"(area) : "memory");
}

int try_xrstor(const void *area, uint64_t mask)
{
	return try_asm("xrstor (%0)", :: "r"(area), "a"((uint32_t)mask),
		       "d"((uint32_t)(mask >> 32)) : "memory");
}

int try_write_dr(unsigned int n, unsigned long val)
{
	switch (n & 7) {
	case 0: return try_asm("mov %0, %%dr0", :: "r"(val) : "memory");
	case 1: return try_asm("mov %0, %%dr1", :: "r"(val) : "memory");
	case 2: return try_asm("mov %0, %%dr2", :: "r"(val) : "memory");
	case 3: return try_asm("mov %0, %%dr3", :: "r"(val) : "memory");
	case 4: return try_asm("mov %0, %%dr4", :: "r"(val) : "memory");
	case 5: return try_asm("mov %0, %%dr5", :: "r"(val) : "memory");
	case 6: return try_asm("mov %0, %%dr6", :: "r"(val) : "memory");
	default: return try_asm("mov %0, %%dr7", :: "r"(val) : "memory");
	}
}

int try_read_dr(unsigned int n, unsigned long *val)
{
	unsigned long v = 0;
	int r;

	switch (n & 7) {
	case 0: r = try_asm("mov %%dr0, %0", : "+r"(v) :: "memory"); break;
	case 1: r = try_asm("mov %%dr1, %0", : "+r"(v) :: "memory"); break;
	case 2: r = try_asm("mov %%dr2, %0", : "+r"(v) :: "memory"); break;
	case 3: r = try_asm("mov %%dr3, %0", : "+r"(v) :: "memory"); break;
	case 4: r = try_asm("mov %%dr4, %0", : "+r"(v) :: "memory"); break;
	case 5: r = try_asm("mov %%dr5, %0", : "+r"(v) :: "memory"); break;
	case 6: r = try_asm("mov %%dr6, %0", : "+r"(v) :: "memory"); break;
	default: r = try_asm("mov %%dr7, %0", : "+r"(v) :: "memory"); break;
	}
	*val = v;
	return r;
}

int try_load_seg(enum seg_reg seg, uint16_t sel)
{
	unsigned long old = 0;

	switch (seg) {
	case SEG_ES:
		asm volatile("mov %%es, %k0" : "=r"(old));
		return try_asm("mov %w0, %%es\n\tmov %w1, %%es", :: "r"(sel), "r"(old) : "memory");
	case SEG_SS:
		asm volatile("mov %%ss, %k0" : "=r"(old));
		return try_asm("mov %w0, %%ss\n\tmov %w1, %%ss", :: "r"(sel), "r"(old) : "memory");
	case SEG_DS:
		asm volatile("mov %%ds, %k0" : "=r"(old));
		return try_asm("mov %w0, %%ds\n\tmov %w1, %%ds", :: "r"(sel), "r"(old) : "memory");
	case SEG_FS:
		asm volatile("mov %%fs, %k0" : "=r"(old));
		return try_asm("mov %w0, %%fs\n\tmov %w1, %%fs", :: "r"(sel), "r"(old) : "memory");
	case SEG_GS:
		asm volatile("mov %%gs, %k0" : "=r"(old));
		return try_asm("mov %w0, %%gs\n\tmov %w1, %%gs", :: "r"(sel), "r"(old) : "memory");
	case SEG_LDTR:
		asm volatile("sldt %k0" : "=r"(old));
		return try_asm("lldt %w0\n\tlldt %w1", :: "r"(sel), "r"(old) : "memory");
	default:
		/* No TSS in our GDT: only a fault can come of it, nothing to put back. */
		return try_asm("ltr %w0", :: "r"(sel) : "memory");
	}
}

int try_in(uint16_t port, unsigned int size, uint32_t *val)
{
	uint32_t v = 0;
	int r;

	if (size == 1)
		r = try_asm("inb %w1, %b0", : "+a"(v) : "Nd"(port) : "memory");
	else if (size == 2)
		r = try_asm("inw %w1, %w0", : "+a"(v) : "Nd"(port) : "memory");
	else
		r = try_asm("inl %w1, %0", : "+a"(v) : "Nd"(port) : "memory");
	*val = v;
	return r;
}

int try_out(uint16_t port, unsigned int size, uint32_t val)
{
	if (size == 1)
		return try_asm("outb %b0, %w1", :: "a"(val), "Nd"(port) : "memory");
	if (size == 2)
		return try_asm("outw %w0, %w1", :: "a"(val), "Nd"(port) : "memory");
	return try_asm("outl %0, %w1", :: "a"(val), "Nd"(port) : "memory");
}

#ifdef __x86_64__
/*
 * The physical window: PML4 slot 1 (512 GiB up) -> one PDPT -> one PD ->
 * one page table whose first two entries map the page of @pa and the next
 * (an 8-byte access may cross). Bits the address has above what the CPU
 * implements end up reserved bits of the entry: #PF, as they should.
 */
#define PHYS_WINDOW_VA	0x8000000000ull
#define PTE_ADDR	0x000ffffffffff000ull
static uint64_t win_pdpt[512] __attribute__((aligned(4096)));
static uint64_t win_pd[512] __attribute__((aligned(4096)));
static uint64_t win_pt[512] __attribute__((aligned(4096)));

static uintptr_t phys_window(uint64_t pa)
{
	uint64_t *pml4 = phys_to_ptr(read_cr3() & PTE_ADDR);

	if (pml4[1] != ((uintptr_t)win_pdpt | 3)) {
		win_pdpt[0] = (uintptr_t)win_pd | 3;
		win_pd[0] = (uintptr_t)win_pt | 3;
		pml4[1] = (uintptr_t)win_pdpt | 3;
	}
	win_pt[0] = (pa & PTE_ADDR) | 3;
	win_pt[1] = ((pa + PAGE_SIZE) & PTE_ADDR) | 3;
	asm volatile("invlpg (%0); invlpg (%1)" :: "r"(PHYS_WINDOW_VA),
		     "r"(PHYS_WINDOW_VA + PAGE_SIZE) : "memory");
	return (uintptr_t)(PHYS_WINDOW_VA + (pa & (PAGE_SIZE - 1)));
}
#endif

int try_read_phys(uint64_t pa, unsigned int size, uint64_t *val)
{
	unsigned long v = 0;
	uintptr_t p;
	int r;

#ifdef __x86_64__
	p = phys_window(pa);
	if (size == 8) {
		r = try_asm("movq (%1), %0", : "+r"(v) : "r"(p) : "memory");
		*val = v;
		return r;
	}
#else
	if (pa >= MAPPED_LIMIT || size > MAPPED_LIMIT - pa)
		return FAULT_UNREACHABLE;
	p = (uintptr_t)pa;
	if (size == 8) {
		unsigned long hi = 0;

		r = try_asm("movl (%2), %0\n\tmovl 4(%2), %1", : "+r"(v), "+r"(hi) : "r"(p)
			    : "memory");
		*val = ((uint64_t)hi << 32) | v;
		return r;
	}
#endif
	if (size == 1)
		r = try_asm("movb (%1), %b0", : "+q"(v) : "r"(p) : "memory");
	else if (size == 2)
		r = try_asm("movw (%1), %w0", : "+r"(v) : "r"(p) : "memory");
	else
		r = try_asm("movl (%1), %k0", : "+r"(v) : "r"(p) : "memory");
	*val = v;
	return r;
}

int try_write_phys(uint64_t pa, unsigned int size, uint64_t val)
{
	unsigned long v = (unsigned long)val;
	uintptr_t p;

#ifdef __x86_64__
	p = phys_window(pa);
	if (size == 8)
		return try_asm("movq %0, (%1)", :: "r"(v), "r"(p) : "memory");
#else
	if (pa >= MAPPED_LIMIT || size > MAPPED_LIMIT - pa)
		return FAULT_UNREACHABLE;
	p = (uintptr_t)pa;
	if (size == 8)
		return try_asm("movl %0, (%2)\n\tmovl %1, 4(%2)", :: "r"(v),
			       "r"((unsigned long)(val >> 32)), "r"(p) : "memory");
#endif
	if (size == 1)
		return try_asm("movb %b0, (%1)", :: "q"(v), "r"(p) : "memory");
	if (size == 2)
		return try_asm("movw %w0, (%1)", :: "r"(v), "r"(p) : "memory");
	return try_asm("movl %k0, (%1)", :: "r"(v), "r"(p) : "memory");
}

/* ---- entry and verdicts --------------------------------------------------- */

noreturn void rt_start(unsigned long start_info_pa);
noreturn void rt_start(unsigned long start_info_pa)
{
	start_info = phys_to_ptr(start_info_pa);
	idt_init();
	/* Only port 0xE9 so far: this works before any CPUID or hypercall. */
	printf("xvmm-guest: %s: start (%d-bit), start_info %lx\n",
	       guest_name, GUEST_BITS, start_info_pa);
#ifdef __x86_64__
	if (!(rdmsr(0xc0000080) & (1u << 10)))		/* EFER.LMA */
		fail("64-bit build not in long mode");
#endif
	xen_init();
	guest_main();
	pass();
}

noreturn void halt(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

noreturn void shutdown(unsigned int reason)
{
	uint32_t arg = reason;			/* struct sched_shutdown */

	if (xen_base)
		HYPERCALL2(HC_sched_op, SCHEDOP_shutdown, &arg);
	halt();					/* no Xen, or shutdown failed */
}

noreturn void pass(void)
{
	printf("xvmm-guest: %s: PASS\n", guest_name);
	shutdown(SHUTDOWN_poweroff);
}

noreturn void fail(const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("xvmm-guest: %s: FAIL %s\n", guest_name, why);
	shutdown(SHUTDOWN_crash);
}

noreturn void skip_no_xen(void)
{
	printf("xvmm-guest: %s: SKIP (no Xen)\n", guest_name);
	halt();
}

void need_xen(void)
{
	if (!xen_base)
		skip_no_xen();
}

/* ---- string helpers ---------------------------------------------------- */

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

size_t strlen(const char *s)
{
	return strnlen(s, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}
