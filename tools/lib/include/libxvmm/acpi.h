// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI tables for a PVH guest: RSDP (revision 2, XSDT only), XSDT, FADT
 * (hardware-reduced), MADT (one enabled Processor Local APIC per vCPU, no
 * I/O APIC) and a header-only DSDT. ACPI 6.x spec sections 5.2.5 (RSDP),
 * 5.2.6 (header), 5.2.8 (XSDT), 5.2.9 (FADT), 5.2.11.1 (DSDT),
 * 5.2.12 (MADT).
 */
#ifndef LIBXVMM_ACPI_H
#define LIBXVMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include <libxvmm/error.h>

#define XVMM_ACPI_MAX_VCPUS	64u

/*
 * APIC ID of vCPU n: 2 * n, as Xen does (libxl's acpi_lapic_id() and the
 * Xen vLAPIC's initial ID). The VMM's vLAPIC and CPUID leaf 1 EBX[31:24]
 * must report the same value.
 */
static inline uint32_t xvmm_vcpu_apic_id(unsigned int vcpu)
{
	return 2u * vcpu;
}

/* Table sizes (bytes) produced by this builder. */
#define ACPI_HDR_SIZE		36u
#define ACPI_RSDP_SIZE		36u
#define ACPI_FADT_SIZE		276u	/* ACPI 6.0+ FADT, revision 6 */
#define ACPI_MADT_LAPIC_SIZE	8u
#define ACPI_MADT_FIXED_SIZE	44u	/* header + LAPIC address + flags */

/* FADT field offsets and flags used here (ACPI 6.x, Table 5-33 / 5-34). */
#define ACPI_FADT_OFF_DSDT		40u
#define ACPI_FADT_OFF_IAPC_BOOT_ARCH	109u
#define ACPI_FADT_OFF_FLAGS		112u
#define ACPI_FADT_OFF_MINOR_REV		131u
#define ACPI_FADT_OFF_X_DSDT		140u
#define ACPI_FADT_OFF_SLEEP_CONTROL	244u	/* GAS, hardware-reduced sleep control */
#define ACPI_FADT_OFF_SLEEP_STATUS	256u	/* GAS, sleep status */
#define ACPI_FADT_OFF_HYPERVISOR_ID	268u
#define ACPI_FADT_F_WBINVD		(1u << 0)
#define ACPI_FADT_F_PROC_C1		(1u << 2)
#define ACPI_FADT_F_PWR_BUTTON		(1u << 4)	/* no fixed power button */
#define ACPI_FADT_F_SLP_BUTTON		(1u << 5)	/* no fixed sleep button */
#define ACPI_FADT_F_HW_REDUCED		(1u << 20)
#define ACPI_IAPC_NO_VGA		(1u << 2)
#define ACPI_IAPC_NO_CMOS_RTC		(1u << 5)

struct acpi_tables {
	uint64_t rsdp, xsdt, fadt, madt, dsdt;	/* guest-physical addresses */
	size_t used;				/* bytes of buf written */
};

/*
 * Build the tables into buf, which the guest sees at guest-physical
 * base_gpa (all table addresses below are inside [base_gpa, +buf_size)).
 * nr_vcpus 1..XVMM_ACPI_MAX_VCPUS. -EINVAL / -ENOSPC with a message.
 */
int acpi_build(void *buf, size_t buf_size, uint64_t base_gpa,
	       unsigned int nr_vcpus, struct acpi_tables *out,
	       struct xvmm_err *err);

/* Byte sum of [p, p + len) modulo 256: 0 for a correctly checksummed table. */
uint8_t acpi_sum(const void *p, size_t len);

#endif /* LIBXVMM_ACPI_H */
