// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl-network-configuration(5) VIFSPEC parser (libxvmm/vifspec.h).
 *
 * The rules, from the man page and xl's parse_nic_config: the string is
 * comma-separated key=value pairs, every key optional, leading and
 * trailing whitespace of each ignored; the last of a repeated key wins
 * (xl's replace_string). Keys xvmm serves: mac, bridge, ip, script
 * (vif-bridge only), type (vif only), vifname, devid, mtu, model
 * (ignored, as libxl does for PV and PVH guests), backend (dom0 only),
 * trusted/untrusted. Keys that would change the device's behaviour and
 * that xvmm does not implement (rate, vlan, gatewaydev/netdev of
 * vif-route, the COLO ones) are refused rather than silently dropped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxvmm/vifspec.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Six groups of one or two hex digits separated by ':' (or '-'). Xen's
 * man page asks for a unicast address; Linux's netfront refuses any other
 * (is_valid_ether_addr), so do it here, where the message can say why.
 */
static int parse_mac(const char *s, uint8_t mac[6], struct xvmm_err *err)
{
	const char *p = s;

	for (int i = 0; i < 6; i++) {
		int hi = hexval(p[0]), lo;

		if (hi < 0)
			goto bad;
		lo = hexval(p[1]);
		if (lo >= 0) {
			mac[i] = (uint8_t)(hi << 4 | lo);
			p += 2;
		} else {
			mac[i] = (uint8_t)hi;
			p += 1;
		}
		if (i < 5) {
			if (*p != ':' && *p != '-')
				goto bad;
			p++;
		}
	}
	if (*p)
		goto bad;
	if (mac[0] & 1)
		return xvmm_err_set(err, -EINVAL, "mac %.40s is a multicast address "
				    "(the first byte must be even)", s);
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return xvmm_err_set(err, -EINVAL, "mac 00:00:00:00:00:00 is not an address");
	return 0;
bad:
	return xvmm_err_set(err, -EINVAL, "mac '%.40s' is malformed (six hex bytes "
			    "separated by ':', e.g. 00:16:3e:12:34:56)", s);
}

/* Linux's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space. */
static int parse_ifname(const char *key, const char *s, char out[XL_VIF_IFNAME_MAX],
			bool empty_ok, struct xvmm_err *err)
{
	size_t n = strlen(s);

	if (!n && empty_ok) {
		out[0] = '\0';
		return 0;
	}
	if (!n || n >= XL_VIF_IFNAME_MAX)
		return xvmm_err_set(err, -EINVAL, "%s '%.40s': an interface name has 1 to %d "
				    "characters", key, s, XL_VIF_IFNAME_MAX - 1);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return xvmm_err_set(err, -EINVAL, "%s '%s' is not an interface name", key, s);
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || is_space(*p) || (unsigned char)*p < 0x20)
			return xvmm_err_set(err, -EINVAL, "%s '%.40s': an interface name cannot "
					    "contain '/', ':' or spaces", key, s);
	memcpy(out, s, n + 1);
	return 0;
}

/* Space-separated dotted-quad IPv4 addresses (vif-common.sh's `ip` list). */
static int parse_ips(const char *s, struct xl_vif *v, struct xvmm_err *err)
{
	char buf[XL_VIF_IP_MAX];
	char *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf))
		return xvmm_err_set(err, -EINVAL, "ip is too long (at most %zu bytes)",
				    sizeof(buf) - 1);
	memcpy(buf, s, strlen(s) + 1);
	memcpy(v->ip, s, strlen(s) + 1);
	v->nr_ips = 0;
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		struct in_addr a;

		if (v->nr_ips == XL_VIF_MAX_IPS)
			return xvmm_err_set(err, -EINVAL, "ip: at most %d addresses", XL_VIF_MAX_IPS);
		if (inet_pton(AF_INET, tok, &a) != 1)
			return xvmm_err_set(err, -EINVAL, "ip '%.40s' is not an IPv4 address "
					    "(a.b.c.d)", tok);
		v->ips[v->nr_ips++] = a.s_addr;
	}
	if (!v->nr_ips)
		v->ip[0] = '\0';
	return 0;
}

/* A decimal number in [min, max], the whole string. */
static int parse_uint(const char *key, const char *s, unsigned long min, unsigned long max,
		      unsigned long *out, struct xvmm_err *err)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n < min || n > max)
		return xvmm_err_set(err, -EINVAL, "%s '%.40s' must be a number from %lu to %lu",
				    key, s, min, max);
	*out = n;
	return 0;
}

/* vif-bridge is the only hotplug behaviour xvmm has (in netback itself). */
static int check_script(const char *s, struct xvmm_err *err)
{
	const char *base = strrchr(s, '/');

	base = base ? base + 1 : s;
	if (!strcmp(base, "vif-bridge"))
		return 0;
	return xvmm_err_set(err, -EINVAL, "script '%.60s' is not supported: xvmm's netback "
			    "does what vif-bridge does (tap on the bridge) and runs no scripts",
			    s);
}

static int parse_pair(char *tok, struct xl_vif *v, struct xvmm_err *err)
{
	static const char *const refused[] = {
		"rate", "vlan", "gatewaydev", "netdev", "forwarddev", "accel",
	};
	char *val = strchr(tok, '=');
	unsigned long n;

	if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted")) {
		v->trusted = tok[0] == 't';
		return 0;
	}
	if (!val)
		return xvmm_err_set(err, -EINVAL, "'%.40s' is not key=value", tok);
	*val++ = '\0';
	while (is_space(*val))
		val++;

	if (!strcmp(tok, "mac")) {
		v->mac_given = true;
		return parse_mac(val, v->mac, err);
	}
	if (!strcmp(tok, "bridge"))
		return parse_ifname("bridge", val, v->bridge, true, err);
	if (!strcmp(tok, "vifname"))
		return parse_ifname("vifname", val, v->vifname, true, err);
	if (!strcmp(tok, "ip"))
		return parse_ips(val, v, err);
	if (!strcmp(tok, "script"))
		return check_script(val, err);
	if (!strcmp(tok, "type")) {
		if (!strcmp(val, "vif"))
			return 0;
		if (!strcmp(val, "ioemu"))
			return xvmm_err_set(err, -EINVAL, "type=ioemu is an emulated NIC: a PVH "
					    "guest only has PV ones (type=vif)");
		return xvmm_err_set(err, -EINVAL, "type '%.40s' is unknown (vif)", val);
	}
	if (!strcmp(tok, "model")) {
		snprintf(v->model, sizeof(v->model), "%s", val);
		return 0;
	}
	if (!strcmp(tok, "mtu")) {
		if (parse_uint("mtu", val, XL_VIF_MTU_MIN, XL_VIF_MTU_MAX, &n, err))
			return -EINVAL;
		v->mtu = (unsigned int)n;
		return 0;
	}
	if (!strcmp(tok, "devid")) {
		if (parse_uint("devid", val, 0, XL_VIF_DEVID_MAX, &n, err))
			return -EINVAL;
		v->devid = (int)n;
		return 0;
	}
	if (!strcmp(tok, "backend")) {
		if (!strcmp(val, "0") || !strcmp(val, "Domain-0"))
			return 0;
		return xvmm_err_set(err, -EINVAL, "backend '%.40s': xvmm's backends run in "
				    "dom0 only (driver domains are not supported)", val);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (!strcmp(tok, refused[i]))
			return xvmm_err_set(err, -EINVAL, "%s= is not supported by xvmm", tok);
	if (!strncmp(tok, "colo_", 5))
		return xvmm_err_set(err, -EINVAL, "%.40s= (COLO) is not supported by xvmm", tok);
	return xvmm_err_set(err, -EINVAL, "unknown key '%.40s' (mac, bridge, ip, script, "
			    "type, vifname, devid, mtu, model, backend, trusted)", tok);
}

int xl_vif_parse(const char *spec, struct xl_vif *v, struct xvmm_err *err)
{
	char *work, *s;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	snprintf(v->bridge, sizeof(v->bridge), "xenbr0");
	v->devid = -1;
	v->mtu = XL_VIF_MTU_DEFAULT;
	v->trusted = true;
	if (strlen(spec) >= XL_VIF_SPEC_MAX)
		return xvmm_err_set(err, -EINVAL, "vif spec is longer than %u bytes",
				    XL_VIF_SPEC_MAX - 1);
	work = strdup(spec);
	if (!work)
		return xvmm_err_set(err, -ENOMEM, "out of memory");
	for (s = work; s && !rc; ) {
		char *tok = s, *end;

		s = strchr(s, ',');
		if (s)
			*s++ = '\0';
		while (is_space(*tok))
			tok++;
		for (end = tok + strlen(tok); end > tok && is_space(end[-1]); )
			*--end = '\0';
		/* xl splits with strtok: empty parameters (",,", a trailing ',') are skipped. */
		if (!*tok)
			continue;
		rc = parse_pair(tok, v, err);
	}
	free(work);
	return rc;
}

void xl_vif_random_mac(uint8_t mac[6], const uint8_t rnd[3])
{
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	mac[3] = rnd[0] & 0x7f;
	mac[4] = rnd[1];
	mac[5] = rnd[2];
}

void xl_vif_mac_str(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

int xl_vif_ifname(const struct xl_vif *v, uint32_t domid, char out[XL_VIF_IFNAME_MAX])
{
	int n;

	if (v->vifname[0])
		n = snprintf(out, XL_VIF_IFNAME_MAX, "%s", v->vifname);
	else
		n = snprintf(out, XL_VIF_IFNAME_MAX, "vif%u.%d", domid, v->devid < 0 ? 0 : v->devid);
	return n < 0 || n >= XL_VIF_IFNAME_MAX ? -ENAMETOOLONG : 0;
}
