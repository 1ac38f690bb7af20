// SPDX-License-Identifier: GPL-2.0-only
/*
 * gntpeer: one end of guest-to-guest grants, driven by dom0
 * (tests/system/progs/gntpeer_ctl.c, tests/system/t-grant-scale.sh)
 * through a mailbox page granted to dom0 (ref 14), which dom0 writes with
 * GNT_COPY. Three of these run: a granter, a mapper and a third domain.
 *
 * Grant frames 0-2 are pages of our own RAM. Mailbox (ref 14): seq at 0,
 * cmd at 4, arg1 at 8, arg2 at 12; we answer ack = seq at 64 and a result
 * at 68 once done. Commands:
 *   1 GRANT peer      ref 20 -> page X ("hello from the granter" at 0) for domid peer
 *   2 MAP dom ref     map it at our page W (its old bytes 0x77); result: the
 *                     status; on GNTST_okay check the text, write "reply
 *                     from the mapper" at 2048 and keep the map
 *   3 UNMAP           unmap it: result the status; W must show 0x77 again
 *   4 CHECK           (granter) the reply is in X and ref 20's flags are clear: result 0
 *   5 COPY dom ref    GNTTABOP_copy 32 bytes of it into our page: result the status,
 *                     -100 if the bytes are not the text
 *   6 MANY n          grant refs 512..512+n-1 to dom0, ref i -> page P[i % 16]
 *                     (bytes (i % 16) * 16 + 1): result 0
 *   7 END             return (PASS)
 * Results are statuses (GNTST_*), or -100.. for our own checks.
 */
#include "guest.h"
#include <xen/grant_table.h>

DEFINE_GUEST_NAME;

#define HC_grant_table_op	20
#define XENMEM_add_to_physmap	7
#define XENMAPSPACE_grant_table	1
#define REF_MBOX	14
#define REF_X		20
#define REF_MANY	512
#define NR_FRAMES	3
#define NR_POOL		16

struct add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	unsigned long idx;
	unsigned long gpfn;
};

struct map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;
	uint32_t ref;
	uint16_t dom;
	int16_t status;
	uint32_t handle;
	uint64_t dev_bus_addr;
};

struct unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	uint32_t handle;
	int16_t status;
};

struct copy_ptr {
	union { uint32_t ref; unsigned long gmfn; } u;	/* xen_pfn_t is pointer-sized */
	uint16_t domid;
	uint16_t offset;
};

struct gnttab_copy {
	struct copy_ptr source, dest;
	uint16_t len;
	uint16_t flags;
	int16_t status;
};

static uint8_t gnttab[NR_FRAMES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t mbox[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_x[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_w[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t page_c[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t pool[NR_POOL][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static volatile struct grant_entry_v1 *const gt = (volatile struct grant_entry_v1 *)gnttab;
static volatile uint32_t *const mb = (volatile uint32_t *)mbox;

static const char hello[] = "hello from the granter";
static const char reply[] = "reply from the mapper";

static uint32_t pfn(const void *p)
{
	return (uint32_t)((uintptr_t)p >> 12);
}

static void grant(unsigned int ref, uint16_t flags, uint16_t domid, uint32_t frame)
{
	gt[ref].domid = domid;
	gt[ref].frame = frame;
	asm volatile("" ::: "memory");
	gt[ref].flags = flags;
}

static long gnttab_op(unsigned int cmd, void *op)
{
	return HYPERCALL3(HC_grant_table_op, cmd, op, 1);
}

static uint32_t handle;

static int32_t do_map(uint16_t dom, uint32_t ref)
{
	struct map_grant_ref m = {
		.host_addr = (uintptr_t)page_w, .flags = GNTMAP_host_map, .ref = ref, .dom = dom,
	};
	long rc = gnttab_op(GNTTABOP_map_grant_ref, &m);
	volatile uint8_t *w = page_w;

	if (rc)
		return (int32_t)rc - 1000;
	if (m.status)
		return m.status;
	handle = m.handle;
	for (unsigned int i = 0; i < sizeof(hello); i++)
		if (w[i] != (uint8_t)hello[i])
			return -101;
	for (unsigned int i = 0; i < sizeof(reply); i++)
		w[2048 + i] = (uint8_t)reply[i];
	return 0;
}

static int32_t do_unmap(void)
{
	struct unmap_grant_ref u = { .host_addr = (uintptr_t)page_w, .handle = handle };
	long rc = gnttab_op(GNTTABOP_unmap_grant_ref, &u);
	volatile uint8_t *w = page_w;

	if (rc)
		return (int32_t)rc - 1000;
	if (u.status)
		return u.status;
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (w[i] != 0x77)
			return -102;		/* our own page is not back */
	return 0;
}

static int32_t do_check(void)
{
	if (memcmp(page_x + 2048, reply, sizeof(reply)))
		return -103;
	if (gt[REF_X].flags != GTF_permit_access)
		return -104;
	return 0;
}

static int32_t do_copy(uint16_t dom, uint32_t ref)
{
	struct gnttab_copy c = {
		.source = { .u.ref = ref, .domid = dom },
		.dest = { .u.gmfn = pfn(page_c), .domid = DOMID_SELF },
		.len = 32, .flags = GNTCOPY_source_gref,
	};
	long rc = gnttab_op(GNTTABOP_copy, &c);

	if (rc)
		return (int32_t)rc - 1000;
	if (c.status)
		return c.status;
	return memcmp(page_c, hello, sizeof(hello)) ? -100 : 0;
}

static int32_t do_many(uint32_t n)
{
	if (n > (NR_FRAMES - 1) * 512)
		return -105;
	for (uint32_t i = 0; i < n; i++)
		grant(REF_MANY + i, GTF_permit_access, 0, pfn(pool[i % NR_POOL]));
	return 0;
}

void guest_main(void)
{
	uint32_t seen = 0;

	need_xen();
	for (unsigned int i = 0; i < NR_FRAMES; i++) {
		struct add_to_physmap x = {
			.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = i,
			.gpfn = pfn(gnttab[i]),
		};
		long rc = memory_op(XENMEM_add_to_physmap, &x);

		if (rc)
			fail("add_to_physmap(grant_table %u): %ld", i, rc);
	}
	memset(page_w, 0x77, PAGE_SIZE);
	memcpy(page_x, hello, sizeof(hello));
	for (unsigned int p = 0; p < NR_POOL; p++)
		memset(pool[p], p * 16 + 1, PAGE_SIZE);
	grant(REF_MBOX, GTF_permit_access, 0, pfn(mbox));
	printf("xvmm-guest: %s: ready\n", guest_name);

	for (;;) {
		uint32_t seq, cmd, a1, a2;
		int32_t res = -1;

		while ((seq = mb[0]) == seen)
			asm volatile("pause" ::: "memory");
		asm volatile("" ::: "memory");
		cmd = mb[1];
		a1 = mb[2];
		a2 = mb[3];
		switch (cmd) {
		case 1: grant(REF_X, GTF_permit_access, (uint16_t)a1, pfn(page_x)); res = 0; break;
		case 2: res = do_map((uint16_t)a1, a2); break;
		case 3: res = do_unmap(); break;
		case 4: res = do_check(); break;
		case 5: res = do_copy((uint16_t)a1, a2); break;
		case 6: res = do_many(a1); break;
		case 7: res = 0; break;
		}
		printf("xvmm-guest: %s: cmd %u (%u, %u): %d\n", guest_name, cmd, a1, a2, (int)res);
		mb[17] = (uint32_t)res;
		asm volatile("" ::: "memory");
		mb[16] = seq;
		seen = seq;
		if (cmd == 7)
			return;
	}
}
