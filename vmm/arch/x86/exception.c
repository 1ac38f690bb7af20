// SPDX-License-Identifier: GPL-2.0-only
/*
 * An exception in the VMM itself. One the exception table covers is a
 * guest's doing (extable.h): resume at its fixup, which crashes that
 * guest. Any other is a bug in the VMM: dump what we know and park this
 * CPU.
 */
#include "cpu.h"
#include "desc.h"
#include "extable.h"
#include "log.h"
#include "vmm.h"

void vmm_exception(struct exception_frame *f);

void vmm_exception(struct exception_frame *f)
{
	if (extable_fixup(f))
		return;
	vmm_log("(xvmm) FATAL: exception %llu error %llx in the VMM\n",
		(unsigned long long)f->vector, (unsigned long long)f->error);
	vmm_log("(xvmm) rip %016llx cs %llx rflags %llx rsp %016llx ss %llx\n",
		(unsigned long long)f->rip, (unsigned long long)f->cs,
		(unsigned long long)f->rflags, (unsigned long long)f->rsp,
		(unsigned long long)f->ss);
	vmm_log("(xvmm) image at %llx (rip offset %llx) cr2 %016llx cr3 %llx\n",
		(unsigned long long)xvmm_boot_info.image_va,
		(unsigned long long)(f->rip - xvmm_boot_info.image_va),
		(unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	vmm_log("(xvmm) rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx);
	vmm_log("(xvmm) rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->r8);
	vmm_log("(xvmm) r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
		(unsigned long long)f->r9, (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	vmm_log("(xvmm) r13 %016llx r14 %016llx r15 %016llx\n",
		(unsigned long long)f->r13, (unsigned long long)f->r14,
		(unsigned long long)f->r15);
	vmm_log("(xvmm) CPU parked\n");
	cpu_park();
}
