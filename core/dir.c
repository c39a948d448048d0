/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "dir.h"
#include "path.h"

/* Deep enough for any kit or workspace; a PATH_MAX path has fewer. */
#define RMTREE_MAX_DEPTH 2048
#define RMTREE_MAX_NAMES ((size_t)1 << 20)

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ccp_dir_release(ccp_dir *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		free(d->names[i]);
	free(d->names);
	memset(d, 0, sizeof(*d));
}

static int dir_add(ccp_dir *out, const char *name)
{
	char *copy;

	if (ccp_grow(&out->names, &out->cap, out->count + 1,
		     sizeof(*out->names)) < 0 || !(copy = strdup(name))) {
		errno = ENOMEM;
		return -1;
	}
	out->names[out->count++] = copy;
	return 0;
}

/* Read d's names into out (zeroed), then close d. */
static int read_names(ccp_dir *out, DIR *d, size_t max, unsigned flags)
{
	struct dirent *de;
	int rc = 0, e;

	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			rc = errno ? -1 : 0;
			break;
		}
		if (de->d_name[0] == '.' &&
		    (!(flags & CCP_DIR_HIDDEN) || !de->d_name[1] ||
		     (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (out->count >= max) {
			out->truncated = 1;
			break;
		}
		rc = dir_add(out, de->d_name);
		if (rc < 0)
			break;
	}
	e = errno;
	closedir(d);
	if (rc < 0) {
		ccp_dir_release(out);
		errno = e;
		return -1;
	}
	if (out->count)
		qsort(out->names, out->count, sizeof(*out->names), name_cmp);
	return 0;
}

int ccp_dir_read(ccp_dir *out, const char *dir, size_t max, unsigned flags)
{
	DIR *d;

	memset(out, 0, sizeof(*out));
	d = opendir(dir);
	return d ? read_names(out, d, max, flags) : -1;
}

int ccp_dir_read_at(ccp_dir *out, int dfd, size_t max, unsigned flags)
{
	int fd, e;
	DIR *d;

	memset(out, 0, sizeof(*out));
	fd = dup(dfd);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* the duplicate shares dfd's offset, which may not be at the start */
	rewinddir(d);
	return read_names(out, d, max, flags);
}

typedef struct walk {
	size_t max_depth, max_names;
	unsigned flags;
	ccp_dir_fn fn;
	void *arg;
	ccp_error *err;
} walk;

static int walk_dir(const walk *w, const char *dir, const char *rel,
		    size_t depth);

/* One entry of dir: visit it, then (a folder) its contents. */
static int walk_entry(const walk *w, const char *dir, const char *rel,
		      const char *name, size_t depth)
{
	ccp_dir_entry e;
	char *path = ccp_path_child(dir, name);
	char *sub = ccp_path_child(rel, name);
	int rc = 0, is_dir;

	if (!path || !sub) {
		rc = ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (lstat(path, &e.st) < 0) {
		if (w->flags & CCP_DIR_LENIENT)
			goto cleanup;
		rc = ccp_error_set(w->err, CCP_EIO, "cannot stat '%s': %s", path,
				   strerror(errno));
		goto cleanup;
	}
	e.path = path;
	e.rel = sub;
	e.name = name;
	e.depth = depth;
	is_dir = S_ISDIR(e.st.st_mode);
	if (!(is_dir && (w->flags & CCP_DIR_POST)))
		rc = w->fn(w->arg, &e);
	if (rc < 0)
		goto cleanup;
	if (is_dir && rc != CCP_DIR_SKIP && depth < w->max_depth)
		rc = walk_dir(w, path, sub, depth + 1);
	else
		rc = 0;
	if (rc == 0 && is_dir && (w->flags & CCP_DIR_POST))
		rc = w->fn(w->arg, &e);
cleanup:
	free(path);
	free(sub);
	return rc < 0 ? rc : 0;
}

static int walk_dir(const walk *w, const char *dir, const char *rel,
		    size_t depth)
{
	ccp_dir names;
	size_t i;
	int rc = 0;

	if (ccp_dir_read(&names, dir, w->max_names, w->flags) < 0) {
		int e = errno;

		ccp_dir_release(&names);
		if (e == ENOMEM)
			return ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
		if (w->flags & CCP_DIR_LENIENT)
			return 0;
		return ccp_error_set(w->err, CCP_EIO, "cannot read folder '%s': %s",
				     dir, strerror(e));
	}
	for (i = 0; i < names.count && rc == 0; i++)
		rc = walk_entry(w, dir, rel, names.names[i], depth);
	ccp_dir_release(&names);
	return rc;
}

int ccp_dir_walk(const char *root, size_t max_depth, size_t max_names,
	     unsigned flags, ccp_dir_fn fn, void *arg, ccp_error *err)
{
	walk w = { max_depth, max_names, flags, fn, arg, err };

	if (!max_depth)
		return 0;
	return walk_dir(&w, root, "", 1);
}

typedef struct rm_ctx {
	const char *root;
	ccp_error *err;
} rm_ctx;

static int rm_entry(void *arg, const ccp_dir_entry *e)
{
	const rm_ctx *rm = arg;

	if (S_ISDIR(e->st.st_mode) ? rmdir(e->path) < 0 : unlink(e->path) < 0) {
		if (errno == ENOENT)
			return 0;
		return ccp_error_set(rm->err, CCP_EIO, "cannot remove '%s': %s",
				     rm->root, strerror(errno));
	}
	return 0;
}

int ccp_dir_rmtree(const char *path, ccp_error *err)
{
	rm_ctx rm = { path, err };
	struct stat st;
	int rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 :
		       ccp_error_set(err, CCP_EIO, "cannot remove '%s': %s", path,
				     strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ?
		       ccp_error_set(err, CCP_EIO, "cannot remove '%s': %s", path,
				     strerror(errno)) : 0;
	rc = ccp_dir_walk(path, RMTREE_MAX_DEPTH, RMTREE_MAX_NAMES,
		      CCP_DIR_HIDDEN | CCP_DIR_POST, rm_entry, &rm, err);
	if (rc == 0 && rmdir(path) < 0 && errno != ENOENT)
		rc = ccp_error_set(err, CCP_EIO, "cannot remove '%s': %s", path,
				   strerror(errno));
	return rc;
}
