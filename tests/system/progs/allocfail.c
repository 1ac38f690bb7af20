// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dom0 side of tests/system/t-allocfail.sh: one step of the
 * allocation-failure walk, with the driver and the image built with
 * CONFIG_XVMM_FAULT_INJECT (XVMM_IOCTL_FAULT_INJECT, include/xvmm/ioctl.h).
 *
 *   allocfail step drv|vmm N OP [ARGS]
 *       arms the Nth allocation of the driver's (drv) or the VMM's (vmm)
 *       to fail, runs OP, ends the window, undoes what OP made (outside the
 *       window) and prints one line:
 *           step OP n=N rc=ERRNO seen=COUNT failed=0|1 [status=GNTST]
 *       rc is 0 or the positive errno OP failed with; seen, the
 *       allocations the window counted; failed, whether the armed one was
 *       among them. Ops:
 *         load              XVMM_IOCTL_LOAD of /lib/xvmm/xvmm.bin (left loaded)
 *         unload            XVMM_IOCTL_UNLOAD (loaded again, unarmed, if it worked)
 *         create NVCPUS     DOM_CREATE of 4 MiB and 4 special pages (then destroyed)
 *         start NVCPUS      DOM_CREATE unarmed, then DOM_START (never run; destroyed)
 *         gntmap DOMID REF  GNT_MAP of a grant, mmap and read it (unmapped after)
 *         bind DOMID PORT   EVTCHN_BIND of a port the guest left unbound (closed after)
 *   allocfail state
 *       prints "loaded=0|1 pool_free=BYTES domains=N driver_live=N" (the
 *       driver's allocations not freed yet)
 *   allocfail disarm
 *       ends both windows (after a test that stopped half-way)
 *   allocfail load | unload
 *       the plain ioctl, unarmed (the driver stays inserted, unlike `xvmm unload`)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xvmm/ioctl.h>

#define IMAGE		"/lib/xvmm/xvmm.bin"
#define GUEST_RAM	(4ull << 20)
#define SPECIAL_GPA	0xfc000000ull
#define NR_SPECIAL	4

static int dev;

static void die(const char *what)
{
	fprintf(stderr, "allocfail: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Start a window on @target failing its @nth allocation; *prev gets the one that ends. */
static void arm(unsigned int target, unsigned long long nth, struct xvmm_ioctl_fault_inject *prev)
{
	struct xvmm_ioctl_fault_inject f = { .target = target, .nth = nth };

	if (ioctl(dev, XVMM_IOCTL_FAULT_INJECT, &f))
		die("FAULT_INJECT");
	if (prev)
		*prev = f;
}

static void *read_image(size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(IMAGE, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die(IMAGE);
	buf = malloc((size_t)st.st_size);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		die(IMAGE);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static int do_load(void)
{
	static void *image;
	static size_t len;
	struct xvmm_ioctl_load req = { 0 };

	if (!image)
		image = read_image(&len);
	req.image_ptr = (unsigned long)image;
	req.image_len = len;
	return ioctl(dev, XVMM_IOCTL_LOAD, &req) ? errno : 0;
}

static int dom_create(unsigned int nr_vcpus, unsigned int *domid)
{
	struct xvmm_ioctl_dom_create req = {
		.nr_vcpus = nr_vcpus,
		.nr_special = NR_SPECIAL,
		.ram_size = GUEST_RAM,
		.special_gpa = SPECIAL_GPA,
	};

	snprintf(req.name, sizeof(req.name), "allocfail");
	if (ioctl(dev, XVMM_IOCTL_DOM_CREATE, &req))
		return errno;
	*domid = req.domid;
	return 0;
}

static int dom_start(unsigned int domid)
{
	/* Never run: entry and start_info only have to be plausible. */
	struct xvmm_ioctl_dom_start req = {
		.domid = domid,
		.entry = 0x100000,
		.start_info = 0x1000,
		.console_gfn = SPECIAL_GPA >> 12,
		.store_gfn = (SPECIAL_GPA >> 12) + 1,
	};

	return ioctl(dev, XVMM_IOCTL_DOM_START, &req) ? errno : 0;
}

static void dom_destroy(unsigned int domid)
{
	if (ioctl(dev, XVMM_IOCTL_DOM_DESTROY, (unsigned long)domid))
		die("DOM_DESTROY");
}

static int state(void)
{
	struct xvmm_status st = { 0 };
	struct xvmm_dom_info info[16];
	struct xvmm_ioctl_dom_list l = { .nr = 16, .doms = (unsigned long)info };
	struct xvmm_ioctl_fault_inject f;
	int loaded = !ioctl(dev, XVMM_IOCTL_STATUS, &st);

	if (loaded && ioctl(dev, XVMM_IOCTL_DOM_LIST, &l))
		die("DOM_LIST");
	arm(XVMM_FAULT_DRIVER, 0, &f);
	printf("loaded=%d pool_free=%llu domains=%u driver_live=%llu\n", loaded,
	       loaded ? st.mem_free : 0ull, loaded ? l.nr : 0, (unsigned long long)f.live);
	return 0;
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end) {
		fprintf(stderr, "allocfail: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static int usage(void)
{
	fprintf(stderr, "usage: allocfail step drv|vmm N OP [ARGS] | state | disarm | load | unload\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct xvmm_ioctl_fault_inject win;
	unsigned int target, domid = 0, nr_vcpus = 0;
	unsigned long long n;
	const char *op;
	void *map = MAP_FAILED;
	int rc, status = 1, evfd = -1;
	struct xvmm_ioctl_gnt_map gm = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = open(XVMM_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die(XVMM_DEVICE);
	if (argc == 2 && !strcmp(argv[1], "state"))
		return state();
	if (argc == 2 && !strcmp(argv[1], "load"))
		return do_load() ? 1 : 0;
	if (argc == 2 && !strcmp(argv[1], "unload"))
		return ioctl(dev, XVMM_IOCTL_UNLOAD) ? 1 : 0;
	if (argc == 2 && !strcmp(argv[1], "disarm")) {
		arm(XVMM_FAULT_DRIVER, 0, NULL);
		arm(XVMM_FAULT_VMM, 0, NULL);
		return 0;
	}
	if (argc < 5 || strcmp(argv[1], "step"))
		return usage();
	if (!strcmp(argv[2], "drv"))
		target = XVMM_FAULT_DRIVER;
	else if (!strcmp(argv[2], "vmm"))
		target = XVMM_FAULT_VMM;
	else
		return usage();
	n = num(argv[3]);
	op = argv[4];

	/* What the op needs but is not walked: made before the window opens. */
	if (!strcmp(op, "start")) {
		if (argc != 6)
			return usage();
		rc = dom_create((unsigned int)num(argv[5]), &domid);
		if (rc) {
			fprintf(stderr, "allocfail: DOM_CREATE before start: %s\n", strerror(rc));
			return 2;
		}
	} else if (!strcmp(op, "create")) {
		if (argc != 6)
			return usage();
		nr_vcpus = (unsigned int)num(argv[5]);
	} else if (!strcmp(op, "gntmap")) {
		if (argc != 7)
			return usage();
		gm.domid = (unsigned int)num(argv[5]);
		gm.ref = (unsigned int)num(argv[6]);
	} else if (!strcmp(op, "bind")) {
		if (argc != 7)
			return usage();
	} else if (strcmp(op, "load") && strcmp(op, "unload")) {
		return usage();
	}

	/* Both windows start now; only @target fails. */
	arm(XVMM_FAULT_DRIVER, target == XVMM_FAULT_DRIVER ? n : 0, NULL);
	arm(XVMM_FAULT_VMM, target == XVMM_FAULT_VMM ? n : 0, NULL);
	if (!strcmp(op, "load")) {
		rc = do_load();
	} else if (!strcmp(op, "unload")) {
		rc = ioctl(dev, XVMM_IOCTL_UNLOAD) ? errno : 0;
	} else if (!strcmp(op, "create")) {
		rc = dom_create(nr_vcpus, &domid);
	} else if (!strcmp(op, "start")) {
		rc = dom_start(domid);
	} else if (!strcmp(op, "gntmap")) {
		rc = ioctl(dev, XVMM_IOCTL_GNT_MAP, &gm) ? errno : 0;
		status = gm.status;
		if (!rc && gm.status == 0) {
			map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
				   (off_t)gm.offset);
			if (map == MAP_FAILED)
				rc = errno;
			else
				(void)*(volatile char *)map;
		}
	} else {
		struct xvmm_ioctl_evtchn_bind b = {
			.domid = (unsigned int)num(argv[5]),
			.port = (unsigned int)num(argv[6]),
		};

		rc = ioctl(dev, XVMM_IOCTL_EVTCHN_BIND, &b) ? errno : 0;
		evfd = rc ? -1 : b.fd;
	}
	arm(target, 0, &win);
	arm(target == XVMM_FAULT_DRIVER ? XVMM_FAULT_VMM : XVMM_FAULT_DRIVER, 0, NULL);

	printf("step %s n=%llu rc=%d seen=%llu failed=%llu", op, n, rc,
	       (unsigned long long)win.seen, (unsigned long long)win.failed);
	if (!strcmp(op, "gntmap"))
		printf(" status=%d", status);
	printf("%s%s\n", rc ? " error=" : "", rc ? strerror(rc) : "");

	/* Undo what the op made, unarmed. */
	if (map != MAP_FAILED)
		munmap(map, 4096);
	if (!rc && !strcmp(op, "gntmap") && gm.status == 0) {
		struct xvmm_ioctl_gnt_unmap u = { .domid = gm.domid, .handle = gm.handle };

		if (ioctl(dev, XVMM_IOCTL_GNT_UNMAP, &u))
			die("GNT_UNMAP");
	}
	if (evfd >= 0)
		close(evfd);
	if (domid)
		dom_destroy(domid);
	if (!rc && !strcmp(op, "unload")) {
		rc = do_load();
		if (rc) {
			fprintf(stderr, "allocfail: load after unload: %s\n", strerror(rc));
			return 2;
		}
	}
	return 0;
}
