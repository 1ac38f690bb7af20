// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_bench: the exit round trip from dom0 ring 0. With xvmm loaded it
 * makes `iters` XVMM_OP_VERSION control calls back to back (each one
 * #VMEXIT + VMRUN) and prints ns per call. Only load it while xvmm is
 * loaded: without the VMM, VMMCALL raises #UD.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <xvmm/control.h>

static unsigned int iters = 20000;
module_param(iters, uint, 0444);

static int __init bench_init(void)
{
	unsigned long flags;
	unsigned int i;
	u64 t0, t1;
	long ret = 0;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++)
		asm volatile("vmmcall" : "=a"(ret) : "a"((unsigned long)XVMM_HC(XVMM_OP_VERSION)),
			     "D"(0ul) : "memory");
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	if (ret != XVMM_ABI_VERSION)
		return -EIO;
	pr_info("xvmm_bench: %u control calls, %llu ns per call\n", iters,
		(t1 - t0) / (iters ? iters : 1));
	return 0;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
