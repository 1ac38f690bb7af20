// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant: grants pages to dom0 and lets dom0's test program
 * (tests/system/progs/grant_test.c, run by tests/system/t-grant.sh) copy
 * to them, copy from them and map them; checks what dom0 wrote and that
 * the VMM's GTF_reading/GTF_writing flags follow dom0's maps.
 *
 * Grant frame 0 is a page of our own RAM (XENMEM_add_to_physmap,
 * XENMAPSPACE_grant_table, as Linux's PVH path does). Refs (all domid 0
 * but OTHER):
 *   8  RW     page A, bytes i * 7 + 1
 *   9  RO     page B, bytes i ^ 0x5a (GTF_readonly)
 *   10 OTHER  page C, granted to domain 5
 *   11 SUB    page C, GTF_sub_page: copy yes, map no
 *   12 BADPFN a frame beyond our RAM
 *   13 (invalid: flags 0)
 *   14 MBOX   page D: dom0 writes cmd at 0, we answer in ack at 64
 * Protocol: we print "ready"; dom0 checks its copies, writes "dom0 was
 * here" at A+1000 by copy, maps A (writable) and B (read-only), writes
 * "mapped write" at A+2000 through its mapping and sets cmd 1. We check
 * both strings and the flags (A reading+writing, B reading only), write
 * "guest says hi" at A+3000 (dom0 reads it through its mapping) and ack 1.
 * Dom0 unmaps, also maps A on a second open file and closes it without
 * unmapping, and sets cmd 2: the flags must all be clear again -> PASS.
 * Without cmd we wait (spinning) until destroyed: t-grant.sh also destroys
 * the domain under a dom0 map.
 */
#include "guest.h"
#include <xen/grant_table.h>

DEFINE_GUEST_NAME;

#define HC_grant_table_op	20
#define XENMEM_add_to_physmap	7
#define XENMAPSPACE_grant_table	1

#define REF_RW		8
#define REF_RO		9
#define REF_OTHER	10
#define REF_SUB		11
#define REF_BADPFN	12
#define REF_MBOX	14

/* XENMEM_add_to_physmap: xen_ulong_t idx and xen_pfn_t gpfn are pointer-sized. */
struct add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	unsigned long idx;
	unsigned long gpfn;
};

struct gnttab_query_size {
	uint16_t dom;
	uint16_t pad;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
	uint16_t pad2;
};

static uint8_t gnttab[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_a[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_b[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_c[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_d[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile struct grant_entry_v1 *const gt = (volatile struct grant_entry_v1 *)gnttab;
static volatile uint32_t *const cmd = (volatile uint32_t *)page_d;
static volatile uint32_t *const ack = (volatile uint32_t *)(page_d + 64);

static uint32_t pfn(const void *p)
{
	return (uint32_t)((uintptr_t)p >> 12);
}

/* As Linux's gnttab_grant_foreign_access: domid and frame first, then the flags. */
static void grant(unsigned int ref, uint16_t flags, uint16_t domid, uint32_t frame)
{
	gt[ref].domid = domid;
	gt[ref].frame = frame;
	asm volatile("" ::: "memory");
	gt[ref].flags = flags;
}

static void expect_string(const uint8_t *p, const char *s)
{
	if (memcmp(p, s, strlen(s) + 1))
		fail("expected \"%s\" at page offset %lx", s, (unsigned long)((uintptr_t)p & 4095));
}

/* Spin without exits of our own: only host interrupts make us exit meanwhile. */
static void wait_cmd(uint32_t want)
{
	while (*cmd != want)
		asm volatile("pause" ::: "memory");
}

static void expect_flags(unsigned int ref, uint16_t want)
{
	uint16_t f = gt[ref].flags;

	if (f != want)
		fail("ref %u flags %x, expected %x", ref, f, want);
}

void guest_main(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0,
		.gpfn = pfn(gnttab),
	};
	long rc;

	need_xen();
	rc = HYPERCALL3(HC_grant_table_op, GNTTABOP_query_size, &q, 1);
	if (rc || q.status || q.nr_frames < 1)
		fail("query_size: rc %ld, status %d, %u frames", rc, q.status, q.nr_frames);
	rc = memory_op(XENMEM_add_to_physmap, &x);
	if (rc)
		fail("add_to_physmap(grant_table 0): %ld", rc);

	for (unsigned int i = 0; i < PAGE_SIZE; i++) {
		page_a[i] = (uint8_t)(i * 7 + 1);
		page_b[i] = (uint8_t)(i ^ 0x5a);
		page_c[i] = 0xcc;
	}
	grant(REF_RW, GTF_permit_access, 0, pfn(page_a));
	grant(REF_RO, GTF_permit_access | GTF_readonly, 0, pfn(page_b));
	grant(REF_OTHER, GTF_permit_access, 5, pfn(page_c));
	grant(REF_SUB, GTF_permit_access | GTF_sub_page, 0, pfn(page_c));
	grant(REF_BADPFN, GTF_permit_access, 0, 0xfffff);
	grant(REF_MBOX, GTF_permit_access, 0, pfn(page_d));
	printf("xvmm-guest: %s: ready (grant table at %x, refs %u rw %u ro %u mbox)\n",
	       guest_name, pfn(gnttab), REF_RW, REF_RO, REF_MBOX);

	wait_cmd(1);
	expect_string(page_a + 1000, "dom0 was here");
	expect_string(page_a + 2000, "mapped write");
	expect_flags(REF_RW, GTF_permit_access | GTF_reading | GTF_writing);
	expect_flags(REF_RO, GTF_permit_access | GTF_readonly | GTF_reading);
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (page_b[i] != (uint8_t)(i ^ 0x5a))
			fail("read-only page B changed at %x", i);
	memcpy(page_a + 3000, "guest says hi", 14);
	asm volatile("" ::: "memory");
	*ack = 1;
	printf("xvmm-guest: %s: maps seen\n", guest_name);

	wait_cmd(2);
	expect_flags(REF_RW, GTF_permit_access);
	expect_flags(REF_RO, GTF_permit_access | GTF_readonly);
	expect_flags(REF_SUB, GTF_permit_access | GTF_sub_page);
	expect_flags(REF_OTHER, GTF_permit_access);
	expect_flags(REF_MBOX, GTF_permit_access);
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (page_c[i] != 0xcc)
			fail("page C (not dom0's to write) changed at %x", i);
	printf("xvmm-guest: %s: all grants released\n", guest_name);
}
