/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_initialise's argument for an HVM/PVH vCPU, as this project writes
 * it: Xen's public/hvm/hvm_vcpu.h (struct vcpu_hvm_context). Fixed-width
 * fields, so one layout serves 32- and 64-bit callers. Segment attributes
 * are 12 bits: type, S, DPL, P, AVL, L, D/B, G.
 */
#ifndef XEN_HVM_VCPU_H
#define XEN_HVM_VCPU_H

#include <stdint.h>

#define VCPU_HVM_MODE_32B	0	/* the 32-bit registers and segments below */
#define VCPU_HVM_MODE_64B	1	/* long mode, flat segments */

struct vcpu_hvm_x86_32 {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
	uint32_t cr0, cr3, cr4;
	uint32_t pad1;
	uint64_t efer;
	uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
	uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
	uint16_t pad2[3];
};

struct vcpu_hvm_x86_64 {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
	uint64_t cr0, cr3, cr4, efer;
};

struct vcpu_hvm_context {
	uint32_t mode;			/* VCPU_HVM_MODE_* */
	uint32_t pad;
	union {
		struct vcpu_hvm_x86_32 x86_32;
		struct vcpu_hvm_x86_64 x86_64;
	} cpu_regs;
};

_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "vcpu_hvm_x86_32 is 120 bytes");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "vcpu_hvm_context is 128 bytes");

#endif
