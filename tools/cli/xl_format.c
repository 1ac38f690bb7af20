// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl's tables, as xl(1) of Xen 4.17 prints them, so that scripts written
 * for xl read xvmm's output unchanged: `list` (dom0 first, the six State
 * letters), `vcpu-list`, `uptime`; xl's memory sizes (`mem-set`); and the
 * one-shot `top` table (xentop's first columns). No ioctls here: the
 * commands (xl_cmds.c, domain_cmds.c) gather the numbers, these print them.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"

/*
 * xl's State column: r running on a CPU now, b blocked, p paused,
 * s shut down, then the shutdown reason (xl's letters "-rscwS" for
 * poweroff, reboot, suspend, crash, watchdog, soft reset), d dying.
 * A crashed domain is shut down with reason crash, as in Xen.
 */
void cli_state_str(const struct xvmm_dom_info *d, char out[7])
{
	static const char reason[] = "-rscwS";
	bool shut = d->state == XVMM_DOM_SHUTDOWN || d->state == XVMM_DOM_CRASHED;
	unsigned int why = d->state == XVMM_DOM_CRASHED ? CLI_SHUTDOWN_CRASH : d->shutdown_reason;

	out[0] = !shut && (d->flags & XVMM_DOMF_ONCPU) ? 'r' : '-';
	out[1] = !shut && (d->flags & XVMM_DOMF_BLOCKED) ? 'b' : '-';
	out[2] = d->flags & XVMM_DOMF_PAUSED ? 'p' : '-';
	out[3] = shut ? 's' : '-';
	out[4] = !shut ? '-' : why < sizeof(reason) - 1 ? reason[why] : '?';
	out[5] = d->flags & XVMM_DOMF_DYING ? 'd' : '-';
	out[6] = '\0';
}

/*
 * xl list: header and row formats of xl_info.c's list_domains(). With
 * counts (`xvmm list --counts`, not xl's), two more columns: the VMM's
 * exits and hypercalls of the domain ("-" for dom0).
 */
static void list_row(FILE *f, const char *name, unsigned int id, unsigned long long mib,
		     unsigned int vcpus, const char *state, double secs)
{
	fprintf(f, "%-40s %5u %5llu %5u     %s  %8.1f", name, id, mib, vcpus, state, secs);
}

void cli_print_list(FILE *f, const struct cli_dom0 *dom0, const struct xvmm_dom_info *d,
		    unsigned int n, bool counts)
{
	char name[XVMM_NAME_LEN + 1], state[7];

	fprintf(f, "Name                                        ID   Mem VCPUs\tState\tTime(s)%s\n",
		counts ? "        Exits   Hypercalls" : "");
	if (dom0) {
		list_row(f, CLI_DOM0_NAME, 0, dom0->mem_kib >> 10, dom0->nr_cpus, "r-----",
			 dom0->cpu_s);
		fprintf(f, counts ? " %12s %12s\n" : "\n", "-", "-");
	}
	for (unsigned int i = 0; i < n; i++) {
		cli_dom_name(&d[i], name);
		cli_state_str(&d[i], state);
		list_row(f, name, d[i].domid, d[i].ram_current >> 20, d[i].nr_vcpus, state,
			 (double)d[i].cpu_ns / 1e9);
		if (counts)
			fprintf(f, " %12llu %12llu", d[i].exits, d[i].hypercalls);
		fputc('\n', f);
	}
}

void cli_print_vcpu_header(FILE *f)
{
	fprintf(f, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
		"Time(s)", "Affinity (Hard / Soft)");
}

/*
 * One xl vcpu-list row. Affinity: a guest vCPU is a dom0 thread that may
 * run on any CPU ("all"); dom0's vCPU n is CPU n itself (hard = n).
 */
void cli_print_vcpu_row(FILE *f, const char *name, unsigned int domid,
			const struct xvmm_vcpu_info *v, int pinned)
{
	char hard[16];

	fprintf(f, "%-32s %5u %5u", name, domid, v->vcpu);
	if (!(v->flags & XVMM_VCPUF_ONLINE))
		fprintf(f, "%5c %3c%cp ", '-', '-', '-');
	else
		fprintf(f, "%5u %3c%c- ", v->cpu, v->flags & XVMM_VCPUF_RUNNING ? 'r' : '-',
			v->flags & XVMM_VCPUF_BLOCKED ? 'b' : '-');
	if (pinned >= 0)
		snprintf(hard, sizeof(hard), "%d", pinned);
	else
		strcpy(hard, "all");
	fprintf(f, "%9.1f  %s / all\n", (double)v->cpu_ns / 1e9, hard);
}

/* xl's uptime_to_string(): [D day(s), ]H:MM:SS, or without seconds in short mode. */
void cli_uptime_str(unsigned long long secs, bool short_mode, char *out, size_t cap)
{
	unsigned long long day = secs / 86400;
	unsigned int hour = (unsigned int)(secs % 86400 / 3600);
	unsigned int min = (unsigned int)(secs % 3600 / 60), sec = (unsigned int)(secs % 60);
	char days[48] = "";

	if (day)
		snprintf(days, sizeof(days), "%llu day%s, ", day, day > 1 ? "s" : "");
	if (short_mode)
		snprintf(out, cap, "%s%2u:%02u", days, hour, min);
	else
		snprintf(out, cap, "%s%2u:%02u:%02u", days, hour, min, sec);
}

void cli_print_uptime_header(FILE *f)
{
	fprintf(f, "%-33s %4s %s\n", "Name", "ID", "Uptime");
}

/* A row of `xl uptime`, or with short_mode `xl uptime -s`: " HH:MM:SS up ..., NAME (ID)". */
void cli_print_uptime_row(FILE *f, const char *name, unsigned int id, unsigned long long secs,
			  bool short_mode, const char *now_hms)
{
	char up[64];

	cli_uptime_str(secs, short_mode, up, sizeof(up));
	if (short_mode)
		fprintf(f, " %s up %s, %s (%u)\n", now_hms, up, name, id);
	else
		fprintf(f, "%-33s %4u %s\n", name, id, up);
}

/*
 * xl's parse_mem_size_kb(): a decimal number and at most one unit letter,
 * t, g, m (also no letter: xl's code takes MiB then), k or b. KiB in *kib.
 */
int cli_parse_mem_kb(const char *s, uint64_t *kib)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || strlen(end) > 1)
		return -EINVAL;
	switch (tolower((unsigned char)*end)) {
	case 't':
		shift = 30;
		break;
	case 'g':
		shift = 20;
		break;
	case '\0':
	case 'm':
		shift = 10;
		break;
	case 'k':
		break;
	case 'b':
		*kib = v >> 10;
		return 0;
	default:
		return -EINVAL;
	}
	if (v > (UINT64_MAX >> shift))
		return -ERANGE;
	*kib = (uint64_t)v << shift;
	return 0;
}

/*
 * `xvmm top` (one shot): per domain its CPU time, the share of one CPU
 * it used between the two samples (a is the earlier, interval_ns apart,
 * matched by domid), memory now and its maximum in KiB and as a share of
 * the host's, vCPUs, and the VMM's exit and hypercall counts.
 */
void cli_print_top(FILE *f, const struct cli_dom0 *host, const struct xvmm_dom_info *a,
		   unsigned int na, const struct xvmm_dom_info *b, unsigned int nb,
		   uint64_t interval_ns)
{
	char name[XVMM_NAME_LEN + 1], state[7];
	double total = host->mem_kib ? (double)host->mem_kib : 1.0;

	fprintf(f, "%10s %6s %10s %6s %10s %6s %10s %9s %5s %12s %12s\n", "NAME", "STATE",
		"CPU(sec)", "CPU(%)", "MEM(k)", "MEM(%)", "MAXMEM(k)", "MAXMEM(%)", "VCPUS",
		"EXITS", "HYPERCALLS");
	for (unsigned int i = 0; i < nb; i++) {
		uint64_t before = b[i].cpu_ns;
		unsigned long long mem = b[i].ram_current >> 10, max = b[i].ram_max >> 10;

		for (unsigned int j = 0; j < na; j++)
			if (a[j].domid == b[i].domid && a[j].cpu_ns <= b[i].cpu_ns)
				before = a[j].cpu_ns;
		cli_dom_name(&b[i], name);
		cli_state_str(&b[i], state);
		fprintf(f, "%10s %6s %10.0f %6.1f %10llu %6.1f %10llu %9.1f %5u %12llu %12llu\n",
			name, state, (double)b[i].cpu_ns / 1e9,
			interval_ns ? 100.0 * (double)(b[i].cpu_ns - before) / (double)interval_ns : 0.0,
			mem, 100.0 * (double)mem / total, max, 100.0 * (double)max / total,
			b[i].nr_vcpus, b[i].exits, b[i].hypercalls);
	}
}

/*
 * `xl info`: "name : value" lines, the key padded to 23 as xl pads it;
 * the keys of xl's that mean something here, in xl's order, then xvmm's
 * own. Memory in MiB as xl's (dom0's total and available), the VMM's
 * pool in KiB.
 */
void cli_print_info(FILE *f, const struct xvmm_status *st, const struct utsname *u,
		    const struct cli_dom0 *d0, uint64_t avail_kib)
{
	char version[XVMM_VERSION_STR_LEN + 1];

	memcpy(version, st->version, XVMM_VERSION_STR_LEN);
	version[XVMM_VERSION_STR_LEN] = '\0';
	fprintf(f, "%-23s: %s\n", "host", u->nodename);
	fprintf(f, "%-23s: %s\n", "release", u->release);
	fprintf(f, "%-23s: %s\n", "version", u->version);
	fprintf(f, "%-23s: %s\n", "machine", u->machine);
	fprintf(f, "%-23s: %u\n", "nr_cpus", st->nr_cpus);
	fprintf(f, "%-23s: %d\n", "max_cpu_id", 63 - __builtin_clzll(st->cpu_mask | 1));
	fprintf(f, "%-23s: %s\n", "virt_caps", "pvh hap");
	fprintf(f, "%-23s: %llu\n", "total_memory", (unsigned long long)(d0->mem_kib >> 10));
	fprintf(f, "%-23s: %llu\n", "free_memory", (unsigned long long)(avail_kib >> 10));
	/* What the VMM tells guests (vmm/xen/version.c: XENVER_version, _capabilities). */
	fprintf(f, "%-23s: %u\n", "xen_major", 4);
	fprintf(f, "%-23s: %u\n", "xen_minor", 17);
	fprintf(f, "%-23s: %s\n", "xen_extra", ".0-xvmm");
	fprintf(f, "%-23s: %s\n", "xen_version", "4.17.0-xvmm");
	fprintf(f, "%-23s: %s\n", "xen_caps", "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64");
	fprintf(f, "%-23s: %s\n", "xen_scheduler", "dom0 (each vCPU is a dom0 thread)");
	fprintf(f, "%-23s: %u\n", "xen_pagesize", 4096u);
	fprintf(f, "%-23s: %s\n", "xvmm_version", version);
	fprintf(f, "%-23s: %u.%u\n", "xvmm_abi", st->abi >> 16, st->abi & 0xffff);
	fprintf(f, "%-23s: %llu\n", "xvmm_memory", st->mem_total >> 10);
	fprintf(f, "%-23s: %llu\n", "xvmm_free_memory", st->mem_free >> 10);
	fprintf(f, "%-23s: %s\n", "cc_compiler", "gcc " __VERSION__);
	fprintf(f, "%-23s: %s\n", "xend_config_format", "4");
}
