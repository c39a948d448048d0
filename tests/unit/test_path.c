/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lexical path helpers (path.h): joining a path written in a file to
 * its folder, an entry to its folder, the folder and last component of a
 * path, and stepping up to the parent in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "path.h"

static void check_join(const char *dir, const char *rel, const char *want)
{
	char *got = ccp_path_join(dir, rel);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_join(void **state)
{
	(void)state;
	check_join("a/b", "c.yml", "a/b/c.yml");
	check_join("a/b/", "c.yml", "a/b/c.yml");
	check_join("/", "c.yml", "/c.yml");
	/* written relative to the current folder: no "./" prefix appears */
	check_join(".", "c.yml", "c.yml");
	check_join("", "c.yml", "c.yml");
	check_join(NULL, "c.yml", "c.yml");
	/* an absolute path wins over the folder */
	check_join("a", "/etc/c.yml", "/etc/c.yml");
	/* leading "./" parts go, "../" stays (no file system lookup) */
	check_join("a", "././c.yml", "a/c.yml");
	check_join("a", "../c.yml", "a/../c.yml");
	check_join("a", ".hidden", "a/.hidden");
}

static void check_child(const char *dir, const char *name, const char *want)
{
	char *got = ccp_path_child(dir, name);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_child(void **state)
{
	(void)state;
	check_child("a/b", "c", "a/b/c");
	/* the folder is kept as the user wrote it, "." included */
	check_child(".", "c", "./c");
	check_child("a/", "c", "a//c");
	check_child("/", "c", "/c");
	check_child("", "c", "c");
	check_child(NULL, "c", "c");
	/* an entry name is never taken as absolute */
	check_child("a", "./c", "a/./c");
}

static void check_dirname(const char *path, const char *want)
{
	char *got = ccp_path_dirname(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_dirname(void **state)
{
	(void)state;
	check_dirname("a/b/c.yml", "a/b");
	check_dirname("c.yml", ".");
	check_dirname("", ".");
	check_dirname("/c.yml", "/");
	check_dirname("/", "/");
	check_dirname("a/", "a");
	check_dirname("/a/b", "/a");
}

static void test_base(void **state)
{
	const char *p = "a/b/c.yml";

	(void)state;
	assert_ptr_equal(ccp_path_base(p), p + 4);
	assert_string_equal(ccp_path_base("c.yml"), "c.yml");
	assert_string_equal(ccp_path_base("/c"), "c");
	assert_string_equal(ccp_path_base("a/"), "");
}

static void test_parent(void **state)
{
	char p[32];

	(void)state;
	strcpy(p, "/a/b/c");
	assert_int_equal(ccp_path_parent(p), 0);
	assert_string_equal(p, "/a/b");
	assert_int_equal(ccp_path_parent(p), 0);
	assert_int_equal(ccp_path_parent(p), 0);
	assert_string_equal(p, "/");
	/* the root has no parent: untouched */
	assert_int_equal(ccp_path_parent(p), -1);
	assert_string_equal(p, "/");
	strcpy(p, "a/b");
	assert_int_equal(ccp_path_parent(p), 0);
	assert_string_equal(p, "a");
	/* a relative name without a folder: untouched */
	assert_int_equal(ccp_path_parent(p), -1);
	assert_string_equal(p, "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_child),
		cmocka_unit_test(test_dirname),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_parent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
