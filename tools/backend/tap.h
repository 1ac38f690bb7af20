// SPDX-License-Identifier: GPL-2.0-only
/* A vif's tap device (tap.c). */
#ifndef XVMM_TAP_H
#define XVMM_TAP_H

#include <stdbool.h>

#include <libxvmm/error.h>

/*
 * Create tap `name` (non-blocking, a 10-byte virtio_net_hdr before each
 * frame), MTU mtu, address fe:ff:ff:ff:ff:ff, on `bridge` unless it is
 * NULL or "", and up. The fd, or -errno with a message; closing the fd
 * removes the interface (and so takes it off the bridge).
 */
int tap_open(const char *name, unsigned int mtu, const char *bridge, struct xvmm_err *err);

/*
 * One more queue of the tap `name` (made by tap_open): its own
 * non-blocking descriptor, or -errno. Closing it detaches the queue.
 */
int tap_open_queue(const char *name);

/*
 * May the kernel hand us frames whose checksum is still to be filled in
 * (csum), and TCP frames of up to 64 KiB still to be segmented (tso4/6,
 * only with csum)? 0 or -errno.
 */
int tap_set_offload(int fd, bool csum, bool tso4, bool tso6);

#endif /* XVMM_TAP_H */
