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
 * starts one I/O thread per queue (several queues: one per guest vCPU, up
 * to NB_MAX_QUEUES, each its own rings, event channel(s) and tap queue).
 * A thread sleeps in poll(2) on its event channel(s) and its tap queue; it moves the guest's tx packets to the tap and the
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
 * slots and a GSO extra. Also offered: feature-split-event-channels
 * (tx answers on one port, rx answers on another) and
 * multi-queue-max-queues. Not offered: multicast control, the control
 * ring.
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
#include "ring_map.h"
#include "tap.h"

#define BURST		64	/* packets each way before looking at the other */
#define VNET_HDR	sizeof(struct virtio_net_hdr)

/* multi-queue-max-queues: Linux's netfront takes min(this, its max_queues (8), its CPUs). */
#define NB_MAX_QUEUES	4u

struct netback;

/* One queue of a connected vif: tx and rx rings, event channel(s), tap queue, thread. */
struct nb_queue {
	struct netback *nb;
	unsigned int id;
	int tap;			/* queue 0: the vif's own tap descriptor */
	int evtx;			/* the frontend's event channel (its tx one, when split) */
	int evrx;			/* split event channels: the rx one; else -1 */
	int stop[2];			/* pipe: the I/O thread ends */
	struct ring_map rmap;		/* tx page, then rx page */
	struct net_ring *ring;
	pthread_t thread;
	bool thread_running;
	volatile int broken;		/* set by the I/O thread */
	/* the I/O thread's buffers */
	unsigned char txbuf[VNET_HDR + NET_MAX_PACKET];
	unsigned char rxbuf[VNET_HDR + NET_RX_MAX_PACKET];
	size_t rxlen;			/* a frame waiting for rx requests, 0 if none */
	struct net_pkt_info rxinfo;
	uint64_t tap_errors, csum_unknown, gso_packets, gso_rx_packets;
};

struct netback {
	struct xl_vif vif;
	uint32_t domid;
	char ifname[XL_VIF_IFNAME_MAX];
	char mac[18];
	int tap;
	/* connected */
	int xfd;			/* own /dev/xvmm: the rings' grant maps, for all queues */
	unsigned int nr_queues;
	bool split;			/* split event channels */
	struct nb_queue q[NB_MAX_QUEUES];
	void (*log)(void *arg, const char *msg);
	void *log_arg;
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
	struct netback *nb = ((struct nb_queue *)ctx)->nb;
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
static bool do_tx(struct nb_queue *nb)
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
static bool do_rx(struct nb_queue *nb)
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

/* Tell the frontend: 0, or -1 when the domain is gone. */
static int kick(int fd)
{
	uint32_t port = 0;

	return write(fd, &port, sizeof(port)) < 0 && errno != EAGAIN ? -1 : 0;
}

static void *io_thread(void *p)
{
	struct nb_queue *q = p;
	uint32_t port = 0;

	for (;;) {
		struct pollfd pf[4] = {
			{ .fd = q->stop[0], .events = POLLIN },
			{ .fd = q->tap, .events = q->rxlen ? 0 : POLLIN },
			{ .fd = q->evtx, .events = POLLIN },
			{ .fd = q->evrx, .events = POLLIN },	/* -1 (ignored) unless split */
		};
		bool busy;

		/* Work until both ways are idle (requests may predate the bind). */
		do {
			busy = do_tx(q);
			busy |= do_rx(q);
			if (q->evrx >= 0) {
				if ((net_ring_push_tx(q->ring) && kick(q->evtx)) ||
				    (net_ring_push_rx(q->ring) && kick(q->evrx)))
					return NULL;
			} else if (net_ring_push(q->ring) && kick(q->evtx)) {
				return NULL;
			}
			if (q->ring->broken) {
				q->broken = 1;
				return NULL;
			}
		} while (busy);
		if (poll(pf, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			break;
		for (int i = 2; i < 4; i++) {
			if (pf[i].revents & (POLLHUP | POLLERR))
				return NULL;		/* the domain is gone */
			if ((pf[i].revents & POLLIN) && read(pf[i].fd, &port, sizeof(port)) == 0)
				return NULL;
		}
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
	rc = rc ? rc : xb_back_printf(dev, "feature-split-event-channels", "1");
	rc = rc ? rc : xb_back_printf(dev, "multi-queue-max-queues", "%u", NB_MAX_QUEUES);
	return rc;
}

static void queue_stop(struct nb_queue *q)
{
	struct netback *nb = q->nb;
	char qn[16] = "";

	if (q->thread_running) {
		(void)!write(q->stop[1], "x", 1);
		pthread_join(q->thread, NULL);
		q->thread_running = false;
	}
	if (nb->nr_queues > 1)
		snprintf(qn, sizeof(qn), "queue %u: ", q->id);
	if (q->ring) {
		struct net_ring_stats *s = &q->ring->stats;

		nb_log(nb, "%sdisconnected: tx %llu packets %llu bytes %llu errors %llu filtered, "
		       "rx %llu packets %llu bytes %llu errors %llu dropped, tap %llu errors, "
		       "%llu unknown checksums, GSO %llu tx %llu rx", qn,
		       (unsigned long long)s->tx_packets, (unsigned long long)s->tx_bytes,
		       (unsigned long long)s->tx_errors, (unsigned long long)s->tx_filtered,
		       (unsigned long long)s->rx_packets, (unsigned long long)s->rx_bytes,
		       (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
		       (unsigned long long)q->tap_errors, (unsigned long long)q->csum_unknown,
		       (unsigned long long)q->gso_packets, (unsigned long long)q->gso_rx_packets);
	}
	if (nb->xfd >= 0)
		ring_unmap(&q->rmap, nb->xfd, nb->domid);
	for (int i = 0; i < 2; i++) {
		if (q->stop[i] >= 0)
			close(q->stop[i]);
		q->stop[i] = -1;
	}
	if (q->evtx >= 0)
		close(q->evtx);
	if (q->evrx >= 0)
		close(q->evrx);
	q->evtx = q->evrx = -1;
	if (q->id > 0 && q->tap >= 0)
		close(q->tap);		/* detaches that queue of the tap */
	q->tap = q->id == 0 ? nb->tap : -1;
	free(q->ring);
	q->ring = NULL;
	q->rxlen = 0;
	q->broken = 0;
	q->tap_errors = q->csum_unknown = q->gso_packets = q->gso_rx_packets = 0;
}

static void nb_disconnect(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);
	bool was = nb->q[0].ring != NULL;

	for (unsigned int i = 0; i < NB_MAX_QUEUES; i++)
		queue_stop(&nb->q[i]);
	if (was)
		tap_set_offload(nb->tap, false, false, false);	/* until the next frontend says */
	if (nb->xfd >= 0)
		close(nb->xfd);
	nb->xfd = -1;
	nb->nr_queues = 0;
}

/* FRONTEND/key as 0/1, default def. */
static bool front_flag(struct xb_dev *dev, const char *key, bool def)
{
	uint64_t v;

	return xb_front_read_uint(dev, key, 2, &v) == 0 ? v == 1 : def;
}

/*
 * One queue's nodes under DIR (the frontend's directory, or its queue-N/
 * with several queues): tx-ring-ref, rx-ring-ref, and event-channel or,
 * split, event-channel-tx and event-channel-rx (io/netif.h).
 */
static int queue_read_nodes(struct xb_dev *dev, const char *dir, uint32_t refs[2],
			    uint32_t ports[2], bool *split)
{
	static const char *const keys[] = { "tx-ring-ref", "rx-ring-ref" };
	char key[48];
	uint64_t v, tx, rx;
	int rc;

	for (int i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "%s%s", dir, keys[i]);
		if ((rc = xb_front_read_uint(dev, key, 1ull << 32, &v)))
			return rc;
		refs[i] = (uint32_t)v;
	}
	snprintf(key, sizeof(key), "%sevent-channel-tx", dir);
	rc = xb_front_read_uint(dev, key, 1ull << 32, &tx);
	snprintf(key, sizeof(key), "%sevent-channel-rx", dir);
	if (rc == 0 && xb_front_read_uint(dev, key, 1ull << 32, &rx) == 0) {
		ports[0] = (uint32_t)tx;
		ports[1] = (uint32_t)rx;
		*split = true;
		return 0;
	}
	snprintf(key, sizeof(key), "%sevent-channel", dir);
	if ((rc = xb_front_read_uint(dev, key, 1ull << 32, &v)))
		return rc;
	ports[0] = ports[1] = (uint32_t)v;
	*split = false;
	return 0;
}

static int bind_port(struct nb_queue *q, uint32_t port, int *fd)
{
	struct xvmm_ioctl_evtchn_bind eb = { .domid = q->nb->domid, .port = port };

	if (ioctl(q->nb->xfd, XVMM_IOCTL_EVTCHN_BIND, &eb) < 0) {
		int rc = -errno;

		nb_log(q->nb, "queue %u: binding event channel %u: %s", q->id, port, strerror(-rc));
		return rc;
	}
	*fd = (int)eb.fd;
	return 0;
}

static int queue_start(struct nb_queue *q, const uint32_t refs[2], const uint32_t ports[2],
		       bool split, bool sg)
{
	struct netback *nb = q->nb;
	int rc;

	if (q->id > 0) {
		q->tap = tap_open_queue(nb->ifname);
		if (q->tap < 0) {
			rc = q->tap;
			nb_log(nb, "queue %u: a queue of tap %s: %s", q->id, nb->ifname, strerror(-rc));
			q->tap = -1;
			return rc;
		}
	}
	rc = ring_map(&q->rmap, nb->xfd, nb->domid, refs, 2);
	if (rc) {
		nb_log(nb, "queue %u: mapping the ring pages (refs %u, %u): %s", q->id, refs[0],
		       refs[1], strerror(-rc));
		return rc;
	}
	q->ring = malloc(sizeof(*q->ring));
	if (!q->ring)
		return -ENOMEM;
	net_ring_init(q->ring, q->rmap.va, (char *)q->rmap.va + NET_PAGE_SIZE, sg, &nb_io, q);
	q->ring->gso = true;
	q->ring->ips = nb->vif.ips;
	q->ring->nr_ips = nb->vif.nr_ips;
	if ((rc = bind_port(q, ports[0], &q->evtx)))
		return rc;
	if (split && (rc = bind_port(q, ports[1], &q->evrx)))
		return rc;
	if (pipe2(q->stop, O_CLOEXEC))
		return -errno;
	rc = -pthread_create(&q->thread, NULL, io_thread, q);
	if (rc)
		return rc;
	q->thread_running = true;
	return 0;
}

static int nb_connect(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);
	uint32_t refs[NB_MAX_QUEUES][2], ports[NB_MAX_QUEUES][2];
	uint64_t v;
	char buf[16];
	bool sg, csum_ok, tso4, tso6, split = false;
	int rc;

	/* multi-queue-num-queues: absent means one queue, its nodes at the top (io/netif.h). */
	nb->nr_queues = 1;
	rc = xb_front_read_uint(dev, "multi-queue-num-queues", 1ull << 32, &v);
	if (rc == 0 && (v == 0 || v > NB_MAX_QUEUES)) {
		nb_log(nb, "the frontend asks for %llu queues (1..%u offered)",
		       (unsigned long long)v, NB_MAX_QUEUES);
		nb->nr_queues = 0;
		return -EOPNOTSUPP;
	}
	if (rc == 0)
		nb->nr_queues = (unsigned int)v;
	else if (rc != -ENOENT)
		return rc;
	for (unsigned int i = 0; i < nb->nr_queues; i++) {
		char dir[24] = "";
		bool qsplit;

		if (nb->nr_queues > 1)
			snprintf(dir, sizeof(dir), "queue-%u/", i);
		if ((rc = queue_read_nodes(dev, dir, refs[i], ports[i], &qsplit)))
			return rc;
		if (i > 0 && qsplit != split) {
			nb_log(nb, "queue %u: split event channels on some queues only", i);
			return -EINVAL;
		}
		split = qsplit;
	}
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
	nb->split = split;
	/* Frames with a checksum still to fill in go to a guest that takes them. */
	if ((rc = tap_set_offload(nb->tap, csum_ok, tso4, tso6)))
		nb_log(nb, "offloads on the tap: %s", strerror(-rc));
	for (unsigned int i = 0; i < nb->nr_queues; i++) {
		rc = queue_start(&nb->q[i], refs[i], ports[i], split, sg);
		if (rc)
			goto fail;
		nb->q[i].ring->rx_gso = tso4 || tso6;
	}
	nb_log(nb, "connected: mac %s, %u queue(s), event channel %u%s%s%s%s%s", nb->mac,
	       nb->nr_queues, ports[0][0], split ? " (split)" : "", sg ? ", sg" : "",
	       csum_ok ? ", checksum offload" : "", tso4 ? ", tso4" : "", tso6 ? ", tso6" : "");
	return 0;
fail:
	nb_disconnect(dev);
	return rc;
}

static bool nb_broken(struct xb_dev *dev)
{
	struct netback *nb = xb_dev_priv(dev);

	for (unsigned int i = 0; i < nb->nr_queues; i++)
		if (nb->q[i].broken) {
			nb_log(nb, "the frontend broke its rings (malformed requests): closing the "
			       "device");
			return true;
		}
	return false;
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
	nb->xfd = nb->tap = -1;
	for (unsigned int i = 0; i < NB_MAX_QUEUES; i++) {	/* the rest is zero (calloc) */
		struct nb_queue *q = &nb->q[i];

		q->nb = nb;
		q->id = i;
		q->tap = q->evtx = q->evrx = q->stop[0] = q->stop[1] = -1;
	}
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
	nb->q[0].tap = nb->tap;
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
