// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's CR0, CR4 and EFER writes (vmm/xen/cr_policy.c): the bits its
 * CPUID offers, the architecture's #GP cases, EFER.LMA following CR0.PG
 * with EFER.LME, and when the guest's TLB must be flushed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu.h"
#include "cr_policy.h"
#include "errno.h"
#include "xen_abi.h"

/* Not called by these tests (guest_cr_features_of is tested in the system). */
void xen_cpuid(struct vcpu *v, u32 l, u32 s, struct xen_cpuid_regs *r)
{
	(void)v; (void)l; (void)s; (void)r;
	fail();
}

/* An EPYC-like guest CPUID: no UMIP, no PKU, no LA57, no PCID, XSAVE hidden. */
static const struct guest_cr_features epyc = {
	.leaf1_ecx = 0,
	.leaf1_edx = BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(6) | BIT(7) | BIT(13) |
		     BIT(24) | BIT(25),
	.leaf7_ebx = BIT(0) | BIT(7) | BIT(20),
	.leaf7_ecx = 0,
	.ext1_ecx = 0,
	.ext1_edx = BIT(11) | BIT(20) | BIT(25) | BIT(29),
};

static struct guest_cr_state pvh_entry(void)
{
	/* docs/misc/pvh.pandoc: protected mode, paging off. */
	struct guest_cr_state s = { .cr0 = CR0_PE | CR0_ET };

	return s;
}

static void test_cr4_valid_bits(void **state)
{
	u64 v = guest_cr4_valid_bits(&epyc);
	struct guest_cr_features more = epyc;

	(void)state;
	assert_true(v & CR4_PAE);
	assert_true(v & CR4_PGE);
	assert_true(v & CR4_OSFXSR);
	assert_true(v & CR4_SMEP);
	assert_false(v & CR4_UMIP);
	assert_false(v & CR4_OSXSAVE);
	assert_false(v & CR4_VMXE);
	assert_false(v & CR4_SMXE);
	assert_false(v & CR4_LA57);
	assert_false(v & BIT(23));		/* CET */
	assert_int_equal(v >> 32, 0);
	more.leaf7_ecx = BIT(2) | BIT(16);
	more.leaf1_ecx = BIT(17) | BIT(26);
	v = guest_cr4_valid_bits(&more);
	assert_true(v & CR4_UMIP);
	assert_true(v & CR4_LA57);
	assert_true(v & CR4_PCIDE);
	assert_true(v & CR4_OSXSAVE);
}

static void test_efer_valid_bits(void **state)
{
	u64 v = guest_efer_valid_bits(&epyc);

	(void)state;
	assert_int_equal(v, EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSR);
	assert_false(v & EFER_SVME);
	assert_false(v & EFER_LMSLE);
}

/* The way a PVH kernel enters long mode: PAE, LME, then PG. */
static void test_long_mode_entry(void **state)
{
	struct guest_cr_state s = pvh_entry();
	u64 cr4v = guest_cr4_valid_bits(&epyc), eferv = guest_efer_valid_bits(&epyc);
	bool flush;

	(void)state;
	assert_int_equal(guest_cr4_write(&s, CR4_PAE, cr4v, &flush), 0);
	assert_true(flush);
	assert_int_equal(guest_efer_write(&s, EFER_LME, eferv, &flush), 0);
	assert_false(flush);
	assert_int_equal(s.efer, EFER_LME);
	assert_int_equal(guest_cr0_write(&s, CR0_PE | CR0_PG | CR0_WP, &flush), 0);
	assert_true(flush);
	assert_int_equal(s.efer, EFER_LME | EFER_LMA);
	assert_int_equal(s.cr0, CR0_PE | CR0_PG | CR0_WP | CR0_ET);
	/* Now in long mode: PAE cannot go, LME cannot change, LMA stays. */
	s.cs_long = true;
	assert_int_equal(guest_cr4_write(&s, 0, cr4v, &flush), -EINVAL);
	assert_int_equal(guest_efer_write(&s, 0, eferv, &flush), -EINVAL);
	assert_int_equal(guest_efer_write(&s, EFER_LME | EFER_NXE, eferv, &flush), 0);
	assert_true(flush);
	assert_int_equal(s.efer, EFER_LME | EFER_LMA | EFER_NXE);
	/* Paging cannot be turned off from 64-bit code. */
	assert_int_equal(guest_cr0_write(&s, CR0_PE, &flush), -EINVAL);
	assert_true(s.cr0 & CR0_PG);
}

static void test_long_mode_exit(void **state)
{
	struct guest_cr_state s = pvh_entry();
	bool flush;

	(void)state;
	s.cr0 |= CR0_PG;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	s.cs_long = false;		/* compatibility mode: allowed (SDM 10.8.5.4) */
	assert_int_equal(guest_cr0_write(&s, CR0_PE, &flush), 0);
	assert_int_equal(s.efer, EFER_LME);
}

static void test_cr0_refused(void **state)
{
	struct guest_cr_state s = pvh_entry(), before;
	bool flush;

	(void)state;
	before = s;
	assert_int_equal(guest_cr0_write(&s, CR0_PE | BIT(32), &flush), -EINVAL);
	assert_int_equal(guest_cr0_write(&s, CR0_PE | CR0_NW, &flush), -EINVAL);
	assert_int_equal(guest_cr0_write(&s, CR0_PG, &flush), -EINVAL);
	s.efer = EFER_LME;		/* long mode needs PAE */
	assert_int_equal(guest_cr0_write(&s, CR0_PE | CR0_PG, &flush), -EINVAL);
	s.efer = 0;
	assert_memory_equal(&s, &before, sizeof(s));
	/* Defined bits are kept, undefined low ones dropped, ET forced. */
	assert_int_equal(guest_cr0_write(&s, CR0_PE | CR0_CD | CR0_NW | BIT(7), &flush), 0);
	assert_int_equal(s.cr0, CR0_PE | CR0_CD | CR0_NW | CR0_ET);
	assert_true(flush);
	assert_int_equal(guest_cr0_write(&s, s.cr0 | CR0_TS, &flush), 0);
	assert_false(flush);
}

static void test_cr4_refused(void **state)
{
	struct guest_cr_state s = pvh_entry();
	u64 v = guest_cr4_valid_bits(&epyc);
	struct guest_cr_features pcid = epyc;
	bool flush;

	(void)state;
	/* XTF umip: CR4.UMIP on a CPU without it is #GP. */
	assert_int_equal(guest_cr4_write(&s, CR4_UMIP, v, &flush), -EINVAL);
	assert_int_equal(guest_cr4_write(&s, CR4_OSXSAVE, v, &flush), -EINVAL);
	assert_int_equal(guest_cr4_write(&s, CR4_VMXE, v, &flush), -EINVAL);
	assert_int_equal(guest_cr4_write(&s, BIT(15), v, &flush), -EINVAL);
	assert_int_equal(guest_cr4_write(&s, BIT(40), v, &flush), -EINVAL);
	assert_int_equal(s.cr4, 0);
	assert_int_equal(guest_cr4_write(&s, CR4_OSFXSR | CR4_TSD, v, &flush), 0);
	assert_false(flush);
	/* PCIDE: only in long mode, only with CR3[11:0] = 0. */
	pcid.leaf1_ecx = BIT(17);
	v = guest_cr4_valid_bits(&pcid);
	assert_int_equal(guest_cr4_write(&s, CR4_PCIDE | CR4_PAE, v, &flush), -EINVAL);
	s.cr0 |= CR0_PG;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	s.cr3 = 0x1005;
	assert_int_equal(guest_cr4_write(&s, CR4_PCIDE | CR4_PAE, v, &flush), -EINVAL);
	s.cr3 = 0x1000;
	assert_int_equal(guest_cr4_write(&s, CR4_PCIDE | CR4_PAE, v, &flush), 0);
	assert_true(flush);
	/* ... and paging cannot be turned off under PCIDE. */
	assert_int_equal(guest_cr0_write(&s, CR0_PE, &flush), -EINVAL);
}

static void test_efer_refused(void **state)
{
	struct guest_cr_state s = pvh_entry();
	u64 v = guest_efer_valid_bits(&epyc);
	bool flush;

	(void)state;
	assert_int_equal(guest_efer_write(&s, EFER_SVME, v, &flush), -EINVAL);
	assert_int_equal(guest_efer_write(&s, EFER_LMSLE, v, &flush), -EINVAL);
	assert_int_equal(guest_efer_write(&s, BIT(1), v, &flush), -EINVAL);
	assert_int_equal(guest_efer_write(&s, BIT(63), v, &flush), -EINVAL);
	/* A written LMA is ignored: the CPU sets it. */
	assert_int_equal(guest_efer_write(&s, EFER_LMA | EFER_SCE, v, &flush), 0);
	assert_int_equal(s.efer, EFER_SCE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cr4_valid_bits),
		cmocka_unit_test(test_efer_valid_bits),
		cmocka_unit_test(test_long_mode_entry),
		cmocka_unit_test(test_long_mode_exit),
		cmocka_unit_test(test_cr0_refused),
		cmocka_unit_test(test_cr4_refused),
		cmocka_unit_test(test_efer_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
