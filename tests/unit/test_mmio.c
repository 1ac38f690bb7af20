// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO emulation (vmm/core/mmio.c) end to end against the vLAPIC's xAPIC
 * page: instruction bytes fetched at RIP through the guest's page tables
 * (or CS.base + EIP/IP without paging), decoded, the access done, the
 * register operand written with x86's width rules, RIP moved on; and what
 * it refuses: bytes it cannot fetch or decode, pages no device decodes.
 */
#include "test_xen_fakes.h"
#include "errno.h"
#include "mmio.h"
#include "vlapic.h"

#define P		1ull
#define RW		2ull
#define APIC		0xfee00000ull
#define CODE_VA		0xffff888000001000ull	/* -> 0x7000; the next page -> 0x9000 */

static void put64(u64 gpa, u64 v) { memcpy(fake_ram + gpa, &v, 8); }

static u32 mmio_rd(u32 off)
{
	return (u32)vlapic_mmio_read(fv, APIC + off, 4);
}

/* Long mode paging, the vLAPIC in xAPIC mode (as after Linux's nox2apic). */
static int setup(void **state)
{
	fake_setup(state);
	fake_cr[0] = 1ull | (1ull << 31) | (1ull << 16);
	fake_cr[4] = 1u << 5;
	fake_efer = (1u << 10) | (1u << 8);
	fake_cr[3] = 0x1000;
	put64(0x1000 + 273 * 8, 0x2000 | P | RW);
	put64(0x2000, 0x3000 | P | RW);
	put64(0x3000, 0x4000 | P | RW);
	put64(0x4000 + 1 * 8, 0x7000 | P);
	put64(0x4000 + 2 * 8, 0x9000 | P);
	vlapic_init(fv);
	assert_int_equal(vlapic_wrmsr(fv, 0x1b, APIC), 0);
	assert_int_equal(vlapic_wrmsr(fv, 0x1b, APIC | (1u << 11)), 0);
	vlapic_mmio_write(fv, APIC + 0xf0, 4, 0x1ff);
	return 0;
}

/* Place @n bytes at CODE_VA + @off (guest-physical 0x7000 + off) and point RIP there. */
static void code(unsigned int off, const u8 *b, unsigned int n)
{
	memset(fake_ram + 0x7000, 0x90, 0x1000);
	memcpy(fake_ram + 0x7000 + off, b, n);
	fake_regs[REG_RIP] = CODE_VA + off;
}

#define CODE(off, ...) code(off, (const u8[]){ __VA_ARGS__ }, sizeof((u8[]){ __VA_ARGS__ }))

static void test_linux_read_write(void **state)
{
	(void)state;
	/* native_apic_mem_read: mov -0xa03000(%rdi),%eax; the fault names 0xfee00030. */
	CODE(0x100, 0x8b, 0x87, 0x00, 0xd0, 0x5f, 0xff);
	fake_regs[REG_RAX] = ~0ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), 0);
	assert_int_equal(fake_regs[REG_RAX], 0x50014);	/* zero-extended */
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x106);
	/* native_apic_mem_write: mov %esi,-0xa03000(%rdi) */
	CODE(0x200, 0x89, 0xb7, 0x00, 0xd0, 0x5f, 0xff);
	fake_regs[REG_RSI] = 0xffffffff00000020ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(mmio_rd(0x80), 0x20);
	assert_int_equal(fake_regs[REG_RSI], 0xffffffff00000020ull);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x206);
	/* The 11AP erratum form: xchg %edi,0xffffffffff5fd080 (TPR). */
	CODE(0x300, 0x87, 0x3c, 0x25, 0x80, 0xd0, 0x5f, 0xff);
	fake_regs[REG_RDI] = 0x40;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(mmio_rd(0x80), 0x40);
	assert_int_equal(fake_regs[REG_RDI], 0x20);	/* the old value */
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x307);
	assert_int_equal(fake_log_lines, 0);
}

static void test_self_ipi_and_eoi(void **state)
{
	(void)state;
	/* movl $0,0x310(%rbx): ICR high; movl $0x4041,0x300(%rbx): send 0x41; r9 EOI. */
	CODE(0, 0xc7, 0x83, 0x10, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(mmio_emulate(fv, APIC + 0x310), 0);
	CODE(0, 0xc7, 0x83, 0x00, 0x03, 0x00, 0x00, 0x41, 0x40, 0x00, 0x00);
	assert_int_equal(mmio_emulate(fv, APIC + 0x300), 0);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 10);
	assert_int_equal(vlapic_pending(fv), 0x41);
	vlapic_accept(fv, 0x41);
	/* mov 0x120(%r12),%r9d: ISR 2 holds vectors 0x40-0x5f. */
	CODE(0, 0x45, 0x8b, 0x8c, 0x24, 0x20, 0x01, 0x00, 0x00);
	fake_regs[REG_R9] = ~0ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x120), 0);
	assert_int_equal(fake_regs[REG_R9], 2);
	/* mov %r8d,0xb0(%rip): EOI, RIP-relative. */
	CODE(0x40, 0x44, 0x89, 0x05, 0xb0, 0x00, 0xe0, 0x7f);
	assert_int_equal(mmio_emulate(fv, APIC + 0xb0), 0);
	assert_int_equal(mmio_rd(0x120), 0);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x47);
}

static void test_operand_widths(void **state)
{
	(void)state;
	vlapic_mmio_write(fv, APIC + 0x80, 4, 0x33);
	/* mov 0x80(%rbx),%ah (size 1: reads 0, only AH changes). */
	CODE(0, 0x8a, 0xa3, 0x80, 0x00, 0x00, 0x00);
	fake_regs[REG_RAX] = 0x1122334455667788ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(fake_regs[REG_RAX], 0x1122334455660088ull);
	/* mov 0x80(%rbx),%ax: only AX. */
	CODE(0, 0x66, 0x8b, 0x83, 0x80, 0x00, 0x00, 0x00);
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(fake_regs[REG_RAX], 0x1122334455660000ull);
	/* mov 0x80(%rbx),%r10b: only R10B. */
	CODE(0, 0x44, 0x8a, 0x93, 0x80, 0x00, 0x00, 0x00);
	fake_regs[REG_R10] = 0xffffull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(fake_regs[REG_R10], 0xff00ull);
	/* mov 0x80(%rbx),%rax: 64-bit, not a register access: 0. */
	CODE(0, 0x48, 0x8b, 0x83, 0x80, 0x00, 0x00, 0x00);
	fake_regs[REG_RAX] = ~0ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(fake_regs[REG_RAX], 0);
	/* None of those touched the TPR; one log line for all of them. */
	assert_int_equal(mmio_rd(0x80), 0x33);
	assert_int_equal(fake_log_lines, 1);
	/* mov %bh,0x80(%rax): a byte store, dropped. */
	CODE(0, 0x88, 0xb8, 0x80, 0x00, 0x00, 0x00);
	fake_regs[REG_RBX] = 0x7700;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(mmio_rd(0x80), 0x33);
}

static void test_32bit_code(void **state)
{
	(void)state;
	/* Protected mode, paging off, CS.base 0x10000: EIP 0x2000 is at 0x12000. */
	fake_cr[0] = 1;
	fake_efer = 0;
	fake_code_bits = 32;
	fake_cs_base = 0x10000;
	/* mov 0xfee00020,%eax (A1 moffs32) */
	memcpy(fake_ram + 0x12000, (const u8[]){ 0xa1, 0x20, 0x00, 0xe0, 0xfe }, 5);
	fake_regs[REG_RIP] = 0x2000;
	fake_regs[REG_RAX] = ~0ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x20), 0);
	assert_int_equal(fake_regs[REG_RAX], 0);		/* ID 0 */
	assert_int_equal(fake_regs[REG_RIP], 0x2005);
	/* EIP wraps at 4 GiB: EIP 0xfffffffb + CS.base 0x10000 = linear 0xfffb. */
	memcpy(fake_ram + 0xfffb, (const u8[]){ 0xa3, 0x80, 0x00, 0xe0, 0xfe }, 5);
	fake_regs[REG_RIP] = 0xfffffffbull;
	fake_regs[REG_RAX] = 0x50;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(mmio_rd(0x80), 0x50);
	assert_int_equal(fake_regs[REG_RIP], 0);
	/* 16-bit code: CS.base 0x1000 (real-mode segment 0x100), IP 0x10; mov %eax,(%bx). */
	fake_code_bits = 16;
	fake_cs_base = 0x1000;
	memcpy(fake_ram + 0x1010, (const u8[]){ 0x66, 0x89, 0x07 }, 3);
	fake_regs[REG_RIP] = 0x10;
	fake_regs[REG_RAX] = 0x60;
	assert_int_equal(mmio_emulate(fv, APIC + 0x80), 0);
	assert_int_equal(mmio_rd(0x80), 0x60);
	assert_int_equal(fake_regs[REG_RIP], 0x13);
}

static void test_fetch_across_pages(void **state)
{
	(void)state;
	/* mov 0x20(%rbx),%edx split over two linear pages, frames 0x7000 and 0x9000. */
	memset(fake_ram + 0x7000, 0x90, 0x1000);
	fake_ram[0x7ffe] = 0x8b;
	fake_ram[0x7fff] = 0x53;
	fake_ram[0x9000] = 0x30;
	fake_regs[REG_RIP] = CODE_VA + 0xffe;
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), 0);
	assert_int_equal(fake_regs[REG_RDX], 0x50014);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x1001);
	/* The second page unmapped: truncated, nothing done. */
	put64(0x4000 + 2 * 8, 0);
	fake_regs[REG_RIP] = CODE_VA + 0xffe;
	fake_regs[REG_RDX] = 7;
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), -EFAULT);
	assert_int_equal(fake_regs[REG_RDX], 7);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0xffe);
	assert_non_null(strstr(fake_log, "cannot fetch the instruction"));
	assert_non_null(strstr(fake_log, ": 8b 53\n"));
}

static void test_refused(void **state)
{
	(void)state;
	/* testb $1,0x30(%rbx): not emulated; logged with its bytes, RIP unchanged. */
	CODE(0x10, 0xf6, 0x43, 0x30, 0x01);
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), -EOPNOTSUPP);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 0x10);
	assert_non_null(strstr(fake_log, "xAPIC access at fee00030: cannot emulate the instruction"
				   " at rip ffff888000001010 (64-bit code): f6 43 30 01 90"));
	/* RIP on a page that is not mapped at all. */
	fake_log[0] = 0;
	fake_regs[REG_RIP] = CODE_VA + 0x5000;
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), -EFAULT);
	assert_non_null(strstr(fake_log, "cannot fetch the instruction at rip ffff888000006000"
				   " (64-bit code): no bytes"));
	/* Non-canonical RIP. */
	fake_regs[REG_RIP] = 0x0000900000000000ull;
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), -EFAULT);
}

/*
 * Where no device is (the IOAPIC and HPET a PVH guest does not get, the
 * APIC page in x2APIC mode): reads are all ones, writes dropped, one log
 * line per page, as on Xen.
 */
static void test_nothing_there(void **state)
{
	(void)state;
	fake_log[0] = 0;
	fake_log_lines = 0;
	/* mov (%rbx),%eax */
	CODE(0, 0x8b, 0x03);
	fake_regs[REG_RAX] = 0x1234;
	assert_int_equal(mmio_emulate(fv, 0xfed00000ull), 0);
	assert_int_equal(fake_regs[REG_RAX], 0xffffffffull);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 2);
	assert_int_equal(fake_log_lines, 1);
	assert_non_null(strstr(fake_log, "read at fed00000, nothing there: reads are all ones"));
	/* The same page again: not logged again. */
	CODE(0, 0x8b, 0x03);
	assert_int_equal(mmio_emulate(fv, 0xfed000f0ull), 0);
	assert_int_equal(fake_log_lines, 1);
	/* mov %eax,(%rbx): dropped, logged for the new page, RIP moves on. */
	CODE(0, 0x89, 0x03);
	assert_int_equal(mmio_emulate(fv, 0xfec00000ull), 0);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 2);
	assert_int_equal(fake_log_lines, 2);
	assert_non_null(strstr(fake_log, "write at fec00000, nothing there"));
	/* A byte load into AL keeps the rest of RAX: mov (%rbx),%al */
	CODE(0, 0x8a, 0x03);
	fake_regs[REG_RAX] = 0x1200;
	assert_int_equal(mmio_emulate(fv, APIC + 0x1000), 0);
	assert_int_equal(fake_regs[REG_RAX], 0x12ffull);
	/* movzbl (%rbx),%eax and movsbl (%rbx),%eax: the byte extended. */
	CODE(0, 0x0f, 0xb6, 0x03);
	fake_regs[REG_RAX] = ~0ull;
	assert_int_equal(mmio_emulate(fv, 0xfed00000ull), 0);
	assert_int_equal(fake_regs[REG_RAX], 0xffull);
	assert_int_equal(fake_regs[REG_RIP], CODE_VA + 3);
	CODE(0, 0x0f, 0xbe, 0x03);
	assert_int_equal(mmio_emulate(fv, 0xfed00000ull), 0);
	assert_int_equal(fake_regs[REG_RAX], 0xffffffffull);
	/* In x2APIC mode the APIC page is not decoded: nothing there either. */
	assert_int_equal(vlapic_wrmsr(fv, 0x1b, APIC | (3u << 10)), 0);
	CODE(0, 0x8b, 0x03);
	assert_int_equal(mmio_emulate(fv, APIC + 0x30), 0);
	assert_int_equal(fake_regs[REG_RAX], 0xffffffffull);
	/* After DOMAIN_UNBACKED_LOGGED pages, one line says the rest go unlogged. */
	fake_log_lines = 0;
	for (unsigned int i = 0; i < DOMAIN_UNBACKED_LOGGED + 4; i++) {
		CODE(0, 0x8b, 0x03);
		assert_int_equal(mmio_emulate(fv, 0x100000000ull + i * 4096ull), 0);
	}
	assert_int_equal(fake_log_lines, DOMAIN_UNBACKED_LOGGED - 4 + 1);	/* 4 pages logged above */
	assert_non_null(strstr(fake_log, "more pages with nothing behind them: not logged"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linux_read_write, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_nothing_there, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_self_ipi_and_eoi, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_operand_widths, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_32bit_code, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fetch_across_pages, setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, fake_teardown),
	};

	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
