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
#include <xen/hvm_vcpu.h>
#include <xen/xen.h>

#define NR	4
#define ICR	0x830			/* x2APIC ICR MSR */
#define VCPUOP_up	1
#define VCPUOP_down	2
#define VCPUOP_is_up	3

static u8 sipi_seen[NR];
static unsigned int sipis, states;
static struct vcpu_start_state last_state;

static void reset_to_sipi(struct vcpu *v, const struct vcpu_start_state *s)
{
	if (s->cr0 & 1) {		/* protected mode: a VCPUOP_initialise state */
		last_state = *s;
		states++;
		return;
	}
	/* A SIPI's state: real mode, CS = vector << 8, base vector << 12, IP 0. */
	assert_int_equal(s->cs.base, (u64)(s->cs.sel >> 8) << 12);
	assert_int_equal(s->cs.limit, 0xffff);
	assert_int_equal(s->rip, 0);
	assert_int_equal(s->cr0 & 1, 0);
	assert_int_equal(s->rflags, 2);
	sipi_seen[v->id] = (u8)(s->cs.sel >> 8);
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
	sipis = states = 0;
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

#define VCPUOP_initialise	0

/* The 32-bit flat state a PVH guest starts an AP in. */
static void flat32(struct vcpu_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_32B;
	c->cpu_regs.x86_32.cr0 = 0x11;			/* PE, ET */
	c->cpu_regs.x86_32.eip = 0x123456;
	c->cpu_regs.x86_32.esp = 0x200000;
	c->cpu_regs.x86_32.ebx = 0xb0b;
	c->cpu_regs.x86_32.eflags = 0xffffffff;
	c->cpu_regs.x86_32.cs_limit = c->cpu_regs.x86_32.ds_limit = ~0u;
	c->cpu_regs.x86_32.ss_limit = c->cpu_regs.x86_32.es_limit = ~0u;
	c->cpu_regs.x86_32.cs_ar = 0xc9b;
	c->cpu_regs.x86_32.ds_ar = c->cpu_regs.x86_32.ss_ar = c->cpu_regs.x86_32.es_ar = 0xc93;
	c->cpu_regs.x86_32.tr_limit = 0x67;
	c->cpu_regs.x86_32.tr_ar = 0x8b;
}

static s64 initialise(u32 id, const struct vcpu_hvm_context *c)
{
	memcpy(fake_ram + 0x3000, c, sizeof(*c));
	return hcall64(__HYPERVISOR_vcpu_op, VCPUOP_initialise, id, 0x3000, 0, 0, NULL);
}

static void test_initialise(void **state)
{
	struct vcpu_hvm_context c;

	(void)state;
	flat32(&c);
	assert_int_equal(initialise(0, &c), -17);		/* vCPU 0 has a state */
	/* Refused as Xen refuses them. */
	c.cpu_regs.x86_32.cs_ar = 0xc93;			/* data for CS */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.ss_ar = 0xc9b;			/* code for SS */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.tr_ar = 0x89;				/* an available TSS: made busy, fine */
	assert_int_equal(initialise(3, &c), 0);
	flat32(&c);
	c.cpu_regs.x86_32.tr_ar = 0x93;				/* not a TSS */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.cs_limit = 0xffff;			/* EIP beyond it */
	c.cpu_regs.x86_32.cs_ar = 0x49b;
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.cr0 = 0x80000010;			/* PG without PE */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.cr4 = 1u << 13;			/* VMXE */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.cpu_regs.x86_32.efer = 1u << 10;			/* LMA without LME */
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.pad = 1;
	assert_int_equal(initialise(1, &c), -22);
	flat32(&c);
	c.mode = 2;
	assert_int_equal(initialise(1, &c), -22);
	memset(&c, 0, sizeof(c));
	c.mode = VCPU_HVM_MODE_64B;
	c.cpu_regs.x86_64.rip = 0x0000800000000000ull;		/* not canonical */
	c.cpu_regs.x86_64.cr0 = 0x80000011;
	c.cpu_regs.x86_64.cr4 = 0x20;
	c.cpu_regs.x86_64.efer = 0x100;
	assert_int_equal(initialise(2, &c), -22);
	assert_int_equal(hcall64(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, FAKE_BAD_GPA, 0, 0, NULL), -14);
	assert_int_equal(states, 0);

	/* A good one: stays down until VCPUOP_up, then runs from that state. */
	flat32(&c);
	assert_int_equal(initialise(1, &c), 0);
	assert_int_equal(initialise(1, &c), -17);		/* once */
	assert_false(apply(1));
	assert_int_equal(states, 1);
	assert_int_equal(last_state.rip, 0x123456);
	assert_int_equal(last_state.rbx, 0xb0b);
	assert_int_equal(last_state.rflags, 0x003f7fd7);	/* defined bits, bit 1 set */
	assert_int_equal(last_state.cs.attr, 0xc9b);
	assert_int_equal(last_state.tr.attr, 0x8b);
	assert_int_equal(vop(VCPUOP_is_up, 1), 0);
	assert_int_equal(vop(VCPUOP_up, 1), 0);
	assert_true(apply(1));
	assert_int_equal(vop(VCPUOP_is_up, 1), 1);
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
		cmocka_unit_test_setup_teardown(test_initialise, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
