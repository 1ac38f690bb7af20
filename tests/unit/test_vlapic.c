// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC register model (vmm/core/vlapic.c) through both front
 * ends: x2APIC MSRs and the xAPIC page; the IA32_APIC_BASE mode
 * transitions (SDM 11.12.5); self-IPIs, EOI, TPR and ISR gating.
 */
#include "test_xen_fakes.h"
#include "errno.h"
#include "vlapic.h"

#define APIC_BASE_MSR	0x1b
#define EN		(1ull << 11)
#define EXTD		(1ull << 10)
#define BSP		(1ull << 8)
#define APIC_PA		0xfee00000ull

static u64 rdmsr_ok(u32 msr);
static void wrmsr_ok(u32 msr, u64 val);

/* xAPIC (the reset state) -> x2APIC, as Linux does when CPUID offers it. */
static void to_x2apic(void)
{
	wrmsr_ok(APIC_BASE_MSR, rdmsr_ok(APIC_BASE_MSR) | EXTD);
}

/* Most tests start where a Linux guest is after boot: x2APIC mode. */
static int setup(void **state)
{
	fake_setup(state);
	vlapic_init(fv);
	to_x2apic();
	return 0;
}

static u64 rdmsr_ok(u32 msr)
{
	u64 val = 0xdeadbeef;

	assert_int_equal(vlapic_rdmsr(fv, msr, &val), 0);
	return val;
}

static void wrmsr_ok(u32 msr, u64 val)
{
	assert_int_equal(vlapic_wrmsr(fv, msr, val), 0);
}

static void wrmsr_gp(u32 msr, u64 val)
{
	assert_int_equal(vlapic_wrmsr(fv, msr, val), -EINVAL);
}

static u32 mmio_rd(u32 off)
{
	return (u32)vlapic_mmio_read(fv, APIC_PA + off, 4);
}

static void mmio_wr(u32 off, u32 val)
{
	vlapic_mmio_write(fv, APIC_PA + off, 4, val);
}

/* x2APIC -> disabled -> xAPIC, as Linux's nox2apic does. */
static void to_xapic(void)
{
	u64 base = rdmsr_ok(APIC_BASE_MSR);

	wrmsr_ok(APIC_BASE_MSR, base & ~(EN | EXTD));
	wrmsr_ok(APIC_BASE_MSR, (base & ~EXTD) | EN);
}

static void test_initial_state(void **state)
{
	u64 val;

	(void)state;
	/* The reset state (SDM 11.4.4, 11.12.5): enabled, xAPIC mode, BSP on vCPU 0. */
	vlapic_init(fv);
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), APIC_PA | EN | BSP);
	assert_true(vlapic_mmio_covers(fv, APIC_PA));
	assert_int_equal(mmio_rd(0x20), 0);			/* ID */
	assert_int_equal(mmio_rd(0x30), 0x50014);		/* version */
	assert_int_equal(mmio_rd(0xf0), 0xff);			/* SVR */
	assert_int_equal(vlapic_rdmsr(fv, 0x802, &val), -EINVAL);	/* no x2APIC MSRs yet */
	to_x2apic();
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), APIC_PA | EN | EXTD | BSP);
	assert_int_equal(rdmsr_ok(0x802), 0);			/* ID */
	assert_int_equal(rdmsr_ok(0x803), 0x50014);		/* version */
	assert_int_equal(rdmsr_ok(0x80f), 0xff);		/* SVR */
	assert_int_equal(rdmsr_ok(0x80d), 1);			/* LDR: cluster 0, bit 0 */
	assert_int_equal(rdmsr_ok(0x832), 1u << 16);		/* LVT timer masked */
	/* x2APIC mode: the page is not decoded. */
	assert_false(vlapic_mmio_covers(fv, APIC_PA));
	/* Not APIC MSRs. */
	assert_int_equal(vlapic_rdmsr(fv, 0x7ff, &val), -ENOENT);
	assert_int_equal(vlapic_rdmsr(fv, 0x900, &val), -ENOENT);
	assert_int_equal(vlapic_wrmsr(fv, 0x10, 0), -ENOENT);
}

static void test_second_vcpu_ids(void **state)
{
	(void)state;
	fv->id = 9;				/* APIC ID 18: cluster 1, bit 2 */
	vlapic_init(fv);
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), APIC_PA | EN);	/* not the BSP */
	to_x2apic();
	assert_int_equal(rdmsr_ok(0x802), 18);
	assert_int_equal(rdmsr_ok(0x80d), (1u << 16) | (1u << 2));
	to_xapic();
	assert_int_equal(mmio_rd(0x20), 18u << 24);
	fv->id = 0;
}

static void test_x2apic_registers(void **state)
{
	u64 val;

	(void)state;
	wrmsr_ok(0x808, 0x35);				/* TPR */
	assert_int_equal(rdmsr_ok(0x808), 0x35);
	assert_int_equal(rdmsr_ok(0x80a), 0x35);	/* PPR = TPR with nothing in service */
	wrmsr_ok(0x80f, 0x1ff);
	assert_int_equal(rdmsr_ok(0x80f), 0x1ff);
	wrmsr_ok(0x832, 0x20040);			/* LVT timer: periodic, vector 0x40 */
	assert_int_equal(rdmsr_ok(0x832), 0x20040);
	wrmsr_ok(0x82f, 0x10000);			/* CMCI */
	wrmsr_ok(0x837, 0xfe);				/* LVT error */
	assert_int_equal(rdmsr_ok(0x837), 0xfe);
	wrmsr_ok(0x838, 1000);				/* TMICT */
	assert_int_equal(rdmsr_ok(0x838), 1000);
	assert_int_equal(rdmsr_ok(0x839), 0);		/* TMCCT never counts */
	wrmsr_ok(0x83e, 0xff);
	assert_int_equal(rdmsr_ok(0x83e), 0xb);
	wrmsr_ok(0x828, 0);				/* ESR */
	assert_int_equal(rdmsr_ok(0x828), 0);
	/* What the SDM makes #GP in x2APIC mode. */
	wrmsr_gp(0x828, 1);				/* ESR non-zero */
	wrmsr_gp(0x80b, 1);				/* EOI non-zero */
	wrmsr_gp(0x808, 1ull << 32);			/* bits 63:32 reserved */
	wrmsr_gp(0x802, 0);				/* ID read-only */
	wrmsr_gp(0x80d, 0);				/* LDR read-only */
	wrmsr_gp(0x80e, 0);				/* no DFR */
	wrmsr_gp(0x831, 0);				/* no ICR high */
	wrmsr_gp(0x839, 0);				/* TMCCT read-only */
	wrmsr_gp(0x8ff, 0);				/* reserved */
	assert_int_equal(vlapic_rdmsr(fv, 0x80b, &val), -EINVAL);	/* EOI write-only */
	assert_int_equal(vlapic_rdmsr(fv, 0x83f, &val), -EINVAL);	/* SELF IPI write-only */
	assert_int_equal(vlapic_rdmsr(fv, 0x80e, &val), -EINVAL);
	assert_int_equal(vlapic_rdmsr(fv, 0x831, &val), -EINVAL);
	assert_int_equal(vlapic_rdmsr(fv, 0x800, &val), -EINVAL);
}

static void test_x2apic_self_ipi_and_eoi(void **state)
{
	(void)state;
	wrmsr_ok(0x80f, 0x1ff);
	/* ICR, physical destination = our ID, fixed, vector 0x51. */
	wrmsr_ok(0x830, 0x51);
	assert_int_equal(rdmsr_ok(0x830), 0x51);	/* read back, delivery status idle */
	assert_int_equal(rdmsr_ok(0x822), 1u << (0x51 - 0x40));	/* IRR 0x40-0x5f */
	assert_int_equal(vlapic_pending(fv), 0x51);
	vlapic_accept(fv, 0x51);
	assert_int_equal(rdmsr_ok(0x822), 0);
	assert_int_equal(rdmsr_ok(0x812), 1u << (0x51 - 0x40));	/* ISR */
	assert_int_equal(rdmsr_ok(0x80a), 0x50);	/* PPR: the in-service class */
	/* Same class while in service: held. SELF IPI register. */
	wrmsr_ok(0x83f, 0x52);
	assert_int_equal(vlapic_pending(fv), 0);
	wrmsr_ok(0x80b, 0);				/* EOI */
	assert_int_equal(rdmsr_ok(0x812), 0);
	assert_int_equal(vlapic_pending(fv), 0x52);
	vlapic_accept(fv, 0x52);
	wrmsr_ok(0x80b, 0);
	/* Another destination: not us. Broadcast and self shorthand: us. */
	wrmsr_ok(0x830, (5ull << 32) | 0x61);
	assert_int_equal(vlapic_pending(fv), 0);
	wrmsr_ok(0x830, (0xffffffffull << 32) | 0x61);
	assert_int_equal(vlapic_pending(fv), 0x61);
	vlapic_accept(fv, 0x61);
	wrmsr_ok(0x80b, 0);
	wrmsr_ok(0x830, (7ull << 32) | (1u << 18) | 0x62);
	assert_int_equal(vlapic_pending(fv), 0x62);
	vlapic_accept(fv, 0x62);
	wrmsr_ok(0x80b, 0);
	/* Logical: cluster 0, bit 0 is us; cluster 1 is not. */
	wrmsr_ok(0x830, (1ull << 32) | (1u << 11) | 0x63);
	assert_int_equal(vlapic_pending(fv), 0x63);
	vlapic_accept(fv, 0x63);
	wrmsr_ok(0x80b, 0);
	wrmsr_ok(0x830, (0x10001ull << 32) | (1u << 11) | 0x64);
	assert_int_equal(vlapic_pending(fv), 0);
	/* All excluding self; NMI delivery mode: nothing for us. */
	wrmsr_ok(0x830, (3u << 18) | 0x65);
	wrmsr_ok(0x830, (4u << 8) | 0x66);
	assert_int_equal(vlapic_pending(fv), 0);
	assert_int_equal(rdmsr_ok(0x822) | rdmsr_ok(0x823), 0);
}

static void test_tpr_and_svr_gate_delivery(void **state)
{
	(void)state;
	wrmsr_ok(0x80f, 0x1ff);
	wrmsr_ok(0x808, 0x60);
	wrmsr_ok(0x83f, 0x55);
	assert_int_equal(vlapic_pending(fv), 0);	/* class 5 <= TPR class 6 */
	wrmsr_ok(0x808, 0x40);
	assert_int_equal(vlapic_pending(fv), 0x55);
	wrmsr_ok(0x80f, 0xff);				/* software disabled */
	assert_int_equal(vlapic_pending(fv), 0);
	assert_int_equal(rdmsr_ok(0x832) & (1u << 16), 1u << 16);
	wrmsr_ok(0x832, 0x40);				/* stays masked while disabled */
	assert_int_equal(rdmsr_ok(0x832), 0x10040);
	/* Vectors 0-15 are never requested. */
	vlapic_set_irq(fv, 15);
	assert_int_equal(rdmsr_ok(0x820), 0);
}

static void test_mode_transitions(void **state)
{
	u64 val;

	(void)state;
	wrmsr_ok(0x808, 0x20);
	wrmsr_ok(0x83f, 0x70);
	/* x2APIC -> xAPIC directly, EN=0 with EXTD=1, reserved bits: #GP. */
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EN | BSP);
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EXTD | BSP);
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EN | EXTD | BSP | 1);
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EN | EXTD | BSP | (1ull << 9));
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EN | EXTD | BSP | (1ull << 52));
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), APIC_PA | EN | EXTD | BSP);
	/* x2APIC -> disabled: state lost but the ID; no MSRs, no page, no interrupts. */
	wrmsr_ok(APIC_BASE_MSR, APIC_PA);
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), APIC_PA | BSP);	/* BSP stays */
	assert_int_equal(vlapic_rdmsr(fv, 0x802, &val), -EINVAL);
	assert_int_equal(vlapic_wrmsr(fv, 0x808, 0), -EINVAL);
	assert_false(vlapic_mmio_covers(fv, APIC_PA));
	assert_int_equal(vlapic_pending(fv), 0);
	vlapic_set_irq(fv, 0x80);
	/* disabled -> x2APIC: #GP; -> xAPIC: fine, registers at reset values. */
	wrmsr_gp(APIC_BASE_MSR, APIC_PA | EN | EXTD);
	wrmsr_ok(APIC_BASE_MSR, APIC_PA | EN);
	assert_true(vlapic_mmio_covers(fv, APIC_PA));
	assert_true(vlapic_mmio_covers(fv, APIC_PA + 0xffc));
	assert_false(vlapic_mmio_covers(fv, APIC_PA + 0x1000));
	assert_false(vlapic_mmio_covers(fv, APIC_PA - 4));
	assert_int_equal(mmio_rd(0x80), 0);		/* TPR */
	assert_int_equal(mmio_rd(0xf0), 0xff);		/* SVR */
	assert_int_equal(mmio_rd(0xe0), 0xffffffffu);	/* DFR */
	assert_int_equal(mmio_rd(0xd0), 0);		/* LDR */
	assert_int_equal(mmio_rd(0x320), 1u << 16);
	for (u32 off = 0x200; off < 0x280; off += 0x10)
		assert_int_equal(mmio_rd(off), 0);	/* IRR: 0x70 lost, 0x80 never taken */
	/* xAPIC mode: x2APIC MSRs fault. */
	assert_int_equal(vlapic_rdmsr(fv, 0x802, &val), -EINVAL);
	/* xAPIC -> x2APIC: the logical ID is derived again. */
	mmio_wr(0xd0, 0x80000000u);
	wrmsr_ok(APIC_BASE_MSR, APIC_PA | EN | EXTD);
	assert_int_equal(rdmsr_ok(0x80d), 1);
	assert_false(vlapic_mmio_covers(fv, APIC_PA));
	/* x2APIC -> disabled -> xAPIC at a moved base. */
	wrmsr_ok(APIC_BASE_MSR, 0);
	wrmsr_ok(APIC_BASE_MSR, 0xfed00000ull | EN);
	assert_int_equal(rdmsr_ok(APIC_BASE_MSR), 0xfed00000ull | EN | BSP);
	assert_false(vlapic_mmio_covers(fv, APIC_PA));
	assert_true(vlapic_mmio_covers(fv, 0xfed00030ull));
	assert_int_equal(vlapic_mmio_read(fv, 0xfed00030ull, 4), 0x50014);
	/* xAPIC -> disabled. */
	wrmsr_ok(APIC_BASE_MSR, 0xfed00000ull);
	assert_false(vlapic_mmio_covers(fv, 0xfed00030ull));
}

static void test_xapic_registers(void **state)
{
	(void)state;
	to_xapic();
	assert_int_equal(mmio_rd(0x20), 0);		/* ID 0 in bits 31:24 */
	assert_int_equal(mmio_rd(0x30), 0x50014);
	mmio_wr(0x20, 0x12000000);			/* ID: read-only here */
	mmio_wr(0x30, 0);
	assert_int_equal(mmio_rd(0x20), 0);
	assert_int_equal(mmio_rd(0x30), 0x50014);
	mmio_wr(0xf0, 0x1ff);
	assert_int_equal(mmio_rd(0xf0), 0x1ff);
	mmio_wr(0x80, 0x123);
	assert_int_equal(mmio_rd(0x80), 0x23);
	assert_int_equal(mmio_rd(0xa0), 0x23);		/* PPR */
	mmio_wr(0x80, 0);
	mmio_wr(0x320, 0x10040);
	assert_int_equal(mmio_rd(0x320), 0x10040);
	mmio_wr(0x350, 0x700);				/* LINT0 ExtINT */
	assert_int_equal(mmio_rd(0x350), 0x700);
	mmio_wr(0x370, 0xfe);
	assert_int_equal(mmio_rd(0x370), 0xfe);
	mmio_wr(0x380, 12345);
	assert_int_equal(mmio_rd(0x380), 12345);
	assert_int_equal(mmio_rd(0x390), 0);
	mmio_wr(0x3e0, 3);
	assert_int_equal(mmio_rd(0x3e0), 3);
	mmio_wr(0x280, 0x55);				/* ESR: a write latches (no errors yet) */
	assert_int_equal(mmio_rd(0x280), 0);
	mmio_wr(0xe0, 0x0fffffffu);			/* DFR: cluster model */
	assert_int_equal(mmio_rd(0xe0), 0x0fffffffu);
	mmio_wr(0xd0, 0x12345678u);			/* LDR: bits 31:24 only */
	assert_int_equal(mmio_rd(0xd0), 0x12000000u);
	/* Reserved, write-only and beyond-the-registers offsets read 0. */
	assert_int_equal(mmio_rd(0x00), 0);
	assert_int_equal(mmio_rd(0x90), 0);		/* APR */
	assert_int_equal(mmio_rd(0xb0), 0);		/* EOI */
	assert_int_equal(mmio_rd(0x3f0), 0);		/* SELF IPI: x2APIC only */
	assert_int_equal(mmio_rd(0x400), 0);
	assert_int_equal(mmio_rd(0xff0), 0);
	mmio_wr(0x3f0, 0x40);				/* dropped: no interrupt */
	mmio_wr(0x400, 0x40);
	assert_int_equal(vlapic_pending(fv), 0);
	assert_int_equal(fake_log_lines, 0);
}

static void test_xapic_icr_self_ipi(void **state)
{
	(void)state;
	to_xapic();
	mmio_wr(0xf0, 0x1ff);
	/* Physical destination in ICR high bits 31:24; the low write sends. */
	mmio_wr(0x310, 0x00ffffffu);			/* only bits 31:24 stick */
	assert_int_equal(mmio_rd(0x310), 0);
	mmio_wr(0x300, 0x4051);				/* fixed, assert, vector 0x51 */
	assert_int_equal(mmio_rd(0x300), 0x4051);	/* delivery status idle */
	assert_int_equal(mmio_rd(0x220), 1u << (0x51 - 0x40));
	assert_int_equal(vlapic_pending(fv), 0x51);
	vlapic_accept(fv, 0x51);
	assert_int_equal(mmio_rd(0x120), 1u << (0x51 - 0x40));	/* ISR */
	mmio_wr(0xb0, 0);
	assert_int_equal(mmio_rd(0x120), 0);
	/* Another physical ID: not us; broadcast 0xff: us. */
	mmio_wr(0x310, 0x04000000u);
	mmio_wr(0x300, 0x52);
	assert_int_equal(vlapic_pending(fv), 0);
	mmio_wr(0x310, 0xff000000u);
	mmio_wr(0x300, 0x53);
	assert_int_equal(vlapic_pending(fv), 0x53);
	vlapic_accept(fv, 0x53);
	mmio_wr(0xb0, 0);
	/* Self and all-including shorthands ignore the destination. */
	mmio_wr(0x310, 0x04000000u);
	mmio_wr(0x300, (1u << 18) | 0x54);
	assert_int_equal(vlapic_pending(fv), 0x54);
	vlapic_accept(fv, 0x54);
	mmio_wr(0xb0, 0);
	mmio_wr(0x300, (2u << 18) | 0x55);
	assert_int_equal(vlapic_pending(fv), 0x55);
	vlapic_accept(fv, 0x55);
	mmio_wr(0xb0, 0);
	/* Logical flat: LDR bit 1 set, MDA 0x02 matches, 0x04 does not. */
	mmio_wr(0xd0, 0x02000000u);
	mmio_wr(0x310, 0x04000000u);
	mmio_wr(0x300, (1u << 11) | 0x56);
	assert_int_equal(vlapic_pending(fv), 0);
	mmio_wr(0x310, 0x02000000u);
	mmio_wr(0x300, (1u << 11) | 0x57);
	assert_int_equal(vlapic_pending(fv), 0x57);
	vlapic_accept(fv, 0x57);
	mmio_wr(0xb0, 0);
	/* Logical cluster: LDR 0x21 = cluster 2, member bit 0. */
	mmio_wr(0xe0, 0x0fffffffu);
	mmio_wr(0xd0, 0x21000000u);
	mmio_wr(0x310, 0x11000000u);
	mmio_wr(0x300, (1u << 11) | 0x58);
	assert_int_equal(vlapic_pending(fv), 0);
	mmio_wr(0x310, 0x23000000u);
	mmio_wr(0x300, (1u << 11) | 0x59);
	assert_int_equal(vlapic_pending(fv), 0x59);
}

/*
 * APIC errors (SDM 11.5.3): an illegal vector (0-15) sent is a send
 * error, received a receive error; ESR shows what happened before the last
 * write to it. LVT error with a legal vector raises it once; with an illegal
 * one (XTF xsa-462's setup) it adds a receive error and nothing loops.
 */
static void test_esr_illegal_vectors(void **state)
{
	(void)state;
	to_xapic();
	mmio_wr(0xf0, 0x1ff);
	mmio_wr(0x280, 0);
	mmio_wr(0x370, 0xf);				/* LVT error, vector 15, unmasked */
	mmio_wr(0x310, 0);
	mmio_wr(0x300, 0xf);				/* fixed IPI to APIC 0, vector 15 */
	assert_int_equal(vlapic_pending(fv), 0);	/* nothing delivered */
	assert_int_equal(mmio_rd(0x280), 0);		/* not visible before a write */
	mmio_wr(0x280, 0);
	assert_int_equal(mmio_rd(0x280), 0x60);		/* send + receive illegal vector */
	mmio_wr(0x280, 0);
	assert_int_equal(mmio_rd(0x280), 0);		/* cleared by the next write */

	/* LVT error with vector 0xe3: one interrupt, even for two errors. */
	mmio_wr(0x370, 0xe3);
	mmio_wr(0x300, 0x5);
	mmio_wr(0x300, (1u << 18) | 0x3);		/* self shorthand: send error again */
	assert_int_equal(vlapic_pending(fv), 0xe3);
	vlapic_accept(fv, 0xe3);
	mmio_wr(0xb0, 0);
	assert_int_equal(vlapic_pending(fv), 0);
	mmio_wr(0x280, 0);
	assert_int_equal(mmio_rd(0x280), 0x20);		/* send illegal only */

	/* Masked LVT error: recorded, nothing raised. */
	mmio_wr(0x370, 0x100e3);
	mmio_wr(0x300, 0x1);
	assert_int_equal(vlapic_pending(fv), 0);
	mmio_wr(0x280, 0);
	assert_int_equal(mmio_rd(0x280), 0x20);

	/* x2APIC: a self IPI with vector 2 is a receive error; ESR write must be 0. */
	to_x2apic();
	wrmsr_ok(0x83f, 2);
	wrmsr_ok(0x828, 0);
	assert_int_equal(rdmsr_ok(0x828), 0x40);
	wrmsr_gp(0x828, 0x40);
}

static void test_xapic_odd_accesses(void **state)
{
	(void)state;
	to_xapic();
	mmio_wr(0x80, 0x40);
	/* Bytes, words, qwords, and dwords off a register's start: 0, dropped. */
	assert_int_equal(vlapic_mmio_read(fv, APIC_PA + 0x30, 1), 0);
	assert_int_equal(fake_log_lines, 1);
	assert_int_equal(vlapic_mmio_read(fv, APIC_PA + 0x30, 2), 0);
	assert_int_equal(vlapic_mmio_read(fv, APIC_PA + 0x30, 8), 0);
	assert_int_equal(vlapic_mmio_read(fv, APIC_PA + 0x34, 4), 0);
	assert_int_equal(vlapic_mmio_read(fv, APIC_PA + 0x81, 4), 0);
	vlapic_mmio_write(fv, APIC_PA + 0x80, 1, 0x10);
	vlapic_mmio_write(fv, APIC_PA + 0x80, 8, 0x10);
	vlapic_mmio_write(fv, APIC_PA + 0x84, 4, 0x10);
	assert_int_equal(mmio_rd(0x80), 0x40);
	assert_int_equal(fake_log_lines, 1);		/* logged once */
	assert_non_null(strstr(fake_log, "xAPIC 1-byte read at offset 30"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_state, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_second_vcpu_ids, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_x2apic_registers, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_x2apic_self_ipi_and_eoi, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_tpr_and_svr_gate_delivery, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_mode_transitions, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xapic_registers, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xapic_icr_self_ipi, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_xapic_odd_accesses, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_esr_illegal_vectors, setup, fake_teardown),
	};

	return cmocka_run_group_tests_name("vlapic", tests, NULL, NULL);
}
