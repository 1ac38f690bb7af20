// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_gntpoke: a dom0 kernel module that writes to a guest page dom0
 * maps read-only through a grant (t-grant.sh). Given a process and the
 * address where it mmap()ed the grant, it finds the physical page
 * (follow_pfn: the mapping is VM_PFNMAP) and writes to it through the
 * kernel's own mapping of that page, which no process mapping would
 * allow. The VMM must neither let the write reach the guest nor stop
 * dom0. Logs the page and what it reads before and after the write.
 *
 * Before the write it also names that page as the result buffer of a
 * control call (XVMM_OP_STATUS): the VMM must refuse it (it is not dom0's
 * own RAM), or it would write into a page the guest granted read-only.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <xvmm/control.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "process that maps the grant");
static unsigned long va;
module_param(va, ulong, 0444);
MODULE_PARM_DESC(va, "where it maps it");

static int find_pa(unsigned long *pa)
{
	struct task_struct *task = get_pid_task(find_vpid(pid), PIDTYPE_PID);
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long pfn;
	int err = -EINVAL;

	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;
	mmap_read_lock(mm);
	vma = find_vma(mm, va);
	if (vma && vma->vm_start <= va)
		err = follow_pfn(vma, va, &pfn);
	mmap_read_unlock(mm);
	mmput(mm);
	if (!err)
		*pa = PFN_PHYS(pfn);
	return err;
}

static int __init gntpoke_init(void)
{
	unsigned long pa;
	int err = find_pa(&pa);
	u8 *p;

	if (err) {
		pr_err("xvmm_gntpoke: no page at %#lx in process %d (%d)\n", va, pid, err);
		return err;
	}
	p = memremap(pa, PAGE_SIZE, MEMREMAP_WB);
	if (!p)
		return -EINVAL;
	pr_info("xvmm_gntpoke: page %#lx reads %02x before the write\n", pa, READ_ONCE(p[0]));
	{
		long ret;

		asm volatile("vmmcall" : "=a"(ret)
			     : "a"((unsigned long)XVMM_HC(XVMM_OP_STATUS)), "D"(pa)
			     : "memory");
		pr_info("xvmm_gntpoke: STATUS into the granted page: %ld, page reads %02x\n",
			ret, READ_ONCE(p[0]));
	}
	WRITE_ONCE(p[0], 0xab);
	pr_info("xvmm_gntpoke: wrote page %#lx, reads %02x now\n", pa, READ_ONCE(p[0]));
	memunmap(p);
	return 0;
}

static void __exit gntpoke_exit(void)
{
}

module_init(gntpoke_init);
module_exit(gntpoke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xvmm test: dom0 writes a page it maps read-only through a grant");
