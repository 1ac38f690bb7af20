// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host side of a vif: a tap device (Linux's Documentation/networking/
 * tuntap.rst) named vifDOMID.DEVID, with what Xen's vif-bridge hotplug
 * script does to a vif done here (tools/hotplug/Linux/vif-bridge): the MTU,
 * the interface up, on the bridge.
 *
 * The tap carries a virtio_net_hdr before each frame (IFF_VNET_HDR), so
 * checksum offload and TCP segmentation pass both ways: a guest packet
 * with its checksum left blank goes to the kernel marked NEEDS_CSUM (and
 * a TSO one with its GSO type and MSS), and the kernel may hand us such
 * packets too (TUN_F_CSUM, TUN_F_TSO4/6) for a guest that takes them.
 *
 * The tap is made with IFF_MULTI_QUEUE, so that a frontend with several
 * queues gets one descriptor of the same interface per queue
 * (tap_open_queue): the kernel spreads frames for the guest over them by
 * flow, and each queue's thread reads its own.
 *
 * Its address is fe:ff:ff:ff:ff:ff, as Linux's netback gives its vifs: the
 * guest's own MAC must not be a port address of the bridge, or the bridge
 * would keep the guest's frames for itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

static int ifreq_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	if (ioctl(s, req, ifr) < 0)
		rc = -errno;
	close(s);
	return rc;
}

int tap_open(const char *name, unsigned int mtu, const char *bridge, struct xvmm_err *err)
{
	struct ifreq ifr;
	int fd, rc, hdr = (int)sizeof(struct virtio_net_hdr);

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return xvmm_err_set(err, -errno, "/dev/net/tun: %s (is the tun module loaded?)",
				    strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = xvmm_err_set(err, -errno, "tap %s: %s", name, strerror(errno));
		goto fail;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0) {
		rc = xvmm_err_set(err, -errno, "tap %s: vnet header: %s", name, strerror(errno));
		goto fail;
	}
	memset(&ifr.ifr_hwaddr, 0, sizeof(ifr.ifr_hwaddr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memset(ifr.ifr_hwaddr.sa_data, 0xff, 6);
	ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
	if ((rc = ifreq_ioctl(SIOCSIFHWADDR, &ifr))) {
		rc = xvmm_err_set(err, rc, "tap %s: address: %s", name, strerror(-rc));
		goto fail;
	}
	ifr.ifr_mtu = (int)mtu;
	if ((rc = ifreq_ioctl(SIOCSIFMTU, &ifr))) {
		rc = xvmm_err_set(err, rc, "tap %s: mtu %u: %s", name, mtu, strerror(-rc));
		goto fail;
	}
	if (bridge && bridge[0]) {
		struct ifreq br;
		int idx;

		if ((rc = ifreq_ioctl(SIOCGIFINDEX, &ifr))) {
			rc = xvmm_err_set(err, rc, "tap %s: %s", name, strerror(-rc));
			goto fail;
		}
		idx = ifr.ifr_ifindex;
		memset(&br, 0, sizeof(br));
		snprintf(br.ifr_name, IFNAMSIZ, "%s", bridge);
		br.ifr_ifindex = idx;
		if ((rc = ifreq_ioctl(SIOCBRADDIF, &br))) {
			rc = xvmm_err_set(err, rc, "tap %s: adding it to bridge %s: %s%s", name,
					  bridge, strerror(-rc), rc == -ENODEV ?
					  " (no such bridge: create it first, e.g. `ip link add "
					  "xenbr0 type bridge`)" : "");
			goto fail;
		}
	}
	memset(&ifr.ifr_flags, 0, sizeof(ifr.ifr_flags));
	if ((rc = ifreq_ioctl(SIOCGIFFLAGS, &ifr)) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ifreq_ioctl(SIOCSIFFLAGS, &ifr);
	}
	if (rc) {
		rc = xvmm_err_set(err, rc, "tap %s: up: %s", name, strerror(-rc));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

int tap_open_queue(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	/* The same flags as at creation attach one more queue (tuntap.rst, "Multiqueue"). */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int tap_set_offload(int fd, bool csum, bool tso4, bool tso6)
{
	unsigned long f = 0;

	/* TSO needs checksum offload: a GSO frame's checksum is left to the receiver. */
	if (csum)
		f = TUN_F_CSUM | (tso4 ? TUN_F_TSO4 : 0) | (tso6 ? TUN_F_TSO6 : 0);
	return ioctl(fd, TUNSETOFFLOAD, f) < 0 ? -errno : 0;
}
