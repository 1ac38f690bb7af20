// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback: dom0's user-space server of one PV network interface
 * (docs/pv-devices.md), on the xenbus plumbing of xenbus_be.h.
 *
 * At add, the tap vifDOMID.DEVID is made and put on the bridge (what
 * vif-bridge does, tap.c), and the nodes libxl writes for a vif go into
 * the store (tools/libs/light/libxl_nic.c libxl__set_xenstore_nic).
 * Once the frontend wrote its ring references and event channel, connect
 * maps the two ring pages on a /dev/xvmm file of the device's own (the
 * maps go when it is closed), binds the event channel (EVTCHN_BIND) and
 * starts one I/O thread. The thread sleeps in poll(2) on the event
 * channel and the tap; it moves the guest's tx packets to the tap and the
 * tap's frames to the guest's rx ring (netif_ring.c), grant copies
 * carrying the data, and signals the frontend when it asked. A frame from
 * the tap that finds no rx request waits (the tap is not read meanwhile:
 * the kernel queues, then drops, as for a slow NIC). The thread never
 * takes the runner's lock: a broken ring only sets a flag that
 * xb_service() reads.
 *
 * Nodes offered, as Linux's netback writes them
 * (drivers/net/xen-netback/xenbus.c): feature-rx-copy (Linux's netfront
 * refuses a backend without it), feature-rx-flip 0, feature-sg,
 * feature-ipv6-csum-offload, feature-gso-tcpv4/v6 (the guest's TSO
 * packets, up to 64 KiB, go to the tap as one GSO frame the kernel cuts).
 * Towards the guest, the tap hands us TSO frames too when the frontend
 * offered feature-gso-tcpv4/v6 (with feature-sg): they go as several
 * slots and a GSO extra. Not offered: split event channels, several
 * queues, multicast control, the control ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/grant_table.h>
#include <xvmm/ioctl.h>

#include "netback.h"
#include "netif_ring.h"
#include "tap.h"

#define BURST		64	/* packets each way before looking at the other */
#define VNET_HDR	sizeof(struct virtio_net_hdr)

struct netback {
	struct xl_vif vif;
	uint32_t domid;
	char ifname[XL_VIF_IFNAME_MAX];
	char mac[18];
	int tap;
	/* connected */
	int xfd;			/* own /dev/xvmm: the rings' grant maps */
	int evfd;			/* the frontend's event channel */
	int stop[2];			/* pipe: the I/O thread ends */
	uint32_t handles[2];
	unsigned int nr_mapped;
	void *ring_va;			/* tx page, then rx page */
	struct net_ring *ring;
	pthread_t thread;
	bool thread_running;
	volatile int broken;		/* set by the I/O thread */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
	/* the I/O thread's buffers */
	unsigned char txbuf[VNET_HDR + NET_MAX_PACKET];
	unsigned char rxbuf[VNET_HDR + NET_RX_MAX_PACKET];
	size_t rxlen;			/* a frame waiting for rx requests, 0 if none */
	struct net_pkt_info rxinfo;
	uint64_t tap_errors, csum_unknown, gso_packets, gso_rx_packets;
};

static void nb_log(struct netback *nb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void nb_log(struct netback *nb, const char *fmt, ...)
{
	char msg[300], line[400];
	va_list ap;

	if (!nb->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "vif %s (%d): %s", nb->ifname, nb->vif.devid, msg);
	nb->log(nb->log_arg, line);
}

/* ---- grants (struct net_ring_ops) ----------------------------------------------------- */

static int io_gnt_copy(void *ctx, const struct net_seg *segs, unsigned int nr, void *buf,
		       bool to_guest)
{
	struct netback *nb = ctx;
	struct xvmm_gnt_copy c[NET_RX_MAX_SLOTS];
	struct xvmm_ioctl_gnt_copy req = { .domid = nb->domid, .nr = nr, .segs = (uintptr_t)c };
	unsigned char *p = buf;

	if (nr > NET_RX_MAX_SLOTS || !nr)
		return -EINVAL;
	for (unsigned int i = 0; i < nr; i++) {
		c[i] = (struct xvmm_gnt_copy){
			.buf = (uintptr_t)p, .ref = segs[i].gref, .offset = segs[i].offset,
			.len = segs[i].len, .flags = to_guest ? XVMM_GNT_TO_GUEST : 0,
		};
		p += segs[i].len;
	}
	if (ioctl(nb->xfd, XVMM_IOCTL_GNT_COPY, &req) < 0)
		return -errno;
	for (unsigned int i = 0; i < nr; i++)
		if (c[i].status != GNTST_okay)
			return -EACCES;		/* a ref the guest never granted us */
	return 0;
}

static const struct net_ring_ops nb_io = { .gnt_copy = io_gnt_copy };

/* ---- the I/O thread ---------------------------------------------------------------------- */

/* Up to BURST guest packets to the tap; true if there was any. */
static bool do_tx(struct netback *nb)
{
	unsigned int n;

	for (n = 0; n < BURST; n++) {
		struct virtio_net_hdr h = { 0 };
		struct net_pkt_info info;
		size_t len;
		unsigned char *pkt = nb->txbuf + VNET_HDR;
		int rc = net_tx_take(nb->ring, pkt, &len, &info);

		if (rc <= 0)
			break;
		/* A GSO packet's checksum is always left to the segmentation. */
		if (info.csum_blank || info.gso_type) {
			uint16_t start, field;

			/* As Linux's netback: a blank checksum it cannot place drops the packet. */
			if (net_csum_locate(pkt, len, &start, &field) ||
			    (info.gso_type && field != 16)) {
				nb->csum_unknown++;
				continue;
			}
			h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
			h.csum_start = start;
			h.csum_offset = field;
			if (info.gso_type) {
				/* The kernel cuts it into MSS-sized TCP segments (tun's GSO). */
				h.gso_type = info.gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
					     VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
				h.gso_size = info.gso_size;
				h.hdr_len = (uint16_t)(start + (len > start + 12u ?
								(pkt[start + 12] >> 4) * 4u : 20u));
				nb->gso_packets++;
			}
		} else if (info.data_validated) {
			h.flags = VIRTIO_NET_HDR_F_DATA_VALID;
		}
		memcpy(nb->txbuf, &h, sizeof(h));
		/* A full tap queue drops the frame, as a busy wire would. */
		if (write(nb->tap, nb->txbuf, VNET_HDR + len) < 0)
			nb->tap_errors++;
	}
	return n > 0;
}

/* Tap frames into the rx ring until the tap is empty or the ring full; true if any. */
static bool do_rx(struct netback *nb)
{
	unsigned int n;

	for (n = 0; n < BURST; n++) {
		int rc;

		if (!nb->rxlen) {
			struct virtio_net_hdr h;
			ssize_t got = read(nb->tap, nb->rxbuf, sizeof(nb->rxbuf));

			if (got < 0 || (size_t)got <= VNET_HDR)
				break;		/* EAGAIN: empty */
			memcpy(&h, nb->rxbuf, sizeof(h));
			nb->rxlen = (size_t)got - VNET_HDR;
			nb->rxinfo.csum_blank = h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;
			nb->rxinfo.data_validated = h.flags & VIRTIO_NET_HDR_F_DATA_VALID;
			/* Only the kinds we enabled come (TUN_F_TSO4/6); ECN is the guest's business. */
			switch (h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
			case VIRTIO_NET_HDR_GSO_TCPV4:
				nb->rxinfo.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
				break;
			case VIRTIO_NET_HDR_GSO_TCPV6:
				nb->rxinfo.gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
				break;
			default:
				nb->rxinfo.gso_type = XEN_NETIF_GSO_TYPE_NONE;
				break;
			}
			nb->rxinfo.gso_size = nb->rxinfo.gso_type ? h.gso_size : 0;
			if (nb->rxinfo.gso_type)
				nb->gso_rx_packets++;
		}
		rc = net_rx_put(nb->ring, nb->rxbuf + VNET_HDR, nb->rxlen, &nb->rxinfo);
		if (rc <= 0)
			break;			/* no rx request: wait for the frontend's event */
		nb->rxlen = 0;
	}
	return n > 0;
}

static void *io_thread(void *p)
{
	struct netback *nb = p;
	uint32_t port = 0;

	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = nb->evfd, .events = POLLIN },
			{ .fd = nb->stop[0], .events = POLLIN },
			{ .fd = nb->tap, .events = nb->rxlen ? 0 : POLLIN },
		};
		bool busy;

		/* Work until both ways are idle (requests may predate the bind). */
		do {
			busy = do_tx(nb);
			busy |= do_rx(nb);
			if (net_ring_push(nb->ring) &&
			    write(nb->evfd, &port, sizeof(port)) < 0 && errno != EAGAIN)
				return NULL;
			if (nb->ring->broken) {
				nb->broken = 1;
				return NULL;
			}
		} while (busy);
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (pf[0].revents & (POLLHUP | POLLERR))
			break;			/* the domain is gone */
		if ((pf[0].revents & POLLIN) && read(nb->evfd, &port, sizeof(port)) == 0)
			break;
	}
	return NULL;
}

/* ---- xenbus ops ---------------------------------------------------------------------------- */

static int nb_publish(struct xb_dev *dev)
{
	int rc = 0;

	rc = rc ? rc : xb_back_printf(dev, "feature-rx-copy", "1");
	rc = rc ? rc : xb_back_printf(dev, "feature-rx-flip", "0");
	rc = rc ? rc : xb_back_printf(dev, "feature-sg", "1");
	rc = rc ? rc : xb_back_printf(dev, "feature-ipv6-csum-offload", "1");
	/* GSO from the guest only: tun segments; the kernel hands us no GSO frames. */
	rc = rc ? rc : xb_back_printf(dev, "feature-gso-tcpv4", "1");
	rc = rc ? rc : xb_back_printf(dev, "feature-gso-tcpv6", "1");
	return rc;
}

static void unmap_rings(struct netback *nb)
{
	struct xvmm_gnt_unmap un[2];
	struct xvmm_ioctl_gnt_batch req = { .domid = nb->domid, .segs = (uintptr_t)un };

	if (nb->ring_va)
		munmap(nb->ring_va, 2 * NET_PAGE_SIZE);
	nb->ring_va = NULL;
	for (unsigned int i = 0; i < nb->nr_mapped; i++)
		un[i] = (struct xvmm_gnt_unmap){ .handle = nb->handles[i] };
	req.nr = nb->nr_mapped;
	if (req.nr)
		ioctl(nb->xfd, XVMM_IOCTL_GNT_UNMAP_BATCH, &req);	/* close() would, too */
	nb->nr_mapped = 0;
}

/* Map the tx and rx ring pages writable, side by side. 0 or -errno. */
static int map_rings(struct netback *nb, const uint32_t refs[2])
{
	struct xvmm_ioctl_gnt_map_seg m[2] = { { .ref = refs[0] }, { .ref = refs[1] } };
	struct xvmm_ioctl_gnt_batch req = { .domid = nb->domid, .nr = 2, .segs = (uintptr_t)m };
	void *va;

	if (ioctl(nb->xfd, XVMM_IOCTL_GNT_MAP_BATCH, &req) < 0)
		return -errno;
	for (unsigned int i = 0; i < 2; i++)
		if (m[i].status == GNTST_okay)
			nb->handles[nb->nr_mapped++] = m[i].handle;
	if (nb->nr_mapped != 2)
		return -EACCES;
	va = mmap(NULL, 2 * NET_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED)
		return -errno;
	nb->ring_va = va;
	for (unsigned int i = 0; i < 2; i++) {
		void *p = mmap((char *)va + i * NET_PAGE_SIZE, NET_PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, nb->xfd, (off_t)m[i].offset);

		if (p == MAP_FAILED)
			return -errno;
	}
	return 0;
}

static void nb_disconnect(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);

	if (nb->thread_running) {
		(void)!write(nb->stop[1], "x", 1);
		pthread_join(nb->thread, NULL);
		nb->thread_running = false;
	}
	if (nb->ring) {
		struct net_ring_stats *s = &nb->ring->stats;

		nb_log(nb, "disconnected: tx %llu packets %llu bytes %llu errors %llu filtered, "
		       "rx %llu packets %llu bytes %llu errors %llu dropped, tap %llu errors, "
		       "%llu unknown checksums, GSO %llu tx %llu rx",
		       (unsigned long long)s->tx_packets, (unsigned long long)s->tx_bytes,
		       (unsigned long long)s->tx_errors, (unsigned long long)s->tx_filtered,
		       (unsigned long long)s->rx_packets, (unsigned long long)s->rx_bytes,
		       (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
		       (unsigned long long)nb->tap_errors, (unsigned long long)nb->csum_unknown,
		       (unsigned long long)nb->gso_packets, (unsigned long long)nb->gso_rx_packets);
	}
	if (nb->ring)
		tap_set_offload(nb->tap, false, false, false);	/* until the next frontend says */
	if (nb->xfd >= 0)
		unmap_rings(nb);
	for (int i = 0; i < 2; i++) {
		if (nb->stop[i] >= 0)
			close(nb->stop[i]);
		nb->stop[i] = -1;
	}
	if (nb->evfd >= 0)
		close(nb->evfd);
	if (nb->xfd >= 0)
		close(nb->xfd);
	nb->evfd = nb->xfd = -1;
	free(nb->ring);
	nb->ring = NULL;
	nb->rxlen = 0;
	nb->broken = 0;
}

/* FRONTEND/key as 0/1, default def. */
static bool front_flag(struct xb_dev *dev, const char *key, bool def)
{
	uint64_t v;

	return xb_front_read_uint(dev, key, 2, &v) == 0 ? v == 1 : def;
}

static int nb_connect(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);
	struct xvmm_ioctl_evtchn_bind eb = { .domid = nb->domid };
	uint32_t refs[2];
	uint64_t v, port;
	char buf[16];
	bool sg, csum_ok, tso4, tso6;
	int rc;

	/* One queue, one event channel: what was offered. */
	if (xb_front_read_uint(dev, "multi-queue-num-queues", 1ull << 32, &v) == 0 && v > 1) {
		nb_log(nb, "the frontend asks for %llu queues (1 offered)", (unsigned long long)v);
		return -EOPNOTSUPP;
	}
	if ((rc = xb_front_read_uint(dev, "tx-ring-ref", 1ull << 32, &v)))
		return rc;
	refs[0] = (uint32_t)v;
	if ((rc = xb_front_read_uint(dev, "rx-ring-ref", 1ull << 32, &v)))
		return rc;
	refs[1] = (uint32_t)v;
	if ((rc = xb_front_read_uint(dev, "event-channel", 1ull << 32, &port)))
		return rc;
	if (xb_front_read(dev, "request-rx-copy", buf, sizeof(buf)) || strcmp(buf, "1")) {
		nb_log(nb, "the frontend does not ask for rx-copy (page flipping is not served)");
		return -EOPNOTSUPP;
	}
	sg = front_flag(dev, "feature-sg", false);
	csum_ok = !front_flag(dev, "feature-no-csum-offload", false);
	/* The frontend's feature-gso-*: it takes GSO packets (over several slots). */
	tso4 = sg && csum_ok && front_flag(dev, "feature-gso-tcpv4", false);
	tso6 = sg && csum_ok && front_flag(dev, "feature-gso-tcpv6", false);

	nb->xfd = open(XVMM_DEVICE, O_RDWR | O_CLOEXEC);
	if (nb->xfd < 0)
		return -errno;
	rc = map_rings(nb, refs);
	if (rc) {
		nb_log(nb, "mapping the ring pages (refs %u, %u): %s", refs[0], refs[1],
		       strerror(-rc));
		goto fail;
	}
	nb->ring = malloc(sizeof(*nb->ring));
	if (!nb->ring) {
		rc = -ENOMEM;
		goto fail;
	}
	net_ring_init(nb->ring, nb->ring_va, (char *)nb->ring_va + NET_PAGE_SIZE, sg, &nb_io, nb);
	nb->ring->gso = true;
	nb->ring->rx_gso = tso4 || tso6;
	nb->ring->ips = nb->vif.ips;
	nb->ring->nr_ips = nb->vif.nr_ips;
	/* Frames with a checksum still to fill in go to a guest that takes them. */
	if ((rc = tap_set_offload(nb->tap, csum_ok, tso4, tso6)))
		nb_log(nb, "offloads on the tap: %s", strerror(-rc));
	eb.port = (uint32_t)port;
	if (ioctl(nb->xfd, XVMM_IOCTL_EVTCHN_BIND, &eb) < 0) {
		rc = -errno;
		nb_log(nb, "binding event channel %u: %s", eb.port, strerror(-rc));
		goto fail;
	}
	nb->evfd = eb.fd;
	if (pipe2(nb->stop, O_CLOEXEC)) {
		rc = -errno;
		goto fail;
	}
	rc = -pthread_create(&nb->thread, NULL, io_thread, nb);
	if (rc)
		goto fail;
	nb->thread_running = true;
	nb_log(nb, "connected: mac %s, event channel %u%s%s%s%s", nb->mac, eb.port,
	       sg ? ", sg" : "", csum_ok ? ", checksum offload" : "", tso4 ? ", tso4" : "",
	       tso6 ? ", tso6" : "");
	return 0;
fail:
	nb_disconnect(dev);
	return rc;
}

static bool nb_broken(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);

	if (nb->broken)
		nb_log(nb, "the frontend broke its rings (malformed requests): closing the device");
	return nb->broken != 0;
}

static void nb_release(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);

	if (nb->tap >= 0)
		close(nb->tap);		/* the interface goes, and off the bridge */
	free(nb);
}

static const struct xb_dev_ops nb_ops = {
	.kind = "vif", .publish = nb_publish, .connect = nb_connect,
	.disconnect = nb_disconnect, .broken = nb_broken, .release = nb_release,
};

/* ---- creating a device ------------------------------------------------------------------------ */

int netback_check(const struct xl_vif *vif, struct xvmm_err *err)
{
	char path[64];
	struct stat st;

	if (access("/dev/net/tun", R_OK | W_OK))
		return xvmm_err_set(err, -errno, "vif %d: /dev/net/tun: %s (is the tun module "
				    "loaded?)", vif->devid, strerror(errno));
	if (vif->bridge[0]) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", vif->bridge);
		if (stat(path, &st))
			return xvmm_err_set(err, -ENODEV, "vif %d: bridge %s does not exist (create "
					    "it first, e.g. `ip link add %s type bridge`)",
					    vif->devid, vif->bridge, vif->bridge);
		snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", vif->bridge);
		if (stat(path, &st))
			return xvmm_err_set(err, -EINVAL, "vif %d: %s is not a bridge", vif->devid,
					    vif->bridge);
	}
	if (vif->vifname[0]) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", vif->vifname);
		if (!stat(path, &st))
			return xvmm_err_set(err, -EBUSY, "vif %d: interface %s exists already",
					    vif->devid, vif->vifname);
	}
	return 0;
}

int netback_add(struct xb_bus *bus, uint32_t domid, const struct xl_vif *vif,
		void (*log)(void *arg, const char *msg), void *log_arg, struct xvmm_err *err)
{
	struct netback *nb = calloc(1, sizeof(*nb));
	struct xb_dev *dev;
	int rc;

	if (!nb)
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	nb->vif = *vif;
	nb->domid = domid;
	nb->xfd = nb->evfd = nb->stop[0] = nb->stop[1] = nb->tap = -1;
	nb->log = log;
	nb->log_arg = log_arg;
	if (!nb->vif.mac_given) {
		uint8_t rnd[3];

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
			free(nb);
			return xvmm_err_set(err, -EIO, "vif %d: no random bytes for a MAC",
					    vif->devid);
		}
		xl_vif_random_mac(nb->vif.mac, rnd);
		nb->vif.mac_given = true;
	}
	xl_vif_mac_str(nb->vif.mac, nb->mac);
	if (xl_vif_ifname(&nb->vif, domid, nb->ifname)) {
		free(nb);
		return xvmm_err_set(err, -ENAMETOOLONG, "vif %d: interface name too long",
				    vif->devid);
	}
	nb->tap = tap_open(nb->ifname, nb->vif.mtu, nb->vif.bridge, err);
	if (nb->tap < 0) {
		rc = nb->tap;
		free(nb);
		return rc;
	}
	dev = xb_dev_new(bus, &nb_ops, (uint32_t)vif->devid, nb, &rc);
	if (!dev) {
		close(nb->tap);
		free(nb);
		return xvmm_err_set(err, rc, "vif %d: xenstore nodes: %s", vif->devid, strerror(-rc));
	}
	/* The rest of libxl's nodes; the hotplug work is done, so hotplug-status says so. */
	rc = xb_back_printf(dev, "script", "/etc/xen/scripts/vif-bridge");
	rc = rc ? rc : xb_back_printf(dev, "mac", "%s", nb->mac);
	if (nb->vif.ip[0])
		rc = rc ? rc : xb_back_printf(dev, "ip", "%s", nb->vif.ip);
	rc = rc ? rc : xb_back_printf(dev, "bridge", "%s", nb->vif.bridge);
	rc = rc ? rc : xb_back_printf(dev, "handle", "%d", vif->devid);
	rc = rc ? rc : xb_back_printf(dev, "type", "vif");
	rc = rc ? rc : xb_back_printf(dev, "vifname", "%s", nb->ifname);
	if (nb->vif.mtu != XL_VIF_MTU_DEFAULT)
		rc = rc ? rc : xb_back_printf(dev, "mtu", "%u", nb->vif.mtu);
	rc = rc ? rc : xb_back_printf(dev, "hotplug-status", "connected");
	rc = rc ? rc : xb_front_printf(dev, "handle", "%d", vif->devid);
	rc = rc ? rc : xb_front_printf(dev, "mac", "%s", nb->mac);
	rc = rc ? rc : xb_front_printf(dev, "mtu", "%u", nb->vif.mtu);
	rc = rc ? rc : xb_front_printf(dev, "trusted", "%d", nb->vif.trusted ? 1 : 0);
	rc = rc ? rc : xb_dev_start(dev);
	if (rc) {
		xb_dev_remove(dev);	/* releases nb */
		return xvmm_err_set(err, rc, "vif %d: xenstore nodes: %s", vif->devid, strerror(-rc));
	}
	nb_log(nb, "mac %s, %s%s", nb->mac, nb->vif.bridge[0] ? "bridge " : "no bridge",
	       nb->vif.bridge);
	return 0;
}
