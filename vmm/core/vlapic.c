// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal x2APIC (Intel SDM vol. 3, 11.12 "Extended xAPIC"; register
 * numbers from table 11-6: MSR 0x800 + xAPIC offset / 16). The guest finds
 * it enabled in x2APIC mode from the start (APIC_BASE EN | EXTD), so it
 * never touches the xAPIC page. APIC ID = 2 * vCPU id, as in the MADT the
 * toolstack writes and in CPUID.
 */
#include "domain.h"
#include "errno.h"
#include "lib.h"
#include "vlapic.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		BIT(8)
#define APIC_BASE_EXTD		BIT(10)
#define APIC_BASE_EN		BIT(11)
#define APIC_DEFAULT_PA		0xfee00000ull

#define X2APIC_ID		0x802
#define X2APIC_VERSION		0x803
#define X2APIC_TPR		0x808
#define X2APIC_PPR		0x80a
#define X2APIC_EOI		0x80b
#define X2APIC_LDR		0x80d
#define X2APIC_SVR		0x80f
#define X2APIC_ISR0		0x810
#define X2APIC_TMR0		0x818
#define X2APIC_IRR0		0x820
#define X2APIC_ESR		0x828
#define X2APIC_LVT_CMCI		0x82f
#define X2APIC_ICR		0x830
#define X2APIC_LVT_TIMER	0x832
#define X2APIC_LVT_ERROR	0x837
#define X2APIC_TMICT		0x838
#define X2APIC_TMCCT		0x839
#define X2APIC_TDCR		0x83e
#define X2APIC_SELF_IPI		0x83f

#define LVT_MASKED		BIT(16)
#define ICR_SHORTHAND_SELF	(1u << 18)
#define ICR_SHORTHAND_MASK	(3u << 18)

static struct vlapic *lapic(struct vcpu *v)
{
	return &v->lapic;
}

static u32 apic_id(struct vcpu *v)
{
	return 2 * v->id;
}

void vlapic_init(struct vcpu *v)
{
	struct vlapic *l = lapic(v);

	memset(l, 0, sizeof(*l));
	l->apic_base = APIC_DEFAULT_PA | APIC_BASE_EN | APIC_BASE_EXTD |
		       (v->id == 0 ? APIC_BASE_BSP : 0);
	l->svr = 0xff;
	for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = LVT_MASKED;
	l->ldr = ((apic_id(v) >> 4) << 16) | (1u << (apic_id(v) & 0xf));
}

static bool test_bit256(const u64 *b, u8 n)
{
	return b[n / 64] & BIT(n % 64);
}

static int highest256(const u64 *b)
{
	for (int w = 3; w >= 0; w--)
		if (b[w])
			return w * 64 + 63 - __builtin_clzll(b[w]);
	return -1;
}

void vlapic_set_irq(struct vcpu *v, u8 vector)
{
	if (vector >= 16)
		__atomic_fetch_or(&lapic(v)->irr[vector / 64], BIT(vector % 64), __ATOMIC_RELAXED);
}

u8 vlapic_pending(struct vcpu *v)
{
	struct vlapic *l = lapic(v);
	int irr = highest256(l->irr), isr = highest256(l->isr);

	if (irr < 0 || !(l->svr & BIT(8)))
		return 0;
	if (isr >= 0 && (irr >> 4) <= (isr >> 4))
		return 0;
	if ((u32)(irr >> 4) <= ((l->tpr >> 4) & 0xf))
		return 0;
	return (u8)irr;
}

void vlapic_accept(struct vcpu *v, u8 vector)
{
	struct vlapic *l = lapic(v);

	if (test_bit256(l->irr, vector)) {
		__atomic_fetch_and(&l->irr[vector / 64], ~BIT(vector % 64), __ATOMIC_RELAXED);
		l->isr[vector / 64] |= BIT(vector % 64);
	}
}

static u32 *lvt_reg(struct vlapic *l, u32 msr)
{
	if (msr == X2APIC_LVT_CMCI)
		return &l->lvt[0];
	if (msr >= X2APIC_LVT_TIMER && msr <= X2APIC_LVT_ERROR)
		return &l->lvt[1 + msr - X2APIC_LVT_TIMER];
	return NULL;
}

int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	struct vlapic *l = lapic(v);
	u32 *lvt;

	if (msr == MSR_APIC_BASE) {
		*val = l->apic_base;
		return 0;
	}
	if (msr < 0x800 || msr > 0x8ff)
		return -ENOENT;
	lvt = lvt_reg(l, msr);
	if (lvt) {
		*val = *lvt;
		return 0;
	}
	if (msr >= X2APIC_ISR0 && msr < X2APIC_ISR0 + 8) {
		*val = (u32)(l->isr[(msr - X2APIC_ISR0) / 2] >> (32 * ((msr - X2APIC_ISR0) % 2)));
		return 0;
	}
	if (msr >= X2APIC_IRR0 && msr < X2APIC_IRR0 + 8) {
		*val = (u32)(l->irr[(msr - X2APIC_IRR0) / 2] >> (32 * ((msr - X2APIC_IRR0) % 2)));
		return 0;
	}
	if (msr >= X2APIC_TMR0 && msr < X2APIC_TMR0 + 8) {
		*val = 0;
		return 0;
	}
	switch (msr) {
	case X2APIC_ID: *val = apic_id(v); return 0;
	case X2APIC_VERSION: *val = 0x50014; return 0;	/* 6 LVTs (max index 5), version 0x14 */
	case X2APIC_TPR: *val = l->tpr; return 0;
	case X2APIC_PPR: *val = l->tpr; return 0;
	case X2APIC_LDR: *val = l->ldr; return 0;
	case X2APIC_SVR: *val = l->svr; return 0;
	case X2APIC_ESR: *val = l->esr; return 0;
	case X2APIC_ICR: *val = 0; return 0;
	case X2APIC_TMICT: *val = l->tmict; return 0;
	case X2APIC_TMCCT: *val = 0; return 0;		/* no APIC timer: it never counts */
	case X2APIC_TDCR: *val = l->tdcr; return 0;
	default: return -EINVAL;			/* reserved or write-only: #GP */
	}
}

int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	struct vlapic *l = lapic(v);
	u32 *lvt;

	if (msr == MSR_APIC_BASE) {
		/* The APIC stays enabled in x2APIC mode: leaving it is not supported. */
		if ((val & (APIC_BASE_EN | APIC_BASE_EXTD)) != (APIC_BASE_EN | APIC_BASE_EXTD))
			return -EINVAL;
		return 0;
	}
	if (msr < 0x800 || msr > 0x8ff)
		return -ENOENT;
	lvt = lvt_reg(l, msr);
	if (lvt) {
		*lvt = (u32)val;
		return 0;
	}
	switch (msr) {
	case X2APIC_TPR: l->tpr = (u32)val & 0xff; return 0;
	case X2APIC_EOI: {
		int isr = highest256(l->isr);

		if (isr >= 0)
			l->isr[isr / 64] &= ~BIT(isr % 64);
		return 0;
	}
	case X2APIC_SVR: l->svr = (u32)val & 0x1ff; return 0;
	case X2APIC_ESR: l->esr = 0; return 0;
	case X2APIC_ICR:
		/* Self-IPIs only: this vCPU is alone (fixed delivery, vector in bits 7:0). */
		if ((val & ICR_SHORTHAND_MASK) == ICR_SHORTHAND_SELF ||
		    (u32)(val >> 32) == apic_id(v))
			vlapic_set_irq(v, (u8)val);
		return 0;
	case X2APIC_SELF_IPI: vlapic_set_irq(v, (u8)val); return 0;
	case X2APIC_TMICT: l->tmict = (u32)val; return 0;
	case X2APIC_TDCR: l->tdcr = (u32)val & 0xb; return 0;
	default: return -EINVAL;
	}
}
