// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_drpoke: dom0's side of the DR0-DR3 isolation check
 * (tests/system/linux/t-isolation.sh). No VMCB holds DR0-DR3, so the VMM
 * switches them between dom0 and a guest itself.
 *   mode=set    writes a marker into DR0-DR3 of every CPU (DR7 untouched:
 *               no breakpoint is enabled by it)
 *   mode=check  reads DR0-DR3 of every CPU: loading fails with -EIO unless
 *               every one still holds dom0's marker
 *   mode=clear  puts zeros back
 * The module never stays loaded: init does its job and returns -ECANCELED
 * on success, so the test sees the result in the kernel log and nothing
 * needs an rmmod.
 */
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/debugreg.h>

static char *mode = "check";
module_param(mode, charp, 0444);

#define DOM0_MARK(i)	(0xffffffffd0d00000ul + (i) * 0x100)

static atomic_t bad;

static void set_marks(void *clear)
{
	set_debugreg(clear ? 0 : DOM0_MARK(0), 0);
	set_debugreg(clear ? 0 : DOM0_MARK(1), 1);
	set_debugreg(clear ? 0 : DOM0_MARK(2), 2);
	set_debugreg(clear ? 0 : DOM0_MARK(3), 3);
}

static void check_marks(void *unused)
{
	unsigned long dr[4];
	int i;

	get_debugreg(dr[0], 0);
	get_debugreg(dr[1], 1);
	get_debugreg(dr[2], 2);
	get_debugreg(dr[3], 3);
	for (i = 0; i < 4; i++) {
		if (dr[i] != DOM0_MARK(i)) {
			pr_info("xvmm_drpoke: cpu%d dr%d %#lx, not dom0's %#lx\n",
				smp_processor_id(), i, dr[i], DOM0_MARK(i));
			atomic_inc(&bad);
		}
	}
}

static int __init drpoke_init(void)
{
	if (!strcmp(mode, "set") || !strcmp(mode, "clear")) {
		on_each_cpu(set_marks, strcmp(mode, "set") ? (void *)1 : NULL, 1);
		pr_info("xvmm_drpoke: %s on %u CPUs\n", mode, num_online_cpus());
		return -ECANCELED;
	}
	if (strcmp(mode, "check"))
		return -EINVAL;
	on_each_cpu(check_marks, NULL, 1);
	if (atomic_read(&bad))
		return -EIO;
	pr_info("xvmm_drpoke: dom0's DR0-DR3 intact on %u CPUs\n", num_online_cpus());
	return -ECANCELED;
}

module_init(drpoke_init);
MODULE_LICENSE("GPL");
