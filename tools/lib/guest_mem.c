// SPDX-License-Identifier: GPL-2.0-only
/* Bounds-checked access to guest-physical memory (RAM + special window). */
#include <errno.h>
#include <string.h>

#include <libxvmm/guest_mem.h>
#include <xvmm/ram_layout.h>

void guest_mem_init(struct guest_mem *gm, void *ram, uint64_t ram_size,
		    void *special, uint64_t special_base, uint64_t special_size)
{
	gm->ram = ram;
	gm->ram_size = ram ? ram_size : 0;
	gm->special = special;
	gm->special_base = special_base;
	gm->special_size = special ? special_size : 0;
}

/* [gpa, gpa + len) inside [base, base + size)? Written to never overflow. */
static int range_in(uint64_t gpa, uint64_t len, uint64_t base, uint64_t size)
{
	if (gpa < base)
		return 0;
	if (gpa - base > size)
		return 0;
	return len <= size - (gpa - base);
}

/* Offset in gm->ram of [gpa, gpa + len), all in one RAM range; false if not RAM. */
static bool ram_offset(const struct guest_mem *gm, uint64_t gpa, uint64_t len, uint64_t *off)
{
	struct xvmm_ram_range r[2];
	unsigned int n = gm->ram ? xvmm_ram_split(gm->ram_size, r) : 0;

	for (unsigned int i = 0; i < n; i++) {
		if (range_in(gpa, len, r[i].gpa, r[i].size)) {
			*off = gpa - r[i].gpa + (i ? XVMM_RAM_LOW_END : 0);
			return true;
		}
	}
	return false;
}

bool guest_mem_in_ram(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	uint64_t off;

	return ram_offset(gm, gpa, len, &off);
}

void *guest_mem_ptr(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	uint64_t off;

	if (ram_offset(gm, gpa, len, &off))
		return gm->ram + off;
	if (gm->special && range_in(gpa, len, gm->special_base, gm->special_size))
		return gm->special + (gpa - gm->special_base);
	return NULL;
}

int guest_mem_write(const struct guest_mem *gm, uint64_t gpa,
		    const void *src, uint64_t len, struct xvmm_err *err)
{
	void *dst = guest_mem_ptr(gm, gpa, len);

	if (!dst)
		return xvmm_err_set(err, -EFAULT,
				    "guest write [%#llx, +%#llx) is outside guest memory",
				    (unsigned long long)gpa, (unsigned long long)len);
	if (len)
		memcpy(dst, src, len);
	return 0;
}

int guest_mem_zero(const struct guest_mem *gm, uint64_t gpa, uint64_t len,
		   struct xvmm_err *err)
{
	void *dst = guest_mem_ptr(gm, gpa, len);

	if (!dst)
		return xvmm_err_set(err, -EFAULT,
				    "guest zero-fill [%#llx, +%#llx) is outside guest memory",
				    (unsigned long long)gpa, (unsigned long long)len);
	if (len)
		memset(dst, 0, len);
	return 0;
}
