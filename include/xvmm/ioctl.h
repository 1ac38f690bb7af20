/* SPDX-License-Identifier: MIT */
/*
 * /dev/xvmm: the driver's interface to dom0 user space. Each ioctl maps
 * onto one control call (control.h) or onto the driver's own load/unload.
 * Errors are returned as -1 with errno set (Linux numbering).
 */
#ifndef XVMM_IOCTL_H
#define XVMM_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include "control.h"
#include "image.h"

#define XVMM_DEVICE	"/dev/xvmm"

struct xvmm_ioctl_load {
	__u64 image_ptr;	/* user address of the image file's bytes */
	__u64 image_len;
	__u32 mem_mb;		/* memory for the VMM in MiB; 0: the driver's default */
	__u32 flags;		/* must be 0 */
};

struct xvmm_meminfo {
	__u32 loaded;		/* 0: no VMM; the rest is zero */
	__u32 nr_chunks;
	__u64 image_va;
	__u64 chunk_pa[XVMM_MAX_CHUNKS];
};

#define XVMM_IOCTL_LOAD		_IOW('X', 1, struct xvmm_ioctl_load)
#define XVMM_IOCTL_UNLOAD	_IO('X', 2)
#define XVMM_IOCTL_STATUS	_IOR('X', 3, struct xvmm_status)
#define XVMM_IOCTL_LOG_READ	_IOWR('X', 4, struct xvmm_log_read)
#define XVMM_IOCTL_SELFTEST	_IO('X', 5)		/* arg: XVMM_SELFTEST_* */
#define XVMM_IOCTL_MEMINFO	_IOR('X', 6, struct xvmm_meminfo)
#define XVMM_IOCTL_VERSION	_IOR('X', 7, struct xvmm_version)

#endif /* XVMM_IOCTL_H */
