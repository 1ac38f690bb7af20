// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm: the command-line tool. Talks to the driver through /dev/xvmm
 * (include/xvmm/ioctl.h); loads the driver itself when needed.
 *
 *   xvmm load [--mem MB] [IMAGE]   load the VMM (default /lib/xvmm/xvmm.bin)
 *   xvmm unload                    unload it and remove the driver
 *   xvmm status                    loaded?, version, CPUs, memory, exits
 *   xvmm dmesg                     the VMM's log
 *   xvmm selftest integrity        ask the VMM to check its own memory
 *   xvmm selftest extable          ... that a fault on guest state is caught
 *   xvmm meminfo                   physical chunks of VMM memory (for tests)
 *
 * Domains (docs/cli.md; the code is in the files cli.h lists):
 *   xvmm create [-c] FILE [KEY=VALUE...]   build and start a domain
 *   xvmm list                              the live domains
 *   xvmm console [-n] NAME|ID              its console output
 *   xvmm shutdown [-R] [-w] NAME|ID        ask it to power off / reboot
 *   xvmm destroy NAME|ID                   stop it now, free its memory
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

#include "cli.h"

#define DEFAULT_DIR	"/lib/xvmm"

/*
 * Where the image (and the test machine's xvmm.ko) live: $XVMM_DIR, else
 * DEFAULT_DIR when it has an image, else PREFIX/lib/xvmm beside the
 * installed command (`make install PREFIX=/usr/local`: /usr/local/sbin/xvmm).
 */
static const char *xvmm_dir(void)
{
	static char beside[512];
	const char *d = getenv("XVMM_DIR");
	char exe[480];
	ssize_t n;

	if (d && *d)
		return d;
	if (!access(DEFAULT_DIR "/xvmm.bin", F_OK))
		return DEFAULT_DIR;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;	/* PREFIX/sbin */
			slash = strrchr(exe, '/');
			if (slash) {
				*slash = 0;
				snprintf(beside, sizeof(beside), "%s/lib/xvmm", exe);
				if (!access(beside, F_OK))
					return beside;
			}
		}
	}
	return DEFAULT_DIR;
}

static const char *prog = "xvmm";

static int usage(void)
{
	fprintf(stderr,
		"usage: %s COMMAND [ARGS]\n"
		"  load [--mem MB] [IMAGE]  load the VMM (default %s/xvmm.bin)\n"
		"  unload                   unload the VMM and its driver\n"
		"  status                   show whether and how the VMM runs\n"
		"  dmesg                    print the VMM's log\n"
		"  selftest integrity       the VMM checks its memory is intact\n"
		"  selftest extable         a fault on guest state is caught, not FATAL\n"
		"  meminfo                  physical chunks of the VMM's memory\n"
		"  create [-c] FILE [KEY=VALUE...]\n"
		"                           build and start a domain from an xl.cfg file;\n"
		"                           -c: follow its console until it stops\n"
		"  list [--counts] [NAME|ID]\n"
		"                           the domains as xl lists them, dom0 first;\n"
		"                           --counts: and the VMM's exits and hypercalls\n"
		"  info                     the host, as xl info\n"
		"  vcpu-list [NAME|ID...]   each vCPU: the CPU it ran on, state, time\n"
		"  uptime [-s] [NAME|ID...] how long each domain has been running\n"
		"  top [-d SECONDS]         one batch of per-domain CPU, memory, exits\n"
		"  console [-n|--no-follow] NAME|ID\n"
		"                           a domain's console (Ctrl-] detaches)\n"
		"  shutdown [-R|--reboot] [-a|--all] [-w|--wait] [-F] NAME|ID\n"
		"                           ask a domain (-a: every one) to power off (or reboot)\n"
		"  reboot [-a|--all] [-w|--wait] [-F] NAME|ID\n"
		"                           ask a domain to reboot (on_reboot decides what then)\n"
		"  destroy NAME|ID          stop a domain now and free its memory\n"
		"  pause NAME|ID            hold its vCPUs (it keeps its memory)\n"
		"  unpause NAME|ID          let them run again\n"
		"  mem-set NAME|ID MEM      its balloon target (512m, 1g; no unit: MiB)\n"
		"  block-attach NAME|ID DISKSPEC\n"
		"                           give a running domain a disk (xl-disk-configuration)\n"
		"  block-detach NAME|ID VDEV\n"
		"                           take it away again (the guest lets go first)\n"
		"  block-list NAME|ID       a domain's disks, as xl block-list\n"
		"  network-attach NAME|ID [VIFSPEC...]\n"
		"                           give a running domain a vif (xl-network-configuration)\n"
		"  network-detach NAME|ID DEVID|MAC\n"
		"                           take it away again (the guest lets go first)\n"
		"  network-list NAME|ID     a domain's vifs, as xl network-list\n",
		prog, xvmm_dir());
	return 2;
}

/* What an errno from the driver means for the person at the keyboard. */
static const char *explain(int err)
{
	switch (err) {
	case EBUSY:
		return "SVM is in use by another hypervisor (is a KVM VM running?)";
	case ENODEV:
		return "no usable AMD SVM with nested paging on this machine, or the VMM is not loaded";
	case EEXIST:
		return "xvmm is already loaded; run `xvmm unload` first";
	case ENOEXEC:
		return "not a valid xvmm image for this driver";
	case ENOMEM:
		return "not enough memory for the VMM";
	case EPERM:
		return "must be root";
	default:
		return strerror(err);
	}
}

/* Load refusals by the driver's signature policy (docs/trust.md) have errnos of their own. */
static const char *explain_load(int err)
{
	switch (err) {
	case EPERM:
		return "the image is not signed, and signatures are required here (lockdown, module "
		       "signature enforcement or xvmm.ko's require_signature; see dmesg)";
	case ENOKEY:
		return "the image is signed by a key the kernel does not trust (see dmesg)";
	case EKEYREJECTED:
		return "the image's signature does not match it: changed after signing? (see dmesg)";
	case EBADMSG:
		return "the image's signature is malformed (see dmesg)";
	default:
		return explain(err);
	}
}

static int open_dev(void)
{
	int fd = open(XVMM_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fprintf(stderr, "xvmm: not loaded (no %s)\n", XVMM_DEVICE);
	else if (fd < 0)
		fprintf(stderr, "xvmm: %s: %s\n", XVMM_DEVICE, strerror(errno));
	return fd;
}

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0 || !(buf = malloc((size_t)st.st_size))) {
		close(fd);
		errno = errno ? errno : EINVAL;
		return NULL;
	}
	if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		close(fd);
		errno = EIO;
		return NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* Insert the driver with load=0 so that we hand it the image ourselves. */
static int insert_driver(void)
{
	char path[512];
	int fd;

	if (access(XVMM_DEVICE, F_OK) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/xvmm.ko", xvmm_dir());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* Installed: the module is the kernel's own (DKMS), found by modprobe. */
		int st = system("modprobe xvmm load=0");

		if (st != 0) {
			fprintf(stderr, "xvmm: no %s and `modprobe xvmm` failed: is the module "
				"installed for this kernel (dkms status)?\n", path);
			return -1;
		}
		for (int i = 0; i < 100 && access(XVMM_DEVICE, F_OK); i++)
			usleep(10000);
		return 0;
	}
	if (fd < 0) {
		fprintf(stderr, "xvmm: driver %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "load=0", 0) && errno != EEXIST) {
		fprintf(stderr, "xvmm: inserting %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	/* devtmpfs creates the node asynchronously. */
	for (int i = 0; i < 100 && access(XVMM_DEVICE, F_OK); i++)
		usleep(10000);
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	struct xvmm_ioctl_load req = { 0 };
	char def[512];
	const char *image = NULL;
	size_t len;
	void *buf;
	int fd, i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
			char *end;
			unsigned long mb = strtoul(argv[++i], &end, 0);

			if (*end || mb == 0 || mb > 256) {
				fprintf(stderr, "xvmm: --mem takes 1..256 (MiB)\n");
				return 2;
			}
			req.mem_mb = (unsigned int)mb;
		} else if (argv[i][0] == '-' || image) {
			return usage();
		} else {
			image = argv[i];
		}
	}
	if (!image) {
		snprintf(def, sizeof(def), "%s/xvmm.bin", xvmm_dir());
		image = def;
	}
	buf = read_file(image, &len);
	if (!buf) {
		fprintf(stderr, "xvmm: cannot read image %s: %s\n", image, strerror(errno));
		return 1;
	}
	if (insert_driver()) {
		free(buf);
		return 1;
	}
	fd = open_dev();
	if (fd < 0) {
		free(buf);
		return 1;
	}
	req.image_ptr = (unsigned long)buf;
	req.image_len = len;
	ret = ioctl(fd, XVMM_IOCTL_LOAD, &req);
	if (ret)
		fprintf(stderr, "xvmm: load failed: %s\n", explain_load(errno));
	else
		printf("xvmm: loaded %s\n", image);
	free(buf);
	close(fd);
	return ret ? 1 : 0;
}

/* The processes other than this one that hold /dev/xvmm open (and so the driver); print them? */
static unsigned int holders(bool print)
{
	unsigned int count = 0;
	struct stat dev;
	DIR *proc = opendir("/proc");
	struct dirent *p;

	if (!proc || stat(XVMM_DEVICE, &dev)) {
		if (proc)
			closedir(proc);
		return 0;
	}
	while ((p = readdir(proc))) {
		char path[300], comm[64] = "?";
		struct dirent *f;
		DIR *fds;
		FILE *cf;
		int held = 0;

		if (p->d_name[0] < '0' || p->d_name[0] > '9' || atoi(p->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!held && (f = readdir(fds))) {
			struct stat st;
			char fd_path[600];

			snprintf(fd_path, sizeof(fd_path), "%s/%s", path, f->d_name);
			held = !stat(fd_path, &st) && S_ISCHR(st.st_mode) && st.st_rdev == dev.st_rdev;
		}
		closedir(fds);
		if (!held)
			continue;
		count++;
		if (!print)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
		cf = fopen(path, "r");
		if (cf) {
			if (fgets(comm, sizeof(comm), cf))
				comm[strcspn(comm, "\n")] = 0;
			fclose(cf);
		}
		fprintf(stderr, "xvmm:   held open by pid %s (%s)\n", p->d_name, comm);
	}
	closedir(proc);
	return count;
}

/*
 * Remove xvmm.ko. A domain's runner that has just seen its guest power
 * off still has /dev/xvmm open for a moment while it exits: wait for it
 * (up to 5 s) rather than fail, then say who holds the driver.
 */
static int remove_driver(void)
{
	for (int tries = 0; tries < 50; tries++) {
		if (!syscall(SYS_delete_module, "xvmm", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		usleep(100 * 1000);
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		fprintf(stderr, "xvmm: the VMM is unloaded, but the driver is still in use:\n");
		holders(true);
		fprintf(stderr, "xvmm: `xvmm unload` again removes it once they have closed it\n");
	} else {
		fprintf(stderr, "xvmm: removing the driver: %s\n", strerror(errno));
	}
	return -1;
}

/*
 * UNLOAD is refused while domains exist. One that has just stopped (a
 * guest's poweroff) is about to be destroyed by its runner: wait for that
 * (up to 10 s) while no domain runs and some other process (a runner)
 * still has the driver open. Then name what is left: running domains, or
 * stopped ones nobody will tear down (on_poweroff = "preserve").
 */
static int unload_vmm(int fd)
{
	struct xvmm_dom_info *d = NULL;
	unsigned int n = 0;

	for (int tries = 0;; tries++) {
		bool running = false;

		if (!ioctl(fd, XVMM_IOCTL_UNLOAD) || errno == ENODEV)
			return 0;
		if (errno != EBUSY) {
			fprintf(stderr, "xvmm: unload failed: %s\n", explain(errno));
			return -1;
		}
		free(d);
		d = NULL;
		if (xdev_dom_list(fd, &d, &n))
			n = 0;
		for (unsigned int i = 0; i < n; i++)
			running |= d[i].state == XVMM_DOM_RUNNING;
		if (running || tries >= 100 || !holders(false))
			break;
		usleep(100 * 1000);
	}
	fprintf(stderr, "xvmm: unload failed: domains exist; destroy them first:\n");
	for (unsigned int i = 0; i < n; i++) {
		char name[XVMM_NAME_LEN + 1], state[7];

		cli_dom_name(&d[i], name);
		cli_state_str(&d[i], state);
		fprintf(stderr, "xvmm:   domain %u (%s), state %s\n", d[i].domid, name, state);
	}
	free(d);
	return -1;
}

static int cmd_unload(void)
{
	int fd = open_dev();

	if (fd < 0)
		return 1;
	if (unload_vmm(fd)) {
		close(fd);
		return 1;
	}
	close(fd);
	if (remove_driver())
		return 1;
	printf("xvmm: unloaded\n");
	return 0;
}

static int cmd_status(void)
{
	struct xvmm_image_trust trust;
	struct xvmm_status st;
	int trust_ok;
	int fd = open_dev();

	if (fd < 0)
		return 1;
	if (ioctl(fd, XVMM_IOCTL_STATUS, &st)) {
		if (errno == ENODEV)
			printf("xvmm: driver present, VMM not loaded\n");
		else
			fprintf(stderr, "xvmm: status: %s\n", explain(errno));
		close(fd);
		return 1;
	}
	memset(&trust, 0, sizeof(trust));
	trust_ok = !ioctl(fd, XVMM_IOCTL_IMAGE_TRUST, &trust);
	close(fd);
	trust.detail[sizeof(trust.detail) - 1] = 0;
	printf("loaded:   yes\n");
	printf("version:  %s (ABI %u.%u)\n", st.version, st.abi >> 16, st.abi & 0xffff);
	if (!trust_ok)
		printf("image:    (unknown: %s)\n", strerror(errno));
	else if (trust.state == XVMM_TRUST_VERIFIED)
		printf("image:    signature verified by %s\n", trust.detail);
	else
		printf("image:    NOT verified (%s); the kernel is tainted\n", trust.detail);
	printf("cpus:     %u (mask %#llx)\n", st.nr_cpus, st.cpu_mask);
	printf("memory:   %llu KiB, %llu KiB free in the pool\n",
	       st.mem_total >> 10, st.mem_free >> 10);
	for (unsigned int i = 0; i < XVMM_MAX_CPUS; i++)
		if (st.cpu_mask & (1ull << i))
			printf("cpu%-3u    exits %llu\n", i, st.exits[i]);
	return 0;
}

static int cmd_dmesg(void)
{
	struct xvmm_log_read lr = { 0 };
	int fd = open_dev();

	if (fd < 0)
		return 1;
	for (;;) {
		unsigned long long cursor = lr.cursor;

		if (ioctl(fd, XVMM_IOCTL_LOG_READ, &lr)) {
			fprintf(stderr, "xvmm: dmesg: %s\n", explain(errno));
			close(fd);
			return 1;
		}
		if (lr.dropped)
			printf("[... %u bytes lost ...]\n", lr.dropped);
		if (lr.len == 0 || lr.len > sizeof(lr.data) || lr.cursor == cursor)
			break;
		fwrite(lr.data, 1, lr.len, stdout);
	}
	close(fd);
	return 0;
}

static int cmd_selftest(int argc, char **argv)
{
	static const struct { const char *name; unsigned long op; } tests[] = {
		{ "integrity", XVMM_SELFTEST_INTEGRITY },
		{ "extable", XVMM_SELFTEST_EXTABLE },
	};
	int fd, ret;
	unsigned int i;

	if (argc != 1)
		return usage();
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[0], tests[i].name))
			break;
	if (i == sizeof(tests) / sizeof(tests[0]))
		return usage();
	fd = open_dev();
	if (fd < 0)
		return 1;
	ret = ioctl(fd, XVMM_IOCTL_SELFTEST, tests[i].op);
	if (ret)
		fprintf(stderr, "xvmm: selftest %s: FAILED (%s)\n", tests[i].name, strerror(errno));
	else
		printf("xvmm: selftest %s: ok\n", tests[i].name);
	close(fd);
	return ret ? 1 : 0;
}

static int cmd_meminfo(void)
{
	struct xvmm_meminfo mi;
	int fd = open_dev();

	if (fd < 0)
		return 1;
	if (ioctl(fd, XVMM_IOCTL_MEMINFO, &mi) || !mi.loaded) {
		fprintf(stderr, "xvmm: meminfo: %s\n", mi.loaded ? strerror(errno) : "not loaded");
		close(fd);
		return 1;
	}
	close(fd);
	for (unsigned int i = 0; i < mi.nr_chunks && i < XVMM_MAX_CHUNKS; i++)
		printf("%#llx %#llx\n", mi.chunk_pa[i], (unsigned long long)XVMM_CHUNK_SIZE);
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;

	/*
	 * Installed also as `xvmm-xl` (and as `xl` where no real xl is
	 * installed, docs/cli.md): the verbs are xl's, so the same program
	 * serves; only the usage line names what was run.
	 */
	base = base ? base + 1 : argc > 0 ? argv[0] : "xvmm";
	if (!strcmp(base, "xl") || !strcmp(base, "xvmm-xl"))
		prog = base;
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "--version") && argc == 2) {
		printf("xvmm %s\n", XVMM_CLI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "load"))
		return cmd_load(argc - 2, argv + 2);
	if (!strcmp(argv[1], "unload") && argc == 2)
		return cmd_unload();
	if (!strcmp(argv[1], "status") && argc == 2)
		return cmd_status();
	if (!strcmp(argv[1], "dmesg") && argc == 2)
		return cmd_dmesg();
	if (!strcmp(argv[1], "selftest"))
		return cmd_selftest(argc - 2, argv + 2);
	if (!strcmp(argv[1], "meminfo") && argc == 2)
		return cmd_meminfo();
	if (!strcmp(argv[1], "create"))
		return cmd_create(argc - 2, argv + 2);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "console"))
		return cmd_console(argc - 2, argv + 2);
	if (!strcmp(argv[1], "shutdown"))
		return cmd_shutdown(argc - 2, argv + 2);
	if (!strcmp(argv[1], "destroy"))
		return cmd_destroy(argc - 2, argv + 2);
	if (!strcmp(argv[1], "block-attach"))
		return cmd_block_attach(argc - 2, argv + 2);
	if (!strcmp(argv[1], "block-detach"))
		return cmd_block_detach(argc - 2, argv + 2);
	if (!strcmp(argv[1], "block-list"))
		return cmd_block_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "network-attach"))
		return cmd_network_attach(argc - 2, argv + 2);
	if (!strcmp(argv[1], "network-detach"))
		return cmd_network_detach(argc - 2, argv + 2);
	if (!strcmp(argv[1], "network-list"))
		return cmd_network_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "reboot"))
		return cmd_reboot(argc - 2, argv + 2);
	if (!strcmp(argv[1], "info"))
		return cmd_info(argc - 2, argv + 2);
	if (!strcmp(argv[1], "vcpu-list"))
		return cmd_vcpu_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pause"))
		return cmd_pause(argc - 2, argv + 2);
	if (!strcmp(argv[1], "unpause"))
		return cmd_unpause(argc - 2, argv + 2);
	if (!strcmp(argv[1], "mem-set"))
		return cmd_mem_set(argc - 2, argv + 2);
	if (!strcmp(argv[1], "uptime"))
		return cmd_uptime(argc - 2, argv + 2);
	if (!strcmp(argv[1], "top"))
		return cmd_top(argc - 2, argv + 2);
	return usage();
}
