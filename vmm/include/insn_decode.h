/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding the few x86 instructions that compilers and guest kernels use
 * for MMIO (vmm/core/insn_decode.c): MOV between a register and memory
 * (88, 89, 8A, 8B), MOV of an immediate to memory (C6 /0, C7 /0), MOV
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
};

struct x86_insn {
	enum x86_insn_op op;
	u8 len;			/* bytes, prefixes included */
	u8 size;		/* bytes of memory accessed: 1, 2, 4 or 8 */
	u8 reg;			/* register operand, 0-15 in RAX..R15 order */
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

#endif
