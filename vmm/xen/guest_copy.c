// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall buffers by guest linear address (xen_internal.h): translate
 * each page through the guest's page tables, then copy by guest-physical
 * address, so a buffer may span pages that are not contiguous in the guest.
 */
#include "guest_walk.h"
#include "xen_internal.h"

int xen_copy_guest(struct vcpu *v, u64 addr, void *buf, size_t len, bool to_guest)
{
	u8 *p = buf;

	while (len) {
		size_t n = 4096 - (addr & 4095);
		u64 gpa;
		int rc;

		if (n > len)
			n = len;
		if (guest_linear_to_gpa(v, addr, to_guest, &gpa))
			return -XEN_EFAULT;
		rc = to_guest ? copy_to_guest(v->domain, gpa, p, n) :
				copy_from_guest(v->domain, p, gpa, n);
		if (rc)
			return -XEN_EFAULT;
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}
