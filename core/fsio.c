/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/suggest.h"
#include "fsio.h"

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
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = NULL, *names[CCP_NEAREST_MAX_ENTRIES], *out = NULL;
	const char *best;
	size_t n = 0, i;
	DIR *d = NULL;
	struct dirent *e;

	if (!*base)
		return NULL;
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) :
		      strdup(".");
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
