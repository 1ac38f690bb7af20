/* SPDX-License-Identifier: MIT */
/*
 * Where a domain's RAM sits in guest-physical space: the one definition
 * shared by the VMM, the driver and the tools (docs/domain-builder.md).
 *
 * RAM is a list of bytes in order (the driver's 2 MiB chunks, one after
 * another). The first XVMM_RAM_LOW_END bytes sit at guest-physical 0 and
 * up; the rest at 4 GiB and up. The gap [XVMM_RAM_LOW_END, 4 GiB) holds
 * the special area (ACPI tables, rings) and the local APIC, as Xen's PVH
 * builder leaves it: libxl_dom.c makes the MMIO hole of a PVH domain
 * without a device model start at the lowest of the special pages, the
 * local APIC and ACPI_INFO_PHYSICAL_ADDRESS (0xFC000000), puts RAM below
 * it (lowmem_end) and the rest above 4 GiB (highmem_end).
 */
#ifndef XVMM_RAM_LAYOUT_H
#define XVMM_RAM_LAYOUT_H

#define XVMM_RAM_LOW_END	0xfc000000ull	/* RAM below 4 GiB ends here */
#define XVMM_RAM_HIGH_BASE	0x100000000ull	/* the rest starts at 4 GiB */

/* One range of guest-physical RAM. */
struct xvmm_ram_range {
	unsigned long long gpa;
	unsigned long long size;
};

/* Guest-physical address of RAM byte @off. */
static inline unsigned long long xvmm_ram_gpa(unsigned long long off)
{
	return off < XVMM_RAM_LOW_END ? off : off - XVMM_RAM_LOW_END + XVMM_RAM_HIGH_BASE;
}

/*
 * The RAM byte at guest-physical @gpa of a domain with @ram bytes of RAM:
 * 1 and *off, or 0 if nothing of its RAM is there.
 */
static inline int xvmm_ram_off(unsigned long long gpa, unsigned long long ram,
			       unsigned long long *off)
{
	unsigned long long o;

	if (gpa < XVMM_RAM_LOW_END)
		o = gpa;
	else if (gpa >= XVMM_RAM_HIGH_BASE && gpa - XVMM_RAM_HIGH_BASE < ram)
		o = gpa - XVMM_RAM_HIGH_BASE + XVMM_RAM_LOW_END;
	else
		return 0;
	if (o >= ram)
		return 0;
	*off = o;
	return 1;
}

/*
 * Split @ram bytes of RAM into its guest-physical ranges, in address
 * order: out[0] below the gap, out[1] above 4 GiB if any. Returns how
 * many (0 for no RAM).
 */
static inline unsigned int xvmm_ram_split(unsigned long long ram, struct xvmm_ram_range out[2])
{
	unsigned int n = 0;

	if (ram) {
		out[n].gpa = 0;
		out[n++].size = ram < XVMM_RAM_LOW_END ? ram : XVMM_RAM_LOW_END;
	}
	if (ram > XVMM_RAM_LOW_END) {
		out[n].gpa = XVMM_RAM_HIGH_BASE;
		out[n++].size = ram - XVMM_RAM_LOW_END;
	}
	return n;
}

/* One past the highest guest frame of @ram bytes of RAM (XENMEM_maximum_ram_page). */
static inline unsigned long long xvmm_ram_end_gpa(unsigned long long ram)
{
	return ram <= XVMM_RAM_LOW_END ? ram : ram - XVMM_RAM_LOW_END + XVMM_RAM_HIGH_BASE;
}

#endif /* XVMM_RAM_LAYOUT_H */
