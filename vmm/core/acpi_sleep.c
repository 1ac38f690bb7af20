// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's ACPI sleep registers (hardware-reduced ACPI, 6.x 4.8.3.7;
 * ports in include/xvmm/platform.h, named by the toolstack's FADT): S5
 * written with SLP_EN powers the domain off, as Xen's ACPI PM emulation
 * does. Other sleep states are not offered (the DSDT names only \_S5)
 * and are ignored. The status register reads 0: nothing ever wakes.
 */
#include "domain.h"
#include "vlapic.h"
#include <xen/sched.h>
#include <xvmm/platform.h>

bool acpi_sleep_io(struct vcpu *v, u16 port, bool in, unsigned int size, u32 *val)
{
	u32 typ;

	if (port != XVMM_ACPI_SLEEP_CONTROL_PORT && port != XVMM_ACPI_SLEEP_STATUS_PORT)
		return false;
	(void)size;
	if (in) {
		*val = 0;
		return true;
	}
	typ = (*val & XVMM_ACPI_SLP_TYP_MASK) >> XVMM_ACPI_SLP_TYP_SHIFT;
	if (port == XVMM_ACPI_SLEEP_CONTROL_PORT && (*val & XVMM_ACPI_SLP_EN) &&
	    typ == XVMM_ACPI_S5_SLP_TYP) {
		spin_lock(&v->domain->lock);
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
		spin_unlock(&v->domain->lock);
	}
	return true;
}
