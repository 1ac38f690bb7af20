// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dom0's copy, map and unmap of a guest's grants (vmm/xen/grant_dom0.c):
 * the v1 entry checks (type, grantee, read-only, sub-page), refs beyond
 * the table, copies beyond the page, frames that are not the guest's RAM,
 * the GTF_reading/GTF_writing pins and a guest racing them, the maptrack
 * limit and thousands of maps, batches of maps and unmaps, unmap waiting
 * for every CPU's TLB flush, revocation when the domain is destroyed, and
 * dom0 writing to a read-only map.
 */
#include "test_xen_fakes.h"
#include "grant_internal.h"
#include "xen_internal.h"
#include "xen_ops_abi.h"
#include <xen/memory.h>
#include <stdlib.h>

#define ARG		0x7000ull
#define GT_GFN		0x40		/* grant frame 0 */
#define PAGE_A		0x50		/* granted pages */
#define PAGE_B		0x51
#define DATA_PA		(FAKE_DOM0_PA + 4096)	/* dom0's data buffer */
#define DATA		(fake_dom0 + 4096)

static struct grant_entry_v1 *gt(u32 ref)
{
	u64 gfn = fd->xen.gnttab_gfn[ref / 512];

	return (struct grant_entry_v1 *)(fake_ram + gfn * 4096) + ref % 512;
}

static void grant(u32 ref, u16 flags, u16 domid, u32 frame)
{
	*gt(ref) = (struct grant_entry_v1){ .flags = flags, .domid = domid, .frame = frame };
}

static s64 map_frame(u64 idx, u64 gfn)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gfn,
	};

	memcpy(fake_ram + ARG, &x, sizeof(x));
	return hcall64(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0, 0, 0, NULL);
}

/* The guest's table: frame 0 at GT_GFN; pages A and B hold known bytes. */
static int setup(void **state)
{
	fake_setup(state);
	assert_int_equal(map_frame(0, GT_GFN), 0);
	for (unsigned int i = 0; i < 4096; i++) {
		fake_ram[PAGE_A * 4096 + i] = (u8)(i * 7 + 1);
		fake_ram[PAGE_B * 4096 + i] = (u8)(i ^ 0x5a);
	}
	return 0;
}

/* One copy segment through XVMM_OP_GNT_COPY; its status. */
static s16 copy1(u32 ref, u16 off, u16 len, u16 flags, u64 buf)
{
	struct xvmm_gnt_copy *s = (void *)fake_dom0;

	*s = (struct xvmm_gnt_copy){ .buf = buf, .ref = ref, .offset = off, .len = len,
				     .flags = flags, .status = 99 };
	assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, 1), 0);
	return s->status;
}

static s16 map1(u32 ref, u32 flags, u32 *handle, u64 *pa)
{
	struct xvmm_gnt_map *m = (void *)fake_dom0;

	*m = (struct xvmm_gnt_map){ .ref = ref, .flags = flags, .status = 99 };
	assert_int_equal(xen_gnttab_dom0_map(fd, FAKE_DOM0_PA), 0);
	if (handle)
		*handle = m->handle;
	if (pa)
		*pa = m->pa;
	return (s16)m->status;
}

/* Maps of the domain's grants dom0 holds (mapped or unmapping). */
static unsigned int live_maps(void)
{
	const struct xen_maptrack *t = &fd->xen.dom0_maps;
	unsigned int n = 0;

	for (u32 h = 0; h < t->nr_frames * XEN_GNT_MAPS_PER_FRAME; h++)
		n += gnt_map_get(t, h)->state != XEN_GNT_FREE;
	return n;
}

/* Unmap completely: the first call waits for the CPUs, which then flush. */
static void unmap_flushed(u32 handle)
{
	s64 rc = xen_gnttab_dom0_unmap(fd, handle);

	if (rc == -11) {
		fake_flushed_gen = fake_npt_gen;
		rc = xen_gnttab_dom0_unmap(fd, handle);
	}
	assert_int_equal(rc, 0);
}

static void test_copy_both_ways(void **state)
{
	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(copy1(5, 16, 100, 0, DATA_PA), GNTST_okay);
	assert_memory_equal(DATA, fake_ram + PAGE_A * 4096 + 16, 100);
	assert_int_equal(gt(5)->flags, GTF_permit_access);	/* pinned only while copying */

	memset(DATA, 0xee, 4096);
	assert_int_equal(copy1(5, 0, 4096, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_okay);
	assert_int_equal(fake_ram[PAGE_A * 4096], 0xee);
	assert_int_equal(fake_ram[PAGE_A * 4096 + 4095], 0xee);
	assert_int_equal(fake_ram[PAGE_B * 4096], 0x5a);		/* nothing beyond */
	assert_int_equal(gt(5)->flags, GTF_permit_access);

	/* The last byte of the page; an empty copy needs no buffer. */
	assert_int_equal(copy1(5, 4095, 1, 0, DATA_PA + 100), GNTST_okay);
	assert_int_equal(DATA[100], 0xee);
	assert_int_equal(copy1(5, 4096, 0, 0, 0xdead0000), GNTST_okay);

	/* Several segments in one call, each with its own status. */
	{
		struct xvmm_gnt_copy *s = (void *)fake_dom0;

		grant(6, GTF_permit_access | GTF_readonly, 0, PAGE_B);
		s[0] = (struct xvmm_gnt_copy){ .buf = DATA_PA, .ref = 6, .len = 8 };
		s[1] = (struct xvmm_gnt_copy){ .buf = DATA_PA, .ref = 6, .len = 8,
					       .flags = XVMM_GNT_TO_GUEST };
		s[2] = (struct xvmm_gnt_copy){ .buf = DATA_PA + 8, .ref = 5, .len = 8 };
		assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, 3), 0);
		assert_int_equal(s[0].status, GNTST_okay);
		assert_int_equal(s[1].status, GNTST_general_error);
		assert_int_equal(s[2].status, GNTST_okay);
		assert_memory_equal(DATA, fake_ram + PAGE_B * 4096, 8);
	}
}

static void test_copy_refused(void **state)
{
	(void)state;
	/* Read-only: reads yes, writes no, and the page is untouched. */
	grant(5, GTF_permit_access | GTF_readonly, 0, PAGE_A);
	memset(DATA, 0xee, 4096);
	assert_int_equal(copy1(5, 0, 64, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_general_error);
	assert_int_equal(fake_ram[PAGE_A * 4096], 1);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly);
	assert_int_equal(copy1(5, 0, 64, 0, DATA_PA), GNTST_okay);

	/* Granted to another domain, not granted, a transfer, a v2 type. */
	grant(7, GTF_permit_access, 5, PAGE_A);
	assert_int_equal(copy1(7, 0, 8, 0, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(7)->flags, GTF_permit_access);
	grant(7, GTF_invalid, 0, PAGE_A);
	assert_int_equal(copy1(7, 0, 8, 0, DATA_PA), GNTST_general_error);
	grant(7, GTF_accept_transfer, 0, PAGE_A);
	assert_int_equal(copy1(7, 0, 8, 0, DATA_PA), GNTST_general_error);
	grant(7, GTF_transitive, 0, PAGE_A);
	assert_int_equal(copy1(7, 0, 8, 0, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(7)->flags, GTF_transitive);

	/* Refs beyond the table (one frame: 512 entries), forged huge ones. */
	assert_int_equal(copy1(512, 0, 8, 0, DATA_PA), GNTST_bad_gntref);
	assert_int_equal(copy1(0xffffffffu, 0, 8, 0, DATA_PA), GNTST_bad_gntref);
	/* A frame the table has but that is mapped nowhere reads as invalid. */
	fd->xen.gnttab_nr_frames = 2;
	assert_int_equal(copy1(600, 0, 8, 0, DATA_PA), GNTST_general_error);

	/* Beyond the page, unknown flags, reserved bits. */
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(copy1(5, 4000, 97, 0, DATA_PA), GNTST_bad_copy_arg);
	assert_int_equal(copy1(5, 0xffff, 0xffff, 0, DATA_PA), GNTST_bad_copy_arg);
	assert_int_equal(copy1(5, 0, 8, 2, DATA_PA), GNTST_bad_copy_arg);
	{
		struct xvmm_gnt_copy *s = (void *)fake_dom0;

		*s = (struct xvmm_gnt_copy){ .buf = DATA_PA, .ref = 5, .len = 8, .reserved = 1 };
		assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, 1), 0);
		assert_int_equal(s->status, GNTST_bad_copy_arg);
	}

	/* Frames that are not the guest's RAM: the pin is dropped again. */
	grant(8, GTF_permit_access, 0, FAKE_RAM_SIZE / 4096);
	assert_int_equal(copy1(8, 0, 8, 0, DATA_PA), GNTST_bad_page);
	assert_int_equal(gt(8)->flags, GTF_permit_access);
	grant(8, GTF_permit_access, 0, 0xffffffffu);
	assert_int_equal(copy1(8, 0, 8, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_bad_page);
	assert_int_equal(gt(8)->flags, GTF_permit_access);
	fake_shinfo_gfn = 0x60;			/* shared_info over RAM frame 0x60 */
	grant(8, GTF_permit_access, 0, 0x60);
	assert_int_equal(copy1(8, 0, 8, 0, DATA_PA), GNTST_bad_page);

	/* Dom0 buffers that are not dom0's own RAM. */
	assert_int_equal(copy1(5, 0, 8, 0, 0x1000), GNTST_bad_virt_addr);
	assert_int_equal(copy1(5, 0, 4096, 0, FAKE_DOM0_PA + sizeof(fake_dom0) - 100),
			 GNTST_bad_virt_addr);
	assert_int_equal(copy1(5, 0, 8, 0, ~0ull - 4), GNTST_bad_virt_addr);
	assert_int_equal(gt(5)->flags, GTF_permit_access);

	/* The call itself: counts, the array. */
	assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, 0), -22);
	assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, XVMM_GNT_COPY_MAX + 1), -22);
	assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA, ~0ull), -22);
	assert_int_equal(xen_gnttab_dom0_copy(fd, 0x1000, 1), -14);
	assert_int_equal(xen_gnttab_dom0_copy(fd, FAKE_DOM0_PA + sizeof(fake_dom0) - 8, 1), -14);
}

/* The guest changes the entry while the VMM sets its flags (_set_status_v1). */
static void test_pin_races(void **state)
{
	(void)state;
	/* A flag the guest may change: retried, then pinned; the guest's change stays. */
	grant(5, GTF_permit_access, 0, PAGE_A);
	fake_race_xor = GTF_PCD;
	fake_guest_race = 3;
	assert_int_equal(copy1(5, 0, 8, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_okay);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_PCD);
	/* A guest that never stops: unstable after five tries, nothing copied. */
	fake_ram[PAGE_A * 4096] = 0x11;
	DATA[0] = 0x22;
	fake_guest_race = 5;
	assert_int_equal(copy1(5, 0, 1, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_general_error);
	assert_int_equal(fake_ram[PAGE_A * 4096], 0x11);
	assert_int_equal(gt(5)->flags & (GTF_reading | GTF_writing), 0);
	fake_guest_race = 4;				/* four is survivable */
	assert_int_equal(copy1(5, 0, 1, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_okay);
	assert_int_equal(fake_ram[PAGE_A * 4096], 0x22);

	/* The guest ends the grant under us: checked again, refused. */
	grant(5, GTF_permit_access, 0, PAGE_A);
	fake_race_xor = GTF_permit_access;
	fake_guest_race = 1;
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(5)->flags, GTF_invalid);
	/* ... or makes it read-only under a write. */
	grant(5, GTF_permit_access, 0, PAGE_A);
	fake_race_xor = GTF_readonly;
	fake_guest_race = 1;
	assert_int_equal(copy1(5, 0, 8, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly);
	/* ... or gives it to someone else (domid is in the same word). */
	grant(5, GTF_permit_access, 0, PAGE_A);
	fake_race_xor = 7u << 16;
	fake_guest_race = 1;
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(5)->domid, 7);
}

static void test_map_and_unmap(void **state)
{
	u32 h, h2;
	u64 pa;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(map1(5, 0, &h, &pa), GNTST_okay);
	assert_int_equal(pa, FAKE_HPA + PAGE_A * 4096ull);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_READ_WRITE);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_true(fake_npt_gen > 0);		/* the driver syncs the CPUs: no stale junk */

	/* While mapped, the frame is the one pinned, whatever the entry says now. */
	gt(5)->frame = PAGE_B;
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_okay);
	assert_memory_equal(DATA, fake_ram + PAGE_A * 4096, 8);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);

	/* Unmap: off dom0's table at once, the pin stays until every CPU has flushed. */
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h), -11);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_NO_ACCESS);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h), -11);	/* still not flushed */
	fake_flushed_gen = fake_npt_gen - 1;
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h), -11);
	fake_flushed_gen = fake_npt_gen;
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h), 0);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	/* Gone: bad handles. */
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h), -22);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, 1u << 20), -22);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, ~0ull), -22);

	/* A map of the new frame now; two maps of one grant share its pin. */
	assert_int_equal(map1(5, 0, &h, &pa), GNTST_okay);
	assert_int_equal(pa, FAKE_HPA + PAGE_B * 4096ull);
	assert_int_equal(map1(5, 0, &h2, NULL), GNTST_okay);
	assert_int_not_equal(h, h2);
	unmap_flushed(h);
	assert_int_equal(fake_dom0_access[PAGE_B], DOM0_READ_WRITE);	/* the other map */
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	unmap_flushed(h2);
	assert_int_equal(fake_dom0_access[PAGE_B], DOM0_NO_ACCESS);
	assert_int_equal(gt(5)->flags, GTF_permit_access);

	/* The call: an argument that is not dom0's RAM. */
	assert_int_equal(xen_gnttab_dom0_map(fd, 0x1000), -14);
}

static void test_map_refused(void **state)
{
	(void)state;
	grant(5, GTF_permit_access | GTF_readonly, 0, PAGE_A);
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_general_error);	/* must ask read-only */
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly);
	grant(5, GTF_permit_access, 3, PAGE_A);
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, NULL, NULL), GNTST_general_error);
	/* Sub-page grants may be copied, never mapped. */
	grant(5, GTF_permit_access | GTF_sub_page, 0, PAGE_A);
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, NULL, NULL), GNTST_general_error);
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_okay);
	assert_int_equal(map1(512, 0, NULL, NULL), GNTST_bad_gntref);
	assert_int_equal(map1(0xffffffffu, 0, NULL, NULL), GNTST_bad_gntref);
	grant(5, GTF_permit_access, 0, FAKE_RAM_SIZE / 4096 + 5);
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_bad_page);
	assert_int_equal(gt(5)->flags, GTF_permit_access);		/* unpinned again */
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(map1(5, 0x10, NULL, NULL), GNTST_general_error);	/* unknown flag */
	/* Dom0's table refuses: nothing is left pinned or mapped. */
	fake_grant_access_refuse = true;
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_general_error);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	fake_grant_access_refuse = false;
	assert_int_equal(live_maps(), 0);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_NO_ACCESS);
}

/* Read-only and writable maps of one page: dom0 gets the most the live maps allow. */
static void test_readonly_and_writable_maps(void **state)
{
	u32 ro, rw;
	u64 gen;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, &ro, NULL), GNTST_okay);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_READ);
	/* A copy to a grant mapped read-only pins it for writing, then lets go. */
	assert_int_equal(copy1(5, 0, 8, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_okay);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading);
	/* A writable map on top: GTF_writing, and dom0 may write now. */
	assert_int_equal(map1(5, 0, &rw, NULL), GNTST_okay);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_READ_WRITE);
	/* Its unmap makes the page read-only again; GTF_writing waits for the flush. */
	gen = fake_npt_gen;
	assert_int_equal(xen_gnttab_dom0_unmap(fd, rw), -11);
	assert_true(fake_npt_gen > gen);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_READ);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	fake_flushed_gen = fake_npt_gen;
	assert_int_equal(xen_gnttab_dom0_unmap(fd, rw), 0);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading);
	unmap_flushed(ro);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_NO_ACCESS);
	/* Once the guest makes it read-only, a writable map is refused while mapped too. */
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, &ro, NULL), GNTST_okay);
	gt(5)->flags |= GTF_readonly;
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_general_error);
	assert_int_equal(copy1(5, 0, 8, XVMM_GNT_TO_GUEST, DATA_PA), GNTST_general_error);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
}

#define TWO_FRAMES	(2 * XEN_GNT_MAPS_PER_FRAME)

static void test_maptrack_limit_and_reap(void **state)
{
	u32 h[TWO_FRAMES];

	(void)state;
	fd->xen.dom0_maps.max_frames = 2;	/* max_maptrack_frames 2 */
	grant(5, GTF_permit_access, 0, PAGE_A);
	for (unsigned int i = 0; i < TWO_FRAMES; i++) {
		assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, &h[i], NULL), GNTST_okay);
		assert_int_equal(h[i], i);			/* handles are indices */
	}
	assert_int_equal(fd->xen.dom0_maps.nr_frames, 2);
	assert_int_equal(fake_access_changes, 1);		/* one page, mapped once */
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, NULL, NULL), GNTST_no_space);
	for (unsigned int i = 0; i < TWO_FRAMES; i++)
		assert_int_equal(xen_gnttab_dom0_unmap(fd, h[i]), i + 1 < TWO_FRAMES ? 0 : -11);
	/* The last unmap is left waiting; the next grant call finds the CPUs flushed. */
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading);
	fake_flushed_gen = fake_npt_gen;
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_okay);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h[TWO_FRAMES - 1]), -22);
}

/* Thousands of maps of a table grown to 8 frames (4096 refs), one per ref. */
static void test_thousands_of_maps(void **state)
{
	enum { N = 4000 };
	static u32 h[N];

	(void)state;
	for (unsigned int f = 1; f < 8; f++)
		assert_int_equal(map_frame(f, GT_GFN + f), 0);
	for (u32 ref = 0; ref < N; ref++)
		grant(ref, GTF_permit_access, 0, 0x60 + ref % 64);
	for (u32 ref = 0; ref < N; ref++)
		assert_int_equal(map1(ref, ref % 3 ? XVMM_GNT_MAP_READONLY : 0, &h[ref], NULL),
				 GNTST_okay);
	assert_int_equal(live_maps(), N);
	assert_int_equal(fake_dom0_access[0x60], DOM0_READ_WRITE);	/* ref 0 is writable */
	assert_int_equal(fake_dom0_access[0x61], DOM0_READ_WRITE);	/* ref 64 is */
	for (u32 ref = 0; ref < N; ref++)
		assert_int_equal(gt(ref)->flags & (GTF_reading | GTF_writing),
				 GTF_reading | (ref % 3 ? 0 : GTF_writing));
	fake_flushed_gen = ~0ull;	/* every CPU flushes at once */
	for (u32 ref = 0; ref < N; ref++)
		assert_int_equal(xen_gnttab_dom0_unmap(fd, h[ref]), 0);
	assert_int_equal(live_maps(), 0);
	for (u32 ref = 0; ref < N; ref++)
		assert_int_equal(gt(ref)->flags, GTF_permit_access);
	for (unsigned int p = 0x60; p < 0x60 + 64; p++)
		assert_int_equal(fake_dom0_access[p], DOM0_NO_ACCESS);
	/* The tables go back to the pool at destroy. */
	xen_gnttab_dom0_revoke_all(fd);
	xen_gnttab_destroy(fd);
	assert_null(fd->xen.dom0_maps.frame);
	assert_null(fd->xen.gnt_active[0]);
}

/* A batch maps each element as a single map would; unmap batches alike. */
static void test_batches(void **state)
{
	struct xvmm_gnt_map *m = (void *)fake_dom0;
	struct xvmm_gnt_unmap *u = (void *)(fake_dom0 + 8192);
	enum { N = XVMM_GNT_BATCH_MAX };

	(void)state;
	for (u32 ref = 0; ref < N; ref++)
		grant(ref, GTF_permit_access, 0, 0x60 + ref);
	grant(7, GTF_permit_access | GTF_readonly, 0, 0x67);	/* needs a read-only map */
	for (u32 i = 0; i < N; i++)
		m[i] = (struct xvmm_gnt_map){ .ref = i, .status = 99 };
	m[N - 1].ref = 4096;					/* beyond the table */
	assert_int_equal(xen_gnttab_dom0_map_batch(fd, FAKE_DOM0_PA, N), 0);
	for (u32 i = 0; i < N; i++) {
		s16 want = i == 7 ? GNTST_general_error : i == N - 1 ? GNTST_bad_gntref : GNTST_okay;

		assert_int_equal(m[i].status, want);
		if (want == GNTST_okay)
			assert_int_equal(m[i].pa, FAKE_HPA + (0x60 + i) * 4096ull);
	}
	assert_int_equal(live_maps(), N - 2);
	/* Unmap them all, with a bad handle among them: every one waits for the flush. */
	for (u32 i = 0; i < N; i++)
		u[i] = (struct xvmm_gnt_unmap){ .handle = m[i].handle, .status = 99 };
	u[7].handle = 0xfffff;
	u[N - 1].handle = 0xffffffffu;
	assert_int_equal(xen_gnttab_dom0_unmap_batch(fd, FAKE_DOM0_PA + 8192, N), 0);
	for (u32 i = 0; i < N; i++)
		assert_int_equal(u[i].status, i == 7 || i == N - 1 ? -22 : -11);
	assert_int_equal(gt(0)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	fake_flushed_gen = fake_npt_gen;			/* one SYNC round */
	assert_int_equal(xen_gnttab_dom0_unmap_batch(fd, FAKE_DOM0_PA + 8192, N), 0);
	for (u32 i = 0; i < N; i++)
		assert_int_equal(u[i].status, i == 7 || i == N - 1 ? -22 : 0);
	assert_int_equal(live_maps(), 0);
	assert_int_equal(gt(0)->flags, GTF_permit_access);
	/* The calls themselves. */
	assert_int_equal(xen_gnttab_dom0_map_batch(fd, FAKE_DOM0_PA, 0), -22);
	assert_int_equal(xen_gnttab_dom0_map_batch(fd, FAKE_DOM0_PA, N + 1), -22);
	assert_int_equal(xen_gnttab_dom0_map_batch(fd, 0x1000, 1), -14);
	assert_int_equal(xen_gnttab_dom0_unmap_batch(fd, FAKE_DOM0_PA, 0), -22);
	assert_int_equal(xen_gnttab_dom0_unmap_batch(fd, 0x1000, 1), -14);
}

/* The VMM's page pool is empty: a map fails cleanly, nothing stays pinned. */
static void test_pool_empty(void **state)
{
	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	fake_page_alloc_fail = true;
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_no_space);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	fake_page_alloc_fail = false;
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_okay);
}

/*
 * Each page_alloc() of dom0's first map fails in turn (the maptrack's
 * bucket and frame, the grant's active page; the directory is
 * page_alloc_contig(), which the fake does not fail): the map fails and
 * gives back every page it took, the grant is not left pinned, then
 * one works.
 */
static void test_first_map_unwinds(void **state)
{
	unsigned int n, out;
	u32 h;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	for (n = 1;; n++) {
		out = fake_pages_out;
		fake_page_alloc_fail_nth = n;
		if (map1(5, 0, &h, NULL) == GNTST_okay)
			break;
		assert_int_equal(fake_pages_out, out);
		assert_int_equal(gt(5)->flags, GTF_permit_access);
		assert_true(n < 8);
	}
	assert_int_equal(n, 4);		/* bucket, frame, active page, then none */
	fake_page_alloc_fail_nth = 0;
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
}

/* Limits from domain creation. */
static void test_limits(void **state)
{
	struct domain *d = calloc(1, DOMAIN_SIZE(DOMAIN_MAX_VCPUS));

	(void)state;
	assert_non_null(d);
	assert_int_equal(xen_gnttab_limits(d, 0, 0), 0);
	xen_gnttab_init(d);
	assert_int_equal(d->xen.gnttab_max_frames, 64);
	assert_int_equal(d->xen.dom0_maps.max_frames, 1024);
	assert_int_equal(d->xen.guest_maps.max_frames, 1024);
	memset(d, 0, sizeof(*d));
	assert_int_equal(xen_gnttab_limits(d, 256, 1), 0);
	xen_gnttab_init(d);
	assert_int_equal(d->xen.gnttab_max_frames, 256);
	assert_int_equal(d->xen.guest_maps.max_frames, 1);
	assert_int_equal(xen_gnttab_limits(d, 257, 1), -22);
	assert_int_equal(xen_gnttab_limits(d, 1, 1025), -22);
	free(d);
}

/* The guest moves its grant frame while dom0 maps one of its grants. */
static void test_frame_moves_while_mapped(void **state)
{
	u32 h;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(map1(5, 0, &h, NULL), GNTST_okay);
	assert_int_equal(map_frame(0, 0x42), 0);		/* contents move along */
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	unmap_flushed(h);
	assert_int_equal(gt(5)->flags, GTF_permit_access);	/* cleared where it is now */
}

static void test_revoke_on_destroy(void **state)
{
	u32 h1, h2;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	grant(6, GTF_permit_access, 0, PAGE_B);
	assert_int_equal(map1(5, 0, &h1, NULL), GNTST_okay);
	assert_int_equal(map1(6, XVMM_GNT_MAP_READONLY, &h2, NULL), GNTST_okay);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h2), -11);	/* one left unmapping */
	xen_gnttab_dom0_revoke_all(fd);
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_NO_ACCESS);
	assert_int_equal(fake_dom0_access[PAGE_B], DOM0_NO_ACCESS);
	assert_int_equal(live_maps(), 0);
	/* Nothing starts again. */
	assert_int_equal(copy1(5, 0, 8, 0, DATA_PA), GNTST_bad_domain);
	assert_int_equal(map1(5, 0, NULL, NULL), GNTST_bad_domain);
	assert_int_equal(xen_gnttab_dom0_unmap(fd, h1), -22);
	assert_false(xen_gnttab_dom0_write_fault(FAKE_HPA + PAGE_A * 4096ull));
}

/* Dom0 writes to a page it maps read-only: junk for dom0, the map stays until unmapped. */
static void test_write_to_readonly_map(void **state)
{
	u32 ro, rw;
	u64 gen;

	(void)state;
	grant(5, GTF_permit_access, 0, PAGE_A);
	assert_int_equal(map1(5, XVMM_GNT_MAP_READONLY, &ro, NULL), GNTST_okay);
	gen = fake_npt_gen;
	assert_true(xen_gnttab_dom0_write_fault(FAKE_HPA + PAGE_A * 4096ull + 0x123));
	assert_int_equal(fake_dom0_access[PAGE_A], DOM0_NO_ACCESS);
	assert_true(fake_npt_gen > gen);
	assert_false(xen_gnttab_dom0_write_fault(FAKE_HPA + PAGE_A * 4096ull));
	/* Another CPU may still read it through a stale translation: the pin waits. */
	assert_int_equal(xen_gnttab_dom0_unmap(fd, ro), -11);
	assert_int_equal(gt(5)->flags, GTF_permit_access | GTF_reading);
	fake_flushed_gen = fake_npt_gen;
	assert_int_equal(xen_gnttab_dom0_unmap(fd, ro), 0);
	assert_int_equal(gt(5)->flags, GTF_permit_access);
	/* A writable map, or a page nobody maps, is not the grant code's fault. */
	assert_int_equal(map1(5, 0, &rw, NULL), GNTST_okay);
	assert_false(xen_gnttab_dom0_write_fault(FAKE_HPA + PAGE_A * 4096ull));
	assert_false(xen_gnttab_dom0_write_fault(FAKE_HPA + PAGE_B * 4096ull));
	assert_false(xen_gnttab_dom0_write_fault(0x1000));
	unmap_flushed(rw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_both_ways, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_copy_refused, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pin_races, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_map_and_unmap, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_map_refused, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_writable_maps, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_maptrack_limit_and_reap, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_frame_moves_while_mapped, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_revoke_on_destroy, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_write_to_readonly_map, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_thousands_of_maps, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_pool_empty, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_first_map_unwinds, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
