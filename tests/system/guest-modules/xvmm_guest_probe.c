// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_guest_probe: a module for the Linux PVH test guest that tries to
 * reach memory that is not its own (tests/system/t-isolation.sh).
 *   mode=grant  forged grant references towards dom0 and another domain:
 *               map and copy must fail; loads (0) when they all did.
 *   mode=read   reads guest-physical address `addr`, beyond the guest's
 *               RAM, and writes to it: nothing may be there for it to see
 *               or change. As on Xen (its null I/O handler), the read
 *               gives all ones and the write goes nowhere; the guest
 *               carries on.
 *   mode=dr     DR0-DR3 are this guest's own: they read 0 at first (not
 *               dom0's), and values written stay across a sleep (exits to
 *               dom0 in between); loads (0) when they do. DR7 is left
 *               alone: no breakpoint is ever enabled. DEBUGCTL reads 0,
 *               and a bit other than LBR/BTF in it is refused (#GP).
 */
#include <linux/io.h>
#include <linux/module.h>
#include <xen/interface/grant_table.h>
#include <asm/xen/hypercall.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <linux/delay.h>

static char *mode = "grant";
module_param(mode, charp, 0444);
static unsigned long addr;
module_param(addr, ulong, 0444);
static int other_domid = 2;
module_param(other_domid, int, 0444);

static int try_grants(void)
{
	static char page[PAGE_SIZE] __aligned(PAGE_SIZE);
	int domids[] = { 0, other_domid };
	int bad = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(domids); i++) {
		struct gnttab_map_grant_ref map = {
			.host_addr = virt_to_phys(page), .flags = GNTMAP_host_map,
			.ref = 7 + i, .dom = domids[i],
		};
		struct gnttab_copy copy = {
			.source.u.ref = 3, .source.domid = domids[i],
			.dest.u.gmfn = virt_to_phys(page) >> PAGE_SHIFT, .dest.domid = DOMID_SELF,
			.len = 64, .flags = GNTCOPY_source_gref,
		};
		int rc_map = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
		int rc_copy = HYPERVISOR_grant_table_op(GNTTABOP_copy, &copy, 1);

		pr_info("xvmm_guest_probe: dom%d forged ref: map rc %d status %d, copy rc %d status %d\n",
			domids[i], rc_map, map.status, rc_copy, copy.status);
		if ((rc_map == 0 && map.status == GNTST_okay) ||
		    (rc_copy == 0 && copy.status == GNTST_okay))
			bad++;
	}
	return bad ? -EIO : 0;
}

#define GUEST_MARK(i)	(0xffffffffe0e00000ul + (i) * 0x100)

static void read_drs(unsigned long dr[4])
{
	get_debugreg(dr[0], 0);
	get_debugreg(dr[1], 1);
	get_debugreg(dr[2], 2);
	get_debugreg(dr[3], 3);
}

static int try_drs(void)
{
	unsigned long dr[4];
	int bad = 0, i;

	read_drs(dr);
	pr_info("xvmm_guest_probe: dr0-3 at first %#lx %#lx %#lx %#lx\n", dr[0], dr[1], dr[2], dr[3]);
	for (i = 0; i < 4; i++)
		if (dr[i])
			bad++;
	set_debugreg(GUEST_MARK(0), 0);
	set_debugreg(GUEST_MARK(1), 1);
	set_debugreg(GUEST_MARK(2), 2);
	set_debugreg(GUEST_MARK(3), 3);
	msleep(300);
	read_drs(dr);
	pr_info("xvmm_guest_probe: dr0-3 after a sleep %#lx %#lx %#lx %#lx\n", dr[0], dr[1], dr[2], dr[3]);
	for (i = 0; i < 4; i++)
		if (dr[i] != GUEST_MARK(i))
			bad++;
	{
		u64 dbgctl = ~0ull;
		int rd = rdmsrl_safe(MSR_IA32_DEBUGCTLMSR, &dbgctl);
		int wr = wrmsrl_safe(MSR_IA32_DEBUGCTLMSR, 1ull << 2);

		pr_info("xvmm_guest_probe: dr debugctl read %d value %#llx, reserved-bit write %d\n",
			rd, dbgctl, wr);
		if (rd || dbgctl || !wr)
			bad++;
	}
	return bad ? -EIO : 0;
}

static int __init probe_init(void)
{
	void __iomem *p;

	if (!strcmp(mode, "grant"))
		return try_grants();
	if (!strcmp(mode, "dr"))
		return try_drs();
	if (strcmp(mode, "read") || !addr)
		return -EINVAL;
	p = ioremap(addr, PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	pr_info("xvmm_guest_probe: reading guest-physical %#lx\n", addr);
	pr_info("xvmm_guest_probe: read %#x\n", readl(p));
	writel(0x5a5a5a5a, p);
	pr_info("xvmm_guest_probe: read %#x after writing 0x5a5a5a5a\n", readl(p));
	iounmap(p);
	return 0;
}

static void __exit probe_exit(void)
{
}

module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
