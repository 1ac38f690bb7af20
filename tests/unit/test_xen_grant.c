// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant_table_op (vmm/xen/grant.c), grant frames through add_to_physmap,
 * and the reservation sub-ops Linux uses to find frames for them
 * (vmm/xen/memory.c).
 */
#include "test_xen_fakes.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/memory.h>

#define ARG	0x7000ull
#define LIST	0x7800ull

static s64 gnt(u32 cmd, const void *arg, size_t len, u32 count)
{
	if (arg)
		memcpy(fake_ram + ARG, arg, len);
	return hcall64(__HYPERVISOR_grant_table_op, cmd, ARG, count, 0, 0, NULL);
}

static s64 map_frame(u64 idx, u64 gfn)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gfn,
	};

	memcpy(fake_ram + ARG, &x, sizeof(x));
	return hcall64(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0, 0, 0, NULL);
}

static void test_query_and_version(void **state)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };

	(void)state;
	assert_int_equal(gnt(GNTTABOP_query_size, &q, sizeof(q), 1), 0);
	memcpy(&q, fake_ram + ARG, sizeof(q));
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, XEN_GNTTAB_DEFAULT_FRAMES);
	assert_int_equal(gnt(GNTTABOP_query_size, &q, sizeof(q), 2), -22);
	q.dom = 9;
	assert_int_equal(gnt(GNTTABOP_query_size, &q, sizeof(q), 1), 0);
	memcpy(&q, fake_ram + ARG, sizeof(q));
	assert_int_equal(q.status, GNTST_bad_domain);

	assert_int_equal(gnt(GNTTABOP_set_version, &sv, sizeof(sv), 1), 0);
	sv.version = 2;
	assert_int_equal(gnt(GNTTABOP_set_version, &sv, sizeof(sv), 1), -38);
	memcpy(&sv, fake_ram + ARG, sizeof(sv));
	assert_int_equal(sv.version, 1);		/* the version in force */
	sv.version = 3;
	assert_int_equal(gnt(GNTTABOP_set_version, &sv, sizeof(sv), 1), -22);
	assert_int_equal(gnt(GNTTABOP_get_version, &gv, sizeof(gv), 1), 0);
	memcpy(&gv, fake_ram + ARG, sizeof(gv));
	assert_int_equal(gv.version, 1);
	gv.dom = 0;
	assert_int_equal(gnt(GNTTABOP_get_version, &gv, sizeof(gv), 1), -1);

	/* Not for a PVH guest here; continuation bits only with cache_flush. */
	assert_int_equal(gnt(GNTTABOP_swap_grant_ref, NULL, 0, 1), -38);
	assert_int_equal(gnt(GNTTABOP_map_grant_ref, NULL, 0, 0), 0);	/* test_xen_grant_guest.c */
	assert_int_equal(gnt(GNTTABOP_transfer, NULL, 0, 1), -38);
	assert_int_equal(gnt(GNTTABOP_query_size | 0x1000, &q, sizeof(q), 1), -22);
	assert_int_equal(gnt(GNTTABOP_query_size, &q, sizeof(q), 0x80000000u), -22);
}

static void test_frames(void **state)
{
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3, .frame_list = LIST };
	u64 list[3];

	(void)state;
	memset(fake_ram + 0x40000, 0xaa, 4096);
	assert_int_equal(map_frame(0, 0x40), 0);
	assert_int_equal(fake_ram[0x40000], 0);		/* a new frame starts zeroed */
	assert_int_equal(fake_ram[0x40fff], 0);
	fake_ram[0x40010] = 0x5a;			/* the guest writes a grant */
	/* Moving frame 0 takes its contents along. */
	assert_int_equal(map_frame(0, 0x41), 0);
	assert_int_equal(fake_ram[0x41010], 0x5a);
	/* Frame 2 grows the table to 3. */
	assert_int_equal(map_frame(2, 0x43), 0);
	assert_int_equal(fd->xen.gnttab_nr_frames, 3);
	assert_int_equal(gnt(GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	memcpy(list, fake_ram + LIST, sizeof(list));
	assert_int_equal(list[0], 0x41);
	assert_int_equal(list[1], ~0ull);
	assert_int_equal(list[2], 0x43);
	memcpy(&st, fake_ram + ARG, sizeof(st));
	assert_int_equal(st.status, GNTST_okay);
	st.nr_frames = XEN_GNTTAB_DEFAULT_FRAMES + 1;
	assert_int_equal(gnt(GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	memcpy(&st, fake_ram + ARG, sizeof(st));
	assert_int_equal(st.status, GNTST_general_error);
	/* Out of range and status frames are refused. */
	assert_int_equal(map_frame(XEN_GNTTAB_DEFAULT_FRAMES, 0x44), -22);
	assert_int_equal(map_frame(0x80000000u, 0x44), -22);
	/* Outside RAM: a VMM page of its own (Linux's unpopulated address space)... */
	memset(fake_extra_page, 0x5a, sizeof(fake_extra_page));
	assert_int_equal(map_frame(1, FAKE_RAM_SIZE / 4096), 0);
	assert_int_equal(fake_extra_gfn, FAKE_RAM_SIZE / 4096);
	assert_int_equal(fake_extra_page[0], 0);	/* a new frame starts zeroed */
	/* ...unless none can be had. */
	fake_extra_refuse = true;
	assert_int_equal(map_frame(2, FAKE_RAM_SIZE / 4096 + 1), -22);
}

static s64 resv(u32 cmd, u64 nr, u32 order, u16 dom)
{
	struct xen_memory_reservation r = {
		.extent_start = LIST, .nr_extents = nr, .extent_order = order, .domid = dom,
	};

	memcpy(fake_ram + ARG, &r, sizeof(r));
	return hcall64(__HYPERVISOR_memory_op, cmd, ARG, 0, 0, 0, NULL);
}

static s64 current_pages(void)
{
	u16 dom = DOMID_SELF;

	memcpy(fake_ram + ARG, &dom, 2);
	return hcall64(__HYPERVISOR_memory_op, XENMEM_current_reservation, ARG, 0, 0, 0, NULL);
}

/*
 * A frame given back twice (XTF xsa-277): the second decrease does nothing,
 * as on Xen; populate or a mapping onto it takes it back, once.
 */
static void test_given_back_once(void **state)
{
	u64 frames[2] = { 0x60, 0x60 };
	unsigned int pages_before = fake_pages_out;

	(void)state;
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 0, DOMID_SELF), 1);
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 0, DOMID_SELF), 0);
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 0, DOMID_SELF), 0);
	assert_int_equal(current_pages(), FAKE_RAM_SIZE / 4096 - 1);
	/* An order-1 extent over 0x60-0x61: 0x60 is out already, nothing done. */
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 1, DOMID_SELF), 0);
	assert_int_equal(current_pages(), FAKE_RAM_SIZE / 4096 - 1);
	/* Populate twice: back once. */
	assert_int_equal(resv(XENMEM_populate_physmap, 2, 0, DOMID_SELF), 2);
	assert_int_equal(current_pages(), FAKE_RAM_SIZE / 4096);
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 1, DOMID_SELF), 1);
	assert_int_equal(current_pages(), FAKE_RAM_SIZE / 4096 - 2);
	/* A grant frame mapped onto 0x61 takes that frame back. */
	assert_int_equal(map_frame(0, 0x61), 0);
	assert_int_equal(current_pages(), FAKE_RAM_SIZE / 4096 - 1);
	frames[0] = 0x61;
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	assert_int_equal(resv(XENMEM_decrease_reservation, 1, 0, DOMID_SELF), 1);
	assert_int_equal(fake_pages_out, pages_before);	/* the balloon is core's (domain_ram.c) */
}

static void test_reservations(void **state)
{
	u64 frames[4] = { 0x40, 0x41, FAKE_RAM_SIZE / 4096, 0x42 };
	u16 dom = DOMID_SELF;

	(void)state;
	memcpy(fake_ram + LIST, frames, sizeof(frames));
	/* Stops at the frame outside RAM: 2 done; from a start extent of 3: all 4. */
	assert_int_equal(resv(XENMEM_decrease_reservation, 4, 0, DOMID_SELF), 2);
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_decrease_reservation | (3 << 6),
				 ARG, 0, 0, 0, NULL), 4);
	memcpy(fake_ram + ARG, &dom, 2);
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_current_reservation, ARG,
				 0, 0, 0, NULL), FAKE_RAM_SIZE / 4096 - 3);
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, ARG,
				 0, 0, 0, NULL), FAKE_RAM_SIZE / 4096);
	assert_int_equal(resv(XENMEM_populate_physmap, 2, 0, DOMID_SELF), 2);
	memcpy(fake_ram + ARG, &dom, 2);
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_current_reservation, ARG,
				 0, 0, 0, NULL), FAKE_RAM_SIZE / 4096 - 1);
	/* Others' memory, misaligned and oversized extents, increase. */
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 0, 0), -1);
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 1, DOMID_SELF), 1);	/* 0x41 odd */
	assert_int_equal(resv(XENMEM_decrease_reservation, 2, 10, DOMID_SELF), 0);
	assert_int_equal(resv(XENMEM_increase_reservation, 2, 0, DOMID_SELF), 0);
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0,
				 0, 0, 0, NULL), FAKE_RAM_SIZE / 4096);
	/* 32-bit layout: u32 frames. */
	{
		struct xen_memory_reservation_compat c = {
			.extent_start = (u32)LIST, .nr_extents = 2, .domid = DOMID_SELF,
		};
		u32 f32[2] = { 0x50, 0x51 };

		memcpy(fake_ram + LIST, f32, sizeof(f32));
		memcpy(fake_ram + ARG, &c, sizeof(c));
		assert_int_equal(hcall32(__HYPERVISOR_memory_op, XENMEM_decrease_reservation,
					 (u32)ARG, 0, 0, 0, NULL), 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_query_and_version, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_frames, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_reservations, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_given_back_once, fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
