// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomic updates of words the VMM shares with a guest (grant entries), as
 * Xen's guest_cmpxchg (asm/guest_atomics.h). Separate so the unit tests
 * can play a guest that changes the word between the VMM's read and its
 * update.
 */
#include "xen_internal.h"

u32 xen_guest_cmpxchg32(u32 *p, u32 old, u32 new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}
