// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest layout and PVH boot information (Xen docs/misc/pvh.pandoc and
 * public/arch-x86/hvm/start_info.h): hvm_start_info version 1 with a
 * memory map, module 0 = the ramdisk (what Linux's PVH entry expects),
 * the command line, everything below 4 GiB ("Xen on x86 will always try
 * to place all the data below the 4GiB boundary"). RAM beyond the gap
 * under 4 GiB is above 4 GiB (include/xvmm/ram_layout.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <libxvmm/start_info.h>

int guest_layout_plan(struct guest_layout *lay, uint64_t ram_size,
		      uint64_t kernel_lo, uint64_t kernel_hi, uint32_t entry,
		      uint64_t ramdisk_size, size_t cmdline_len,
		      unsigned int nr_vcpus, struct xvmm_err *err)
{
	uint64_t limit, next;

	memset(lay, 0, sizeof(*lay));
	if (ram_size == 0 || ram_size % XVMM_PAGE_SIZE)
		return xvmm_err_set(err, -EINVAL, "guest RAM size %#" PRIx64 " is not a non-zero page multiple",
				    ram_size);
	if (ram_size > XVMM_RAM_MAX)
		return xvmm_err_set(err, -EINVAL,
				    "guest RAM %" PRIu64 " MiB is above the %llu MiB limit",
				    ram_size >> 20, XVMM_RAM_MAX >> 20);
	/* Kernel, ramdisk and boot information all go below the gap. */
	limit = ram_size < XVMM_RAM_LOW_END ? ram_size : XVMM_RAM_LOW_END;
	if (kernel_hi <= kernel_lo || kernel_hi > limit)
		return xvmm_err_set(err, -ENOSPC,
				    "kernel [%#" PRIx64 ", %#" PRIx64 ") does not fit in guest RAM [0, %#" PRIx64 ")",
				    kernel_lo, kernel_hi, limit);
	if (nr_vcpus < 1 || nr_vcpus > 64)
		return xvmm_err_set(err, -EINVAL, "%u vCPUs (must be 1..64)", nr_vcpus);
	if (cmdline_len >= XVMM_CMDLINE_MAX)
		return xvmm_err_set(err, -E2BIG, "command line is %zu bytes (at most %u)",
				    cmdline_len, XVMM_CMDLINE_MAX - 1);

	lay->ram_size = ram_size;
	lay->kernel_lo = kernel_lo;
	lay->kernel_hi = kernel_hi;
	lay->entry = entry;
	lay->nr_vcpus = nr_vcpus;
	next = XVMM_PAGE_ALIGN(kernel_hi);

	if (ramdisk_size) {
		if (ramdisk_size > limit || next > limit - ramdisk_size)
			return xvmm_err_set(err, -ENOSPC,
					    "ramdisk of %" PRIu64 " bytes does not fit after the kernel "
					    "(RAM ends at %#" PRIx64 "): raise memory",
					    ramdisk_size, limit);
		lay->ramdisk_addr = next;
		lay->ramdisk_size = ramdisk_size;
		lay->nr_modules = 1;
		next = XVMM_PAGE_ALIGN(next + ramdisk_size);
	}

	if (next > limit - XVMM_PAGE_SIZE)
		return xvmm_err_set(err, -ENOSPC,
				    "no room for the boot-info page at %#" PRIx64 " (RAM ends at %#" PRIx64 "): raise memory",
				    next, limit);
	lay->bootinfo_addr = next;
	lay->start_info_addr = next + XVMM_BOOTINFO_START_INFO;
	lay->modlist_addr = lay->nr_modules ? next + XVMM_BOOTINFO_MODLIST : 0;
	lay->memmap_addr = next + XVMM_BOOTINFO_MEMMAP;
	if (cmdline_len) {
		lay->cmdline_addr = next + XVMM_BOOTINFO_CMDLINE;
		lay->cmdline_size = cmdline_len + 1;
	}

	lay->special_base = XVMM_SPECIAL_BASE;
	lay->special_size = XVMM_SPECIAL_SIZE;
	lay->acpi_addr = XVMM_ACPI_BASE;
	lay->acpi_size = XVMM_ACPI_SIZE;
	lay->spages_addr = XVMM_SPAGES_BASE;
	lay->memmap_entries = ram_size > XVMM_RAM_LOW_END ? 4 : 3;
	return 0;
}

/*
 * As libxl__arch_domain_construct_memmap for PVH: low RAM, then what sits
 * in the gap (here the ACPI tables and the special pages), then RAM above
 * 4 GiB if any.
 */
int guest_memmap_build(const struct guest_layout *lay,
		       struct hvm_memmap_table_entry *out, unsigned int max)
{
	struct xvmm_ram_range ram[2];
	unsigned int nr_ram = xvmm_ram_split(lay->ram_size, ram);
	struct hvm_memmap_table_entry map[4];
	unsigned int n = 0;

	if (nr_ram == 0)
		return -EINVAL;
	map[n++] = (struct hvm_memmap_table_entry){
		.addr = ram[0].gpa, .size = ram[0].size, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	map[n++] = (struct hvm_memmap_table_entry){
		.addr = lay->acpi_addr, .size = lay->acpi_size, .type = XEN_HVM_MEMMAP_TYPE_ACPI };
	/* Reserved, not RAM: Linux ioremaps the console page here. */
	map[n++] = (struct hvm_memmap_table_entry){
		.addr = lay->spages_addr, .size = XVMM_SPAGES_SIZE,
		.type = XEN_HVM_MEMMAP_TYPE_RESERVED };
	if (nr_ram > 1)
		map[n++] = (struct hvm_memmap_table_entry){
			.addr = ram[1].gpa, .size = ram[1].size, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	if (max < n)
		return -ENOSPC;
	memcpy(out, map, n * sizeof(map[0]));
	return (int)n;
}

int guest_boot_info_write(const struct guest_layout *lay,
			  const struct guest_mem *gm,
			  const void *ramdisk, const char *cmdline,
			  struct xvmm_err *err)
{
	struct hvm_memmap_table_entry map[XVMM_BOOTINFO_MAX_MEMMAP];
	struct hvm_start_info si;
	int n, rc;

	if (!guest_mem_in_ram(gm, lay->bootinfo_addr, XVMM_PAGE_SIZE))
		return xvmm_err_set(err, -EFAULT, "boot-info page %#" PRIx64 " is outside guest RAM",
				    lay->bootinfo_addr);
	rc = guest_mem_zero(gm, lay->bootinfo_addr, XVMM_PAGE_SIZE, err);
	if (rc)
		return rc;

	if (lay->ramdisk_size) {
		struct hvm_modlist_entry mod = {
			.paddr = lay->ramdisk_addr,
			.size = lay->ramdisk_size,
		};

		if (!ramdisk)
			return xvmm_err_set(err, -EINVAL, "layout has a ramdisk but no ramdisk data given");
		rc = guest_mem_write(gm, lay->ramdisk_addr, ramdisk, lay->ramdisk_size, err);
		if (!rc)
			rc = guest_mem_write(gm, lay->modlist_addr, &mod, sizeof(mod), err);
		if (rc)
			return rc;
	}

	if (lay->cmdline_size) {
		if (!cmdline || strlen(cmdline) + 1 != lay->cmdline_size)
			return xvmm_err_set(err, -EINVAL, "command line differs from the planned one");
		rc = guest_mem_write(gm, lay->cmdline_addr, cmdline, lay->cmdline_size, err);
		if (rc)
			return rc;
	}

	n = guest_memmap_build(lay, map, XVMM_BOOTINFO_MAX_MEMMAP);
	if (n < 0)
		return xvmm_err_set(err, n, "memory map has too many entries");
	rc = guest_mem_write(gm, lay->memmap_addr, map, (uint64_t)n * sizeof(map[0]), err);
	if (rc)
		return rc;

	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = XEN_HVM_START_INFO_VERSION;
	si.flags = 0;
	si.nr_modules = lay->nr_modules;
	si.modlist_paddr = lay->modlist_addr;
	si.cmdline_paddr = lay->cmdline_addr;
	si.rsdp_paddr = lay->rsdp_addr;
	si.memmap_paddr = lay->memmap_addr;
	si.memmap_entries = (uint32_t)n;
	return guest_mem_write(gm, lay->start_info_addr, &si, sizeof(si), err);
}
