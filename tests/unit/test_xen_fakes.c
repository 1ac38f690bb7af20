// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fakes behind the vmm/xen code under test: vmm/core's domain and guest
 * memory functions, the backend's register access, the VMM log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_xen_fakes.h"

/* Tests of code other than the dispatcher link without hypercall.c (or the events code). */
#pragma weak xen_hypercall
#pragma weak xen_domain_init
#pragma weak xen_evtchn_destroy

struct xvmm_boot_info xvmm_boot_info;
u64 fake_cr[5];
u64 fake_efer;
unsigned int fake_code_bits;
u64 fake_cs_base;
u64 fake_tsc;
bool fake_tsc_invariant;

struct domain *fd;
struct vcpu *fv;
uint8_t *fake_ram;
u64 fake_regs[NR_VCPU_REGS];
unsigned int fake_cpl;
bool fake_64bit;
unsigned int fake_ud, fake_gp;
char fake_console[65536];
size_t fake_console_len;
char fake_log[8192];
unsigned int fake_log_lines;
unsigned int fake_shutdowns, fake_crashes, fake_shutdown_reason;
uint8_t fake_shinfo[4096];
u64 fake_shinfo_gfn;
bool fake_shinfo_refuse;

/* More domains (guest-to-guest grants): slot 0 is fd's, each has its own RAM. */
static struct { struct domain *d; uint8_t *ram; } fake_doms[FAKE_MAX_DOMS];

int fake_setup(void **state)
{
	(void)state;
	fd = calloc(1, DOMAIN_SIZE(DOMAIN_MAX_VCPUS));
	fake_ram = calloc(1, FAKE_RAM_SIZE);
	assert_non_null(fd);
	assert_non_null(fake_ram);
	fd->id = FAKE_DOMID;
	fd->state = DOMAIN_RUNNING;
	fd->ram_size = FAKE_RAM_SIZE;
	fd->ram_max = FAKE_RAM_SIZE;
	fd->nr_vcpus = 1;
	fd->shared_info_gpa = ~0ull;
	fv = &fd->vcpus[0];
	/* Every vCPU slot is set up as domain_create does; tests raise nr_vcpus. */
	for (unsigned int i = 0; i < DOMAIN_MAX_VCPUS; i++) {
		fd->vcpus[i].domain = fd;
		fd->vcpus[i].id = i;
		fd->vcpus[i].power = i == 0 ? VCPU_UP : VCPU_DOWN;
		fd->vcpus[i].initialised = i == 0;
		fd->vcpus[i].xen.vcpu_info_gpa = ~0ull;
	}
	memset(fake_regs, 0, sizeof(fake_regs));
	fake_cpl = 0;
	fake_64bit = true;
	fake_ud = fake_gp = 0;
	fake_console_len = 0;
	fake_debugcon_len = 0;
	fake_extra_gfn = ~0ull;
	fake_extra_refuse = false;
	fake_ram_unmaps = fake_ram_maps = 0;
	fake_ram_refuse = false;
	fake_log[0] = 0;
	fake_log_lines = 0;
	fake_shutdowns = fake_crashes = 0;
	fake_shutdown_reason = ~0u;
	memset(fake_shinfo, 0, sizeof(fake_shinfo));
	fake_shinfo_gfn = ~0ull;
	fake_shinfo_refuse = false;
	memset(fake_cr, 0, sizeof(fake_cr));
	fake_efer = 0;
	fake_code_bits = 64;
	fake_cs_base = 0;
	fake_tsc = 0;
	fake_tsc_invariant = true;
	memset(fake_dom0, 0, sizeof(fake_dom0));
	memset(fake_dom0_access, 0, sizeof(fake_dom0_access));
	fake_access_changes = 0;
	fake_grant_access_refuse = false;
	fake_npt_gen = fake_flushed_gen = 0;
	fake_guest_race = 0;
	fake_race_xor = 0;
	fake_page_alloc_fail = false;
	fake_page_alloc_fail_nth = 0;
	memset(&xvmm_boot_info, 0, sizeof(xvmm_boot_info));
	xvmm_boot_info.tsc_khz = FAKE_TSC_KHZ;
	xvmm_boot_info.wallclock_ns = 1700000000123456789ull;
	memset(fake_doms, 0, sizeof(fake_doms));
	memset(fake_gmaps, 0, sizeof(fake_gmaps));
	fake_doms[0].d = fd;
	fake_doms[0].ram = fake_ram;
	if (xen_domain_init)
		assert_int_equal(xen_domain_init(fd, 0, 0), 0);
	return 0;
}

int fake_teardown(void **state)
{
	(void)state;
	if (fake_doms[0].d) {
		fd = fake_doms[0].d;
		fake_ram = fake_doms[0].ram;
	}
	/* The port tables are page-pool pages (tests that link evtchn.c). */
	if (xen_evtchn_destroy)
		for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
			if (fake_doms[i].d && fake_doms[i].d->xen.port_bucket)
				xen_evtchn_destroy(fake_doms[i].d);
	if (xen_evtchn_destroy && !fake_doms[0].d && fd && fd->xen.port_bucket)
		xen_evtchn_destroy(fd);
	for (unsigned int i = 1; i < FAKE_MAX_DOMS; i++) {
		free(fake_doms[i].ram);
		if (fake_doms[i].d)
			free(fake_doms[i].d->ram_absent);
		free(fake_doms[i].d);
	}
	if (fd)
		free(fd->ram_absent);
	memset(fake_doms, 0, sizeof(fake_doms));
	free(fake_ram);
	free(fd);
	fake_ram = NULL;
	fd = NULL;
	fv = NULL;
	return 0;
}


static unsigned int slot_of(const struct domain *d)
{
	for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
		if (fake_doms[i].d == d)
			return i;
	fail_msg("domain %p is no fake's", (const void *)d);
	return 0;
}

static uint8_t *ram_of(const struct domain *d)
{
	return d == fd ? fake_ram : fake_doms[slot_of(d)].ram;
}

struct domain *fake_domain_add(unsigned int id)
{
	struct domain *save_d = fd;
	struct vcpu *save_v = fv;
	uint8_t *save_ram = fake_ram;
	unsigned int i;

	for (i = 1; i < FAKE_MAX_DOMS && fake_doms[i].d; i++)
		;
	assert_true(i < FAKE_MAX_DOMS);
	fake_doms[i].d = calloc(1, DOMAIN_SIZE(DOMAIN_MAX_VCPUS));
	fake_doms[i].ram = calloc(1, FAKE_RAM_SIZE);
	assert_non_null(fake_doms[i].d);
	assert_non_null(fake_doms[i].ram);
	fd = fake_doms[i].d;
	fv = &fd->vcpus[0];
	fake_ram = fake_doms[i].ram;
	fd->id = id;
	fd->state = DOMAIN_RUNNING;
	fd->ram_size = FAKE_RAM_SIZE;
	fd->ram_max = FAKE_RAM_SIZE;
	fd->nr_vcpus = 1;
	fd->shared_info_gpa = ~0ull;
	for (unsigned int v = 0; v < DOMAIN_MAX_VCPUS; v++) {
		fd->vcpus[v].domain = fd;
		fd->vcpus[v].id = v;
		fd->vcpus[v].power = v == 0 ? VCPU_UP : VCPU_DOWN;
		fd->vcpus[v].initialised = v == 0;
		fd->vcpus[v].xen.vcpu_info_gpa = ~0ull;
	}
	if (xen_domain_init)
		assert_int_equal(xen_domain_init(fd, 0, 0), 0);
	fd = save_d;
	fv = save_v;
	fake_ram = save_ram;
	return fake_doms[i].d;
}

void fake_domain_switch(struct domain *d)
{
	fd = d;
	fv = &d->vcpus[0];
	fake_ram = fake_doms[slot_of(d)].ram;
}

u64 fake_hpa(const struct domain *d, u64 gfn)
{
	return FAKE_HPA + (u64)slot_of(d) * FAKE_RAM_SIZE + gfn * 4096;
}

/* The fake nested tables: grant maps only. */
struct fake_gmap fake_gmaps[FAKE_GMAPS];

int domain_map_grant_page(struct domain *d, u64 gfn, u64 hpa, bool readonly)
{
	if (gfn >= (1ull << 28) || gfn == fake_shinfo_gfn)
		return -22;
	for (unsigned int i = 0; i < FAKE_GMAPS; i++)
		if (!fake_gmaps[i].d) {
			fake_gmaps[i] = (struct fake_gmap){ d, gfn, hpa, readonly };
			return 0;
		}
	return -12;
}

int domain_unmap_grant_page(struct domain *d, u64 gfn)
{
	for (unsigned int i = 0; i < FAKE_GMAPS; i++)
		if (fake_gmaps[i].d == d && fake_gmaps[i].gfn == gfn) {
			fake_gmaps[i].d = NULL;
			return 0;
		}
	return -22;
}

const struct fake_gmap *fake_gmap_of(const struct domain *d, u64 gfn)
{
	for (unsigned int i = 0; i < FAKE_GMAPS; i++)
		if (fake_gmaps[i].d == d && fake_gmaps[i].gfn == gfn)
			return &fake_gmaps[i];
	return NULL;
}

/* As vmm/core/domain.c's. */
u64 domain_npt_changed(struct domain *d, const struct vcpu *self)
{
	u64 gen = ++d->npt_gen;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (&d->vcpus[i] != self && d->vcpus[i].running)
			domain_kick_vcpu(&d->vcpus[i]);
	return gen;
}

bool domain_npt_flushed(struct domain *d, u64 gen, const struct vcpu *self)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		const struct vcpu *v = &d->vcpus[i];

		if (v != self && v->running && v->npt_seen_gen < gen)
			return false;
	}
	return true;
}

/* vmm/core/domain.c */
struct domain *domain_get(unsigned int domid)
{
	if (fd && domid == fd->id)
		return fd;
	for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++)
		if (fake_doms[i].d && fake_doms[i].d->id == domid && fake_doms[i].d->state != DOMAIN_FREE)
			return fake_doms[i].d;
	return NULL;
}

/* The live fake domain with the lowest id above *id (domain_table.c's order). */
struct domain *domain_next(unsigned int *id)
{
	struct domain *best = NULL;

	for (unsigned int i = 0; i < FAKE_MAX_DOMS; i++) {
		struct domain *d = fake_doms[i].d;

		if (d && d->state != DOMAIN_FREE && d->id > *id && (!best || d->id < best->id))
			best = d;
	}
	if (fd && fd->state != DOMAIN_FREE && fd->id > *id && (!best || fd->id < best->id))
		best = fd;
	if (best)
		*id = best->id;
	return best;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	fake_shutdowns++;
	fake_shutdown_reason = reason;
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
}

void domain_crash(struct domain *d, const char *why)
{
	(void)why;
	fake_crashes++;
	d->state = DOMAIN_CRASHED;
}

void domain_console_write(struct domain *d, const char *s, size_t n)
{
	assert_ptr_equal(d, fd);
	assert_true(fake_console_len + n <= sizeof(fake_console));
	memcpy(fake_console + fake_console_len, s, n);
	fake_console_len += n;
}

u8 fake_extra_page[4096];
u64 fake_extra_gfn = ~0ull;
bool fake_extra_refuse;

void *domain_map_extra_page(struct domain *d, u64 gfn)
{
	assert_ptr_equal(d, fd);
	if (fake_extra_refuse || gfn < FAKE_RAM_SIZE / 4096)
		return NULL;
	fake_extra_gfn = gfn;
	return fake_extra_page;
}

char fake_debugcon[256];
size_t fake_debugcon_len;

void domain_debugcon_putc(struct domain *d, char c)
{
	assert_ptr_equal(d, fd);
	assert_true(fake_debugcon_len < sizeof(fake_debugcon));
	fake_debugcon[fake_debugcon_len++] = c;
}

void *domain_map_shared_info(struct domain *d, u64 gfn)
{
	assert_ptr_equal(d, fd);
	if (fake_shinfo_refuse || gfn >= FAKE_RAM_SIZE / 4096)
		return NULL;
	fake_shinfo_gfn = gfn;
	return fake_shinfo;
}

/*
 * vmm/core/domain_ram.c: RAM frames [0, ram_max) flat (the fakes' RAM is
 * far below the gap), ram_absent a calloc'd bitmap, the nested table's
 * changes counted.
 */
unsigned int fake_ram_unmaps, fake_ram_maps;
bool fake_ram_refuse;

static bool frame_absent(const struct domain *d, u64 gfn)
{
	return d->ram_absent && (d->ram_absent[gfn / 64] & (1ull << (gfn % 64)));
}

static void frame_set_absent(struct domain *d, u64 gfn, bool out)
{
	if (!d->ram_absent) {
		d->ram_absent = calloc(FAKE_RAM_SIZE / 4096 / 64, sizeof(u64));
		assert_non_null(d->ram_absent);
	}
	if (out == frame_absent(d, gfn))
		return;
	d->ram_absent[gfn / 64] ^= 1ull << (gfn % 64);
	d->ram_nr_absent += out ? 1 : (u64)-1;
}

void fake_ram_set_max(struct domain *d, u64 ram_size, u64 ram_max)
{
	assert_true(ram_size <= ram_max && ram_max <= FAKE_RAM_SIZE);
	d->ram_size = ram_size;
	d->ram_max = ram_max;
	for (u64 f = 0; f < ram_max / 4096; f++)
		frame_set_absent(d, f, f >= ram_size / 4096);
}

bool domain_ram_frame_of(const struct domain *d, u64 gfn)
{
	return gfn < d->ram_max / 4096;
}

u64 domain_ram_hpa(const struct domain *d, u64 gpa)
{
	if (!domain_ram_frame_of(d, gpa >> 12) || frame_absent(d, gpa >> 12))
		return 0;
	return fake_hpa(d, gpa >> 12) + (gpa & 4095);
}

int domain_ram_remove(struct domain *d, u64 gfn)
{
	if (!domain_ram_frame_of(d, gfn))
		return -22;
	if (frame_absent(d, gfn))
		return -2;
	if (fake_ram_refuse)
		return -12;
	/* What was there is unreachable now: make a read that still finds it fail loudly. */
	memset(ram_of(d) + gfn * 4096, 0xa5, 4096);
	frame_set_absent(d, gfn, true);
	fake_ram_unmaps++;
	return 0;
}

int domain_ram_populate(struct domain *d, u64 gfn)
{
	if (!domain_ram_frame_of(d, gfn))
		return -22;
	if (!frame_absent(d, gfn))
		return 0;
	if (fake_ram_refuse)
		return -12;
	memset(ram_of(d) + gfn * 4096, 0, 4096);
	frame_set_absent(d, gfn, false);
	fake_ram_maps++;
	return 0;
}

u64 domain_ram_pages(const struct domain *d)
{
	return d->ram_max / 4096 - d->ram_nr_absent;
}

/* vmm/core/guest_mem.c: populated RAM, with the shared_info page in place of its frame. */
static bool in_ram(u64 gpa, size_t len)
{
	if (gpa > FAKE_RAM_SIZE || len > FAKE_RAM_SIZE - gpa)
		return false;
	for (u64 g = gpa >> 12; len && g <= (gpa + len - 1) >> 12; g++)
		if (!(fake_shinfo_gfn != ~0ull && g == fake_shinfo_gfn) && !domain_ram_hpa(fd, g << 12))
			return false;
	return true;
}

static uint8_t *fake_byte(u64 gpa)
{
	if (fake_shinfo_gfn != ~0ull && gpa >> 12 == fake_shinfo_gfn)
		return fake_shinfo + (gpa & 4095);
	return fake_ram + gpa;
}

static bool is_shinfo(const struct domain *d, u64 gfn)
{
	return d == fake_doms[0].d && fake_shinfo_gfn != ~0ull && gfn == fake_shinfo_gfn;
}

int copy_from_guest(struct domain *d, void *dst, u64 gpa, size_t len)
{
	assert_ptr_equal(d, fd);
	if (!in_ram(gpa, len))
		return -14;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)dst)[i] = *fake_byte(gpa + i);
	return 0;
}

int copy_to_guest(struct domain *d, u64 gpa, const void *src, size_t len)
{
	assert_ptr_equal(d, fd);
	if (!in_ram(gpa, len))
		return -14;
	for (size_t i = 0; i < len; i++)
		*fake_byte(gpa + i) = ((const uint8_t *)src)[i];
	return 0;
}

void *guest_page_ptr(struct domain *d, u64 gpa, size_t len)
{
	if (len == 0 || (gpa & 4095) + len > 4096)
		return NULL;
	if (is_shinfo(d, gpa >> 12))
		return fake_shinfo + (gpa & 4095);
	if (!domain_ram_hpa(d, gpa))
		return NULL;
	return ram_of(d) + gpa;
}

/* vmm/core/guest_mem.c: RAM proper, never the shared_info page over it. */
void *guest_ram_frame(struct domain *d, u64 gfn, u64 *hpa)
{
	if (gfn >= FAKE_RAM_SIZE / 4096 || is_shinfo(d, gfn) || !domain_ram_hpa(d, gfn << 12))
		return NULL;
	*hpa = fake_hpa(d, gfn);
	return ram_of(d) + gfn * 4096;
}

/* vmm/core/memory.c: dom0's RAM, its nested page table, the CPUs' flushes. */
u8 fake_dom0[FAKE_DOM0_PAGES * 4096];
enum dom0_access fake_dom0_access[FAKE_RAM_SIZE / 4096];
unsigned int fake_access_changes;
bool fake_grant_access_refuse;
u64 fake_npt_gen, fake_flushed_gen;
unsigned int fake_guest_race;
u32 fake_race_xor;

void *dom0_ram_buffer(u64 pa, u64 len)
{
	if (len == 0 || pa < FAKE_DOM0_PA || pa - FAKE_DOM0_PA > sizeof(fake_dom0) ||
	    len > sizeof(fake_dom0) - (pa - FAKE_DOM0_PA))
		return NULL;
	return fake_dom0 + (pa - FAKE_DOM0_PA);
}

int dom0_grant_access(u64 pa, enum dom0_access access)
{
	u64 n = (pa - FAKE_HPA) / 4096;

	assert_true(pa >= FAKE_HPA && n < FAKE_RAM_SIZE / 4096 && pa % 4096 == 0);
	if (fake_grant_access_refuse)
		return -12;
	fake_dom0_access[n] = access;
	fake_access_changes++;
	return 0;
}

u64 dom0_npt_changed(void)
{
	return ++fake_npt_gen;
}

bool dom0_npt_flushed(u64 gen)
{
	return fake_flushed_gen >= gen;
}

/* vmm/xen/guest_atomic.c, with a guest that may change the word first. */
u32 xen_guest_cmpxchg32(u32 *p, u32 old, u32 new)
{
	if (fake_guest_race) {
		fake_guest_race--;
		*p ^= fake_race_xor;
	}
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* The backend's register access. */
u64 vcpu_reg_get(struct vcpu *v, enum vcpu_reg r)
{
	assert_ptr_equal(v, fv);
	assert_true(r < NR_VCPU_REGS);
	return fake_regs[r];
}

void vcpu_reg_set(struct vcpu *v, enum vcpu_reg r, u64 val)
{
	assert_ptr_equal(v, fv);
	assert_true(r < NR_VCPU_REGS);
	fake_regs[r] = val;
}

unsigned int vcpu_cpl(struct vcpu *v)
{
	(void)v;
	return fake_cpl;
}

bool vcpu_is_64bit(struct vcpu *v)
{
	(void)v;
	return fake_64bit;
}

u64 vcpu_cr(struct vcpu *v, unsigned int n)
{
	(void)v;
	return n < 5 ? fake_cr[n] : 0;
}

u64 vcpu_efer(struct vcpu *v)
{
	(void)v;
	return fake_efer;
}

unsigned int vcpu_code_bits(struct vcpu *v)
{
	(void)v;
	return fake_code_bits;
}

u64 vcpu_cs_base(struct vcpu *v)
{
	(void)v;
	return fake_cs_base;
}

/* vmm/xen/tsc.c */
u64 xen_read_tsc(void)
{
	return fake_tsc;
}

bool xen_tsc_invariant(void)
{
	return fake_tsc_invariant;
}

void vcpu_inject_ud(struct vcpu *v)
{
	(void)v;
	fake_ud++;
}

void vcpu_inject_gp(struct vcpu *v)
{
	(void)v;
	fake_gp++;
}

/* The VMM log. */
void vmm_log(const char *fmt, ...)
{
	size_t used = strlen(fake_log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake_log + used, sizeof(fake_log) - used, fmt, ap);
	va_end(ap);
	fake_log_lines++;
}

s64 hcall64(u64 nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, enum xen_action *act)
{
	enum xen_action a;

	assert_non_null(xen_hypercall);
	fake_64bit = true;
	fake_regs[REG_RAX] = nr;
	fake_regs[REG_RDI] = a1;
	fake_regs[REG_RSI] = a2;
	fake_regs[REG_RDX] = a3;
	fake_regs[REG_R10] = a4;
	fake_regs[REG_R8] = a5;
	a = xen_hypercall(fv);
	if (act)
		*act = a;
	return (s64)fake_regs[REG_RAX];
}

s64 hcall32(u32 nr, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5, enum xen_action *act)
{
	enum xen_action a;

	assert_non_null(xen_hypercall);
	fake_64bit = false;
	/* Upper halves hold junk a 32-bit guest cannot see. */
	fake_regs[REG_RAX] = 0xdead000000000000ull | nr;
	fake_regs[REG_RBX] = 0xdead000000000000ull | a1;
	fake_regs[REG_RCX] = 0xdead000000000000ull | a2;
	fake_regs[REG_RDX] = 0xdead000000000000ull | a3;
	fake_regs[REG_RSI] = 0xdead000000000000ull | a4;
	fake_regs[REG_RDI] = 0xdead000000000000ull | a5;
	a = xen_hypercall(fv);
	if (act)
		*act = a;
	assert_true(fake_regs[REG_RAX] <= 0xffffffffull);	/* EAX, zero-extended */
	return (s64)(int32_t)(u32)fake_regs[REG_RAX];
}

/*
 * vmm/core/page_alloc.c: zeroed pages from the C heap, the "physical"
 * address the pointer. page_free takes one page, as the real one does; an
 * allocation goes back to the heap when its last page has.
 */
unsigned int fake_pages_out;
#define FAKE_ALLOCS	4096
static struct { u64 pa; unsigned int n, left; } fake_allocs[FAKE_ALLOCS];

void *page_alloc_contig(unsigned int n, u64 *pa)
{
	void *p = aligned_alloc(4096, (size_t)n * 4096);
	unsigned int i;

	assert_non_null(p);
	memset(p, 0, (size_t)n * 4096);
	for (i = 0; i < FAKE_ALLOCS && fake_allocs[i].left; i++)
		;
	assert_true(i < FAKE_ALLOCS);
	fake_allocs[i].pa = (u64)(uintptr_t)p;
	fake_allocs[i].n = fake_allocs[i].left = n;
	*pa = fake_allocs[i].pa;
	fake_pages_out += n;
	return p;
}

bool fake_page_alloc_fail;
unsigned int fake_page_alloc_fail_nth;

void *page_alloc(u64 *pa)
{
	if (fake_page_alloc_fail_nth && --fake_page_alloc_fail_nth == 0)
		return NULL;
	return fake_page_alloc_fail ? NULL : page_alloc_contig(1, pa);
}

u64 vmm_va_to_pa(const void *va)
{
	return (u64)(uintptr_t)va;
}

void page_free(u64 pa)
{
	for (unsigned int i = 0; i < FAKE_ALLOCS; i++) {
		if (!fake_allocs[i].left || pa < fake_allocs[i].pa ||
		    pa >= fake_allocs[i].pa + (u64)fake_allocs[i].n * 4096)
			continue;
		fake_pages_out--;
		if (--fake_allocs[i].left == 0)
			free((void *)(uintptr_t)fake_allocs[i].pa);
		return;
	}
	fail_msg("page_free(%llx): not allocated", (unsigned long long)pa);
}

/* vmm/core/domain.c: kicks recorded as the real one does. */
void domain_kick_vcpu(struct vcpu *v)
{
	__atomic_fetch_or(&v->domain->kick_pending, 1ull << v->id, __ATOMIC_RELEASE);
}
