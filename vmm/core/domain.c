// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains (docs/domains.md): created from memory dom0 donates, run by dom0
 * threads, destroyed with everything scrubbed and given back. Every value
 * dom0 passes is checked here; the backend only ever sees a valid domain.
 */
#include "arch.h"
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "vmm.h"
#include "xen_abi.h"
#include <xen/sched.h>
#include <xvmm/ram_layout.h>

unsigned int domain_count(void)
{
	return domain_table_count();
}

void domain_console_write(struct domain *d, const char *s, size_t n)
{
	spin_lock(&d->lock);
	for (size_t i = 0; i < n; i++)
		d->console[(d->console_head + i) % DOMAIN_CONSOLE_SIZE] = s[i];
	d->console_head += n;
	spin_unlock(&d->lock);
}

void domain_debugcon_putc(struct domain *d, char c)
{
	spin_lock(&d->lock);
	if (c != '\n' && c != '\r')
		d->debugcon[d->debugcon_len++] = c;
	if ((c == '\n' && d->debugcon_len) || d->debugcon_len == sizeof(d->debugcon) - 1) {
		d->debugcon[d->debugcon_len] = '\0';
		vmm_log("(d%u) %s\n", d->id, d->debugcon);
		d->debugcon_len = 0;
	}
	spin_unlock(&d->lock);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	if (d->state != DOMAIN_RUNNING)
		return;
	d->shutdown_reason = reason;
	d->state = reason == SHUTDOWN_crash ? DOMAIN_CRASHED : DOMAIN_SHUTDOWN;
	pr_info("d%u: shut down (reason %u)\n", d->id, reason);
}

void domain_crash(struct domain *d, const char *why)
{
	if (d->state != DOMAIN_RUNNING)
		return;
	d->shutdown_reason = SHUTDOWN_crash;
	d->state = DOMAIN_CRASHED;
	pr_info("d%u: crashed: %s\n", d->id, why);
}

/* The memory map: at most XVMM_MEMMAP_MAX entries, sorted, none empty, overlapping or wrapping. */
static int memmap_check(const struct xvmm_hc_dom_create *req)
{
	u64 end = 0;

	if (req->nr_memmap > XVMM_MEMMAP_MAX)
		return -EINVAL;
	for (unsigned int i = 0; i < req->nr_memmap; i++) {
		const struct xvmm_memmap_entry *e = &req->memmap[i];

		if (!e->size || e->addr + e->size < e->addr || (i && e->addr < end))
			return -EINVAL;
		end = e->addr + e->size;
	}
	return 0;
}

static int check_create(const struct xvmm_hc_dom_create *req)
{
	u64 special_end;

	if (strnlen(req->name, XVMM_NAME_LEN) == XVMM_NAME_LEN || !req->name[0])
		return -EINVAL;
	if (req->nr_vcpus == 0 || req->nr_vcpus > DOMAIN_MAX_VCPUS)
		return -EINVAL;
	if (req->ram_size == 0 || !IS_ALIGNED(req->ram_size, XVMM_CHUNK_SIZE) ||
	    !IS_ALIGNED(req->ram_max, XVMM_CHUNK_SIZE) ||
	    (req->ram_max && req->ram_max < req->ram_size) ||
	    MAX(req->ram_size, req->ram_max) / XVMM_CHUNK_SIZE > DOMAIN_MAX_RAM_CHUNKS)
		return -EINVAL;
	if (req->nr_special > DOMAIN_MAX_SPECIAL || !IS_ALIGNED(req->special_gpa, PAGE_SIZE))
		return -EINVAL;
	/* Special pages in the gap below 4 GiB, above every RAM frame there. */
	special_end = req->special_gpa + (u64)req->nr_special * PAGE_SIZE;
	if (req->nr_special &&
	    (req->special_gpa < MIN(MAX(req->ram_size, req->ram_max), XVMM_RAM_LOW_END) ||
	     special_end > (1ull << 32)))
		return -EINVAL;
	if (memmap_check(req))
		return -EINVAL;
	if (req->entry >= (1ull << 32) || req->start_info >= (1ull << 32))
		return -EINVAL;
	return 0;
}

/*
 * Special pages (ACPI tables, PV console and xenstore rings) live outside
 * guest RAM: 4 KiB pages of dom0's that the guest shares with dom0's
 * backends, as a Xen guest shares ring pages with its backend domain.
 * Each must be dom0's own RAM, mapped 1:1 in dom0 (so not VMM memory and
 * not memory given to a domain).
 */
static int setup_special(struct domain *d, const struct xvmm_hc_dom_create *req)
{
	d->special_gpa = req->special_gpa;
	for (unsigned int i = 0; i < req->nr_special; i++) {
		u64 pa = req->special_pa[i];

		if (!IS_ALIGNED(pa, PAGE_SIZE) || pa + PAGE_SIZE > xvmm_boot_info.ram_end ||
		    pa_overlaps_vmm(pa, PAGE_SIZE) || !vendor->dom0_owns(pa, PAGE_SIZE))
			return -EINVAL;
		d->special_pa[d->nr_special++] = pa;
	}
	return 0;
}

static void free_special(struct domain *d)
{
	d->nr_special = 0;	/* dom0's pages: the driver frees them */
}

s64 domain_create(u64 req_pa)
{
	const struct xvmm_hc_dom_create *req = dom0_ram_buffer(req_pa, sizeof(*req));
	const u64 *chunks;
	struct domain *d;
	unsigned int pages;
	u64 ram_max, struct_pa;
	int err;

	if (!req)
		return -EFAULT;
	err = check_create(req);
	if (err)
		return err;
	ram_max = req->ram_max ? req->ram_max : req->ram_size;
	chunks = dom0_ram_buffer(req->chunk_list_pa, ram_max / XVMM_CHUNK_SIZE * sizeof(u64));
	if (!chunks)
		return -EFAULT;

	/*
	 * The driver picks the id (docs/domains.md "Domain ids"); the table
	 * refuses one in use, being built or still being destroyed.
	 */
	err = domain_table_reserve(req->domid);
	if (err)
		return err;
	pages = (unsigned int)(ALIGN_UP(DOMAIN_SIZE(req->nr_vcpus), PAGE_SIZE) / PAGE_SIZE);
	d = page_alloc_contig(pages, &struct_pa);	/* zeroed */
	if (!d) {
		domain_table_unreserve(req->domid);
		return -ENOMEM;
	}
	d->id = req->domid;
	d->struct_pa = struct_pa;
	d->struct_pages = pages;
	strlcpy(d->name, req->name, sizeof(d->name));
	d->shared_info_gpa = ~0ull;
	d->nr_memmap = req->nr_memmap;
	memcpy(d->memmap, req->memmap, sizeof(d->memmap));
	err = domain_ram_take(d, req->ram_size, ram_max, chunks);
	if (err)
		goto fail_struct;
	err = setup_special(d, req);
	if (err)
		goto fail;
	err = vendor->domain_init(d);
	if (err)
		goto fail;
	d->nr_vcpus = req->nr_vcpus;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].domain = d;
		d->vcpus[i].id = i;
		vcpu_start_init(&d->vcpus[i]);
	}
	err = xen_gnttab_limits(d, req->max_grant_frames, req->max_maptrack_frames);
	if (!err)
		err = xen_evtchn_limits(d, req->max_evtchn_port);
	if (!err)
		err = xen_domain_init(d, req->console_gfn, req->store_gfn);
	if (err) {
		xen_evtchn_destroy(d);
		vendor->domain_destroy(d);
		goto fail;
	}
	/* Every vCPU gets its state now; the ones after 0 stay down until started. */
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		err = vendor->vcpu_init(&d->vcpus[i], req->entry, i == 0 ? req->start_info : 0);
		if (err) {
			while (i--)
				vendor->vcpu_destroy(&d->vcpus[i]);
			xen_evtchn_destroy(d);
			vendor->domain_destroy(d);
			goto fail;
		}
	}
	WRITE_ONCE(d->state, DOMAIN_RUNNING);
	domain_table_publish(d);
	pr_info("d%u: created '%s', %llu MiB (max %llu MiB), entry %llx, %u vCPUs in %u KiB\n",
		d->id, d->name, d->ram_size >> 20, d->ram_max >> 20, req->entry, d->nr_vcpus,
		pages * 4);
	return d->id;
fail:
	domain_ram_give_back(d);
	free_special(d);
fail_struct:
	/* Never published: no lookup can have found it. */
	domain_table_unreserve(d->id);
	for (unsigned int i = 0; i < pages; i++)
		page_free(struct_pa + (u64)i * PAGE_SIZE);
	return err;
}

s64 domain_destroy(unsigned int domid)
{
	struct domain *d = domain_get(domid);

	if (!d)
		return -ENOENT;
	/*
	 * dying first, then the vCPUs: vcpu_run sets running first, then
	 * looks at dying (both SEQ_CST), so either this sees it running or
	 * it sees the domain dying and leaves without entering.
	 */
	if (__atomic_exchange_n(&d->dying, true, __ATOMIC_SEQ_CST))
		return -ENOENT;		/* another CPU is destroying it */
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		if (__atomic_load_n(&d->vcpus[i].running, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&d->dying, false, __ATOMIC_SEQ_CST);
			return -EBUSY;
		}
	}
	/* Lookups miss it from here; its id stays taken until the teardown is done. */
	WRITE_ONCE(d->state, DOMAIN_FREE);
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		const u64 *k = d->vcpus[i].exit_kinds;

		pr_info("d%u v%u: %llu exits: hypercall %llu cpuid %llu msr %llu io %llu host-event %llu hlt %llu npf %llu other %llu\n",
			d->id, i, d->vcpus[i].exits, k[EXIT_KIND_HYPERCALL], k[EXIT_KIND_CPUID],
			k[EXIT_KIND_MSR], k[EXIT_KIND_IO], k[EXIT_KIND_HOST_EVENT], k[EXIT_KIND_HLT],
			k[EXIT_KIND_NPF], k[EXIT_KIND_OTHER]);
		vendor->vcpu_destroy(&d->vcpus[i]);
	}
	/* Dom0 must not keep a guest page it mapped through a grant (xen_abi.h). */
	xen_gnttab_dom0_revoke_all(d);
	xen_gnttab_destroy(d);		/* other domains' maps of its pages, its own maps */
	xen_evtchn_destroy(d);		/* other domains' channels to it go unbound */
	vendor->domain_destroy(d);
	domain_ram_give_back(d);
	free_special(d);
	if (d->shared_info_pa)
		page_free(d->shared_info_pa);
	for (unsigned int i = 0; i < d->nr_extra; i++)
		page_free(d->extra[i].pa);
	pr_info("d%u: destroyed\n", domid);
	domain_table_retire(d);
	return 0;
}

s64 domain_info(unsigned int domid, u64 pa)
{
	struct domain *d = domain_get(domid);
	struct xvmm_dom_info *out = dom0_ram_buffer(pa, sizeof(*out));

	if (!d)
		return -ENOENT;
	if (!out)
		return -EFAULT;
	memset(out, 0, sizeof(*out));
	out->domid = d->id;
	out->state = d->state == DOMAIN_RUNNING ? XVMM_DOM_RUNNING :
		     d->state == DOMAIN_SHUTDOWN ? XVMM_DOM_SHUTDOWN : XVMM_DOM_CRASHED;
	out->shutdown_reason = d->shutdown_reason;
	out->nr_vcpus = d->nr_vcpus;
	out->ram_size = d->ram_size;
	out->ram_current = domain_ram_pages(d) * PAGE_SIZE;
	out->ram_max = d->ram_max;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		out->exits += d->vcpus[i].exits;
		out->hypercalls += d->vcpus[i].hypercalls;
	}
	strlcpy(out->name, d->name, sizeof(out->name));
	return 0;
}

s64 domain_console_read(unsigned int domid, u64 pa, u64 cursor)
{
	struct domain *d = domain_get(domid);
	struct xvmm_log_read *out;
	u64 oldest, end;

	if (!d)
		return -ENOENT;
	if (!IS_ALIGNED(pa, PAGE_SIZE) || !(out = dom0_ram_buffer(pa, sizeof(*out))))
		return -EFAULT;
	spin_lock(&d->lock);
	oldest = d->console_head > DOMAIN_CONSOLE_SIZE ? d->console_head - DOMAIN_CONSOLE_SIZE : 0;
	out->dropped = cursor < oldest ? (u32)MIN(oldest - cursor, (u64)UINT32_MAX) : 0;
	if (cursor < oldest)
		cursor = oldest;
	if (cursor > d->console_head)
		cursor = d->console_head;
	end = MIN(d->console_head, cursor + sizeof(out->data));
	out->len = (u32)(end - cursor);
	for (u64 p = cursor; p < end; p++)
		out->data[p - cursor] = d->console[p % DOMAIN_CONSOLE_SIZE];
	out->cursor = end;
	spin_unlock(&d->lock);
	return 0;
}

s64 domain_request_shutdown(unsigned int domid, u64 reason)
{
	struct domain *d = domain_get(domid);

	if (!d)
		return -ENOENT;
	if (reason != SHUTDOWN_poweroff && reason != SHUTDOWN_reboot && reason != SHUTDOWN_crash)
		return -EINVAL;
	spin_lock(&d->lock);
	domain_shutdown(d, (unsigned int)reason);
	spin_unlock(&d->lock);
	return 0;
}

/*
 * Kicks are collected per domain and handed to dom0 by whichever vCPU of
 * the domain returns to dom0 next (svm: XVMM_RUN_KICK right after the exit
 * that raised them). A dom0 control call that raises events is followed by
 * a kick of every vCPU by the driver, so it drops what it collected.
 */
void domain_kick_vcpu(struct vcpu *v)
{
	__atomic_fetch_or(&v->domain->kick_pending, 1ull << v->id, __ATOMIC_RELEASE);
}

s64 domain_evtchn_send(unsigned int domid, u64 port)
{
	struct domain *d = domain_get(domid);
	s64 rc;

	if (!d)
		return -ENOENT;
	if (port >= 64)
		return -EINVAL;
	rc = xen_evtchn_send_from_dom0(d, (u32)port);
	__atomic_store_n(&d->kick_pending, 0, __ATOMIC_RELAXED);	/* the driver kicks them all */
	return rc;
}

s64 domain_evtchn_bind(unsigned int domid, u64 port, u64 bind)
{
	struct domain *d = domain_get(domid);

	if (!d)
		return -ENOENT;
	if (port >= 64 || bind > 1)
		return -EINVAL;
	return xen_evtchn_bind_dom0(d, (u32)port, bind == 1);
}

void *domain_map_extra_page(struct domain *d, u64 gfn)
{
	u64 gpa = gfn << PAGE_SHIFT, pa;
	void *page = NULL;

	if (gfn >= (1ull << (32 - PAGE_SHIFT)) || domain_ram_frame_of(d, gfn) ||
	    (gpa >= d->special_gpa && gpa - d->special_gpa < (u64)d->nr_special * PAGE_SIZE) ||
	    gpa == d->shared_info_gpa)
		return NULL;
	spin_lock(&d->lock);
	for (unsigned int i = 0; i < d->nr_extra; i++)
		if (d->extra[i].gfn == gfn)
			page = vmm_pa_to_va(d->extra[i].pa);
	if (!page && d->nr_extra < DOMAIN_MAX_EXTRA && (page = page_alloc(&pa))) {
		if (vendor->domain_map_page(d, gpa, pa)) {
			page_free(pa);
			page = NULL;
		} else {
			d->extra[d->nr_extra].gfn = gfn;
			d->extra[d->nr_extra++].pa = pa;
		}
	}
	spin_unlock(&d->lock);
	return page;
}

#define GRANT_GFN_LIMIT	(1ull << (40 - PAGE_SHIFT))	/* 1 TiB of guest-physical space */

static bool grant_gfn_ok(const struct domain *d, u64 gfn)
{
	u64 gpa = gfn << PAGE_SHIFT;

	if (gfn >= GRANT_GFN_LIMIT || gpa == d->shared_info_gpa)
		return false;
	if (gpa >= d->special_gpa && gpa - d->special_gpa < (u64)d->nr_special * PAGE_SIZE)
		return false;
	for (unsigned int i = 0; i < d->nr_extra; i++)
		if (d->extra[i].gfn == gfn)
			return false;
	return true;
}

int domain_map_grant_page(struct domain *d, u64 gfn, u64 hpa, bool readonly)
{
	int err = -EINVAL;

	spin_lock(&d->lock);
	if (grant_gfn_ok(d, gfn))
		err = readonly ? vendor->domain_map_page_ro(d, gfn << PAGE_SHIFT, hpa)
			       : vendor->domain_map_page(d, gfn << PAGE_SHIFT, hpa);
	spin_unlock(&d->lock);
	return err;
}

int domain_unmap_grant_page(struct domain *d, u64 gfn)
{
	u64 gpa = gfn << PAGE_SHIFT;
	int err = -EINVAL;

	spin_lock(&d->lock);
	if (grant_gfn_ok(d, gfn)) {
		u64 hpa = domain_ram_hpa(d, gpa);	/* populated RAM, or nothing */

		err = hpa ? vendor->domain_map_page(d, gpa, hpa) : vendor->domain_unmap_page(d, gpa);
	}
	spin_unlock(&d->lock);
	return err;
}

u64 domain_npt_changed(struct domain *d, const struct vcpu *self)
{
	u64 gen = __atomic_add_fetch(&d->npt_gen, 1, __ATOMIC_SEQ_CST);

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (&d->vcpus[i] != self && __atomic_load_n(&d->vcpus[i].running, __ATOMIC_SEQ_CST))
			domain_kick_vcpu(&d->vcpus[i]);
	return gen;
}

/*
 * A vCPU outside VCPU_RUN reads npt_gen before it next enters, and one
 * inside it flushed if it recorded gen (svm guest.c): either way no stale
 * translation is used after that.
 */
bool domain_npt_flushed(struct domain *d, u64 gen, const struct vcpu *self)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		const struct vcpu *v = &d->vcpus[i];

		if (v == self || !__atomic_load_n(&v->running, __ATOMIC_SEQ_CST))
			continue;
		if (__atomic_load_n(&v->npt_seen_gen, __ATOMIC_SEQ_CST) < gen)
			return false;
	}
	return true;
}

void *domain_map_shared_info(struct domain *d, u64 gfn)
{
	void *page;
	u64 pa;

	if (gfn >= (1ull << (32 - PAGE_SHIFT)))
		return NULL;
	if (d->shared_info_gpa != ~0ull)
		return NULL;		/* mapped once; Xen allows moving it, nobody does */
	page = page_alloc(&pa);
	if (!page)
		return NULL;
	if (vendor->domain_map_page(d, gfn << PAGE_SHIFT, pa)) {
		page_free(pa);
		return NULL;
	}
	d->shared_info_gpa = gfn << PAGE_SHIFT;
	d->shared_info_pa = pa;
	return page;
}
