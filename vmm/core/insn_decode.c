// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding the instructions the VMM finishes for a guest
 * (vmm/include/insn_decode.h): MMIO accesses and control register writes. Encodings from
 * the Intel SDM vol. 2 (2.1 instruction format, tables 2-1 and 2-2 for
 * 16- and 32-bit ModRM, 2.2.1 REX, 2.2.1.6 RIP-relative addressing) and
 * AMD APM vol. 3 (1.2 prefixes, 1.4 ModRM and SIB, 1.5 operand and
 * address sizes).
 */
#include "errno.h"
#include "insn_decode.h"

#define PFX_OPSIZE	0x66
#define PFX_ADDRSIZE	0x67
#define PFX_LOCK	0xf0
#define PFX_REPNE	0xf2
#define PFX_REP		0xf3

#define REX_W		0x8
#define REX_R		0x4
#define REX_B		0x1

struct cursor {
	const u8 *p;
	unsigned int n, avail;
};

/* The next byte, or -EFAULT past what was fetched, -EOPNOTSUPP past 15 bytes. */
static int next(struct cursor *c, u8 *b)
{
	if (c->n >= X86_MAX_INSN_LEN)
		return -EOPNOTSUPP;
	if (c->n >= c->avail)
		return -EFAULT;
	*b = c->p[c->n++];
	return 0;
}

/* @size little-endian bytes, sign-extended to 64 bits. */
static int next_signed(struct cursor *c, unsigned int size, u64 *val)
{
	u64 v = 0;
	u8 b;
	int err;

	for (unsigned int i = 0; i < size; i++) {
		err = next(c, &b);
		if (err)
			return err;
		v |= (u64)b << (8 * i);
	}
	if (size && size < 8 && (v & BIT(8 * size - 1)))
		v |= ~0ull << (8 * size);
	*val = v;
	return 0;
}

static bool is_legacy_prefix(u8 b)
{
	switch (b) {
	case PFX_OPSIZE: case PFX_ADDRSIZE: case PFX_LOCK: case PFX_REPNE: case PFX_REP:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:	/* segments */
		return true;
	default:
		return false;
	}
}

/*
 * Skip the memory operand's ModRM tail: SIB and displacement. @addr_size
 * is 2, 4 or 8. Only the 3-bit fields choose the form; REX.B never does
 * (SDM vol. 2, table 2-5).
 */
static int skip_memory_operand(struct cursor *c, u8 modrm, unsigned int addr_size,
			       bool long_mode, struct x86_insn *insn)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7, disp;
	u64 ignored;
	u8 sib;
	int err;

	if (addr_size == 2) {
		/* 16-bit forms (table 2-1): no SIB; rm 110 with mod 00 is disp16. */
		disp = mod == 1 ? 1 : mod == 2 ? 2 : (mod == 0 && rm == 6) ? 2 : 0;
		return next_signed(c, disp, &ignored);
	}
	disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (rm == 4) {
		err = next(c, &sib);
		if (err)
			return err;
		if (mod == 0 && (sib & 7) == 5)
			disp = 4;		/* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		disp = 4;			/* disp32; RIP-relative in 64-bit code */
		insn->rip_relative = long_mode;
	}
	return next_signed(c, disp, &ignored);
}

int x86_decode_mmio(const u8 *bytes, unsigned int avail, unsigned int bits,
		    struct x86_insn *out)
{
	struct cursor c = { .p = bytes, .avail = avail };
	struct x86_insn insn = { 0 };
	bool long_mode = bits == 64, opsize = false, addrsize = false, lock = false;
	unsigned int rex = 0, addr_size, op_size;
	u8 b, modrm;
	int err;

	if (bits != 16 && bits != 32 && bits != 64)
		return -EOPNOTSUPP;
	/* Legacy prefixes in any order; a REX counts only right before the opcode. */
	for (;;) {
		err = next(&c, &b);
		if (err)
			return err;
		if (is_legacy_prefix(b)) {
			opsize |= b == PFX_OPSIZE;
			addrsize |= b == PFX_ADDRSIZE;
			lock |= b == PFX_LOCK;
			rex = 0;		/* a REX followed by a prefix is ignored */
			continue;
		}
		if (long_mode && (b & 0xf0) == 0x40) {
			rex = b;		/* in 32/16-bit code 40-4f are INC/DEC */
			continue;
		}
		break;
	}

	/* Operand and address sizes (APM vol. 3, tables 1-2 and 1-3). */
	if (long_mode) {
		op_size = (rex & REX_W) ? 8 : opsize ? 2 : 4;
		addr_size = addrsize ? 4 : 8;
	} else {
		op_size = (bits == 32) != opsize ? 4 : 2;
		addr_size = (bits == 32) != addrsize ? 4 : 2;
	}

	switch (b) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
	case 0x86: case 0x87:
	case 0xc6: case 0xc7:
		err = next(&c, &modrm);
		if (err)
			return err;
		if ((modrm >> 6) == 3)
			return -EOPNOTSUPP;	/* register operand: no memory access */
		insn.size = (b & 1) ? op_size : 1;
		insn.reg = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
		if (b == 0x86 || b == 0x87)
			insn.op = X86_XCHG;
		else if (b == 0xc6 || b == 0xc7)
			insn.op = X86_STORE_IMM;
		else
			insn.op = (b & 2) ? X86_LOAD : X86_STORE;
		if (insn.op == X86_STORE_IMM) {
			if ((modrm >> 3) & 7)
				return -EOPNOTSUPP;	/* only /0 is MOV */
			insn.reg = 0;
		}
		err = skip_memory_operand(&c, modrm, addr_size, long_mode, &insn);
		if (err)
			return err;
		if (insn.op == X86_STORE_IMM) {
			/* imm8, imm16, or imm32 (sign-extended for a 64-bit store). */
			err = next_signed(&c, insn.size == 8 ? 4 : insn.size, &insn.imm);
			if (err)
				return err;
			if (insn.size < 8)
				insn.imm &= (1ull << (8 * insn.size)) - 1;
		}
		break;
	case 0x0f:
		/* MOVZX/MOVSX Gv, Eb/Ew: a byte or word of memory into a wider register. */
		err = next(&c, &b);
		if (err)
			return err;
		if (b != 0xb6 && b != 0xb7 && b != 0xbe && b != 0xbf)
			return -EOPNOTSUPP;
		err = next(&c, &modrm);
		if (err)
			return err;
		if ((modrm >> 6) == 3)
			return -EOPNOTSUPP;
		insn.op = b >= 0xbe ? X86_LOAD_SX : X86_LOAD_ZX;
		insn.size = (b & 1) ? 2 : 1;
		insn.reg_size = (u8)op_size;
		insn.reg = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
		err = skip_memory_operand(&c, modrm, addr_size, long_mode, &insn);
		if (err)
			return err;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3: {
		u64 moffs;

		/* AL/rAX and a direct offset of the address size. */
		insn.size = (b & 1) ? op_size : 1;
		insn.op = (b & 2) ? X86_STORE : X86_LOAD;
		insn.reg = 0;
		err = next_signed(&c, addr_size, &moffs);
		if (err)
			return err;
		break;
	}
	default:
		return -EOPNOTSUPP;
	}
	/* LOCK is only legal on the XCHG (where it is implied anyway): #UD otherwise. */
	if (lock && insn.op != X86_XCHG)
		return -EOPNOTSUPP;
	if (!insn.reg_size)
		insn.reg_size = insn.size;
	insn.high_byte = insn.reg_size == 1 && !rex && insn.reg >= 4 && insn.reg < 8 &&
			 insn.op != X86_STORE_IMM;
	if (insn.high_byte)
		insn.reg -= 4;
	insn.len = (u8)c.n;
	*out = insn;
	return 0;
}

int x86_decode_cr_write(const u8 *bytes, unsigned int avail, unsigned int bits,
			struct x86_cr_insn *out)
{
	struct cursor c = { .p = bytes, .avail = avail };
	struct x86_cr_insn insn = { 0 };
	bool long_mode = bits == 64, lock = false;
	unsigned int rex = 0;
	u8 b, modrm;
	int err;

	if (bits != 16 && bits != 32 && bits != 64)
		return -EOPNOTSUPP;
	for (;;) {
		err = next(&c, &b);
		if (err)
			return err;
		if (is_legacy_prefix(b)) {
			lock |= b == PFX_LOCK;
			rex = 0;
			continue;
		}
		if (long_mode && (b & 0xf0) == 0x40) {
			rex = b;
			continue;
		}
		break;
	}
	if (b != 0x0f)
		return -EOPNOTSUPP;
	err = next(&c, &b);
	if (err)
		return err;
	switch (b) {
	case 0x06:
		insn.op = X86_CLTS;
		break;
	case 0x22:
		err = next(&c, &modrm);
		if (err)
			return err;
		/* SDM vol. 2, MOV--Move to/from Control Registers: mod is ignored. */
		insn.op = X86_MOV_TO_CR;
		insn.cr = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
		insn.gpr = (modrm & 7) | ((rex & REX_B) ? 8 : 0);
		/* APM vol. 3, MOV CRn: LOCK MOV CR0 is CR8 where CPUID says AltMovCr8. */
		if (lock && insn.cr == 0)
			insn.cr = 8;
		else if (lock)
			return -EOPNOTSUPP;
		break;
	case 0x01:
		err = next(&c, &modrm);
		if (err)
			return err;
		if (((modrm >> 3) & 7) != 6 || (modrm >> 6) != 3)
			return -EOPNOTSUPP;	/* not LMSW, or LMSW from memory */
		insn.op = X86_LMSW;
		insn.gpr = (modrm & 7) | ((rex & REX_B) ? 8 : 0);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (lock && insn.op != X86_MOV_TO_CR)
		return -EOPNOTSUPP;
	insn.len = (u8)c.n;
	*out = insn;
	return 0;
}
