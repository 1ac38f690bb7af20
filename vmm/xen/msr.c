// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen MSR: writing it fills the hypercall page.
 *
 * Follows Xen's xen/arch/x86/msr.c (guest_wrmsr_xen, guest_rdmsr_xen) and
 * xen/arch/x86/hvm/svm/svm.c / vmx/vmx.c (the init_hypercall_page hooks);
 * the MSR number is the one CPUID leaf 0x40000002 reports
 * (include/xen/cpuid.h). Xen's range is 0x40000000-0x400002ff; only its
 * first MSR is defined, the rest fault.
 *
 * Return values for the backend: 0 done; -ENOENT the MSR is not the Xen
 * ABI's; -EINVAL the MSR is, but the value is bad (page index other than 0,
 * or an address that is not the domain's RAM). In both error cases the
 * backend injects #GP, as Xen does.
 */
#include "errno.h"
#include "lib.h"
#include "vcpu_regs.h"
#include "xen_internal.h"
#include <xen/cpuid.h>
#include <xen/xen.h>

#define XEN_MSR_RANGE_FIRST	0x40000000u
#define XEN_MSR_RANGE_LAST	0x400002ffu

#define HCALL_PAGE_SIZE		4096u

/* The backend sets this at init (vmcall on VMX). */
enum xen_hypercall_insn xen_hypercall_insn = XEN_INSN_VMMCALL;

/*
 * Stub n: mov $n, %eax; vmmcall (or vmcall); ret; int3 padding. The iret
 * slot (23) holds ud2: HVM guests have no hypercall iret.
 */
void xen_fill_hypercall_page(u8 *page, enum xen_hypercall_insn insn)
{
	memset(page, 0xcc, HCALL_PAGE_SIZE);
	for (u32 n = 0; n < XEN_HYPERCALL_PAGE_STUBS; n++) {
		u8 *p = page + n * XEN_HYPERCALL_STUB_SIZE;

		if (n == __HYPERVISOR_iret) {
			p[0] = 0x0f;		/* ud2 */
			p[1] = 0x0b;
			continue;
		}
		p[0] = 0xb8;			/* mov $imm32, %eax */
		p[1] = (u8)n;
		p[2] = (u8)(n >> 8);
		p[3] = (u8)(n >> 16);
		p[4] = (u8)(n >> 24);
		p[5] = 0x0f;			/* vmmcall 0f 01 d9 / vmcall 0f 01 c1 */
		p[6] = 0x01;
		p[7] = insn == XEN_INSN_VMCALL ? 0xc1 : 0xd9;
		p[8] = 0xc3;			/* ret */
	}
}

int xen_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	u64 gpa = val & ~(u64)(HCALL_PAGE_SIZE - 1);
	u8 *page;

	if (msr < XEN_MSR_RANGE_FIRST || msr > XEN_MSR_RANGE_LAST)
		return -ENOENT;
	if (msr != XEN_HYPERCALL_MSR)
		return -EINVAL;
	if (val & (HCALL_PAGE_SIZE - 1))	/* page index: one page only */
		return -EINVAL;
	page = guest_page_ptr(v->domain, gpa, HCALL_PAGE_SIZE);
	if (!page)
		return -EINVAL;
	xen_fill_hypercall_page(page, xen_hypercall_insn);
	/* Xen latches the shared_info layout here too. */
	v->mode_64 = vcpu_is_64bit(v);
	return 0;
}

int xen_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	(void)v;
	if (msr < XEN_MSR_RANGE_FIRST || msr > XEN_MSR_RANGE_LAST)
		return -ENOENT;
	if (msr != XEN_HYPERCALL_MSR)
		return -EINVAL;
	*val = 0;	/* write-only; Xen reads it as zero */
	return 0;
}
