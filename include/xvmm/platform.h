/* SPDX-License-Identifier: MIT */
/*
 * The virtual platform a PVH guest finds on xvmm, where the toolstack
 * (ACPI tables) and the VMM (the emulation) must agree.
 *
 * Hardware-reduced ACPI sleep registers (ACPI 6.x, 4.8.3.7): the FADT's
 * SLEEP_CONTROL_REG and SLEEP_STATUS_REG are these 8-bit I/O ports, and
 * the DSDT names \_S5 with SLP_TYP 5. A guest writing SLP_EN | SLP_TYP=5
 * to the control register powers the domain off (Linux's acpi_power_off).
 */
#ifndef XVMM_PLATFORM_H
#define XVMM_PLATFORM_H

#define XVMM_ACPI_SLEEP_STATUS_PORT	0xb000
#define XVMM_ACPI_SLEEP_CONTROL_PORT	0xb004
#define XVMM_ACPI_S5_SLP_TYP		5
#define XVMM_ACPI_SLP_TYP_SHIFT		2	/* SLP_TYPx in bits 4:2 */
#define XVMM_ACPI_SLP_TYP_MASK		0x1c
#define XVMM_ACPI_SLP_EN		0x20

#endif
