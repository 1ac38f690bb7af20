// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner's backends (tools/cli/console_backend.c) with the xenstore
 * library, end to end in user space: a sparse file stands in for
 * /dev/xvmm (mmap of XVMM_MMAP_SPECIAL(domid, n) is then a page of the
 * file, and its ioctls fail with ENOTTY, so the backend polls), this
 * file plays the guest on the console and xenstore rings and the
 * `xvmm console` / `xvmm shutdown` side on the control socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "xs_wire.h"

#define DOMID	3

struct cons_page {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod, out_cons, out_prod;
};

static char dir[64];
static int dev;
static struct cons_page *cons;
static struct xs_ring_page *store;
static struct cli_backends *be;
static struct xlcfg cfg;

static void *map(unsigned int page)
{
	unsigned int n = (unsigned int)(XVMM_SPAGES_OFFSET / XVMM_PAGE_SIZE) + page;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
		       (off_t)XVMM_MMAP_SPECIAL(DOMID, n));

	assert_true(p != MAP_FAILED);
	return p;
}

static int setup(void **state)
{
	char devpath[96];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/xvmm-runner-test.XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("XVMM_LOG_DIR", dir, 1);
	setenv("XVMM_RUN_DIR", dir, 1);
	snprintf(devpath, sizeof(devpath), "%s/dev", dir);
	dev = open(devpath, O_RDWR | O_CREAT, 0600);
	assert_true(dev >= 0);
	assert_int_equal(ftruncate(dev, (off_t)XVMM_MMAP_SPECIAL(DOMID + 1, 0)), 0);
	cons = map(XVMM_SPAGE_CONSOLE);
	store = map(XVMM_SPAGE_XENSTORE);
	xlcfg_init(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "rt");
	cfg.memory_mib = 64;
	cfg.vcpus = 1;
	be = cli_backends_start(dev, DOMID, &cfg);
	assert_non_null(be);
	return 0;
}

/* Poll until cond() or 3 s. */
static bool until(bool (*cond)(void))
{
	for (int i = 0; i < 300; i++) {
		if (cond())
			return true;
		poll(NULL, 0, 10);
	}
	return false;
}

static char logbuf[8192];

static bool log_has_hello(void)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/rt.log", dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(logbuf, 1, sizeof(logbuf) - 1, f);
	fclose(f);
	logbuf[n] = '\0';
	return strstr(logbuf, "world\n") != NULL;
}

static void guest_console_write(const char *s)
{
	for (; *s; s++) {
		while (__atomic_load_n(&cons->out_prod, __ATOMIC_ACQUIRE) -
		       __atomic_load_n(&cons->out_cons, __ATOMIC_ACQUIRE) >= sizeof(cons->out))
			poll(NULL, 0, 5);
		cons->out[cons->out_prod % sizeof(cons->out)] = *s;
		__atomic_store_n(&cons->out_prod, cons->out_prod + 1, __ATOMIC_RELEASE);
	}
}

static bool input_arrived(void)
{
	return __atomic_load_n(&cons->in_prod, __ATOMIC_ACQUIRE) - cons->in_cons >= 3;
}

static void test_console(void **state)
{
	char big[5000];
	int s;

	(void)state;
	/* More than the ring holds, so the backend must drain while we write. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	guest_console_write("hello ");
	guest_console_write(big);
	guest_console_write(" world\n");
	assert_true(until(log_has_hello));
	assert_non_null(strstr(logbuf, "hello aaaa"));
	assert_int_equal(strlen(logbuf), 6 + 4999 + 7);

	/* Keystrokes through the socket, into in[]. */
	s = cli_runner_connect("rt", "console");
	assert_true(s >= 0);
	assert_int_equal(write(s, "ls\r", 3), 3);
	assert_true(until(input_arrived));
	assert_memory_equal(cons->in + (cons->in_cons % sizeof(cons->in)), "ls\r", 3);
	close(s);
}

/* The guest's side of the store ring (a WATCH's token keeps its NUL, a value not). */
static void xs_send(uint32_t type, uint32_t id, const char *a, const char *b)
{
	char buf[256];
	struct xs_hdr h = { type, id, 0, 0 };
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + (type == XS_WATCH) : 0;

	memcpy(buf + sizeof(h), a, la);
	if (b)
		memcpy(buf + sizeof(h) + la, b, lb);
	h.len = (uint32_t)(la + lb);
	memcpy(buf, &h, sizeof(h));
	for (size_t i = 0; i < sizeof(h) + h.len; i++)
		store->req[XS_RING_MASK(store->req_prod + i)] = buf[i];
	__atomic_store_n(&store->req_prod, store->req_prod + (uint32_t)(sizeof(h) + h.len),
			 __ATOMIC_RELEASE);
}

static bool rsp_has_header(void)
{
	return __atomic_load_n(&store->rsp_prod, __ATOMIC_ACQUIRE) - store->rsp_cons >=
	       sizeof(struct xs_hdr);
}

static void xs_recv(struct xs_hdr *h, char *p)
{
	assert_true(until(rsp_has_header));
	for (size_t i = 0; i < sizeof(*h); i++)
		((char *)h)[i] = store->rsp[XS_RING_MASK(store->rsp_cons++)];
	assert_true(h->len < 256);
	for (size_t i = 0; i < h->len; i++)
		p[i] = store->rsp[XS_RING_MASK(store->rsp_cons++)];
	p[h->len] = '\0';
}

static void ask_shutdown(const char *want)
{
	int s = cli_runner_connect("rt", "shutdown poweroff");
	char ans[16] = "";
	struct pollfd p;

	assert_true(s >= 0);
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	assert_true(poll(&p, 1, 3000) > 0);
	assert_true(read(s, ans, sizeof(ans) - 1) > 0);
	close(s);
	assert_string_equal(ans, want);
}

static void test_xenstore(void **state)
{
	struct xs_hdr h;
	char p[256];

	(void)state;
	xs_send(XS_READ, 1, "name", NULL);
	xs_recv(&h, p);
	assert_int_equal(h.type, XS_READ);
	assert_int_equal(h.req_id, 1);
	assert_string_equal(p, "rt");
	xs_send(XS_READ, 2, "memory/target", NULL);
	xs_recv(&h, p);
	assert_string_equal(p, "65536");
	xs_send(XS_READ, 3, "store/ring-ref", NULL);
	xs_recv(&h, p);
	assert_string_equal(p, "1032209");

	/* No PV shutdown until the guest says it listens. */
	ask_shutdown("nopv\n");
	xs_send(XS_WATCH, 4, "control/shutdown", "tok");
	xs_recv(&h, p);
	assert_string_equal(p, "OK");
	xs_recv(&h, p);
	assert_int_equal(h.type, XS_WATCH_EVENT);
	xs_send(XS_WRITE, 5, "control/feature-poweroff", "1");
	xs_recv(&h, p);
	assert_string_equal(p, "OK");
	ask_shutdown("ok\n");
	xs_recv(&h, p);
	assert_int_equal(h.type, XS_WATCH_EVENT);
	assert_string_equal(p, "control/shutdown");
	xs_send(XS_READ, 6, "control/shutdown", NULL);
	xs_recv(&h, p);
	assert_string_equal(p, "poweroff");
}

/* A control-socket command's whole answer. */
static void ask(const char *cmd, char *ans, size_t cap)
{
	int s = cli_runner_connect("rt", cmd);
	size_t have = 0;
	struct pollfd p;
	ssize_t n;

	assert_true(s >= 0);
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	while (poll(&p, 1, 3000) > 0 && (n = read(s, ans + have, cap - 1 - have)) > 0)
		have += (size_t)n;
	ans[have] = '\0';
	close(s);
}

/* The guest reads a path: its value, or the error name. */
static void guest_read(uint32_t id, const char *path, char *p)
{
	struct xs_hdr h;

	xs_send(XS_READ, id, path, NULL);
	do
		xs_recv(&h, p);
	while (h.type == XS_WATCH_EVENT);
	assert_int_equal(h.req_id, id);
}

/* `xvmm mem-set`: the runner writes memory/target, and the guest's watch on it fires. */
static void test_mem_set(void **state)
{
	struct xs_hdr h;
	char ans[128], p[256];

	(void)state;
	xs_send(XS_WATCH, 40, "memory/target", "bal");
	xs_recv(&h, p);
	assert_string_equal(p, "OK");
	xs_recv(&h, p);
	assert_int_equal(h.type, XS_WATCH_EVENT);	/* fires once at once, as in Xen */
	ask("mem-set 32768", ans, sizeof(ans));
	assert_string_equal(ans, "ok\n");
	xs_recv(&h, p);
	assert_int_equal(h.type, XS_WATCH_EVENT);
	assert_string_equal(p, "memory/target");
	guest_read(41, "memory/target", p);
	assert_string_equal(p, "32768");
	ask("mem-set 0", ans, sizeof(ans));
	assert_string_equal(ans, "error bad memory target\n");
	ask("mem-set 12k", ans, sizeof(ans));
	assert_string_equal(ans, "error bad memory target\n");
	guest_read(42, "memory/target", p);
	assert_string_equal(p, "32768");
	xs_send(XS_UNWATCH, 43, "memory/target", "bal");
	xs_recv(&h, p);
}

/* block-attach / block-list / block-detach through the socket, as `xvmm block-*` sends them. */
static void test_block_hotplug(void **state)
{
	char img[128], cmd[256], ans[2048], p[256];
	int fd;

	(void)state;
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	close(fd);

	snprintf(cmd, sizeof(cmd), "block-attach format=raw, vdev=xvdb, access=rw, target=%s", img);
	ask(cmd, ans, sizeof(ans));
	assert_string_equal(ans, "ok\n");
	/* The guest finds the frontend and the backend's features at once. */
	guest_read(20, "device/vbd/51728/backend-id", p);
	assert_string_equal(p, "0");
	guest_read(21, "device/vbd/51728/virtual-device", p);
	assert_string_equal(p, "51728");
	guest_read(22, "/local/domain/0/backend/vbd/3/51728/state", p);
	assert_string_equal(p, "2");
	guest_read(23, "/local/domain/0/backend/vbd/3/51728/sectors", p);
	assert_string_equal(p, "2048");

	ask(cmd, ans, sizeof(ans));
	assert_non_null(strstr(ans, "error vdev xvdb (virtual device 51728) is already attached"));
	ask("block-attach /x,,xvdc,rx", ans, sizeof(ans));
	assert_non_null(strstr(ans, "error access 'rx' is unknown"));
	snprintf(cmd, sizeof(cmd), "block-attach %s/missing.img,,xvdc", dir);
	ask(cmd, ans, sizeof(ans));
	assert_non_null(strstr(ans, "No such file or directory"));

	ask("block-list", ans, sizeof(ans));
	assert_non_null(strstr(ans, "Vdev  BE  handle state evt-ch ring-ref BE-path"));
	assert_non_null(strstr(ans, "\n51728 0   3      2     -1     -1       /local/domain/0/backend/vbd/3/51728"));

	/* Never connected: detach removes both directories at once. */
	ask("block-detach xvdc", ans, sizeof(ans));
	assert_string_equal(ans, "error no such disk\n");
	ask("block-detach 51728", ans, sizeof(ans));
	assert_string_equal(ans, "ok\n");
	guest_read(24, "device/vbd/51728/backend-id", p);
	assert_string_equal(p, "ENOENT");
	ask("block-list", ans, sizeof(ans));
	assert_null(strstr(ans, "51728"));
	unlink(img);
}

static void test_stop(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/rt.sock", dir);
	assert_int_equal(access(path, F_OK), 0);
	cli_backends_stop(be);
	assert_int_equal(access(path, F_OK), -1);	/* `xvmm console` waits for this */
}

static int cleanup(void **state)
{
	static const char *const files[] = { "dev", "rt.log", "rt.sock" };
	char path[128];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_xenstore),
		cmocka_unit_test(test_mem_set),
		cmocka_unit_test(test_block_hotplug),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, setup, cleanup);
}
