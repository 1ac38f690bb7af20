/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure injection (CONFIG_XVMM_FAULT_INJECT, a debug option;
 * docs/testing.md). The VMM's page pool and the driver's kernel
 * allocations each count their allocations in one of these; once armed
 * with nth, the nth allocation counted from the arm fails (one failure per
 * arm: the ones after it succeed again, as Linux's fail-nth does), so a
 * test can walk nth = 1, 2, ... over every allocation of one operation and
 * stop when an operation succeeds having counted fewer than nth.
 *
 * The VMM's counter lives in struct xvmm_boot_info, so the driver arms
 * the allocations of the VMM's own init() before it runs, and reads what
 * happened even when init() failed and the VMM is about to be freed.
 *
 * Counting is lock-free (the VMM counts on any CPU, the driver in any
 * thread) and global: whatever allocates during the window counts, so a
 * test keeps everything else quiet while it walks.
 */
#ifndef XVMM_FAULT_INJECT_H
#define XVMM_FAULT_INJECT_H

struct xvmm_fault_counter {
	unsigned long long nth;		/* fail the nth allocation since the arm; 0: none */
	unsigned long long seen;	/* allocations since the arm */
	unsigned long long failed;	/* of those, failed on purpose: 0 or 1 */
};

/* One allocation is about to happen: non-zero if it must fail. */
static inline int xvmm_fault_hit(struct xvmm_fault_counter *c)
{
	unsigned long long n = __atomic_add_fetch(&c->seen, 1, __ATOMIC_RELAXED);

	/* seen is at least 1 here, so nth 0 never matches. */
	if (n != __atomic_load_n(&c->nth, __ATOMIC_RELAXED))
		return 0;
	__atomic_add_fetch(&c->failed, 1, __ATOMIC_RELAXED);
	return 1;
}

/*
 * Start a new window failing its nth allocation (0: fail none); *prev gets
 * the window that ends (its nth, how many were counted, how many failed).
 * Disarmed first, so that an allocation racing with the arm is counted in
 * one window or the other but cannot fail against the new window's count.
 */
static inline void xvmm_fault_arm(struct xvmm_fault_counter *c, unsigned long long nth,
				  struct xvmm_fault_counter *prev)
{
	prev->nth = __atomic_exchange_n(&c->nth, 0ull, __ATOMIC_SEQ_CST);
	prev->seen = __atomic_exchange_n(&c->seen, 0ull, __ATOMIC_SEQ_CST);
	prev->failed = __atomic_exchange_n(&c->failed, 0ull, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->nth, nth, __ATOMIC_SEQ_CST);
}

#endif /* XVMM_FAULT_INJECT_H */
