// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIFO event channels (vmm/xen/evtchn_fifo.c through event_channel_op):
 * init_control and expand_array with good and bad guest input, linking
 * into the per-vCPU queues, the guest's unlink, priorities, mask and
 * unmask, BUSY while a tail's LINK changes under a racing guest, events
 * raised before their array page exists, and the switch from 2-level.
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/hvm_op.h>

#define ARG		0x7000ull
#define SHINFO_GFN	0xf0
#define CB_GFN		0x20ull		/* control block page */
#define CB_OFF		0x40u
#define ARRAY_GFN	0x30ull		/* first event array page */
#define CALLBACK	((2ull << 56) | 0xf3)

#define PENDING		(1u << 31)
#define MASKED		(1u << 30)
#define LINKED		(1u << 29)
#define BUSY		(1u << 28)
#define LINK_MASK	((1u << 17) - 1)

static struct shared_info *si;

static int setup(void **state)
{
	fake_setup(state);
	fake_shinfo_gfn = SHINFO_GFN;
	fd->shared_info_gpa = SHINFO_GFN << 12;
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = CALLBACK;
	fv->mode_64 = true;
	si = (struct shared_info *)fake_shinfo;
	return 0;
}

static s64 ev(u32 cmd, const void *arg, size_t len)
{
	memcpy(fake_ram + ARG, arg, len);
	return hcall64(__HYPERVISOR_event_channel_op, cmd, ARG, 0, 0, 0, NULL);
}

static s64 init_control(u64 gfn, u32 offset, u32 vcpu)
{
	struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };

	return ev(EVTCHNOP_init_control, &ic, sizeof(ic));
}

static s64 expand(u64 gfn)
{
	struct evtchn_expand_array e = { .array_gfn = gfn };

	return ev(EVTCHNOP_expand_array, &e, sizeof(e));
}

static u32 bind_ipi(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	u32 port;

	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), 0);
	memcpy(&port, fake_ram + ARG + offsetof(struct evtchn_bind_ipi, port), 4);
	return port;
}

static s64 port_op(u32 cmd, u32 port)
{
	struct evtchn_port_arg a = { .port = port };

	return ev(cmd, &a, sizeof(a));
}

static s64 set_priority(u32 port, u32 prio)
{
	struct evtchn_set_priority sp = { .port = port, .priority = prio };

	return ev(EVTCHNOP_set_priority, &sp, sizeof(sp));
}

static u32 *word(u32 port)
{
	return (u32 *)(fake_ram + (ARRAY_GFN << 12) + (port / 1024) * 4096) + port % 1024;
}

static struct evtchn_fifo_control_block *cb(void)
{
	return (struct evtchn_fifo_control_block *)(fake_ram + (CB_GFN << 12) + CB_OFF);
}

/* The guest's consume step (Linux's clear_linked): unlink the head, return its LINK. */
static u32 guest_unlink(u32 port)
{
	u32 w = *word(port);

	*word(port) = w & ~(LINKED | LINK_MASK);
	return w & LINK_MASK;
}

/* FIFO on vCPU 0 with one array page (ports 0..1023). */
static void fifo_on(void)
{
	assert_int_equal(init_control(CB_GFN, CB_OFF, 0), 0);
	assert_int_equal(expand(ARRAY_GFN), 0);
}

static void test_init_control_bad_input(void **state)
{
	(void)state;
	assert_int_equal(init_control(FAKE_BAD_GPA >> 12, 0, 0), -22);	/* outside RAM */
	assert_int_equal(init_control(SHINFO_GFN, 0, 0), -22);		/* not RAM proper */
	assert_int_equal(init_control(~0ull, 0, 0), -22);
	assert_int_equal(init_control(CB_GFN, 4, 0), -22);		/* not 8-byte aligned */
	assert_int_equal(init_control(CB_GFN, 4096 - 64, 0), -22);	/* crosses the page */
	assert_int_equal(init_control(CB_GFN, 0, 1), -2);		/* no such vCPU */
	assert_false(fd->xen.fifo);
	assert_int_equal(expand(ARRAY_GFN), -95);			/* no FIFO yet */
	assert_int_equal(init_control(CB_GFN, 4096 - 72, 0), 0);	/* the last place it fits */
	assert_true(fd->xen.fifo);
	assert_int_equal(init_control(CB_GFN, 0, 0), -22);		/* twice on one vCPU */
}

static void test_expand_bad_input(void **state)
{
	(void)state;
	assert_int_equal(init_control(CB_GFN, CB_OFF, 0), 0);
	assert_int_equal(expand(FAKE_BAD_GPA >> 12), -22);
	assert_int_equal(expand(SHINFO_GFN), -22);
	assert_int_equal(expand(1ull << 60), -22);
	assert_int_equal(fd->xen.fifo_nr_pages, 0);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(expand(0x40 + i), 0);
	assert_int_equal(expand(0x40), -28);				/* beyond 2^17 ports */
	assert_int_equal(fd->xen.fifo_nr_pages, 128);
}

static void test_link_and_unlink(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	u32 a, b, c;

	(void)state;
	fifo_on();
	a = bind_ipi();
	b = bind_ipi();
	c = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	/* An empty queue: a is HEAD of queue 7 (the default), READY bit 7, one upcall. */
	assert_int_equal(cb()->head[7], a);
	assert_int_equal(cb()->ready, 1u << 7);
	assert_int_equal(*word(a), PENDING | LINKED);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	assert_int_equal(port_op(EVTCHNOP_send, c), 0);
	/* Linked behind the tail; HEAD and READY stay, no new upcall. */
	assert_int_equal(*word(a), PENDING | LINKED | b);
	assert_int_equal(*word(b), PENDING | LINKED | c);
	assert_int_equal(*word(c), PENDING | LINKED);
	assert_int_equal(cb()->head[7], a);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	/* Sending a pending, linked port again changes nothing. */
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	assert_int_equal(*word(b), PENDING | LINKED | c);
	/* The guest consumes all three. */
	assert_int_equal(guest_unlink(a), b);
	assert_int_equal(guest_unlink(b), c);
	assert_int_equal(guest_unlink(c), 0);
	*word(a) = *word(b) = *word(c) = 0;
	cb()->ready = 0;
	/* The tail (c) is no longer linked: the next event starts the queue again. */
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	assert_int_equal(cb()->head[7], b);
	assert_int_equal(cb()->ready, 1u << 7);
	assert_int_equal(*word(c), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	/* Its own port as the old tail: not linked to itself. */
	guest_unlink(b);
	*word(b) = 0;
	cb()->ready = 0;
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	assert_int_equal(*word(b), PENDING | LINKED);
	assert_int_equal(cb()->head[7], b);
}

static void test_priority(void **state)
{
	u32 a, b;

	(void)state;
	fifo_on();
	a = bind_ipi();
	b = bind_ipi();
	assert_int_equal(set_priority(a, 16), -22);
	assert_int_equal(set_priority(5000, 3), -22);	/* no such port */
	assert_int_equal(set_priority(a, 3), 0);
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	/* Separate queues: both heads, READY bits 3 and 7, nothing linked between. */
	assert_int_equal(cb()->head[3], a);
	assert_int_equal(cb()->head[7], b);
	assert_int_equal(cb()->ready, (1u << 3) | (1u << 7));
	assert_int_equal(*word(a), PENDING | LINKED);
	assert_int_equal(*word(b), PENDING | LINKED);
	/* a was queue 3's tail: moved to queue 0, queue 3's tail forgets it. */
	guest_unlink(a);
	*word(a) = 0;
	assert_int_equal(set_priority(a, 0), 0);
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	assert_int_equal(cb()->head[0], a);
	assert_int_equal(fv->xen.fifo_tail[3], 0);
	assert_int_equal(fv->xen.fifo_tail[0], a);
}

static void test_mask_unmask(void **state)
{
	u32 a, b;

	(void)state;
	fifo_on();
	a = bind_ipi();
	b = bind_ipi();
	*word(a) = MASKED;
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	/* Masked: pending, not linked, no READY, no upcall. */
	assert_int_equal(*word(a), MASKED | PENDING);
	assert_int_equal(cb()->ready, 0);
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(xen_evtchn_port_poll(fd, a), 1);
	assert_int_equal(xen_evtchn_port_poll(fd, b), 0);
	/* EVTCHNOP_unmask clears MASKED and links the pending event. */
	assert_int_equal(port_op(EVTCHNOP_unmask, a), 0);
	assert_int_equal(*word(a), PENDING | LINKED);
	assert_int_equal(cb()->head[7], a);
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 1);
	/* Unmasking a port that is not pending links nothing. */
	*word(b) = MASKED;
	assert_int_equal(port_op(EVTCHNOP_unmask, b), 0);
	assert_int_equal(*word(b), 0);
	assert_int_equal(port_op(EVTCHNOP_unmask, 5000), -22);
}

static void test_busy_tail(void **state)
{
	u32 a, b, c;

	(void)state;
	fifo_on();
	a = bind_ipi();
	b = bind_ipi();
	c = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	/* The guest masks and unmasks the tail while the VMM links: one retry under BUSY. */
	fake_guest_race = 1;
	fake_race_xor = MASKED;
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);
	assert_int_equal(*word(a) & ~MASKED, PENDING | LINKED | b);
	assert_int_equal(*word(a) & BUSY, 0);
	/* A guest that keeps changing it: the VMM gives up after 5 tries, BUSY cleared. */
	*word(b) &= ~MASKED;
	fake_guest_race = 5;
	assert_int_equal(port_op(EVTCHNOP_send, c), 0);
	assert_int_equal(*word(b) & (BUSY | LINK_MASK), 0);
	assert_non_null(strstr(fake_log, "not linked"));
	/* The guest unlinked the tail meanwhile: the queue is empty, c becomes HEAD. */
	guest_unlink(c);
	*word(c) = 0;
	*word(b) = PENDING;	/* consumed: no longer linked */
	fake_guest_race = 0;
	cb()->head[7] = 0;
	assert_int_equal(port_op(EVTCHNOP_send, c), 0);
	assert_int_equal(cb()->head[7], c);
	assert_int_equal(*word(b) & BUSY, 0);
}

static void test_pending_before_array(void **state)
{
	u32 a, far;

	(void)state;
	assert_int_equal(init_control(CB_GFN, CB_OFF, 0), 0);
	a = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	assert_true(xen_port_get(fd, a)->fifo_pending);
	assert_int_equal(cb()->ready, 0);
	assert_int_equal(xen_evtchn_port_poll(fd, a), 0);
	/* The page arrives: the event is raised then. */
	assert_int_equal(expand(ARRAY_GFN), 0);
	assert_false(xen_port_get(fd, a)->fifo_pending);
	assert_int_equal(*word(a), PENDING | LINKED);
	assert_int_equal(cb()->head[7], a);
	/* Past the first page: the second page holds 1024..2047. */
	fd->xen.evtchn_max_port = 2000;
	for (far = 0; far < 1024; far = bind_ipi())
		;
	assert_int_equal(far, 1024);
	assert_int_equal(port_op(EVTCHNOP_send, far), 0);
	assert_true(xen_port_get(fd, far)->fifo_pending);
	assert_int_equal(expand(ARRAY_GFN + 1), 0);
	assert_int_equal(*word(far), PENDING | LINKED);
	assert_int_equal(*word(a), PENDING | LINKED | far);
}

static void test_switch_from_2l(void **state)
{
	u32 a, b;

	(void)state;
	a = bind_ipi();
	b = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, b), 0);		/* 2-level pending */
	assert_true(si->evtchn_pending[0] & (1ull << b));
	assert_int_equal(set_priority(a, 1), -38);		/* no such op under 2-level */
	fifo_on();
	/* b's 2-level pending state was kept and raised with the page; a stays quiet. */
	assert_int_equal(*word(b), PENDING | LINKED);
	assert_int_equal(*word(a), 0);
	assert_int_equal(xen_port_get(fd, a)->priority, EVTCHN_FIFO_PRIORITY_DEFAULT);
	assert_int_equal(set_priority(a, 1), 0);
}

static void test_close_linked_port(void **state)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	u32 a;

	(void)state;
	fifo_on();
	a = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, a), 0);
	assert_int_equal(port_op(EVTCHNOP_close, a), 0);
	/* PENDING cleared, still LINKED: busy, the next bind skips it. */
	assert_int_equal(*word(a), LINKED);
	assert_int_equal(bind_ipi(), a + 1);
	guest_unlink(a);
	assert_int_equal(bind_ipi(), a);
	/* EVTCHNOP_reset: everything closed, back to 2-level. */
	assert_int_equal(ev(EVTCHNOP_reset, &r, sizeof(r)), 0);
	assert_false(fd->xen.fifo);
	assert_false(fv->xen.fifo_control);
	assert_int_equal(bind_ipi(), 1);
	assert_int_equal(init_control(CB_GFN, CB_OFF, 0), 0);	/* may switch again */
}

/* Ports past 2-level's 4096 exist under FIFO (max_event_channels allowing). */
static void test_many_ports(void **state)
{
	(void)state;
	assert_int_equal(xen_evtchn_limits(fd, 131071), 0);
	assert_int_equal(xen_evtchn_limits(fd, 131072), -22);
	fifo_on();
	for (unsigned int i = 1; i < 5; i++)
		assert_int_equal(expand(ARRAY_GFN + i), 0);
	for (u32 i = 1; i < 5000; i++)
		assert_int_equal(bind_ipi(), i);
	assert_int_equal(port_op(EVTCHNOP_send, 4999), 0);
	assert_int_equal(*word(4999), PENDING | LINKED);
	assert_int_equal(cb()->head[7], 4999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_control_bad_input, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_expand_bad_input, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_link_and_unlink, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_mask_unmask, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_busy_tail, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pending_before_array, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_switch_from_2l, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_close_linked_port, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_many_ports, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
