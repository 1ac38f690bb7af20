// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal local APIC (vmm/include/vlapic.h). Register numbers are xAPIC
 * offsets / 16, which are also the x2APIC MSR numbers minus 0x800 (Intel
 * SDM vol. 3, 11.12.1.2, table 11-6): one register model, read and written
 * by two front ends that differ only where the SDM says the modes differ
 * (ID, LDR, DFR, the ICR's halves, SELF IPI, and how a bad access ends).
 *
 * A vCPU starts in the reset state, xAPIC mode (IA32_APIC_BASE EN, BSP on
 * vCPU 0; SDM 11.4.4), as on Xen: a 64-bit Linux switches to x2APIC itself
 * (CPUID offers it with Xen's X2APIC_VIRT), a guest that knows no x2APIC
 * (32-bit Linux, `nox2apic`) stays on the xAPIC page. Modes change only
 * the ways SDM 11.12.5 allows (x2APIC is left through disabled). APIC ID = 2 * vCPU id, as in the MADT the
 * toolstack writes and in CPUID.
 */
#include "domain.h"
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "vlapic.h"
#include "vcpu_start.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		BIT(8)
#define APIC_BASE_EXTD		BIT(10)
#define APIC_BASE_EN		BIT(11)
#define APIC_BASE_ADDR		0x000ffffffffff000ull	/* bits 51:12 */
#define APIC_BASE_RESERVED	(~(APIC_BASE_ADDR | APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP))
#define APIC_DEFAULT_PA		0xfee00000ull

#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff

/* Registers: xAPIC offset >> 4 = x2APIC MSR - 0x800. */
#define REG_ID			0x02
#define REG_VERSION		0x03
#define REG_TPR			0x08
#define REG_PPR			0x0a
#define REG_EOI			0x0b
#define REG_LDR			0x0d
#define REG_DFR			0x0e	/* xAPIC only */
#define REG_SVR			0x0f
#define REG_ISR0		0x10
#define REG_TMR0		0x18
#define REG_IRR0		0x20
#define REG_ESR			0x28
#define REG_LVT_CMCI		0x2f
#define REG_ICR			0x30	/* x2APIC: the whole 64-bit ICR */
#define REG_ICR_HI		0x31	/* xAPIC only: the destination */
#define REG_LVT_TIMER		0x32
#define REG_LVT_ERROR		0x37
#define REG_TMICT		0x38
#define REG_TMCCT		0x39
#define REG_TDCR		0x3e
#define REG_SELF_IPI		0x3f	/* x2APIC only */

/* 6 LVT entries counted as the SDM does (max LVT entry 5), version 0x14. */
#define APIC_VERSION		0x50014u
#define SVR_ENABLE		BIT(8)
#define LVT_MASKED		BIT(16)
#define DFR_FLAT		0xf0000000u
#define DFR_RESERVED_ONES	0x0fffffffu
#define ICR_DEST_LOGICAL	BIT(11)
#define ICR_STATUS_PENDING	BIT(12)
/* Vector, delivery mode, destination mode, level, trigger, shorthand. */
#define ICR_LO_WRITABLE		0x000ccfffu
#define ICR_SHORTHAND_MASK	(3u << 18)
#define ICR_SHORTHAND_NONE	(0u << 18)
#define ICR_SHORTHAND_SELF	(1u << 18)
#define ICR_SHORTHAND_ALL	(2u << 18)
#define ICR_DM_FIXED		0u
#define ICR_DM_LOWEST		1u

enum apic_mode { APIC_DISABLED, APIC_XAPIC, APIC_X2APIC };

static struct vlapic *lapic(struct vcpu *v)
{
	return &v->lapic;
}

static u32 apic_id(struct vcpu *v)
{
	return 2 * v->id;
}

/* IA32_APIC_BASE never holds EN = 0 with EXTD = 1: set_apic_base refuses it. */
static enum apic_mode apic_mode(const struct vlapic *l)
{
	if (!(l->apic_base & APIC_BASE_EN))
		return APIC_DISABLED;
	return (l->apic_base & APIC_BASE_EXTD) ? APIC_X2APIC : APIC_XAPIC;
}

/* The logical x2APIC ID the hardware derives from the x2APIC ID (SDM 11.12.10.2). */
static u32 x2apic_ldr(struct vcpu *v)
{
	return ((apic_id(v) >> 4) << 16) | (1u << (apic_id(v) & 0xf));
}

/* Register state after RESET, or after the APIC was disabled (SDM 11.12.5.1). */
static void reset_registers(struct vlapic *l)
{
	l->tpr = l->ldr = l->esr = l->esr_pending = l->tdcr = l->tmict = 0;
	l->icr_lo = l->icr_hi = 0;
	l->dfr = ~0u;
	l->svr = 0xff;
	for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = LVT_MASKED;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
}

void vlapic_init(struct vcpu *v)
{
	struct vlapic *l = lapic(v);

	memset(l, 0, sizeof(*l));
	reset_registers(l);
	l->apic_base = APIC_DEFAULT_PA | APIC_BASE_EN |
		       (v->id == 0 ? APIC_BASE_BSP : 0);
}

/*
 * INIT (SDM vol. 3, 11.4.7.3): every register as after power-up but the
 * ID; IA32_APIC_BASE keeps its mode (11.12.5.1), and in x2APIC mode the
 * logical ID the hardware derives from the ID with it.
 */
void vlapic_init_reset(struct vcpu *v)
{
	struct vlapic *l = lapic(v);
	u64 base = l->apic_base;

	vlapic_init(v);
	l->apic_base = base;
	if (apic_mode(l) == APIC_X2APIC)
		l->ldr = x2apic_ldr(v);
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

/* A 32-bit slice of ISR/TMR/IRR: register n of 8 holds vectors 32n..32n+31. */
static u32 bits256_reg(const u64 *b, unsigned int n)
{
	return (u32)(b[n / 2] >> (32 * (n % 2)));
}

#define ESR_SEND_ILLEGAL	BIT(5)
#define ESR_RECV_ILLEGAL	BIT(6)

/*
 * Record an APIC error (SDM vol. 3, 11.5.3) and, when LVT error is
 * unmasked, raise its vector. An error already pending raises nothing
 * more, and an illegal LVT error vector is itself a receive error that
 * raises nothing: a guest cannot make this loop (Xen's XSA-462).
 */
static void vlapic_error(struct vcpu *v, u32 bit)
{
	struct vlapic *l = lapic(v);
	u32 lvt = l->lvt[6];		/* LVT error: lvt_reg(l, REG_LVT_ERROR) */
	u8 vec = (u8)lvt;

	if (l->esr_pending & bit)
		return;
	l->esr_pending |= bit;
	if (lvt & LVT_MASKED)
		return;
	if (vec < 16)
		l->esr_pending |= ESR_RECV_ILLEGAL;
	else
		__atomic_fetch_or(&l->irr[vec / 64], BIT(vec % 64), __ATOMIC_RELAXED);
}

void vlapic_set_irq(struct vcpu *v, u8 vector)
{
	/* A globally disabled APIC takes no interrupts (SDM 11.4.3). */
	if (apic_mode(lapic(v)) == APIC_DISABLED)
		return;
	if (vector < 16)
		vlapic_error(v, ESR_RECV_ILLEGAL);
	else
		__atomic_fetch_or(&lapic(v)->irr[vector / 64], BIT(vector % 64), __ATOMIC_RELAXED);
}

u8 vlapic_pending(struct vcpu *v)
{
	struct vlapic *l = lapic(v);
	int irr = highest256(l->irr), isr = highest256(l->isr);

	if (irr < 0 || apic_mode(l) == APIC_DISABLED || !(l->svr & SVR_ENABLE))
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

/* Processor priority (SDM 11.8.3.1): the TPR, or the in-service class if higher. */
static u32 ppr(const struct vlapic *l)
{
	int isr = highest256(l->isr);
	u32 isrv = isr < 0 ? 0 : (u32)isr;

	if ((l->tpr & 0xf0) >= (isrv & 0xf0))
		return l->tpr & 0xff;
	return isrv & 0xf0;
}

static u32 *lvt_reg(struct vlapic *l, unsigned int reg)
{
	if (reg == REG_LVT_CMCI)
		return &l->lvt[0];
	if (reg >= REG_LVT_TIMER && reg <= REG_LVT_ERROR)
		return &l->lvt[1 + reg - REG_LVT_TIMER];
	return NULL;
}

/*
 * Does an IPI with this destination reach us (SDM 11.6.2)? Physical: our
 * ID or the broadcast ID. Logical: the x2APIC cluster model (11.12.10.2),
 * or the xAPIC flat / cluster model the DFR selects (11.6.2.2).
 */
static bool ipi_dest_is_us(struct vcpu *v, bool x2, bool logical, u32 dest)
{
	struct vlapic *l = lapic(v);
	u32 broadcast = x2 ? ~0u : 0xffu;
	u32 id;

	if (dest == broadcast)
		return true;
	if (!logical)
		return dest == apic_id(v);
	if (x2)
		return (dest >> 16) == (l->ldr >> 16) && (dest & l->ldr & 0xffff);
	id = l->ldr >> 24;
	if ((l->dfr & DFR_FLAT) == DFR_FLAT)
		return (id & dest) != 0;
	return (id >> 4) == (dest >> 4) && (id & dest & 0xf);
}

#define ICR_DM_NMI		4u
#define ICR_DM_INIT		5u
#define ICR_DM_STARTUP		6u
#define ICR_LEVEL_ASSERT	BIT(14)
#define ICR_TRIGGER_LEVEL	BIT(15)

/* One IPI's effect on one target APIC (SDM vol. 3, 11.6.1). */
static void deliver_ipi(struct vcpu *src, struct vcpu *t, u32 dm, u8 vec)
{
	switch (dm) {
	case ICR_DM_FIXED:
	case ICR_DM_LOWEST:
		vlapic_set_irq(t, vec);
		if (t != src)
			domain_kick_vcpu(t);
		break;
	case ICR_DM_NMI:
		vcpu_post_nmi(t);
		break;
	case ICR_DM_INIT:
		vcpu_post_init(t);
		break;
	case ICR_DM_STARTUP:
		vcpu_post_sipi(t, vec);
		break;
	default:			/* SMI and the reserved modes: nothing here */
		break;
	}
}

/*
 * The ICR was written: send the IPI it describes to every APIC of the
 * domain its shorthand or destination names (physical or logical, 11.6.2).
 * Lowest priority goes to one of them: the lowest-numbered, as the
 * arbitration is model-specific. An INIT level de-assert does nothing
 * (11.6.1: only the 82489DX used it).
 */
static void send_ipi(struct vcpu *v, bool x2)
{
	struct vlapic *l = lapic(v);
	struct domain *d = v->domain;
	u32 lo = l->icr_lo, dm = (lo >> 8) & 7;
	u32 dest = x2 ? l->icr_hi : l->icr_hi >> 24;
	u8 vec = (u8)lo;

	if ((dm == ICR_DM_FIXED || dm == ICR_DM_LOWEST) && vec < 16) {
		vlapic_error(v, ESR_SEND_ILLEGAL);	/* vectors 0-15 are never sent */
		return;
	}
	if (dm == ICR_DM_INIT && (lo & ICR_TRIGGER_LEVEL) && !(lo & ICR_LEVEL_ASSERT))
		return;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *t = &d->vcpus[i];
		bool hit;

		switch (lo & ICR_SHORTHAND_MASK) {
		case ICR_SHORTHAND_SELF:
			hit = t == v;
			break;
		case ICR_SHORTHAND_ALL:
			hit = true;
			break;
		case ICR_SHORTHAND_NONE:
			hit = ipi_dest_is_us(t, x2, lo & ICR_DEST_LOGICAL, dest);
			break;
		default:		/* all excluding self */
			hit = t != v;
			break;
		}
		if (!hit)
			continue;
		deliver_ipi(v, t, dm, vec);
		if (dm == ICR_DM_LOWEST)
			break;
	}
}

/*
 * Read register @reg as the x2APIC (@x2) or the xAPIC sees it. -EINVAL:
 * reserved or write-only in that mode (x2APIC: #GP; xAPIC: reads 0).
 */
static int reg_read(struct vcpu *v, unsigned int reg, bool x2, u32 *val)
{
	struct vlapic *l = lapic(v);
	u32 *lvt = lvt_reg(l, reg);

	if (lvt) {
		*val = *lvt;
		return 0;
	}
	if (reg >= REG_ISR0 && reg < REG_ISR0 + 8) {
		*val = bits256_reg(l->isr, reg - REG_ISR0);
		return 0;
	}
	if (reg >= REG_IRR0 && reg < REG_IRR0 + 8) {
		*val = bits256_reg(l->irr, reg - REG_IRR0);
		return 0;
	}
	if (reg >= REG_TMR0 && reg < REG_TMR0 + 8) {
		*val = 0;			/* everything here is edge-triggered */
		return 0;
	}
	switch (reg) {
	case REG_ID:
		/* xAPIC: the 8-bit ID in bits 31:24 (SDM 11.4.6); x2APIC: all 32 bits. */
		*val = x2 ? apic_id(v) : apic_id(v) << 24;
		return 0;
	case REG_VERSION: *val = APIC_VERSION; return 0;
	case REG_TPR: *val = l->tpr; return 0;
	case REG_PPR: *val = ppr(l); return 0;
	case REG_LDR: *val = l->ldr; return 0;
	case REG_DFR:
		if (x2)
			return -EINVAL;		/* no DFR in x2APIC mode (11.12.1.2) */
		*val = l->dfr;
		return 0;
	case REG_SVR: *val = l->svr; return 0;
	case REG_ESR: *val = l->esr; return 0;
	case REG_ICR: *val = l->icr_lo; return 0;	/* delivery status: always idle */
	case REG_ICR_HI:
		if (x2)
			return -EINVAL;
		*val = l->icr_hi;
		return 0;
	case REG_TMICT: *val = l->tmict; return 0;
	case REG_TMCCT: *val = 0; return 0;		/* no APIC timer: it never counts */
	case REG_TDCR: *val = l->tdcr; return 0;
	default: return -EINVAL;			/* EOI, SELF IPI, reserved */
	}
}

/*
 * Write register @reg (32 bits) as the x2APIC (@x2) or the xAPIC. -EINVAL:
 * read-only, reserved, or (x2APIC) a value the SDM faults on; the x2APIC
 * front end turns that into #GP, the xAPIC one drops the write.
 */
static int reg_write(struct vcpu *v, unsigned int reg, bool x2, u32 val)
{
	struct vlapic *l = lapic(v);
	u32 *lvt = lvt_reg(l, reg);

	if (lvt) {
		/* A software-disabled APIC keeps every LVT masked (SDM 11.4.7.2). */
		*lvt = (l->svr & SVR_ENABLE) ? val : val | LVT_MASKED;
		return 0;
	}
	switch (reg) {
	case REG_TPR:
		l->tpr = val & 0xff;
		return 0;
	case REG_EOI: {
		int isr = highest256(l->isr);

		/* x2APIC: a non-zero EOI write faults (SDM 11.12.1.2). */
		if (x2 && val)
			return -EINVAL;
		if (isr >= 0)
			l->isr[isr / 64] &= ~BIT(isr % 64);
		return 0;
	}
	case REG_LDR:
		if (x2)
			return -EINVAL;		/* read-only in x2APIC mode */
		l->ldr = val & 0xff000000u;
		return 0;
	case REG_DFR:
		if (x2)
			return -EINVAL;
		l->dfr = val | DFR_RESERVED_ONES;
		return 0;
	case REG_SVR:
		l->svr = val & 0x1ff;
		if (!(l->svr & SVR_ENABLE))
			for (unsigned int i = 0; i < ARRAY_SIZE(l->lvt); i++)
				l->lvt[i] |= LVT_MASKED;
		return 0;
	case REG_ESR:
		/* A write shows the errors since the previous one and starts afresh. */
		if (x2 && val)
			return -EINVAL;
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		return 0;
	case REG_ICR:
		l->icr_lo = val & ICR_LO_WRITABLE;
		send_ipi(v, x2);
		return 0;
	case REG_ICR_HI:
		if (x2)
			return -EINVAL;
		l->icr_hi = val & 0xff000000u;
		return 0;
	case REG_TMICT:
		l->tmict = val;
		return 0;
	case REG_TDCR:
		l->tdcr = val & 0xb;
		return 0;
	case REG_SELF_IPI:
		if (!x2)
			return -EINVAL;		/* x2APIC only */
		vlapic_set_irq(v, (u8)val);
		return 0;
	default:
		return -EINVAL;			/* ID, version, PPR, ISR/TMR/IRR, TMCCT, reserved */
	}
}

/*
 * IA32_APIC_BASE writes (SDM 11.12.5, figure 11-27): x2APIC -> xAPIC and
 * disabled -> x2APIC are not allowed, nor EN = 0 with EXTD = 1; each of
 * those, and a reserved bit, is #GP. Disabling loses every register but the
 * ID; entering x2APIC mode sets the logical ID the hardware derives. The
 * base may move (the xAPIC page follows it); BSP is ours, writes keep it.
 */
static int set_apic_base(struct vcpu *v, u64 val)
{
	struct vlapic *l = lapic(v);
	enum apic_mode from = apic_mode(l), to;

	if (val & APIC_BASE_RESERVED)
		return -EINVAL;
	if ((val & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EXTD)
		return -EINVAL;
	to = !(val & APIC_BASE_EN) ? APIC_DISABLED :
	     (val & APIC_BASE_EXTD) ? APIC_X2APIC : APIC_XAPIC;
	if ((from == APIC_X2APIC && to == APIC_XAPIC) ||
	    (from == APIC_DISABLED && to == APIC_X2APIC))
		return -EINVAL;
	if (to == APIC_DISABLED && from != APIC_DISABLED)
		reset_registers(l);
	if (to == APIC_X2APIC && from != APIC_X2APIC)
		l->ldr = x2apic_ldr(v);
	l->apic_base = (val & ~APIC_BASE_BSP) | (l->apic_base & APIC_BASE_BSP);
	return 0;
}

/* The x2APIC front end: MSRs 0x800-0x8ff exist only in x2APIC mode (SDM 11.12.1.2). */
int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	struct vlapic *l = lapic(v);
	u32 v32;

	if (msr == MSR_APIC_BASE) {
		*val = l->apic_base;
		return 0;
	}
	if (msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST)
		return -ENOENT;
	if (apic_mode(l) != APIC_X2APIC)
		return -EINVAL;
	if (msr - X2APIC_MSR_FIRST == REG_ICR) {
		*val = ((u64)l->icr_hi << 32) | l->icr_lo;
		return 0;
	}
	if (reg_read(v, msr - X2APIC_MSR_FIRST, true, &v32))
		return -EINVAL;
	*val = v32;
	return 0;
}

int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	struct vlapic *l = lapic(v);
	unsigned int reg = msr - X2APIC_MSR_FIRST;

	if (msr == MSR_APIC_BASE)
		return set_apic_base(v, val);
	if (msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST)
		return -ENOENT;
	if (apic_mode(l) != APIC_X2APIC)
		return -EINVAL;
	if (reg == REG_ICR)
		l->icr_hi = (u32)(val >> 32);	/* the 32-bit destination */
	else if (val >> 32)
		return -EINVAL;			/* bits 63:32 are reserved */
	return reg_write(v, reg, true, (u32)val);
}

/* The xAPIC front end: the page at the APIC base, in xAPIC mode only (SDM 11.12.1). */
bool vlapic_mmio_covers(struct vcpu *v, u64 gpa)
{
	struct vlapic *l = lapic(v);

	return apic_mode(l) == APIC_XAPIC &&
	       (gpa & PAGE_MASK) == (l->apic_base & APIC_BASE_ADDR);
}

/*
 * Registers sit on 16-byte boundaries and are accessed as aligned dwords
 * (SDM 11.4.1); anything else is model specific. Here it reads 0 and
 * writes nothing, with one log line per vCPU.
 */
static bool register_access(struct vcpu *v, u32 off, unsigned int size, bool write)
{
	struct vlapic *l = lapic(v);

	if (size == 4 && !(off & 0xf))
		return true;
	if (!l->odd_access_logged) {
		l->odd_access_logged = true;
		pr_info("d%u v%u: xAPIC %u-byte %s at offset %x is not a register access: %s\n",
			v->domain->id, v->id, size, write ? "write" : "read", off,
			write ? "dropped" : "reads 0");
	}
	return false;
}

u64 vlapic_mmio_read(struct vcpu *v, u64 gpa, unsigned int size)
{
	u32 off = gpa & (PAGE_SIZE - 1), val;

	if (!register_access(v, off, size, false))
		return 0;
	/* Reserved and write-only registers read 0. */
	return reg_read(v, off >> 4, false, &val) ? 0 : val;
}

void vlapic_mmio_write(struct vcpu *v, u64 gpa, unsigned int size, u64 val)
{
	u32 off = gpa & (PAGE_SIZE - 1);

	if (register_access(v, off, size, true))
		reg_write(v, off >> 4, false, (u32)val);	/* read-only/reserved: dropped */
}
