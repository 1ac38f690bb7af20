// SPDX-License-Identifier: GPL-2.0-only
/*
 * One entry of xl.cfg's `vif = [ ... ]`, in the syntax of Xen's
 * xl-network-configuration(5): comma-separated key=value pairs (and the
 * trusted/untrusted flags), all optional; the empty string is a vif with
 * every default. A PVH guest's vif is always a PV device (type=vif).
 *
 * A pure parser: no interface is looked at and nothing random is drawn;
 * the caller gives a vif without mac= its address (xl_vif_random_mac).
 */
#ifndef LIBXVMM_VIFSPEC_H
#define LIBXVMM_VIFSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include <libxvmm/error.h>

#define XL_VIF_IFNAME_MAX	16	/* Linux's IFNAMSIZ, including the NUL */
#define XL_VIF_IP_MAX		256	/* bytes including the NUL */
#define XL_VIF_SPEC_MAX		1024	/* a longer entry is refused */
#define XL_VIF_MTU_MIN		68	/* IPv4's minimum (RFC 791) */
#define XL_VIF_MTU_MAX		65535
#define XL_VIF_MTU_DEFAULT	1500
#define XL_VIF_DEVID_MAX	255	/* more vifs than any guest needs */
#define XL_VIF_MAX_IPS		8

struct xl_vif {
	uint8_t mac[6];			/* the guest's address */
	bool mac_given;			/* false: the caller draws one */
	char bridge[XL_VIF_IFNAME_MAX];	/* default "xenbr0"; "" (bridge=): tap left alone, routed */
	char vifname[XL_VIF_IFNAME_MAX];	/* "" : vifDOMID.DEVID */
	char ip[XL_VIF_IP_MAX];		/* as written (space-separated), "" if none */
	unsigned int nr_ips;		/* ip= parsed: IPv4 addresses the guest may send from */
	uint32_t ips[XL_VIF_MAX_IPS];	/* network byte order */
	int devid;			/* -1: the caller picks the lowest free one */
	unsigned int mtu;		/* default 1500 */
	bool trusted;			/* default true (the frontend's `trusted` node) */
	char model[32];			/* accepted, unused: PVH has no emulated NIC */
};

/*
 * Parse one VIFSPEC. 0, or -EINVAL with a message in err naming what is
 * wrong (an unknown key, a malformed or multicast mac, a bad bridge or
 * vifname, a bad ip, mtu or devid, type=ioemu, a script other than
 * vif-bridge, a key xvmm does not implement: rate, vlan, gatewaydev, a
 * backend other than dom0).
 */
int xl_vif_parse(const char *spec, struct xl_vif *v, struct xvmm_err *err);

/*
 * A MAC as libxl makes one when none is given (libxl__device_nic_setdefault):
 * Xen's OUI 00:16:3e, then three random bytes with the top bit of the first
 * cleared (libxl leaves the upper half of the OUI's range alone).
 */
void xl_vif_random_mac(uint8_t mac[6], const uint8_t rnd[3]);

/* "00:16:3e:01:02:03" (18 bytes with the NUL). */
void xl_vif_mac_str(const uint8_t mac[6], char out[18]);

/* The tap's name: vifname if given, else "vif<domid>.<devid>". -ENAMETOOLONG. */
int xl_vif_ifname(const struct xl_vif *v, uint32_t domid, char out[XL_VIF_IFNAME_MAX]);

#endif /* LIBXVMM_VIFSPEC_H */
