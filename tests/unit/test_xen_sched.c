// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op (vmm/xen/sched.c): yield and block become actions for the
 * backend, shutdown reasons reach vmm/core, bad input is refused;
 * SCHEDOP_poll's checks, its immediate returns and what ends it.
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/hvm_op.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define ARG	0x6000ull

static s64 sched64(u32 cmd, u64 arg, enum xen_action *a)
{
	return hcall64(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0, a);
}

static void put_reason(u32 reason)
{
	struct sched_shutdown s = { .reason = reason };

	memcpy(fake_ram + ARG, &s, sizeof(s));
}

static void test_yield(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_yield, 0, &a), 0);
	assert_int_equal(a, XEN_YIELD);
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0, &a), 0);
	assert_int_equal(a, XEN_YIELD);
}

static void test_block_clears_upcall_mask(void **state)
{
	enum xen_action a;

	(void)state;
	/* No shared_info yet: block still works. */
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);

	fake_shinfo_gfn = 0x20;
	fd->shared_info_gpa = 0x20000;
	fake_shinfo[offsetof(struct vcpu_info, evtchn_upcall_mask)] = 1;
	fake_shinfo[0] = 1;				/* upcall_pending untouched */
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(fake_shinfo[1], 0);
	assert_int_equal(fake_shinfo[0], 1);
}

static void test_shutdown_reasons(void **state)
{
	static const u32 reasons[] = {
		SHUTDOWN_poweroff, SHUTDOWN_reboot, SHUTDOWN_suspend, SHUTDOWN_watchdog,
		SHUTDOWN_soft_reset,
	};
	enum xen_action a;

	(void)state;
	for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		put_reason(reasons[i]);
		assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), 0);
		assert_int_equal(a, XEN_STOPPED);
		assert_int_equal(fake_shutdowns, i + 1);
		assert_int_equal(fake_shutdown_reason, reasons[i]);
	}
	assert_int_equal(fake_crashes, 0);
}

static void test_shutdown_crash(void **state)
{
	enum xen_action a;

	(void)state;
	put_reason(SHUTDOWN_crash);
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_shutdown, ARG, 0, 0, 0, &a), 0);
	assert_int_equal(a, XEN_STOPPED);
	assert_int_equal(fake_crashes, 1);
	assert_int_equal(fake_shutdowns, 0);
	assert_int_equal(fd->state, DOMAIN_CRASHED);
}

static void test_shutdown_bad(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_shutdown, FAKE_BAD_GPA, &a), -14);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(sched64(SCHEDOP_shutdown, FAKE_RAM_SIZE - 2, &a), -14);
	put_reason(SHUTDOWN_MAX + 1);
	assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), -22);
	assert_int_equal(a, XEN_CONTINUE);
	put_reason(0xffffffffu);
	assert_int_equal(sched64(SCHEDOP_shutdown, ARG, &a), -22);
	assert_int_equal(fake_shutdowns + fake_crashes, 0);
	assert_int_equal(fd->state, DOMAIN_RUNNING);
}

static void test_other_subops(void **state)
{
	enum xen_action a;

	(void)state;
	assert_int_equal(sched64(SCHEDOP_shutdown_code, ARG, &a), -38);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(sched64(SCHEDOP_watchdog, ARG, &a), -38);
	assert_int_equal(sched64(SCHEDOP_remote_shutdown, ARG, &a), -1);
	assert_int_equal(sched64(SCHEDOP_pin_override, ARG, &a), -1);
	assert_int_equal(sched64(8, 0, &a), -38);
	assert_int_equal(sched64(0xffffffffu, 0, &a), -38);
	assert_int_equal(fake_shutdowns + fake_crashes, 0);
	/* The legacy sched_op_compat (6) is not for HVM guests. */
	assert_int_equal(hcall64(__HYPERVISOR_sched_op_compat, SCHEDOP_yield, 0, 0, 0, 0, &a), -38);
	assert_int_equal(a, XEN_CONTINUE);
}

/* ---- SCHEDOP_poll ---------------------------------------------------------- */

#define PORTS		0x6100ull	/* the guest's evtchn_port_t[] */
#define EVARG		0x6800ull	/* event_channel_op arguments */
#define SHINFO_GFN	0xf0
#define CALLBACK	((2ull << 56) | 0xf3)
#define NOW_NS		1000000000ull	/* system time once poll_setup ran */

static struct shared_info *si;

static int poll_setup(void **state)
{
	fake_setup(state);
	fake_shinfo_gfn = SHINFO_GFN;
	fd->shared_info_gpa = SHINFO_GFN << 12;
	fv->mode_64 = true;
	si = (struct shared_info *)fake_shinfo;
	fake_tsc = 2 * NOW_NS;			/* 2 GHz */
	return 0;
}

static s64 ev(u32 cmd, void *arg, size_t len)
{
	s64 rc;

	memcpy(fake_ram + EVARG, arg, len);
	rc = hcall64(__HYPERVISOR_event_channel_op, cmd, EVARG, 0, 0, 0, NULL);
	memcpy(arg, fake_ram + EVARG, len);
	return rc;
}

/* A port the guest allocated for dom0, which dom0 then bound (the echo guest's). */
static u32 dom0_port(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };

	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, true), 0);
	return a.port;
}

static u32 ipi_port(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), 0);
	return b.port;
}

static void set_bit64(uint64_t *words, unsigned int n)
{
	words[n / 64] |= 1ull << (n % 64);
}

static bool pending(unsigned int port)
{
	return si->evtchn_pending[port / 64] & (1ull << (port % 64));
}

/* SCHEDOP_poll from a 64-bit guest over ports[] (copied to PORTS). */
static s64 poll64(const u32 *ports, u32 nr, u64 timeout, enum xen_action *a)
{
	struct sched_poll p = { .ports = PORTS, .nr_ports = nr, .timeout = timeout };

	if (nr && ports)
		memcpy(fake_ram + PORTS, ports, nr * sizeof(u32));
	memcpy(fake_ram + ARG, &p, sizeof(p));
	return sched64(SCHEDOP_poll, ARG, a);
}

static void test_poll_bad_input(void **state)
{
	struct sched_poll p = { .ports = PORTS, .nr_ports = 129 };
	u32 ports[3] = { 0 };
	enum xen_action a;

	(void)state;
	/* More than 128 ports, whatever they are. */
	memcpy(fake_ram + ARG, &p, sizeof(p));
	assert_int_equal(sched64(SCHEDOP_poll, ARG, &a), -22);
	assert_int_equal(a, XEN_CONTINUE);
	/* 128 free (never pending) ports and a past timeout: fine. */
	assert_int_equal(poll64(NULL, 128, 1, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	/* Ports beyond the domain's first bucket (256), also after a valid one. */
	ports[0] = 256;
	assert_int_equal(poll64(ports, 1, 0, &a), -22);
	ports[0] = 0xffffffffu;
	assert_int_equal(poll64(ports, 1, 0, &a), -22);
	ports[0] = 5;
	ports[1] = 1000;
	assert_int_equal(poll64(ports, 2, 0, &a), -22);
	assert_int_equal(a, XEN_CONTINUE);
	/* ... but a pending port before it ends the poll first, as in Xen. */
	set_bit64(si->evtchn_pending, 5);
	assert_int_equal(poll64(ports, 2, 0, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	/* The struct or the port list unreadable. */
	assert_int_equal(sched64(SCHEDOP_poll, FAKE_BAD_GPA, &a), -14);
	assert_int_equal(sched64(SCHEDOP_poll, FAKE_RAM_SIZE - 8, &a), -14);
	p = (struct sched_poll){ .ports = FAKE_BAD_GPA, .nr_ports = 1 };
	memcpy(fake_ram + ARG, &p, sizeof(p));
	assert_int_equal(sched64(SCHEDOP_poll, ARG, &a), -14);
	p = (struct sched_poll){ .ports = FAKE_RAM_SIZE - 4, .nr_ports = 2 };
	memcpy(fake_ram + FAKE_RAM_SIZE - 4, &(u32){ 7 }, 4);
	memcpy(fake_ram + ARG, &p, sizeof(p));
	assert_int_equal(sched64(SCHEDOP_poll, ARG, &a), -14);
	assert_int_equal(a, XEN_CONTINUE);
	/* None of these left the vCPU polling. */
	assert_false(fv->xen.polling);
	assert_false(xen_vcpu_poll_blocked(fv));
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
}

static void test_poll_pending_returns_at_once(void **state)
{
	enum xen_action a;
	u32 p, ports[2];

	(void)state;
	p = dom0_port();
	ports[0] = ipi_port();
	ports[1] = p;
	assert_int_equal(xen_evtchn_send_from_dom0(fd, p), 0);
	assert_true(pending(p));
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(poll64(ports, 2, 0, &a), 0);	/* the second of two */
	assert_int_equal(a, XEN_CONTINUE);
	assert_true(pending(p));			/* poll leaves the bit alone */
	assert_false(fv->xen.polling);
}

static void test_poll_masked_pending_returns(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	enum xen_action a;
	u32 p;

	(void)state;
	p = dom0_port();
	set_bit64(si->evtchn_mask, p);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, p), 0);
	assert_true(pending(p));
	assert_int_equal(vi->evtchn_upcall_pending, 0);	/* masked: no upcall */
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
}

static void test_poll_timeout(void **state)
{
	enum xen_action a;
	u32 p;

	(void)state;
	p = dom0_port();
	/* In the past, or now: 0 at once. */
	assert_int_equal(poll64(&p, 1, NOW_NS - 1, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	assert_int_equal(poll64(&p, 1, NOW_NS, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	/* 5 ms ahead: blocks, dom0 is told to sleep 5 ms at most. */
	assert_int_equal(poll64(&p, 1, NOW_NS + 5000000, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_true(fv->xen.polling);
	assert_int_equal(xen_vcpu_timer_ns(fv), 5000000);
	/* Dom0 comes back early (a kick for nothing): still blocked. */
	fake_tsc += 2 * 1000000;
	assert_true(xen_vcpu_poll_blocked(fv));
	assert_int_equal(xen_vcpu_timer_ns(fv), 4000000);
	/* The timeout passes: the poll ends, the guest runs and sees 0. */
	fake_tsc += 2 * 4000000;
	assert_false(xen_vcpu_poll_blocked(fv));
	assert_false(fv->xen.polling);
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
	assert_false(xen_vcpu_poll_blocked(fv));
	/* The earlier of the poll timeout and the vCPU's timer counts. */
	fv->xen.timer_deadline = xen_system_time_ns() + 3000;
	assert_int_equal(poll64(&p, 1, xen_system_time_ns() + 9000, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(xen_vcpu_timer_ns(fv), 3000);
}

static void test_poll_wakes_on_send(void **state)
{
	enum xen_action a;
	u32 p, q, two[2];

	(void)state;
	p = dom0_port();
	q = ipi_port();
	set_bit64(si->evtchn_mask, p);			/* masked: poll does not care */
	set_bit64(si->evtchn_mask, q);
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);	/* no timeout: sleep until a kick */
	assert_true(xen_vcpu_poll_blocked(fv));
	/* Another (masked) port: not the one polled, still blocked. */
	assert_int_equal(ev(EVTCHNOP_send, &(struct evtchn_port_arg){ .port = q }, 4), 0);
	assert_true(pending(q));
	assert_true(xen_vcpu_poll_blocked(fv));
	/* Dom0 signals the polled port: woken. */
	assert_int_equal(xen_evtchn_send_from_dom0(fd, p), 0);
	assert_true(pending(p));
	assert_false(xen_vcpu_poll_blocked(fv));
	assert_false(fv->xen.polling);

	/* Polling several ports, any event in the domain ends it (Xen's poll_evtchn -1). */
	si->evtchn_pending[0] = 0;
	two[0] = p;
	two[1] = 40;					/* free: valid, never pending */
	assert_int_equal(poll64(two, 2, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_true(xen_vcpu_poll_blocked(fv));
	assert_int_equal(ev(EVTCHNOP_send, &(struct evtchn_port_arg){ .port = q }, 4), 0);
	assert_false(xen_vcpu_poll_blocked(fv));

	/* No ports and no timeout: until any event. */
	si->evtchn_pending[0] = 0;
	assert_int_equal(poll64(NULL, 0, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_true(xen_vcpu_poll_blocked(fv));
	assert_int_equal(xen_evtchn_send_from_dom0(fd, p), 0);
	assert_false(xen_vcpu_poll_blocked(fv));
}

static void test_poll_wakes_on_upcall(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	enum xen_action a;
	u32 p, q;

	(void)state;
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = CALLBACK;
	p = dom0_port();
	q = ipi_port();
	set_bit64(si->evtchn_mask, p);
	/* An unmasked event on another port raises the upcall: Xen's vcpu_kick ends the poll. */
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(ev(EVTCHNOP_send, &(struct evtchn_port_arg){ .port = q }, 4), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_false(xen_vcpu_poll_blocked(fv));
	/* With the upcall pending and IF clear, poll still blocks ... */
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_true(xen_vcpu_poll_blocked(fv));
	fv->xen.polling = false;
	/* ... with IF set the event can be taken: 0 at once (Xen's local_events_need_delivery). */
	fake_regs[REG_RFLAGS] = 0x202;
	assert_int_equal(poll64(&p, 1, 0, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	/* The same for SCHEDOP_block. */
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_CONTINUE);
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(sched64(SCHEDOP_block, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
}

static void test_poll_timer_virq_wakes(void **state)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
	enum xen_action a;

	(void)state;
	/* Polling the timer VIRQ's own port, the due timer fires at the next VCPU_RUN. */
	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), 0);
	set_bit64(si->evtchn_mask, b.port);
	fv->xen.timer_deadline = NOW_NS + 1000;
	assert_int_equal(poll64(&b.port, 1, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(xen_vcpu_timer_ns(fv), 1000);
	assert_true(xen_vcpu_poll_blocked(fv));
	fake_tsc += 2 * 1000;
	assert_false(xen_vcpu_poll_blocked(fv));
	assert_true(pending(b.port));
}

static void test_poll_compat(void **state)
{
	struct sched_poll_compat c;
	enum xen_action a;
	u32 p;

	(void)state;
	fv->mode_64 = false;			/* 32-bit guest: compat shared_info */
	p = dom0_port();
	memcpy(fake_ram + PORTS, &p, 4);
	c = (struct sched_poll_compat){ .ports = (u32)PORTS, .nr_ports = 1,
		.timeout_lo = (u32)(NOW_NS + 7000), .timeout_hi = (u32)((NOW_NS + 7000) >> 32) };
	memcpy(fake_ram + ARG, &c, sizeof(c));
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0, 0, 0, &a), 0);
	assert_int_equal(a, XEN_BLOCK);
	assert_int_equal(fv->xen.poll_deadline, NOW_NS + 7000);
	assert_int_equal(fv->xen.poll_port, (s16)p);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, p), 0);
	assert_false(xen_vcpu_poll_blocked(fv));
	c.nr_ports = 129;
	memcpy(fake_ram + ARG, &c, sizeof(c));
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0, 0, 0, &a), -22);
	c = (struct sched_poll_compat){ .ports = (u32)FAKE_BAD_GPA, .nr_ports = 1 };
	memcpy(fake_ram + ARG, &c, sizeof(c));
	assert_int_equal(hcall32(__HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0, 0, 0, &a), -14);
}

static void test_dom0_bind(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
	struct evtchn_alloc_unbound self = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };

	(void)state;
	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &self, sizeof(self)), 0);
	/* Not bound yet: dom0 cannot signal it. */
	assert_int_equal(xen_evtchn_send_from_dom0(fd, a.port), -22);
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, false), -22);
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, true), 0);
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, true), -22);	/* twice */
	assert_int_equal(xen_port_get(fd, a.port)->state, XEN_PORT_INTERDOMAIN);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, a.port), 0);
	assert_true(pending(a.port));
	/* Unbound for another domain, free, out of range: no. */
	assert_int_equal(xen_evtchn_bind_dom0(fd, self.port, true), -22);
	assert_int_equal(xen_evtchn_bind_dom0(fd, 50, true), -22);
	assert_int_equal(xen_evtchn_bind_dom0(fd, 64, true), -22);
	/* Dom0 closes its end: the guest's port waits for dom0 again. */
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, false), 0);
	assert_int_equal(xen_port_get(fd, a.port)->state, XEN_PORT_UNBOUND);
	assert_int_equal(xen_port_get(fd, a.port)->remote_dom, 0);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, a.port), -22);
	assert_int_equal(xen_evtchn_bind_dom0(fd, a.port, true), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_yield, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_block_clears_upcall_mask, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_reasons, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_crash, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_bad, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_other_subops, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_bad_input, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_pending_returns_at_once, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_masked_pending_returns, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_timeout, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_wakes_on_send, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_wakes_on_upcall, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_timer_virq_wakes, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_poll_compat, poll_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_dom0_bind, poll_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
