// SPDX-License-Identifier: GPL-2.0-only
/* Small VMCB operations shared by the exit handlers (and their unit tests). */
#include "cpu.h"
#include "svm.h"

bool cpu_has_nrip_save(void)
{
	struct cpuid_regs r;

	cpuid_count(0x8000000a, 0, &r);
	return r.edx & BIT(3);
}

void svm_inject_exception(struct vmcb *v, u8 vector, bool has_error, u32 error)
{
	v->control.event_inj = vector | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_VALID |
			       (has_error ? EVENTINJ_ERROR_VALID | ((u64)error << 32) : 0);
}

/*
 * Advance RIP past the intercepted instruction: next_rip when the CPU has
 * NRIP save (APM 15.7.1), else the length the caller decoded.
 */
void svm_skip_instruction(struct vmcb *v, unsigned int len)
{
	static int nrip = -1;

	if (nrip < 0)
		nrip = cpu_has_nrip_save();
	if (nrip && v->control.next_rip)
		v->save.rip = v->control.next_rip;
	else
		v->save.rip += len;
}
