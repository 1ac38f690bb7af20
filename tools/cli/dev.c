// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl layer for the domain commands: one wrapper per /dev/xvmm
 * domain ioctl (include/xvmm/ioctl.h), 0 or -errno, nothing else. Unit
 * tests link a fake driver with the same functions instead of this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

int cli_open_dev(void)
{
	int fd = open(XVMM_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fprintf(stderr, "xvmm: not loaded (no %s)\n", XVMM_DEVICE);
	else if (fd < 0)
		fprintf(stderr, "xvmm: %s: %s\n", XVMM_DEVICE,
			errno == EACCES || errno == EPERM ? "must be root" : strerror(errno));
	return fd;
}

const char *cli_dom_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case ENOTTY:
		return "the driver does not know this request (an older xvmm.ko? "
		       "`xvmm unload` and load the matching build)";
	case ENODEV:
		return "the VMM is not loaded (`xvmm load`)";
	case ENOENT:
	case ESRCH:
		return "no such domain";
	case EEXIST:
		return "a domain with that name already exists";
	case ENOMEM:
		return "not enough memory";
	case ENOSPC:
		return "no free domain id (32751 domains exist, ids 1..0x7fef)";
	case EPERM:
	case EACCES:
		return "must be root";
	case EBUSY:
		return "the domain is busy (already started or running?)";
	case EINVAL:
		return "invalid argument (refused by the driver)";
	case EAGAIN:
		return "the domain is not started yet";
	default:
		return strerror(err);
	}
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int xdev_dom_create(int fd, struct xvmm_ioctl_dom_create *req)
{
	return xioctl(fd, XVMM_IOCTL_DOM_CREATE, req);
}

int xdev_dom_write(int fd, uint32_t domid, uint64_t gpa, const void *buf, uint64_t len)
{
	struct xvmm_ioctl_dom_write req = {
		.domid = domid, .gpa = gpa, .ptr = (uintptr_t)buf, .len = len,
	};

	return xioctl(fd, XVMM_IOCTL_DOM_WRITE, &req);
}

int xdev_dom_start(int fd, uint32_t domid, uint64_t entry, uint64_t start_info)
{
	struct xvmm_ioctl_dom_start req = {
		.domid = domid, .entry = entry, .start_info = start_info,
	};

	return xioctl(fd, XVMM_IOCTL_DOM_START, &req);
}

int xdev_dom_run(int fd, struct xvmm_ioctl_dom_run *req)
{
	return xioctl(fd, XVMM_IOCTL_DOM_RUN, req);
}

int xdev_dom_destroy(int fd, uint32_t domid)
{
	return ioctl(fd, XVMM_IOCTL_DOM_DESTROY, (unsigned long)domid) < 0 ? -errno : 0;
}

/* Ask with room for 16, then 64, ... until the driver returns fewer than asked. */
int xdev_dom_list(int fd, struct xvmm_dom_info **out, unsigned int *nr)
{
	unsigned int room = 16;

	for (;;) {
		struct xvmm_dom_info *buf = calloc(room, sizeof(*buf));
		struct xvmm_ioctl_dom_list req = { .nr = room, .doms = (uintptr_t)buf };
		int rc;

		if (!buf)
			return -ENOMEM;
		rc = xioctl(fd, XVMM_IOCTL_DOM_LIST, &req);
		if (rc) {
			free(buf);
			return rc;
		}
		if (req.nr < room || room >= 65536) {
			*out = buf;
			*nr = req.nr < room ? req.nr : room;
			return 0;
		}
		free(buf);
		room *= 4;
	}
}

int xdev_dom_console(int fd, struct xvmm_ioctl_dom_console *req)
{
	return xioctl(fd, XVMM_IOCTL_DOM_CONSOLE, req);
}

int xdev_dom_shutdown(int fd, uint32_t domid, uint32_t reason)
{
	struct xvmm_ioctl_dom_shutdown req = { .domid = domid, .reason = reason };

	return xioctl(fd, XVMM_IOCTL_DOM_SHUTDOWN, &req);
}

int xdev_dom_pause(int fd, uint32_t domid, bool pause)
{
	return ioctl(fd, pause ? XVMM_IOCTL_DOM_PAUSE : XVMM_IOCTL_DOM_UNPAUSE,
		     (unsigned long)domid) < 0 ? -errno : 0;
}

int xdev_dom_vcpu_list(int fd, uint32_t domid, struct xvmm_vcpu_info **out, unsigned int *nr)
{
	struct xvmm_ioctl_vcpu_list req = { .domid = domid, .nr = 64 };	/* the ABI's most */
	struct xvmm_vcpu_info *buf = calloc(req.nr, sizeof(*buf));
	int rc;

	if (!buf)
		return -ENOMEM;
	req.vcpus = (uintptr_t)buf;
	rc = xioctl(fd, XVMM_IOCTL_DOM_VCPU_LIST, &req);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*nr = req.nr < 64 ? req.nr : 64;
	return 0;
}
