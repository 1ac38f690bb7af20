// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_ctlfuzz: the VMM's control calls (include/xvmm/control.h) from dom0
 * ring 0 with random operations and arguments, as a broken or hostile
 * driver would make them (docs/trust.md, "What the fuzzers cover"). Every
 * address it passes, at the top level or inside a structure, is one the VMM
 * must refuse or may use without harm to dom0: a page of this module's own
 * buffer (also misaligned and straddling), the VMM's own memory
 * (`vmm_chunks`, from `xvmm meminfo`), beyond RAM, MMIO, non-canonical or
 * wrapping values, and numbers that as addresses fall in the low 64 KiB
 * Linux reserves. It never hands over other dom0 memory: dom0's ring 0
 * may give its own pages away, so that would only test dom0.
 *
 * Domains alive when it starts (`protect`, the domain ids, default: every
 * id the VMM answers DOM_INFO for) are never destroyed, shut down or run;
 * UNLOAD (which takes one CPU out from under dom0) is not called. Domains
 * it managed to create are destroyed before it unloads; if one cannot be,
 * its memory is leaked rather than given back while the VMM may still map
 * it. Loads (returns 0) after `calls` calls, printing a tally by op and result.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <xvmm/control.h>

static unsigned long seed = 1;
module_param(seed, ulong, 0444);
static unsigned int calls = 10000;
module_param(calls, uint, 0444);
static unsigned long vmm_chunks[16];
static int nr_vmm_chunks;
module_param_array(vmm_chunks, ulong, &nr_vmm_chunks, 0444);
static int protect[64];
static int nr_protect = -1;
module_param_array(protect, int, &nr_protect, 0444);

#define BUF_ORDER	4		/* 16 pages: structures never run past them */
#define BUF_BYTES	(PAGE_SIZE << BUF_ORDER)
#define CHUNK_ORDER	9		/* one 2 MiB chunk, for DOM_CREATE to donate */

static u64 state;
static u8 *buf;				/* BUF_BYTES, ours */
static u64 buf_pa;
static struct page *chunk;
static u64 chunk_pa;
static unsigned int created[64], nr_created;

/* Each op and what its three arguments are: P a physical address, D a domain id, S a number. */
static const struct {
	u16 op;
	char kind[4];
} ops[] = {
	{ XVMM_OP_VERSION, "P--" }, { XVMM_OP_STATUS, "P--" }, { XVMM_OP_LOG_READ, "PS-" },
	{ XVMM_OP_SELFTEST, "S--" }, { XVMM_OP_SYNC, "---" }, { XVMM_OP_DOM_CREATE, "P--" },
	{ XVMM_OP_DOM_DESTROY, "D--" }, { XVMM_OP_VCPU_RUN, "DSP" }, { XVMM_OP_DOM_INFO, "DP-" },
	{ XVMM_OP_DOM_CONSOLE, "DPS" }, { XVMM_OP_DOM_SHUTDOWN, "DS-" },
	{ XVMM_OP_EVTCHN_SEND, "DS-" }, { XVMM_OP_EVTCHN_BIND, "DSS" },
	{ XVMM_OP_GNT_COPY, "DPS" }, { XVMM_OP_GNT_MAP, "DP-" }, { XVMM_OP_GNT_UNMAP, "DS-" },
	{ XVMM_OP_GNT_MAP_BATCH, "DPS" }, { XVMM_OP_GNT_UNMAP_BATCH, "DPS" },
	/* Not ops: -ENOSYS, whatever the arguments. */
	{ 0x0007, "SSS" }, { 0x000f, "SSS" }, { 0x0018, "SSS" }, { 0x001f, "SSS" },
	{ 0x0025, "SSS" }, { 0x00ff, "SSS" }, { 0xffff, "SSS" },
};
#define NOPS ARRAY_SIZE(ops)
static unsigned int tally_ok[NOPS], tally_err[NOPS];

static u64 rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static long vmmcall(u64 op, u64 a0, u64 a1, u64 a2)
{
	long ret;

	asm volatile("vmmcall"
		     : "=a"(ret)
		     : "a"((unsigned long)XVMM_HC(op)), "D"(a0), "S"(a1), "d"(a2)
		     : "memory");
	return ret;
}

static bool is_protected(u64 id)
{
	int i;

	for (i = 0; i < nr_protect; i++)
		if (protect[i] == (int)id)
			return true;
	return false;
}

/* A physical address from the classes above: never dom0 memory that is not ours. */
static u64 pa_arg(void)
{
	switch (rnd() % 9) {
	case 0:
		return buf_pa;
	case 1:
		return buf_pa + (rnd() % (BUF_BYTES / 2));	/* misaligned, inside */
	case 2:
		return buf_pa + PAGE_SIZE * (rnd() % 8) + PAGE_SIZE - 1 - rnd() % 16;	/* straddles */
	case 3:
		return nr_vmm_chunks ? vmm_chunks[rnd() % nr_vmm_chunks] + (rnd() % (2u << 20) & ~7ull) :
				       buf_pa;
	case 4:
		return 1ull << (36 + rnd() % 16);	/* beyond RAM */
	case 5:
		return 0xfee00000 + (rnd() % 4) * PAGE_SIZE;	/* the local APIC, the IOAPIC */
	case 6:
		return ~0ull - rnd() % 8192;	/* wraps */
	case 7:
		return 0x8000000000000000ull | rnd();
	default:
		return chunk_pa + (rnd() % 2 ? 0 : rnd() % (2u << 20));
	}
}

static u64 small_or_edge(void)
{
	/* As addresses, these all fall in the low 64 KiB Linux reserves and never uses, or beyond RAM. */
	static const u64 edges[] = { 0, 1, 2, 15, 16, 17, 31, 32, 63, 64, 127, 128, 129, 4095,
				     4096, 0x7fef, 0x7ff0, 0xffff, 0xffffffffull, ~0ull };

	return rnd() % 2 ? edges[rnd() % ARRAY_SIZE(edges)] : rnd() % 300;
}

/* The module's buffer filled with words a structure could hold. */
static void fill_buf(void)
{
	u64 *w = (u64 *)buf;
	unsigned int i;

	for (i = 0; i < BUF_BYTES / 8; i++) {
		switch (rnd() % 4) {
		case 0:
			w[i] = pa_arg();
			break;
		case 1:
			w[i] = small_or_edge() | small_or_edge() << 32;
			break;
		case 2:
			w[i] = small_or_edge();
			break;
		default:
			w[i] = rnd();
			break;
		}
	}
	/* DOM_CREATE's chunk list, often: our one chunk. */
	if (rnd() % 2)
		w[BUF_BYTES / 8 - 512] = chunk_pa;
}

static u64 domid_arg(void)
{
	switch (rnd() % 4) {
	case 0:
		return nr_created ? created[rnd() % nr_created] : 1;
	case 1:
		return nr_protect > 0 ? protect[rnd() % nr_protect] : 1;
	case 2:
		return rnd() % 40;
	default:
		return small_or_edge();
	}
}

static u64 arg_of(char kind)
{
	switch (kind) {
	case 'P':
		return pa_arg();
	case 'D':
		return domid_arg();
	case 'S':
		return rnd() % 8 ? small_or_edge() : pa_arg();
	default:
		return rnd();
	}
}

static void sync_cpu(void *unused)
{
	vmmcall(XVMM_OP_SYNC, 0, 0, 0);
}

static void one_call(void)
{
	unsigned int k = rnd() % NOPS;
	u64 op = ops[k].op, a0, a1, a2;
	long ret;

	a0 = arg_of(ops[k].kind[0]);
	a1 = arg_of(ops[k].kind[1]);
	a2 = arg_of(ops[k].kind[2]);
	if (rnd() % 8 == 0)
		fill_buf();
	switch (op) {
	case XVMM_OP_DOM_CREATE: {
		struct xvmm_hc_dom_create *c = (void *)buf;

		a0 = rnd() % 4 ? buf_pa : pa_arg();
		if (rnd() % 2) {	/* plausible enough to get far in */
			c->ram_size = 2u << 20;
			c->chunk_list_pa = buf_pa + BUF_BYTES - PAGE_SIZE;
			*(u64 *)(buf + BUF_BYTES - PAGE_SIZE) = chunk_pa;
			c->nr_vcpus = 1 + rnd() % 2;
			c->nr_special = rnd() % 3;
			c->special_gpa = 0xfc000000;
			c->special_pa[0] = buf_pa + 8 * PAGE_SIZE;
			c->special_pa[1] = buf_pa + 9 * PAGE_SIZE;
			c->console_gfn = rnd() % 2 ? 0 : 0xfc000;
			c->store_gfn = 0;
			c->max_grant_frames = rnd() % 2;
			c->max_maptrack_frames = rnd() % 2;
			c->name[0] = 'f';
			c->name[1] = '0' + rnd() % 10;
			c->name[2] = 0;
			c->domid = 2 + rnd() % 14;
		}
		if (is_protected(c->domid) && a0 == buf_pa)
			return;
		break;
	}
	case XVMM_OP_DOM_DESTROY:
	case XVMM_OP_DOM_SHUTDOWN:
	case XVMM_OP_VCPU_RUN:
		if (is_protected(a0))
			return;
		break;
	case XVMM_OP_SELFTEST:
		a0 = rnd() % 4;
		break;
	}
	ret = vmmcall(op, a0, a1, a2);
	if (ret >= 0) {
		tally_ok[k]++;
		if (op == XVMM_OP_DOM_CREATE && nr_created < ARRAY_SIZE(created))
			created[nr_created++] = ret;
	} else {
		tally_err[k]++;
	}
	if (op == XVMM_OP_DOM_DESTROY && ret == 0) {
		unsigned int i;

		for (i = 0; i < nr_created; i++)
			if (created[i] == a0)
				created[i] = created[--nr_created];
	}
	/* A GNT_UNMAP may ask every CPU to take an exit. */
	if ((op == XVMM_OP_GNT_UNMAP || op == XVMM_OP_GNT_UNMAP_BATCH) && ret == -EAGAIN)
		on_each_cpu(sync_cpu, NULL, 1);
}

static int __init ctlfuzz_init(void)
{
	unsigned int i, leaked = 0;

	if (vmmcall(XVMM_OP_VERSION, 0, 0, 0) != XVMM_ABI_VERSION)
		return -ENODEV;
	buf = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, BUF_ORDER);
	chunk = alloc_pages(GFP_KERNEL | __GFP_ZERO, CHUNK_ORDER);
	if (!buf || !chunk) {
		if (buf)
			free_pages((unsigned long)buf, BUF_ORDER);
		if (chunk)
			__free_pages(chunk, CHUNK_ORDER);
		return -ENOMEM;
	}
	buf_pa = virt_to_phys(buf);
	chunk_pa = page_to_phys(chunk);
	state = seed * 0x9e3779b97f4a7c15ull | 1;
	if (nr_protect < 0) {
		/* Every domain that exists now. */
		nr_protect = 0;
		for (i = 1; i < 0x7ff0 && nr_protect < ARRAY_SIZE(protect); i++)
			if (vmmcall(XVMM_OP_DOM_INFO, i, buf_pa, 0) == 0)
				protect[nr_protect++] = i;
	}
	for (i = 0; i < calls; i++) {
		one_call();
		if (!(i % 256))
			cond_resched();
	}
	for (i = 0; i < nr_created; i++) {
		long r = vmmcall(XVMM_OP_DOM_DESTROY, created[i], 0, 0);

		if (r && r != -ENOENT && r != -ESRCH) {
			pr_err("xvmm_ctlfuzz: domain %u could not be destroyed (%ld)\n", created[i], r);
			leaked++;
		}
	}
	for (i = 0; i < NOPS; i++)
		if (tally_ok[i] + tally_err[i])
			pr_info("xvmm_ctlfuzz: op %#x: %u ok, %u refused\n", ops[i].op, tally_ok[i],
				tally_err[i]);
	pr_info("xvmm_ctlfuzz: seed %lu, %u calls, %u domains created, %u left\n", seed, calls,
		nr_created, leaked);
	/* Nothing the VMM may still map goes back to dom0. */
	if (!leaked) {
		__free_pages(chunk, CHUNK_ORDER);
		free_pages((unsigned long)buf, BUF_ORDER);
	}
	return leaked ? -EBUSY : 0;
}

static void __exit ctlfuzz_exit(void)
{
}

module_init(ctlfuzz_init);
module_exit(ctlfuzz_exit);
MODULE_LICENSE("GPL");
