// SPDX-License-Identifier: GPL-2.0-only
/* Looking a faulting RIP up in the exception table (extable.h). */
#include "desc.h"
#include "extable.h"

extern const struct extable_entry __extable_start[], __extable_end[];

static u64 entry_addr(const s32 *field)
{
	return (u64)(uintptr_t)field + (u64)(s64)*field;
}

bool extable_fixup(struct exception_frame *f)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
		if (entry_addr(&e->insn) == f->rip) {
			f->rip = entry_addr(&e->fixup);
			return true;
		}
	}
	return false;
}
