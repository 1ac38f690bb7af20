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

bool vcpu_start_apply(struct vcpu *v, void (*reset_to_sipi)(struct vcpu *v, u8 vector))
{
	u32 p = __atomic_exchange_n(&v->post, 0, __ATOMIC_ACQUIRE);

	if (p & VCPU_POST_INIT) {
		v->power = VCPU_WAIT_SIPI;
		v->nmi_pending = false;
		vlapic_init_reset(v);
	}
	if ((p & VCPU_POST_SIPI) && v->power == VCPU_WAIT_SIPI) {
		reset_to_sipi(v, READ_ONCE(v->sipi_vector));
		v->initialised = true;
		v->power = VCPU_UP;
	}
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
