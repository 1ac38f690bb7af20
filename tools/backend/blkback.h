// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback: dom0's user-space backend of PV disks (blkback.c,
 * docs/pv-devices.md), on top of the xenbus plumbing of xenbus_be.h.
 */
#ifndef XVMM_BLKBACK_H
#define XVMM_BLKBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxvmm/diskspec.h>
#include <libxvmm/error.h>

#include "xenbus_be.h"

/*
 * Open a disk's target as its access says (read-only or read-write) and
 * find its size: a regular file or a block device, at least one sector.
 * -errno with a message ("disk xvda: /x.img: No such file or directory").
 */
int blkback_open_target(const struct xl_disk *d, int *fd, uint64_t *sectors, bool *is_file,
			struct xvmm_err *err);

/* Where qemu-nbd is ($XVMM_QEMU_NBD, else on $PATH): 0 or -ENOENT. */
int blkback_qemu_nbd(char *buf, size_t cap);

/*
 * Add disk d to domain domid's bus: open the target, write the nodes
 * (backend and frontend, as libxl does), publish the features and wait
 * in InitWait for the frontend. log (may be NULL) gets one line per
 * event worth keeping (connected, disconnected with counts, errors).
 */
int blkback_add(struct xb_bus *bus, uint32_t domid, const struct xl_disk *d,
		void (*log)(void *arg, const char *msg), void *log_arg, struct xvmm_err *err);

#endif /* XVMM_BLKBACK_H */
