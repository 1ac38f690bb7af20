// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest page-table walk (vmm/include/guest_walk.h), after the paging
 * chapters of the AMD APM vol. 2 (5.2-5.4) and Intel SDM vol. 3 (4.3-4.5).
 * Tables are read with copy_from_guest, so a guest can only point the walk
 * at its own memory.
 */
#include "errno.h"
#include "guest_walk.h"
#include "insn_decode.h"
#include "lib.h"
#include "vcpu_regs.h"

#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)
#define EFER_LMA	(1ull << 10)

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR	0x000ffffffffff000ull	/* bits 51:12 */

static int read_entry(struct domain *d, u64 gpa, unsigned int size, u64 *e)
{
	u32 e32;

	if (size == 4) {
		if (copy_from_guest(d, &e32, gpa, 4))
			return -EFAULT;
		*e = e32;
		return 0;
	}
	return copy_from_guest(d, e, gpa, 8) ? -EFAULT : 0;
}

/* One level: the entry must be present (and writable if that is asked). */
static int check_entry(u64 e, bool need_rw)
{
	if (!(e & PTE_P))
		return -EFAULT;
	if (need_rw && !(e & PTE_RW))
		return -EFAULT;
	return 0;
}

/* 32-bit paging without PAE: 10 + 10 + 12 bits, 4-byte entries. */
static int walk_2level(struct vcpu *v, u32 la, bool need_rw, bool pse, u64 cr3, u64 *gpa)
{
	struct domain *d = v->domain;
	u64 pde, pte;

	if (read_entry(d, (cr3 & 0xfffff000u) + ((la >> 22) & 0x3ff) * 4, 4, &pde) ||
	    check_entry(pde, need_rw))
		return -EFAULT;
	if (pse && (pde & PTE_PS)) {
		/* 4 MiB page; PSE-36 puts physical bits 39:32 in PDE bits 20:13. */
		u64 base = (pde & 0xffc00000u) | (((pde >> 13) & 0xff) << 32);

		*gpa = base | (la & 0x3fffff);
		return 0;
	}
	if (read_entry(d, (pde & 0xfffff000u) + ((la >> 12) & 0x3ff) * 4, 4, &pte) ||
	    check_entry(pte, need_rw))
		return -EFAULT;
	*gpa = (pte & 0xfffff000u) | (la & 0xfff);
	return 0;
}

/*
 * PAE and long mode: 8-byte entries, 9 bits a level. @levels is 3 (PAE:
 * the top level is the 4-entry PDPT, which has no R/W bit), 4 or 5.
 */
static int walk_pae(struct vcpu *v, u64 la, bool need_rw, unsigned int levels, u64 cr3, u64 *gpa)
{
	struct domain *d = v->domain;
	u64 table, e = 0;

	table = levels == 3 ? (cr3 & 0xffffffe0u) : (cr3 & PTE_ADDR);
	for (unsigned int lvl = levels; lvl >= 1; lvl--) {
		unsigned int shift = 12 + 9 * (lvl - 1);
		u64 idx = (la >> shift) & (levels == 3 && lvl == 3 ? 3 : 511);
		bool pdpte = levels == 3 && lvl == 3;

		if (read_entry(d, table + idx * 8, 8, &e) ||
		    check_entry(e, need_rw && !pdpte))
			return -EFAULT;
		/* Large pages: 1 GiB at level 3 (long mode only), 2 MiB at level 2. */
		if ((lvl == 2 || (lvl == 3 && levels >= 4)) && (e & PTE_PS)) {
			u64 mask = (1ull << shift) - 1;

			*gpa = (e & PTE_ADDR & ~mask) | (la & mask);
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = (e & PTE_ADDR) | (la & 0xfff);
	return 0;
}

int guest_linear_to_gpa(struct vcpu *v, u64 la, bool write, u64 *gpa)
{
	u64 cr0 = vcpu_cr(v, 0), cr3 = vcpu_cr(v, 3), cr4 = vcpu_cr(v, 4);
	bool need_rw = write && (cr0 & CR0_WP);

	if (!(cr0 & CR0_PG)) {
		*gpa = (u32)la;
		return 0;
	}
	if (vcpu_efer(v) & EFER_LMA) {
		unsigned int bits = (cr4 & CR4_LA57) ? 57 : 48;
		s64 sx = (s64)(la << (64 - bits)) >> (64 - bits);

		if ((u64)sx != la)
			return -EFAULT;		/* non-canonical */
		return walk_pae(v, la, need_rw, bits == 57 ? 5 : 4, cr3, gpa);
	}
	if (cr4 & CR4_PAE)
		return walk_pae(v, (u32)la, need_rw, 3, cr3, gpa);
	return walk_2level(v, (u32)la, need_rw, cr4 & CR4_PSE, cr3, gpa);
}

/* IP truncated to the code size; outside 64-bit code linear = CS.base + IP, 32 bits. */
static u64 ip_of(u64 rip, unsigned int bits)
{
	return bits == 64 ? rip : bits == 32 ? (u32)rip : (u16)rip;
}

unsigned int guest_fetch_insn(struct vcpu *v, u8 *buf)
{
	unsigned int bits = vcpu_code_bits(v);
	u64 la = ip_of(vcpu_reg_get(v, REG_RIP), bits);
	unsigned int n = 0;

	if (bits != 64)
		la = (u32)(vcpu_cs_base(v) + la);
	while (n < X86_MAX_INSN_LEN) {
		unsigned int left_in_page = (unsigned int)(PAGE_SIZE - (la & (PAGE_SIZE - 1)));
		unsigned int chunk = MIN(X86_MAX_INSN_LEN - n, left_in_page);
		u64 gpa;

		if (guest_linear_to_gpa(v, la, false, &gpa) ||
		    copy_from_guest(v->domain, buf + n, gpa, chunk))
			break;
		n += chunk;
		la += chunk;
		if (bits != 64)
			la = (u32)la;
	}
	return n;
}
