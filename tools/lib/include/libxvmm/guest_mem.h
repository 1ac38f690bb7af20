// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest physical memory as the domain builder sees it: two host buffers.
 *
 *   ram      backs the domain's ram_size bytes of RAM, in order: guest-
 *            physical [0, min(ram_size, 0xFC000000)), the rest at 4 GiB
 *            (include/xvmm/ram_layout.h)
 *   special  backs [special_base, special_base + special_size), outside RAM:
 *            ACPI tables and the special pages (console/xenstore rings)
 *
 * Every access goes through guest_mem_ptr(), which refuses any range that
 * is not wholly inside one of the windows (no wrap-around either; a RAM
 * range does not cross the gap).
 */
#ifndef LIBXVMM_GUEST_MEM_H
#define LIBXVMM_GUEST_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include <libxvmm/error.h>

struct guest_mem {
	uint8_t *ram;
	uint64_t ram_size;
	uint8_t *special;
	uint64_t special_base;
	uint64_t special_size;
};

void guest_mem_init(struct guest_mem *gm, void *ram, uint64_t ram_size,
		    void *special, uint64_t special_base, uint64_t special_size);

/* Host pointer for [gpa, gpa + len), or NULL if not wholly in one window. */
void *guest_mem_ptr(const struct guest_mem *gm, uint64_t gpa, uint64_t len);

/* True if [gpa, gpa + len) lies in guest RAM. */
bool guest_mem_in_ram(const struct guest_mem *gm, uint64_t gpa, uint64_t len);

/* Copy / zero-fill guest memory; -EFAULT with a message when out of bounds. */
int guest_mem_write(const struct guest_mem *gm, uint64_t gpa,
		    const void *src, uint64_t len, struct xvmm_err *err);
int guest_mem_zero(const struct guest_mem *gm, uint64_t gpa, uint64_t len,
		   struct xvmm_err *err);

#endif /* LIBXVMM_GUEST_MEM_H */
