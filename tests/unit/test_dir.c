/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Folder listings and walks (dir.h): sorted names, hidden names, the
 * name bound, walk order, symbolic links visited but never followed,
 * the depth bound, skipping, stopping, errors, and removing a tree
 * without reaching through a link.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "dir.h"

static char g_tmp[] = "/tmp/ccprov-dir-XXXXXX";

static char *at(const char *rel)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", g_tmp, rel);
	return p;
}

static void touch(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	close(fd);
}

/*
 * g_tmp/tree: b/ (c, .h), a, z/ (y/ (deep)), out -> g_tmp/outside/,
 * and g_tmp/outside/ (secret) that no walk of tree may reach.
 */
static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(g_tmp))
		return -1;
	if (mkdir(at("tree"), 0700) || mkdir(at("tree/b"), 0700) ||
	    mkdir(at("tree/z"), 0700) || mkdir(at("tree/z/y"), 0700) ||
	    mkdir(at("outside"), 0700))
		return -1;
	touch("tree/a");
	touch("tree/b/c");
	touch("tree/b/.h");
	touch("tree/z/y/deep");
	touch("outside/secret");
	return symlink(at("outside"), at("tree/out"));
}

static int teardown(void **state)
{
	ccp_error err;

	(void)state;
	return ccp_dir_rmtree(g_tmp, &err);
}

static void test_read(void **state)
{
	ccp_dir d;

	(void)state;
	assert_int_equal(ccp_dir_read(&d, at("tree"), 100, 0), 0);
	assert_int_equal(d.count, 4);
	assert_string_equal(d.names[0], "a");
	assert_string_equal(d.names[1], "b");
	assert_string_equal(d.names[2], "out");
	assert_string_equal(d.names[3], "z");
	assert_false(d.truncated);
	ccp_dir_release(&d);
	/* hidden names only when asked, "." and ".." never */
	assert_int_equal(ccp_dir_read(&d, at("tree/b"), 100, 0), 0);
	assert_int_equal(d.count, 1);
	ccp_dir_release(&d);
	assert_int_equal(ccp_dir_read(&d, at("tree/b"), 100, CCP_DIR_HIDDEN), 0);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.names[0], ".h");
	assert_string_equal(d.names[1], "c");
	ccp_dir_release(&d);
	/* the bound: no more names than asked, and a note that there were */
	assert_int_equal(ccp_dir_read(&d, at("tree"), 2, 0), 0);
	assert_int_equal(d.count, 2);
	assert_true(d.truncated);
	ccp_dir_release(&d);
	assert_int_equal(ccp_dir_read(&d, at("tree"), 4, 0), 0);
	assert_false(d.truncated);
	ccp_dir_release(&d);
	/* errors keep errno and leave the list empty */
	assert_int_equal(ccp_dir_read(&d, at("missing"), 100, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(d.count, 0);
	ccp_dir_release(&d);
	assert_int_equal(ccp_dir_read(&d, at("tree/a"), 100, 0), -1);
	assert_int_equal(errno, ENOTDIR);
	ccp_dir_release(&d);
}

static void test_read_at(void **state)
{
	ccp_dir d;
	int fd = open(at("tree"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *probe;

	(void)state;
	assert_true(fd >= 0);
	/* move the shared offset: the listing still starts at the start */
	probe = fdopendir(dup(fd));
	assert_non_null(probe);
	assert_non_null(readdir(probe));
	assert_non_null(readdir(probe));
	assert_non_null(readdir(probe));
	closedir(probe);
	assert_int_equal(ccp_dir_read_at(&d, fd, 100, 0), 0);
	assert_int_equal(d.count, 4);
	assert_string_equal(d.names[0], "a");
	ccp_dir_release(&d);
	/* fd is still open and usable */
	assert_int_equal(ccp_dir_read_at(&d, fd, 100, 0), 0);
	assert_int_equal(d.count, 4);
	ccp_dir_release(&d);
	close(fd);
	assert_int_equal(ccp_dir_read_at(&d, fd, 100, 0), -1);
	assert_int_equal(errno, EBADF);
	ccp_dir_release(&d);
}

typedef struct seen {
	ccp_buf b;
	const char *skip;
	const char *stop;
} seen;

static int note(void *arg, const ccp_dir_entry *e)
{
	seen *s = arg;

	ccp_buf_printf(&s->b, "%s%s:%zu ", e->rel,
		       S_ISLNK(e->st.st_mode) ? "@" : S_ISDIR(e->st.st_mode) ? "/" : "",
		       e->depth);
	if (s->stop && strcmp(e->rel, s->stop) == 0)
		return -42;
	return s->skip && strcmp(e->rel, s->skip) == 0 ? CCP_DIR_SKIP : 0;
}

static void walk_is(size_t depth, unsigned flags, const char *skip,
		    const char *stop, int want_rc, const char *want)
{
	seen s = { CCP_BUF_INIT, skip, stop };
	ccp_error err;
	int rc;

	ccp_error_clear(&err);
	rc = ccp_dir_walk(at("tree"), depth, 100, flags, note, &s, &err);
	assert_int_equal(rc, want_rc);
	assert_string_equal(ccp_buf_cstr(&s.b), want);
	ccp_buf_release(&s.b);
}

static void test_walk(void **state)
{
	(void)state;
	/* sorted, a folder before its contents; the link is seen, not entered */
	walk_is(10, 0, NULL, NULL, 0, "a:1 b/:1 b/c:2 out@:1 z/:1 z/y/:2 z/y/deep:3 ");
	walk_is(10, CCP_DIR_HIDDEN, NULL, NULL, 0,
		"a:1 b/:1 b/.h:2 b/c:2 out@:1 z/:1 z/y/:2 z/y/deep:3 ");
	/* contents first */
	walk_is(10, CCP_DIR_POST, NULL, NULL, 0,
		"a:1 b/c:2 b/:1 out@:1 z/y/deep:3 z/y/:2 z/:1 ");
	/* the depth bound: folders at it are visited, not entered */
	walk_is(2, 0, NULL, NULL, 0, "a:1 b/:1 b/c:2 out@:1 z/:1 z/y/:2 ");
	walk_is(1, 0, NULL, NULL, 0, "a:1 b/:1 out@:1 z/:1 ");
	walk_is(0, 0, NULL, NULL, 0, "");
	/* a callback skips a folder or stops the walk with its own value */
	walk_is(10, 0, "z", NULL, 0, "a:1 b/:1 b/c:2 out@:1 z/:1 ");
	walk_is(10, 0, NULL, "b/c", -42, "a:1 b/:1 b/c:2 ");
}

static void test_walk_errors(void **state)
{
	seen s = { CCP_BUF_INIT, NULL, NULL };
	ccp_error err;

	(void)state;
	ccp_error_clear(&err);
	assert_int_equal(ccp_dir_walk(at("missing"), 10, 100, 0, note, &s, &err), CCP_EIO);
	assert_non_null(strstr(err.message, "cannot read folder"));
	assert_non_null(strstr(err.message, "missing"));
	/* lenient: a folder that cannot be read is passed over */
	ccp_error_clear(&err);
	assert_int_equal(ccp_dir_walk(at("missing"), 10, 100, CCP_DIR_LENIENT, note, &s,
				  &err), 0);
	assert_int_equal(err.code, 0);
	ccp_buf_release(&s.b);
}

static void test_rmtree(void **state)
{
	ccp_error err;
	struct stat st;

	(void)state;
	ccp_error_clear(&err);
	/* a copy of the tree, with its link out */
	assert_int_equal(mkdir(at("copy"), 0700), 0);
	assert_int_equal(mkdir(at("copy/d"), 0700), 0);
	assert_int_equal(mkdir(at("copy/d/e"), 0700), 0);
	touch("copy/d/e/f");
	touch("copy/.hidden");
	assert_int_equal(symlink(at("outside"), at("copy/d/out")), 0);
	assert_int_equal(ccp_dir_rmtree(at("copy"), &err), 0);
	assert_int_equal(lstat(at("copy"), &st), -1);
	/* the link went, what it pointed to stays */
	assert_int_equal(stat(at("outside/secret"), &st), 0);
	/* a missing path is fine; a plain file is removed */
	assert_int_equal(ccp_dir_rmtree(at("copy"), &err), 0);
	touch("file");
	assert_int_equal(ccp_dir_rmtree(at("file"), &err), 0);
	assert_int_equal(lstat(at("file"), &st), -1);
	assert_int_equal(err.code, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_at),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_errors),
		cmocka_unit_test(test_rmtree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
