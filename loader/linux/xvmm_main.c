// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm.ko: loads the xvmm VMM under the running Linux, which becomes dom0,
 * and takes it out again. /dev/xvmm (include/xvmm/ioctl.h) is the
 * interface for the `xvmm` tool.
 *
 * insmod xvmm.ko         loads the image /lib/firmware/xvmm.bin if present
 * insmod xvmm.ko load=0  only creates /dev/xvmm (what `xvmm load IMAGE` uses)
 * rmmod xvmm             unloads the VMM first
 */
#include <linux/cpu.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/suspend.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/io.h>
#include <xvmm/ioctl.h>
#include "xvmm_alloc.h"
#include "xvmm_drv.h"

static bool load = true;
module_param(load, bool, 0444);
MODULE_PARM_DESC(load, "Load /lib/firmware/xvmm.bin at insmod (default 1)");

static unsigned int mem_mb = 16;
module_param(mem_mb, uint, 0444);
MODULE_PARM_DESC(mem_mb, "Default memory for the VMM in MiB (image, page tables, control state)");

#define MAX_IMAGE_BYTES	(16u << 20)

DEFINE_MUTEX(xvmm_lock);
DEFINE_MUTEX(xvmm_map_lock);
static struct xvmm_loaded loaded;
static bool is_loaded;

bool xvmm_is_loaded(void)
{
	return READ_ONCE(is_loaded);
}

static void sync_this_cpu(void *unused)
{
	xvmm_hypercall(XVMM_OP_SYNC, 0, 0);
}

/* Every CPU takes one exit, so each flushes what dom0's NPT no longer maps. */
void xvmm_sync_all_cpus(void)
{
	on_each_cpu(sync_this_cpu, NULL, 1);
}

static int xvmm_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == PM_SUSPEND_PREPARE || action == PM_HIBERNATION_PREPARE) {
		pr_warn("xvmm: suspend refused while the VMM is loaded (run `xvmm unload` first)\n");
		return NOTIFY_BAD;
	}
	return NOTIFY_DONE;
}

static struct notifier_block xvmm_pm_nb = { .notifier_call = xvmm_pm_notify };

static int do_unload(void);

/* Leave the CPUs as we found them before a reboot, kexec or power-off. */
static int xvmm_reboot_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	mutex_lock(&xvmm_lock);
	if (is_loaded) {
		xvmm_domain_destroy_all();
		do_unload();
	}
	mutex_unlock(&xvmm_lock);
	return NOTIFY_DONE;
}

static struct notifier_block xvmm_reboot_nb = { .notifier_call = xvmm_reboot_notify };

static struct xvmm_trust_verdict running_trust;	/* under xvmm_lock */

/* Every image comes in here: the ioctl and the firmware file at insmod. */
static int do_load(const u8 *image, size_t len, unsigned int mb)
{
	struct xvmm_trust_verdict trust;
	ktime_t t0 = ktime_get();
	int err;

	lockdep_assert_held(&xvmm_lock);
	if (is_loaded)
		return -EEXIST;
	/* Before anything is allocated or mapped for it. */
	err = xvmm_trust_check(image, len, &trust);
	if (err)
		return err;
	err = xvmm_image_prepare(&loaded, image, trust.image_len, mb ? mb : mem_mb);
	if (err)
		return err;
	err = loaded.init();
	if (err) {
		pr_err("xvmm: VMM init failed (%d)%s\n", err,
		       err == -EBUSY ? ": SVM is in use by another hypervisor (KVM?)" :
		       err == -ENODEV ? ": this CPU has no usable AMD SVM with nested paging" : "");
		xvmm_fault_boot_done(loaded.fault);
		xvmm_image_free(&loaded);
		return err;
	}
	cpu_hotplug_disable();
	err = xvmm_launch_all(&loaded);
	if (err) {
		cpu_hotplug_enable();
		pr_err("xvmm: launch failed on at least one CPU (%d)%s; all CPUs rolled back\n",
		       err, err == -EBUSY ? ": SVM is in use by another hypervisor (KVM?)" : "");
		xvmm_fault_boot_done(loaded.fault);
		xvmm_image_free(&loaded);
		return err;
	}
	register_pm_notifier(&xvmm_pm_nb);
	is_loaded = true;
	running_trust = trust;
	xvmm_trust_commit(&trust);
	pr_info("xvmm: %s running on %u CPUs in %lld us; CPU hotplug and suspend are off until unload\n",
		loaded.version, num_online_cpus(), ktime_us_delta(ktime_get(), t0));
	return 0;
}

static int do_unload(void)
{
	ktime_t t0 = ktime_get();
	int err;

	lockdep_assert_held(&xvmm_lock);
	if (!is_loaded)
		return -ENODEV;
	if (xvmm_domain_count()) {
		pr_err("xvmm: unload refused: %u domain(s) exist; destroy them first\n",
		       xvmm_domain_count());
		return -EBUSY;
	}
	err = xvmm_unload_all();
	if (err) {
		pr_err("xvmm: unload refused (%d)\n", err);
		return err;
	}
	is_loaded = false;
	xvmm_fault_boot_done(loaded.fault);	/* what the VMM counted, before it goes */
	memset(&running_trust, 0, sizeof(running_trust));
	unregister_pm_notifier(&xvmm_pm_nb);
	cpu_hotplug_enable();
	xvmm_image_free(&loaded);
	pr_info("xvmm: unloaded in %lld us\n", ktime_us_delta(ktime_get(), t0));
	return 0;
}

static long ioctl_load(void __user *arg)
{
	struct xvmm_ioctl_load req;
	u8 *image;
	long err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.image_len == 0 || req.image_len > MAX_IMAGE_BYTES)
		return -EINVAL;
	image = xvmm_kvmalloc(req.image_len, GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	if (copy_from_user(image, u64_to_user_ptr(req.image_ptr), req.image_len)) {
		xvmm_kvfree(image);
		return -EFAULT;
	}
	mutex_lock(&xvmm_lock);
	err = do_load(image, req.image_len, req.mem_mb);
	mutex_unlock(&xvmm_lock);
	xvmm_kvfree(image);
	return err;
}

/* A control call whose result lands in a page of dom0 memory. */
static long call_with_page(unsigned int op, unsigned long a1, void *out, size_t size)
{
	unsigned long page = xvmm_get_zeroed_page(GFP_KERNEL);
	long ret;

	if (!page)
		return -ENOMEM;
	mutex_lock(&xvmm_lock);
	if (!is_loaded) {
		ret = -ENODEV;
	} else {
		ret = xvmm_hypercall(op, virt_to_phys((void *)page), a1);
		if (ret >= 0)
			memcpy(out, (void *)page, size);
	}
	mutex_unlock(&xvmm_lock);
	xvmm_free_page(page);
	return ret;
}

static long ioctl_status(void __user *arg)
{
	struct xvmm_status *st = xvmm_kzalloc(sizeof(*st), GFP_KERNEL);
	long ret;

	BUILD_BUG_ON(sizeof(*st) > PAGE_SIZE);
	if (!st)
		return -ENOMEM;
	ret = call_with_page(XVMM_OP_STATUS, 0, st, sizeof(*st));
	if (ret >= 0)
		ret = copy_to_user(arg, st, sizeof(*st)) ? -EFAULT : 0;
	xvmm_kfree(st);
	return ret;
}

static long ioctl_log_read(void __user *arg)
{
	struct xvmm_log_read *lr;
	long ret;

	BUILD_BUG_ON(sizeof(*lr) != PAGE_SIZE);
	lr = xvmm_kzalloc(sizeof(*lr), GFP_KERNEL);
	if (!lr)
		return -ENOMEM;
	if (copy_from_user(&lr->cursor, arg, sizeof(lr->cursor))) {
		xvmm_kfree(lr);
		return -EFAULT;
	}
	ret = call_with_page(XVMM_OP_LOG_READ, lr->cursor, lr, sizeof(*lr));
	if (ret >= 0)
		ret = copy_to_user(arg, lr, sizeof(*lr)) ? -EFAULT : 0;
	xvmm_kfree(lr);
	return ret;
}

static long ioctl_version(void __user *arg)
{
	struct xvmm_version v;
	long ret = call_with_page(XVMM_OP_VERSION, 0, &v, sizeof(v));

	if (ret >= 0)
		ret = copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
	return ret;
}

static long ioctl_meminfo(void __user *arg)
{
	struct xvmm_meminfo *mi = xvmm_kzalloc(sizeof(*mi), GFP_KERNEL);
	unsigned int i;
	long ret = 0;

	if (!mi)
		return -ENOMEM;
	mutex_lock(&xvmm_lock);
	if (is_loaded) {
		mi->loaded = 1;
		mi->nr_chunks = loaded.nr_chunks;
		mi->image_va = (u64)loaded.va;
		for (i = 0; i < loaded.nr_chunks; i++)
			mi->chunk_pa[i] = page_to_phys(loaded.chunks[i]);
	}
	mutex_unlock(&xvmm_lock);
	if (copy_to_user(arg, mi, sizeof(*mi)))
		ret = -EFAULT;
	xvmm_kfree(mi);
	return ret;
}

static long ioctl_image_trust(void __user *arg)
{
	struct xvmm_image_trust t = {};

	mutex_lock(&xvmm_lock);
	if (is_loaded) {
		t.state = running_trust.state;
		t.keyring = running_trust.keyring;
		strscpy(t.detail, running_trust.detail, sizeof(t.detail));
	}
	mutex_unlock(&xvmm_lock);
	return copy_to_user(arg, &t, sizeof(t)) ? -EFAULT : 0;
}

static long xvmm_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case XVMM_IOCTL_LOAD:
		return ioctl_load(uarg);
	case XVMM_IOCTL_UNLOAD:
		mutex_lock(&xvmm_lock);
		ret = do_unload();
		mutex_unlock(&xvmm_lock);
		return ret;
	case XVMM_IOCTL_STATUS:
		return ioctl_status(uarg);
	case XVMM_IOCTL_LOG_READ:
		return ioctl_log_read(uarg);
	case XVMM_IOCTL_VERSION:
		return ioctl_version(uarg);
	case XVMM_IOCTL_SELFTEST:
		mutex_lock(&xvmm_lock);
		ret = is_loaded ? xvmm_hypercall(XVMM_OP_SELFTEST, arg, 0) : -ENODEV;
		mutex_unlock(&xvmm_lock);
		return ret;
	case XVMM_IOCTL_MEMINFO:
		return ioctl_meminfo(uarg);
	case XVMM_IOCTL_IMAGE_TRUST:
		return ioctl_image_trust(uarg);
	case XVMM_IOCTL_FAULT_INJECT:
		return xvmm_fault_ioctl(uarg);
	case XVMM_IOCTL_DOM_CREATE:
	case XVMM_IOCTL_DOM_WRITE:
	case XVMM_IOCTL_DOM_START:
	case XVMM_IOCTL_DOM_RUN:
	case XVMM_IOCTL_DOM_DESTROY:
	case XVMM_IOCTL_DOM_LIST:
	case XVMM_IOCTL_DOM_CONSOLE:
	case XVMM_IOCTL_DOM_SHUTDOWN:
	case XVMM_IOCTL_DOM_NOTIFY:
	case XVMM_IOCTL_DOM_WAIT:
	case XVMM_IOCTL_DOM_PAUSE:
	case XVMM_IOCTL_DOM_UNPAUSE:
	case XVMM_IOCTL_DOM_VCPU_LIST:
		return xvmm_domain_ioctl(cmd, uarg, arg);
	case XVMM_IOCTL_EVTCHN_BIND:
		return xvmm_evtchn_bind(uarg);
	case XVMM_IOCTL_GNT_COPY:
	case XVMM_IOCTL_GNT_MAP:
	case XVMM_IOCTL_GNT_UNMAP:
	case XVMM_IOCTL_GNT_MAP_BATCH:
	case XVMM_IOCTL_GNT_UNMAP_BATCH:
		return xvmm_grant_ioctl(f, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static int xvmm_mmap(struct file *f, struct vm_area_struct *vma)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (vma->vm_pgoff & XVMM_MMAP_GRANT_BIT)
		return xvmm_grant_mmap(f, vma);
	return xvmm_domain_mmap(vma);
}

/* The file's last reference: the grant maps it made go (no vma of it is left). */
static int xvmm_release(struct inode *inode, struct file *f)
{
	xvmm_grant_release(f);
	return 0;
}

/*
 * The node is root's only (mode 0600), and even root needs CAP_SYS_ADMIN
 * in the initial user namespace (capable()) to open it, as for every
 * ioctl and mmap: the VMM's interface is not for containers.
 */
static int xvmm_open(struct inode *inode, struct file *f)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static const struct file_operations xvmm_fops = {
	.owner = THIS_MODULE,
	.open = xvmm_open,
	.mmap = xvmm_mmap,
	.release = xvmm_release,
	.unlocked_ioctl = xvmm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice xvmm_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xvmm",
	.fops = &xvmm_fops,
	.mode = 0600,
};

static int __init xvmm_module_init(void)
{
	const struct firmware *fw;
	int err;

	err = xvmm_trust_init();
	if (err)
		return err;
	err = misc_register(&xvmm_misc);
	if (err) {
		xvmm_trust_exit();
		return err;
	}
	register_reboot_notifier(&xvmm_reboot_nb);
	if (!load)
		return 0;
	if (firmware_request_nowarn(&fw, "xvmm.bin", xvmm_misc.this_device)) {
		pr_info("xvmm: no /lib/firmware/xvmm.bin; load an image with `xvmm load IMAGE`\n");
		return 0;
	}
	mutex_lock(&xvmm_lock);
	err = do_load(fw->data, fw->size, 0);
	mutex_unlock(&xvmm_lock);
	release_firmware(fw);
	if (err) {
		unregister_reboot_notifier(&xvmm_reboot_nb);
		misc_deregister(&xvmm_misc);
		xvmm_trust_exit();
	}
	return err;
}

static void __exit xvmm_module_exit(void)
{
	mutex_lock(&xvmm_lock);
	if (is_loaded && do_unload())
		pr_crit("xvmm: could not unload the VMM; its memory stays allocated\n");
	mutex_unlock(&xvmm_lock);
	unregister_reboot_notifier(&xvmm_reboot_nb);
	misc_deregister(&xvmm_misc);
	xvmm_trust_exit();
}

module_init(xvmm_module_init);
module_exit(xvmm_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xvmm: a Xen-ABI VMM launched under the running Linux");
