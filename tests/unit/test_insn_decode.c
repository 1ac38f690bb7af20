// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMIO instruction decoder (vmm/core/insn_decode.c). The byte strings
 * are what GNU as emits for the instruction in each comment (64-, 32- and
 * 16-bit code), including the exact forms Debian's 6.1 kernel uses for
 * native_apic_mem_read/write (found by disassembling its vmlinux).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "errno.h"
#include "insn_decode.h"

#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RSP 4
#define RBP 5
#define RSI 6
#define RDI 7
#define R8  8
#define R9  9
#define R10 10
#define R11 11
#define R15 15

struct vec {
	const char *what;
	unsigned int bits;
	u8 bytes[16];
	unsigned int nbytes;
	enum x86_insn_op op;
	unsigned int len, size, reg;
	bool high, rip;
	u64 imm;
};

#define B(...)	{ __VA_ARGS__ }, sizeof((u8[]){ __VA_ARGS__ })

static const struct vec good[] = {
	/* 64-bit: what Linux compiles the xAPIC accessors to. */
	{ "mov -0xa03000(%rdi),%eax", 64, B(0x8b, 0x87, 0x00, 0xd0, 0x5f, 0xff), X86_LOAD, 6, 4, RAX },
	{ "mov %esi,-0xa03000(%rdi)", 64, B(0x89, 0xb7, 0x00, 0xd0, 0x5f, 0xff), X86_STORE, 6, 4, RSI },
	{ "mov 0xffffffffff5fd300,%eax", 64, B(0x8b, 0x04, 0x25, 0x00, 0xd3, 0x5f, 0xff), X86_LOAD, 7, 4, RAX },
	{ "mov %edi,0xffffffffff5fd300", 64, B(0x89, 0x3c, 0x25, 0x00, 0xd3, 0x5f, 0xff), X86_STORE, 7, 4, RDI },
	{ "xchg %esi,-0xa03000(%rdi)", 64, B(0x87, 0xb7, 0x00, 0xd0, 0x5f, 0xff), X86_XCHG, 6, 4, RSI },
	{ "xchg %edi,0xffffffffff5fd300", 64, B(0x87, 0x3c, 0x25, 0x00, 0xd3, 0x5f, 0xff), X86_XCHG, 7, 4, RDI },
	/* 64-bit: ModRM forms, SIB, disp8/disp32, REX.R/X/B, RIP-relative. */
	{ "mov %eax,(%rbx)", 64, B(0x89, 0x03), X86_STORE, 2, 4, RAX },
	{ "mov (%rbx),%ecx", 64, B(0x8b, 0x0b), X86_LOAD, 2, 4, RCX },
	{ "mov 0x20(%rbx),%edx", 64, B(0x8b, 0x53, 0x20), X86_LOAD, 3, 4, RDX },
	{ "mov %r9d,0x300(%r12)", 64, B(0x45, 0x89, 0x8c, 0x24, 0x00, 0x03, 0x00, 0x00), X86_STORE, 8, 4, R9 },
	{ "mov 0x10(%r13,%r14,8),%r15d", 64, B(0x47, 0x8b, 0x7c, 0xf5, 0x10), X86_LOAD, 5, 4, R15 },
	{ "mov 0x7fe00030(%rip),%eax", 64, B(0x8b, 0x05, 0x30, 0x00, 0xe0, 0x7f), X86_LOAD, 6, 4, RAX, .rip = true },
	{ "mov %r8d,0x7fe000b0(%rip)", 64, B(0x44, 0x89, 0x05, 0xb0, 0x00, 0xe0, 0x7f), X86_STORE, 7, 4, R8, .rip = true },
	{ "mov 0x20(%eip),%ecx", 64, B(0x67, 0x8b, 0x0d, 0x20, 0x00, 0x00, 0x00), X86_LOAD, 7, 4, RCX, .rip = true },
	{ "addr32 mov (%eax),%ecx", 64, B(0x67, 0x8b, 0x08), X86_LOAD, 3, 4, RCX },
	{ "mov 0x20(%eax),%ecx", 64, B(0x67, 0x8b, 0x48, 0x20), X86_LOAD, 4, 4, RCX },
	{ "mov %fs:0x10(%rax),%eax", 64, B(0x64, 0x8b, 0x40, 0x10), X86_LOAD, 4, 4, RAX },
	{ "rep mov %eax,(%rbx) (F3 ignored)", 64, B(0xf3, 0x89, 0x03), X86_STORE, 3, 4, RAX },
	/* 64-bit: immediates. */
	{ "movl $0x12345678,0xb0(%rax)", 64, B(0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12),
	  X86_STORE_IMM, 10, 4, 0, .imm = 0x12345678 },
	{ "movl $0,0x300(%rip)", 64, B(0xc7, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
	  X86_STORE_IMM, 10, 4, 0, .rip = true, .imm = 0 },
	{ "movl $0x80000000,(%rax)", 64, B(0xc7, 0x00, 0x00, 0x00, 0x00, 0x80), X86_STORE_IMM, 6, 4, 0, .imm = 0x80000000u },
	{ "movq $-1,0x10(%rax)", 64, B(0x48, 0xc7, 0x40, 0x10, 0xff, 0xff, 0xff, 0xff), X86_STORE_IMM, 8, 8, 0, .imm = ~0ull },
	{ "movw $0x1234,0x10(%rax)", 64, B(0x66, 0xc7, 0x40, 0x10, 0x34, 0x12), X86_STORE_IMM, 6, 2, 0, .imm = 0x1234 },
	{ "movb $0x5a,0x10(%rax)", 64, B(0xc6, 0x40, 0x10, 0x5a), X86_STORE_IMM, 4, 1, 0, .imm = 0x5a },
	/* 64-bit: operand sizes and byte registers. */
	{ "mov %ax,0x10(%rbx)", 64, B(0x66, 0x89, 0x43, 0x10), X86_STORE, 4, 2, RAX },
	{ "mov %rax,0x10(%rbx)", 64, B(0x48, 0x89, 0x43, 0x10), X86_STORE, 4, 8, RAX },
	{ "rex.W with 66: 64-bit", 64, B(0x66, 0x48, 0x89, 0x43, 0x10), X86_STORE, 5, 8, RAX },
	{ "REX then 66: REX dropped", 64, B(0x48, 0x66, 0x89, 0x43, 0x10), X86_STORE, 5, 2, RAX },
	{ "mov %ah,0x10(%rbx)", 64, B(0x88, 0x63, 0x10), X86_STORE, 3, 1, RAX, .high = true },
	{ "mov 0x10(%rbx),%bh", 64, B(0x8a, 0x7b, 0x10), X86_LOAD, 3, 1, RBX, .high = true },
	{ "mov %sil,0x10(%rbx)", 64, B(0x40, 0x88, 0x73, 0x10), X86_STORE, 4, 1, RSI },
	{ "mov 0x10(%rbx),%r10b", 64, B(0x44, 0x8a, 0x53, 0x10), X86_LOAD, 4, 1, R10 },
	{ "xchg %r11b,(%rax)", 64, B(0x44, 0x86, 0x18), X86_XCHG, 3, 1, R11 },
	{ "lock xchg %eax,(%rbx)", 64, B(0xf0, 0x87, 0x03), X86_XCHG, 3, 4, RAX },
	/* 64-bit: direct offsets are 8 bytes (movabs). */
	{ "movabs 0xfee00030,%eax", 64, B(0xa1, 0x30, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), X86_LOAD, 9, 4, RAX },
	{ "movabs %eax,0xfee000b0", 64, B(0xa3, 0xb0, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), X86_STORE, 9, 4, RAX },
	{ "movabs 0xfee00030,%al", 64, B(0xa0, 0x30, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), X86_LOAD, 9, 1, RAX },
	{ "addr32 movabs: 4-byte offset", 64, B(0x67, 0xa1, 0x30, 0x00, 0xe0, 0xfe), X86_LOAD, 6, 4, RAX },
	/* 32-bit protected mode: absolute addresses, SIB, 16-bit addressing. */
	{ "mov %eax,0xfee000b0", 32, B(0xa3, 0xb0, 0x00, 0xe0, 0xfe), X86_STORE, 5, 4, RAX },
	{ "mov 0xfee00030,%eax", 32, B(0xa1, 0x30, 0x00, 0xe0, 0xfe), X86_LOAD, 5, 4, RAX },
	{ "mov 0xfee00030,%al", 32, B(0xa0, 0x30, 0x00, 0xe0, 0xfe), X86_LOAD, 5, 1, RAX },
	{ "mov %ax,0xfee00080", 32, B(0x66, 0xa3, 0x80, 0x00, 0xe0, 0xfe), X86_STORE, 6, 2, RAX },
	{ "mov 0xfee00020,%ecx", 32, B(0x8b, 0x0d, 0x20, 0x00, 0xe0, 0xfe), X86_LOAD, 6, 4, RCX },
	{ "mov %edx,0xfee00300", 32, B(0x89, 0x15, 0x00, 0x03, 0xe0, 0xfe), X86_STORE, 6, 4, RDX },
	{ "movl $0,0xfee000b0", 32, B(0xc7, 0x05, 0xb0, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), X86_STORE_IMM, 10, 4, 0 },
	{ "mov 0x300(%ebx),%esi", 32, B(0x8b, 0xb3, 0x00, 0x03, 0x00, 0x00), X86_LOAD, 6, 4, RSI },
	{ "mov %edi,0x10(%ebx,%esi,4)", 32, B(0x89, 0x7c, 0xb3, 0x10), X86_STORE, 4, 4, RDI },
	{ "mov (%esp),%eax", 32, B(0x8b, 0x04, 0x24), X86_LOAD, 3, 4, RAX },
	{ "mov 0x10(%ebp),%eax", 32, B(0x8b, 0x45, 0x10), X86_LOAD, 3, 4, RAX },
	{ "mov 0xfee00000(,%ecx,1),%eax", 32, B(0x8b, 0x04, 0x0d, 0x00, 0x00, 0xe0, 0xfe), X86_LOAD, 7, 4, RAX },
	{ "xchg %eax,0xfee000b0", 32, B(0x87, 0x05, 0xb0, 0x00, 0xe0, 0xfe), X86_XCHG, 6, 4, RAX },
	{ "movb $1,(%eax)", 32, B(0xc6, 0x00, 0x01), X86_STORE_IMM, 3, 1, 0, .imm = 1 },
	{ "addr16 mov (%bx,%si),%eax", 32, B(0x67, 0x8b, 0x00), X86_LOAD, 3, 4, RAX },
	{ "addr16 mov 0x1234,%eax", 32, B(0x67, 0xa1, 0x34, 0x12), X86_LOAD, 4, 4, RAX },
	{ "addr16 mov 0x10(%bp),%eax", 32, B(0x67, 0x8b, 0x46, 0x10), X86_LOAD, 4, 4, RAX },
	{ "addr16 mov 0x1234,%ecx (modrm disp16)", 32, B(0x67, 0x8b, 0x0e, 0x34, 0x12), X86_LOAD, 5, 4, RCX },
	/* 16-bit code (real mode, or a 16-bit code segment). */
	{ "mov %ax,(%bx)", 16, B(0x89, 0x07), X86_STORE, 2, 2, RAX },
	{ "mov 0x1234,%ax", 16, B(0xa1, 0x34, 0x12), X86_LOAD, 3, 2, RAX },
	{ "mov 0x10(%bp,%di),%cx", 16, B(0x8b, 0x4b, 0x10), X86_LOAD, 3, 2, RCX },
	{ "mov 0x1234(%si),%dx", 16, B(0x8b, 0x94, 0x34, 0x12), X86_LOAD, 4, 2, RDX },
	{ "mov %eax,(%bx)", 16, B(0x66, 0x89, 0x07), X86_STORE, 3, 4, RAX },
	{ "movw $0x55aa,0x20(%bx)", 16, B(0xc7, 0x47, 0x20, 0xaa, 0x55), X86_STORE_IMM, 5, 2, 0, .imm = 0x55aa },
	{ "movl $0x12345678,(%bx)", 16, B(0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), X86_STORE_IMM, 7, 4, 0, .imm = 0x12345678 },
	{ "addr32 mov 0xfee00030,%eax", 16, B(0x67, 0x66, 0xa1, 0x30, 0x00, 0xe0, 0xfe), X86_LOAD, 7, 4, RAX },
	{ "mov 0x30,%al", 16, B(0xa0, 0x30, 0x00), X86_LOAD, 3, 1, RAX },
};

static void test_good_encodings(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct vec *t = &good[i];
		struct x86_insn insn;
		u8 buf[16];
		int rc;

		/* Trailing bytes that are not part of the instruction must not count. */
		memset(buf, 0x90, sizeof(buf));
		memcpy(buf, t->bytes, t->nbytes);
		rc = x86_decode_mmio(buf, sizeof(buf), t->bits, &insn);
		if (rc)
			fail_msg("%s: rc %d", t->what, rc);
		if (insn.len != t->len || insn.size != t->size || insn.op != t->op ||
		    insn.reg != t->reg || insn.high_byte != t->high ||
		    insn.rip_relative != t->rip ||
		    (t->op == X86_STORE_IMM && insn.imm != t->imm))
			fail_msg("%s: len %u size %u op %d reg %u high %d rip %d imm %llx",
				 t->what, insn.len, insn.size, insn.op, insn.reg,
				 insn.high_byte, insn.rip_relative, insn.imm);
		assert_int_equal(t->len, t->nbytes);	/* the table itself */
		/* Exactly the instruction's bytes are enough... */
		assert_int_equal(x86_decode_mmio(t->bytes, t->nbytes, t->bits, &insn), 0);
		/* ...and one fewer is not. */
		assert_int_equal(x86_decode_mmio(t->bytes, t->nbytes - 1, t->bits, &insn), -EFAULT);
	}
}

static void expect_unsupported(const char *what, unsigned int bits, const u8 *b, unsigned int n)
{
	struct x86_insn insn;
	int rc = x86_decode_mmio(b, n, bits, &insn);

	if (rc != -EOPNOTSUPP)
		fail_msg("%s: rc %d, expected -EOPNOTSUPP", what, rc);
}

#define UNSUPPORTED(what, bits, ...) \
	expect_unsupported(what, bits, (const u8[]){ __VA_ARGS__ }, sizeof((u8[]){ __VA_ARGS__ }))

static void test_bad_opcodes(void **state)
{
	(void)state;
	UNSUPPORTED("mov %eax,%ebx (register form)", 64, 0x89, 0xc3);
	UNSUPPORTED("mov %ebx,%eax", 32, 0x8b, 0xc3);
	UNSUPPORTED("xchg %eax,%ebx", 64, 0x87, 0xc3);
	UNSUPPORTED("c7 /1 is not MOV", 64, 0xc7, 0x48, 0x10, 0, 0, 0, 0);
	UNSUPPORTED("c6 f8 xabort", 64, 0xc6, 0xf8, 0x00);
	UNSUPPORTED("add %eax,(%rbx)", 64, 0x01, 0x03);
	UNSUPPORTED("testb $1,(%rbx)", 64, 0xf6, 0x03, 0x01);
	UNSUPPORTED("movzbl %bl,%eax: no memory", 64, 0x0f, 0xb6, 0xc3);
	UNSUPPORTED("bsf (%rbx),%eax", 64, 0x0f, 0xbc, 0x03);
	UNSUPPORTED("movs", 64, 0xa5);
	UNSUPPORTED("rep movs", 64, 0xf3, 0xa5);
	UNSUPPORTED("lock mov %eax,(%rbx)", 64, 0xf0, 0x89, 0x03);
	UNSUPPORTED("lock movl $0,(%rax)", 32, 0xf0, 0xc7, 0x00, 0, 0, 0, 0);
	/* In 32-bit code 0x48 is DEC %eax, not REX.W. */
	UNSUPPORTED("dec %eax; mov", 32, 0x48, 0x89, 0x03);
	UNSUPPORTED("vmovdqu (VEX)", 64, 0xc5, 0xfe, 0x6f, 0x03);
	UNSUPPORTED("bad mode", 8, 0x89, 0x03);
	/* 15 prefixes and an opcode: too long (#GP on hardware). */
	UNSUPPORTED("16 bytes", 64, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
		    0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x89, 0x03);
}

static void test_at_most_15_bytes(void **state)
{
	/* 11 prefixes + 89 84 24 disp32 = 18 bytes: too long even if all fetched. */
	static const u8 longer[] = { 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
				     0x3e, 0x89, 0x84, 0x24, 0, 0, 0, 0 };
	/* 8 prefixes + movl $0x03020100, 0x10(%rax) (7 bytes) = 15: fine; one more is not. */
	static const u8 fifteen[] = { 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
				      0xc7, 0x40, 0x10, 0, 1, 2, 3 };
	static const u8 sixteen[] = { 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
				      0xc7, 0x40, 0x10, 0, 1, 2, 3 };
	struct x86_insn insn;

	(void)state;
	assert_int_equal(x86_decode_mmio(longer, sizeof(longer), 64, &insn), -EOPNOTSUPP);
	assert_int_equal(x86_decode_mmio(fifteen, sizeof(fifteen), 64, &insn), 0);
	assert_int_equal(insn.len, 15);
	assert_int_equal(insn.imm, 0x03020100);
	assert_int_equal(x86_decode_mmio(sixteen, sizeof(sixteen), 64, &insn), -EOPNOTSUPP);
}

static void test_truncated(void **state)
{
	static const u8 insn_bytes[] = { 0x45, 0x89, 0x8c, 0x24, 0x00, 0x03, 0x00, 0x00 };
	struct x86_insn insn;

	(void)state;
	/* Nothing fetched, only prefixes, opcode without ModRM, ModRM without SIB/disp. */
	for (unsigned int n = 0; n < sizeof(insn_bytes); n++)
		assert_int_equal(x86_decode_mmio(insn_bytes, n, 64, &insn), -EFAULT);
	assert_int_equal(x86_decode_mmio(insn_bytes, sizeof(insn_bytes), 64, &insn), 0);
	/* An unknown opcode is unsupported even when bytes after it are missing. */
	assert_int_equal(x86_decode_mmio((const u8[]){ 0xf6 }, 1, 64, &insn), -EOPNOTSUPP);
	/* 0f is the escape of MOVZX/MOVSX: the next byte decides. */
	assert_int_equal(x86_decode_mmio((const u8[]){ 0x0f }, 1, 64, &insn), -EFAULT);
	assert_int_equal(x86_decode_mmio((const u8[]){ 0x0f, 0x05 }, 2, 64, &insn), -EOPNOTSUPP);
}

/* MOVZX/MOVSX from memory: the access size, and the register's wider size. */
static void test_movzx_movsx(void **state)
{
	static const struct {
		const char *what;
		unsigned int bits;
		u8 b[8];
		unsigned int n;
		enum x86_insn_op op;
		unsigned int len, size, reg_size, reg;
	} t[] = {
		{ "movzbl (%rsi),%esi", 64, { 0x0f, 0xb6, 0x36 }, 3, X86_LOAD_ZX, 3, 1, 4, RSI },
		{ "movzbl (%esi),%esi (addr32)", 64, { 0x67, 0x0f, 0xb6, 0x36 }, 4, X86_LOAD_ZX, 4, 1, 4, RSI },
		{ "movzwl 0x30(%rbx),%r9d", 64, { 0x44, 0x0f, 0xb7, 0x4b, 0x30 }, 5, X86_LOAD_ZX, 5, 2, 4, R9 },
		{ "movsbq (%rdi),%rax", 64, { 0x48, 0x0f, 0xbe, 0x07 }, 4, X86_LOAD_SX, 4, 1, 8, RAX },
		{ "movswl (%ecx),%eax", 32, { 0x0f, 0xbf, 0x01 }, 3, X86_LOAD_SX, 3, 2, 4, RAX },
		{ "movzbw (%ecx),%sp", 32, { 0x66, 0x0f, 0xb6, 0x21 }, 4, X86_LOAD_ZX, 4, 1, 2, RSP },
	};
	struct x86_insn insn;

	(void)state;
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (x86_decode_mmio(t[i].b, t[i].n, t[i].bits, &insn))
			fail_msg("%s: not decoded", t[i].what);
		if (insn.op != t[i].op || insn.len != t[i].len || insn.size != t[i].size ||
		    insn.reg_size != t[i].reg_size || insn.reg != t[i].reg || insn.high_byte)
			fail_msg("%s: op %d len %u size %u reg_size %u reg %u", t[i].what, insn.op,
				 insn.len, insn.size, insn.reg_size, insn.reg);
	}
}

/* Control register writes: what GNU as emits for each comment. */
struct cr_vec {
	const char *what;
	unsigned int bits;
	u8 bytes[16];
	unsigned int nbytes;
	enum x86_cr_op op;
	unsigned int len, cr, gpr;
};

static const struct cr_vec cr_good[] = {
	{ "mov %rax,%cr0", 64, B(0x0f, 0x22, 0xc0), X86_MOV_TO_CR, 3, 0, RAX },
	{ "mov %rdi,%cr4", 64, B(0x0f, 0x22, 0xe7), X86_MOV_TO_CR, 3, 4, RDI },
	{ "mov %r9,%cr4", 64, B(0x41, 0x0f, 0x22, 0xe1), X86_MOV_TO_CR, 4, 4, R9 },
	{ "mov %rax,%cr8", 64, B(0x44, 0x0f, 0x22, 0xc0), X86_MOV_TO_CR, 4, 8, RAX },
	{ "mov %eax,%cr0", 32, B(0x0f, 0x22, 0xc0), X86_MOV_TO_CR, 3, 0, RAX },
	{ "mov %ecx,%cr4", 32, B(0x0f, 0x22, 0xe1), X86_MOV_TO_CR, 3, 4, RCX },
	/* mod is ignored: 0x22 0x20 is still mov %eax,%cr4 (SDM) */
	{ "mov %eax,%cr4 (mod 00)", 32, B(0x0f, 0x22, 0x20), X86_MOV_TO_CR, 3, 4, RAX },
	{ "lock mov %eax,%cr0 = cr8", 32, B(0xf0, 0x0f, 0x22, 0xc0), X86_MOV_TO_CR, 4, 8, RAX },
	{ "clts", 64, B(0x0f, 0x06), X86_CLTS, 2, 0, 0 },
	{ "lmsw %ax", 16, B(0x0f, 0x01, 0xf0), X86_LMSW, 3, 0, RAX },
	{ "lmsw %r11w", 64, B(0x41, 0x0f, 0x01, 0xf3), X86_LMSW, 4, 0, R11 },
	/* In 32-bit code 0x41 is INC: not a CR write at all. */
};

static void test_cr_writes(void **state)
{
	struct x86_cr_insn insn;

	(void)state;
	for (unsigned int i = 0; i < sizeof(cr_good) / sizeof(cr_good[0]); i++) {
		const struct cr_vec *t = &cr_good[i];

		memset(&insn, 0xa5, sizeof(insn));
		if (x86_decode_cr_write(t->bytes, t->nbytes, t->bits, &insn))
			fail_msg("%s: not decoded", t->what);
		if (insn.op != t->op || insn.len != t->len ||
		    (t->op == X86_MOV_TO_CR && insn.cr != t->cr) ||
		    (t->op != X86_CLTS && insn.gpr != t->gpr))
			fail_msg("%s: op %d len %u cr %u gpr %u", t->what, insn.op, insn.len,
				 insn.cr, insn.gpr);
	}
}

static void test_cr_writes_refused(void **state)
{
	static const struct { const char *what; unsigned int bits; u8 b[4]; unsigned int n; } bad[] = {
		{ "lmsw (%eax): from memory", 32, { 0x0f, 0x01, 0x30 }, 3 },
		{ "smsw %eax (0f 01 /4)", 32, { 0x0f, 0x01, 0xe0 }, 3 },
		{ "mov %cr0,%eax (a read)", 32, { 0x0f, 0x20, 0xc0 }, 3 },
		{ "inc %ecx; mov..: 32-bit has no REX", 32, { 0x41, 0x0f, 0x22, 0xe1 }, 4 },
		{ "lock mov %eax,%cr4", 32, { 0xf0, 0x0f, 0x22, 0xe0 }, 4 },
		{ "nop", 64, { 0x90 }, 1 },
	};
	struct x86_cr_insn insn;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (x86_decode_cr_write(bad[i].b, bad[i].n, bad[i].bits, &insn) != -EOPNOTSUPP)
			fail_msg("%s: decoded", bad[i].what);
	/* Cut short: -EFAULT (the rest of the bytes could not be fetched). */
	assert_int_equal(x86_decode_cr_write((const u8 *)"\x0f\x22", 2, 64, &insn), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_encodings),
		cmocka_unit_test(test_bad_opcodes),
		cmocka_unit_test(test_at_most_15_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_movzx_movsx),
		cmocka_unit_test(test_cr_writes),
		cmocka_unit_test(test_cr_writes_refused),
	};

	return cmocka_run_group_tests_name("insn_decode", tests, NULL, NULL);
}
