// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/backend/xenbus_be.c: the transition rule alone,
 * then whole devices in a real store (tools/xenstored) with a guest
 * connection playing the frontend: the nodes and their permissions as
 * libxl writes them, InitWait after publishing, Connected after the
 * frontend's Initialised, Closing/Closed, a restart, a device that broke,
 * a failed connect, hot unplug.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xenbus_be.h"
#include "xs_internal.h"

#define DOMID	7

static struct xs_store *st;
static struct xs_conn *guest;
static struct xb_bus *bus;
static uint32_t next_req = 1;

struct fake {
	int publishes, connects, disconnects, releases;
	int connect_rc;
	bool broken;
};

static int f_publish(struct xb_dev *dev)
{
	struct fake *f = xb_dev_priv(dev);

	f->publishes++;
	return xb_back_printf(dev, "feature-x", "1");
}

static int f_connect(struct xb_dev *dev)
{
	struct fake *f = xb_dev_priv(dev);
	uint64_t ref;

	f->connects++;
	if (f->connect_rc)
		return f->connect_rc;
	return xb_front_read_uint(dev, "ring-ref", 1ull << 32, &ref);
}

static void f_disconnect(struct xb_dev *dev)
{
	((struct fake *)xb_dev_priv(dev))->disconnects++;
}

static bool f_broken(struct xb_dev *dev)
{
	return ((struct fake *)xb_dev_priv(dev))->broken;
}

static void f_release(struct xb_dev *dev)
{
	((struct fake *)xb_dev_priv(dev))->releases++;
}

/* Static: a device outlives its test, until teardown frees the bus. */
static struct fake f;

static const struct xb_dev_ops fops = {
	.kind = "vbd", .publish = f_publish, .connect = f_connect, .disconnect = f_disconnect,
	.broken = f_broken, .release = f_release,
};

static int setup(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	st = xs_store_new();
	assert_non_null(st);
	assert_int_equal(xs_tool_write(st, "/local/domain/7/device", ""), 0);
	assert_int_equal(xs_tool_set_perms(st, "/local/domain/7/device", "n0 r7"), 0);
	guest = xs_conn_introduce(st, DOMID);
	bus = xb_bus_new(st, DOMID);
	assert_non_null(guest);
	assert_non_null(bus);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xb_bus_free(bus);
	xs_store_free(st);
	return 0;
}

/* The guest's request; returns 0 or the error reply's errno name's first letter code. */
static int guest_req(uint32_t type, const char *a, const char *b, char *reply, size_t cap)
{
	char buf[XS_PAYLOAD_MAX];
	size_t la = strlen(a) + (b ? 1 : 0), lb = b ? strlen(b) : 0;
	struct xs_hdr h = { type, next_req++, 0, (uint32_t)(la + lb) };
	struct xs_hdr rh;
	char p[XS_PAYLOAD_MAX + 1];
	int rc = -1;

	if (type == XS_READ || type == XS_GET_PERMS)
		la = strlen(a) + 1;
	h.len = (uint32_t)(la + lb);
	memcpy(buf, a, strlen(a) + 1);
	if (b)
		memcpy(buf + la, b, lb);
	xs_conn_request(guest, &h, buf);
	/* Take messages until the reply to this request. */
	while (xs_conn_pending(guest) >= sizeof(rh)) {
		xs_conn_take(guest, &rh, sizeof(rh));
		assert_true(rh.len <= XS_PAYLOAD_MAX);
		xs_conn_take(guest, p, rh.len);
		p[rh.len] = '\0';
		if (rh.type == XS_WATCH_EVENT)
			continue;
		rc = rh.type == XS_ERROR ? (!strcmp(p, "EACCES") ? -EACCES : -EINVAL) : 0;
		if (reply)
			snprintf(reply, cap, "%s", p);
	}
	return rc;
}

static void fe_write(const char *key, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/7/device/vbd/51712/%s", key);
	assert_int_equal(guest_req(XS_WRITE, path, val, NULL, 0), 0);
}

static void expect_node(const char *path, const char *want)
{
	char buf[256];

	if (xs_tool_read(st, path, buf, sizeof(buf)))
		fail_msg("%s: missing", path);
	if (strcmp(buf, want))
		fail_msg("%s = '%s', want '%s'", path, buf, want);
}

#define BE "/local/domain/0/backend/vbd/7/51712"
#define FE "/local/domain/7/device/vbd/51712"

static void test_rule(void **state)
{
	(void)state;
	enum xenbus_state I = XenbusStateInitialising, W = XenbusStateInitWait,
		D = XenbusStateInitialised, C = XenbusStateConnected, G = XenbusStateClosing,
		X = XenbusStateClosed, U = XenbusStateUnknown;

	assert_int_equal(xb_next(W, I, false), XB_NONE);
	assert_int_equal(xb_next(W, D, false), XB_CONNECT);
	assert_int_equal(xb_next(W, C, false), XB_CONNECT);
	assert_int_equal(xb_next(C, C, false), XB_NONE);
	assert_int_equal(xb_next(C, D, false), XB_NONE);
	assert_int_equal(xb_next(C, G, false), XB_CLOSE);
	assert_int_equal(xb_next(G, G, false), XB_NONE);
	assert_int_equal(xb_next(G, X, false), XB_CLOSED);
	assert_int_equal(xb_next(C, X, false), XB_CLOSED);
	assert_int_equal(xb_next(C, U, false), XB_CLOSED);
	assert_int_equal(xb_next(X, X, false), XB_NONE);
	assert_int_equal(xb_next(X, I, false), XB_REINIT);
	assert_int_equal(xb_next(X, I, true), XB_NONE);
	assert_int_equal(xb_next(X, D, false), XB_NONE);
	assert_int_equal(xb_next(C, C, true), XB_CLOSE);
	assert_int_equal(xb_next(W, D, true), XB_CLOSE);
	assert_int_equal(xb_next(G, C, true), XB_NONE);

	assert_int_equal(xb_parse_state("4"), C);
	assert_int_equal(xb_parse_state("1"), I);
	assert_int_equal(xb_parse_state("8"), XenbusStateReconfigured);
	assert_int_equal(xb_parse_state("0"), U);
	assert_int_equal(xb_parse_state("9"), U);
	assert_int_equal(xb_parse_state("44"), U);
	assert_int_equal(xb_parse_state(""), U);
	assert_int_equal(xb_parse_state("x"), U);
}

static void test_nodes_and_perms(void **state)
{
	struct xb_dev *dev;
	char reply[256];
	int err;

	(void)state;
	dev = xb_dev_new(bus, &fops, 51712, &f, &err);
	assert_non_null(dev);
	assert_null(xb_dev_new(bus, &fops, 51712, &f, &err));
	assert_int_equal(err, -EEXIST);
	assert_int_equal(xb_dev_start(dev), 0);
	assert_int_equal(f.publishes, 1);

	expect_node(BE "/frontend", FE);
	expect_node(BE "/frontend-id", "7");
	expect_node(BE "/online", "1");
	expect_node(BE "/state", "2");
	expect_node(BE "/feature-x", "1");
	expect_node(FE "/backend", BE);
	expect_node(FE "/backend-id", "0");
	expect_node(FE "/state", "1");

	/* The guest reads the backend's nodes but cannot write them. */
	assert_int_equal(guest_req(XS_READ, BE "/state", NULL, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "2");
	assert_int_equal(guest_req(XS_WRITE, BE "/state", "4", NULL, 0), -EACCES);
	assert_int_equal(guest_req(XS_WRITE, BE "/sectors", "999", NULL, 0), -EACCES);
	assert_int_equal(guest_req(XS_GET_PERMS, BE, NULL, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "n0");	/* first of "n0\0r7\0" */
	/* Its own directory is its own: it writes there, dom0 reads. */
	assert_int_equal(guest_req(XS_GET_PERMS, FE, NULL, reply, sizeof(reply)), 0);
	assert_string_equal(reply, "n7");
	fe_write("ring-ref", "8");
	expect_node(FE "/ring-ref", "8");

	/* Hot unplug of a device that never connected: gone at once. */
	xb_dev_remove(dev);
	assert_int_equal(f.releases, 1);
	assert_int_equal(f.disconnects, 0);
	assert_int_equal(xs_tool_read(st, BE, reply, sizeof(reply)), -ENOENT);
	assert_int_equal(xs_tool_read(st, FE, reply, sizeof(reply)), -ENOENT);
	assert_int_equal(xb_bus_count(bus), 0);
}

static void test_lifecycle(void **state)
{
	struct xb_dev *dev;
	int err;

	(void)state;
	dev = xb_dev_new(bus, &fops, 51712, &f, &err);
	assert_non_null(dev);
	assert_int_equal(xb_dev_start(dev), 0);
	assert_false(xb_service(bus));			/* frontend still Initialising */
	fe_write("ring-ref", "8");
	fe_write("event-channel", "9");
	fe_write("state", "3");				/* Initialised */
	assert_true(xb_service(bus));
	assert_int_equal(f.connects, 1);
	expect_node(BE "/state", "4");
	assert_int_equal(xb_dev_state(dev), XenbusStateConnected);
	fe_write("state", "4");
	assert_false(xb_service(bus));
	assert_int_equal(f.connects, 1);

	fe_write("state", "5");				/* Closing */
	assert_true(xb_service(bus));
	assert_int_equal(f.disconnects, 1);
	expect_node(BE "/state", "5");
	fe_write("state", "6");
	assert_true(xb_service(bus));
	expect_node(BE "/state", "6");
	assert_int_equal(f.disconnects, 1);		/* once */

	/* The frontend driver comes back: InitWait again, then a new connection. */
	fe_write("state", "1");
	assert_true(xb_service(bus));
	expect_node(BE "/state", "2");
	fe_write("state", "3");
	assert_true(xb_service(bus));
	assert_int_equal(f.connects, 2);
	expect_node(BE "/state", "4");

	/* The device breaks (a bad ring): Closing, then Closed once the frontend is. */
	f.broken = true;
	assert_true(xb_service(bus));
	assert_int_equal(f.disconnects, 2);
	expect_node(BE "/state", "5");
	assert_false(xb_service(bus));
	fe_write("state", "6");
	assert_true(xb_service(bus));
	expect_node(BE "/state", "6");
	f.broken = false;

	/* Garbage in the frontend's state node counts as gone. */
	fe_write("state", "1");
	xb_service(bus);
	fe_write("state", "3");
	xb_service(bus);
	expect_node(BE "/state", "4");
	fe_write("state", "banana");
	assert_true(xb_service(bus));
	expect_node(BE "/state", "6");
	assert_int_equal(f.disconnects, 3);
	assert_int_equal(f.releases, 0);
}

static void test_connect_fails(void **state)
{
	struct xb_dev *dev;
	char buf[64];
	int err;

	(void)state;
	dev = xb_dev_new(bus, &fops, 51712, &f, &err);
	assert_int_equal(xb_dev_start(dev), 0);
	fe_write("state", "3");				/* but no ring-ref */
	assert_true(xb_service(bus));
	assert_int_equal(f.connects, 1);
	assert_int_equal(f.disconnects, 0);		/* nothing to undo */
	expect_node(BE "/state", "5");
	assert_int_equal(xs_tool_read(st, BE "/error", buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "connecting"));
	assert_int_equal(atoi(buf), ENOENT);
	/* ring-ref not a number */
	fe_write("state", "6");
	xb_service(bus);
	fe_write("state", "1");
	xb_service(bus);
	fe_write("ring-ref", "12x");
	fe_write("state", "3");
	xb_service(bus);
	expect_node(BE "/state", "5");
	assert_int_equal(f.connects, 2);
}

static void test_remove_connected(void **state)
{
	struct fake g = { 0 };
	struct xb_dev *dev, *dev2;
	char buf[8];
	int err;

	(void)state;
	dev = xb_dev_new(bus, &fops, 51712, &f, &err);
	dev2 = xb_dev_new(bus, &fops, 51728, &g, &err);
	assert_non_null(dev2);
	assert_int_equal(xb_dev_start(dev), 0);
	assert_int_equal(xb_dev_start(dev2), 0);
	assert_int_equal(xb_bus_count(bus), 2);
	assert_ptr_equal(xb_dev_find(bus, "vbd", 51728), dev2);
	assert_null(xb_dev_find(bus, "vif", 51728));
	fe_write("ring-ref", "8");
	fe_write("state", "3");
	xb_service(bus);
	expect_node(BE "/state", "4");

	/* Unplug: the frontend is asked to close, the device goes once it has. */
	xb_dev_remove(dev);
	assert_int_equal(f.disconnects, 1);
	expect_node(BE "/state", "5");
	assert_int_equal(f.releases, 0);
	fe_write("state", "5");
	xb_service(bus);
	assert_int_equal(f.releases, 0);
	fe_write("state", "6");
	assert_true(xb_service(bus));
	assert_int_equal(f.releases, 1);
	assert_int_equal(f.disconnects, 1);
	assert_int_equal(xs_tool_read(st, BE, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(xb_bus_count(bus), 1);
	/* The other device is still there; freeing the bus releases it. */
	expect_node("/local/domain/0/backend/vbd/7/51728/state", "2");
	xb_bus_free(bus);
	bus = NULL;
	assert_int_equal(g.releases, 1);
	assert_int_equal(xs_tool_read(st, "/local/domain/0/backend/vbd/7/51728", buf, sizeof(buf)),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test_setup_teardown(test_nodes_and_perms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_connected, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
