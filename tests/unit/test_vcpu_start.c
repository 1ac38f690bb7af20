// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU start-up (vmm/core/vcpu_start.c) and the IPIs that drive it
 * (vmm/core/vlapic.c): vCPU 0 up, the rest down; INIT then SIPI starts a
 * vCPU in real mode at vector << 12; a SIPI without INIT, or a second one,
 * is ignored; INIT de-assert does nothing; NMIs; VCPUOP_up/down/is_up;
 * fixed IPIs by physical and logical destination and shorthand, each
 * target kicked; lowest priority reaches one vCPU.
 */
#include "test_xen_fakes.h"
#include "vcpu_start.h"
#include "vlapic.h"
#include <xen/xen.h>

#define NR	4
#define ICR	0x830			/* x2APIC ICR MSR */
#define VCPUOP_up	1
#define VCPUOP_down	2
#define VCPUOP_is_up	3

static u8 sipi_seen[NR];
static unsigned int sipis;

static void reset_to_sipi(struct vcpu *v, u8 vector)
{
	sipi_seen[v->id] = vector;
	sipis++;
}

static int setup(void **state)
{
	fake_setup(state);
	fd->nr_vcpus = NR;
	for (unsigned int i = 0; i < NR; i++) {
		vcpu_start_init(&fd->vcpus[i]);
		vlapic_init(&fd->vcpus[i]);
		/* x2APIC everywhere, as Linux has it before it starts the APs. */
		assert_int_equal(vlapic_wrmsr(&fd->vcpus[i], 0x1b, 0xfee00000ull | (1 << 11) | (1 << 10) |
					      (i == 0 ? 1 << 8 : 0)), 0);
	}
	memset(sipi_seen, 0, sizeof(sipi_seen));
	sipis = 0;
	fd->kick_pending = 0;
	return 0;
}

static void icr(struct vcpu *from, u64 val)
{
	assert_int_equal(vlapic_wrmsr(from, ICR, val), 0);
}

static bool apply(unsigned int i)
{
	return vcpu_start_apply(&fd->vcpus[i], reset_to_sipi);
}

/* Physical destination = APIC id = 2 x vCPU id, in ICR bits 63:32 (x2APIC). */
#define DEST(i)		((u64)(2 * (i)) << 32)
#define DM_INIT		(5u << 8)
#define DM_SIPI		(6u << 8)
#define DM_NMI		(4u << 8)
#define ASSERT		(1u << 14)
#define LEVEL		(1u << 15)

static void test_initial_power(void **state)
{
	(void)state;
	assert_true(apply(0));
	for (unsigned int i = 1; i < NR; i++) {
		assert_false(apply(i));
		assert_false(vcpu_is_up(&fd->vcpus[i]));
	}
	assert_int_equal(sipis, 0);
}

/* Linux's wakeup_secondary_cpu_via_init: INIT assert, INIT de-assert, SIPI, SIPI. */
static void test_init_sipi_sipi(void **state)
{
	struct vcpu *bsp = &fd->vcpus[0];

	(void)state;
	icr(bsp, DEST(2) | DM_INIT | ASSERT | LEVEL);
	assert_true(fd->kick_pending & (1u << 2));
	icr(bsp, DEST(2) | DM_INIT | LEVEL);		/* de-assert: nothing */
	icr(bsp, DEST(2) | DM_SIPI | 0x9a);
	icr(bsp, DEST(2) | DM_SIPI | 0x9a);
	assert_true(apply(2));
	assert_int_equal(sipis, 1);
	assert_int_equal(sipi_seen[2], 0x9a);
	assert_true(vcpu_is_up(&fd->vcpus[2]));
	/* Nobody else moved. */
	assert_false(apply(1));
	assert_false(apply(3));
	/* A late SIPI while it runs: ignored. */
	icr(bsp, DEST(2) | DM_SIPI | 0x10);
	assert_true(apply(2));
	assert_int_equal(sipis, 1);
}

static void test_sipi_without_init_ignored(void **state)
{
	(void)state;
	icr(&fd->vcpus[0], DEST(1) | DM_SIPI | 0x9a);
	assert_false(apply(1));
	assert_int_equal(sipis, 0);
	/* INIT and SIPI applied in one go, in the right order. */
	icr(&fd->vcpus[0], DEST(1) | DM_INIT | ASSERT);
	icr(&fd->vcpus[0], DEST(1) | DM_SIPI | 0x20);
	assert_true(apply(1));
	assert_int_equal(sipi_seen[1], 0x20);
	/* INIT to a running vCPU (CPU hotplug, then online again): waits for a SIPI. */
	icr(&fd->vcpus[0], DEST(1) | DM_INIT | ASSERT);
	assert_false(apply(1));
	icr(&fd->vcpus[0], DEST(1) | DM_SIPI | 0x21);
	assert_true(apply(1));
	assert_int_equal(sipis, 2);
}

static void test_fixed_ipis_and_kicks(void **state)
{
	(void)state;
	icr(&fd->vcpus[0], DEST(3) | 0x40);
	assert_int_equal(vlapic_pending(&fd->vcpus[3]), 0);	/* not up: SVR not enabled */
	assert_true(fd->kick_pending & (1u << 3));
	/* Software-enable every APIC, then: all-excluding-self from vCPU 1. */
	for (unsigned int i = 0; i < NR; i++)
		assert_int_equal(vlapic_wrmsr(&fd->vcpus[i], 0x80f, 0x1ff), 0);
	fd->kick_pending = 0;
	icr(&fd->vcpus[1], (3u << 18) | 0x41);
	assert_int_equal(vlapic_pending(&fd->vcpus[0]), 0x41);
	assert_int_equal(vlapic_pending(&fd->vcpus[1]), 0);
	assert_int_equal(vlapic_pending(&fd->vcpus[2]), 0x41);
	assert_int_equal(fd->kick_pending, 0xd);		/* 0, 2, 3: not the sender */
	/* Self shorthand: no kick needed. */
	fd->kick_pending = 0;
	icr(&fd->vcpus[2], (1u << 18) | 0x42);
	assert_int_equal(vlapic_pending(&fd->vcpus[2]), 0x42);
	assert_int_equal(fd->kick_pending, 0);
	/* Logical x2APIC: cluster 0, member bits = 1 << APIC id (0, 2, 4, 6). */
	fd->kick_pending = 0;
	icr(&fd->vcpus[0], (1u << 11) | ((u64)((1u << 4) | (1u << 6)) << 32) | 0x50);
	assert_int_equal(fd->kick_pending, (1u << 2) | (1u << 3));
	/* Lowest priority to the same set: one vCPU only. */
	fd->kick_pending = 0;
	icr(&fd->vcpus[0], (1u << 11) | (1u << 8) | ((u64)((1u << 4) | (1u << 6)) << 32) | 0x60);
	assert_int_equal(fd->kick_pending, 1u << 2);
}

static void test_nmi(void **state)
{
	(void)state;
	icr(&fd->vcpus[0], DEST(0) | DM_NMI);
	assert_true(apply(0));
	assert_true(fd->vcpus[0].nmi_pending);
	/* An NMI to a vCPU that is down is dropped. */
	icr(&fd->vcpus[0], DEST(1) | DM_NMI);
	assert_false(apply(1));
	assert_false(fd->vcpus[1].nmi_pending);
}

static s64 vop(u32 cmd, u32 id)
{
	return hcall64(__HYPERVISOR_vcpu_op, cmd, id, 0, 0, 0, NULL);
}

static void test_vcpu_ops(void **state)
{
	(void)state;
	assert_int_equal(vop(VCPUOP_is_up, 1), 0);
	assert_int_equal(vop(VCPUOP_up, 1), -22);		/* never had a state */
	icr(&fd->vcpus[0], DEST(1) | DM_INIT | ASSERT);
	icr(&fd->vcpus[0], DEST(1) | DM_SIPI | 0x9a);
	assert_true(apply(1));
	assert_int_equal(vop(VCPUOP_is_up, 1), 1);
	assert_int_equal(vop(VCPUOP_down, 1), 0);
	assert_false(apply(1));
	assert_int_equal(vop(VCPUOP_is_up, 1), 0);
	assert_int_equal(vop(VCPUOP_up, 1), 0);			/* it has a state now */
	assert_true(apply(1));
	assert_int_equal(vop(VCPUOP_is_up, 4), -2);		/* no such vCPU */
	/* The last vCPU up going down powers the domain off. */
	assert_int_equal(vop(VCPUOP_down, 1), 0);
	assert_false(apply(1));
	assert_int_equal(vop(VCPUOP_down, 0), 0);
	assert_int_equal(fake_shutdowns, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_power, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_init_sipi_sipi, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_sipi_without_init_ignored, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fixed_ipis_and_kicks, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_nmi, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_ops, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
