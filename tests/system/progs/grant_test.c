// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dom0 side of tests/system/t-grant.sh: a backend's view of the
 * grants the `grant` test guest (tests/guests/grant.c) gives dom0, through
 * /dev/xvmm's GNT_COPY, GNT_MAP, GNT_UNMAP and mmap.
 *
 *   grant_test run NAME    the whole protocol with the guest (see grant.c)
 *   grant_test rowrite NAME  map and mmap the read-only grant, print "va
 *                          <address>", wait for SIGUSR1 (a module writes
 *                          to the page meanwhile), check the guest's page
 *                          is unchanged, unmap
 *   grant_test hold NAME   map and mmap the writable grant, print "held",
 *                          wait for SIGUSR1 (the domain is destroyed
 *                          meanwhile), then touch the mapping: SIGBUS expected
 *
 * Prints "ok NAME" or "not ok NAME: why" per check; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xvmm/ioctl.h>

#define REF_RW		8
#define REF_RO		9
#define REF_OTHER	10
#define REF_SUB		11
#define REF_BADPFN	12
#define REF_INVALID	13
#define REF_MBOX	14
#define PAGE		4096

static int fd, failures;
static unsigned int domid;

static void check(const char *name, int good, const char *fmt, ...)
{
	va_list ap;

	if (good) {
		printf("ok %s\n", name);
	} else {
		failures++;
		printf("not ok %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

static unsigned int find_domid(const char *name)
{
	struct xvmm_dom_info info[16];
	struct xvmm_ioctl_dom_list l = { .nr = 16, .doms = (uintptr_t)info };

	if (ioctl(fd, XVMM_IOCTL_DOM_LIST, &l)) {
		perror("DOM_LIST");
		exit(2);
	}
	for (unsigned int i = 0; i < l.nr; i++)
		if (!strcmp(info[i].name, name))
			return info[i].domid;
	fprintf(stderr, "no domain %s\n", name);
	exit(2);
}

/* One segment on domain @dom; returns the ioctl's errno (0 on success), status in *st. */
static int copy_on(unsigned int dom, unsigned int ref, unsigned int off, unsigned int len,
		   unsigned int flags, void *buf, short *st)
{
	struct xvmm_gnt_copy s = {
		.buf = (uintptr_t)buf, .ref = ref, .offset = (unsigned short)off,
		.len = (unsigned short)len, .flags = (unsigned short)flags, .status = 99,
	};
	struct xvmm_ioctl_gnt_copy c = { .domid = dom, .nr = 1, .segs = (uintptr_t)&s };

	if (ioctl(fd, XVMM_IOCTL_GNT_COPY, &c))
		return errno;
	*st = s.status;
	return 0;
}

/* The status of one segment on the guest (-100 if the ioctl itself failed). */
static int copy1(unsigned int ref, unsigned int off, unsigned int len, unsigned int flags,
		 void *buf)
{
	short st = -100;
	int err = copy_on(domid, ref, off, len, flags, buf, &st);

	return err ? -100 : st;
}

static int map_on(int f, unsigned int ref, unsigned int flags, struct xvmm_ioctl_gnt_map *m)
{
	memset(m, 0, sizeof(*m));
	m->domid = domid;
	m->ref = ref;
	m->flags = flags;
	m->status = 99;
	return ioctl(f, XVMM_IOCTL_GNT_MAP, m) ? errno : 0;
}

static int unmap_on(int f, unsigned int handle)
{
	struct xvmm_ioctl_gnt_unmap u = { .domid = domid, .handle = handle };

	return ioctl(f, XVMM_IOCTL_GNT_UNMAP, &u) ? errno : 0;
}

static sigjmp_buf env;

static void on_sigbus(int sig)
{
	siglongjmp(env, sig);
}

/* Reading *p raises SIGBUS (1), works (0). */
static int read_faults(volatile const unsigned char *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int faulted;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(env, 1) == 0) {
		(void)*p;
		faulted = 0;
	} else {
		faulted = 1;
	}
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

static int pattern_a(const unsigned char *p, unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i < to; i++)
		if (p[i] != (unsigned char)(i * 7 + 1))
			return 0;
	return 1;
}

static int pattern_b(const unsigned char *p)
{
	for (unsigned int i = 0; i < PAGE; i++)
		if (p[i] != (unsigned char)(i ^ 0x5a))
			return 0;
	return 1;
}

/* Until the guest has granted page A (up to 60 s). */
static void wait_ready(void)
{
	unsigned char buf[16];

	for (int i = 0; i < 600; i++) {
		if (copy1(REF_RW, 0, sizeof(buf), 0, buf) == GNTST_okay && pattern_a(buf, 0, 16))
			return;
		usleep(100000);
	}
	check("guest-ready", 0, "no grant from the guest in 60 s");
	exit(1);
}

static void mbox_cmd(unsigned int v)
{
	char name[32];

	snprintf(name, sizeof(name), "mbox-cmd-%u", v);
	check(name, copy1(REF_MBOX, 0, 4, XVMM_GNT_TO_GUEST, &v) == GNTST_okay, "copy refused");
}

static int wait_ack(unsigned int want)
{
	unsigned int v = 0;

	for (int i = 0; i < 600; i++) {
		if (copy1(REF_MBOX, 64, 4, 0, &v) == GNTST_okay && v == want)
			return 1;
		usleep(100000);
	}
	return 0;
}

static void run(void)
{
	static unsigned char page[PAGE], page2[PAGE];
	struct xvmm_ioctl_gnt_map ma, mb, m;
	unsigned char *pa, *pb;
	short st;
	int rc, f2;

	wait_ready();

	/* Copies: both ways, and everything that must be refused. */
	rc = copy1(REF_RW, 0, PAGE, 0, page);
	check("copy-from-writable-grant", rc == GNTST_okay && pattern_a(page, 0, PAGE), "status %d", rc);
	rc = copy1(REF_RO, 0, PAGE, 0, page);
	check("copy-from-readonly-grant", rc == GNTST_okay && pattern_b(page), "status %d", rc);
	memset(page2, 0xee, PAGE);
	rc = copy1(REF_RO, 0, PAGE, XVMM_GNT_TO_GUEST, page2);
	check("copy-to-readonly-refused", rc == GNTST_general_error, "status %d", rc);
	rc = copy1(REF_RO, 0, PAGE, 0, page);
	check("readonly-page-unchanged", rc == GNTST_okay && pattern_b(page), "status %d", rc);
	rc = copy1(REF_OTHER, 0, 16, 0, page);
	check("copy-granted-to-other-domain-refused", rc == GNTST_general_error, "status %d", rc);
	rc = copy1(REF_OTHER, 0, 16, XVMM_GNT_TO_GUEST, page2);
	check("copy-to-other-domain-grant-refused", rc == GNTST_general_error, "status %d", rc);
	rc = copy1(REF_SUB, 8, 16, 0, page);
	check("copy-from-sub-page-grant", rc == GNTST_okay && page[0] == 0xcc, "status %d", rc);
	rc = copy1(REF_BADPFN, 0, 16, 0, page);
	check("copy-frame-outside-ram-refused", rc == GNTST_bad_page, "status %d", rc);
	rc = copy1(REF_INVALID, 0, 16, 0, page);
	check("copy-invalid-entry-refused", rc == GNTST_general_error, "status %d", rc);
	rc = copy1(512, 0, 16, 0, page);
	check("copy-forged-ref-refused", rc == GNTST_bad_gntref, "status %d", rc);
	rc = copy1(0x7fffffff, 0, 16, 0, page);
	check("copy-huge-ref-refused", rc == GNTST_bad_gntref, "status %d", rc);
	rc = copy1(REF_RW, 4000, 200, 0, page);
	check("copy-beyond-page-refused", rc == GNTST_bad_copy_arg, "status %d", rc);
	rc = copy1(REF_RW, 0, 16, 0x80, page);
	check("copy-unknown-flag-refused", rc == GNTST_bad_copy_arg, "status %d", rc);
	rc = copy_on(0, REF_RW, 0, 16, 0, page, &st);
	check("copy-dom0-as-domain-refused", rc == ENOENT, "errno %d", rc);
	rc = copy_on(domid == 16 ? 15 : domid + 1, REF_RW, 0, 16, 0, page, &st);
	check("copy-wrong-domain-refused", rc == ENOENT, "errno %d", rc);
	rc = copy_on(1000, REF_RW, 0, 16, 0, page, &st);
	check("copy-bad-domid-refused", rc == ENOENT, "errno %d", rc);
	rc = copy_on(domid, REF_RW, 0, 16, XVMM_GNT_TO_GUEST, NULL, &st);
	check("copy-bad-user-buffer-efault", rc == EFAULT, "errno %d", rc);
	{
		struct xvmm_gnt_copy s[3] = {
			{ .buf = (uintptr_t)page, .ref = REF_RW, .len = 8 },
			{ .buf = (uintptr_t)page2, .ref = REF_RO, .len = 8, .flags = XVMM_GNT_TO_GUEST },
			{ .buf = (uintptr_t)page + 8, .ref = REF_OTHER, .len = 8 },
		};
		struct xvmm_ioctl_gnt_copy c = { .domid = domid, .nr = 3, .segs = (uintptr_t)s };

		rc = ioctl(fd, XVMM_IOCTL_GNT_COPY, &c) ? errno : 0;
		check("copy-batch-statuses", rc == 0 && s[0].status == GNTST_okay &&
		      s[1].status == GNTST_general_error && s[2].status == GNTST_general_error,
		      "errno %d, statuses %d %d %d", rc, s[0].status, s[1].status, s[2].status);
		c.nr = 0;
		rc = ioctl(fd, XVMM_IOCTL_GNT_COPY, &c) ? errno : 0;
		check("copy-zero-segments-einval", rc == EINVAL, "errno %d", rc);
		c.nr = XVMM_GNT_COPY_MAX + 1;
		rc = ioctl(fd, XVMM_IOCTL_GNT_COPY, &c) ? errno : 0;
		check("copy-too-many-segments-einval", rc == EINVAL, "errno %d", rc);
	}
	rc = copy1(REF_RW, 1000, 14, XVMM_GNT_TO_GUEST, (void *)"dom0 was here");
	memset(page, 0, PAGE);
	check("copy-to-writable-grant", rc == GNTST_okay &&
	      copy1(REF_RW, 1000, 14, 0, page) == GNTST_okay && !strcmp((char *)page, "dom0 was here"),
	      "status %d, read back \"%.14s\"", rc, page);

	/* Maps. */
	rc = map_on(fd, REF_RW, 0, &ma);
	check("map-writable-grant", rc == 0 && ma.status == GNTST_okay,
	      "errno %d status %d", rc, ma.status);
	pa = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, ma.offset);
	check("mmap-writable-map", pa != MAP_FAILED, "%s", strerror(errno));
	if (pa == MAP_FAILED)
		exit(1);
	check("mapped-page-contents",
	      pattern_a(pa, 0, 1000) && !strcmp((char *)pa + 1000, "dom0 was here"),
	      "byte 0 %02x", pa[0]);
	rc = map_on(fd, REF_RO, 0, &m);
	check("map-readonly-grant-writable-refused", rc == 0 && m.status == GNTST_general_error,
	      "errno %d status %d", rc, m.status);
	rc = map_on(fd, REF_RO, XVMM_GNT_MAP_READONLY, &mb);
	check("map-readonly-grant", rc == 0 && mb.status == GNTST_okay,
	      "errno %d status %d", rc, mb.status);
	pb = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mb.offset);
	check("mmap-readonly-map-for-write-refused", pb == MAP_FAILED && errno == EACCES,
	      "%s", pb == MAP_FAILED ? strerror(errno) : "mapped");
	if (pb != MAP_FAILED)
		munmap(pb, PAGE);
	pb = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, mb.offset);
	check("mmap-readonly-map", pb != MAP_FAILED && pattern_b(pb), "%s", strerror(errno));
	if (pb == MAP_FAILED)
		exit(1);
	rc = mprotect(pb, PAGE, PROT_READ | PROT_WRITE) ? errno : 0;
	check("mprotect-readonly-map-writable-refused", rc == EACCES, "errno %d", rc);
	rc = map_on(fd, REF_OTHER, XVMM_GNT_MAP_READONLY, &m);
	check("map-other-domain-grant-refused", rc == 0 && m.status == GNTST_general_error,
	      "errno %d status %d", rc, m.status);
	rc = map_on(fd, REF_SUB, XVMM_GNT_MAP_READONLY, &m);
	check("map-sub-page-grant-refused", rc == 0 && m.status == GNTST_general_error,
	      "errno %d status %d", rc, m.status);
	rc = map_on(fd, REF_BADPFN, 0, &m);
	check("map-frame-outside-ram-refused", rc == 0 && m.status == GNTST_bad_page,
	      "errno %d status %d", rc, m.status);
	rc = map_on(fd, 513, 0, &m);
	check("map-forged-ref-refused", rc == 0 && m.status == GNTST_bad_gntref,
	      "errno %d status %d", rc, m.status);
	{
		void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, ma.offset);

		check("mmap-private-refused", p == MAP_FAILED, "mapped");
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, XVMM_MMAP_GRANT(domid, 63));
		check("mmap-unmapped-handle-refused", p == MAP_FAILED, "mapped");
	}

	/* The guest sees dom0's writes through the map, dom0 the guest's. */
	memcpy(pa + 2000, "mapped write", 13);
	mbox_cmd(1);
	check("guest-saw-maps", wait_ack(1), "no ack in 60 s");
	check("guest-write-visible-in-map", !strcmp((char *)pa + 3000, "guest says hi"),
	      "\"%.14s\"", pa + 3000);
	rc = copy1(REF_RW, 2000, 13, 0, page);
	check("copy-while-mapped", rc == GNTST_okay && !strcmp((char *)page, "mapped write"),
	      "status %d", rc);

	/* A map another open file made: only that file unmaps it, its close does. */
	f2 = open(XVMM_DEVICE, O_RDWR);
	rc = map_on(f2, REF_RW, 0, &m);
	check("map-on-second-file", rc == 0 && m.status == GNTST_okay, "errno %d status %d", rc, m.status);
	rc = unmap_on(fd, m.handle);
	check("unmap-other-files-map-refused", rc == ENOENT, "errno %d", rc);
	rc = unmap_on(f2, ma.handle);
	check("unmap-through-other-file-refused", rc == ENOENT, "errno %d", rc);
	{
		void *p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, m.offset);

		check("mmap-other-files-map-refused", p == MAP_FAILED, "mapped");
	}
	close(f2);

	/* Unmap: the process's mapping is zapped first. */
	rc = unmap_on(fd, ma.handle);
	check("unmap-writable", rc == 0, "errno %d", rc);
	check("sigbus-after-unmap", read_faults(pa), "still readable");
	rc = unmap_on(fd, ma.handle);
	check("unmap-twice-refused", rc == ENOENT, "errno %d", rc);
	rc = unmap_on(fd, mb.handle);
	check("unmap-readonly", rc == 0, "errno %d", rc);
	check("sigbus-after-unmap-readonly", read_faults(pb), "still readable");
	munmap(pa, PAGE);
	munmap(pb, PAGE);
	mbox_cmd(2);
}

static int wait_usr1(void)
{
	struct timespec timeout = { .tv_sec = 300 };
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	return sigtimedwait(&usr1, NULL, &timeout) == SIGUSR1;
}

/* Map the read-only grant; a kernel module writes to it meanwhile (dom0's own mapping). */
static void rowrite(void)
{
	static unsigned char page[PAGE];
	struct xvmm_ioctl_gnt_map m;
	unsigned char *p;
	int rc;

	wait_ready();
	rc = map_on(fd, REF_RO, XVMM_GNT_MAP_READONLY, &m);
	check("ro-map", rc == 0 && m.status == GNTST_okay, "errno %d status %d", rc, m.status);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, m.offset);
	check("ro-mmap", p != MAP_FAILED && pattern_b(p), "%s", strerror(errno));
	if (p == MAP_FAILED)
		exit(1);
	printf("va %#lx\n", (unsigned long)p);
	fflush(stdout);
	check("ro-signalled", wait_usr1(), "no SIGUSR1 in 300 s");
	rc = copy1(REF_RO, 0, PAGE, 0, page);
	check("guest-page-unchanged-by-dom0-write", rc == GNTST_okay && pattern_b(page),
	      "status %d, byte 0 %02x", rc, page[0]);
	check("ro-map-now-junk", p[0] != (unsigned char)0x5a, "still reads the guest's byte");
	munmap(p, PAGE);
	rc = unmap_on(fd, m.handle);
	check("ro-unmap-after-write", rc == 0, "errno %d", rc);
}

/* Map and mmap the writable grant, then wait: the test destroys the domain meanwhile. */
static void hold(void)
{
	struct xvmm_ioctl_gnt_map m;
	unsigned char *p;
	int rc;

	wait_ready();
	rc = map_on(fd, REF_RW, 0, &m);
	check("hold-map", rc == 0 && m.status == GNTST_okay, "errno %d status %d", rc, m.status);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	check("hold-mmap", p != MAP_FAILED && p[0] == 1, "%s", strerror(errno));
	if (p == MAP_FAILED)
		exit(1);
	printf("held\n");
	fflush(stdout);
	check("hold-signalled", wait_usr1(), "no SIGUSR1 in 300 s");
	check("sigbus-after-destroy", read_faults(p), "page still readable after destroy");
	rc = unmap_on(fd, m.handle);
	check("map-gone-after-destroy", rc == ENOENT, "errno %d", rc);
}

int main(int argc, char **argv)
{
	sigset_t usr1;

	if (argc != 3 || (strcmp(argv[1], "run") && strcmp(argv[1], "hold") &&
			  strcmp(argv[1], "rowrite"))) {
		fprintf(stderr, "usage: grant_test run|rowrite|hold NAME\n");
		return 2;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);	/* taken with sigtimedwait */
	fd = open(XVMM_DEVICE, O_RDWR);
	if (fd < 0) {
		perror(XVMM_DEVICE);
		return 2;
	}
	domid = find_domid(argv[2]);
	if (!strcmp(argv[1], "run"))
		run();
	else if (!strcmp(argv[1], "rowrite"))
		rowrite();
	else
		hold();
	return failures ? 1 : 0;
}
