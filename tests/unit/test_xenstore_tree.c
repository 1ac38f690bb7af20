// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/xenstored/xs_tree.c: path rules, reads and writes,
 * implicit parents, permission inheritance and checks, removal, quota,
 * transaction copies, permission strings.
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

static struct xs_tree t;

static int setup(void **state)
{
	(void)state;
	return xs_tree_init(&t);
}

static int teardown(void **state)
{
	(void)state;
	xs_tree_destroy(&t);
	return 0;
}

static int wr(uint32_t domid, const char *path, const char *val)
{
	return xs_tree_write(&t, domid, path, val, (uint32_t)strlen(val), false, NULL);
}

static const char *rd(uint32_t domid, const char *path, int *rc)
{
	const struct xs_node *n = NULL;

	*rc = xs_tree_read(&t, domid, path, &n);
	return *rc ? NULL : n->value;
}

static void perms(const char *path, const char *spec)
{
	struct xs_perm p[8];
	char buf[64], *save, *tok;
	uint32_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		assert_int_equal(xs_perm_parse(tok, &p[n++]), 0);
	assert_int_equal(xs_tree_set_perms(&t, 0, path, p, n, NULL), 0);
}

static void test_paths(void **state)
{
	char out[XS_ABS_PATH_MAX + 64];
	char *big = malloc(XS_ABS_PATH_MAX + 2);

	(void)state;
	assert_true(xs_path_valid("/"));
	assert_true(xs_path_valid("/local/domain/3/device-x_y@z"));
	assert_false(xs_path_valid(""));
	assert_false(xs_path_valid("local"));
	assert_false(xs_path_valid("/a/"));
	assert_false(xs_path_valid("/a//b"));
	assert_false(xs_path_valid("/a b"));
	assert_false(xs_path_valid("/a.b"));
	big[0] = '/';
	memset(big + 1, 'a', XS_ABS_PATH_MAX);
	big[XS_ABS_PATH_MAX + 1] = '\0';
	assert_false(xs_path_valid(big));
	free(big);

	assert_int_equal(xs_path_canon(7, "device/vif", out, sizeof(out)), 0);
	assert_string_equal(out, "/local/domain/7/device/vif");
	assert_int_equal(xs_path_canon(7, "/vm/x", out, sizeof(out)), 0);
	assert_string_equal(out, "/vm/x");
	assert_int_equal(xs_path_canon(7, "", out, sizeof(out)), -EINVAL);
	assert_int_equal(xs_path_canon(7, "a//b", out, sizeof(out)), -EINVAL);
	assert_int_equal(xs_path_canon(7, "a", out, 8), -EINVAL);	/* does not fit */
}

static void test_write_read(void **state)
{
	struct xs_changes ch = { 0 };
	int rc;

	(void)state;
	assert_int_equal(xs_tree_write(&t, 0, "/a/b/c", "v", 1, false, &ch), 0);
	assert_int_equal(ch.n, 1);
	assert_string_equal(ch.v[0].path, "/a/b/c");
	assert_false(ch.v[0].rm);
	xs_changes_free(&ch);
	assert_string_equal(rd(0, "/a/b/c", &rc), "v");
	assert_string_equal(rd(0, "/a/b", &rc), "");	/* implicit parent, empty */
	assert_int_equal(t.nr_nodes, 4);
	assert_int_equal(wr(0, "/a/b/c", "longer value"), 0);
	assert_string_equal(rd(0, "/a/b/c", &rc), "longer value");
	assert_null(rd(0, "/a/x", &rc));
	assert_int_equal(rc, -ENOENT);
	/* Values are bytes: embedded NULs kept, length exact. */
	assert_int_equal(xs_tree_write(&t, 0, "/bin", "x\0y", 3, false, NULL), 0);
	assert_int_equal(xs_tree_find(&t, "/bin")->len, 3);
	/* MKDIR keeps an existing value. */
	assert_int_equal(xs_tree_write(&t, 0, "/a/b/c", "", 0, true, NULL), 0);
	assert_string_equal(rd(0, "/a/b/c", &rc), "longer value");
}

static void test_permissions(void **state)
{
	int rc;

	(void)state;
	assert_int_equal(wr(0, "/local/domain/5/name", "guest"), 0);
	perms("/local/domain/5", "n0 r5");
	perms("/local/domain/5/name", "n0 r5");
	assert_int_equal(wr(0, "/local/domain/5/data", ""), 0);
	perms("/local/domain/5/data", "n5");
	assert_int_equal(wr(0, "/secret", "s"), 0);

	assert_string_equal(rd(5, "/local/domain/5/name", &rc), "guest");
	assert_null(rd(6, "/local/domain/5/name", &rc));
	assert_int_equal(rc, -EACCES);
	assert_null(rd(5, "/secret", &rc));
	assert_int_equal(rc, -EACCES);
	assert_int_equal(xs_perm_of(xs_tree_find(&t, "/secret"), 0), XS_PERM_BOTH);

	/* Read-only for the guest. */
	assert_int_equal(wr(5, "/local/domain/5/name", "x"), -EACCES);
	assert_int_equal(wr(5, "/local/domain/5/new", "x"), -EACCES);
	/* Its own subtree: creates, and owns what it creates. */
	assert_int_equal(wr(5, "/local/domain/5/data/k/v", "1"), 0);
	assert_int_equal(xs_tree_find(&t, "/local/domain/5/data/k")->perms[0].domid, 5);
	assert_int_equal(xs_tree_find(&t, "/local/domain/5/data/k/v")->perms[0].domid, 5);
	/* Another domain cannot read or write there. */
	assert_int_equal(wr(6, "/local/domain/5/data/k/v", "2"), -EACCES);
	/* Dom0-created nodes inherit, owner unchanged. */
	assert_int_equal(wr(0, "/local/domain/5/data/byzero", "z"), 0);
	assert_int_equal(xs_tree_find(&t, "/local/domain/5/data/byzero")->perms[0].domid, 5);
	/* An explicit entry beats the default. */
	perms("/secret", "n0 r9");
	assert_string_equal(rd(9, "/secret", &rc), "s");
	assert_null(rd(8, "/secret", &rc));
}

static void test_set_perms_rules(void **state)
{
	struct xs_perm p[2] = { { 5, XS_PERM_READ }, { 6, XS_PERM_BOTH } };
	struct xs_perm give[1] = { { 6, XS_PERM_NONE } };

	(void)state;
	assert_int_equal(wr(0, "/d", ""), 0);
	perms("/d", "n5");
	assert_int_equal(xs_tree_set_perms(&t, 6, "/d", p, 2, NULL), -EACCES);	/* not owner */
	assert_int_equal(xs_tree_set_perms(&t, 5, "/d", p, 2, NULL), 0);
	assert_int_equal(xs_tree_find(&t, "/d")->nr_perms, 2);
	assert_int_equal(xs_tree_set_perms(&t, 5, "/d", give, 1, NULL), -EPERM);	/* give away */
	assert_int_equal(xs_tree_set_perms(&t, 5, "/nope", p, 1, NULL), -ENOENT);
	assert_int_equal(xs_tree_set_perms(&t, 0, "/d", p, 0, NULL), -EINVAL);
}

static void test_rm(void **state)
{
	struct xs_changes ch = { 0 };

	(void)state;
	assert_int_equal(wr(0, "/r/a/b", "1"), 0);
	assert_int_equal(wr(0, "/r/a/c", "2"), 0);
	assert_int_equal(t.nr_nodes, 5);
	assert_int_equal(xs_tree_rm(&t, 0, "/r/a", &ch), 0);
	assert_int_equal(ch.n, 1);
	assert_true(ch.v[0].rm);
	xs_changes_free(&ch);
	assert_int_equal(t.nr_nodes, 2);
	assert_null(xs_tree_find(&t, "/r/a/b"));
	assert_int_equal(xs_tree_rm(&t, 0, "/r/a", NULL), 0);		/* parent exists: fine */
	assert_int_equal(xs_tree_rm(&t, 0, "/r/x/y", NULL), -ENOENT);	/* parent missing */
	assert_int_equal(xs_tree_rm(&t, 0, "/", NULL), -EINVAL);
	perms("/r", "n0 r5");
	assert_int_equal(xs_tree_rm(&t, 5, "/r", NULL), -EACCES);
}

static void test_quota(void **state)
{
	char path[64];
	unsigned int i;
	int rc = 0;

	(void)state;
	assert_int_equal(wr(0, "/local/domain/5", ""), 0);
	perms("/local/domain/5", "n5");
	for (i = 0; i < XS_QUOTA_NODES + 10 && !rc; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/n%u", i);
		rc = wr(5, path, "x");
	}
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(i, XS_QUOTA_NODES);	/* it owned /local/domain/5 already */
	/* Dom0 is not limited by the per-domain quota. */
	assert_int_equal(wr(0, "/local/domain/5/more", "x"), 0);
}

static void test_clone(void **state)
{
	struct xs_tree c;
	int rc;

	(void)state;
	assert_int_equal(wr(0, "/x/y", "1"), 0);
	perms("/x/y", "n3 r4");
	assert_int_equal(xs_tree_clone(&t, &c), 0);
	assert_int_equal(c.nr_nodes, t.nr_nodes);
	assert_int_equal(xs_tree_write(&c, 0, "/x/y", "2", 1, false, NULL), 0);
	assert_int_equal(xs_tree_write(&c, 0, "/x/z", "3", 1, false, NULL), 0);
	assert_string_equal(rd(0, "/x/y", &rc), "1");			/* original untouched */
	assert_null(xs_tree_find(&t, "/x/z"));
	assert_int_equal(xs_tree_find(&c, "/x/y")->nr_perms, 2);
	assert_int_equal(xs_tree_find(&c, "/x/y")->perms[1].domid, 4);
	xs_tree_destroy(&c);
}

static void test_perm_strings(void **state)
{
	struct xs_perm p;
	char s[16];

	(void)state;
	assert_int_equal(xs_perm_parse("r5", &p), 0);
	assert_int_equal(p.perm, XS_PERM_READ);
	assert_int_equal(p.domid, 5);
	assert_int_equal(xs_perm_parse("b0", &p), 0);
	assert_int_equal(p.perm, XS_PERM_BOTH);
	xs_perm_format(&p, s, sizeof(s));
	assert_string_equal(s, "b0");
	assert_int_equal(xs_perm_parse("x5", &p), -EINVAL);
	assert_int_equal(xs_perm_parse("r", &p), -EINVAL);
	assert_int_equal(xs_perm_parse("r5a", &p), -EINVAL);
	assert_int_equal(xs_perm_parse("r99999999999", &p), -EINVAL);
	assert_int_equal(xs_perm_parse("", &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_perms_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quota, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perm_strings, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
