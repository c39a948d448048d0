/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bounded file reader (fsio.h): whole files read back intact at any
 * size up to the limit, the limit itself allowed and one byte past it
 * refused, links, folders and missing files refused with their reasons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/error.h"
#include "fsio.h"

static char dir[] = "fsio_test_XXXXXX";

static char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void write_bytes(const char *name, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < n; i++)
		assert_int_equal(fputc((int)('a' + i % 26), f), 'a' + i % 26);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Sizes around the reader's steps read back byte for byte. */
static void test_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 8193, 100000 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *data = NULL;
		size_t len = 7;

		write_bytes("f", sizes[i]);
		assert_int_equal(ccp_file_read(&data, &len, path_of("f"), 1 << 20, NULL), 0);
		assert_non_null(data);
		assert_int_equal(len, sizes[i]);
		assert_int_equal(data[len], '\0');
		for (j = 0; j < len; j++)
			if (data[j] != (char)('a' + j % 26))
				fail_msg("byte %zu of %zu differs", j, len);
		free(data);
	}
}

/* A file of exactly the limit is read; one byte more is too large. */
static void test_limit(void **state)
{
	ccp_error err;
	char *data = NULL;
	size_t len = 0;

	(void)state;
	write_bytes("at", 5000);
	assert_int_equal(ccp_file_read(&data, &len, path_of("at"), 5000, NULL), 0);
	assert_int_equal(len, 5000);
	free(data);
	write_bytes("over", 5001);
	memset(&err, 0, sizeof(err));
	assert_true(ccp_file_read(&data, &len, path_of("over"), 5000, &err) < 0);
	assert_null(data);
	assert_non_null(strstr(err.message, "too large"));
}

/*
 * A file longer than its size says (procfs gives 0) grows the buffer as
 * it is read, still within the limit.
 */
static void test_grows(void **state)
{
	char *data = NULL;
	size_t len = 0;

	(void)state;
	if (access("/proc/self/status", R_OK) != 0)
		skip();
	assert_int_equal(ccp_file_read(&data, &len, "/proc/self/status", 1 << 20, NULL), 0);
	assert_true(len > 100);
	assert_int_equal(strncmp(data, "Name:", 5), 0);
	assert_int_equal(strlen(data), len);
	free(data);
	assert_true(ccp_file_read(&data, &len, "/proc/self/status", 64, NULL) < 0);
	assert_null(data);
}

/* Links, folders and missing files are refused, each with its reason. */
static void test_refused(void **state)
{
	ccp_error err;
	char *data = NULL;

	(void)state;
	write_bytes("target", 10);
	assert_int_equal(symlink("target", path_of("link")), 0);
	memset(&err, 0, sizeof(err));
	assert_true(ccp_file_read(&data, NULL, path_of("link"), 100, &err) < 0);
	assert_non_null(strstr(err.message, "symbolic link"));
	memset(&err, 0, sizeof(err));
	assert_true(ccp_file_read(&data, NULL, dir, 100, &err) < 0);
	assert_non_null(strstr(err.message, "not a regular file"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(ccp_file_read(&data, NULL, path_of("none"), 100, &err), CCP_EINVAL);
	assert_null(data);
}

/* ccp_cwd() is getcwd(3)'s answer, asked once. */
static void test_cwd(void **state)
{
	char cwd[PATH_MAX];
	const char *a = ccp_cwd();

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(a);
	assert_string_equal(a, cwd);
	assert_ptr_equal(ccp_cwd(), a);
}

/*
 * ccp_realpath() gives realpath(3)'s answer, and its errno, for
 * relative names through links (to files, folders, absolute, dangling,
 * in a loop), "..", ".", doubled and trailing slashes, a file used as a
 * folder, and missing names.
 */
static void test_realpath(void **state)
{
	static const char *const names[] = {
		"", ".", "./", "f", "./f", ".//f", "d", "d/", "d/.", "d/g", "d//g/",
		"d/./g", "d/../f", "f/", "f/.", "f/x", "f/..", "missing", "d/missing",
		"lf", "ld", "ld/g", "ld/../f", "labs", "dangling", "loop", "d/up",
		"d/up/f", "ld/up/ld/g", "lf/", "..", "../", "d/g/..",
	};
	char want[PATH_MAX], got[PATH_MAX], abs[PATH_MAX + 8], name[256];
	size_t i;

	(void)state;
	write_bytes("f", 3);
	assert_int_equal(mkdir(path_of("d"), 0700), 0);
	write_bytes("d/g", 3);
	assert_int_equal(symlink("f", path_of("lf")), 0);
	assert_int_equal(symlink("d", path_of("ld")), 0);
	assert_non_null(realpath(dir, got));
	snprintf(abs, sizeof(abs), "%s/f", got);
	assert_int_equal(symlink(abs, path_of("labs")), 0);
	assert_int_equal(symlink("nowhere", path_of("dangling")), 0);
	assert_int_equal(symlink("loop", path_of("loop")), 0);
	assert_int_equal(symlink("..", path_of("d/up")), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *w, *g;
		int we, ge;

		snprintf(name, sizeof(name), "%s%s%s", dir, names[i][0] ? "/" : "",
			 names[i]);
		/* "" itself, not the folder */
		if (!names[i][0])
			name[0] = '\0';
		errno = 0;
		w = realpath(name, want);
		we = errno;
		errno = 0;
		g = ccp_realpath(name, got);
		ge = errno;
		if (!w) {
			assert_null(g);
			assert_int_equal(ge, we);
		} else {
			assert_non_null(g);
			assert_string_equal(got, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_cwd),
		cmocka_unit_test(test_realpath),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
