// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback: dom0's user-space backend of PV network interfaces
 * (netback.c, docs/pv-devices.md), on the xenbus plumbing of xenbus_be.h.
 */
#ifndef XVMM_NETBACK_H
#define XVMM_NETBACK_H

#include <stdint.h>

#include <libxvmm/error.h>
#include <libxvmm/vifspec.h>

#include "xenbus_be.h"

/*
 * What `xvmm create` checks before any domain exists: /dev/net/tun is
 * there, the bridge exists and is one, an explicit vifname is free.
 * 0 or -errno with a message.
 */
int netback_check(const struct xl_vif *vif, struct xvmm_err *err);

/*
 * Add vif (its devid already chosen, >= 0) to domain domid's bus: draw a
 * MAC if none was given, make the tap and put it on the bridge, write the
 * nodes (backend and frontend, as libxl does), publish the features and
 * wait in InitWait for the frontend. log (may be NULL) gets one line per
 * event worth keeping. -errno with a message ("tap vif3.0: adding it to
 * bridge xenbr0: No such device ...").
 */
int netback_add(struct xb_bus *bus, uint32_t domid, const struct xl_vif *vif,
		void (*log)(void *arg, const char *msg), void *log_arg, struct xvmm_err *err);

#endif /* XVMM_NETBACK_H */
