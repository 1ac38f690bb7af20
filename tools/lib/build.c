// SPDX-License-Identifier: GPL-2.0-only
/* The domain builder: kernel, layout, ACPI, boot info, in that order. */
#include <errno.h>
#include <string.h>

#include <libxvmm/build.h>

int xvmm_build_guest(const struct guest_mem *gm,
		     const struct xvmm_build_params *p,
		     struct xvmm_build_result *res, struct xvmm_err *err)
{
	const char *cmdline = p->cmdline ? p->cmdline : "";
	void *acpi_buf;
	int rc;

	memset(res, 0, sizeof(*res));
	if (gm->special_base != XVMM_SPECIAL_BASE || gm->special_size < XVMM_SPECIAL_SIZE)
		return xvmm_err_set(err, -EINVAL,
				    "special window must be %#llx bytes at %#llx",
				    XVMM_SPECIAL_SIZE, XVMM_SPECIAL_BASE);
	if (p->ramdisk_size && !p->ramdisk)
		return xvmm_err_set(err, -EINVAL, "ramdisk size given without data");

	rc = elf_load(p->kernel, p->kernel_size, gm, &res->elf, err);
	if (rc)
		return rc;
	rc = guest_layout_plan(&res->layout, gm->ram_size, res->elf.paddr_lo,
			       res->elf.paddr_hi, res->elf.pvh_entry,
			       p->ramdisk_size, strlen(cmdline), p->nr_vcpus, err);
	if (rc)
		return rc;

	acpi_buf = guest_mem_ptr(gm, res->layout.acpi_addr, res->layout.acpi_size);
	if (!acpi_buf)
		return xvmm_err_set(err, -EFAULT, "ACPI window is outside guest memory");
	rc = acpi_build(acpi_buf, res->layout.acpi_size, res->layout.acpi_addr,
			p->nr_vcpus, &res->acpi, err);
	if (rc)
		return rc;
	res->layout.rsdp_addr = res->acpi.rsdp;

	return guest_boot_info_write(&res->layout, gm, p->ramdisk, cmdline, err);
}
