// SPDX-License-Identifier: GPL-2.0-only
/*
 * crstate: control-register, EFER, PAT and FPU-state answers, checked
 * against what Xen 4.17 gives an HVM/PVH guest (xen/arch/x86/hvm/hvm.c:
 * hvm_set_cr0, hvm_set_cr4 with hvm_cr4_guest_valid_bits, hvm_efer_valid;
 * PAT: hvm_set_guest_pat) and what the SDM says for the rest. The guest's
 * own CPUID decides what a feature bit may do, so the same checks hold on
 * any CPU model:
 *
 *  - CR4: every bit flipped alone (all 64 in long mode). A bit the CPUID
 *    does not offer is #GP, so are VMXE, SMXE and the reserved bits (the
 *    XTF umip trigger: CR4.UMIP without CPUID.7.0:ECX.UMIP once made
 *    VMRUN refuse the VMCB; OSXSAVE with XSAVE hidden); PCIDE outside long
 *    mode, PAE off and LA57 flipped in long mode are #GP; what is accepted
 *    reads back.
 *  - CR0: PG without PE, NW without CD, bits 63:32 (long mode), PG off in
 *    64-bit code, PG with EFER.LME but no PAE (32-bit build): #GP; CD+NW
 *    accepted; an undefined bit is ignored and ET reads 1; LMSW loads
 *    MP/EM/TS and never clears PE; CLTS clears TS.
 *  - EFER: SVME, LMSLE and the reserved bits #GP; SCE, NXE, FFXSR, TCE as
 *    CPUID says; LME flipped with paging on (long mode) #GP.
 *  - PAT: an entry of type 2, 3 or above 7 #GP; a valid value reads back.
 *  - XSETBV/XGETBV with CR4.OSXSAVE clear: #UD.
 *  - The XTF fpu-exception-emulation matrix: every combination of CR0.EM,
 *    MP, TS and CR4.OSFXSR running x87 (fninit/fld1), FWAIT, MMX
 *    (movq/emms), SSE (movaps/addps) and FXSAVE/FXRSTOR: x87 #NM if EM or
 *    TS; FWAIT #NM if MP and TS (SDM vol. 3, table 2-2 "Action taken by
 *    x87 FPU instructions for different combinations of EM, MP and TS");
 *    MMX #UD if EM, else #NM if TS; SSE #UD if EM or !OSFXSR, else #NM if
 *    TS; FXSAVE/FXRSTOR #NM if EM or TS.
 *  - LDMXCSR and FXRSTOR of an image with reserved MXCSR bits: #GP;
 *    FXRSTOR of a misaligned image: #GP.
 *
 * The checks need no hypercall and run first, so under plain QEMU (no
 * Xen, tests/guests/README.md) the guest prints the answers QEMU itself
 * gives, then SKIP: that is the reference for what is QEMU's and what
 * xvmm's. Where QEMU 7.2 TCG itself answers wrongly for an instruction
 * xvmm does not intercept (QEMU's answer is the last argument of check()
 * below: LDMXCSR and FXRSTOR never check MXCSR's reserved bits, MMX/SSE
 * with EM and TS raise #NM), that answer on xvmm is printed as a note and
 * not asserted. On xvmm any other difference is a FAIL. Writes plain QEMU
 * would not survive (a reserved CR4 bit loops there, several CR0 #GP
 * cases are taken) are left out of the reference run.
 */
#include "cmdline.h"
#include "guest.h"

DEFINE_GUEST_NAME;

#define CR0_PE		(1ul << 0)
#define CR0_MP		(1ul << 1)
#define CR0_EM		(1ul << 2)
#define CR0_TS		(1ul << 3)
#define CR0_ET		(1ul << 4)
#define CR0_NW		(1ul << 29)
#define CR0_CD		(1ul << 30)
#define CR0_PG		(1ul << 31)
#define CR4_PAE		(1ul << 5)
#define CR4_OSFXSR	(1ul << 9)
#define CR4_OSXMMEXCPT	(1ul << 10)
#define CR4_LA57	(1ul << 12)
#define CR4_PCIDE	(1ul << 17)
#define CR4_OSXSAVE	(1ul << 18)
#define MSR_EFER	0xc0000080u
#define MSR_PAT		0x277u
#define EFER_LME	(1ull << 8)

#define NONE		NO_FAULT
#define UD		6
#define NM		7
#define GP		13

/*
 * The last argument of check(): ASSERT, or the answer plain QEMU 7.2 TCG
 * gives for an instruction xvmm does not intercept, where QEMU itself is
 * wrong. Getting exactly that answer on xvmm is a note, not a FAIL.
 */
#define ASSERT		(-100)

static unsigned long cr0_0, cr4_0;
static uint64_t efer_0, pat_0;
static struct cpuid_regs l1, l7, e1;
static unsigned int checks, bad, notes;
static unsigned long trace;		/* trace=1: name each write before it is made */
static uint8_t fx[512 + 64] __attribute__((aligned(64)));

static const char *vec_name(int v)
{
	static const char *const n[] = { "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
					 "#DF", "#9", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
					 "#MF", "#AC", "#MC", "#XM" };

	if (v == NONE)
		return "no fault";
	return v >= 0 && v < (int)ARRAY_SIZE(n) ? n[v] : "vector>19";
}

static void check(const char *what, uint64_t arg, int got, int want, int qemu)
{
	checks++;
	if (got == want)
		return;
	if (!xen_base) {
		/* Plain QEMU: the reference run. Print, never fail. */
		printf("xvmm-guest: %s: bare: %s (%llx): %s, SDM/Xen: %s\n", guest_name, what, ULL(arg),
		       vec_name(got), vec_name(want));
		return;
	}
	if (qemu != ASSERT && got == qemu) {
		notes++;
		printf("xvmm-guest: %s: note: %s (%llx): %s, SDM/Xen: %s (plain QEMU 7.2 TCG too: not asserted)\n",
		       guest_name, what, ULL(arg), vec_name(got), vec_name(want));
		return;
	}
	bad++;
	printf("xvmm-guest: %s: wrong: %s (%llx): %s, want %s\n", guest_name, what, ULL(arg),
	       vec_name(got), vec_name(want));
}

static void check_val(const char *what, uint64_t got, uint64_t want)
{
	checks++;
	if (got == want)
		return;
	if (!xen_base) {
		printf("xvmm-guest: %s: bare: %s reads %llx, want %llx\n", guest_name, what,
		       ULL(got), ULL(want));
		return;
	}
	bad++;
	printf("xvmm-guest: %s: wrong: %s reads %llx, want %llx\n", guest_name, what, ULL(got),
	       ULL(want));
}

/* Back to the state the guest started with (these never fault). */
static void restore(void)
{
	asm volatile("mov %0, %%cr0" :: "r"(cr0_0) : "memory");
	asm volatile("mov %0, %%cr4" :: "r"(cr4_0) : "memory");
	wrmsr(MSR_EFER, efer_0);
}

/* ---- CR4 -------------------------------------------------------------------- */

/* hvm_cr4_guest_valid_bits(), from this guest's CPUID. */
static unsigned long cr4_valid(void)
{
	unsigned long v = 1ul << 8;				/* PCE */

	if (l1.d & (1u << 1))  v |= 3ul << 0;			/* VME, PVI */
	if (l1.d & (1u << 4))  v |= 1ul << 2;			/* TSD */
	if (l1.d & (1u << 2))  v |= 1ul << 3;			/* DE */
	if (l1.d & (1u << 3))  v |= 1ul << 4;			/* PSE */
	if (l1.d & (1u << 6))  v |= 1ul << 5;			/* PAE */
	if (l1.d & (1u << 7))  v |= 1ul << 6;			/* MCE */
	if (l1.d & (1u << 13)) v |= 1ul << 7;			/* PGE */
	if (l1.d & (1u << 24)) v |= 1ul << 9;			/* OSFXSR */
	if (l1.d & (1u << 25)) v |= 1ul << 10;			/* OSXMMEXCPT */
	if (l7.c & (1u << 2))  v |= 1ul << 11;			/* UMIP */
	if (l7.c & (1u << 16)) v |= 1ul << 12;			/* LA57 */
	/* 13 VMXE, 14 SMXE: no nested VMX, no SMX for a guest. */
	if (l7.b & (1u << 0))  v |= 1ul << 16;			/* FSGSBASE */
	if (l1.c & (1u << 17)) v |= 1ul << 17;			/* PCIDE */
	if (l1.c & (1u << 26)) v |= 1ul << 18;			/* OSXSAVE */
	if (l7.b & (1u << 7))  v |= 1ul << 20;			/* SMEP */
	if (l7.b & (1u << 20)) v |= 1ul << 21;			/* SMAP */
	if (l7.c & (1u << 3))  v |= 1ul << 22;			/* PKE */
	if ((l7.c & (1u << 7)) || (l7.d & (1u << 20)))
		v |= 1ul << 23;					/* CET */
	if (l7.c & (1u << 31)) v |= 1ul << 24;			/* PKS */
	return v;
}

static void cr4_bits(void)
{
	static const char *const names[32] = {
		"VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR",
		"OSXMMEXCPT", "UMIP", "LA57", "VMXE", "SMXE", "bit 15", "FSGSBASE", "PCIDE",
		"OSXSAVE", "KL", "SMEP", "SMAP", "PKE", "CET", "PKS", "UINTR",
	};
	unsigned long valid = cr4_valid();
	int lma = GUEST_BITS == 64;
	char what[40];

	printf("xvmm-guest: %s: CPUID: 1 ecx %x edx %x, 7 ebx %x ecx %x edx %x; CR4 valid %lx, CR4 %lx\n",
	       guest_name, l1.c, l1.d, l7.b, l7.c, l7.d, valid, cr4_0);
	for (unsigned int b = 0; b < 8 * sizeof(long); b++) {
		unsigned long bit = 1ul << b, val = cr4_0 ^ bit;
		int setting = !(cr4_0 & bit), want = NONE, got;
		const char *n = b < 26 && names[b] ? names[b] : "reserved bit";

		if (setting && !(valid & bit))
			want = GP;
		if (setting && bit == CR4_PCIDE && (!lma || (read_cr3() & 0xfff)))
			want = GP;		/* SDM vol. 3, 4.10.1 */
		if (lma && (bit == CR4_PAE || bit == CR4_LA57))
			want = GP;		/* long mode needs PAE; paging depth fixed */
		if (bit == (1ul << 23) && !(cr0_0 & (1ul << 16)))
			want = GP;		/* CET needs CR0.WP */
		/*
		 * Plain QEMU 7.2 TCG makes a reserved CR4 bit an SVM "VMEXIT_INVALID"
		 * (helper_write_crN), which outside a guest loops on the MOV: not
		 * tried there. xvmm intercepts the write and decides first.
		 */
		if (!xen_base && want == GP)
			continue;
		if (trace)
			printf("xvmm-guest: %s: CR4 %lx\n", guest_name, val);
		got = try_write_cr4(val);
		memset(what, 0, sizeof(what));
		memcpy(what, setting ? "CR4 set " : "CR4 clear ", setting ? 8 : 10);
		memcpy(what + strlen(what), n, strnlen(n, 20));
		check(what, val, got, want, ASSERT);
		if (got == NONE)
			check_val(what, read_cr4(), val);
		restore();
	}
}

/* ---- CR0, LMSW, CLTS ---------------------------------------------------------- */

/*
 * A CR0 write that must be #GP. Plain QEMU 7.2 TCG takes several of them
 * (PG without PE, bits 63:32, PG off in 64-bit code) and this guest would
 * not survive, so the reference run leaves them out.
 */
static int cr0_gp(unsigned long val)
{
	if (!xen_base)
		return GP;
	return try_write_cr0(val);
}

static void cr0_checks(void)
{
	unsigned long v;

#ifdef __x86_64__
	check("CR0 PG without PE", cr0_0 & ~CR0_PE, cr0_gp(cr0_0 & ~CR0_PE), GP, ASSERT);
	restore();
	check("CR0 bit 32", cr0_0 | (1ul << 32), cr0_gp(cr0_0 | (1ul << 32)), GP, ASSERT);
	restore();
	check("CR0 bit 63", cr0_0 | (1ul << 63), cr0_gp(cr0_0 | (1ul << 63)), GP, ASSERT);
	restore();
	check("CR0 PG off in 64-bit code", cr0_0 & ~CR0_PG, cr0_gp(cr0_0 & ~CR0_PG), GP, ASSERT);
	restore();
#else
	v = (cr0_0 & ~CR0_PE) | CR0_PG;
	check("CR0 PG without PE", v, cr0_gp(v), GP, ASSERT);
	restore();
	/* Activating long mode without PAE (SDM vol. 3, 10.8.5): #GP. */
	if (e1.d & (1u << 29)) {
		wrmsr(MSR_EFER, efer_0 | EFER_LME);
		v = cr0_0 | CR0_PG;
		check("CR0 PG with EFER.LME, no PAE", v, cr0_gp(v), GP, ASSERT);
		restore();
	}
#endif
	check("CR0 NW without CD", cr0_0 | CR0_NW, cr0_gp((cr0_0 & ~CR0_CD) | CR0_NW), GP, ASSERT);
	restore();
	v = cr0_0 | CR0_NW | CR0_CD;
	check("CR0 CD and NW", v, try_write_cr0(v), NONE, ASSERT);
	check_val("CR0 after CD and NW", read_cr0(), v);
	restore();
	/* Undefined bits are ignored (Xen masks them; SDM vol. 3, 2.5); ET is 1. */
	v = (cr0_0 | (1ul << 7)) & ~CR0_ET;
	check("CR0 bit 7, ET clear", v, try_write_cr0(v), NONE, ASSERT);
	check_val("CR0 after bit 7, ET clear", read_cr0(), cr0_0 | CR0_ET);
	restore();

	check("LMSW MP|TS", 0xa, try_lmsw((uint16_t)(cr0_0 | 0xa)), NONE, ASSERT);
	check_val("CR0 after LMSW MP|TS", read_cr0(), cr0_0 | CR0_MP | CR0_TS);
	check("CLTS", 0, try_clts(), NONE, ASSERT);
	check_val("CR0 after CLTS", read_cr0(), cr0_0 | CR0_MP);
	check("LMSW 0", 0, try_lmsw(0), NONE, ASSERT);
	check_val("CR0 after LMSW 0 (PE stays)", read_cr0(), cr0_0 & ~(CR0_MP | CR0_EM | CR0_TS));
	check("LMSW EM", 4, try_lmsw(4), NONE, ASSERT);
	check_val("CR0 after LMSW EM", read_cr0(), (cr0_0 & ~(CR0_MP | CR0_TS)) | CR0_EM);
	restore();
}

/* ---- EFER, PAT ---------------------------------------------------------------- */

static void efer_checks(void)
{
	static const struct { unsigned int bit; const char *name; int cpuid; uint32_t mask; } b[] = {
		{ 0, "SCE", 'd', 1u << 11 }, { 11, "NXE", 'd', 1u << 20 },
		{ 14, "FFXSR", 'd', 1u << 25 }, { 15, "TCE", 'c', 1u << 17 },
		{ 12, "SVME", 0, 0 }, { 13, "LMSLE", 0, 0 }, { 1, "bit 1", 0, 0 },
		{ 7, "bit 7", 0, 0 }, { 9, "bit 9", 0, 0 }, { 16, "bit 16", 0, 0 },
		{ 20, "bit 20", 0, 0 }, { 32, "bit 32", 0, 0 }, { 63, "bit 63", 0, 0 },
	};
	char what[32];

	for (unsigned int i = 0; i < ARRAY_SIZE(b); i++) {
		uint64_t val = efer_0 ^ (1ull << b[i].bit);
		uint32_t reg = b[i].cpuid == 'd' ? e1.d : b[i].cpuid == 'c' ? e1.c : 0;
		int setting = !(efer_0 & (1ull << b[i].bit));
		int want = setting && !(reg & b[i].mask) ? GP : NONE;
		int got = try_wrmsr(MSR_EFER, val);
		uint64_t now;

		memset(what, 0, sizeof(what));
		memcpy(what, "EFER ", 5);
		memcpy(what + 5, b[i].name, strlen(b[i].name));
		check(what, val, got, want, ASSERT);
		if (got == NONE && try_rdmsr(MSR_EFER, &now) == NONE)
			check_val(what, now, val);
		restore();
	}
#ifdef __x86_64__
	check("EFER LME off with paging on", efer_0 & ~EFER_LME,
	      try_wrmsr(MSR_EFER, efer_0 & ~EFER_LME), GP, ASSERT);
	restore();
#endif
}

static void pat_checks(void)
{
	static const uint64_t bad_pat[] = {
		0x0007040600070402ull, 0x0007040600070403ull, 0x0007040600070408ull,
		0x0207040600070406ull, 0xff07040600070406ull, 0x0007040600070486ull,
	};
	static const uint64_t good_pat[] = { 0x0007040600070406ull, 0x0101010101010101ull,
					     0x0000000000000000ull, 0x0705040106050400ull };
	uint64_t now;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_pat); i++) {
		check("PAT undefined type", bad_pat[i],
		      try_wrmsr(MSR_PAT, bad_pat[i]), GP, ASSERT);
		wrmsr(MSR_PAT, pat_0);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(good_pat); i++) {
		check("PAT valid", good_pat[i], try_wrmsr(MSR_PAT, good_pat[i]), NONE, ASSERT);
		if (try_rdmsr(MSR_PAT, &now) == NONE)
			check_val("PAT after write", now, good_pat[i]);
	}
	wrmsr(MSR_PAT, pat_0);
}

/* ---- XCR0, MXCSR, FPU state ---------------------------------------------------- */

static void xcr_checks(void)
{
	uint64_t v;

	if (read_cr4() & CR4_OSXSAVE)
		return;
	check("XSETBV, CR4.OSXSAVE clear", 1, try_xsetbv(0, 1), UD, ASSERT);
	check("XSETBV XCR0 = 3", 3, try_xsetbv(0, 3), UD, ASSERT);
	check("XGETBV, CR4.OSXSAVE clear", 0, try_xgetbv(0, &v), UD, ASSERT);
}

static void mxcsr_checks(void)
{
	uint32_t mask, m;
	static const uint32_t bad_mxcsr[] = { 1u << 16, 1u << 31, 0xffffffffu, 0x1f80u | (1u << 20) };

	asm volatile("mov %0, %%cr4" :: "r"(cr4_0 | CR4_OSFXSR | CR4_OSXMMEXCPT) : "memory");
	memset(fx, 0, sizeof(fx));
	asm volatile("fninit; fxsave %0" : "=m"(fx) :: "memory");
	memcpy(&mask, fx + 28, 4);
	if (!mask)
		mask = 0xffbf;			/* SDM vol. 1, 11.6.6 */
	check("LDMXCSR 0x1f80", 0x1f80, try_ldmxcsr(0x1f80), NONE, ASSERT);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_mxcsr); i++)
		check("LDMXCSR reserved bits", bad_mxcsr[i], try_ldmxcsr(bad_mxcsr[i]), GP, NONE);
	if (!(mask & (1u << 6)))
		check("LDMXCSR DAZ without DAZ in MXCSR_MASK", 0x1fc0, try_ldmxcsr(0x1fc0), GP, NONE);
	try_ldmxcsr(0x1f80);

	check("FXRSTOR of its own image", 0, try_fxrstor(fx), NONE, ASSERT);
	m = 0x1f80u | (1u << 16);
	memcpy(fx + 24, &m, 4);
	check("FXRSTOR MXCSR reserved bits", m, try_fxrstor(fx), GP, NONE);
	m = 0x1f80u;
	memcpy(fx + 24, &m, 4);
	for (int i = 511; i >= 0; i--)
		fx[i + 8] = fx[i];
	check("FXRSTOR misaligned image", (unsigned long)(uintptr_t)(fx + 8), try_fxrstor(fx + 8), GP, ASSERT);
	asm volatile("fninit" ::: "memory");
	try_ldmxcsr(0x1f80);
	restore();
}

enum fpu_op { OP_X87, OP_WAIT, OP_MMX, OP_SSE, OP_FXSR, OP_NR };

static int fpu_run(enum fpu_op op)
{
	switch (op) {
	case OP_X87:
		return try_asm("fninit\n\tfld1\n\tfstp %%st(0)", ::: "memory");
	case OP_WAIT:
		return try_asm("fwait", ::: "memory");
	case OP_MMX:
		return try_asm("movq %%mm0, %%mm1\n\temms", ::: "memory");
	case OP_SSE:
		return try_asm("movaps %%xmm0, %%xmm1\n\taddps %%xmm1, %%xmm0", ::: "memory");
	default:
		return try_asm("fxsave (%0)\n\tfxrstor (%0)", :: "r"(fx) : "memory");
	}
}

/* SDM vol. 3, table 2-2 and the instruction pages' exception lists. */
static int fpu_want(enum fpu_op op, unsigned long cr0, unsigned long cr4)
{
	int em = !!(cr0 & CR0_EM), mp = !!(cr0 & CR0_MP), ts = !!(cr0 & CR0_TS);

	switch (op) {
	case OP_X87:
		return em || ts ? NM : NONE;
	case OP_WAIT:
		return mp && ts ? NM : NONE;
	case OP_MMX:
		return em ? UD : ts ? NM : NONE;
	case OP_SSE:
		return em || !(cr4 & CR4_OSFXSR) ? UD : ts ? NM : NONE;
	default:
		return em || ts ? NM : NONE;
	}
}

static void fpu_matrix(void)
{
	static const char *const op_names[] = { "x87 fninit/fld1", "fwait", "MMX movq/emms",
						"SSE movaps/addps", "FXSAVE/FXRSTOR" };
	char what[64];

	asm volatile("mov %0, %%cr4" :: "r"(cr4_0 | CR4_OSFXSR | CR4_OSXMMEXCPT) : "memory");
	asm volatile("fninit; fxsave %0" : "=m"(fx) :: "memory");
	try_ldmxcsr(0x1f80);
	for (unsigned int c = 0; c < 16; c++) {
		unsigned long cr0 = (cr0_0 & ~(CR0_EM | CR0_MP | CR0_TS)) |
				    ((c & 1) ? CR0_EM : 0) | ((c & 2) ? CR0_MP : 0) |
				    ((c & 4) ? CR0_TS : 0);
		unsigned long cr4 = (c & 8) ? cr4_0 | CR4_OSFXSR | CR4_OSXMMEXCPT
					    : cr4_0 & ~(CR4_OSFXSR | CR4_OSXMMEXCPT);

		for (unsigned int op = 0; op < OP_NR; op++) {
			int got;

			asm volatile("mov %0, %%cr4" :: "r"(cr4) : "memory");
			asm volatile("mov %0, %%cr0" :: "r"(cr0) : "memory");
			got = fpu_run((enum fpu_op)op);
			asm volatile("clts" ::: "memory");
			asm volatile("mov %0, %%cr0" :: "r"(cr0_0) : "memory");
			asm volatile("mov %0, %%cr4" :: "r"(cr4_0 | CR4_OSFXSR) : "memory");
			asm volatile("fninit" ::: "memory");
			memset(what, 0, sizeof(what));
			memcpy(what, op_names[op], strlen(op_names[op]));
			memcpy(what + strlen(what), (c & 1) ? " EM" : " -", (c & 1) ? 3 : 2);
			memcpy(what + strlen(what), (c & 2) ? " MP" : " -", (c & 2) ? 3 : 2);
			memcpy(what + strlen(what), (c & 4) ? " TS" : " -", (c & 4) ? 3 : 2);
			memcpy(what + strlen(what), (c & 8) ? " OSFXSR" : " -", (c & 8) ? 7 : 2);
			/* QEMU: MMX and SSE with EM and TS give #NM, where EM's #UD comes first. */
			check(what, cr0, got, fpu_want((enum fpu_op)op, cr0, cr4),
			      (op == OP_MMX || op == OP_SSE) && (c & 5) == 5 ? NM : ASSERT);
		}
	}
	restore();
}

void guest_main(void)
{
	l1 = cpuid(1, 0);
	l7 = cpuid(0, 0).a >= 7 ? cpuid(7, 0) : (struct cpuid_regs){ 0, 0, 0, 0 };
	e1 = cpuid(0x80000001u, 0);
	cr0_0 = read_cr0();
	cr4_0 = read_cr4();
	efer_0 = rdmsr(MSR_EFER);
	pat_0 = rdmsr(MSR_PAT);
	printf("xvmm-guest: %s: CR0 %lx CR4 %lx EFER %llx PAT %llx\n", guest_name, cr0_0, cr4_0,
	       ULL(efer_0), ULL(pat_0));

	trace = cmdline_num("trace=", 0);
	cr4_bits();
	if (trace)
		printf("xvmm-guest: %s: CR0\n", guest_name);
	cr0_checks();
	if (trace)
		printf("xvmm-guest: %s: EFER, PAT, XCR0\n", guest_name);
	efer_checks();
	pat_checks();
	xcr_checks();
	if (trace)
		printf("xvmm-guest: %s: MXCSR, FPU\n", guest_name);
	mxcsr_checks();
	fpu_matrix();

	printf("xvmm-guest: %s: %u checks, %u wrong, %u notes\n", guest_name, checks, bad, notes);
	need_xen();
	if (bad)
		fail("%u of %u answers not as on Xen", bad, checks);
}
