// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which parts of the built image DOM_WRITE copies into the domain. libxvmm
 * reports where it put everything (struct xvmm_build_result: ELF segments,
 * guest_layout, acpi_tables); the rest of guest RAM is untouched zeroes in
 * the anonymous mapping and is not copied.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"

#define PAGE_DOWN(x)	((x) & ~(XVMM_PAGE_SIZE - 1))

static int add(struct cli_range *r, unsigned int *n, unsigned int cap,
	       uint64_t gpa, uint64_t len)
{
	uint64_t lo, hi;

	if (!len)
		return 0;
	if (*n >= cap)
		return -E2BIG;
	lo = PAGE_DOWN(gpa);
	hi = XVMM_PAGE_ALIGN(gpa + len);
	r[*n].gpa = lo;
	r[*n].len = hi - lo;
	(*n)++;
	return 0;
}

static int by_gpa(const void *a, const void *b)
{
	const struct cli_range *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

int cli_write_ranges(const struct xvmm_build_result *res, struct cli_range *out,
		     unsigned int max)
{
	struct cli_range tmp[CLI_MAX_RANGES];
	const struct guest_layout *lay = &res->layout;
	unsigned int n = 0, m = 0;
	int rc = 0;

	for (unsigned int i = 0; !rc && i < res->elf.nr_segs && i < ELF_LOAD_MAX_SEGS; i++)
		rc = add(tmp, &n, CLI_MAX_RANGES, res->elf.segs[i].paddr, res->elf.segs[i].memsz);
	if (!rc && lay->ramdisk_addr)
		rc = add(tmp, &n, CLI_MAX_RANGES, lay->ramdisk_addr, lay->ramdisk_size);
	if (!rc)
		rc = add(tmp, &n, CLI_MAX_RANGES, lay->bootinfo_addr, XVMM_PAGE_SIZE);
	if (!rc)
		rc = add(tmp, &n, CLI_MAX_RANGES, lay->acpi_addr, res->acpi.used);
	if (!rc)
		rc = add(tmp, &n, CLI_MAX_RANGES, lay->spages_addr, XVMM_SPAGES_SIZE);
	if (rc)
		return rc;

	qsort(tmp, n, sizeof(tmp[0]), by_gpa);
	for (unsigned int i = 0; i < n; i++) {
		/* Merge overlapping or touching ranges, but never RAM with the special window. */
		if (m && tmp[i].gpa <= out[m - 1].gpa + out[m - 1].len &&
		    (tmp[i].gpa >= XVMM_SPECIAL_BASE) == (out[m - 1].gpa >= XVMM_SPECIAL_BASE)) {
			uint64_t end = tmp[i].gpa + tmp[i].len;

			if (end > out[m - 1].gpa + out[m - 1].len)
				out[m - 1].len = end - out[m - 1].gpa;
			continue;
		}
		if (m >= max)
			return -E2BIG;
		out[m++] = tmp[i];
	}
	return (int)m;
}

uint64_t cli_piece_len(uint64_t gpa, uint64_t len)
{
	uint64_t room = CLI_RAM_ALIGN - (gpa & (CLI_RAM_ALIGN - 1));

	return len < room ? len : room;
}
