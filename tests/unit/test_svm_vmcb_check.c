// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMRUN consistency checks on a guest VMCB (vmm/arch/x86/svm/
 * vmcb_check.c, APM vol. 2, 15.5.1): a PVH entry state and a long-mode
 * state pass; each illegal combination is named. The host's CPUID (this
 * machine's) gives the supported CR4 and EFER bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu.h"
#include "svm.h"
#include "xen_abi.h"

void xen_cpuid(struct vcpu *v, u32 l, u32 s, struct xen_cpuid_regs *r)
{
	(void)v; (void)l; (void)s; (void)r;
	fail();
}

static struct vmcb vmcb;

static void pvh_entry(void)
{
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.efer = EFER_SVME;
	vmcb.save.cr0 = CR0_PE | CR0_ET;
	vmcb.save.cs.attrib = 0xc9b;
	vmcb.save.dr6 = 0xffff0ff0;
	vmcb.save.dr7 = 0x400;
	vmcb.control.intercept_misc2 = INTERCEPT_VMRUN;
	vmcb.control.asid = 17;
}

static void long_mode(void)
{
	pvh_entry();
	vmcb.save.efer |= EFER_LME | EFER_LMA;
	vmcb.save.cr0 |= CR0_PG;
	vmcb.save.cr4 = CR4_PAE;
	vmcb.save.cs.attrib = 0xa9b;		/* L, not D */
	vmcb.save.cr3 = 0x1000;
}

static int setup(void **state)
{
	(void)state;
	svm_vmcb_check_init();
	return 0;
}

static void expect(const char *what)
{
	const char *why = svm_vmcb_invalid(&vmcb);

	if (!what) {
		if (why)
			fail_msg("refused: %s", why);
		return;
	}
	assert_non_null(why);
	assert_string_equal(why, what);
}

static void test_good_states(void **state)
{
	(void)state;
	pvh_entry();
	expect(NULL);
	long_mode();
	expect(NULL);
}

static void test_bad_states(void **state)
{
	(void)state;
	pvh_entry(); vmcb.save.efer = 0;
	expect("EFER.SVME clear");
	pvh_entry(); vmcb.save.cr0 |= CR0_NW;
	expect("CR0.NW without CR0.CD");
	pvh_entry(); vmcb.save.cr0 |= CR0_NW | CR0_CD;
	expect(NULL);
	pvh_entry(); vmcb.save.cr0 |= 1ull << 40;
	expect("CR0 bits 63:32 set");
	pvh_entry(); vmcb.save.cr4 = CR4_VMXE;	/* an AMD-style host: no VMX */
	if (svm_vmcb_invalid(&vmcb))
		expect("CR4 reserved bit set");
	pvh_entry(); vmcb.save.cr4 = 1ull << 40;
	expect("CR4 reserved bit set");
	long_mode(); vmcb.save.cr3 = 1ull << 62;
	expect("CR3 beyond the physical address width");
	pvh_entry(); vmcb.save.dr7 = 1ull << 33;
	expect("DR6/DR7 bits 63:32 set");
	pvh_entry(); vmcb.save.efer |= EFER_LMSLE | (1ull << 40);
	expect("EFER reserved bit set");
	long_mode(); vmcb.save.cr4 = 0;
	expect("long mode without CR4.PAE");
	long_mode(); vmcb.save.cs.attrib |= BIT(10);
	expect("CS.L and CS.D both set in long mode");
	pvh_entry(); vmcb.control.intercept_misc2 = 0;
	expect("VMRUN not intercepted");
	pvh_entry(); vmcb.control.asid = 0;
	expect("ASID 0");
	pvh_entry(); vmcb.control.event_inj = EVENTINJ_VALID | (1u << 8) | 32;
	expect("illegal event injection");
	pvh_entry(); vmcb.control.event_inj = EVENTINJ_VALID | EVENTINJ_TYPE_EXCEPTION | 2;
	expect("illegal event injection");
	pvh_entry(); vmcb.control.event_inj = EVENTINJ_VALID | EVENTINJ_TYPE_EXCEPTION | 13 |
					       EVENTINJ_ERROR_VALID;
	expect(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_states),
		cmocka_unit_test(test_bad_states),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
