// SPDX-License-Identifier: GPL-2.0-only
/* Bounds-checked access to guest-physical memory (RAM + special window). */
#include <errno.h>
#include <string.h>

#include <libxvmm/guest_mem.h>

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

bool guest_mem_in_ram(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	return gm->ram && range_in(gpa, len, 0, gm->ram_size);
}

void *guest_mem_ptr(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	if (guest_mem_in_ram(gm, gpa, len))
		return gm->ram + gpa;
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
