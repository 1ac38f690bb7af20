// SPDX-License-Identifier: GPL-2.0-only
/*
 * Launch and unload on every online CPU at once (docs/launch.md).
 *
 * stop_machine() runs our callback on all online CPUs together with
 * interrupts off and CPU hotplug held off. Each CPU calls the VMM's launch
 * entry; all then meet at a barrier and make one control call each, so a
 * CPU whose VMRUN path does not work is found while everything can still
 * be undone. If any CPU failed, every CPU that did launch leaves again and
 * all return the same error: the OS never sees a half-launched machine.
 */
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/stop_machine.h>
#include "xvmm_drv.h"

struct launch_ctx {
	struct xvmm_loaded *l;
	atomic_t arrived;
	atomic_t failed;
	int first_err;
	int nr_cpus;
};

static void barrier_wait(atomic_t *count, int n)
{
	atomic_inc(count);
	while (atomic_read(count) < n)
		cpu_relax();
}

static int launch_one(void *arg)
{
	struct launch_ctx *ctx = arg;
	unsigned int cpu = smp_processor_id();
	int err = ctx->l->launch(cpu);

	/* Bareflank's lesson: make one exit while failing is still clean. */
	if (!err) {
		long v = xvmm_hypercall(XVMM_OP_VERSION, 0, 0);

		if (v != XVMM_ABI_VERSION) {
			xvmm_hypercall(XVMM_OP_UNLOAD, 0, 0);
			err = v < 0 ? (int)v : -EPROTO;
		}
	}
	if (err) {
		pr_err("xvmm: CPU %u: launch failed (%d)\n", cpu, err);
		if (atomic_inc_return(&ctx->failed) == 1)
			WRITE_ONCE(ctx->first_err, err);
	}
	barrier_wait(&ctx->arrived, ctx->nr_cpus);
	if (atomic_read(&ctx->failed)) {
		if (!err)
			xvmm_hypercall(XVMM_OP_UNLOAD, 0, 0);
		return READ_ONCE(ctx->first_err);
	}
	return 0;
}

int xvmm_launch_all(struct xvmm_loaded *l)
{
	struct launch_ctx ctx = { .l = l };

	/* Hotplug is disabled by the caller, so this count holds throughout. */
	ctx.nr_cpus = num_online_cpus();
	return stop_machine(launch_one, &ctx, cpu_online_mask);
}

static int unload_one(void *arg)
{
	long ret = xvmm_hypercall(XVMM_OP_UNLOAD, 0, 0);

	if (ret)
		pr_err("xvmm: CPU %u: unload refused (%ld)\n", smp_processor_id(), ret);
	return ret;
}

int xvmm_unload_all(void)
{
	return stop_machine(unload_one, NULL, cpu_online_mask);
}
