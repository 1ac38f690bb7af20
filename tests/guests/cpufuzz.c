// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpufuzz: loads random and edge-case values into every piece of CPU state
 * a guest can reach, takes whatever fault it gets, puts its own state back
 * and goes on. The VMM must never print FATAL, fail a VMRUN or park a CPU;
 * at worst this guest is crashed with a log line (tests/system/t-cpufuzz.sh
 * checks both sides).
 *
 * Command line: seed=N (xorshift64 seed, default 1), iters=N (default 2000).
 * Each iteration runs one action with a random argument under its own
 * exception handlers (vectors 0-31 resume after the action, counting the
 * vector), then restores CR0/CR3/CR4/EFER, DR7, the segment registers and
 * the x87/SSE state:
 *   CR0, CR3, CR4 writes (reserved and feature bits; paging and, in long
 *   mode, PAE and LME are kept so the guest survives), EFER writes, XSETBV,
 *   LDMXCSR, FLDCW, FXRSTOR and XRSTOR of crafted images, DR0-DR7 (DR4/5
 *   too), DS/ES/FS/GS/SS loads of random selectors, RDMSR/WRMSR over the
 *   architectural, Xen and AMD ranges, IN/OUT of every width on random
 *   ports (and string forms), reads of random guest-physical addresses and
 *   writes outside its RAM, INVLPG, WBINVD, CPUID, RDTSC(P), RDPMC, and the
 *   SVM instructions (#UD).
 * Left out because they would end or stall this guest rather than test the
 * VMM: HLT with interrupts off, LGDT/LIDT/LTR, turning paging off, writes
 * to its own RAM, the APIC's ICR (an INIT to itself), the ACPI sleep
 * registers (poweroff) and the hypercall MSR pointed at its own memory.
 * Prints counts per action and per vector, then PASS.
 */
#include "cmdline.h"
#include "guest.h"
#include "segments.h"

DEFINE_GUEST_NAME;

#define DEFAULT_ITERS	2000u

/* ---- recovery: a fault in an action resumes after try_call ------------- */

volatile unsigned long rec_sp, last_vec;
long try_call(void (*fn)(unsigned long), unsigned long arg);

#ifdef __x86_64__
asm(".text\n"
    ".globl try_call\n"
    "try_call:\n"
    "	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "	sub $8, %rsp\n"
    "	mov %rsp, rec_sp(%rip)\n"
    "	movq $-1, last_vec(%rip)\n"
    "	mov %rdi, %rax\n"
    "	mov %rsi, %rdi\n"
    "	call *%rax\n"
    "try_resume:\n"
    "	mov rec_sp(%rip), %rsp\n"
    "	movq $0, rec_sp(%rip)\n"
    "	add $8, %rsp\n"
    "	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "	mov last_vec(%rip), %rax\n"
    "	ret\n"
    "fault_common:\n"
    "	cmpq $0, rec_sp(%rip)\n"
    "	jne try_resume\n"
    "	and $-16, %rsp\n"
    "	call outside_fault\n");
#define FAULT_STUB(v)							\
	asm(".text\n fault_" #v ":\n"					\
	    "	movq $" #v ", last_vec(%rip)\n"				\
	    "	jmp fault_common\n")
#else
asm(".text\n"
    ".globl try_call\n"
    "try_call:\n"
    "	push %ebx; push %ebp; push %esi; push %edi\n"
    "	mov 20(%esp), %eax\n"
    "	mov 24(%esp), %ecx\n"
    "	sub $12, %esp\n"
    "	push %ecx\n"
    "	mov %esp, rec_sp\n"
    "	movl $-1, last_vec\n"
    "	call *%eax\n"
    "try_resume:\n"
    "	mov rec_sp, %esp\n"
    "	movl $0, rec_sp\n"
    "	add $16, %esp\n"
    "	pop %edi; pop %esi; pop %ebp; pop %ebx\n"
    "	mov last_vec, %eax\n"
    "	ret\n"
    "fault_common:\n"
    "	cmpl $0, rec_sp\n"
    "	jne try_resume\n"
    "	and $-16, %esp\n"
    "	call outside_fault\n");
#define FAULT_STUB(v)							\
	asm(".text\n fault_" #v ":\n"					\
	    "	movl $" #v ", last_vec\n"				\
	    "	jmp fault_common\n")
#endif

/* A fault outside an action is this guest's own bug: say so and stop. */
void __attribute__((used, __noreturn__)) outside_fault(void);
void outside_fault(void)
{
	fail("exception %lu outside an action", last_vec);
}

/* The stack is thrown away at try_resume: the error code needs no care. */
#define STUBS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
	X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) \
	X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)
#define DECL(v) void fault_##v(void);
#define DEF(v) FAULT_STUB(v);
#define ADDR(v) fault_##v,
STUBS(DECL)
STUBS(DEF)
static void (*const fault_stubs[32])(void) = { STUBS(ADDR) };

/* ---- randomness ----------------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value with a bias towards edges: 0, ~0, one bit, few bits, random. */
static uint64_t edgy(uint64_t r)
{
	switch (r & 7) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return 1ull << ((r >> 3) & 63);
	case 3: return (r >> 8) & 0xffff;
	case 4: return ~(1ull << ((r >> 3) & 63));
	default: return rnd();
	}
}

/* ---- the guest's own state, put back after every action ------------------ */

static unsigned long saved_cr0, saved_cr3, saved_cr4;
static uint64_t saved_efer;
static uint8_t fx_good[512] __attribute__((aligned(64)));
static uint8_t fx_bad[512 + 64] __attribute__((aligned(64)));
static uint8_t scratch[4096] __attribute__((aligned(4096)));
static uint64_t ram_end;

static unsigned long read_cr(int n)
{
	unsigned long v = 0;

	if (n == 0)
		asm volatile("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		asm volatile("mov %%cr3, %0" : "=r"(v));
	else
		asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void restore(void)
{
	uint32_t mxcsr = 0x1f80;
	uint16_t fcw = 0x37f;
	unsigned long dr7 = 0x400;

	/* DR7 first: no breakpoint an action armed may fire in here. */
	asm volatile("mov %0, %%dr7" :: "r"(dr7));
	asm volatile("mov %0, %%cr0" :: "r"(saved_cr0) : "memory");
	asm volatile("mov %0, %%cr4" :: "r"(saved_cr4) : "memory");
	asm volatile("mov %0, %%cr3" :: "r"(saved_cr3) : "memory");
#ifdef __x86_64__
	wrmsr(0xc0000080, saved_efer);
#endif
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs; mov %0, %%ss"
		     :: "r"((unsigned long)SEL_DS) : "memory");
	asm volatile("fxrstor %0" :: "m"(fx_good));
	asm volatile("fninit; fldcw %0; ldmxcsr %1" :: "m"(fcw), "m"(mxcsr));
}

/* ---- actions --------------------------------------------------------------- */

#define CR0_KEEP	0x80000001ul	/* PG, PE: what keeps this guest alive */
#define CR4_KEEP	0x20ul		/* PAE (long mode) */
#include <stdarg.h>

static void act_cr0(unsigned long r)
{
	unsigned long v = (r & 0x100) ? saved_cr0 ^ (1ul << ((r >> 9) & (8 * sizeof(long) - 1)))
				      : (unsigned long)edgy(r);

	v = (v & ~CR0_KEEP) | (saved_cr0 & CR0_KEEP);	/* paging and protection as they are */
	asm volatile("mov %0, %%cr0" :: "r"(v) : "memory");
	asm volatile("mov %0, %%cr0" :: "r"(saved_cr0) : "memory");
}

static void act_cr4(unsigned long r)
{
	unsigned long v = saved_cr4 ^ (1ul << ((r >> 3) & (8 * sizeof(long) - 1)));

	if (r & 1)
		v = (unsigned long)edgy(r >> 1);
#ifdef __x86_64__
	v |= CR4_KEEP;			/* long mode needs PAE */
#endif
	asm volatile("mov %0, %%cr4" :: "r"(v) : "memory");
	asm volatile("mov %0, %%cr4" :: "r"(saved_cr4) : "memory");
}

static void act_cr3(unsigned long r)
{
#ifdef __x86_64__
	/*
	 * The same tables, with PWT/PCD and bits 52-63 (reserved, or the
	 * PCID no-flush bit): never another table root, which would be a walk
	 * through memory that is not there, the guest's own end.
	 */
	unsigned long v = saved_cr3 | (r & 0x18) | ((unsigned long)edgy(r >> 5) & 0xfff0000000000000ul);
#else
	unsigned long v = (unsigned long)edgy(r);	/* paging off: just a register */
#endif
	asm volatile("mov %0, %%cr3" :: "r"(v) : "memory");
	asm volatile("mov %0, %%cr3" :: "r"(saved_cr3) : "memory");
}

static void act_efer(unsigned long r)
{
	uint64_t v = saved_efer ^ (1ull << (r & 63));

	if (r & 0x40)
		v = edgy(r >> 7);
#ifdef __x86_64__
	v |= saved_efer & 0x500;	/* LME, LMA */
#endif
	wrmsr(0xc0000080, v);
	wrmsr(0xc0000080, saved_efer);
}

static void act_xsetbv(unsigned long r)
{
	uint64_t v = edgy(r);

	asm volatile("xsetbv" :: "a"((uint32_t)v), "d"((uint32_t)(v >> 32)), "c"((uint32_t)(r >> 20) & 1));
}

static void act_mxcsr(unsigned long r)
{
	uint32_t v = (uint32_t)edgy(r);

	asm volatile("ldmxcsr %0" :: "m"(v));
}

static void act_fcw(unsigned long r)
{
	uint16_t v = (uint16_t)edgy(r);

	asm volatile("fldcw %0; fld1; fldz; fdivrp; fstp %%st(0)" :: "m"(v));
}

static void act_fxrstor(unsigned long r)
{
	uint8_t *img = fx_bad;

	for (unsigned int i = 0; i < 512; i += 8) {
		uint64_t x = rnd();

		memcpy(img + i, &x, 8);
	}
	if (r & 1)
		memcpy(img, fx_good, 512);	/* only one field wrong */
	if (r & 2) {
		uint32_t m = (uint32_t)edgy(r >> 2);

		memcpy(img + 24, &m, 4);	/* MXCSR */
	}
	if (r & 0x100)
		img += 16 * ((r >> 9) & 3);	/* misaligned: #GP */
	asm volatile("fxrstor (%0)" :: "r"(img) : "memory");
}

static void act_xrstor(unsigned long r)
{
	uint64_t mask = edgy(r);

	asm volatile("xrstor (%0)" :: "r"(fx_bad), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
		     : "memory");
}

static void act_dr(unsigned long r)
{
	unsigned long v = (unsigned long)edgy(r >> 3);

	switch (r & 7) {
	case 0: asm volatile("mov %0, %%dr0" :: "r"(v)); break;
	case 1: asm volatile("mov %0, %%dr1" :: "r"(v)); break;
	case 2: asm volatile("mov %0, %%dr2" :: "r"(v)); break;
	case 3: asm volatile("mov %0, %%dr3" :: "r"(v)); break;
	case 4: asm volatile("mov %0, %%dr6" :: "r"(v)); break;
	case 5: asm volatile("mov %%dr4, %0" : "=r"(v)); break;
	case 6:		/* DR7's alias while CR4.DE is clear: off again at once */
		asm volatile("mov %0, %%dr5; nop; mov %1, %%dr7" :: "r"(v), "r"(0x400ul));
		break;
	default:
		/* DR7, then off again at once: an armed breakpoint fires in here at most. */
		asm volatile("mov %0, %%dr7; nop; mov %1, %%dr7" :: "r"(v), "r"(0x400ul));
		break;
	}
}

static void act_seg(unsigned long r)
{
	unsigned long sel = r & 0xffff;

	if (r & 0x10000)
		sel &= 0x3f;			/* around the real GDT entries */
	switch ((r >> 17) & 7) {
	case 0: asm volatile("mov %0, %%ds" :: "r"(sel)); break;
	case 1: asm volatile("mov %0, %%es" :: "r"(sel)); break;
	case 2: asm volatile("mov %0, %%fs" :: "r"(sel)); break;
	case 3: asm volatile("mov %0, %%gs" :: "r"(sel)); break;
	case 4: asm volatile("mov %0, %%ss; mov %1, %%ss" :: "r"(sel), "r"((unsigned long)SEL_DS)); break;
	case 5: asm volatile("lldt %w0" :: "r"(sel)); break;
	case 6: asm volatile("verr %w0; verw %w0" :: "r"(sel) : "cc"); break;
	default: {
		unsigned long lim;

		asm volatile("lsl %1, %0" : "=r"(lim) : "r"(sel) : "cc");
		break;
	}
	}
}

static uint32_t pick_msr(unsigned long r)
{
	static const uint32_t bases[] = { 0, 0x40000000u, 0xc0000000u, 0xc0010000u, 0xc0011000u };
	static const uint32_t spans[] = { 0x2000, 0x100, 0x2000, 0x2000, 0x1000 };
	unsigned int k = (r >> 1) % 5;

	if (r & 1)			/* anywhere at all */
		return (uint32_t)(r >> 8);
	return bases[k] + (uint32_t)((r >> 8) % spans[k]);
}

static void act_rdmsr(unsigned long r)
{
	(void)rdmsr(pick_msr(r));
}

static void act_wrmsr(unsigned long r)
{
	uint32_t msr = pick_msr(r);
	uint64_t v = edgy(rnd());

	if (msr == 0x830 || msr == 0x1b)
		return;			/* ICR (INIT to itself), APIC_BASE: see the top */
	if (msr >= 0x40000000u && msr < 0x40000100u)
		v = (uintptr_t)scratch | (v & 0xfff);	/* the hypercall page: only at scratch */
	if (msr == 0xc0000080u)
		return;			/* EFER: act_efer */
	wrmsr(msr, v);
	if (msr == 0x277)
		wrmsr(0x277, 0x0007040600070406ull);	/* PAT back */
	if (msr == 0x140)
		wrmsr(0x140, 0);	/* CPUID faulting off */
}

static void act_io(unsigned long r)
{
	uint16_t port = (uint16_t)(r >> 8);
	uint32_t v = (uint32_t)rnd();

	if (port == 0xe9 || (port >= 0xb000 && port < 0xb010))
		port ^= 0x100;		/* debugcon (log noise), ACPI sleep (poweroff) */
	switch (r & 7) {
	case 0: asm volatile("inb %w1, %b0" : "=a"(v) : "d"(port)); break;
	case 1: asm volatile("inw %w1, %w0" : "=a"(v) : "d"(port)); break;
	case 2: asm volatile("inl %w1, %0" : "=a"(v) : "d"(port)); break;
	case 3: asm volatile("outb %b0, %w1" :: "a"(v), "d"(port)); break;
	case 4: asm volatile("outw %w0, %w1" :: "a"(v), "d"(port)); break;
	case 5: asm volatile("outl %0, %w1" :: "a"(v), "d"(port)); break;
	case 6: {
		void *d = scratch;
		unsigned long n = (r >> 24) & 15;

		asm volatile("rep insb" : "+D"(d), "+c"(n) : "d"(port) : "memory");
		break;
	}
	default: {
		const void *s = scratch;
		unsigned long n = (r >> 24) & 15;

		asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(port) : "memory");
		break;
	}
	}
}

static uintptr_t pick_gpa(unsigned long r)
{
	static const uint32_t spots[] = {
		0xfec00000u, 0xfed00000u, 0xfee00000u, 0xfc000000u, 0xfc010000u, 0xfc011000u,
		0xf0000000u, 0xa0000u, 0xffff0000u,
	};
	uint64_t a = (r & 1) ? spots[(r >> 1) % 9] + ((r >> 8) & 0xfff) : (uint32_t)(r >> 4);

#ifdef __x86_64__
	if (r & 2)
		a = r >> 12;		/* above 4 GiB: not mapped, #PF */
#endif
	return (uintptr_t)a;
}

static void act_read(unsigned long r)
{
	volatile uint8_t *p = (volatile uint8_t *)pick_gpa(r);

	switch ((r >> 28) & 3) {
	case 0: (void)*p; break;
	case 1: (void)*(volatile uint16_t *)p; break;
	case 2: (void)*(volatile uint32_t *)p; break;
	default: {
		unsigned long v;

		asm volatile("movzbl (%1), %k0" : "=r"(v) : "r"(p) : "memory");
		break;
	}
	}
}

static void act_write(unsigned long r)
{
	uintptr_t a = pick_gpa(r);

	if (a < ram_end || (a >= 0xfee00000u && a < 0xfee01000u))
		return;			/* its own RAM; the APIC page (ICR) */
	*(volatile uint32_t *)a = (uint32_t)rnd();
}

static void act_misc(unsigned long r)
{
	uint32_t a, b, c, d;

	switch (r & 7) {
	case 0: asm volatile("invlpg (%0)" :: "r"(pick_gpa(r >> 3)) : "memory"); break;
	case 1: asm volatile("wbinvd"); break;
	case 2:
		asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			     : "a"((uint32_t)edgy(r >> 3)), "c"((uint32_t)rnd()));
		break;
	case 3: asm volatile("rdtscp" : "=a"(a), "=d"(d), "=c"(c)); break;
	case 4: asm volatile("rdpmc" : "=a"(a), "=d"(d) : "c"((uint32_t)edgy(r >> 3))); break;
	case 5: asm volatile("rdtsc" : "=a"(a), "=d"(d)); break;
	case 6: {
		/* VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA, MONITOR: #UD. */
		switch ((r >> 3) & 7) {
		case 0: asm volatile("vmrun" :: "a"(scratch)); break;
		case 1: asm volatile("vmload" :: "a"(scratch)); break;
		case 2: asm volatile("vmsave" :: "a"(scratch)); break;
		case 3: asm volatile("stgi"); break;
		case 4: asm volatile("clgi"); break;
		case 5: asm volatile("skinit" :: "a"(scratch)); break;
		case 6: asm volatile("invlpga" :: "a"(scratch), "c"(0)); break;
		default: asm volatile("monitor" :: "a"(scratch), "c"(0), "d"(0)); break;
		}
		break;
	}
	default: asm volatile("mwait" :: "a"(0), "c"(0)); break;
	}
}

/*
 * Fixed cases first, each with the answer Xen 4.17 gives an HVM guest on
 * a CPU like this one (no UMIP, XSAVE hidden): the triggers that once
 * made VMRUN refuse the VMCB (XTF umip, xsa-278) or the VMM's own XRSTOR
 * fault (fpu-exception-emulation) must be #GP/#UD in the guest.
 */
static void w_cr4(unsigned long v)
{
	v |= saved_cr4;
	asm volatile("mov %0, %%cr4" :: "r"(v) : "memory");
}

static void w_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" :: "r"(v) : "memory");
}

static void w_efer(unsigned long v)
{
	wrmsr(0xc0000080, saved_efer | v);
}

#ifndef __x86_64__
/*
 * Legal, and harmless on hardware; under QEMU 7.2 it once cost the CPU
 * (vmm/arch/x86/svm/guest_cr.c keeps LME out of the VMCB until LMA).
 */
static void w_efer_lme(unsigned long v)
{
	wrmsr(0xc0000080, v);
	printf("xvmm-guest: %s: EFER.LME with paging off: still running\n", guest_name);
	wrmsr(0xc0000080, 0);
}
#endif

static void w_xsetbv(unsigned long v)
{
	asm volatile("xsetbv" :: "a"((uint32_t)v), "d"(0), "c"(0));
}

#ifdef __x86_64__
static void w_dr7_high(unsigned long v)
{
	asm volatile("mov %0, %%dr7" :: "r"(0x400ul | v));
}
#endif

static const struct fixed_case {
	const char *what;
	void (*fn)(unsigned long);
	unsigned long arg;
	long want;		/* vector, -1: no fault */
} fixed_cases[] = {
	{ "CR4.UMIP without UMIP in CPUID", w_cr4, 1ul << 11, 13 },
	{ "CR4.OSXSAVE with XSAVE hidden", w_cr4, 1ul << 18, 13 },
	{ "CR4.VMXE", w_cr4, 1ul << 13, 13 },
	{ "CR4 bit 31 (reserved)", w_cr4, 1ul << 31, 13 },
	{ "CR0.NW without CD", w_cr0, 0x80000011ul | (1ul << 29), 13 },
	{ "CR0.CD and NW", w_cr0, 0x80000011ul | (3ul << 29), -1 },
	{ "EFER.SVME", w_efer, 1ul << 12, 13 },
	{ "EFER bit 20 (reserved)", w_efer, 1ul << 20, 13 },
	{ "XSETBV", w_xsetbv, 3, 6 },
#ifndef __x86_64__
	{ "EFER.LME with paging off", w_efer_lme, 1ul << 8, -1 },
#endif
#ifdef __x86_64__
	{ "DR7 bit 40", w_dr7_high, 1ul << 40, 13 },
#endif
};

static void fixed(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(fixed_cases); i++) {
		const struct fixed_case *c = &fixed_cases[i];
		unsigned long arg = c->arg;
		long vec;

#ifndef __x86_64__
		if (c->fn == w_cr0)
			arg &= ~0x80000000ul;	/* paging stays off */
#endif
		vec = try_call(c->fn, arg);
		restore();
		if (vec != c->want)
			fail("%s: vector %ld, want %ld", c->what, vec, c->want);
	}
	printf("xvmm-guest: %s: %u fixed cases answered as on Xen\n", guest_name,
	       (unsigned int)ARRAY_SIZE(fixed_cases));
}

struct action {
	const char *name;
	void (*fn)(unsigned long);
	unsigned int runs, faults;
};

static struct action actions[] = {
	{ "cr0", act_cr0, 0, 0 }, { "cr3", act_cr3, 0, 0 }, { "cr4", act_cr4, 0, 0 },
	{ "efer", act_efer, 0, 0 }, { "xsetbv", act_xsetbv, 0, 0 }, { "mxcsr", act_mxcsr, 0, 0 },
	{ "fcw", act_fcw, 0, 0 }, { "fxrstor", act_fxrstor, 0, 0 }, { "xrstor", act_xrstor, 0, 0 },
	{ "dr", act_dr, 0, 0 }, { "seg", act_seg, 0, 0 }, { "rdmsr", act_rdmsr, 0, 0 },
	{ "wrmsr", act_wrmsr, 0, 0 }, { "io", act_io, 0, 0 }, { "read", act_read, 0, 0 },
	{ "write", act_write, 0, 0 }, { "misc", act_misc, 0, 0 },
};

static unsigned int vec_count[33];

static size_t append(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n >= size)
		return n;
	va_start(ap, fmt);
	n += (size_t)vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n < size ? n : size - 1;
}

static void find_ram_end(void)
{
	const struct hvm_memmap_table_entry *m = phys_to_ptr(start_info->memmap_paddr);

	for (uint32_t i = 0; i < start_info->memmap_entries; i++)
		if (m[i].type == 1 && m[i].addr <= (uintptr_t)_image_start &&
		    m[i].addr + m[i].size > ram_end)
			ram_end = m[i].addr + m[i].size;
	if (!ram_end)
		fail("no RAM entry holds the image");
}

void guest_main(void)
{
	unsigned long seed = cmdline_num("seed=", 1), iters = cmdline_num("iters=", DEFAULT_ITERS);
	/* By hand: only=K runs action K alone, trace=1 prints each action first. */
	unsigned long only = cmdline_num("only=", ~0ul), trace = cmdline_num("trace=", 0);
	char line[320];
	size_t n = 0;

	need_xen();
	find_ram_end();
	rng = 0x9e3779b97f4a7c15ull ^ (seed * 0xbf58476d1ce4e5b9ull);
	if (!rng)
		rng = 1;
	/* SSE on (OSFXSR, OSXMMEXCPT), so MXCSR and FXRSTOR mean something. */
	asm volatile("mov %0, %%cr4" :: "r"(read_cr(4) | 0x600ul));
	saved_cr0 = read_cr(0);
	saved_cr3 = read_cr(3);
	saved_cr4 = read_cr(4);
#ifdef __x86_64__
	saved_efer = rdmsr(0xc0000080);
#endif
	asm volatile("fninit; fxsave %0" : "=m"(fx_good));
	for (unsigned int v = 0; v < 32; v++)
		idt_set_gate(v, fault_stubs[v]);
	printf("xvmm-guest: %s: seed %lu, %lu iterations, RAM ends at %llx\n", guest_name, seed,
	       iters, ULL(ram_end));
	fixed();

	for (unsigned long i = 0; i < iters; i++) {
		unsigned long r = (unsigned long)rnd();
		struct action *a = &actions[only < ARRAY_SIZE(actions) ? only : (r >> 3) % ARRAY_SIZE(actions)];
		unsigned long arg = (unsigned long)rnd();
		long vec;

		if (trace)
			printf("xvmm-guest: %s: %lu %s %lx\n", guest_name, i, a->name, arg);
		vec = try_call(a->fn, arg);

		a->runs++;
		if (vec >= 0) {
			a->faults++;
			vec_count[vec & 31]++;
		} else {
			vec_count[32]++;
		}
		restore();
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(actions); i++)
		n = append(line, sizeof(line), n, " %s %u/%u", actions[i].name, actions[i].faults,
			   actions[i].runs);
	printf("xvmm-guest: %s: faulted/ran:%s\n", guest_name, line);
	n = 0;
	for (unsigned int v = 0; v < 32; v++)
		if (vec_count[v])
			n = append(line, sizeof(line), n, " #%u %u", v, vec_count[v]);
	printf("xvmm-guest: %s: vectors:%s, no fault %u\n", guest_name, line, vec_count[32]);
	/* Still ourselves: the hypercall path answers as before. */
	if (xen_version(XENVER_version, NULL) != (4 << 16 | 17))
		fail("xen_version changed");
}
