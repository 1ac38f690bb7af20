// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build a domain: the image in user buffers (libxvmm), then the driver
 * calls DOM_CREATE, DOM_WRITE per range, DOM_START. Nothing here forks or
 * prints; a failure after DOM_CREATE destroys the domain before returning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libxvmm/bzimage.h>

#include "cli.h"

uint64_t cli_ram_size(uint64_t memory_mib)
{
	return ((memory_mib << 20) + CLI_RAM_ALIGN - 1) & ~(CLI_RAM_ALIGN - 1);
}

int cli_image_build(struct cli_image *img, const struct xlcfg *cfg,
		    const void *kernel, size_t kernel_size,
		    const void *ramdisk, size_t ramdisk_size, struct xvmm_err *err)
{
	void *elf;
	size_t elf_size;
	bool elf_allocated;
	struct xvmm_build_params p = {
		.ramdisk = ramdisk, .ramdisk_size = ramdisk_size,
		.cmdline = cfg->cmdline, .nr_vcpus = cfg->vcpus,
	};
	void *ram;
	int rc;

	memset(img, 0, sizeof(*img));
	/* A bzImage (/boot/vmlinuz-*) carries the ELF vmlinux compressed. */
	rc = bzimage_kernel_elf(kernel, kernel_size, 0, &elf, &elf_size, &elf_allocated, err);
	if (rc)
		return rc;
	p.kernel = elf;
	p.kernel_size = elf_size;
	img->ram_size = cli_ram_size(cfg->memory_mib);
	img->ram_max = cli_ram_size(cfg->maxmem_mib > cfg->memory_mib ? cfg->maxmem_mib : cfg->memory_mib);
	if (img->ram_max > XVMM_RAM_MAX) {
		if (elf_allocated)
			free(elf);
		return xvmm_err_set(err, -EINVAL, "memory/maxmem = %llu MiB is above the %llu MiB limit",
				    (unsigned long long)(img->ram_max >> 20),
				    (unsigned long long)(XVMM_RAM_MAX >> 20));
	}
	/* Anonymous and untouched: only the pages the builder writes cost memory. */
	ram = mmap(NULL, img->ram_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED) {
		rc = -errno;
		if (elf_allocated)
			free(elf);
		return xvmm_err_set(err, rc, "cannot map %llu MiB for guest RAM: %s",
				    (unsigned long long)(img->ram_size >> 20), strerror(-rc));
	}
	img->ram = ram;
	img->special = calloc(1, XVMM_SPECIAL_SIZE);
	if (!img->special) {
		if (elf_allocated)
			free(elf);
		cli_image_free(img);
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	}
	guest_mem_init(&img->gm, img->ram, img->ram_size, img->special,
		       XVMM_SPECIAL_BASE, XVMM_SPECIAL_SIZE);
	rc = xvmm_build_guest(&img->gm, &p, &img->res, err);
	if (elf_allocated)
		free(elf);
	if (rc)
		cli_image_free(img);
	return rc;
}

void cli_image_free(struct cli_image *img)
{
	if (img->ram)
		munmap(img->ram, img->ram_size);
	free(img->special);
	img->ram = NULL;
	img->special = NULL;
}

/* See cli.h: the CLI links the real one from console_backend.c. */
__attribute__((weak)) int xdev_dom_start_rings(int fd, uint32_t domid, uint64_t entry,
					       uint64_t start_info, uint64_t console_gfn,
					       uint64_t store_gfn, uint32_t max_grant_frames,
					       uint32_t max_maptrack_frames, uint32_t max_evtchn_port,
					       const struct xvmm_memmap_entry *memmap, uint32_t nr_memmap)
{
	(void)console_gfn;
	(void)store_gfn;
	(void)max_grant_frames;
	(void)max_maptrack_frames;
	(void)max_evtchn_port;
	(void)memmap;
	(void)nr_memmap;
	return xdev_dom_start(fd, domid, entry, start_info);
}

uint64_t cli_dom0_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	unsigned long long kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return (uint64_t)kib << 10;
}

/* The memory map of the start info, for XENMEM_memory_map: the same entries. */
static int memmap_of(const struct cli_image *img, struct xvmm_memmap_entry *out)
{
	struct hvm_memmap_table_entry m[XVMM_MEMMAP_MAX];
	int n = guest_memmap_build(&img->res.layout, m, XVMM_MEMMAP_MAX);

	for (int i = 0; i < n; i++)
		out[i] = (struct xvmm_memmap_entry){ .addr = m[i].addr, .size = m[i].size,
						     .type = m[i].type };
	return n;
}

static int write_range(int fd, uint32_t domid, const struct cli_image *img,
		       const struct cli_range *r, struct xvmm_err *err)
{
	uint64_t gpa = r->gpa, left = r->len;

	while (left) {
		uint64_t len = cli_piece_len(gpa, left);
		const void *src = guest_mem_ptr(&img->gm, gpa, len);
		int rc;

		if (!src)
			return xvmm_err_set(err, -EFAULT,
					    "internal error: range [%#llx, +%#llx) is outside the image",
					    (unsigned long long)gpa, (unsigned long long)len);
		rc = xdev_dom_write(fd, domid, gpa, src, len);
		if (rc)
			return xvmm_err_set(err, rc, "DOM_WRITE [%#llx, +%#llx): %s",
					    (unsigned long long)gpa, (unsigned long long)len,
					    cli_dom_strerror(rc));
		gpa += len;
		left -= len;
	}
	return 0;
}

int cli_domain_load(int fd, const struct xlcfg *cfg, const struct cli_image *img,
		    uint32_t *domid, struct xvmm_err *err)
{
	struct xvmm_ioctl_dom_create req = {
		.nr_vcpus = cfg->vcpus,
		.nr_special = CLI_NR_SPECIAL,
		.ram_size = img->ram_size,
		.ram_max = img->ram_max,
		.special_gpa = XVMM_SPECIAL_BASE,
	};
	struct cli_range ranges[CLI_MAX_RANGES];
	struct xvmm_memmap_entry memmap[XVMM_MEMMAP_MAX];
	int n, nr_memmap, rc;

	if (strlen(cfg->name) >= sizeof(req.name))
		return xvmm_err_set(err, -ENAMETOOLONG,
				    "name '%s' is too long for the driver (at most %zu characters)",
				    cfg->name, sizeof(req.name) - 1);
	memcpy(req.name, cfg->name, strlen(cfg->name));
	n = cli_write_ranges(&img->res, ranges, CLI_MAX_RANGES);
	if (n < 0)
		return xvmm_err_set(err, n, "internal error: too many ranges to write");

	nr_memmap = memmap_of(img, memmap);
	if (nr_memmap < 0)
		return xvmm_err_set(err, nr_memmap, "internal error: no memory map");

	rc = xdev_dom_create(fd, &req);
	if (rc == -EEXIST)
		return xvmm_err_set(err, rc, "a domain named '%s' already exists", cfg->name);
	if (rc == -ENOMEM) {
		uint64_t avail = cli_dom0_mem_available();

		return xvmm_err_set(err, rc, "cannot create domain '%s': dom0 cannot give %llu MiB "
				    "of guest RAM (%s; dom0 has %llu MiB available): lower %s",
				    cfg->name, (unsigned long long)(img->ram_max >> 20),
				    img->ram_max > img->ram_size ? "maxmem, all given at creation" : "memory",
				    (unsigned long long)(avail >> 20),
				    img->ram_max > img->ram_size ? "maxmem" : "memory");
	}
	if (rc)
		return xvmm_err_set(err, rc, "cannot create domain '%s': %s", cfg->name,
				    cli_dom_strerror(rc));

	for (int i = 0; i < n; i++) {
		rc = write_range(fd, req.domid, img, &ranges[i], err);
		if (rc)
			goto fail;
	}
	rc = xdev_dom_start_rings(fd, req.domid, img->res.layout.entry,
				  img->res.layout.start_info_addr,
				  XVMM_SPAGE_PFN(XVMM_SPAGE_CONSOLE),
				  XVMM_SPAGE_PFN(XVMM_SPAGE_XENSTORE),
				  cfg->max_grant_frames, cfg->max_maptrack_frames,
				  cfg->max_event_channels, memmap, (uint32_t)nr_memmap);
	if (rc == -ENOMEM) {
		/* The VMM's own memory (its pool) holds each domain's state, page tables, vCPUs. */
		xvmm_err_set(err, rc, "cannot create domain '%s': the VMM's memory pool cannot "
			     "hold it (`xvmm status` shows what is free; `xvmm load --mem MB` "
			     "gives the VMM more)", cfg->name);
		goto fail;
	}
	if (rc) {
		xvmm_err_set(err, rc, "DOM_START: %s", cli_dom_strerror(rc));
		goto fail;
	}
	*domid = req.domid;
	return 0;
fail:
	xdev_dom_destroy(fd, req.domid);
	return rc;
}
