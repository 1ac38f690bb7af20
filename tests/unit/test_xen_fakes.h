// SPDX-License-Identifier: GPL-2.0-only
/*
 * A fake domain and vCPU for the vmm/xen unit tests (test_xen_fakes.c):
 * guest RAM is a malloc'd buffer at guest-physical 0, registers are an
 * array, and everything vmm/core and the backend would do is recorded.
 */
#ifndef TEST_XEN_FAKES_H
#define TEST_XEN_FAKES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain.h"
#include "vcpu_regs.h"
#include "vmm.h"
#include "xen_abi.h"

#define FAKE_RAM_SIZE		(1u << 20)	/* guest RAM [0, 1 MiB) */
#define FAKE_BAD_GPA		0xfffff000ull	/* outside it */
#define FAKE_DOMID		3

extern struct domain *fd;		/* the fake domain */
extern struct vcpu *fv;			/* its vCPU 0 */
extern uint8_t *fake_ram;
extern u64 fake_regs[NR_VCPU_REGS];
extern unsigned int fake_cpl;
extern bool fake_64bit;
extern unsigned int fake_ud, fake_gp;

extern char fake_console[65536];	/* what domain_console_write got */
extern size_t fake_console_len;
/* vmm/core/domain_ram.c: frames given back and populated; -ENOMEM on demand. */
extern unsigned int fake_ram_unmaps, fake_ram_maps;
extern bool fake_ram_refuse;
/* RAM frames [0, ram_max), populated below ram_size (maxmem > memory). */
void fake_ram_set_max(struct domain *d, u64 ram_size, u64 ram_max);
extern u8 fake_extra_page[4096];		/* domain_map_extra_page's one page */
extern u64 fake_extra_gfn;
extern bool fake_extra_refuse;
extern char fake_debugcon[256];		/* what domain_debugcon_putc got (port 0xE9) */
extern size_t fake_debugcon_len;
extern char fake_log[8192];		/* vmm_log output */
extern unsigned int fake_log_lines;

extern unsigned int fake_shutdowns, fake_crashes, fake_shutdown_reason;
extern uint8_t fake_shinfo[4096];	/* the page domain_map_shared_info hands out */
extern u64 fake_shinfo_gfn;		/* ~0 until mapped */
extern bool fake_shinfo_refuse;

/* Paging state the guest walk sees (vcpu_cr, vcpu_efer): all 0 = paging off. */
extern unsigned int fake_pages_out;	/* page_alloc_contig pages not yet freed */
extern u64 fake_cr[5];
extern u64 fake_efer;
/* The code segment (vcpu_code_bits, vcpu_cs_base): 64-bit, base 0 after fake_setup. */
extern unsigned int fake_code_bits;
extern u64 fake_cs_base;
/* The host TSC time.c reads, and whether it is invariant. */
extern u64 fake_tsc;
extern bool fake_tsc_invariant;
#define FAKE_TSC_KHZ	2000000ull	/* 2 GHz: 2 ticks a ns */

/*
 * Dom0's side of grants (vmm/core/memory.c, guest_mem.c): guest RAM frame
 * n is at host address FAKE_HPA + n * 4K; dom0's own RAM is fake_dom0[]
 * at FAKE_DOM0_PA; what dom0's nested page table gives each guest frame
 * is in fake_dom0_access[] (changes counted, refused if
 * fake_grant_access_refuse); dom0_npt_changed() bumps fake_npt_gen and
 * every CPU has flushed up to fake_flushed_gen. fake_guest_race: how many
 * times the "guest" changes a grant word between the VMM's read and its
 * compare-and-exchange (xen_guest_cmpxchg32), by XORing fake_race_xor in.
 */
#define FAKE_HPA		0x80000000ull
#define FAKE_DOM0_PA		0x10000000ull
#define FAKE_DOM0_PAGES		4
extern u8 fake_dom0[FAKE_DOM0_PAGES * 4096];
extern enum dom0_access fake_dom0_access[FAKE_RAM_SIZE / 4096];
extern unsigned int fake_access_changes;
extern bool fake_grant_access_refuse;
extern u64 fake_npt_gen, fake_flushed_gen;
extern unsigned int fake_guest_race;
extern u32 fake_race_xor;

/*
 * More domains for guest-to-guest grants: fake_domain_add makes one with
 * its own RAM (xen_domain_init run), fake_domain_switch makes hypercalls
 * (hcall64), fd, fv and fake_ram that domain's. Its frame gfn is at host
 * address fake_hpa(d, gfn). Grant maps into a domain's nested table are
 * recorded in fake_gmaps (fake_gmap_of finds one). fake_page_alloc_fail
 * makes page_alloc (not page_alloc_contig) fail.
 */
#define FAKE_MAX_DOMS		4
#define FAKE_GMAPS		64
struct fake_gmap {
	struct domain *d;
	u64 gfn, hpa;
	bool readonly;
};
extern struct fake_gmap fake_gmaps[FAKE_GMAPS];
extern bool fake_page_alloc_fail;
extern unsigned int fake_page_alloc_fail_nth;	/* n > 0: the nth page_alloc() from now fails */
struct domain *fake_domain_add(unsigned int id);
void fake_domain_switch(struct domain *d);
u64 fake_hpa(const struct domain *d, u64 gfn);
const struct fake_gmap *fake_gmap_of(const struct domain *d, u64 gfn);

/*
 * Calloc'd domain with vCPU 0 and RAM; xen_domain_init(d, 0, 0) runs if
 * the test links it. TSC 2 GHz, at 0; wallclock 1.7e18 ns.
 */
int fake_setup(void **state);
int fake_teardown(void **state);

/*
 * Issue a hypercall the way the backend does. Returns RAX as the guest
 * sees it: a 32-bit caller's EAX sign-extended. *act gets the action
 * (may be NULL).
 */
s64 hcall64(u64 nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, enum xen_action *act);
s64 hcall32(u32 nr, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5, enum xen_action *act);

#endif
