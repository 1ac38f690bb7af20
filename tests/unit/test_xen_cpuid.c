// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID (vmm/xen/cpuid.c): the Xen leaves, and the filter over native
 * leaves, both with made-up host values (xen_cpuid_filter) and with this
 * host's real CPUID (xen_cpuid).
 */
#include <cpuid.h>

#include "test_xen_fakes.h"
#include "xen_internal.h"
#include <xen/cpuid.h>

static const struct xen_host_cpuid amd = { XEN_CPU_AMD, 0x10, 0x80000021 };
static const struct xen_host_cpuid intel = { XEN_CPU_INTEL, 0x20, 0x80000008 };

static struct xen_cpuid_regs filter(const struct xen_host_cpuid *h, u32 leaf, u32 sub,
				    u32 a, u32 b, u32 c, u32 d)
{
	struct xen_cpuid_regs r = { a, b, c, d };

	xen_cpuid_filter(fv, h, leaf, sub, &r);
	return r;
}

static void test_xen_signature_and_version(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	r = filter(&amd, 0x40000000, 0, 1, 2, 3, 4);		/* host values ignored */
	assert_int_equal(r.eax, 0x40000005);
	assert_memory_equal(&r.ebx, "XenV", 4);
	assert_memory_equal(&r.ecx, "MMXe", 4);
	assert_memory_equal(&r.edx, "nVMM", 4);
	r = filter(&amd, 0x40000001, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax, (4 << 16) | 17);
	assert_int_equal(r.ebx | r.ecx | r.edx, 0);
	r = filter(&intel, 0x40000002, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx, 0x40000000);
	assert_int_equal(r.ecx | r.edx, 0);
}

static void test_xen_leaves_3_to_5_and_beyond(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	for (u32 sub = 0; sub < 3; sub++) {
		r = filter(&amd, 0x40000003, sub, 9, 9, 9, 9);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	fv->id = 0;
	r = filter(&amd, 0x40000004, 0, 9, 9, 9, 9);
	assert_int_equal(r.eax, XEN_HVM_CPUID_X2APIC_VIRT | XEN_HVM_CPUID_VCPU_ID_PRESENT |
				XEN_HVM_CPUID_DOMID_PRESENT);
	assert_int_equal(r.ebx, 0);
	assert_int_equal(r.ecx, FAKE_DOMID);
	assert_int_equal(r.edx, 0);
	r = filter(&amd, 0x40000004, 1, 9, 9, 9, 9);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(&amd, 0x40000005, 0, 9, 9, 9, 9);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Past the last leaf, the other bases and the rest of the range: zero. */
	static const u32 leaves[] = { 0x40000006, 0x400000ff, 0x40000100, 0x40000200, 0x4fffffff };
	for (unsigned int i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		r = filter(&amd, leaves[i], 0, 9, 9, 9, 9);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

static void test_leaf1_bits(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	r = filter(&amd, 1, 0, 0x00a00f11, 0x12080800, 0xffffffffu, 0xffffffffu);
	assert_int_equal(r.eax, 0x00a00f11);
	assert_false(r.ecx & (1u << 5));	/* VMX */
	assert_false(r.ecx & (1u << 3));	/* MONITOR */
	assert_true(r.ecx & (1u << 21));	/* x2APIC: the only APIC mode offered */
	assert_true(r.ecx & (1u << 31));	/* hypervisor */
	assert_true(r.ecx & (1u << 0));		/* SSE3 kept */
	assert_false(r.ecx & (1u << 26));	/* XSAVE: XSETBV is refused */
	assert_false(r.ecx & (1u << 27));	/* OSXSAVE */
	assert_true(r.edx & (1u << 28));	/* HTT */
	assert_true(r.edx & (1u << 9));		/* APIC kept */
	assert_false(r.edx & (1u << 21));	/* DS */
	r = filter(&amd, 1, 0, 0, 0, 0, 0);
	assert_int_equal(r.ecx, (1u << 31) | (1u << 21));	/* HYPERVISOR, x2APIC */
	assert_int_equal(r.edx, 1u << 28);
}

static void test_apic_id_and_topology(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	r = filter(&amd, 1, 0, 0, 0x12080800, 0, 0);
	assert_int_equal(r.ebx >> 24, 0);		/* vCPU 0: APIC id 0 */
	assert_int_equal((r.ebx >> 16) & 0xff, 0x10);	/* 8 doubled */
	assert_int_equal(r.ebx & 0xffff, 0x0800);	/* CLFLUSH size, brand kept */
	fv->id = 3;					/* as if vCPU 3 */
	r = filter(&amd, 1, 0, 0, 0x00000800, 0, 0);
	assert_int_equal(r.ebx >> 24, 6);
	assert_int_equal((r.ebx >> 16) & 0xff, 2);	/* 0 becomes 2 */
	fv->id = 0;
	r = filter(&amd, 1, 0, 0, 0x00800000, 0, 0);
	assert_int_equal((r.ebx >> 16) & 0xff, 0x80);	/* no overflow */

	/* AMD 0x80000008 ECX: NC doubled + 1, ApicIdCoreIdSize + 1. */
	r = filter(&amd, 0x80000008, 0, 0x3030, 0x5, 0x4007, 0);
	assert_int_equal(r.ecx, 0x500f);
	assert_int_equal(r.eax, 0x3030);
	r = filter(&amd, 0x80000008, 0, 0, 0, 0x0001, 0);	/* size 0 stays 0 */
	assert_int_equal(r.ecx, 0x0003);
	/* Intel leaf 4: cores per package doubled, threads per cache 0. */
	r = filter(&intel, 4, 0, (3u << 26) | (1u << 14) | 0x121, 1, 2, 3);
	assert_int_equal(r.eax, (7u << 26) | 0x121);
	r = filter(&intel, 4, 4, 0, 0, 0, 0);		/* no cache: untouched */
	assert_int_equal(r.eax, 0);
	/* Not on AMD. */
	r = filter(&amd, 4, 0, (3u << 26) | 0x121, 0, 0, 0);
	assert_int_equal(r.eax, (3u << 26) | 0x121);
}

static void test_extended_bits(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	r = filter(&amd, 0x80000001, 0, 0x00a00f11, 0, 0xffffffffu, 0xffffffffu);
	assert_false(r.ecx & (1u << 2));	/* SVM */
	assert_false(r.ecx & (1u << 1));	/* CMP_LEGACY */
	assert_false(r.ecx & (1u << 22));	/* TOPOEXT */
	assert_false(r.ecx & (1u << 29));	/* MONITORX */
	assert_true(r.ecx & (1u << 0));		/* LAHF_LM kept */
	assert_int_equal(r.edx, 0xffffffffu);	/* LM, NX, ... kept */
	r = filter(&amd, 0x80000007, 0, 9, 9, 9, 0xffffffffu);
	assert_int_equal(r.eax | r.ebx | r.ecx, 0);
	assert_int_equal(r.edx, 1u << 8);	/* invariant TSC only */
	r = filter(&intel, 7, 0, 0, 0xffffffffu, 0xffffffffu, 0);
	assert_false(r.ecx & (1u << 5));	/* WAITPKG */
	assert_true(r.ebx & (1u << 0));		/* FSGSBASE kept */
	r = filter(&intel, 7, 1, 0, 0, 0x20, 0);	/* sub-leaf 1: only EAX is filtered */
	assert_int_equal(r.ecx, 0x20);
}

static void test_zeroed_and_out_of_range(void **state)
{
	static const u32 zeroed[] = { 5, 6, 0xa, 0xb, 0x8000000a, 0x8000001e, 0x8000001f };
	struct xen_cpuid_regs r;

	(void)state;
	for (unsigned int i = 0; i < sizeof(zeroed) / sizeof(zeroed[0]); i++) {
		r = filter(&amd, zeroed[i], 0, 1, 2, 3, 4);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	r = filter(&intel, 0x1f, 1, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Beyond the host's maxima, and ranges nobody passes on. */
	r = filter(&amd, 0x11, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(&intel, 0x80000009, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(&amd, 0xc0000000, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(&amd, 0x50000000, 0, 1, 2, 3, 4);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Leaves within range and untouched pass as they are. */
	r = filter(&amd, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65);
	assert_int_equal(r.eax, 0x10);
	assert_int_equal(r.ebx, 0x68747541);
	/* Leaf 0xD (XSAVE components), every sub-leaf: XSAVE is hidden. */
	r = filter(&amd, 0xd, 1, 0xf, 0x340, 0, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(&intel, 0xd, 0, 7, 0x340, 0x340, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/*
 * What depends on XSAVE goes with it (Xen's gen-cpuid.py): AVX, FMA, F16C;
 * AVX2, MPX, AVX-512, PKU, VAES, VPCLMULQDQ; AVX_VNNI; XOP, FMA4, LWP.
 * Unrelated bits in the same registers stay.
 */
static void test_xsave_dependents_hidden(void **state)
{
	struct xen_cpuid_regs r;

	(void)state;
	r = filter(&intel, 1, 0, 0, 0, ~0u, 0);
	assert_int_equal(r.ecx & ((1u << 12) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29)), 0);
	assert_true(r.ecx & (1u << 0));			/* SSE3 */
	assert_true(r.ecx & (1u << 20));		/* SSE4.2 */
	r = filter(&intel, 7, 0, 0, ~0u, ~0u, ~0u);
	assert_int_equal(r.ebx & ((1u << 5) | (1u << 14) | (1u << 16) | (1u << 31)), 0);
	assert_true(r.ebx & (1u << 3));			/* BMI1 */
	assert_true(r.ebx & (1u << 8));			/* BMI2 */
	assert_int_equal(r.ecx & ((1u << 3) | (1u << 9) | (1u << 10)), 0);
	assert_true(r.ecx & (1u << 8));			/* GFNI (SSE encodings) */
	assert_int_equal(r.edx & ((1u << 23) | (1u << 24)), 0);
	r = filter(&intel, 7, 1, ~0u, 0, 0, 0);
	assert_int_equal(r.eax & ((1u << 4) | (1u << 5)), 0);
	r = filter(&amd, 0x80000001, 0, 0, 0, ~0u, 0);
	assert_int_equal(r.ecx & ((1u << 11) | (1u << 15) | (1u << 16)), 0);
	assert_true(r.ecx & (1u << 0));			/* LAHF_LM */
}

/* The same checks against this machine's own CPUID. */
static void test_real_host(void **state)
{
	struct xen_cpuid_regs r;
	unsigned int a, b, c, d, max_ext;

	(void)state;
	xen_cpuid(fv, 0x40000000, 0, &r);
	assert_int_equal(r.eax, 0x40000005);
	assert_int_equal(r.ebx, 0x566e6558);

	xen_cpuid(fv, 1, 0, &r);
	__cpuid_count(1, 0, a, b, c, d);
	assert_int_equal(r.eax, a);
	assert_true(r.ecx & (1u << 31));
	assert_false(r.ecx & ((1u << 5) | (1u << 3) | (1u << 26)));
	assert_true(r.ecx & (1u << 21));
	assert_int_equal(r.ecx & (1u << 0), c & (1u << 0));
	assert_int_equal(r.ebx >> 24, 0);
	assert_int_equal(r.edx & (1u << 0), d & (1u << 0));	/* FPU passes through */

	__cpuid(0x80000000, max_ext, b, c, d);
	xen_cpuid(fv, 0x80000000, 0, &r);
	assert_int_equal(r.eax, max_ext);
	if (max_ext >= 0x80000001) {
		xen_cpuid(fv, 0x80000001, 0, &r);
		assert_false(r.ecx & (1u << 2));
	}
	if (max_ext >= 0x8000000a) {
		xen_cpuid(fv, 0x8000000a, 0, &r);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	xen_cpuid(fv, max_ext + 1, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xen_signature_and_version, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xen_leaves_3_to_5_and_beyond, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_leaf1_bits, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_apic_id_and_topology, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_extended_bits, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_zeroed_and_out_of_range, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xsave_dependents_hidden, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_real_host, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
