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

noreturn void trap_handler(const struct trap_frame *f);
noreturn void trap_handler(const struct trap_frame *f)
{
	unsigned long cr2 = 0;

	if (f->vector == 14)
		asm volatile("mov %%cr2, %0" : "=r"(cr2));
	fail("exception %lu %s at ip %lx, error %lx, cr2 %lx",
	     f->vector, exc_names[f->vector & 31], f->ip, f->error, cr2);
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
