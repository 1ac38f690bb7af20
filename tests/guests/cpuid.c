// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpuid: the Xen CPUID leaves and the hypercall page.
 *  - "XenVMMXenVMM" at the base the runtime found; max leaf >= base + 2
 *  - base+1: version non-zero; base+2: one hypercall page, MSR 0x40000000
 *  - base+4 present, vCPU id flag set, id 0 (we are vCPU 0)
 *  - leaf 1 ECX.hypervisor (bit 31) set; 0x80000001 ECX.SVM (bit 2) clear
 *  - stub 17 of the hypercall page starts "mov $17, %eax" (b8 11 00 00 00)
 *  - a bare vmmcall xen_version(0) gives what the page gives
 *  - CPUID faulting offered as Xen offers it: PLATFORM_INFO (0xce) bit 31;
 *    MISC_FEATURES_ENABLES (0x140) bit 0 reads back; CPUID in ring 0 still
 *    answers with it on (ring 3 would get #GP: the unit tests check that)
 *  - leaf 1: no XSAVE, OSXSAVE or AVX; leaf 7.0: no AVX2; leaf 0xD all 0
 */
#include "guest.h"

DEFINE_GUEST_NAME;

void guest_main(void)
{
	static const uint8_t stub17[5] = { 0xb8, 0x11, 0x00, 0x00, 0x00 };
	struct cpuid_regs r;
	uint32_t max;
	long via_page, bare;

	need_xen();

	r = cpuid(xen_base, 0);
	max = r.a;
	printf("xvmm-guest: %s: base %x, max leaf %x\n", guest_name, xen_base, max);
	if (max < xen_base + 2)
		fail("max leaf %x < base + 2", max);

	r = cpuid(xen_base + 1, 0);
	printf("xvmm-guest: %s: version %u.%u\n", guest_name, r.a >> 16, r.a & 0xffff);
	if (r.a == 0)
		fail("version leaf is 0");

	r = cpuid(xen_base + 2, 0);
	if (r.a != 1)
		fail("%u hypercall pages, want 1", r.a);
	if (r.b != 0x40000000)
		fail("hypercall MSR %x, want 40000000", r.b);

	if (max < xen_base + 4)
		fail("no HVM leaf base+4 (max %x)", max);
	r = cpuid(xen_base + 4, 0);
	printf("xvmm-guest: %s: HVM leaf eax %x ebx %x\n", guest_name, r.a, r.b);
	if (!(r.a & XEN_HVM_CPUID_VCPU_ID))
		fail("vCPU id not present in base+4 (eax %x)", r.a);
	if (r.b != 0)
		fail("vCPU id %u, want 0", r.b);

	if (!(cpuid(1, 0).c & (1u << 31)))
		fail("CPUID.1 ECX hypervisor bit clear");
	if (cpuid(0x80000000, 0).a >= 0x80000001 && (cpuid(0x80000001, 0).c & (1u << 2)))
		fail("SVM visible in CPUID 0x80000001 ECX");

	if (memcmp(hypercall_page + HC_xen_version * 32, stub17, sizeof(stub17)))
		fail("stub 17 starts %x %x %x %x %x",
		     (uint8_t)hypercall_page[17 * 32], (uint8_t)hypercall_page[17 * 32 + 1],
		     (uint8_t)hypercall_page[17 * 32 + 2], (uint8_t)hypercall_page[17 * 32 + 3],
		     (uint8_t)hypercall_page[17 * 32 + 4]);

	if (!(rdmsr(0xce) & (1ull << 31)))
		fail("PLATFORM_INFO %llx: no CPUID faulting", ULL(rdmsr(0xce)));
	wrmsr(0x140, 1);
	if (rdmsr(0x140) != 1)
		fail("MISC_FEATURES_ENABLES %llx after writing 1", ULL(rdmsr(0x140)));
	if (cpuid(xen_base, 0).a != max)
		fail("CPUID in ring 0 with faulting on changed");
	wrmsr(0x140, 0);
	printf("xvmm-guest: %s: CPUID faulting offered, ring 0 unaffected\n", guest_name);

	r = cpuid(1, 0);
	if (r.c & ((1u << 26) | (1u << 27) | (1u << 28)))
		fail("CPUID.1 ECX %x: XSAVE, OSXSAVE or AVX visible", r.c);
	if (cpuid(0, 0).a >= 7 && (cpuid(7, 0).b & (1u << 5)))
		fail("AVX2 visible without XSAVE");
	if (cpuid(0, 0).a >= 0xd) {
		r = cpuid(0xd, 0);
		if (r.a | r.b | r.c | r.d)
			fail("leaf 0xD not zero: %x %x %x %x", r.a, r.b, r.c, r.d);
	}

	via_page = xen_version(XENVER_version, NULL);
	bare = hypercall_bare(HC_xen_version, XENVER_version, 0, 0, 0, 0);
	printf("xvmm-guest: %s: xen_version %lx via page, %lx bare\n",
	       guest_name, via_page, bare);
	if (via_page != bare)
		fail("bare vmmcall gave %lx, page %lx", bare, via_page);
}
