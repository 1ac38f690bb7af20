// SPDX-License-Identifier: GPL-2.0-only
/*
 * xapic: the local APIC through its xAPIC page, the way a guest that does
 * not use x2APIC sees it (Linux with `nox2apic`, 32-bit kernels). Checks
 * the reset state (enabled, xAPIC mode, BSP), goes to x2APIC mode and back
 * out of it the only allowed way (disabled, then xAPIC), then over MMIO: reads the ID and version; writes and reads back SVR, TPR,
 * the LVTs, ESR, DFR and LDR; accesses the page with the instruction forms
 * compilers emit (ModRM, SIB, disp8/32, immediates, XCHG, direct offsets,
 * REX registers and RIP-relative through a second mapping in 64-bit
 * code); sends itself IPIs through the ICR (physical destination, self
 * shorthand, held back by the TPR), each counted by an IDT handler that
 * checks the ISR and EOIs through the page; then goes back to x2APIC mode
 * and sends one more through the SELF IPI MSR, EOI'd by MSR.
 *
 * Back in x2APIC mode the page decodes nothing: like the IOAPIC and HPET
 * addresses a PVH guest gets no device at, it reads as all ones and
 * ignores writes, as on Xen (XTF's selftest reads the HPET).
 *
 * With `undecodable` on its command line it then also runs an instruction
 * the VMM does not emulate (TEST) on the xAPIC page before going back to
 * x2APIC mode: the VMM must crash the domain (a FAIL if the guest lives
 * on), and only it.
 */
#include "cmdline.h"
#include "guest.h"

DEFINE_GUEST_NAME;

#define MSR_APIC_BASE	0x1b
#define APIC_EN		(1u << 11)
#define APIC_EXTD	(1u << 10)
#define APIC_BSP	(1u << 8)
#define APIC_PA		0xfee00000u

#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_ERROR	0x370
#define APIC_TMICT	0x380

#define VEC_PHYS	0x50		/* IPI by physical destination */
#define VEC_SELF	0x51		/* IPI by the self shorthand */
#define VEC_TPR		0x52		/* IPI held back by the TPR */
#define VEC_X2APIC	0x53		/* SELF IPI MSR after going back to x2APIC */

/* The page another linear address maps in 64-bit code, for RIP-relative accesses. */
#define APIC_ALIAS	0x7fe00000u

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_PA + off);
}

static uint32_t apic_read(uint32_t off)
{
	return *reg(off);
}

static void apic_write(uint32_t off, uint32_t val)
{
	*reg(off) = val;
}

/* ---- interrupts ---------------------------------------------------------- */

static volatile unsigned int ipi_count, ipi_isr_ok, ipi_last;
static volatile int eoi_by_msr;

/* Called from ipi_entry with the vector's ISR bit expected set; EOIs it. */
void ipi_handler(void);
void ipi_handler(void)
{
	unsigned int vec = VEC_PHYS;
	uint32_t isr;

	/* Which of ours is in service: the highest set ISR bit in 0x40-0x5f. */
	isr = eoi_by_msr ? (uint32_t)rdmsr(0x812) : apic_read(APIC_ISR + 0x20);
	for (vec = 0x5f; vec >= 0x40 && !(isr & (1u << (vec - 0x40))); vec--)
		;
	if (vec >= VEC_PHYS && vec <= VEC_X2APIC)
		ipi_isr_ok++;
	ipi_last = vec;
	ipi_count++;
	if (eoi_by_msr)
		wrmsr(0x80b, 0);
	else
		apic_write(APIC_EOI, 0);
}

void ipi_entry(void);
#ifdef __x86_64__
asm(".text\n"
    "ipi_entry:\n"
    "	push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
    "	push %r8; push %r9; push %r10; push %r11\n"
    "	cld\n"
    "	call ipi_handler\n"
    "	pop %r11; pop %r10; pop %r9; pop %r8\n"
    "	pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
    "	iretq\n");
#else
asm(".text\n"
    "ipi_entry:\n"
    "	pushal\n"
    "	cld\n"
    "	call ipi_handler\n"
    "	popal\n"
    "	iret\n");
#endif

/* Open an interrupt window, wait for @want interrupts in all, close it. */
static void window(unsigned int want)
{
	asm volatile("sti" ::: "memory");
	for (unsigned int i = 0; i < 100000 && ipi_count < want; i++)
		asm volatile("pause" ::: "memory");
	asm volatile("cli" ::: "memory");
}

static int irr_has(unsigned int vec)
{
	return (apic_read(APIC_IRR + (vec / 32) * 0x10) >> (vec % 32)) & 1;
}

static int isr_any(void)
{
	for (unsigned int i = 0; i < 8; i++)
		if (apic_read(APIC_ISR + i * 0x10))
			return 1;
	return 0;
}

/* ---- checks -------------------------------------------------------------- */

static void expect(const char *what, uint32_t got, uint32_t want)
{
	if (got != want)
		fail("%s: %x, expected %x", what, got, want);
}

static void rw(const char *what, uint32_t off, uint32_t val, uint32_t want)
{
	apic_write(off, val);
	expect(what, apic_read(off), want);
}

/*
 * The reset state is xAPIC mode; x2APIC can only be left through the
 * disabled state (SDM 11.12.5), which is what Linux's nox2apic does when it
 * finds x2APIC on.
 */
static void to_xapic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if ((base & (APIC_EN | APIC_EXTD)) != APIC_EN)
		fail("APIC_BASE %llx: not in xAPIC mode at start", ULL(base));
	if ((base & ~0xfffull) != APIC_PA || !(base & APIC_BSP))
		fail("APIC_BASE %llx: expected base %x with BSP", ULL(base), APIC_PA);
	wrmsr(MSR_APIC_BASE, base | APIC_EXTD);
	base = rdmsr(MSR_APIC_BASE);
	if ((base & (APIC_EN | APIC_EXTD)) != (APIC_EN | APIC_EXTD))
		fail("APIC_BASE %llx: xAPIC -> x2APIC refused", ULL(base));
	wrmsr(MSR_APIC_BASE, base & ~(uint64_t)(APIC_EN | APIC_EXTD));
	wrmsr(MSR_APIC_BASE, (base & ~(uint64_t)APIC_EXTD) | APIC_EN);
	base = rdmsr(MSR_APIC_BASE);
	if ((base & (APIC_EN | APIC_EXTD)) != APIC_EN)
		fail("APIC_BASE %llx after leaving x2APIC mode", ULL(base));
	printf("xvmm-guest: %s: APIC_BASE %llx: xAPIC mode\n", guest_name, ULL(base));
}

static void registers(void)
{
	uint32_t ver = apic_read(APIC_VERSION);

	expect("ID", apic_read(APIC_ID), 0);		/* vCPU 0: APIC ID 0 in bits 31:24 */
	if ((ver & 0xff) < 0x10 || ((ver >> 16) & 0xff) < 3)
		fail("version %x: not an integrated APIC with 4+ LVTs", ver);
	printf("xvmm-guest: %s: xAPIC id %x version %x\n", guest_name, apic_read(APIC_ID), ver);
	rw("SVR", APIC_SVR, 0x1ff, 0x1ff);
	rw("TPR", APIC_TPR, 0x20, 0x20);
	expect("PPR", apic_read(APIC_PPR), 0x20);
	rw("TPR", APIC_TPR, 0, 0);
	rw("LVT timer", APIC_LVT_TIMER, 0x100ef, 0x100ef);
	rw("LVT LINT0", APIC_LVT_LINT0, 0x10700, 0x10700);
	rw("LVT error", APIC_LVT_ERROR, 0x100fe, 0x100fe);
	rw("TMICT", APIC_TMICT, 0, 0);
	rw("ESR", APIC_ESR, 0, 0);
	rw("DFR", APIC_DFR, 0xffffffffu, 0xffffffffu);
	rw("LDR", APIC_LDR, 0x01000000u, 0x01000000u);
	printf("xvmm-guest: %s: SVR TPR PPR LVT ESR DFR LDR ok\n", guest_name);
}

#ifdef __x86_64__
/* A 2 MiB page at APIC_ALIAS onto the APIC page: PD 1 (second GiB), entry 511. */
static void map_alias(void)
{
	uint64_t cr3, *pml4, *pdpt, *pd;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = phys_to_ptr(cr3 & ~0xfffull);
	pdpt = phys_to_ptr(pml4[0] & ~0xfffull);
	pd = phys_to_ptr(pdpt[APIC_ALIAS >> 30] & ~0xfffull);
	pd[(APIC_ALIAS >> 21) & 511] = APIC_PA | 0x9b;	/* P, RW, PWT, PCD, PS */
	asm volatile("invlpg (%0)" :: "r"((uintptr_t)APIC_ALIAS) : "memory");
}

/*
 * GNU as folds a RIP-relative reference to an absolute symbol into a plain
 * displacement, so name the alias relative to a symbol the linker places:
 * _image_start, at IMAGE_BASE (guest.ld; checked before use).
 */
#define IMAGE_BASE	0x100000u
#define ALIAS_REF(off)	"_image_start + (0x7fe00000 - 0x100000 + " #off ")(%%rip)"
#endif

/* The instruction forms the VMM must decode, beyond what the compiler chose above. */
static void encodings(void)
{
	uintptr_t base = APIC_PA;
	uint32_t a, b, c;

#ifdef __x86_64__
	/* REX.R and REX.B with SIB (r12 as a base needs one): mov %r9d,0x80(%r12) and back. */
	asm volatile("mov %1, %%r12\n\tmov $0x31, %%r9d\n\tmov %%r9d, 0x80(%%r12)\n\t"
		     "mov 0x80(%%r12), %%r10d\n\tmov %%r10d, %0"
		     : "=r"(a) : "r"(base) : "r9", "r10", "r12", "memory");
	expect("mov %r9d,0x80(%r12)", a, 0x31);
	/* movabs (A1, 8-byte offset). */
	asm volatile("movabs 0xfee00030, %%eax" : "=a"(a) :: "memory");
	expect("movabs 0xfee00030,%eax", a, apic_read(APIC_VERSION));
	/* RIP-relative through the alias mapping: disp32 from here to 0x7fe00000. */
	if ((uintptr_t)_image_start != IMAGE_BASE)
		fail("image at %lx, not %x", (unsigned long)(uintptr_t)_image_start, IMAGE_BASE);
	map_alias();
	asm volatile("mov " ALIAS_REF(0x30) ", %0" : "=r"(a) :: "memory");
	expect("mov 0x7fe00030(%rip)", a, apic_read(APIC_VERSION));
	asm volatile("movl $0x32, " ALIAS_REF(0x80) ::: "memory");
	expect("movl $0x32,0x7fe00080(%rip)", apic_read(APIC_TPR), 0x32);
#else
	/* Direct offsets (A1/A3, 4 bytes). */
	asm volatile("mov 0xfee00030, %%eax" : "=a"(a) :: "memory");
	expect("mov 0xfee00030,%eax", a, apic_read(APIC_VERSION));
	asm volatile("mov %%eax, 0xfee00080" :: "a"(0x31) : "memory");
	expect("mov %eax,0xfee00080", apic_read(APIC_TPR), 0x31);
	/* Immediate to an absolute disp32 (C7 05). */
	asm volatile("movl $0x32, 0xfee00080" ::: "memory");
	expect("movl $0x32,0xfee00080", apic_read(APIC_TPR), 0x32);
#endif
	/* Immediate with a base register and disp32 (C7 80). */
	asm volatile("movl $0x33, 0x80(%0)" :: "r"(base) : "memory");
	expect("movl $0x33,0x80(%reg)", apic_read(APIC_TPR), 0x33);
	/* SIB with an index: (base + 0xc * 4) = version; disp8 with a base. */
	asm volatile("mov (%1,%2,4), %0" : "=r"(a) : "r"(base), "r"((uintptr_t)0xc) : "memory");
	expect("mov (%base,%index,4)", a, apic_read(APIC_VERSION));
	asm volatile("mov 0x20(%1), %0" : "=r"(a) : "r"(base) : "memory");
	expect("mov 0x20(%base)", a, 0);
	/* XCHG: the old TPR comes back, the new one sticks. */
	b = 0x34;
	asm volatile("xchg %0, 0x80(%1)" : "+r"(b) : "r"(base) : "memory");
	expect("xchg old TPR", b, 0x33);
	expect("xchg new TPR", apic_read(APIC_TPR), 0x34);
	/* Not 32-bit register accesses: a word read gives 0 in AX only, a byte write is dropped. */
	c = 0x12345678;
	asm volatile("movw 0x30(%1), %w0" : "+a"(c) : "r"(base) : "memory");
	expect("16-bit read", c, 0x12340000);
	asm volatile("movb $0xff, 0x80(%0)" :: "r"(base) : "memory");
	expect("TPR after a byte write", apic_read(APIC_TPR), 0x34);
	apic_write(APIC_TPR, 0);
	printf("xvmm-guest: %s: instruction forms ok\n", guest_name);
}

static void self_ipis(void)
{
	idt_set_gate(VEC_PHYS, ipi_entry);
	idt_set_gate(VEC_SELF, ipi_entry);
	idt_set_gate(VEC_TPR, ipi_entry);
	idt_set_gate(VEC_X2APIC, ipi_entry);

	/* Physical destination = our ID (0), fixed delivery; IF is clear so it waits in IRR. */
	apic_write(APIC_ICR_HI, apic_read(APIC_ID));
	apic_write(APIC_ICR, VEC_PHYS);
	if (apic_read(APIC_ICR) & (1u << 12))
		fail("ICR delivery status still pending");
	if (!irr_has(VEC_PHYS))
		fail("vector %x not in IRR after the ICR write", VEC_PHYS);
	window(1);
	expect("IPIs after the physical one", ipi_count, 1);
	expect("its vector", ipi_last, VEC_PHYS);

	/* Self shorthand (ICR bits 19:18 = 01), the destination ignored. */
	apic_write(APIC_ICR_HI, 0x0f000000u);
	apic_write(APIC_ICR, (1u << 18) | VEC_SELF);
	window(2);
	expect("IPIs after the self shorthand", ipi_count, 2);
	expect("its vector", ipi_last, VEC_SELF);

	/* TPR class 6 holds back a class-5 vector until it drops. */
	apic_write(APIC_TPR, 0x60);
	apic_write(APIC_ICR, (1u << 18) | VEC_TPR);
	window(3);
	expect("IPIs while the TPR holds one back", ipi_count, 2);
	if (!irr_has(VEC_TPR))
		fail("vector %x not pending under TPR 0x60", VEC_TPR);
	apic_write(APIC_TPR, 0);
	window(3);
	expect("IPIs after the TPR dropped", ipi_count, 3);
	expect("its vector", ipi_last, VEC_TPR);
	expect("handlers that saw their ISR bit", ipi_isr_ok, 3);
	if (isr_any() || irr_has(VEC_TPR))
		fail("ISR or IRR not clear after the EOIs");
	printf("xvmm-guest: %s: %u self-IPIs through the ICR, each EOI'd through the page\n",
	       guest_name, ipi_count);
}

/*
 * APIC errors (SDM 11.5.3), XTF xsa-462's setup: LVT error with the
 * illegal vector 15, then a fixed IPI with vector 15 to ourselves. Nothing
 * is delivered, nothing loops, and the next ESR write shows send and
 * receive illegal vector (0x60); the one after that, nothing.
 */
static void apic_errors(void)
{
	apic_write(APIC_ESR, 0);
	apic_write(APIC_LVT_ERROR, 0xf);
	apic_write(APIC_ICR_HI, apic_read(APIC_ID));
	apic_write(APIC_ICR, 0xf);
	apic_write(APIC_ESR, 0);
	expect("ESR after an IPI with vector 15", apic_read(APIC_ESR), 0x60);
	apic_write(APIC_ESR, 0);
	expect("ESR after the next write", apic_read(APIC_ESR), 0);
	if (isr_any() || irr_has(0xf))
		fail("an illegal vector reached IRR or ISR");
	apic_write(APIC_LVT_ERROR, 0x100fe);
	printf("xvmm-guest: %s: illegal vector: ESR 60, nothing delivered\n", guest_name);
}

/* Back to x2APIC (xAPIC -> x2APIC is allowed) and one IPI through the MSRs. */
static void back_to_x2apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | APIC_EXTD);
	expect("x2APIC ID", (uint32_t)rdmsr(0x802), 0);
	expect("x2APIC LDR", (uint32_t)rdmsr(0x80d), 1);
	wrmsr(0x80f, 0x1ff);
	eoi_by_msr = 1;
	wrmsr(0x83f, VEC_X2APIC);
	window(4);
	expect("IPIs after SELF IPI", ipi_count, 4);
	expect("its vector", ipi_last, VEC_X2APIC);
	expect("handlers that saw their ISR bit", ipi_isr_ok, 4);
	printf("xvmm-guest: %s: back in x2APIC mode, SELF IPI ok\n", guest_name);
}

/* Nothing behind these addresses: reads are all ones, writes change nothing. */
static void nothing_there(void)
{
	static const uint32_t holes[] = {
		0xfec00000u,			/* IOAPIC */
		0xfed00000u,			/* HPET */
		0xfed000f0u,			/* HPET main counter */
		APIC_PA + APIC_VERSION,		/* the APIC page in x2APIC mode */
	};

	for (unsigned int i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		volatile uint32_t *p;

		if (!phys_mapped(holes[i], 4))
			fail("%x is not mapped in the guest", holes[i]);
		p = phys_to_ptr(holes[i]);
		expect("read where nothing is", *p, 0xffffffffu);
		*p = 0x12345678u;
		expect("read after a write where nothing is", *p, 0xffffffffu);
		expect("byte read where nothing is", *(volatile uint8_t *)p, 0xffu);
	}
	printf("xvmm-guest: %s: IOAPIC, HPET and the APIC page in x2APIC mode read all ones\n",
	       guest_name);
}

void guest_main(void)
{
	uint32_t v;

	need_xen();
	to_xapic();
	registers();
	encodings();
	self_ipis();
	apic_errors();
	if (cmdline_has("undecodable")) {
		printf("xvmm-guest: %s: testb on the xAPIC page: the domain must crash\n", guest_name);
		asm volatile("testb $1, 0x30(%1); setnz %b0" : "=q"(v) : "r"((uintptr_t)APIC_PA) :
			     "memory", "cc");
		fail("testb on the xAPIC page returned %x", v);
	}
	back_to_x2apic();
	nothing_there();
}
