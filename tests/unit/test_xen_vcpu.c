// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op, set_timer_op and vm_assist (vmm/xen/vcpu.c): timers, the
 * vcpu_info, runstate and time areas, vCPU ids.
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

#define ARG		0x7000ull
#define SHINFO_GFN	0xf0

static struct shared_info *si;

static int setup(void **state)
{
	fake_setup(state);
	fake_shinfo_gfn = SHINFO_GFN;
	fd->shared_info_gpa = SHINFO_GFN << 12;
	fv->mode_64 = true;
	si = (struct shared_info *)fake_shinfo;
	fv->xen.virq_port[VIRQ_TIMER] = 1;
	xen_port_get(fd, 1)->state = XEN_PORT_VIRQ;
	return 0;
}

static s64 vop(u32 cmd, u32 id, const void *arg, size_t len)
{
	if (arg)
		memcpy(fake_ram + ARG, arg, len);
	return hcall64(__HYPERVISOR_vcpu_op, cmd, id, ARG, 0, 0, NULL);
}

static bool timer_pending(void)
{
	return si->evtchn_pending[0] & 2;
}

static void test_ids_and_state(void **state)
{
	(void)state;
	assert_int_equal(vop(VCPUOP_is_up, 0, NULL, 0), 1);
	assert_int_equal(vop(VCPUOP_up, 0, NULL, 0), 0);
	assert_int_equal(vop(VCPUOP_is_up, 1, NULL, 0), -2);
	assert_int_equal(vop(VCPUOP_up, 1, NULL, 0), -2);
	assert_int_equal(vop(VCPUOP_initialise, 0, NULL, 0), -17);
	assert_int_equal(vop(VCPUOP_get_physid, 0, NULL, 0), -22);
	assert_int_equal(vop(VCPUOP_send_nmi, 0, NULL, 0), -38);
	assert_int_equal(vop(VCPUOP_register_runstate_phys_area, 0, NULL, 0), -38);
	assert_int_equal(vop(99, 0, NULL, 0), -38);
}

static void test_singleshot(void **state)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 5000 };

	(void)state;
	fake_tsc = 2000;				/* 1000 ns */
	assert_int_equal(vop(VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
	assert_int_equal(vop(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
	assert_int_equal(xen_vcpu_timer_ns(fv), 4000);
	assert_false(timer_pending());
	fake_tsc = 20000;
	xen_vcpu_prepare_entry(fv);
	assert_true(timer_pending());
	/* In the past: at once, unless VCPU_SSHOTTMR_future asks for -ETIME. */
	si->evtchn_pending[0] = 0;
	t.timeout_abs_ns = 100;
	assert_int_equal(vop(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
	assert_true(timer_pending());
	t.flags = VCPU_SSHOTTMR_future;
	assert_int_equal(vop(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), -62);
	/* Stop. */
	t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = 1000000 };
	assert_int_equal(vop(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
	assert_int_equal(vop(VCPUOP_stop_singleshot_timer, 0, NULL, 0), 0);
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
	assert_int_equal(vop(VCPUOP_stop_singleshot_timer, 1, NULL, 0), -2);
	/* 32-bit: the 12-byte struct at the very end of RAM. */
	memcpy(fake_ram + FAKE_RAM_SIZE - 12, &t, 12);
	assert_int_equal(hcall32(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
				 FAKE_RAM_SIZE - 12, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 1000000);
	assert_int_equal(hcall64(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
				 FAKE_RAM_SIZE - 12, 0, 0, NULL), -14);
}

static void test_periodic(void **state)
{
	struct vcpu_set_periodic_timer p = { .period_ns = 500000 };

	(void)state;
	assert_int_equal(vop(VCPUOP_set_periodic_timer, 0, &p, sizeof(p)), -22);	/* < 1 ms */
	p.period_ns = 10000000;
	assert_int_equal(vop(VCPUOP_set_periodic_timer, 0, &p, sizeof(p)), 0);
	assert_int_equal(xen_vcpu_timer_ns(fv), 10000000);
	fake_tsc = 2 * 10000000ull;
	xen_vcpu_prepare_entry(fv);
	assert_true(timer_pending());
	assert_int_equal(xen_vcpu_timer_ns(fv), 10000000);
	assert_int_equal(vop(VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
}

static void test_set_timer_op(void **state)
{
	(void)state;
	fake_tsc = 2000;
	assert_int_equal(hcall64(__HYPERVISOR_set_timer_op, 9000, 0, 0, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 9000);
	assert_int_equal(hcall64(__HYPERVISOR_set_timer_op, 0, 0, 0, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 0);
	/* Far ahead or negative: in 100 ms. */
	assert_int_equal(hcall64(__HYPERVISOR_set_timer_op, 1ull << 52, 0, 0, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 1000 + 100000000ull);
	assert_int_equal(hcall64(__HYPERVISOR_set_timer_op, ~0ull, 0, 0, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 1000 + 100000000ull);
	/* Past: fires. 32-bit: low, high. */
	assert_int_equal(hcall32(__HYPERVISOR_set_timer_op, 5, 0, 0, 0, 0, NULL), 0);
	assert_true(timer_pending());
	assert_int_equal(hcall32(__HYPERVISOR_set_timer_op, 0, 1, 0, 0, 0, NULL), 0);
	assert_int_equal(fv->xen.timer_deadline, 1ull << 32);
}

static void test_vm_assist(void **state)
{
	(void)state;
	assert_int_equal(hcall64(__HYPERVISOR_vm_assist, 0, 5, 0, 0, 0, NULL), 0);
	assert_true(fd->xen.runstate_update_flag);
	assert_int_equal(hcall64(__HYPERVISOR_vm_assist, 1, 5, 0, 0, 0, NULL), 0);
	assert_false(fd->xen.runstate_update_flag);
	assert_int_equal(hcall64(__HYPERVISOR_vm_assist, 0, 2, 0, 0, 0, NULL), -22);
	assert_int_equal(hcall64(__HYPERVISOR_vm_assist, 7, 5, 0, 0, 0, NULL), -38);
}

static void test_runstate(void **state)
{
	struct vcpu_runstate_info r;
	u64 addr = 0x9ff0;			/* 48 bytes across a page end */

	(void)state;
	fake_tsc = 2000000;			/* created at 0; now 1 ms */
	memset(fake_ram + 0x9ff0, 0xee, 48);
	assert_int_equal(hcall64(__HYPERVISOR_vm_assist, 0, 5, 0, 0, 0, NULL), 0);
	assert_int_equal(vop(VCPUOP_register_runstate_memory_area, 0, &addr, 8), 0);
	memcpy(&r, fake_ram + 0x9ff0, sizeof(r));
	assert_int_equal(r.state, RUNSTATE_running);
	assert_int_equal(r.state_entry_time, 0);	/* update flag cleared again */
	assert_int_equal(r.time[0] | r.time[1] | r.time[2] | r.time[3], 0);
	assert_int_equal(vop(VCPUOP_get_runstate_info, 0, NULL, 0), 0);
	memcpy(&r, fake_ram + ARG, sizeof(r));
	assert_int_equal(r.time[RUNSTATE_running], 1000000);
	/* Bad address: -EFAULT; address 0 unregisters. */
	addr = FAKE_BAD_GPA;
	assert_int_equal(vop(VCPUOP_register_runstate_memory_area, 0, &addr, 8), -14);
	addr = 0;
	assert_int_equal(vop(VCPUOP_register_runstate_memory_area, 0, &addr, 8), 0);
	assert_int_equal(fv->xen.runstate_area.gpa, ~0ull);
	/* 32-bit layout: 44 bytes, entry time at 4; the handle is 4 bytes. */
	memset(fake_ram + 0xa000, 0xee, 48);
	addr = 0xa000;
	memcpy(fake_ram + ARG, &addr, 4);
	memset(fake_ram + ARG + 4, 0xff, 4);
	assert_int_equal(hcall32(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
				 (u32)ARG, 0, 0, NULL), 0);
	assert_int_equal(fake_ram[0xa000 + 44], 0xee);	/* nothing past 44 bytes */
	assert_int_equal(fake_ram[0xa000 + 4], 0);
	assert_int_equal(fake_ram[0xa000 + 43], 0);
}

static void test_vcpu_info(void **state)
{
	struct vcpu_register_vcpu_info r = { .mfn = 0x20, .offset = 0x40 };
	struct vcpu_info *vi = (struct vcpu_info *)(fake_ram + 0x20040);

	(void)state;
	si->vcpu_info[0].evtchn_upcall_mask = 0;
	si->vcpu_info[0].arch.cr2 = 0x1234;
	r.offset = 4090;
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -6);
	r.offset = 0x44;
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -6);
	r = (struct vcpu_register_vcpu_info){ .mfn = FAKE_RAM_SIZE / 4096, .offset = 0x40 };
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -22);
	r.mfn = 0x20;
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), 0);
	assert_int_equal(vi->arch.cr2, 0x1234);		/* contents carried over */
	assert_int_equal(vi->evtchn_pending_sel, ~0ull);	/* everything pending */
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -22);	/* once */
	assert_int_equal(vop(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), -2);
	/* pvclock and events go to the new place. */
	xen_vcpu_prepare_entry(fv);
	assert_true(vi->time.version && !(vi->time.version & 1));
	assert_int_equal(vi->time.tsc_to_system_mul, 0x80000000u);
	vi->evtchn_pending_sel = 0;
	xen_send_virq(fv, VIRQ_TIMER);
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(si->vcpu_info[0].evtchn_pending_sel, 0);
}

static void test_time_area(void **state)
{
	u64 addr = 0xb000;
	struct vcpu_time_info t;

	(void)state;
	fake_tsc = 4242;
	assert_int_equal(vop(VCPUOP_register_vcpu_time_memory_area, 0, &addr, 8), 0);
	xen_vcpu_prepare_entry(fv);
	memcpy(&t, fake_ram + 0xb000, sizeof(t));
	assert_true(t.version && !(t.version & 1));
	assert_int_equal(t.tsc_timestamp, 4242);
	assert_int_equal(t.system_time, 2121);
	assert_int_equal(t.flags, XEN_PVCLOCK_TSC_STABLE_BIT);
	assert_memory_equal(&t, &si->vcpu_info[0].time, sizeof(t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids_and_state, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_singleshot, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_periodic, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_set_timer_op, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_vm_assist, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_runstate, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_info, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_time_area, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
