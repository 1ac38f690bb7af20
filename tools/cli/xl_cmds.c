// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rest of xl's everyday verbs (xl(1) of Xen 4.17): `info`, `vcpu-list`,
 * `pause`, `unpause`, `mem-set`, `uptime`, and `top` as one batch of
 * xentop. Dom0 is the running Linux: its row comes from /proc.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <xvmm/ioctl.h>
#include <sys/ioctl.h>

#include "cli.h"

static int usage_of(const char *u)
{
	fprintf(stderr, "usage: xvmm %s\n", u);
	return 2;
}

static bool is_dom0(const char *what)
{
	return !strcmp(what, "0") || !strcmp(what, CLI_DOM0_NAME);
}

/* A "Key: value kB" line of /proc/meminfo, in KiB (0 if absent). */
static uint64_t meminfo_kib(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t kl = strlen(key);
	uint64_t v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtoull(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

int cli_dom0_read(struct cli_dom0 *d)
{
	unsigned long long t[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;

	memset(d, 0, sizeof(*d));
	d->mem_kib = meminfo_kib("MemTotal");
	d->nr_cpus = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/stat", "r");
	if (f) {
		/* cpu user nice system idle iowait irq softirq steal */
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1], &t[2],
			   &t[3], &t[4], &t[5], &t[6], &t[7]) >= 4 && hz > 0)
			d->cpu_s = (double)(t[0] + t[1] + t[2] + t[5] + t[6] + t[7]) / (double)hz;
		fclose(f);
	}
	f = fopen("/proc/uptime", "r");
	if (f) {
		double up;

		if (fscanf(f, "%lf", &up) == 1 && up > 0)
			d->uptime_s = (uint64_t)up;
		fclose(f);
	}
	return d->mem_kib && d->nr_cpus ? 0 : -EIO;
}

/* DOM_LIST with the message every command prints on failure. */
static int list_or_say(int fd, const char *cmd, struct xvmm_dom_info **d, unsigned int *n)
{
	int rc = xdev_dom_list(fd, d, n);

	if (rc)
		fprintf(stderr, "xvmm: %s: %s\n", cmd, cli_dom_strerror(rc));
	return rc;
}

/* `xl info`: the host in "name : value" lines, the keys xl prints that mean something here. */
int cmd_info(int argc, char **argv)
{
	struct xvmm_status st;
	struct utsname u;
	struct cli_dom0 d0;
	int fd;

	(void)argv;
	if (argc != 0)
		return usage_of("info");
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (ioctl(fd, XVMM_IOCTL_STATUS, &st)) {
		fprintf(stderr, "xvmm: info: %s\n", cli_dom_strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	cli_dom0_read(&d0);
	uname(&u);
	cli_print_info(stdout, &st, &u, &d0, meminfo_kib("MemAvailable"));
	return 0;
}

/* Dom0's vCPU n is CPU n: the time it was busy, from /proc/stat's cpuN lines. */
static void print_dom0_vcpus(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long t[8] = { 0 };
		unsigned int cpu;
		struct xvmm_vcpu_info v = { 0 };

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;	/* the "cpu " line sums them */
		if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &t[0],
			   &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7]) < 5)
			continue;
		v.vcpu = cpu;
		v.cpu = cpu;
		v.flags = XVMM_VCPUF_ONLINE | XVMM_VCPUF_RUNNING;
		if (hz > 0)
			v.cpu_ns = (t[0] + t[1] + t[2] + t[5] + t[6] + t[7]) * (1000000000ull /
										  (unsigned long long)hz);
		cli_print_vcpu_row(stdout, CLI_DOM0_NAME, 0, &v, (int)cpu);
	}
	fclose(f);
}

static int print_vcpus(int fd, const struct xvmm_dom_info *d)
{
	struct xvmm_vcpu_info *v = NULL;
	char name[XVMM_NAME_LEN + 1];
	unsigned int n = 0;
	int rc = xdev_dom_vcpu_list(fd, d->domid, &v, &n);

	cli_dom_name(d, name);
	if (rc) {
		fprintf(stderr, "xvmm: vcpu-list: domain %u (%s): %s\n", d->domid, name,
			cli_dom_strerror(rc));
		return 1;
	}
	for (unsigned int i = 0; i < n; i++)
		cli_print_vcpu_row(stdout, name, d->domid, &v[i], -1);
	free(v);
	return 0;
}

/* `xl vcpu-list [DOMAIN...]`: every domain's vCPUs, dom0's first. */
int cmd_vcpu_list(int argc, char **argv)
{
	struct xvmm_dom_info *d = NULL;
	unsigned int n = 0;
	int fd, ret = 0;

	for (int i = 0; i < argc; i++)
		if (argv[i][0] == '-')
			return usage_of("vcpu-list [NAME|ID...]");
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (list_or_say(fd, "vcpu-list", &d, &n)) {
		close(fd);
		return 1;
	}
	cli_print_vcpu_header(stdout);
	if (argc == 0) {
		print_dom0_vcpus();
		for (unsigned int i = 0; i < n; i++)
			ret |= print_vcpus(fd, &d[i]);
	}
	for (int a = 0; a < argc; a++) {
		int i = is_dom0(argv[a]) ? -2 : cli_find_domain(d, n, argv[a]);

		if (i == -2) {
			print_dom0_vcpus();
		} else if (i < 0) {
			fprintf(stderr, "xvmm: no domain %s\n", argv[a]);
			ret = 1;
		} else {
			ret |= print_vcpus(fd, &d[i]);
		}
	}
	free(d);
	close(fd);
	return ret;
}

static int pause_cmd(int argc, char **argv, bool pause)
{
	const char *verb = pause ? "pause" : "unpause";
	struct xvmm_dom_info info;
	char name[XVMM_NAME_LEN + 1];
	int fd, rc;

	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: xvmm %s NAME|ID\n", verb);
		return 2;
	}
	if (is_dom0(argv[0])) {
		fprintf(stderr, "xvmm: %s: dom0 is the running Linux; it cannot be paused\n", verb);
		return 1;
	}
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (cli_lookup(fd, argv[0], &info)) {
		close(fd);
		return 1;
	}
	cli_dom_name(&info, name);
	rc = xdev_dom_pause(fd, info.domid, pause);
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: %s of domain %u (%s): %s\n", verb, info.domid, name,
			cli_dom_strerror(rc));
		return 1;
	}
	/* Silent on success, as xl pause and unpause. */
	return 0;
}

int cmd_pause(int argc, char **argv)
{
	return pause_cmd(argc, argv, true);
}

int cmd_unpause(int argc, char **argv)
{
	return pause_cmd(argc, argv, false);
}

/*
 * `xl mem-set DOMAIN MEM`: the balloon target, written by the domain's
 * runner into memory/target (KiB) as libxl does; the guest's balloon
 * driver follows it. At most maxmem; silent on success.
 */
int cmd_mem_set(int argc, char **argv)
{
	struct xvmm_dom_info info;
	char name[XVMM_NAME_LEN + 1], cmd[64], ans[256];
	uint64_t kib;
	int fd, rc;

	if (argc != 2 || argv[0][0] == '-')
		return usage_of("mem-set NAME|ID MEM");
	if (cli_parse_mem_kb(argv[1], &kib) || kib == 0) {
		fprintf(stderr, "xvmm: mem-set: invalid memory size: %s\n", argv[1]);
		return 1;
	}
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	rc = cli_lookup(fd, argv[0], &info);
	close(fd);
	if (rc)
		return 1;
	cli_dom_name(&info, name);
	if (kib > info.ram_max >> 10) {
		fprintf(stderr, "xvmm: mem-set: %s is above domain %u (%s)'s maxmem (%llu MiB)\n",
			argv[1], info.domid, name, info.ram_max >> 20);
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "mem-set %llu", (unsigned long long)kib);
	rc = cli_runner_ask(name, cmd, ans, sizeof(ans));
	return cli_runner_report("mem-set", name, rc, ans);
}

/* `xl uptime [-s] [DOMAIN...]`. */
int cmd_uptime(int argc, char **argv)
{
	struct xvmm_dom_info *d = NULL;
	struct cli_dom0 d0;
	char now_hms[16] = "";
	bool short_mode = false;
	unsigned int n = 0, nr_args = 0;
	time_t now = time(NULL);
	struct tm tm;
	int fd, ret = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			short_mode = true;
		else if (argv[i][0] == '-')
			return usage_of("uptime [-s] [NAME|ID...]");
		else
			nr_args++;
	}
	if (localtime_r(&now, &tm))
		strftime(now_hms, sizeof(now_hms), "%H:%M:%S", &tm);
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (list_or_say(fd, "uptime", &d, &n)) {
		close(fd);
		return 1;
	}
	close(fd);
	cli_dom0_read(&d0);
	if (!short_mode)
		cli_print_uptime_header(stdout);
	if (!nr_args) {
		cli_print_uptime_row(stdout, CLI_DOM0_NAME, 0, d0.uptime_s, short_mode, now_hms);
		for (unsigned int i = 0; i < n; i++) {
			char name[XVMM_NAME_LEN + 1];

			if (!d[i].uptime_ns)
				continue;	/* not started */
			cli_dom_name(&d[i], name);
			cli_print_uptime_row(stdout, name, d[i].domid, d[i].uptime_ns / 1000000000ull,
					     short_mode, now_hms);
		}
	}
	for (int a = 0; a < argc; a++) {
		char name[XVMM_NAME_LEN + 1];
		int i;

		if (argv[a][0] == '-')
			continue;
		if (is_dom0(argv[a])) {
			cli_print_uptime_row(stdout, CLI_DOM0_NAME, 0, d0.uptime_s, short_mode, now_hms);
			continue;
		}
		i = cli_find_domain(d, n, argv[a]);
		if (i < 0) {
			fprintf(stderr, "xvmm: no domain %s\n", argv[a]);
			ret = 1;
			continue;
		}
		cli_dom_name(&d[i], name);
		cli_print_uptime_row(stdout, name, d[i].domid, d[i].uptime_ns / 1000000000ull,
				     short_mode, now_hms);
	}
	free(d);
	return ret;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * `xl top` runs xentop, a full-screen monitor; `xvmm top [-d SECONDS]`
 * prints one batch (as `xentop -b -i 1`): two samples SECONDS apart
 * (default 1) for each domain's CPU share.
 */
int cmd_top(int argc, char **argv)
{
	struct xvmm_dom_info *a = NULL, *b = NULL;
	unsigned int na = 0, nb = 0;
	struct cli_dom0 host;
	double delay = 1.0;
	uint64_t t0, t1;
	int fd;

	for (int i = 0; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			delay = strtod(argv[++i], &end);
			if (*end || !(delay > 0 && delay <= 60))
				return usage_of("top [-d SECONDS (0..60)]");
		} else {
			return usage_of("top [-d SECONDS]");
		}
	}
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	t0 = mono_ns();
	if (list_or_say(fd, "top", &a, &na)) {
		close(fd);
		return 1;
	}
	poll(NULL, 0, (int)(delay * 1000));
	t1 = mono_ns();
	if (list_or_say(fd, "top", &b, &nb)) {
		free(a);
		close(fd);
		return 1;
	}
	close(fd);
	cli_dom0_read(&host);
	cli_print_top(stdout, &host, a, na, b, nb, t1 - t0);
	free(a);
	free(b);
	return 0;
}
