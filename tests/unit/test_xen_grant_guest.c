// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest-to-guest grants (vmm/xen/grant_guest.c): a domain maps, copies
 * and unmaps another domain's grants; the grantee check (a third domain
 * is refused), GTF_readonly, the nested-table map at host_addr and its
 * removal, pins, bad handles and flags, deferral while another vCPU may
 * hold a stale translation, and either domain's destruction.
 */
#include "test_xen_fakes.h"
#include "grant_internal.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/memory.h>

#define ARG		0x7000ull
#define GT_GFN		0x40		/* the granter's grant frame 0 */
#define PAGE_A		0x50		/* a granted page of the granter */
#define HOST_GFN	0x90		/* where the mapper maps it (its RAM) */
#define BUF		0x20		/* a page of the mapper's own */
#define B_ID		FAKE_DOMID	/* granter: fd */
#define A_ID		4		/* the mapper */
#define C_ID		5		/* a third domain, granted nothing */

static struct domain *B, *A, *C;

static struct grant_entry_v1 *gt(u32 ref)
{
	u8 *ram = guest_page_ptr(B, B->xen.gnttab_gfn[0] << 12, 4096);

	return (struct grant_entry_v1 *)ram + ref;
}

static void grant(u32 ref, u16 flags, u16 domid, u32 frame)
{
	*gt(ref) = (struct grant_entry_v1){ .flags = flags, .domid = domid, .frame = frame };
}

static int setup(void **state)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = GT_GFN,
	};

	fake_setup(state);
	B = fd;
	memcpy(fake_ram + ARG, &x, sizeof(x));
	assert_int_equal(hcall64(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0, 0, 0, NULL), 0);
	for (unsigned int i = 0; i < 4096; i++)
		fake_ram[PAGE_A * 4096 + i] = (u8)(i * 3 + 1);
	A = fake_domain_add(A_ID);
	C = fake_domain_add(C_ID);
	return 0;
}

static int teardown(void **state)
{
	fake_domain_switch(B);
	return fake_teardown(state);
}

/* GNTTABOP_map_grant_ref of one op, as domain @as; returns the op after. */
static struct gnttab_map_grant_ref map_as(struct domain *as, u16 dom, u32 ref, u32 flags, u64 gfn)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = gfn << 12, .flags = flags, .ref = ref, .dom = dom, .status = 99,
	};

	fake_domain_switch(as);
	memcpy(fake_ram + ARG, &op, sizeof(op));
	assert_int_equal(hcall64(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ARG, 1,
				 0, 0, NULL), 0);
	memcpy(&op, fake_ram + ARG, sizeof(op));
	return op;
}

static s16 unmap_as(struct domain *as, u32 handle, u64 gfn)
{
	struct gnttab_unmap_grant_ref op = { .host_addr = gfn << 12, .handle = handle, .status = 99 };

	fake_domain_switch(as);
	memcpy(fake_ram + ARG, &op, sizeof(op));
	assert_int_equal(hcall64(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, ARG, 1,
				 0, 0, NULL), 0);
	memcpy(&op, fake_ram + ARG, sizeof(op));
	return op.status;
}

static s16 copy_as(struct domain *as, u64 src, u16 sdom, u16 soff, u64 dst, u16 ddom, u16 doff,
		   u16 len, u16 flags)
{
	struct gnttab_copy op = {
		.source = { .u.gmfn = src, .domid = sdom, .offset = soff },
		.dest = { .u.gmfn = dst, .domid = ddom, .offset = doff },
		.len = len, .flags = flags, .status = 99,
	};

	fake_domain_switch(as);
	memcpy(fake_ram + ARG, &op, sizeof(op));
	assert_int_equal(hcall64(__HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG, 1, 0, 0, NULL), 0);
	memcpy(&op, fake_ram + ARG, sizeof(op));
	return op.status;
}

static void test_map_and_unmap(void **state)
{
	struct gnttab_map_grant_ref op;
	const struct fake_gmap *g;

	(void)state;
	grant(5, GTF_permit_access, A_ID, PAGE_A);
	op = map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN);
	assert_int_equal(op.status, GNTST_okay);
	g = fake_gmap_of(A, HOST_GFN);
	assert_non_null(g);
	assert_int_equal(g->hpa, fake_hpa(B, PAGE_A));
	assert_false(g->readonly);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_true(A->npt_gen > 0);			/* its vCPUs flush before they run on */
	/* The same frame again, or a third domain: refused, nothing changes. */
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
	assert_int_equal(map_as(C, B_ID, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
	assert_null(fake_gmap_of(C, HOST_GFN));
	/* Even if the granter now names C: the pin is A's. */
	gt(5)->domid = C_ID;
	assert_int_equal(map_as(C, B_ID, 5, GNTMAP_host_map | GNTMAP_readonly, 0x91).status,
			 GNTST_general_error);
	gt(5)->domid = A_ID;
	/* Unmap: wrong host_addr, then right; bad handles. */
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN + 1), GNTST_general_error);
	assert_int_equal(unmap_as(C, op.handle, HOST_GFN), GNTST_bad_handle);
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_okay);
	assert_null(fake_gmap_of(A, HOST_GFN));
	assert_int_equal(gt(5)->flags, GTF_permit_access);	/* one vCPU: unpinned at once */
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_bad_handle);
	assert_int_equal(unmap_as(A, 0xffffffffu, HOST_GFN), GNTST_bad_handle);
}

static void test_map_refused(void **state)
{
	(void)state;
	grant(5, GTF_permit_access | GTF_readonly, A_ID, PAGE_A);
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly);
	/* Read-only is fine, and the nested table maps it read-only. */
	{
		struct gnttab_map_grant_ref op = map_as(A, B_ID, 5, GNTMAP_host_map | GNTMAP_readonly,
							HOST_GFN);

		assert_int_equal(op.status, GNTST_okay);
		assert_true(fake_gmap_of(A, HOST_GFN)->readonly);
		assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
		assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_okay);
	}
	grant(5, GTF_permit_access, A_ID, PAGE_A);
	assert_int_equal(map_as(A, B_ID, 5, 0, HOST_GFN).status, GNTST_bad_gntref);
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map | GNTMAP_device_map, HOST_GFN).status,
			 GNTST_general_error);
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map | GNTMAP_contains_pte, HOST_GFN).status,
			 GNTST_general_error);
	assert_int_equal(map_as(A, 9, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_domain);
	assert_int_equal(map_as(A, 0, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_domain);
	assert_int_equal(map_as(A, DOMID_SELF, 5, GNTMAP_host_map, HOST_GFN).status,
			 GNTST_bad_domain);
	assert_int_equal(map_as(A, B_ID, 512, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_gntref);
	/* Over the mapper's own grant frame, or beyond what the table allows. */
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map, 1ull << 30).status, GNTST_general_error);
	grant(6, GTF_permit_access, A_ID, FAKE_RAM_SIZE / 4096 + 1);
	assert_int_equal(map_as(A, B_ID, 6, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_page);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	assert_int_equal(gt(6)->flags, GTF_permit_access);
	/* Out of maptrack entries: every entry of its frames in use, no more frames. */
	A->xen.guest_maps.max_frames = A->xen.guest_maps.nr_frames;
	A->xen.guest_maps.free = XEN_GNT_NONE;
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN).status, GNTST_no_space);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
}

static void test_copy(void **state)
{
	u8 *abuf;

	(void)state;
	grant(5, GTF_permit_access, A_ID, PAGE_A);
	/* From B's grant to A's own frame. */
	assert_int_equal(copy_as(A, 5, B_ID, 16, BUF, DOMID_SELF, 8, 100, GNTCOPY_source_gref),
			 GNTST_okay);
	abuf = guest_page_ptr(A, BUF << 12, 4096);
	assert_memory_equal(abuf + 8, guest_page_ptr(B, PAGE_A << 12, 4096) + 16, 100);
	assert_int_equal(gt(5)->flags, GTF_permit_access);	/* pinned only while copying */
	/* And back into it. */
	memset(abuf, 0xab, 64);
	assert_int_equal(copy_as(A, BUF, DOMID_SELF, 0, 5, B_ID, 0, 64, GNTCOPY_dest_gref),
			 GNTST_okay);
	assert_int_equal(((u8 *)guest_page_ptr(B, PAGE_A << 12, 4096))[63], 0xab);
	/* Not to a read-only grant; not by C; a frame side must be DOMID_SELF. */
	grant(6, GTF_permit_access | GTF_readonly, A_ID, PAGE_A);
	assert_int_equal(copy_as(A, BUF, DOMID_SELF, 0, 6, B_ID, 0, 8, GNTCOPY_dest_gref),
			 GNTST_general_error);
	assert_int_equal(copy_as(C, 5, B_ID, 0, BUF, DOMID_SELF, 0, 8, GNTCOPY_source_gref),
			 GNTST_general_error);
	assert_int_equal(copy_as(A, 5, B_ID, 0, BUF, A_ID, 0, 8, GNTCOPY_source_gref),
			 GNTST_permission_denied);
	assert_int_equal(copy_as(A, 5, B_ID, 4000, BUF, DOMID_SELF, 0, 200, GNTCOPY_source_gref),
			 GNTST_bad_copy_arg);
	assert_int_equal(copy_as(A, 5, 9, 0, BUF, DOMID_SELF, 0, 8, GNTCOPY_source_gref),
			 GNTST_bad_domain);
	assert_int_equal(copy_as(A, 5, B_ID, 0, FAKE_RAM_SIZE / 4096, DOMID_SELF, 0, 8,
				 GNTCOPY_source_gref), GNTST_bad_page);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	assert_int_equal(gt(6)->flags, GTF_permit_access | GTF_readonly);
}

/* Another vCPU of the mapper is running: the unpin waits until it flushed. */
static void test_unmap_waits_for_other_vcpus(void **state)
{
	struct gnttab_map_grant_ref op;

	(void)state;
	A->nr_vcpus = 2;
	A->vcpus[1].running = true;
	grant(5, GTF_permit_access, A_ID, PAGE_A);
	op = map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN);
	assert_int_equal(op.status, GNTST_okay);
	assert_true(A->kick_pending & 2);		/* kicked out of the guest */
	A->vcpus[1].npt_seen_gen = A->npt_gen;
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_okay);
	assert_null(fake_gmap_of(A, HOST_GFN));
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	/* Its next grant call after vCPU 1 flushed unpins. */
	A->vcpus[1].npt_seen_gen = A->npt_gen;
	fake_domain_switch(A);
	assert_int_equal(hcall64(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ARG, 0,
				 0, 0, NULL), 0);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
}

/* The granter goes: the mapper loses the page; the mapper goes: the grant is unpinned. */
static void test_destroy(void **state)
{
	struct gnttab_map_grant_ref op, op2;

	(void)state;
	grant(5, GTF_permit_access, A_ID, PAGE_A);
	grant(7, GTF_permit_access, C_ID, PAGE_A);
	op = map_as(A, B_ID, 5, GNTMAP_host_map, HOST_GFN);
	op2 = map_as(C, B_ID, 7, GNTMAP_host_map, HOST_GFN);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(op2.status, GNTST_okay);
	/* C is destroyed: B's grant 7 is unpinned. */
	C->state = DOMAIN_FREE;
	xen_gnttab_dom0_revoke_all(C);
	xen_gnttab_destroy(C);
	assert_int_equal(gt(7)->flags, GTF_permit_access);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	/* B is destroyed: A's map leaves its table; unmapping it later is fine. */
	B->state = DOMAIN_FREE;
	xen_gnttab_dom0_revoke_all(B);
	xen_gnttab_destroy(B);
	assert_null(fake_gmap_of(A, HOST_GFN));
	assert_int_equal(map_as(A, B_ID, 5, GNTMAP_host_map, 0x91).status, GNTST_bad_domain);
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_okay);
	assert_int_equal(unmap_as(A, op.handle, HOST_GFN), GNTST_bad_handle);
	B->state = DOMAIN_RUNNING;	/* for teardown */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_and_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_waits_for_other_vcpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
