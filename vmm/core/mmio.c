// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO emulation (vmm/include/mmio.h). SVM as QEMU emulates it has neither
 * decode assists (APM vol. 2, 15.33) nor NRIP save (15.7.1), so a nested
 * page fault says only which guest-physical address faulted (EXITINFO2,
 * 15.25.6): the instruction is fetched from the guest's RIP through its own
 * page tables and decoded here (vmm/core/insn_decode.c), for any vendor.
 */
#include "errno.h"
#include "guest_walk.h"
#include "insn_decode.h"
#include "lib.h"
#include "log.h"
#include "mmio.h"
#include "vcpu_regs.h"
#include "vlapic.h"

struct mmio_device {
	const char *name;
	bool (*covers)(struct vcpu *v, u64 gpa);
	u64 (*read)(struct vcpu *v, u64 gpa, unsigned int size);
	void (*write)(struct vcpu *v, u64 gpa, unsigned int size, u64 val);
};

/* Adding a device is one line. */
static const struct mmio_device mmio_devices[] = {
	{ "xAPIC", vlapic_mmio_covers, vlapic_mmio_read, vlapic_mmio_write },
};

/*
 * Where nothing is emulated (no HPET, IOAPIC or PIT for PVH, and any other
 * guest-physical address outside its memory), Xen 4.17 completes the
 * access itself: reads are all ones, writes go nowhere (its null ioreq
 * handler, xen/arch/x86/hvm/intercept.c). The same here, with one log
 * line per domain and page.
 */
static void unbacked_note(struct vcpu *v, u64 gpa, bool write)
{
	struct domain *d = v->domain;
	u64 page = gpa & ~(u64)(PAGE_SIZE - 1);
	unsigned int n = READ_ONCE(d->nr_unbacked_logged);

	/* A log-only list: a race between vCPUs costs at most a second line. */
	for (unsigned int i = 0; i < n && i < DOMAIN_UNBACKED_LOGGED; i++)
		if (d->unbacked_logged[i] == page)
			return;
	if (n > DOMAIN_UNBACKED_LOGGED)
		return;
	WRITE_ONCE(d->nr_unbacked_logged, n + 1);
	if (n == DOMAIN_UNBACKED_LOGGED) {
		pr_info("d%u: more pages with nothing behind them: not logged\n", d->id);
		return;
	}
	d->unbacked_logged[n] = page;
	pr_info("d%u v%u: %s at %llx, nothing there: reads are all ones, writes are dropped\n",
		d->id, v->id, write ? "write" : "read", gpa);
}

static u64 unbacked_read(struct vcpu *v, u64 gpa, unsigned int size)
{
	(void)size;
	unbacked_note(v, gpa, false);
	return ~0ull;
}

static void unbacked_write(struct vcpu *v, u64 gpa, unsigned int size, u64 val)
{
	(void)size;
	(void)val;
	unbacked_note(v, gpa, true);
}

static const struct mmio_device unbacked = {
	"unbacked", NULL, unbacked_read, unbacked_write,
};

static const struct mmio_device *find_device(struct vcpu *v, u64 gpa)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(mmio_devices); i++)
		if (mmio_devices[i].covers(v, gpa))
			return &mmio_devices[i];
	return &unbacked;
}

/* The register operand's value at the access size (AH..BH: bits 15:8). */
static u64 get_operand(struct vcpu *v, const struct x86_insn *insn)
{
	u64 r = vcpu_reg_get(v, vcpu_reg_by_number(insn->reg));

	if (insn->high_byte)
		return (r >> 8) & 0xff;
	return insn->size == 8 ? r : r & ((1ull << (8 * insn->size)) - 1);
}

/*
 * Write a loaded value to the register operand: 8- and 16-bit results
 * leave the rest of the register alone, 32-bit ones zero-extend to 64
 * bits (SDM vol. 1, 3.4.1.1).
 */
static void set_operand(struct vcpu *v, const struct x86_insn *insn, u64 val)
{
	enum vcpu_reg r = vcpu_reg_by_number(insn->reg);
	u64 old = vcpu_reg_get(v, r);

	switch (insn->reg_size) {
	case 1:
		if (insn->high_byte)
			val = (old & ~0xff00ull) | ((val & 0xff) << 8);
		else
			val = (old & ~0xffull) | (val & 0xff);
		break;
	case 2:
		val = (old & ~0xffffull) | (val & 0xffff);
		break;
	case 4:
		val = (u32)val;
		break;
	}
	vcpu_reg_set(v, r, val);
}

static void log_failure(struct vcpu *v, const struct mmio_device *dev, u64 gpa,
			unsigned int bits, const u8 *bytes, unsigned int n, int err)
{
	char hex[3 * X86_MAX_INSN_LEN + 1] = "";

	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x", bytes[i]);
	pr_info("d%u v%u: %s access at %llx: %s at rip %llx (%u-bit code):%s\n",
		v->domain->id, v->id, dev->name, gpa,
		err == -EFAULT ? "cannot fetch the instruction" : "cannot emulate the instruction",
		vcpu_reg_get(v, REG_RIP), bits, n ? hex : " no bytes");
}

int mmio_emulate(struct vcpu *v, u64 gpa)
{
	const struct mmio_device *dev = find_device(v, gpa);
	unsigned int bits, n;
	struct x86_insn insn;
	u8 bytes[X86_MAX_INSN_LEN];
	u64 rip, old, val;
	int err;

	bits = vcpu_code_bits(v);
	n = guest_fetch_insn(v, bytes);
	err = x86_decode_mmio(bytes, n, bits, &insn);
	if (err) {
		log_failure(v, dev, gpa, bits, bytes, n, err);
		return err;
	}
	switch (insn.op) {
	case X86_LOAD:
		set_operand(v, &insn, dev->read(v, gpa, insn.size));
		break;
	case X86_LOAD_ZX:
	case X86_LOAD_SX:
		val = dev->read(v, gpa, insn.size) & ((1ull << (8 * insn.size)) - 1);
		if (insn.op == X86_LOAD_SX && (val & BIT(8 * insn.size - 1)))
			val |= ~0ull << (8 * insn.size);
		set_operand(v, &insn, val);
		break;
	case X86_STORE:
		dev->write(v, gpa, insn.size, get_operand(v, &insn));
		break;
	case X86_STORE_IMM:
		dev->write(v, gpa, insn.size, insn.imm);
		break;
	case X86_XCHG:
		old = dev->read(v, gpa, insn.size);
		dev->write(v, gpa, insn.size, get_operand(v, &insn));
		set_operand(v, &insn, old);
		break;
	}
	/* The instruction retired: RIP past it, wrapping as the code size does. */
	rip = vcpu_reg_get(v, REG_RIP);
	if (bits == 64)
		rip += insn.len;
	else if (bits == 32)
		rip = (u32)(rip + insn.len);
	else
		rip = (rip & ~0xffffull) | (u16)(rip + insn.len);
	vcpu_reg_set(v, REG_RIP, rip);
	return 0;
}
