/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exception table: instructions the VMM runs on state a guest chose
 * (its FPU image, an MSR value it wrote) may fault, and such a fault is
 * the guest's doing, not a bug in the VMM. Each entry names one such
 * instruction and where to resume when it faults; vmm_exception() looks
 * the faulting RIP up here before it calls anything FATAL. Entries are
 * PC-relative, so the position-independent image needs no relocation
 * for them.
 */
#ifndef VMM_X86_EXTABLE_H
#define VMM_X86_EXTABLE_H

#include "types.h"

struct extable_entry {
	s32 insn;		/* the instruction that may fault, relative to this field */
	s32 fixup;		/* where to resume, relative to this field */
};

/* In an asm statement: register instruction label @insn with resume label @fixup. */
#define EXTABLE_ENTRY(insn, fixup)				\
	".pushsection __ex_table, \"a\"\n\t"			\
	".balign 4\n\t"						\
	".long " insn " - .\n\t"				\
	".long " fixup " - .\n\t"				\
	".popsection\n\t"

struct exception_frame;

/*
 * If @f's RIP is in the table, move it to the entry's fixup and return
 * true: the exception stub then resumes there. False otherwise.
 */
bool extable_fixup(struct exception_frame *f);

#endif
