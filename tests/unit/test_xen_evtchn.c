// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_channel_op and event delivery (vmm/xen/evtchn.c): binding, send,
 * mask/unmask, close, status, dom0's ports, the upcall vector rules and
 * the 32-bit shared_info layout.
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/hvm_op.h>

#define ARG	0x7000ull
#define SHINFO_GFN	0xf0
#define CALLBACK	((2ull << 56) | 0xf3)

static struct shared_info *si;
static bool use32;	/* issue hypercalls as a 32-bit guest */

static int setup(void **state)
{
	fake_setup(state);
	fake_shinfo_gfn = SHINFO_GFN;
	fd->shared_info_gpa = SHINFO_GFN << 12;
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = CALLBACK;
	fv->mode_64 = true;
	si = (struct shared_info *)fake_shinfo;
	use32 = false;
	return 0;
}

static s64 ev(u32 cmd, const void *arg, size_t len)
{
	if (arg)
		memcpy(fake_ram + ARG, arg, len);
	if (use32)
		return hcall32(__HYPERVISOR_event_channel_op, cmd, (u32)ARG, 0, 0, 0, NULL);
	return hcall64(__HYPERVISOR_event_channel_op, cmd, ARG, 0, 0, 0, NULL);
}

static u32 out32(size_t off)
{
	u32 v;

	memcpy(&v, fake_ram + ARG + off, 4);
	return v;
}

static bool pending(unsigned int port)
{
	return si->evtchn_pending[port / 64] & (1ull << (port % 64));
}

static u32 bind_virq(u32 virq, u32 vcpu)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };

	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), 0);
	return out32(offsetof(struct evtchn_bind_virq, port));
}

static u32 bind_ipi(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), 0);
	return out32(offsetof(struct evtchn_bind_ipi, port));
}

static s64 port_op(u32 cmd, u32 port)
{
	struct evtchn_port_arg a = { .port = port };

	return ev(cmd, &a, sizeof(a));
}

static void test_bind_virq(void **state)
{
	struct evtchn_bind_virq b;
	struct evtchn_status st = { .dom = DOMID_SELF };

	(void)state;
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 1);	/* port 0 is reserved */
	assert_int_equal(bind_virq(VIRQ_DEBUG, 0), 2);
	b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER };
	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), -17);	/* EEXIST */
	b.virq = NR_VIRQS;
	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), -22);
	b = (struct evtchn_bind_virq){ .virq = VIRQ_CONSOLE, .vcpu = 1 };	/* global: vCPU 0 */
	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), -22);
	b = (struct evtchn_bind_virq){ .virq = VIRQ_XENOPROF, .vcpu = 1 };
	assert_int_equal(ev(EVTCHNOP_bind_virq, &b, sizeof(b)), -2);	/* no vCPU 1 */
	assert_int_equal(hcall64(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, FAKE_BAD_GPA,
				 0, 0, 0, NULL), -14);

	st.port = 1;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_virq);
	assert_int_equal(out32(offsetof(struct evtchn_status, u)), VIRQ_TIMER);
	st.port = 0;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_closed);
	st.port = 255;				/* in the first bucket: exists, closed */
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	st.port = 256;				/* no bucket yet: no such port */
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), -22);
	st.port = 0xffffffffu;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), -22);
	st = (struct evtchn_status){ .dom = 0, .port = 1 };
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), -1);
	st.dom = 9;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), -3);

	/* The VIRQ goes to its port. */
	xen_send_virq(fv, VIRQ_TIMER);
	assert_true(pending(1));
	xen_send_virq(fv, VIRQ_CONSOLE);	/* unbound: nothing */
	assert_false(pending(3));
}

static void test_send_ipi_and_upcall(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	u32 p;

	(void)state;
	p = bind_ipi();
	assert_int_equal(xen_upcall_vector(fv), 0);
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	assert_true(pending(p));
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	/* Level: offered while upcall_pending stays set, delivered or not. */
	assert_int_equal(xen_upcall_vector(fv), 0xf3);
	xen_upcall_delivered(fv);
	assert_int_equal(xen_upcall_vector(fv), 0xf3);
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(xen_upcall_vector(fv), 0);
	/* The guest may raise it itself (Linux's 2-level unmask does). */
	vi->evtchn_upcall_pending = 1;
	assert_int_equal(xen_upcall_vector(fv), 0xf3);
	/* No vector callback type, a vector below 16, no shared_info: nothing. */
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = 5;	/* GSI 5 */
	assert_int_equal(xen_upcall_vector(fv), 0);
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = (2ull << 56) | 0x0f;
	assert_int_equal(xen_upcall_vector(fv), 0);
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = CALLBACK;
	fd->shared_info_gpa = ~0ull;
	assert_int_equal(xen_upcall_vector(fv), 0);
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);	/* lost: nowhere to go */
	/* Bad ports. */
	assert_int_equal(port_op(EVTCHNOP_send, 0), -22);
	assert_int_equal(port_op(EVTCHNOP_send, 64), -22);
	assert_int_equal(port_op(EVTCHNOP_send, 30), -22);	/* free */
}

static void test_mask_unmask(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	u32 p;

	(void)state;
	p = bind_ipi();
	si->evtchn_mask[0] |= 1ull << p;
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	assert_true(pending(p));
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	/* Unmask of a pending port: the selector and the upcall. */
	assert_int_equal(port_op(EVTCHNOP_unmask, p), 0);
	assert_false(si->evtchn_mask[0] & (1ull << p));
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	/* Unmask of an unmasked or idle port changes nothing. */
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	assert_int_equal(port_op(EVTCHNOP_unmask, p), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(port_op(EVTCHNOP_unmask, 256), -22);
	/* A second send while pending does not raise again. */
	si->evtchn_pending[0] = 0;
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	vi->evtchn_upcall_pending = 0;
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
}

static void test_close(void **state)
{
	(void)state;
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 1);
	xen_send_virq(fv, VIRQ_TIMER);
	assert_true(pending(1));
	assert_int_equal(port_op(EVTCHNOP_close, 1), 0);
	assert_false(pending(1));			/* freed ports lose their event */
	assert_int_equal(fv->xen.virq_port[VIRQ_TIMER], 0);
	assert_int_equal(port_op(EVTCHNOP_close, 1), -22);
	assert_int_equal(port_op(EVTCHNOP_close, 0), -22);
	assert_int_equal(port_op(EVTCHNOP_close, 64), -22);
	/* Rebinding reuses the lowest free port. */
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 1);
}

static void test_loopback(void **state)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	u32 u, l;

	(void)state;
	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
	u = out32(offsetof(struct evtchn_alloc_unbound, port));
	st.port = u;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_unbound);
	assert_int_equal((u16)out32(offsetof(struct evtchn_status, u)), FAKE_DOMID);
	assert_int_equal(port_op(EVTCHNOP_send, u), 0);	/* unbound: dropped */
	assert_false(pending(u));

	b.remote_port = u;
	assert_int_equal(ev(EVTCHNOP_bind_interdomain, &b, sizeof(b)), 0);
	l = out32(offsetof(struct evtchn_bind_interdomain, local_port));
	assert_true(pending(l));			/* Xen's conservative notification */
	si->evtchn_pending[0] = 0;
	assert_int_equal(port_op(EVTCHNOP_send, l), 0);
	assert_true(pending(u));
	assert_false(pending(l));
	assert_int_equal(port_op(EVTCHNOP_send, u), 0);
	assert_true(pending(l));
	/* Binding an already bound port fails; closing one end unbinds the other. */
	assert_int_equal(ev(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -22);
	assert_int_equal(port_op(EVTCHNOP_close, l), 0);
	st.port = u;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_unbound);

	/* Nothing of dom0's waits for us; other guests are out of reach. */
	b = (struct evtchn_bind_interdomain){ .remote_dom = 0, .remote_port = 1 };
	assert_int_equal(ev(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -22);
	b.remote_dom = 9;
	assert_int_equal(ev(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -3);
	a.dom = 0;
	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &a, sizeof(a)), -1);
}

static void test_dom0_ports(void **state)
{
	struct evtchn_status st = { .dom = DOMID_SELF };
	enum xen_action act;
	u32 con, sto;

	(void)state;
	assert_int_equal(xen_domain_init(fd, 0xfeff0, 0xfeff1), 0);
	con = (u32)fd->hvm_params[HVM_PARAM_CONSOLE_EVTCHN];
	sto = (u32)fd->hvm_params[HVM_PARAM_STORE_EVTCHN];
	assert_int_equal(con, 1);
	assert_int_equal(sto, 2);
	assert_int_equal(fd->hvm_params[HVM_PARAM_CONSOLE_PFN], 0xfeff0);
	assert_int_equal(fd->hvm_params[HVM_PARAM_STORE_PFN], 0xfeff1);
	st.port = con;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_interdomain);
	assert_int_equal((u16)out32(offsetof(struct evtchn_status, u)), 0);

	/* Guest -> dom0: the port's bit, and the vCPU goes back to tell dom0. */
	memcpy(fake_ram + ARG, &sto, 4);
	assert_int_equal(hcall64(__HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0, 0, 0, &act), 0);
	assert_int_equal(act, XEN_NOTIFY_DOM0);
	assert_int_equal(fd->dom0_notify, 1ull << sto);
	assert_false(pending(sto));

	/* Dom0 -> guest. */
	assert_int_equal(xen_evtchn_send_from_dom0(fd, con), 0);
	assert_true(pending(con));
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 1);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, 3), -22);	/* not dom0's */
	assert_int_equal(xen_evtchn_send_from_dom0(fd, 64), -22);
	assert_int_equal(bind_ipi(), 3);
	assert_int_equal(xen_evtchn_send_from_dom0(fd, 3), -22);

	/* Reset closes everything, dom0's ports too. */
	{
		struct evtchn_reset r = { .dom = DOMID_SELF };

		assert_int_equal(ev(EVTCHNOP_reset, &r, sizeof(r)), 0);
	}
	assert_int_equal(xen_evtchn_send_from_dom0(fd, con), -22);
	assert_int_equal(bind_ipi(), 1);
}

static void test_unsupported(void **state)
{
	struct evtchn_init_control ic = { 0 };
	struct evtchn_bind_pirq bp = { 0 };
	struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 0 };

	(void)state;
	/* Without FIFO: expand_array is -EOPNOTSUPP, set_priority -ENOSYS (Xen 4.17). */
	assert_int_equal(ev(EVTCHNOP_expand_array, NULL, 0), -95);
	assert_int_equal(port_op(EVTCHNOP_set_priority, 1), -38);
	/* What Xen refuses is refused the same way (XSA-188). */
	ic.control_gfn = (u64)-2;
	ic.offset = 0;
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), -22);
	ic.control_gfn = FAKE_BAD_GPA >> 12;
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), -22);
	ic.control_gfn = 0x10;
	ic.offset = 4096 - 64;			/* crosses the page */
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), -22);
	ic.offset = 4;				/* not 8-byte aligned */
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), -22);
	ic.offset = 0;
	ic.vcpu = 1;				/* no such vCPU */
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), -2);
	assert_false(fd->xen.fifo);
	/* A valid one: FIFO from now on, link_bits written back. */
	ic.vcpu = 0;
	ic.offset = 4096 - 72;
	assert_int_equal(ev(EVTCHNOP_init_control, &ic, sizeof(ic)), 0);
	assert_int_equal(fake_ram[ARG + offsetof(struct evtchn_init_control, link_bits)], 17);
	assert_true(fd->xen.fifo);
	assert_int_equal(ev(EVTCHNOP_bind_pirq, &bp, sizeof(bp)), -22);
	assert_int_equal(ev(99, NULL, 0), -38);
	/* bind_vcpu: per-vCPU VIRQs and IPIs stay where they are. */
	assert_int_equal(ev(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -22);	/* free */
	assert_int_equal(bind_virq(VIRQ_TIMER, 0), 1);
	assert_int_equal(ev(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -22);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0), 2);
	bv.port = 2;
	assert_int_equal(ev(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
	bv.vcpu = 1;
	assert_int_equal(ev(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -2);
}

static void test_port_exhaustion(void **state)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	(void)state;
	for (u32 i = 1; i <= XEN_EVTCHN_DEFAULT_MAX_PORT; i++)
		assert_int_equal(bind_ipi(), i);
	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), -28);	/* ENOSPC */
}

/* A 32-bit guest: mask at 2176, the selector a u32 at 4 with bit port / 32. */
static void test_compat_layout(void **state)
{
	u8 *vi = fake_shinfo;
	u32 sel;
	u32 p = 0;

	(void)state;
	use32 = true;
	for (u32 i = 1; i <= 40; i++)
		p = bind_ipi();
	assert_int_equal(p, 40);
	fake_shinfo[2176 + 39 / 8] |= 1u << (39 % 8);	/* port 39 masked */
	assert_int_equal(port_op(EVTCHNOP_send, 39), 0);
	assert_int_equal(vi[0], 0);
	assert_int_equal(port_op(EVTCHNOP_send, 40), 0);
	assert_true(fake_shinfo[2048 + 5] & 1);		/* bit 40 */
	memcpy(&sel, vi + 4, 4);
	assert_int_equal(sel, 2);			/* word 1 */
	assert_int_equal(vi[0], 1);
	assert_int_equal(port_op(EVTCHNOP_unmask, 39), 0);
	assert_false(fake_shinfo[2176 + 4] & 0x80);
}

/* HVMOP_set_evtchn_upcall_vector: edge, raised on 0 -> 1 of upcall_pending. */
static void test_percpu_vector(void **state)
{
	struct vcpu_info *vi = &si->vcpu_info[0];
	u32 op[2] = { 0, 0x40 };
	u32 p;

	(void)state;
	fd->hvm_params[HVM_PARAM_CALLBACK_IRQ] = 0;
	memcpy(fake_ram + ARG, op, 8);
	assert_int_equal(hcall64(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG,
				 0, 0, 0, NULL), 0);
	assert_int_equal(xen_upcall_vector(fv), 0x40);	/* Xen asserts it at once */
	xen_upcall_delivered(fv);
	assert_int_equal(xen_upcall_vector(fv), 0);
	p = bind_ipi();
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	assert_int_equal(xen_upcall_vector(fv), 0x40);
	xen_upcall_delivered(fv);
	/* Still pending: no new edge from another event. */
	si->evtchn_pending[0] = 0;
	vi->evtchn_pending_sel = 0;
	assert_int_equal(port_op(EVTCHNOP_send, p), 0);
	assert_int_equal(xen_upcall_vector(fv), 0);
	op[1] = 0x0f;
	memcpy(fake_ram + ARG, op, 8);
	assert_int_equal(hcall64(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG,
				 0, 0, 0, NULL), -22);
	op[0] = 1;
	op[1] = 0x40;
	memcpy(fake_ram + ARG, op, 8);
	assert_int_equal(hcall64(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG,
				 0, 0, 0, NULL), -2);
}


/* 2-level at full size: 4096 ports for a 64-bit guest, 1024 for a 32-bit one; buckets as needed. */
static void test_2l_full_size(void **state)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	unsigned int pages = fake_pages_out;

	(void)state;
	assert_int_equal(xen_evtchn_limits(fd, 131071), 0);
	for (u32 i = 1; i < 4096; i++)
		assert_int_equal(bind_ipi(), i);
	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), -28);	/* ENOSPC */
	/* 16 buckets of 256 ports came from the page pool. */
	assert_int_equal(fake_pages_out - pages, 15);
	/* The top port works: its bit is the last of evtchn_pending. */
	assert_int_equal(port_op(EVTCHNOP_send, 4095), 0);
	assert_true(pending(4095));
	assert_true(si->vcpu_info[0].evtchn_pending_sel & (1ull << 63));
	assert_int_equal(port_op(EVTCHNOP_close, 4095), 0);
	assert_false(pending(4095));
	assert_int_equal(bind_ipi(), 4095);
}

static void test_2l_compat_size(void **state)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	(void)state;
	assert_int_equal(xen_evtchn_limits(fd, 131071), 0);
	use32 = true;
	fv->mode_64 = false;
	fake_64bit = false;
	for (u32 i = 1; i < 1024; i++)
		assert_int_equal(bind_ipi(), i);
	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), -28);
	/* Port 1023: the last bit of the compat bitmap, not the mask after it. */
	assert_int_equal(port_op(EVTCHNOP_send, 1023), 0);
	assert_true(fake_shinfo[2048 + 127] & 0x80);
	assert_int_equal(fake_shinfo[2176], 0);
}

/* max_event_channels: the highest port; beyond it -ENOSPC, as Xen's get_free_port. */
static void test_max_event_channels(void **state)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	(void)state;
	assert_int_equal(xen_evtchn_limits(fd, 131072), -22);
	assert_int_equal(xen_evtchn_limits(fd, 0), 0);
	assert_int_equal(fd->xen.evtchn_max_port, 1023);		/* Xen's default */
	assert_int_equal(xen_evtchn_limits(fd, 5), 0);
	for (u32 i = 1; i <= 5; i++)
		assert_int_equal(bind_ipi(), i);
	assert_int_equal(ev(EVTCHNOP_bind_ipi, &b, sizeof(b)), -28);
	assert_int_equal(port_op(EVTCHNOP_close, 3), 0);
	assert_int_equal(bind_ipi(), 3);
}

/* ---- domU <-> domU ----------------------------------------------------- */

#define PEER_ID		5
#define OTHER_ID	6

static u32 alloc_unbound(u16 remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };

	assert_int_equal(ev(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
	return out32(offsetof(struct evtchn_alloc_unbound, port));
}

static s64 bind_inter(u16 dom, u32 port, u32 *local)
{
	struct evtchn_bind_interdomain b = { .remote_dom = dom, .remote_port = port };
	s64 rc = ev(EVTCHNOP_bind_interdomain, &b, sizeof(b));

	if (!rc && local)
		*local = out32(offsetof(struct evtchn_bind_interdomain, local_port));
	return rc;
}

/* A second domain with its own vcpu_info in RAM (the fakes' shared_info page is the first's). */
static struct domain *peer(unsigned int id)
{
	struct domain *p = fake_domain_add(id);

	p->vcpus[0].mode_64 = true;
	p->vcpus[0].xen.vcpu_info_gpa = 0x5000;
	p->hvm_params[HVM_PARAM_CALLBACK_IRQ] = CALLBACK;
	return p;
}

static struct vcpu_info *peer_vi(struct domain *p)
{
	return guest_page_ptr(p, 0x5000, sizeof(struct vcpu_info));
}

static void test_domu_domu(void **state)
{
	struct domain *me = fd, *p = peer(PEER_ID), *o = peer(OTHER_ID);
	struct evtchn_status st = { .dom = DOMID_SELF };
	u32 up, lp, other_port;
	u64 mask;

	(void)state;
	/* The peer allocates a port for us. */
	fake_domain_switch(p);
	up = alloc_unbound(FAKE_DOMID);
	/* A third domain may not bind it; nor may anyone bind a port that is not unbound. */
	fake_domain_switch(o);
	assert_int_equal(bind_inter(PEER_ID, up, NULL), -22);
	assert_int_equal(bind_inter(PEER_ID, 999, NULL), -22);
	assert_int_equal(bind_inter(9, up, NULL), -3);		/* no such domain: ESRCH */
	other_port = alloc_unbound(FAKE_DOMID);
	assert_int_equal(xen_port_get(p, up)->state, XEN_PORT_UNBOUND);
	/* We bind it: both ends interdomain, our new port set pending (Xen does). */
	fake_domain_switch(me);
	assert_int_equal(bind_inter(PEER_ID, up, &lp), 0);
	assert_true(pending(lp));
	si->evtchn_pending[lp / 64] = 0;
	assert_int_equal(xen_port_get(p, up)->state, XEN_PORT_INTERDOMAIN);
	assert_int_equal(xen_port_get(p, up)->remote_dom, FAKE_DOMID);
	assert_int_equal(xen_port_get(p, up)->remote_port, lp);
	st.port = lp;
	assert_int_equal(ev(EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(out32(offsetof(struct evtchn_status, status)), EVTCHNSTAT_interdomain);
	assert_int_equal(out32(offsetof(struct evtchn_status, u)) & 0xffff, PEER_ID);
	assert_int_equal(out32(offsetof(struct evtchn_status, u) + 4), up);
	/* Twice: the remote port is bound now. */
	assert_int_equal(bind_inter(PEER_ID, up, NULL), -22);
	/* Send: pending at the peer, its upcall raised, and its vCPU handed to us to kick. */
	me->kick_pending = 0;
	assert_int_equal(port_op(EVTCHNOP_send, lp), 0);
	assert_int_equal(xen_evtchn_port_poll(p, up), 0);	/* the peer has no shared_info... */
	assert_int_equal(peer_vi(p)->evtchn_upcall_pending, 0);
	p->shared_info_gpa = 0x6000;				/* ...so give it one (RAM page) */
	assert_int_equal(port_op(EVTCHNOP_send, lp), 0);
	assert_int_equal(xen_evtchn_port_poll(p, up), 1);
	assert_int_equal(peer_vi(p)->evtchn_upcall_pending, 1);
	assert_true(xen_remote_kick_pending(fv));
	assert_int_equal(xen_take_remote_kick(fv, &mask), PEER_ID);
	assert_int_equal(mask, 1);
	assert_int_equal(p->kick_pending, 0);
	assert_false(xen_remote_kick_pending(fv));
	/* A second send while pending raises nothing new: nothing to kick. */
	assert_int_equal(port_op(EVTCHNOP_send, lp), 0);
	assert_false(xen_remote_kick_pending(fv));
	/* The other way (our upcall taken since the bind). */
	si->vcpu_info[0].evtchn_upcall_pending = 0;
	si->vcpu_info[0].evtchn_pending_sel = 0;
	fake_domain_switch(p);
	assert_int_equal(port_op(EVTCHNOP_send, up), 0);
	assert_true(pending(lp));
	assert_int_equal(xen_take_remote_kick(fv, &mask), FAKE_DOMID);
	/* The peer closes: our end waits unbound for it; our send is dropped. */
	assert_int_equal(port_op(EVTCHNOP_close, up), 0);
	assert_int_equal(xen_port_get(me, lp)->state, XEN_PORT_UNBOUND);
	assert_int_equal(xen_port_get(me, lp)->remote_dom, PEER_ID);
	fake_domain_switch(me);
	assert_int_equal(port_op(EVTCHNOP_send, lp), 0);
	assert_false(xen_remote_kick_pending(fv));
	/* It may bind our port again, from its side. */
	fake_domain_switch(p);
	assert_int_equal(bind_inter(FAKE_DOMID, lp, &up), 0);
	assert_int_equal(xen_port_get(me, lp)->state, XEN_PORT_INTERDOMAIN);
	assert_int_equal(xen_port_get(me, lp)->remote_port, up);
	/* We close this time: its end goes unbound for us. */
	fake_domain_switch(me);
	assert_int_equal(port_op(EVTCHNOP_close, lp), 0);
	assert_int_equal(xen_port_get(p, up)->state, XEN_PORT_UNBOUND);
	assert_int_equal(xen_port_get(p, up)->remote_dom, FAKE_DOMID);
	/* The third domain's port for us is untouched by all this. */
	assert_int_equal(xen_port_get(o, other_port)->state, XEN_PORT_UNBOUND);
}

/* Either domain destroyed while bound: the survivor's end goes unbound for it, no dangling use. */
static void test_destroy_while_bound(void **state)
{
	struct domain *me = fd, *p = peer(PEER_ID);
	u32 up, lp, up2, lp2;

	(void)state;
	fake_domain_switch(p);
	up = alloc_unbound(FAKE_DOMID);
	up2 = alloc_unbound(FAKE_DOMID);
	fake_domain_switch(me);
	assert_int_equal(bind_inter(PEER_ID, up, &lp), 0);
	assert_int_equal(bind_inter(PEER_ID, up2, &lp2), 0);
	/* The peer goes. */
	p->state = DOMAIN_FREE;
	xen_evtchn_destroy(p);
	assert_null(p->xen.port_bucket);
	assert_int_equal(xen_port_get(me, lp)->state, XEN_PORT_UNBOUND);
	assert_int_equal(xen_port_get(me, lp)->remote_dom, PEER_ID);
	assert_int_equal(xen_port_get(me, lp2)->state, XEN_PORT_UNBOUND);
	assert_int_equal(port_op(EVTCHNOP_send, lp), 0);		/* dropped */
	assert_false(xen_remote_kick_pending(fv));
	/* A bind to the dead domain's ports: it does not exist. */
	assert_int_equal(bind_inter(PEER_ID, up, NULL), -3);
	assert_int_equal(port_op(EVTCHNOP_close, lp), 0);
	/* Now the other way round: we go, a live peer keeps a closed-for-us unbound port. */
	p = peer(OTHER_ID);
	fake_domain_switch(p);
	up = alloc_unbound(FAKE_DOMID);
	fake_domain_switch(me);
	assert_int_equal(bind_inter(OTHER_ID, up, &lp), 0);
	xen_evtchn_destroy(me);
	assert_int_equal(xen_port_get(p, up)->state, XEN_PORT_UNBOUND);
	assert_int_equal(xen_port_get(p, up)->remote_dom, FAKE_DOMID);
	fake_domain_switch(p);
	assert_int_equal(port_op(EVTCHNOP_send, up), 0);		/* dropped */
	assert_false(xen_remote_kick_pending(fv));
	/* Dead: nothing binds again. */
	fake_domain_switch(me);
	assert_int_equal(port_op(EVTCHNOP_send, lp), -22);
	assert_int_equal(ev(EVTCHNOP_bind_ipi, &(struct evtchn_bind_ipi){ .vcpu = 0 },
			    sizeof(struct evtchn_bind_ipi)), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_virq, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_send_ipi_and_upcall, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_mask_unmask, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_close, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_dom0_ports, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_unsupported, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_port_exhaustion, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_compat_layout, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_percpu_vector, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_2l_full_size, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_2l_compat_size, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_max_event_channels, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_domu_domu, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_while_bound, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
