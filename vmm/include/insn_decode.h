/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding the few x86 instructions that compilers and guest kernels use
 * for MMIO (vmm/core/insn_decode.c): MOV between a register and memory
 * (88, 89, 8A, 8B), MOVZX and MOVSX from memory (0F B6, B7, BE, BF),
 * MOV of an immediate to memory (C6 /0, C7 /0), MOV
 * with a direct offset (A0-A3) and XCHG with memory (86, 87), with legacy
 * and REX prefixes and every ModRM/SIB form in 16-, 32- and 64-bit code.
 *
 * Vendor-neutral and pure: it sees only bytes, so SVM without decode
 * assists and VMX alike fetch the bytes at the guest's RIP and call it.
 * It computes what an emulator needs (length, direction, operand size,
 * register, immediate), not the operand's address: the exit already gave
 * the guest-physical address that faulted.
 */
#ifndef VMM_INSN_DECODE_H
#define VMM_INSN_DECODE_H

#include "types.h"

#define X86_MAX_INSN_LEN	15	/* longer is #GP (SDM vol. 2, 2.3.11) */

enum x86_insn_op {
	X86_LOAD,		/* register <- memory */
	X86_STORE,		/* memory <- register */
	X86_STORE_IMM,		/* memory <- immediate */
	X86_XCHG,		/* memory <-> register, one locked read and write */
	X86_LOAD_ZX,		/* register <- memory, zero-extended (MOVZX, 0F B6/B7) */
	X86_LOAD_SX,		/* register <- memory, sign-extended (MOVSX, 0F BE/BF) */
};

struct x86_insn {
	enum x86_insn_op op;
	u8 len;			/* bytes, prefixes included */
	u8 size;		/* bytes of memory accessed: 1, 2, 4 or 8 */
	u8 reg;			/* register operand, 0-15 in RAX..R15 order */
	u8 reg_size;		/* its size: @size, or wider for MOVZX/MOVSX */
	bool high_byte;		/* size 1 without REX, reg 4-7: AH, CH, DH, BH */
	bool rip_relative;	/* memory operand is RIP/EIP + disp32 (64-bit code) */
	u64 imm;		/* X86_STORE_IMM: the value, sign-extended to @size */
};

/*
 * Decode the instruction at @bytes, of which @avail are valid, for a code
 * segment whose default operand size is @bits (16, 32 or 64: 64 only in
 * long mode with CS.L). Returns 0, -EFAULT if the instruction runs past
 * @avail bytes (the rest could not be fetched), or -EOPNOTSUPP for
 * anything else: another instruction, a register operand where memory is
 * needed, LOCK on a MOV, more than 15 bytes.
 */
int x86_decode_mmio(const u8 *bytes, unsigned int avail, unsigned int bits,
		    struct x86_insn *insn);

/*
 * The instructions that write a control register and take a CR write
 * intercept (APM vol. 2, 15.9; SDM vol. 3, 26.1.3): MOV to CRn (0F 22 /r,
 * the mod field ignored, REX.R for CR8-15, and on AMD LOCK MOV CR0 for
 * CR8), CLTS (0F 06) and LMSW (0F 01 /6) from a register. LMSW from
 * memory is -EOPNOTSUPP: no guest kernel in use writes CR0 that way.
 */
enum x86_cr_op {
	X86_MOV_TO_CR,
	X86_CLTS,
	X86_LMSW,
};

struct x86_cr_insn {
	enum x86_cr_op op;
	u8 len;
	u8 cr;			/* X86_MOV_TO_CR: 0-15 */
	u8 gpr;			/* MOV and LMSW: source register, 0-15 in RAX..R15 order */
};

int x86_decode_cr_write(const u8 *bytes, unsigned int avail, unsigned int bits,
			struct x86_cr_insn *insn);

#endif
