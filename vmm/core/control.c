// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control calls from dom0 ring 0 (include/xvmm/control.h). The backend has
 * already checked that the caller is dom0's kernel; every address dom0
 * passes is checked here before the VMM touches it.
 */
#include "arch.h"
#include "domain.h"
#include "errno.h"
#include "generated/config.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "selftest.h"
#include "vmm.h"
#include "xen_abi.h"

static s64 op_version(u64 pa)
{
	struct xvmm_version *out;

	if (pa) {
		out = dom0_ram_buffer(pa, sizeof(*out));
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
	struct xvmm_status *st = dom0_ram_buffer(pa, sizeof(*st));

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
	out = dom0_ram_buffer(pa, sizeof(*out));
	if (!out)
		return -EFAULT;
	out->len = log_read(cursor, out->data, sizeof(out->data), &out->cursor,
			    &out->dropped);
	return out->len;
}

/* Debug builds: arm the page pool's failure injection (control.h). */
static s64 op_fault_inject(u64 nth, u64 pa)
{
#ifdef CONFIG_XVMM_FAULT_INJECT
	struct xvmm_fault_counter prev, *out = NULL;

	if (pa && !(out = dom0_ram_buffer(pa, sizeof(*out))))
		return -EFAULT;
	xvmm_fault_arm(&xvmm_boot_info.fault, nth, &prev);
	if (out)
		*out = prev;
	return 0;
#else
	(void)nth;
	(void)pa;
	return -ENOSYS;
#endif
}

/*
 * Run a vCPU on this CPU. On success the backend has switched this CPU to
 * the guest: the control call "returns" only when the guest comes back to
 * dom0, with the reason in *run (dom0's page at run_pa).
 */
static s64 vcpu_run(struct vmm_cpu *c, unsigned int domid, unsigned int vcpu, u64 run_pa)
{
	struct domain *d = domain_get(domid);
	struct xvmm_run *run = dom0_ram_buffer(run_pa, sizeof(*run));
	struct vcpu *v;

	if (!d)
		return -ENOENT;
	if (!run)
		return -EFAULT;
	if (vcpu >= d->nr_vcpus)
		return -EINVAL;
	v = &d->vcpus[vcpu];
	memset(run, 0, sizeof(*run));
	if (d->state != DOMAIN_RUNNING) {
		run->reason = d->state == DOMAIN_CRASHED ? XVMM_RUN_CRASH : XVMM_RUN_SHUTDOWN;
		run->code = d->shutdown_reason;
		return 0;
	}
	if (__atomic_exchange_n(&v->running, true, __ATOMIC_SEQ_CST))
		return -EBUSY;
	/* Against domain_destroy: it sets dying, then looks at running. */
	if (__atomic_load_n(&d->dying, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
		return -ENOENT;
	}
	/*
	 * INIT, SIPI and NMI other vCPUs posted are taken here, on this
	 * vCPU's own thread. A vCPU that is down or waits for a SIPI is not
	 * entered: dom0 sleeps until a kick (vcpu_start.h).
	 */
	if (!vcpu_start_apply(v, vendor->vcpu_set_state)) {
		run->reason = XVMM_RUN_HALT;
		__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
		return 0;
	}
	/* Still in SCHEDOP_poll: dom0 sleeps again, the guest is not entered. */
	if (xen_vcpu_poll_blocked(v)) {
		run->reason = XVMM_RUN_HALT;
		run->timer_ns = xen_vcpu_timer_ns(v);
		__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
		return 0;
	}
	vendor->vcpu_enter(c, v, run);
	return 0;
}

/* The grant calls (vmm/xen/grant_dom0.c) on an existing domain. */
static s64 grant_call(u64 op, u64 domid, u64 a1, u64 a2)
{
	struct domain *d = domid < DOMAIN_ID_END ? domain_get((unsigned int)domid) : NULL;

	if (!d)
		return -ENOENT;
	switch (op) {
	case XVMM_OP_GNT_COPY:
		return xen_gnttab_dom0_copy(d, a1, a2);
	case XVMM_OP_GNT_MAP:
		return xen_gnttab_dom0_map(d, a1);
	case XVMM_OP_GNT_MAP_BATCH:
		return xen_gnttab_dom0_map_batch(d, a1, a2);
	case XVMM_OP_GNT_UNMAP_BATCH:
		return xen_gnttab_dom0_unmap_batch(d, a1, a2);
	default:
		return xen_gnttab_dom0_unmap(d, a1);
	}
}

s64 control_call(struct vmm_cpu *c, u64 op, u64 a0, u64 a1, u64 a2, u64 a3)
{
	(void)a3;
	switch (op) {
	case XVMM_OP_VERSION:
		return op_version(a0);
	case XVMM_OP_STATUS:
		domain_table_reap(c);	/* mem_free counts what has passed its grace period */
		return op_status(a0);
	case XVMM_OP_LOG_READ:
		return op_log_read(a0, a1);
	case XVMM_OP_UNLOAD:
		if (domain_count()) {
			pr_cpu(c, "unload refused: domains exist\n");
			return -EBUSY;
		}
		return CONTROL_UNLOAD;
	case XVMM_OP_SYNC:
		/* The driver's round after a destroy: the last CPU frees the struct. */
		domain_table_reap(c);
		return 0;
	case XVMM_OP_FAULT_INJECT:
		return op_fault_inject(a0, a1);
	case XVMM_OP_DOM_CREATE:
		domain_table_reap(c);
		return domain_create(a0);
	case XVMM_OP_DOM_DESTROY:
		domain_table_reap(c);
		return domain_destroy((unsigned int)a0);
	case XVMM_OP_DOM_INFO:
		return domain_info((unsigned int)a0, a1);
	case XVMM_OP_DOM_CONSOLE:
		return domain_console_read((unsigned int)a0, a1, a2);
	case XVMM_OP_DOM_SHUTDOWN:
		return domain_request_shutdown((unsigned int)a0, a1);
	case XVMM_OP_EVTCHN_SEND:
		return domain_evtchn_send((unsigned int)a0, a1);
	case XVMM_OP_EVTCHN_BIND:
		return domain_evtchn_bind((unsigned int)a0, a1, a2);
	case XVMM_OP_GNT_COPY:
	case XVMM_OP_GNT_MAP:
	case XVMM_OP_GNT_UNMAP:
	case XVMM_OP_GNT_MAP_BATCH:
	case XVMM_OP_GNT_UNMAP_BATCH:
		return grant_call(op, a0, a1, a2);
	case XVMM_OP_VCPU_RUN:
		return vcpu_run(c, (unsigned int)a0, (unsigned int)a1, a2);
	case XVMM_OP_SELFTEST:
		return selftest_run(a0);
	default:
		return -ENOSYS;
	}
}
