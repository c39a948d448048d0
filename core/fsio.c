/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/suggest.h"
#include "fsio.h"
#include "path.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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
	char *dir = NULL, *names[CCP_NEAREST_MAX_ENTRIES], *out = NULL;
	const char *best;
	size_t n = 0, i;
	DIR *d = NULL;
	struct dirent *e;

	if (!*base)
		return NULL;
	dir = ccp_path_dirname(path);
	if (!dir || !(d = opendir(dir)))
		goto cleanup;
	while (n < CCP_NEAREST_MAX_ENTRIES && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (!e->d_name[1] ||
					    (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (strcmp(e->d_name, base) == 0)
			continue;
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	/* readdir's order is arbitrary: sort so the hint is reproducible */
	qsort(names, n, sizeof(names[0]), cmp_str);
	best = ccp_suggest(base, (const char *const *)names, n);
	if (best)
		out = strdup(best);
cleanup:
	for (i = 0; i < n; i++)
		free(names[i]);
	if (d)
		closedir(d);
	free(dir);
	return out;
}

int ccp_file_read(char **out, size_t *len, const char *path, size_t max,
		  ccp_error *err)
{
	ccp_buf b = CCP_BUF_INIT;
	char chunk[8192];
	struct stat st;
	int fd, rc = 0;

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
	ccp_buf_init(&b, max);
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", path,
					   strerror(errno));
			break;
		}
		if (r == 0 || ccp_buf_failed(&b))
			break;
		ccp_buf_put(&b, chunk, (size_t)r);
	}
	close(fd);
	if (rc == 0 && ccp_buf_failed(&b))
		rc = ccp_error_set(err, CCP_EIO, "'%s' is too large", path);
	if (rc == 0) {
		if (len)
			*len = b.len;
		*out = b.data ? ccp_buf_detach(&b) : strdup("");
		if (!*out)
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	if (b.data)
		explicit_bzero(b.data, b.cap);
	ccp_buf_release(&b);
	return rc;
}
