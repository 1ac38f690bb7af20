/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error numbers used inside the VMM and returned to dom0 through the control
 * ABI. They are Linux's numbers; Xen's errno values for guests
 * (include/xen/errno.h) happen to coincide for the ones listed here.
 */
#ifndef VMM_ERRNO_H
#define VMM_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define EOPNOTSUPP	95

#endif
