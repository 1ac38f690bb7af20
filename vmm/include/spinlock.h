/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlock. The VMM's host side runs with GIF = 0, so nothing
 * preempts a lock holder; locks only order CPUs.
 */
#ifndef VMM_SPINLOCK_H
#define VMM_SPINLOCK_H

#include "types.h"

typedef struct {
	volatile u16 next;
	volatile u16 owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	u16 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__asm__ __volatile__("pause");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
