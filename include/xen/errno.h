/* SPDX-License-Identifier: MIT */
/*
 * Xen error numbers, as this project writes them.
 *
 * Values from Xen's xen/include/public/errno.h. Hypercalls return them
 * negated in RAX (EAX for 32-bit callers). They coincide with Linux's
 * numbers, and so with vmm/include/errno.h, for everything defined here.
 */
#ifndef XEN_ERRNO_H
#define XEN_ERRNO_H

#define XEN_EPERM	1	/* operation not permitted */
#define XEN_ENOENT	2	/* no such entry */
#define XEN_ESRCH	3	/* no such domain */
#define XEN_E2BIG	7	/* argument list too long */
#define XEN_EAGAIN	11	/* try again */
#define XEN_ENOMEM	12	/* out of memory */
#define XEN_EACCES	13	/* permission denied */
#define XEN_EFAULT	14	/* bad guest address */
#define XEN_EBUSY	16	/* busy */
#define XEN_EEXIST	17	/* already exists */
#define XEN_ENODEV	19	/* no such device */
#define XEN_EINVAL	22	/* invalid argument */
#define XEN_ENOSPC	28	/* no space left */
#define XEN_EDOM	33	/* argument out of domain */
#define XEN_ERANGE	34	/* result out of range */
#define XEN_ENOSYS	38	/* not implemented */
#define XEN_ENODATA	61	/* no data available */
#define XEN_EOVERFLOW	75	/* value too large */
#define XEN_EOPNOTSUPP	95	/* operation not supported */
#define XEN_ENOBUFS	105	/* no buffer space */

#endif
