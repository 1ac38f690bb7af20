// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the MMIO instruction decoder (vmm/core/insn_decode.c)
 * on guest-controlled bytes. The first byte picks the code size (16, 32,
 * 64); the rest are the bytes at RIP. Checks what an accepted decode
 * promises and that the result depends only on the instruction's bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "errno.h"
#include "insn_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int modes[] = { 16, 32, 64 };
	struct x86_insn insn, again;
	unsigned int bits, avail;
	int rc;

	if (size < 1)
		return 0;
	bits = modes[data[0] % 3];
	avail = size - 1 > 64 ? 64 : (unsigned int)(size - 1);
	rc = x86_decode_mmio(data + 1, avail, bits, &insn);
	if (rc == -EOPNOTSUPP)
		return 0;
	if (rc == -EFAULT) {
		if (avail >= X86_MAX_INSN_LEN)
			abort();		/* 15 bytes always decide */
		return 0;
	}
	if (rc != 0)
		abort();
	if (insn.len < 1 || insn.len > X86_MAX_INSN_LEN || insn.len > avail)
		abort();
	if (insn.size != 1 && insn.size != 2 && insn.size != 4 && insn.size != 8)
		abort();
	if (insn.reg > 15 || (insn.high_byte && (insn.reg > 3 || insn.size != 1)))
		abort();
	if (bits != 64 && (insn.reg > 7 || insn.size == 8 || insn.rip_relative))
		abort();
	if (insn.op != X86_STORE_IMM && insn.imm)
		abort();
	/* Exactly the instruction's bytes decode the same; one fewer does not. */
	if (x86_decode_mmio(data + 1, insn.len, bits, &again) || again.len != insn.len ||
	    again.op != insn.op || again.size != insn.size || again.reg != insn.reg ||
	    again.imm != insn.imm)
		abort();
	if (x86_decode_mmio(data + 1, insn.len - 1u, bits, &again) != -EFAULT)
		abort();
	return 0;
}
