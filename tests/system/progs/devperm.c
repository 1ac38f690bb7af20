// SPDX-License-Identifier: GPL-2.0-only
/*
 * devperm: nobody but root with CAP_SYS_ADMIN in the initial user
 * namespace reaches /dev/xvmm (docs/trust.md). Run as root: it opens the
 * device, then for each kind of caller forks a child that becomes it and
 * tries open(2) itself, every ioctl of include/xvmm/ioctl.h and a sweep of
 * the driver's ioctl numbers on the descriptor it inherited, and mmap(2):
 *   nonroot  uid/gid 65534, no groups: open is refused by the node's mode
 *            (EACCES, before the driver sees it), the rest with EPERM
 *   userns   root of a new user namespace (`unshare -U -r`): EPERM
 *   nocap    root without CAP_SYS_ADMIN (`capsh --drop`): EPERM
 * One line per check, "devperm: KIND WHAT ok|FAIL (...)"; exits 1 on any
 * failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

#define DEV "/dev/xvmm"

static const struct {
	const char *name;
	unsigned long cmd;
} ioctls[] = {
#define I(x) { #x, XVMM_IOCTL_##x }
	I(LOAD), I(UNLOAD), I(STATUS), I(LOG_READ), I(SELFTEST), I(MEMINFO), I(VERSION),
	I(IMAGE_TRUST), I(FAULT_INJECT), I(DOM_CREATE), I(DOM_WRITE), I(DOM_START), I(DOM_RUN),
	I(DOM_DESTROY), I(DOM_LIST), I(DOM_CONSOLE), I(DOM_SHUTDOWN), I(DOM_NOTIFY), I(DOM_WAIT),
	I(EVTCHN_BIND),
	I(GNT_COPY), I(GNT_MAP), I(GNT_UNMAP), I(GNT_MAP_BATCH), I(GNT_UNMAP_BATCH),
#undef I
};

static int failures;

static void report(const char *kind, const char *what, int ok, const char *detail)
{
	printf("devperm: %s %s %s%s%s%s\n", kind, what, ok ? "ok" : "FAIL", detail ? " (" : "",
	       detail ? detail : "", detail ? ")" : "");
	if (!ok)
		failures++;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(stderr, "devperm: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	close(fd);
}

static void become(const char *kind)
{
	if (!strcmp(kind, "nonroot")) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534)) {
			perror("devperm: setres*id");
			exit(2);
		}
	} else if (!strcmp(kind, "userns")) {
		if (unshare(CLONE_NEWUSER)) {
			perror("devperm: unshare(CLONE_NEWUSER)");
			exit(2);
		}
		/* As `unshare -U -r`: the caller's own ids become 0 inside. */
		write_file("/proc/self/setgroups", "deny");
		write_file("/proc/self/uid_map", "0 0 1");
		write_file("/proc/self/gid_map", "0 0 1");
	} else {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		/* As `capsh --drop=cap_sys_admin`: out of the bounding set too. */
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) || syscall(SYS_capget, &h, d)) {
			perror("devperm: capabilities");
			exit(2);
		}
		d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
		d[CAP_SYS_ADMIN / 32].permitted &= ~(1u << (CAP_SYS_ADMIN % 32));
		d[CAP_SYS_ADMIN / 32].inheritable &= ~(1u << (CAP_SYS_ADMIN % 32));
		if (syscall(SYS_capset, &h, d)) {
			perror("devperm: capset");
			exit(2);
		}
	}
}

static void try_all(const char *kind, int fd)
{
	static unsigned char buf[65536] __attribute__((aligned(4096)));
	char detail[96];
	int r, bad = 0;
	void *p;

	r = open(DEV, O_RDWR);
	if (r >= 0)
		close(r);
	snprintf(detail, sizeof(detail), "%s", r >= 0 ? "opened" : strerror(errno));
	if (!strcmp(kind, "nonroot"))
		report(kind, "open", r < 0 && errno == EACCES, detail);
	else
		report(kind, "open", r < 0 && errno == EPERM, detail);

	for (unsigned int i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++) {
		memset(buf, 0, sizeof(buf));
		r = ioctl(fd, ioctls[i].cmd, buf);
		if (!(r < 0 && errno == EPERM)) {
			snprintf(detail, sizeof(detail), "ioctl %s: %s", ioctls[i].name,
				 r < 0 ? strerror(errno) : "succeeded");
			report(kind, "ioctl", 0, detail);
			bad++;
		}
	}
	/* Numbers the list may not have yet: the check comes before the dispatch. */
	for (unsigned int nr = 0; nr < 64; nr++) {
		r = ioctl(fd, _IO('X', nr), 0);
		if (!(r < 0 && errno == EPERM)) {
			snprintf(detail, sizeof(detail), "ioctl _IO('X', %u): %s", nr,
				 r < 0 ? strerror(errno) : "succeeded");
			report(kind, "ioctl", 0, detail);
			bad++;
		}
	}
	if (!bad)
		report(kind, "every-ioctl", 1, NULL);

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	snprintf(detail, sizeof(detail), "%s", p != MAP_FAILED ? "mapped" : strerror(errno));
	report(kind, "mmap", p == MAP_FAILED && errno == EPERM, detail);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

int main(int argc, char **argv)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		fprintf(stderr, "devperm: %s: %s (run as root with the driver loaded)\n", DEV,
			strerror(errno));
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			become(argv[i]);
			try_all(argv[i], fd);
			return failures ? 1 : 0;
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			failures++;
	}
	/* Still root here: the descriptor works. */
	{
		struct xvmm_image_trust t;

		report("root", "ioctl", !ioctl(fd, XVMM_IOCTL_IMAGE_TRUST, &t), NULL);
	}
	close(fd);
	return failures ? 1 : 0;
}
