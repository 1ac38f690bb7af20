// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen discovery and hypercalls.
 *
 * xen_init() scans CPUID 0x40000000 + k * 0x100 for "XenVMMXenVMM", reads
 * the hypercall MSR from base+2 and writes it with the guest-physical
 * address of hypercall_page (page index 0); the VMM then fills the page
 * with 32-byte stubs. hypercall() calls stub nr with the native convention:
 * 64-bit RDI, RSI, RDX, R10, R8; 32-bit EBX, ECX, EDX, ESI, EDI; result in
 * RAX/EAX. Xen may clobber the argument registers, so all are in/out.
 * hypercall_bare() issues vmmcall (vmcall on Intel) itself, with EAX = nr.
 */
#include "guest.h"

uint32_t xen_base;
static int intel;

void xen_init(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t msr;

	intel = r.b == 0x756e6547 && r.d == 0x49656e69 && r.c == 0x6c65746e; /* GenuineIntel */

	for (uint32_t base = XEN_CPUID_FIRST; base <= XEN_CPUID_LAST; base += XEN_CPUID_STEP) {
		r = cpuid(base, 0);
		if (r.b == 0x566e6558 && r.c == 0x65584d4d && r.d == 0x4d4d566e && /* XenV MMXe nVMM */
		    r.a >= base + 2) {
			xen_base = base;
			break;
		}
	}
	if (!xen_base)
		return;

	msr = cpuid(xen_base + 2, 0).b;
	wrmsr(msr, (uintptr_t)hypercall_page);
	printf("xvmm-guest: %s: Xen leaves at %x, hypercall MSR %x, page %p\n",
	       guest_name, xen_base, msr, (void *)hypercall_page);
}

long hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5)
{
	unsigned long fn = (uintptr_t)hypercall_page + nr * 32;
	long ret;

#ifdef __x86_64__
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;

	asm volatile("call *%%rax"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
		     : "0"(fn)
		     : "memory", "rcx", "r9", "r11");
#else
	asm volatile("call *%%eax"
		     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
		     : "0"(fn)
		     : "memory");
#endif
	return ret;
}

long hypercall_bare(unsigned long nr, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	long ret;

#ifdef __x86_64__
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;

	if (intel)
		asm volatile("vmcall"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			     : "0"(nr) : "memory");
	else
		asm volatile("vmmcall"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			     : "0"(nr) : "memory");
#else
	if (intel)
		asm volatile("vmcall"
			     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			     : "0"(nr) : "memory");
	else
		asm volatile("vmmcall"
			     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			     : "0"(nr) : "memory");
#endif
	return ret;
}
