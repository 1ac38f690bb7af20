// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_ipibench: the IPI round trip as Linux makes it, from ring 0 of
 * whatever kernel loads it (dom0, or Debian's kernel as a PVH guest on
 * xvmm: the same module file runs in both). `iters` times, the CPU that
 * runs insmod asks the next online CPU to run an empty function and waits
 * for it (smp_call_function_single with wait=1: one IPI there, the answer
 * comes back through memory). Prints ns per round trip; the load fails
 * with -ENODEV when there is no second CPU. rmmod it before the next run.
 */
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/smp.h>

static unsigned int iters = 2000;
module_param(iters, uint, 0444);

static void nothing(void *unused)
{
}

static int __init ipibench_init(void)
{
	unsigned int self, target, i;
	u64 t0, t1;
	int ret = 0;

	self = get_cpu();
	target = cpumask_next(self, cpu_online_mask);
	if (target >= nr_cpu_ids)
		target = cpumask_first(cpu_online_mask);
	if (target == self) {
		put_cpu();
		return -ENODEV;
	}
	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++)
		ret = smp_call_function_single(target, nothing, NULL, 1);
	t1 = ktime_get_ns();
	put_cpu();
	if (ret)
		return ret;
	pr_info("xvmm_ipibench: cpu %u -> cpu %u, %u round trips, %llu ns each\n", self, target,
		iters, (t1 - t0) / (iters ? iters : 1));
	return 0;
}

static void __exit ipibench_exit(void)
{
}

module_init(ipibench_init);
module_exit(ipibench_exit);
MODULE_LICENSE("GPL");
