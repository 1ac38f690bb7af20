// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMM initialisation and per-CPU launch (docs/launch.md).
 *
 * init() runs once, on one CPU, under the OS's page tables: it checks what
 * the driver handed over, sets up the log, the page pool, the VMM's own
 * address space, per-CPU stacks and the backend's shared state. launch(cpu)
 * then runs on every CPU at once.
 */
#include "arch.h"
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "percpu.h"
#include "selftest.h"
#include "vmm.h"

struct xvmm_boot_info xvmm_boot_info;
struct vmm_cpu vmm_cpus[XVMM_MAX_CPUS];
const struct vmm_vendor *vendor;
volatile u64 dom0_npt_generation;
static bool init_done;

int xvmm_init(void);
u64 xvmm_cpu_stack(unsigned int cpu);
int xvmm_cpu_launch(unsigned int cpu, const struct launch_frame *f, u64 os_rsp);

static int check_boot_info(const struct xvmm_boot_info *bi)
{
	u64 image_size = (u64)(__image_end - __image_start);

	if (bi->image_va != (u64)(uintptr_t)__image_start)
		return -EINVAL;
	if (bi->nr_chunks == 0 || bi->nr_chunks > XVMM_MAX_CHUNKS)
		return -EINVAL;
	if (bi->mem_size > (u64)bi->nr_chunks * XVMM_CHUNK_SIZE ||
	    bi->mem_size < ALIGN_UP(image_size, PAGE_SIZE) + 64 * PAGE_SIZE)
		return -EINVAL;
	for (u32 i = 0; i < bi->nr_chunks; i++)
		if (!IS_ALIGNED(bi->chunk_pa[i], XVMM_CHUNK_SIZE))
			return -EINVAL;
	if (bi->nr_cpus == 0 || bi->nr_cpus > XVMM_MAX_CPUS)
		return -EINVAL;
	if (bi->ram_end == 0 || bi->phys_limit < bi->ram_end ||
	    bi->phys_limit > (1ull << 52))
		return -EINVAL;
	return 0;
}

int xvmm_init(void)
{
	const struct xvmm_boot_info *bi = &xvmm_boot_info;
	u64 image_size = ALIGN_UP((u64)(__image_end - __image_start), PAGE_SIZE);
	int err;

	if (init_done)
		return -EBUSY;
	err = check_boot_info(bi);
	if (err)
		return err;
	log_init();
	pr_info("xvmm %s: %u CPUs, %llu KiB of memory\n", xvmm_version,
		bi->nr_cpus, (unsigned long long)(bi->mem_size >> 10));

	err = page_pool_init(bi->image_va + image_size, bi->mem_size - image_size);
	if (err)
		return err;

	vendor = &svm_vendor;
	err = vendor->probe();
	if (err) {
		pr_err("%s backend unavailable on this CPU (%d)\n", vendor->name, err);
		return err;
	}
	err = vmm_setup_address_space();
	if (err)
		return err;

	for (u32 i = 0; i < bi->nr_cpus; i++) {
		struct vmm_cpu *c = &vmm_cpus[i];
		u64 pa;
		void *stack = page_alloc_contig(VMM_STACK_PAGES, &pa);
		void *df = page_alloc(&pa);

		if (!stack || !df)
			return -ENOMEM;
		c->index = i;
		c->stack_top = (u64)(uintptr_t)stack + VMM_STACK_PAGES * PAGE_SIZE;
		c->df_stack_top = (u64)(uintptr_t)df + PAGE_SIZE;
	}

	err = vendor->init();
	if (err)
		return err;
	err = selftest_init();
	if (err)
		return err;
	init_done = true;
	pr_info("initialised: %s backend, pool %llu KiB free\n", vendor->name,
		(unsigned long long)(page_pool_free_bytes() >> 10));
	return 0;
}

u64 xvmm_cpu_stack(unsigned int cpu)
{
	if (!init_done || cpu >= xvmm_boot_info.nr_cpus || vmm_cpus[cpu].launched)
		return 0;
	return vmm_cpus[cpu].stack_top;
}

int xvmm_cpu_launch(unsigned int cpu, const struct launch_frame *f, u64 os_rsp)
{
	struct vmm_cpu *c = &vmm_cpus[cpu];
	int err;

	err = vendor->cpu_launch(c, f, os_rsp);
	pr_cpu(c, "launch failed: %d\n", err);
	return err;
}
