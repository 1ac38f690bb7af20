// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control calls from dom0 ring 0 (include/xvmm/control.h). The backend has
 * already checked that the caller is dom0's kernel; every address dom0
 * passes is checked here before the VMM touches it.
 */
#include "arch.h"
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "selftest.h"
#include "vmm.h"

static s64 op_version(u64 pa)
{
	struct xvmm_version *out;

	if (pa) {
		out = dom0_buffer(pa, sizeof(*out));
		if (!out)
			return -EFAULT;
		memset(out, 0, sizeof(*out));
		out->abi = XVMM_ABI_VERSION;
		strlcpy(out->version, xvmm_version, sizeof(out->version));
	}
	return XVMM_ABI_VERSION;
}

static s64 op_status(u64 pa)
{
	struct xvmm_status *st = dom0_buffer(pa, sizeof(*st));

	if (!st)
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	st->abi = XVMM_ABI_VERSION;
	for (u32 i = 0; i < xvmm_boot_info.nr_cpus; i++) {
		if (READ_ONCE(vmm_cpus[i].launched)) {
			st->nr_cpus++;
			st->cpu_mask |= BIT(i);
		}
		st->exits[i] = READ_ONCE(vmm_cpus[i].exits);
	}
	st->mem_total = xvmm_boot_info.mem_size;
	st->mem_free = page_pool_free_bytes();
	strlcpy(st->version, xvmm_version, sizeof(st->version));
	return 0;
}

static s64 op_log_read(u64 pa, u64 cursor)
{
	struct xvmm_log_read *out;

	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	out = dom0_buffer(pa, sizeof(*out));
	if (!out)
		return -EFAULT;
	out->len = log_read(cursor, out->data, sizeof(out->data), &out->cursor,
			    &out->dropped);
	return out->len;
}

s64 control_call(struct vmm_cpu *c, u64 op, u64 a0, u64 a1, u64 a2, u64 a3)
{
	(void)a2;
	(void)a3;
	switch (op) {
	case XVMM_OP_VERSION:
		return op_version(a0);
	case XVMM_OP_STATUS:
		return op_status(a0);
	case XVMM_OP_LOG_READ:
		return op_log_read(a0, a1);
	case XVMM_OP_UNLOAD:
		(void)c;
		return CONTROL_UNLOAD;
	case XVMM_OP_SELFTEST:
		return selftest_run(a0);
	default:
		return -ENOSYS;
	}
}
