// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io (hypercall 18): a guest's early/debug console.
 *
 * Follows Xen's xen/drivers/char/console.c (do_console_io) and the
 * CONSOLEIO_* numbers of xen/include/public/xen.h. Output goes to the
 * domain's console buffer (domain_console_write), which dom0 reads. There
 * is no input yet, so CONSOLEIO_read always returns 0 bytes. Unlike Xen's
 * default policy, which refuses console_io to unprivileged domains in
 * release builds, any guest may write: it only reaches its own buffer.
 * Built only with CONFIG_XEN_CONSOLE_IO; without it the hypercall is
 * -ENOSYS (hypercall.c leaves the table slot empty).
 */
#include "generated/config.h"
#include "xen_internal.h"
#include <xen/xen.h>

#ifdef CONFIG_XEN_CONSOLE_IO

/* Bytes copied from the guest per step. */
#define CONSOLE_CHUNK		128
/*
 * The most one call writes. Xen would continue a longer write through a
 * continuation; the domain's buffer keeps only its last
 * DOMAIN_CONSOLE_SIZE bytes anyway, so the rest is dropped.
 */
#define CONSOLE_WRITE_MAX	(4 * DOMAIN_CONSOLE_SIZE)

static s64 console_write(struct vcpu *v, u32 count, u64 buf)
{
	char chunk[CONSOLE_CHUNK];
	u32 left = count < CONSOLE_WRITE_MAX ? count : CONSOLE_WRITE_MAX;

	while (left) {
		u32 n = left < CONSOLE_CHUNK ? left : CONSOLE_CHUNK;

		/* Bytes written before a bad address stay written, as in Xen. */
		if (xen_copy_from_guest(v, chunk, buf, n))
			return -XEN_EFAULT;
		domain_console_write(v->domain, chunk, n);
		buf += n;
		left -= n;
	}
	return 0;
}

s64 xen_console_io(struct vcpu *v, struct xen_hcall *hc)
{
	u32 cmd = (u32)hc->arg[0];
	u32 count = (u32)hc->arg[1];

	switch (cmd) {
	case CONSOLEIO_write:
		return console_write(v, count, hc->arg[2]);
	case CONSOLEIO_read:
		/* The count must stay apart from negative errors, as in Xen. */
		if (count > 0x7fffffffu)
			return -XEN_E2BIG;
		return 0;	/* no input yet */
	default:
		return -XEN_ENOSYS;
	}
}

#endif /* CONFIG_XEN_CONSOLE_IO */
