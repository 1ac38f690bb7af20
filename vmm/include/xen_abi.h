/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen guest ABI as the backends see it (implemented in vmm/xen/).
 * A backend turns an exit into one of these calls; what comes back says
 * whether the vCPU goes on or dom0 must be told something.
 */
#ifndef VMM_XEN_ABI_H
#define VMM_XEN_ABI_H

#include "domain.h"

enum xen_action {
	XEN_CONTINUE,		/* resume the guest (RIP already advanced if needed) */
	XEN_BLOCK,		/* the vCPU blocks: return XVMM_RUN_HALT to dom0 */
	XEN_YIELD,		/* return XVMM_RUN_YIELD to dom0 */
	XEN_STOPPED,		/* the domain shut down or crashed: see domain->state */
};

/*
 * A hypercall: the number and arguments are in the vCPU's registers
 * (64-bit: RAX; RDI, RSI, RDX, R10, R8. 32-bit: EAX; EBX, ECX, EDX, ESI,
 * EDI). The result goes to RAX. The backend has already advanced RIP past
 * the VMMCALL/VMCALL.
 */
enum xen_action xen_hypercall(struct vcpu *v);

/*
 * CPUID: fill *r with what the guest sees for (leaf, subleaf). native[] is
 * the host's answer, which the function filters for the guest.
 */
struct xen_cpuid_regs {
	u32 eax, ebx, ecx, edx;
};
void xen_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct xen_cpuid_regs *r);

/* MSRs: 0 if handled, -ENOENT if the MSR is not the Xen ABI's (the backend injects #GP). */
int xen_wrmsr(struct vcpu *v, u32 msr, u64 val);
int xen_rdmsr(struct vcpu *v, u32 msr, u64 *val);

/* Port I/O nobody backs: 0xE9 output goes to the console; reads are all ones. */
void xen_ioport(struct vcpu *v, u16 port, bool in, unsigned int size, u32 *val);

/* Instruction the hypercall page stubs use: set by the backend at init. */
enum xen_hypercall_insn { XEN_INSN_VMMCALL, XEN_INSN_VMCALL };
extern enum xen_hypercall_insn xen_hypercall_insn;

#endif
