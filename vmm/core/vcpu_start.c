// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU start-up (vmm/include/vcpu_start.h). The INIT/SIPI rules are the
 * SDM's (vol. 3, 9.4.4 "MP initialization protocol", 11.6.1: INIT puts an
 * application processor into wait-for-SIPI; a SIPI is ignored unless the
 * processor waits for one; a second SIPI while it already runs is
 * ignored). Xen's HVM vCPUs follow them (xen/arch/x86/hvm/vlapic.c,
 * vlapic_init_sipi_action), and so does this.
 */
#include "domain.h"
#include "lib.h"
#include "vcpu_start.h"
#include "xen_abi.h"

void vcpu_start_init(struct vcpu *v)
{
	v->power = v->id == 0 ? VCPU_UP : VCPU_DOWN;
	v->initialised = v->id == 0;	/* Xen's is_initialised: the others get it from a SIPI */
	v->post = 0;
	v->sipi_vector = 0;
	v->nmi_pending = false;
}

static void post(struct vcpu *target, u32 what)
{
	__atomic_fetch_or(&target->post, what, __ATOMIC_RELEASE);
	domain_kick_vcpu(target);
}

void vcpu_post_init(struct vcpu *target)
{
	/* An INIT cancels a SIPI that has not been taken yet. */
	__atomic_fetch_and(&target->post, ~VCPU_POST_SIPI, __ATOMIC_RELAXED);
	post(target, VCPU_POST_INIT);
}

void vcpu_post_sipi(struct vcpu *target, u8 vector)
{
	WRITE_ONCE(target->sipi_vector, vector);
	post(target, VCPU_POST_SIPI);
}

void vcpu_post_nmi(struct vcpu *target)
{
	post(target, VCPU_POST_NMI);
}

void vcpu_post_power(struct vcpu *target, bool up)
{
	__atomic_fetch_and(&target->post, up ? ~VCPU_POST_DOWN : ~VCPU_POST_UP, __ATOMIC_RELAXED);
	post(target, up ? VCPU_POST_UP : VCPU_POST_DOWN);
}

void vcpu_set_down(struct vcpu *v)
{
	__atomic_fetch_and(&v->post, ~VCPU_POST_UP, __ATOMIC_RELAXED);
	WRITE_ONCE(v->power, VCPU_DOWN);
}

void vcpu_post_state(struct vcpu *target, const struct vcpu_start_state *s)
{
	target->start_state = *s;
	post(target, VCPU_POST_STATE);
}

static void seg(struct vcpu_seg *s, u16 sel, u16 attr, u32 limit, u64 base)
{
	s->sel = sel;
	s->attr = attr;
	s->limit = limit;
	s->base = base;
}

/*
 * SDM vol. 3, table 10-1 (state after INIT) and 9.4.4.1: real mode, CS =
 * vector << 8 with base vector << 12, IP 0, the other segments 0 with
 * limit 0xffff, CR0 CD|NW|ET, EFLAGS 2, EDX the processor signature, the
 * rest 0.
 */
void vcpu_sipi_state(struct vcpu_start_state *s, u8 vector, u32 cpuid1_eax)
{
	memset(s, 0, sizeof(*s));
	seg(&s->cs, (u16)(vector << 8), 0x09b, 0xffff, (u64)vector << 12);
	seg(&s->ds, 0, 0x093, 0xffff, 0);
	seg(&s->ss, 0, 0x093, 0xffff, 0);
	seg(&s->es, 0, 0x093, 0xffff, 0);
	seg(&s->tr, 0, 0x08b, 0xffff, 0);
	s->cr0 = BIT(30) | BIT(29) | BIT(4);	/* CD, NW, ET */
	s->rflags = 2;
	s->rdx = cpuid1_eax;
}

/* The processor signature a STARTUP leaves in EDX: the guest's CPUID.1 EAX. */
static u32 vcpu_cpuid1_eax(struct vcpu *v)
{
	struct xen_cpuid_regs r;

	xen_cpuid(v, 1, 0, &r);
	return r.eax;
}

bool vcpu_start_apply(struct vcpu *v,
		      void (*set_state)(struct vcpu *v, const struct vcpu_start_state *s))
{
	u32 p = __atomic_exchange_n(&v->post, 0, __ATOMIC_ACQUIRE);

	if (p & VCPU_POST_INIT) {
		v->power = VCPU_WAIT_SIPI;
		v->nmi_pending = false;
		vlapic_init_reset(v);
	}
	if ((p & VCPU_POST_SIPI) && v->power == VCPU_WAIT_SIPI) {
		struct vcpu_start_state st;

		vcpu_sipi_state(&st, READ_ONCE(v->sipi_vector), vcpu_cpuid1_eax(v));
		set_state(v, &st);
		v->initialised = true;
		v->power = VCPU_UP;
	}
	if (p & VCPU_POST_STATE)
		set_state(v, &v->start_state);	/* it stays down until VCPUOP_up */
	if (p & VCPU_POST_DOWN)
		v->power = VCPU_DOWN;
	if ((p & VCPU_POST_UP) && v->initialised && v->power == VCPU_DOWN)
		v->power = VCPU_UP;
	if ((p & VCPU_POST_NMI) && v->power == VCPU_UP)
		v->nmi_pending = true;
	return v->power == VCPU_UP;
}

bool vcpu_is_up(const struct vcpu *v)
{
	return READ_ONCE(v->power) == VCPU_UP;
}
