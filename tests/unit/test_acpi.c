// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the ACPI builder (tools/lib/acpi.c): build the tables,
 * then walk them the way an OS does (RSDP -> XSDT -> FADT/MADT -> DSDT),
 * checking signatures, lengths and checksums (ACPI 6.x, 5.2).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <libxvmm/acpi.h>
#include <xvmm/platform.h>
#include <libxvmm/layout.h>

#define BASE 0xfc000000ull

static uint8_t win[XVMM_ACPI_SIZE];
static struct acpi_tables t;
static struct xvmm_err err;

static uint32_t r32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t r64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Host pointer for a guest address inside the window. */
static const uint8_t *at(uint64_t gpa, size_t len)
{
	assert_true(gpa >= BASE);
	assert_true(gpa - BASE + len <= t.used);
	return win + (gpa - BASE);
}

/* Check a table header; returns the table. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *p = at(gpa, ACPI_HDR_SIZE);
	uint32_t len = r32(p + 4);

	assert_memory_equal(p, sig, 4);
	assert_true(len >= ACPI_HDR_SIZE);
	at(gpa, len);
	assert_int_equal(acpi_sum(p, len), 0);
	assert_memory_equal(p + 10, "XVMM  ", 6);
	return p;
}

static void build(unsigned int n)
{
	memset(win, 0xcc, sizeof(win));
	assert_int_equal(acpi_build(win, sizeof(win), BASE, n, &t, &err), 0);
}

static void check_all(unsigned int n)
{
	const uint8_t *rsdp, *xsdt, *fadt, *madt, *dsdt;
	uint32_t xlen;

	build(n);
	/* RSDP: 5.2.5.3 */
	rsdp = at(t.rsdp, ACPI_RSDP_SIZE);
	assert_int_equal(t.rsdp % 16, 0);
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(acpi_sum(rsdp, 20), 0);
	assert_int_equal(acpi_sum(rsdp, 36), 0);
	assert_int_equal(rsdp[15], 2);
	assert_int_equal(r32(rsdp + 16), 0);		/* no RSDT */
	assert_int_equal(r32(rsdp + 20), 36);
	assert_int_equal(r64(rsdp + 24), t.xsdt);

	/* XSDT: FADT then MADT */
	xsdt = table(t.xsdt, "XSDT");
	xlen = r32(xsdt + 4);
	assert_int_equal(xlen, ACPI_HDR_SIZE + 16);
	assert_int_equal(r64(xsdt + 36), t.fadt);
	assert_int_equal(r64(xsdt + 44), t.madt);

	/* FADT */
	fadt = table(t.fadt, "FACP");
	assert_int_equal(r32(fadt + 4), ACPI_FADT_SIZE);
	assert_int_equal(fadt[8], 6);
	assert_true(r32(fadt + ACPI_FADT_OFF_FLAGS) & ACPI_FADT_F_HW_REDUCED);
	assert_int_equal(r64(fadt + ACPI_FADT_OFF_X_DSDT), t.dsdt);
	assert_int_equal(r32(fadt + ACPI_FADT_OFF_DSDT), (uint32_t)t.dsdt);
	assert_int_equal(r32(fadt + 76), 0);		/* no PM timer block */
	assert_int_equal(fadt[ACPI_FADT_OFF_IAPC_BOOT_ARCH],
			 ACPI_IAPC_NO_VGA | ACPI_IAPC_NO_CMOS_RTC);
	/* Sleep control/status: 8-bit System I/O registers at the VMM's ports. */
	assert_int_equal(fadt[ACPI_FADT_OFF_SLEEP_CONTROL], 1);
	assert_int_equal(fadt[ACPI_FADT_OFF_SLEEP_CONTROL + 1], 8);
	assert_int_equal(r64(fadt + ACPI_FADT_OFF_SLEEP_CONTROL + 4), XVMM_ACPI_SLEEP_CONTROL_PORT);
	assert_int_equal(fadt[ACPI_FADT_OFF_SLEEP_STATUS], 1);
	assert_int_equal(r64(fadt + ACPI_FADT_OFF_SLEEP_STATUS + 4), XVMM_ACPI_SLEEP_STATUS_PORT);

	/* DSDT: one object, Name (_S5, Package (4) { 5, 5, 0, 0 }) */
	dsdt = table(t.dsdt, "DSDT");
	assert_int_equal(r32(dsdt + 4), ACPI_HDR_SIZE + 14);
	assert_int_equal(dsdt[8], 2);
	assert_memory_equal(dsdt + ACPI_HDR_SIZE, "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00", 14);

	/* MADT: one enabled LAPIC per vCPU, APIC ID 2n */
	madt = table(t.madt, "APIC");
	assert_int_equal(r32(madt + 4), ACPI_MADT_FIXED_SIZE + 8 * n);
	assert_int_equal(r32(madt + 36), 0xfee00000u);
	assert_int_equal(r32(madt + 40), 0);
	unsigned int seen = 0;
	for (uint32_t off = ACPI_MADT_FIXED_SIZE; off < r32(madt + 4); off += madt[off + 1]) {
		assert_int_equal(madt[off], 0);		/* Processor Local APIC */
		assert_int_equal(madt[off + 1], 8);
		assert_int_equal(madt[off + 2], seen);	/* processor UID */
		assert_int_equal(madt[off + 3], 2 * seen);
		assert_int_equal(madt[off + 3], xvmm_vcpu_apic_id(seen));
		assert_int_equal(r32(madt + off + 4), 1);	/* enabled */
		seen++;
	}
	assert_int_equal(seen, n);

	/* 16-byte aligned, non-overlapping, in order */
	assert_true(t.rsdp < t.xsdt && t.xsdt < t.fadt && t.fadt < t.madt && t.madt < t.dsdt);
	assert_int_equal(t.xsdt % 16, 0);
	assert_int_equal(t.fadt % 16, 0);
	assert_int_equal(t.madt % 16, 0);
	assert_int_equal(t.dsdt % 16, 0);
	assert_int_equal(t.used, t.dsdt - BASE + ACPI_HDR_SIZE + 14);
}

static void test_one_vcpu(void **state)
{
	(void)state;
	check_all(1);
}

static void test_four_vcpus(void **state)
{
	(void)state;
	check_all(4);
}

static void test_max_vcpus(void **state)
{
	(void)state;
	check_all(XVMM_ACPI_MAX_VCPUS);
	assert_int_equal(xvmm_vcpu_apic_id(63), 126);
}

static void test_checksum_detects_change(void **state)
{
	(void)state;
	build(2);
	uint8_t *madt = win + (t.madt - BASE);

	madt[ACPI_MADT_FIXED_SIZE + 3] ^= 1;
	assert_int_not_equal(acpi_sum(madt, ACPI_MADT_FIXED_SIZE + 16), 0);
}

static void test_rejects(void **state)
{
	(void)state;
	assert_int_equal(acpi_build(win, sizeof(win), BASE, 0, &t, &err), -EINVAL);
	assert_string_equal(err.msg, "ACPI: 0 vCPUs (must be 1..64)");
	assert_int_equal(acpi_build(win, sizeof(win), BASE, 65, &t, &err), -EINVAL);
	assert_int_equal(acpi_build(win, 200, BASE, 1, &t, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "ACPI: tables need"));
	assert_int_equal(acpi_build(NULL, 0, BASE, 1, &t, &err), -ENOSPC);
	assert_int_equal(acpi_build(win, sizeof(win), 0x100000000ull, 1, &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not below 4 GiB"));
}

static void test_sum(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x80, 0x80, 0x01 };

	assert_int_equal(acpi_sum(b, 3), 1);
	assert_int_equal(acpi_sum(b, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_vcpu),
		cmocka_unit_test(test_four_vcpus),
		cmocka_unit_test(test_max_vcpus),
		cmocka_unit_test(test_checksum_detects_change),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_sum),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
