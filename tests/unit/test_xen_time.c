// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time (vmm/xen/time.c): system time from the TSC at several rates, the
 * pvclock data as a guest reads it, the wallclock, timers at entry.
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"

#define SHINFO_GFN	0xf0

static struct shared_info *si;

static int setup(void **state)
{
	fake_setup(state);
	fv->mode_64 = true;
	si = (struct shared_info *)fake_shinfo;
	return 0;
}

static void map_shinfo(void)
{
	fake_shinfo_gfn = SHINFO_GFN;
	fd->shared_info_gpa = SHINFO_GFN << 12;
	xen_shared_info_mapped(fd);
}

/* What a guest computes from vcpu_time_info at TSC @tsc. */
static u64 guest_time(const struct vcpu_time_info *t, u64 tsc)
{
	u64 d = tsc - t->tsc_timestamp;

	d = t->tsc_shift < 0 ? d >> -t->tsc_shift : d << t->tsc_shift;
	return t->system_time + (u64)(((unsigned __int128)d * t->tsc_to_system_mul) >> 32);
}

static void test_system_time(void **state)
{
	static const u64 khz[] = { 2000000, 1000000, 3000000, 2500000, 100000, 3700123, 0 };

	(void)state;
	for (unsigned int i = 0; i < sizeof(khz) / sizeof(khz[0]); i++) {
		u64 hz = (khz[i] ? khz[i] : 1000000) * 1000;

		xvmm_boot_info.tsc_khz = khz[i];
		fake_tsc = 0;
		assert_int_equal(xen_system_time_ns(), 0);
		/* One second, and an hour: within 1 ns per second of the exact value. */
		fake_tsc = hz;
		assert_true(xen_system_time_ns() + 1 >= 1000000000ull &&
			    xen_system_time_ns() <= 1000000000ull);
		fake_tsc = hz * 3600;
		assert_true(xen_system_time_ns() + 3600 >= 3600000000000ull &&
			    xen_system_time_ns() <= 3600000000000ull);
	}
}

static void test_pvclock(void **state)
{
	struct vcpu_time_info *t = &si->vcpu_info[0].time;
	u32 ver;

	(void)state;
	fake_tsc = 123456789;
	xen_vcpu_prepare_entry(fv);		/* no shared_info yet: nowhere to write */
	map_shinfo();
	xen_vcpu_prepare_entry(fv);
	assert_true(t->version && !(t->version & 1));
	assert_int_equal(t->tsc_timestamp, 123456789);
	assert_int_equal(t->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
	assert_int_equal(t->tsc_shift, 0);	/* 2 GHz: mul 2^31 */
	assert_int_equal(t->tsc_to_system_mul, 0x80000000u);
	for (u64 tsc = 123456789; tsc < 1000000000000ull; tsc = tsc * 7 + 3) {
		fake_tsc = tsc;
		assert_true(guest_time(t, tsc) + 1 >= xen_system_time_ns() &&
			    guest_time(t, tsc) <= xen_system_time_ns());
	}
	/* Nothing changed: not rewritten. */
	ver = t->version;
	fake_tsc += 1000000;
	xen_vcpu_prepare_entry(fv);
	assert_int_equal(t->version, ver);
	/* Without an invariant TSC, no stable flag. */
	fake_tsc_invariant = false;
	fv->xen.pvclock_dirty = true;
	xen_vcpu_prepare_entry(fv);
	assert_int_equal(t->version, ver + 2);
	assert_int_equal(t->flags, 0);
}

static void test_wallclock(void **state)
{
	u32 wc[4];

	(void)state;
	map_shinfo();
	assert_int_equal(si->wc_version & 1, 0);
	assert_true(si->wc_version != 0);
	assert_int_equal(si->wc_sec, (u32)1700000000u);
	assert_int_equal(si->wc_nsec, 123456789);
	assert_int_equal(si->wc_sec_hi, 0);
	/* A 32-bit guest's layout: wc at 2304. */
	memset(fake_shinfo, 0, 4096);
	fv->mode_64 = false;
	xen_shared_info_mapped(fd);
	memcpy(wc, fake_shinfo + 2304, sizeof(wc));
	assert_int_equal(wc[0], 2);
	assert_int_equal(wc[1], 1700000000u);
	assert_int_equal(wc[2], 123456789);
	assert_int_equal(si->wc_version, 0);
}

static void test_timers_at_entry(void **state)
{
	(void)state;
	map_shinfo();
	fv->xen.virq_port[VIRQ_TIMER] = 5;	/* as bind_virq leaves it */
	xen_port_get(fd, 5)->state = XEN_PORT_VIRQ;
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
	fake_tsc = 2000;			/* 1000 ns */
	xen_timer_set(fv, 5000);
	assert_int_equal(xen_vcpu_timer_ns(fv), 4000);
	xen_vcpu_prepare_entry(fv);
	assert_false(si->evtchn_pending[0] & (1u << 5));
	fake_tsc = 10000;			/* 5000 ns: due */
	assert_int_equal(xen_vcpu_timer_ns(fv), 1);
	xen_vcpu_prepare_entry(fv);
	assert_true(si->evtchn_pending[0] & (1u << 5));
	assert_int_equal(si->vcpu_info[0].evtchn_upcall_pending, 1);
	assert_int_equal(fv->xen.timer_deadline, 0);
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
	/* A past deadline fires at once. */
	si->evtchn_pending[0] = 0;
	xen_timer_set(fv, 1);
	assert_true(si->evtchn_pending[0] & (1u << 5));
	assert_int_equal(xen_vcpu_timer_ns(fv), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_system_time, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pvclock, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_wallclock, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_timers_at_entry, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
