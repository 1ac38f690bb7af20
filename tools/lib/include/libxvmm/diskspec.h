// SPDX-License-Identifier: GPL-2.0-only
/*
 * One entry of xl.cfg's `disk = [ ... ]`, in the syntax of Xen's
 * xl-disk-configuration(5): comma-separated positional parameters
 * (target, format, vdev, access, in that order), key=value pairs and
 * flags, `target=` last (it takes the rest of the string, commas and
 * all). The deprecated `[format:]target,vdev[:devtype],access` form of
 * xend is read too. Virtual device names follow xen-vbd-interface(7).
 *
 * A pure parser: nothing is opened; the caller checks the target.
 */
#ifndef LIBXVMM_DISKSPEC_H
#define LIBXVMM_DISKSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include <libxvmm/error.h>

#define XL_DISK_TARGET_MAX	4096	/* bytes including the NUL */
#define XL_DISK_VDEV_MAX	32	/* bytes including the NUL */
#define XL_DISK_SPEC_MAX	8192	/* a longer entry is refused */

enum xl_disk_format {
	XL_DISK_FORMAT_RAW = 0,
	XL_DISK_FORMAT_QCOW2 = 1,
};

struct xl_disk {
	char target[XL_DISK_TARGET_MAX];	/* a path; "/dev/" prepended to a relative one */
	char vdev[XL_DISK_VDEV_MAX];		/* as written: "xvda", "hdc", "d1p2", "51712" */
	uint32_t devid;				/* the xenstore virtual-device number */
	enum xl_disk_format format;		/* default raw */
	bool readonly;				/* access=ro|r (default for a cdrom) */
	bool cdrom;				/* devtype=cdrom or the cdrom flag */
	bool discard;				/* advertise discard (default; no-discard clears) */
	bool trusted;				/* default; untrusted clears */
	bool direct_io_safe;
};

/*
 * Parse one DISKSPEC. 0, or -EINVAL with a message in err naming what is
 * wrong (an unknown key, a parameter given twice, a bad vdev, a missing
 * target or vdev, a format or option xvmm does not implement).
 */
int xl_disk_parse(const char *spec, struct xl_disk *d, struct xvmm_err *err);

/*
 * A vdev name (xvdX[N], hdX[N], sdX[N], dNpM, or a plain number in
 * decimal, 0x hex or leading-0 octal) as the xenstore virtual-device
 * number of xen-vbd-interface(7):
 *     202 << 8 | disk << 4 | part     xvd, disk and partition below 16
 *     1 << 28 | disk << 8 | part      xvd, disk below 2^20, partition below 256
 *       8 << 8 | disk << 4 | part     sd, disk and partition below 16
 *       3 << 8 | disk << 6 | part     hd, disks 0..1, partition below 64
 *      22 << 8 | (disk-2) << 6 | part hd, disks 2..3
 * 0 or -EINVAL.
 */
int xl_vdev_to_devid(const char *vdev, uint32_t *devid);

#endif /* LIBXVMM_DISKSPEC_H */
