/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
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
