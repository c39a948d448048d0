/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/suggest.h"
#include "dir.h"
#include "fsio.h"
#include "path.h"

int ccp_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Directory entries looked at, at most: the hint must stay cheap in a
 * folder of any size. */
#define CCP_NEAREST_MAX_ENTRIES 1024

char *ccp_path_nearest(const char *path)
{
	const char *base = ccp_path_base(path);
	char *dir = NULL, *out = NULL;
	const char *best;
	ccp_dir names = { NULL, 0, 0, 0 };
	size_t n = 0, i;

	if (!*base)
		return NULL;
	dir = ccp_path_dirname(path);
	/* sorted, so that the hint is reproducible */
	if (!dir || ccp_dir_read(&names, dir, CCP_NEAREST_MAX_ENTRIES,
				 CCP_DIR_HIDDEN) < 0)
		goto cleanup;
	/* the name itself is no suggestion */
	for (i = 0; i < names.count; i++) {
		if (strcmp(names.names[i], base) == 0)
			free(names.names[i]);
		else
			names.names[n++] = names.names[i];
	}
	names.count = n;
	best = ccp_suggest(base, (const char *const *)names.names, names.count);
	if (best)
		out = strdup(best);
cleanup:
	ccp_dir_release(&names);
	free(dir);
	return out;
}

/* Wipe and free a buffer that may hold a key. */
static void wipe_free(char *buf, size_t cap)
{
	if (buf)
		explicit_bzero(buf, cap);
	free(buf);
}

/* read(2), again on EINTR. */
static ssize_t read_some(int fd, char *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Move buf (cap bytes, got used) to one of more bytes, wiping the old. */
static char *regrow(char *buf, size_t cap, size_t got, size_t more)
{
	char *bigger = malloc(more);

	if (bigger)
		memcpy(bigger, buf, got);
	wipe_free(buf, cap);
	return bigger;
}

/*
 * The rest of fd, at most max bytes, into one buffer sized from hint
 * (the file's size): a file that grows while it is read moves to a
 * larger buffer and the old one is wiped, so no copy of a key is left
 * in freed memory. NULL with errno set (EFBIG past max).
 */
static char *read_fd(int fd, size_t hint, size_t max, size_t *len)
{
	size_t cap = hint + 1, got = 0;
	char *buf = malloc(cap);
	ssize_t r;

	while (buf) {
		if (got + 1 < cap) {
			r = read_some(fd, buf + got, cap - 1 - got);
		} else {
			char one;

			/* full: the end of the file, or one byte more */
			r = read_some(fd, &one, 1);
			if (r > 0 && got >= max) {
				wipe_free(buf, cap);
				errno = EFBIG;
				return NULL;
			}
			if (r > 0) {
				size_t more = cap > max / 2 ? max + 1 : cap * 2;

				buf = regrow(buf, cap, got, more);
				cap = more;
				if (buf)
					buf[got] = one;
			}
		}
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	if (r < 0) {
		int e = errno;

		wipe_free(buf, cap);
		errno = e;
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

int ccp_file_read(char **out, size_t *len, const char *path, size_t max,
		  ccp_error *err)
{
	struct stat st;
	size_t got = 0;
	int fd;

	*out = NULL;
	/* Never through a link, never waiting: a FIFO would block open()
	 * and read(), a link to /dev/zero would never end. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return ccp_error_set(err, errno == ENOENT ? CCP_EINVAL : CCP_EIO,
				     errno == ELOOP ? "cannot open '%s': it is a symbolic link" :
				     "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ccp_error_set(err, CCP_EINVAL, "'%s' is not a regular file", path);
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return ccp_error_set(err, CCP_EIO, "'%s' is too large", path);
	}
	*out = read_fd(fd, (size_t)st.st_size, max, &got);
	if (!*out) {
		int e = errno;

		close(fd);
		if (e == ENOMEM)
			return ccp_error_set(err, CCP_ENOMEM, "out of memory");
		if (e == EFBIG)
			return ccp_error_set(err, CCP_EIO, "'%s' is too large", path);
		return ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", path,
				     strerror(e));
	}
	close(fd);
	if (len)
		*len = got;
	return 0;
}

const char *ccp_cwd(void)
{
	static char cwd[PATH_MAX];

	if (!cwd[0] && !getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	return cwd[0] ? cwd : NULL;
}

/* Whether realpath(3) checks that path's last component is a folder:
 * a trailing "/" or "/.". */
static int wants_dir(const char *path)
{
	size_t n = strlen(path);

	return (n && path[n - 1] == '/') ||
	       (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/');
}

char *ccp_realpath(const char *path, char *out)
{
	const char *cwd = path[0] == '/' || !path[0] || wants_dir(path) ?
			  NULL : ccp_cwd();
	const char *p = path;
	size_t n;
	char one;

	if (!cwd)
		return realpath(path, out);
	/* built in out: no second PATH_MAX buffer on the stack */
	n = strlen(cwd);
	memcpy(out, cwd, n + 1);
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return realpath(path, out);
		if (len && !(len == 1 && p[0] == '.')) {
			if (n + 1 + len >= PATH_MAX)
				return realpath(path, out);
			if (n > 1)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
			out[n] = '\0';
			/* not a link (EINVAL): the name stays; anything else
			 * (a link, missing, not a folder) is realpath's to answer */
			if (readlink(out, &one, 1) >= 0 || errno != EINVAL)
				return realpath(path, out);
		}
		p += len;
		while (*p == '/')
			p++;
	}
	return out;
}
