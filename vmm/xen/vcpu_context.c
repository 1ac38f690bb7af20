// SPDX-License-Identifier: GPL-2.0-only
/*
 * VCPUOP_initialise for an HVM/PVH vCPU (include/xen/hvm_vcpu.h): the
 * checks of Xen 4.17's arch_set_info_hvm_guest (xen/arch/x86/hvm/domain.c)
 * and its check_segment, then the state goes to the vCPU's inbox
 * (vcpu_post_state) and the vCPU stays down until VCPUOP_up. A vCPU that
 * has a state already (vCPU 0, one started by a SIPI or initialised
 * before) is -EEXIST.
 */
#include "cr_policy.h"
#include "lib.h"
#include "xen_internal.h"
#include <xen/hvm_vcpu.h>

#define SEG_TYPE(a)	((a) & 0xf)
#define SEG_S(a)	(((a) >> 4) & 1)
#define SEG_DPL(a)	(((a) >> 5) & 3)
#define SEG_P(a)	(((a) >> 7) & 1)
#define SEG_G(a)	(((a) >> 11) & 1)
#define TYPE_CODE	0x8
#define TYPE_RW		0x2		/* data: writable; code: readable */
#define TSS_BUSY	0xb		/* 32- or 64-bit busy TSS */
#define EFLAGS_ALL	0x003f7fd5ull	/* the defined EFLAGS bits */
#define EFLAGS_MBS	0x2ull		/* bit 1 always reads 1 */
#define EFER_LME	BIT(8)
#define EFER_LMA	BIT(10)
#define CR0_PE		BIT(0)
#define CR0_PG		BIT(31)
#define CR4_PAE		BIT(5)

enum seg_kind { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

/* Xen's check_segment: what each register may hold. 0 or -EINVAL. */
static int check_segment(u16 attr, enum seg_kind k)
{
	if (attr & 0xf000)
		return -XEN_EINVAL;		/* beyond the 12 attribute bits */
	if (attr == 0)				/* null: only DS and ES */
		return k == SEG_DS || k == SEG_ES ? 0 : -XEN_EINVAL;
	if (k == SEG_TR) {
		if (SEG_S(attr) || SEG_TYPE(attr) != TSS_BUSY)
			return -XEN_EINVAL;
	} else if (!SEG_S(attr)) {
		return -XEN_EINVAL;		/* a system segment for code or data */
	}
	if (!SEG_P(attr))
		return -XEN_EINVAL;
	switch (k) {
	case SEG_CS:
		return SEG_TYPE(attr) & TYPE_CODE ? 0 : -XEN_EINVAL;
	case SEG_SS:
		return (SEG_TYPE(attr) & TYPE_CODE) || !(SEG_TYPE(attr) & TYPE_RW) ? -XEN_EINVAL : 0;
	case SEG_DS:
	case SEG_ES:
		return (SEG_TYPE(attr) & TYPE_CODE) && !(SEG_TYPE(attr) & TYPE_RW) ? -XEN_EINVAL : 0;
	default:
		return 0;
	}
}

static int seg32(struct vcpu_seg *s, u32 base, u32 limit, u16 attr, enum seg_kind k)
{
	if (k == SEG_TR)
		attr |= 2;			/* busy, as Xen sets it */
	else if (SEG_P(attr))
		attr |= 1;			/* accessed */
	s->sel = 0;
	s->attr = attr;
	s->limit = limit;
	s->base = base;
	return check_segment(attr, k);
}

static u32 byte_limit(const struct vcpu_seg *s)
{
	return SEG_G(s->attr) ? (s->limit << 12) | 0xfff : s->limit;
}

static int from_32(const struct vcpu_hvm_x86_32 *r, struct vcpu_start_state *st)
{
	int rc = 0;

	if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
		return -XEN_EINVAL;
	rc |= seg32(&st->cs, r->cs_base, r->cs_limit, r->cs_ar, SEG_CS);
	rc |= seg32(&st->ds, r->ds_base, r->ds_limit, r->ds_ar, SEG_DS);
	rc |= seg32(&st->ss, r->ss_base, r->ss_limit, r->ss_ar, SEG_SS);
	rc |= seg32(&st->es, r->es_base, r->es_limit, r->es_ar, SEG_ES);
	rc |= seg32(&st->tr, r->tr_base, r->tr_limit, r->tr_ar, SEG_TR);
	if (rc)
		return -XEN_EINVAL;
	if (r->eip > byte_limit(&st->cs))
		return -XEN_EINVAL;
	if (SEG_DPL(st->ss.attr) != SEG_DPL(st->cs.attr))
		return -XEN_EINVAL;
	if ((SEG_P(st->ds.attr) && SEG_DPL(st->ds.attr) > SEG_DPL(st->cs.attr)) ||
	    (SEG_P(st->es.attr) && SEG_DPL(st->es.attr) > SEG_DPL(st->cs.attr)))
		return -XEN_EINVAL;
	if ((r->efer & EFER_LMA) && !(r->efer & EFER_LME))
		return -XEN_EINVAL;
	st->rax = r->eax;
	st->rcx = r->ecx;
	st->rdx = r->edx;
	st->rbx = r->ebx;
	st->rsp = r->esp;
	st->rbp = r->ebp;
	st->rsi = r->esi;
	st->rdi = r->edi;
	st->rip = r->eip;
	st->rflags = (r->eflags & EFLAGS_ALL) | EFLAGS_MBS;
	st->cr0 = r->cr0;
	st->cr3 = r->cr3;
	st->cr4 = r->cr4;
	st->efer = r->efer;
	return 0;
}

static bool canonical(u64 va)
{
	return (u64)((s64)(va << 16) >> 16) == va;
}

static int from_64(const struct vcpu_hvm_x86_64 *r, struct vcpu_start_state *st)
{
	if (!canonical(r->rip) || !(r->cr0 & CR0_PG) || !(r->cr4 & CR4_PAE) ||
	    !(r->efer & EFER_LME))
		return -XEN_EINVAL;
	st->rax = r->rax;
	st->rcx = r->rcx;
	st->rdx = r->rdx;
	st->rbx = r->rbx;
	st->rsp = r->rsp;
	st->rbp = r->rbp;
	st->rsi = r->rsi;
	st->rdi = r->rdi;
	st->rip = r->rip;
	st->rflags = (r->rflags & EFLAGS_ALL) | EFLAGS_MBS;
	st->cr0 = r->cr0;
	st->cr3 = r->cr3;
	st->cr4 = r->cr4;
	st->efer = r->efer;
	/* Xen's: flat 64-bit code, flat data, a 64-bit busy TSS. */
	st->cs = (struct vcpu_seg){ 0, 0xa9b, ~0u, 0 };
	st->ds = st->ss = st->es = (struct vcpu_seg){ 0, 0xc93, ~0u, 0 };
	st->tr = (struct vcpu_seg){ 0, 0x08b, 0x67, 0 };
	return 0;
}

/*
 * CR0, CR4 and EFER against the architecture and the guest's CPUID, as
 * Xen's hvm_cr4_guest_valid_bits and hvm_efer_valid do (cr_policy.c), and
 * the combinations the architecture forbids (SDM vol. 3, 2.5; APM vol. 2,
 * 14.6): what a guest's own writes could not reach is refused here too.
 */
static int check_control(struct vcpu *v, struct vcpu_start_state *st)
{
	struct guest_cr_features f;

	if (st->efer & EFER_LME)
		st->efer |= EFER_LMA;
	guest_cr_features_of(v, &f);
	if (st->cr4 & ~guest_cr4_valid_bits(&f))
		return -XEN_EINVAL;
	if (st->efer & ~(guest_efer_valid_bits(&f) | EFER_LMA))
		return -XEN_EINVAL;
	if (st->cr0 >> 32 || ((st->cr0 & CR0_PG) && !(st->cr0 & CR0_PE)) ||
	    ((st->cr0 & BIT(29)) && !(st->cr0 & BIT(30))))
		return -XEN_EINVAL;		/* PG without PE, NW without CD */
	/* Long mode needs paging with PAE, and paging needs LMA to match LME. */
	if ((st->efer & EFER_LMA) && (!(st->cr0 & CR0_PG) || !(st->cr4 & CR4_PAE)))
		return -XEN_EINVAL;
	return 0;
}

s64 xen_vcpu_initialise(struct vcpu *v, struct vcpu *t, u64 arg)
{
	struct domain *d = v->domain;
	struct vcpu_hvm_context ctx;
	struct vcpu_start_state st;
	s64 rc;

	if (xen_copy_from_guest(v, &ctx, arg, sizeof(ctx)))
		return -XEN_EFAULT;
	/* Xen looks at is_initialised first, then at the context. */
	spin_lock(&d->lock);
	if (t->initialised) {
		rc = -XEN_EEXIST;
		goto out;
	}
	memset(&st, 0, sizeof(st));
	if (ctx.pad)
		rc = -XEN_EINVAL;
	else if (ctx.mode == VCPU_HVM_MODE_32B)
		rc = from_32(&ctx.cpu_regs.x86_32, &st);
	else if (ctx.mode == VCPU_HVM_MODE_64B)
		rc = from_64(&ctx.cpu_regs.x86_64, &st);
	else
		rc = -XEN_EINVAL;
	if (!rc)
		rc = check_control(v, &st);
	if (!rc) {
		t->initialised = true;
		vcpu_post_state(t, &st);
	}
out:
	spin_unlock(&d->lock);
	return rc;
}
