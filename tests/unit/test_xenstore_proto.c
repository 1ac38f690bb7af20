// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/xenstored/xs_proto.c, xs_watch.c, xs_domain.c:
 * each message type's reply, Xen's error strings, malformed payloads,
 * watches (initial event, changes, relative paths, removal, permission
 * filter), transactions (commit, abort, conflict), the domain operations,
 * the nodes written for a new domain, and the shutdown request.
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

#include "xs_internal.h"

static struct xs_store *st;
static struct xs_conn *g;		/* guest, domid 5 */
static uint32_t next_req = 100;

struct reply {
	struct xs_hdr h;
	char p[XS_PAYLOAD_MAX + 1];	/* NUL added after the payload */
};

static int setup(void **state)
{
	struct xs_domain_info d = {
		.domid = 5, .name = "web", .uuid = "00000000-0000-4000-8000-000000000005",
		.memory_kib = 131072, .vcpus = 2, .console_gfn = 0xfc010, .console_port = 2,
		.store_gfn = 0xfc011, .store_port = 1,
	};

	(void)state;
	st = xs_store_new();
	assert_non_null(st);
	assert_int_equal(xs_domain_populate(st, &d), 0);
	g = xs_conn_introduce(st, 5);
	assert_non_null(g);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xs_store_free(st);
	return 0;
}

/* Send type with payload (len bytes) in transaction tx. */
static void req_tx(struct xs_conn *c, uint32_t type, uint32_t tx, const void *p, uint32_t len)
{
	struct xs_hdr h = { type, next_req++, tx, len };

	xs_conn_request(c, &h, p);
}

/* Strings a, b joined with their NULs, as xenbus sends them. */
static void req(struct xs_conn *c, uint32_t type, uint32_t tx, const char *a, const char *b)
{
	char buf[XS_PAYLOAD_MAX];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

	memcpy(buf, a, la);
	if (b)
		memcpy(buf + la, b, lb);
	req_tx(c, type, tx, buf, (uint32_t)(la + lb));
}

static bool get(struct xs_conn *c, struct reply *r)
{
	size_t n;

	if (xs_conn_pending(c) < sizeof(r->h))
		return false;
	assert_int_equal(xs_conn_take(c, &r->h, sizeof(r->h)), sizeof(r->h));
	assert_true(r->h.len <= XS_PAYLOAD_MAX);
	n = xs_conn_take(c, r->p, r->h.len);
	assert_int_equal(n, r->h.len);
	r->p[n] = '\0';
	return true;
}

/* The next message must be type with payload string want (NUL included). */
static void expect(struct xs_conn *c, uint32_t type, const char *want)
{
	struct reply r;

	assert_true(get(c, &r));
	if (r.h.type != type || strcmp(r.p, want))
		fail_msg("got type %u '%s', want type %u '%s'", r.h.type, r.p, type, want);
}

static void expect_event(struct xs_conn *c, const char *path, const char *token)
{
	struct reply r;

	assert_true(get(c, &r));
	assert_int_equal(r.h.type, XS_WATCH_EVENT);
	assert_string_equal(r.p, path);
	assert_string_equal(r.p + strlen(path) + 1, token);
}

static void expect_nothing(struct xs_conn *c)
{
	assert_int_equal(xs_conn_pending(c), 0);
}

static void test_read_write(void **state)
{
	struct reply r;

	(void)state;
	req(g, XS_READ, 0, "name", NULL);
	assert_true(get(g, &r));
	assert_int_equal(r.h.type, XS_READ);
	assert_int_equal(r.h.req_id, next_req - 1);
	assert_int_equal(r.h.len, 3);			/* value without a NUL */
	assert_memory_equal(r.p, "web", 3);
	req(g, XS_READ, 0, "/local/domain/5/domid", NULL);
	expect(g, XS_READ, "5");
	req(g, XS_WRITE, 0, "data/x", NULL);		/* "data/x\0" + empty value */
	expect(g, XS_WRITE, "OK");
	req_tx(g, XS_WRITE, 0, "data/y\0hello", 12);
	expect(g, XS_WRITE, "OK");
	req(g, XS_READ, 0, "data/y", NULL);
	expect(g, XS_READ, "hello");
	req(g, XS_MKDIR, 0, "data/dir/sub", NULL);
	expect(g, XS_MKDIR, "OK");
	req(g, XS_DIRECTORY, 0, "data/dir", NULL);
	expect(g, XS_DIRECTORY, "sub");
	req(g, XS_RM, 0, "data/dir", NULL);
	expect(g, XS_RM, "OK");
	req(g, XS_READ, 0, "data/dir", NULL);
	expect(g, XS_ERROR, "ENOENT");
	expect_nothing(g);
}

static void test_errors(void **state)
{
	(void)state;
	req(g, XS_WRITE, 0, "name", "evil");		/* read-only for the guest */
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_READ, 0, "/local/domain/0/name", NULL);	/* dom0's, unreadable */
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_WRITE, 0, "/local/domain/6/x", "1");
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_READ, 0, "bad//path", NULL);
	expect(g, XS_ERROR, "EINVAL");
	req_tx(g, XS_READ, 0, "name", 4);		/* no terminating NUL */
	expect(g, XS_ERROR, "EINVAL");
	req_tx(g, XS_READ, 0, "", 0);			/* empty */
	expect(g, XS_ERROR, "EINVAL");
	req(g, XS_WATCH_EVENT, 0, "x", "y");
	expect(g, XS_ERROR, "EINVAL");
	req(g, XS_CONTROL, 0, "print", "x");
	expect(g, XS_ERROR, "ENOSYS");
	req(g, XS_DIRECTORY_PART, 0, "data", "0");
	expect(g, XS_ERROR, "ENOSYS");
	req(g, 999, 0, "x", NULL);
	expect(g, XS_ERROR, "ENOSYS");
	req(g, XS_READ, 77, "name", NULL);		/* no such transaction */
	expect(g, XS_ERROR, "ENOENT");
	req(g, XS_INTRODUCE, 0, "6", NULL);
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_RELEASE, 0, "5", NULL);
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_SET_PERMS, 0, "name", "b5");
	expect(g, XS_ERROR, "EACCES");
	req(g, XS_SET_PERMS, 0, "data", "q5");
	expect(g, XS_ERROR, "EINVAL");
	expect_nothing(g);
}

static void test_perms_msgs(void **state)
{
	struct reply r;

	(void)state;
	req(g, XS_GET_PERMS, 0, "name", NULL);
	assert_true(get(g, &r));
	assert_int_equal(r.h.type, XS_GET_PERMS);
	assert_int_equal(r.h.len, 6);
	assert_memory_equal(r.p, "n0\0r5\0", 6);
	req(g, XS_WRITE, 0, "data/shared", "v");
	expect(g, XS_WRITE, "OK");
	{
		static const char p[] = "data/shared\0n5\0r0\0r7";

		req_tx(g, XS_SET_PERMS, 0, p, sizeof(p));
	}
	expect(g, XS_SET_PERMS, "OK");
	assert_int_equal(xs_perm_of(xs_tree_find(&st->tree, "/local/domain/5/data/shared"), 7),
			 XS_PERM_READ);
}

static void test_watches(void **state)
{
	struct xs_conn *h = xs_conn_introduce(st, 6);

	(void)state;
	req(g, XS_WATCH, 0, "control/shutdown", "tok1");
	expect(g, XS_WATCH, "OK");
	expect_event(g, "control/shutdown", "tok1");	/* the initial event */
	req(g, XS_WATCH, 0, "/local/domain/5/memory", "abs");
	expect(g, XS_WATCH, "OK");
	expect_event(g, "/local/domain/5/memory", "abs");
	req(g, XS_WATCH, 0, "control/shutdown", "tok1");
	expect(g, XS_ERROR, "EEXIST");

	assert_int_equal(xs_tool_write(st, "/local/domain/5/control/shutdown", "poweroff"), 0);
	expect_event(g, "control/shutdown", "tok1");	/* relative watch: relative path */
	assert_int_equal(xs_tool_write(st, "/local/domain/5/memory/target", "1"), 0);
	expect_event(g, "/local/domain/5/memory/target", "abs");
	assert_int_equal(xs_tool_write(st, "/local/domain/5/cpu/0/availability", "x"), 0);
	expect_nothing(g);

	/* Removing an ancestor fires watches below it, with their own path. */
	assert_int_equal(xs_tool_rm(st, "/local/domain/5/control"), 0);
	expect_event(g, "control/shutdown", "tok1");
	expect_nothing(g);

	/* Domain 6 watching domain 5's nodes hears nothing it cannot read. */
	req(h, XS_WATCH, 0, "/local/domain/5", "spy");
	expect(h, XS_WATCH, "OK");
	expect_event(h, "/local/domain/5", "spy");
	assert_int_equal(xs_tool_write(st, "/local/domain/5/memory/target", "2"), 0);
	expect_event(g, "/local/domain/5/memory/target", "abs");
	expect_nothing(h);

	req(g, XS_UNWATCH, 0, "/local/domain/5/memory", "abs");
	expect(g, XS_UNWATCH, "OK");
	req(g, XS_UNWATCH, 0, "/local/domain/5/memory", "abs");
	expect(g, XS_ERROR, "ENOENT");
	assert_int_equal(xs_tool_write(st, "/local/domain/5/memory/target", "3"), 0);
	expect_nothing(g);

	req(g, XS_WATCH, 0, "@releaseDomain", "rel");
	expect(g, XS_WATCH, "OK");
	expect_event(g, "@releaseDomain", "rel");
	req(g, XS_WATCH, 0, "@bogus", "b");
	expect(g, XS_ERROR, "EINVAL");
	req(g, XS_RESET_WATCHES, 0, "", NULL);
	expect(g, XS_RESET_WATCHES, "OK");
	assert_int_equal(g->nr_watches, 0);
	xs_conn_release(h);
}

static void test_transactions(void **state)
{
	struct reply r;
	uint32_t tx;

	(void)state;
	req(g, XS_WATCH, 0, "data", "w");
	expect(g, XS_WATCH, "OK");
	expect_event(g, "data", "w");

	/* Commit: invisible until the end, then the watch fires. */
	req(g, XS_TRANSACTION_START, 0, "", NULL);
	assert_true(get(g, &r));
	assert_int_equal(r.h.type, XS_TRANSACTION_START);
	tx = (uint32_t)strtoul(r.p, NULL, 10);
	assert_true(tx != 0);
	req(g, XS_WRITE, tx, "data/t", "1");
	expect(g, XS_WRITE, "OK");
	req(g, XS_READ, tx, "data/t", NULL);
	expect(g, XS_READ, "1");
	req(g, XS_READ, 0, "data/t", NULL);
	expect(g, XS_ERROR, "ENOENT");
	expect_nothing(g);
	req(g, XS_TRANSACTION_END, tx, "T", NULL);
	expect(g, XS_TRANSACTION_END, "OK");
	expect_event(g, "data/t", "w");
	req(g, XS_READ, 0, "data/t", NULL);
	expect(g, XS_READ, "1");
	req(g, XS_TRANSACTION_END, tx, "T", NULL);	/* already ended */
	expect(g, XS_ERROR, "ENOENT");

	/* Abort: nothing happened. */
	req(g, XS_TRANSACTION_START, 0, "", NULL);
	assert_true(get(g, &r));
	tx = (uint32_t)strtoul(r.p, NULL, 10);
	req(g, XS_WRITE, tx, "data/t", "2");
	expect(g, XS_WRITE, "OK");
	req(g, XS_TRANSACTION_END, tx, "F", NULL);
	expect(g, XS_TRANSACTION_END, "OK");
	req(g, XS_READ, 0, "data/t", NULL);
	expect(g, XS_READ, "1");
	expect_nothing(g);

	/* Conflict: the toolstack wrote meanwhile. */
	req(g, XS_TRANSACTION_START, 0, "", NULL);
	assert_true(get(g, &r));
	tx = (uint32_t)strtoul(r.p, NULL, 10);
	req(g, XS_WRITE, tx, "data/t", "3");
	expect(g, XS_WRITE, "OK");
	assert_int_equal(xs_tool_write(st, "/local/domain/5/memory/target", "9"), 0);
	req(g, XS_TRANSACTION_END, tx, "T", NULL);
	expect(g, XS_ERROR, "EAGAIN");
	req(g, XS_READ, 0, "data/t", NULL);
	expect(g, XS_READ, "1");

	req(g, XS_TRANSACTION_END, 0, "T", NULL);
	expect(g, XS_ERROR, "ENOENT");
	req(g, XS_TRANSACTION_START, 0, "", NULL);
	assert_true(get(g, &r));
	tx = (uint32_t)strtoul(r.p, NULL, 10);
	req(g, XS_TRANSACTION_END, tx, "X", NULL);
	expect(g, XS_ERROR, "EINVAL");
	for (unsigned int i = 1; i < XS_QUOTA_TXS; i++) {
		req(g, XS_TRANSACTION_START, 0, "", NULL);
		assert_true(get(g, &r));
		assert_int_equal(r.h.type, XS_TRANSACTION_START);
	}
	req(g, XS_TRANSACTION_START, 0, "", NULL);
	expect(g, XS_ERROR, "ENOSPC");
}

static void test_domain_ops(void **state)
{
	struct xs_conn *d0 = xs_conn_introduce(st, 0);

	(void)state;
	req(g, XS_GET_DOMAIN_PATH, 0, "5", NULL);
	expect(g, XS_GET_DOMAIN_PATH, "/local/domain/5");
	req(g, XS_GET_DOMAIN_PATH, 0, "x", NULL);
	expect(g, XS_ERROR, "EINVAL");

	req(d0, XS_WATCH, 0, "@introduceDomain", "i");
	expect(d0, XS_WATCH, "OK");
	expect_event(d0, "@introduceDomain", "i");
	req(d0, XS_WATCH, 0, "@releaseDomain", "r");
	expect(d0, XS_WATCH, "OK");
	expect_event(d0, "@releaseDomain", "r");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL);
	expect(d0, XS_IS_DOMAIN_INTRODUCED, "T");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL);
	expect(d0, XS_IS_DOMAIN_INTRODUCED, "F");
	{
		static const char p[] = "9\0" "1234\0" "3";

		req_tx(d0, XS_INTRODUCE, 0, p, sizeof(p));
	}
	expect(d0, XS_INTRODUCE, "OK");
	expect_event(d0, "@introduceDomain", "i");
	req(d0, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL);
	expect(d0, XS_IS_DOMAIN_INTRODUCED, "T");
	req(d0, XS_RELEASE, 0, "9", NULL);
	expect(d0, XS_RELEASE, "OK");
	expect_event(d0, "@releaseDomain", "r");
	req(d0, XS_RELEASE, 0, "9", NULL);
	expect(d0, XS_ERROR, "ENOENT");
	/* Dom0 reads anything. */
	req(d0, XS_READ, 0, "/local/domain/5/console/type", NULL);
	expect(d0, XS_READ, "xenconsoled");
	expect_nothing(g);
}

static void test_populated(void **state)
{
	static const struct { const char *path, *val, *perms; } want[] = {
		{ "/local/domain/5", "", "n0\0r5" },
		{ "/local/domain/5/name", "web", "n0\0r5" },
		{ "/local/domain/5/domid", "5", NULL },
		{ "/local/domain/5/vm", "/vm/00000000-0000-4000-8000-000000000005", NULL },
		{ "/vm/00000000-0000-4000-8000-000000000005/name", "web", NULL },
		{ "/local/domain/5/memory/target", "131072", NULL },
		{ "/local/domain/5/memory/static-max", "131072", NULL },
		{ "/local/domain/5/cpu/1/availability", "online", NULL },
		{ "/local/domain/5/control/shutdown", "", "n5" },
		{ "/local/domain/5/control/feature-poweroff", "", "n5" },
		{ "/local/domain/5/control/platform-feature-xs_reset_watches", "1", "n0\0r5" },
		{ "/local/domain/5/store/ring-ref", "1032209", NULL },
		{ "/local/domain/5/store/port", "1", NULL },
		{ "/local/domain/5/console/ring-ref", "1032208", NULL },
		{ "/local/domain/5/console/port", "2", NULL },
		{ "/local/domain/5/console/type", "xenconsoled", NULL },
		{ "/local/domain/5/data", "", "n5" },
		{ "/local/domain/5/device", "", "n0\0r5" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct xs_node *n = xs_tree_find(&st->tree, want[i].path);

		if (!n)
			fail_msg("%s missing", want[i].path);
		assert_int_equal(xs_tool_read(st, want[i].path, buf, sizeof(buf)), 0);
		assert_string_equal(buf, want[i].val);
		if (want[i].perms) {
			char got[32];
			size_t len = 0;

			for (uint32_t k = 0; k < n->nr_perms; k++) {
				xs_perm_format(&n->perms[k], got + len, sizeof(got) - len);
				len += strlen(got + len) + 1;
			}
			assert_memory_equal(got, want[i].perms, strlen(want[i].perms));
		}
	}
}

static void test_shutdown_request(void **state)
{
	char buf[16];

	(void)state;
	/* The guest has not said it listens: the caller falls back. */
	assert_int_equal(xs_domain_shutdown(st, 5, "poweroff"), -EOPNOTSUPP);
	req(g, XS_WATCH, 0, "control/shutdown", "sd");
	expect(g, XS_WATCH, "OK");
	expect_event(g, "control/shutdown", "sd");
	req(g, XS_WRITE, 0, "control/feature-poweroff", "1");	/* as Linux does */
	expect(g, XS_WRITE, "OK");
	assert_int_equal(xs_domain_shutdown(st, 5, "poweroff"), 0);
	expect_event(g, "control/shutdown", "sd");
	assert_int_equal(xs_tool_read(st, "/local/domain/5/control/shutdown", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "poweroff");
	/* The guest acknowledges by clearing it. */
	req(g, XS_WRITE, 0, "control/shutdown", NULL);
	expect(g, XS_WRITE, "OK");
	expect_event(g, "control/shutdown", "sd");
	assert_int_equal(xs_domain_shutdown(st, 5, "reboot"), -EOPNOTSUPP);
}

static void test_output_limit(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < XS_MAX_OUT_MSGS + 50; i++)
		req(g, XS_READ, 0, "domid", NULL);
	assert_int_equal(g->out_count, XS_MAX_OUT_MSGS);
}

static void test_uuid(void **state)
{
	char a[37], b[37];

	(void)state;
	xs_uuid_random(a);
	xs_uuid_random(b);
	assert_int_equal(strlen(a), 36);
	assert_true(a[14] == '4');
	assert_true(strchr("89ab", a[19]) != NULL);
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perms_msgs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uuid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
