// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI tables for a PVH guest, written byte-wise at fixed offsets from the
 * ACPI 6.x specification (section numbers below). Layout in the window:
 *   RSDP (36 B) | XSDT | FADT | MADT | DSDT, each 16-byte aligned.
 * No RSDT: the RSDP is revision 2 and Linux/ACPICA use the XSDT.
 */
#include <errno.h>
#include <string.h>
#include <xvmm/platform.h>

#include <libxvmm/acpi.h>
#include <libxvmm/layout.h>

#define OEM_ID		"XVMM  "	/* 6 bytes */
#define OEM_TABLE_ID	"XVMMPVH "	/* 8 bytes */
#define OEM_REVISION	1u
#define CREATOR_ID	"XVMM"
#define CREATOR_REV	1u

#define MADT_REVISION	3u		/* as in ACPI 6.0, like the FADT */
#define XSDT_REVISION	1u
#define FADT_REVISION	6u
#define FADT_MINOR	0u
#define DSDT_REVISION	2u		/* 64-bit AML integers */

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint8_t acpi_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *b++);
	return s;
}

/* Make [p, p + len) sum to zero by setting the byte at csum. */
static void set_checksum(uint8_t *p, size_t len, size_t csum)
{
	p[csum] = 0;
	p[csum] = (uint8_t)(0u - acpi_sum(p, len));
}

/* System Description Table Header, ACPI 6.x 5.2.6. Checksum set later. */
static void write_header(uint8_t *p, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(p, sig, 4);
	wr32(p + 4, len);
	p[8] = rev;
	p[9] = 0;
	memcpy(p + 10, OEM_ID, 6);
	memcpy(p + 16, OEM_TABLE_ID, 8);
	wr32(p + 24, OEM_REVISION);
	memcpy(p + 28, CREATOR_ID, 4);
	wr32(p + 32, CREATOR_REV);
}

/*
 * DSDT, 5.2.11.1, whose AML body is one object (19.6.88 Name, 19.6.101
 * Package, 7.4.2 \_S5): Name (_S5, Package (4) { 5, 5, 0, 0 }) -- the
 * soft-off state with SLP_TYP 5, which the guest writes to the FADT's
 * sleep control register to power off.
 */
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_',		/* NameOp, NameString */
	0x12, 0x08, 0x04,			/* PackageOp, PkgLength 8, 4 elements */
	0x0a, XVMM_ACPI_S5_SLP_TYP,		/* BytePrefix 5: SLP_TYPa */
	0x0a, XVMM_ACPI_S5_SLP_TYP,		/* BytePrefix 5: SLP_TYPb */
	0x00, 0x00,				/* ZeroOp, ZeroOp: reserved */
};

static size_t build_dsdt(uint8_t *p)
{
	uint32_t len = ACPI_HDR_SIZE + (uint32_t)sizeof(dsdt_aml);

	write_header(p, "DSDT", len, DSDT_REVISION);
	memcpy(p + ACPI_HDR_SIZE, dsdt_aml, sizeof(dsdt_aml));
	set_checksum(p, len, 9);
	return len;
}

/* A Generic Address Structure (5.2.3.2) for an 8-bit I/O port. */
static void write_gas_io8(uint8_t *p, uint16_t port)
{
	p[0] = 1;				/* System I/O space */
	p[1] = 8;				/* register bit width */
	p[2] = 0;				/* bit offset */
	p[3] = 1;				/* byte access */
	wr64(p + 4, port);
}

/*
 * MADT, 5.2.12: local APIC address, flags (0: no 8259 pair, the guest has
 * no legacy PIC), then one Processor Local APIC structure (5.2.12.2,
 * type 0, length 8) per vCPU: processor UID n, APIC ID 2n, flags Enabled.
 */
static size_t build_madt(uint8_t *p, unsigned int nr_vcpus)
{
	size_t len = ACPI_MADT_FIXED_SIZE + (size_t)nr_vcpus * ACPI_MADT_LAPIC_SIZE;
	uint8_t *e = p + ACPI_MADT_FIXED_SIZE;

	write_header(p, "APIC", (uint32_t)len, MADT_REVISION);
	wr32(p + 36, XVMM_LAPIC_BASE);
	wr32(p + 40, 0);
	for (unsigned int i = 0; i < nr_vcpus; i++, e += ACPI_MADT_LAPIC_SIZE) {
		e[0] = 0;				/* Processor Local APIC */
		e[1] = ACPI_MADT_LAPIC_SIZE;
		e[2] = (uint8_t)i;			/* ACPI processor UID */
		e[3] = (uint8_t)xvmm_vcpu_apic_id(i);
		wr32(e + 4, 1u);			/* Enabled */
	}
	set_checksum(p, len, 9);
	return len;
}

/*
 * FADT, 5.2.9 (revision 6, 276 bytes). Hardware-reduced ACPI (flag bit 20,
 * 4.1): no PM timer, no SCI, no PM1 blocks, so every legacy register block
 * stays zero; the sleep control and status registers (4.8.3.7) are the
 * VMM's ports (include/xvmm/platform.h). No fixed power/sleep buttons, no
 * VGA, no CMOS RTC. The DSDT is given both as the 32-bit DSDT and as
 * X_DSDT.
 */
static size_t build_fadt(uint8_t *p, uint64_t dsdt)
{
	write_header(p, "FACP", ACPI_FADT_SIZE, FADT_REVISION);
	wr32(p + ACPI_FADT_OFF_DSDT, (uint32_t)dsdt);
	wr16(p + ACPI_FADT_OFF_IAPC_BOOT_ARCH, ACPI_IAPC_NO_VGA | ACPI_IAPC_NO_CMOS_RTC);
	wr32(p + ACPI_FADT_OFF_FLAGS,
	     ACPI_FADT_F_WBINVD | ACPI_FADT_F_PROC_C1 | ACPI_FADT_F_PWR_BUTTON |
	     ACPI_FADT_F_SLP_BUTTON | ACPI_FADT_F_HW_REDUCED);
	p[ACPI_FADT_OFF_MINOR_REV] = FADT_MINOR;
	wr64(p + ACPI_FADT_OFF_X_DSDT, dsdt);
	write_gas_io8(p + ACPI_FADT_OFF_SLEEP_CONTROL, XVMM_ACPI_SLEEP_CONTROL_PORT);
	write_gas_io8(p + ACPI_FADT_OFF_SLEEP_STATUS, XVMM_ACPI_SLEEP_STATUS_PORT);
	set_checksum(p, ACPI_FADT_SIZE, 9);
	return ACPI_FADT_SIZE;
}

/* XSDT, 5.2.8: header + 64-bit table addresses. */
static size_t build_xsdt(uint8_t *p, const uint64_t *tables, unsigned int n)
{
	size_t len = ACPI_HDR_SIZE + 8u * n;

	write_header(p, "XSDT", (uint32_t)len, XSDT_REVISION);
	for (unsigned int i = 0; i < n; i++)
		wr64(p + ACPI_HDR_SIZE + 8 * i, tables[i]);
	set_checksum(p, len, 9);
	return len;
}

/*
 * RSDP, 5.2.5.3: revision 2, length 36, RSDT address 0, XSDT address.
 * The first checksum covers bytes 0..19, the extended one all 36.
 */
static void build_rsdp(uint8_t *p, uint64_t xsdt)
{
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, OEM_ID, 6);
	p[15] = 2;
	wr32(p + 16, 0);
	wr32(p + 20, ACPI_RSDP_SIZE);
	wr64(p + 24, xsdt);
	set_checksum(p, 20, 8);
	set_checksum(p, ACPI_RSDP_SIZE, 32);
}

static size_t align16(size_t v)
{
	return (v + 15) & ~(size_t)15;
}

int acpi_build(void *buf, size_t buf_size, uint64_t base_gpa,
	       unsigned int nr_vcpus, struct acpi_tables *out,
	       struct xvmm_err *err)
{
	uint8_t *b = buf;
	size_t rsdp = 0, xsdt, fadt, madt, dsdt, end;
	uint64_t tables[2];

	if (nr_vcpus < 1 || nr_vcpus > XVMM_ACPI_MAX_VCPUS)
		return xvmm_err_set(err, -EINVAL, "ACPI: %u vCPUs (must be 1..%u)",
				    nr_vcpus, XVMM_ACPI_MAX_VCPUS);
	xsdt = align16(rsdp + ACPI_RSDP_SIZE);
	fadt = align16(xsdt + ACPI_HDR_SIZE + 8 * 2);
	madt = align16(fadt + ACPI_FADT_SIZE);
	dsdt = align16(madt + ACPI_MADT_FIXED_SIZE + (size_t)nr_vcpus * ACPI_MADT_LAPIC_SIZE);
	end = dsdt + ACPI_HDR_SIZE + sizeof(dsdt_aml);
	if (!buf || end > buf_size)
		return xvmm_err_set(err, -ENOSPC, "ACPI: tables need %zu bytes, window has %zu",
				    end, buf ? buf_size : 0);
	if (base_gpa > UINT32_MAX - end)
		return xvmm_err_set(err, -EINVAL,
				    "ACPI: window at %#llx is not below 4 GiB (FADT.DSDT is 32-bit)",
				    (unsigned long long)base_gpa);

	memset(b, 0, end);
	build_dsdt(b + dsdt);
	build_madt(b + madt, nr_vcpus);
	build_fadt(b + fadt, base_gpa + dsdt);
	tables[0] = base_gpa + fadt;
	tables[1] = base_gpa + madt;
	build_xsdt(b + xsdt, tables, 2);
	build_rsdp(b + rsdp, base_gpa + xsdt);

	if (out) {
		out->rsdp = base_gpa + rsdp;
		out->xsdt = base_gpa + xsdt;
		out->fadt = base_gpa + fadt;
		out->madt = base_gpa + madt;
		out->dsdt = base_gpa + dsdt;
		out->used = end;
	}
	return 0;
}
