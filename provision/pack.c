/*
 * Deterministic kit archives and bundle checks. Packing the same folder
 * twice must give the same bytes, so nothing of the packing machine
 * (owners, umask, clock, file order) may leak into the archive.
 */
#include "prov_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct pathlist {
	char **items;
	size_t count, cap;
} pathlist;

static void pathlist_free(pathlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
}

static int pathlist_add(pathlist *l, char *s)
{
	if (!s)
		return -1;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **n = realloc(l->items, cap * sizeof(*n));

		if (!n) {
			free(s);
			return -1;
		}
		l->items = n;
		l->cap = cap;
	}
	l->items[l->count++] = s;
	return 0;
}

/* Collect every path below root/rel (relative to root). */
static int collect(pathlist *l, const char *root, const char *rel, int depth,
		   ccp_error *err)
{
	char *dir = rel[0] ? ccp_prov_join(root, rel) : strdup(root);
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (!dir)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (depth > 64) {
		free(dir);
		return ccp_error_set(err, CCP_EINVAL, "'%s' is nested too deeply", root);
	}
	d = opendir(dir);
	if (!d) {
		rc = ccp_error_set(err, CCP_EIO, "cannot read folder '%s': %s", dir,
				   strerror(errno));
		free(dir);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sub = rel[0] ? ccp_prov_join(rel, de->d_name) : strdup(de->d_name);
		full = sub ? ccp_prov_join(root, sub) : NULL;
		if (!full) {
			free(sub);
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
			break;
		}
		if (lstat(full, &st) < 0) {
			rc = ccp_error_set(err, CCP_EIO, "cannot stat '%s': %s", full,
					   strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			rc = ccp_error_set(err, CCP_EINVAL,
					   "'%s' is a symbolic link; kits must not contain links",
					   full);
		} else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			rc = ccp_error_set(err, CCP_EINVAL,
					   "'%s' is not a regular file or folder", full);
		} else {
			int is_dir = S_ISDIR(st.st_mode);
			char *keep = strdup(sub);

			if (pathlist_add(l, keep) < 0)
				rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
			else if (is_dir)
				rc = collect(l, root, sub, depth + 1, err);
		}
		free(full);
		free(sub);
	}
	closedir(d);
	free(dir);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static time_t fixed_mtime(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return 0;
	return (time_t)v;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int add_entry(struct archive *a, struct archive_entry *e,
		     const char *root, const char *rel, const char *prefix,
		     time_t mtime, ccp_error *err)
{
	char *full = ccp_prov_join(root, rel);
	ccp_buf name = CCP_BUF_INIT;
	struct stat st;
	int fd = -1, rc = 0;
	mode_t mode;

	if (!full)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (prefix && *prefix)
		ccp_buf_printf(&name, "%s/%s", prefix, rel);
	else
		ccp_buf_puts(&name, rel);
	if (lstat(full, &st) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot stat '%s': %s", full,
				   strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode))
		mode = S_IFDIR | 0755;
	else if (has_suffix(rel, ".key"))
		mode = S_IFREG | 0600;
	else if (st.st_mode & 0111)
		mode = S_IFREG | 0755;
	else
		mode = S_IFREG | 0644;

	archive_entry_clear(e);
	archive_entry_set_pathname(e, ccp_buf_cstr(&name));
	archive_entry_set_mode(e, mode);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_size(e, S_ISREG(st.st_mode) ? st.st_size : 0);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		rc = ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s", full,
				   archive_error_string(a));
		goto cleanup;
	}
	if (S_ISREG(st.st_mode)) {
		char chunk[65536];
		off_t left = st.st_size;

		fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			rc = ccp_error_set(err, CCP_EIO, "cannot open '%s': %s", full,
					   strerror(errno));
			goto cleanup;
		}
		while (left > 0) {
			ssize_t r = read(fd, chunk, sizeof(chunk));

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				rc = ccp_error_set(err, CCP_EIO, "cannot read '%s' (it changed "
						   "while being packed?)", full);
				goto cleanup;
			}
			if (archive_write_data(a, chunk, (size_t)r) != r) {
				rc = ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s",
						   full, archive_error_string(a));
				goto cleanup;
			}
			left -= r;
		}
	}

cleanup:
	if (fd >= 0)
		close(fd);
	ccp_buf_release(&name);
	free(full);
	return rc;
}

int ccp_provision_pack(const char *path, const char *dir, const char *prefix,
		       ccp_error *err)
{
	pathlist l = { NULL, 0, 0 };
	struct archive *a = NULL;
	struct archive_entry *e = NULL;
	time_t mtime = fixed_mtime();
	int fd = -1, rc;
	size_t i;

	rc = collect(&l, dir, "", 0, err);
	if (rc < 0)
		goto cleanup;
	qsort(l.items, l.count, sizeof(*l.items), cmp_path);

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot create '%s': %s", path,
				   strerror(errno));
		goto cleanup;
	}
	a = archive_write_new();
	e = archive_entry_new();
	if (!a || !e) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* pax_restricted: plain ustar unless a name needs more; no
	 * timestamps of the packing run. gzip without time and name. */
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		rc = ccp_error_set(err, CCP_EIO, "cannot start archive '%s': %s", path,
				   archive_error_string(a));
		goto cleanup;
	}
	if (prefix && *prefix) {
		/* The top folder itself, so unpacking recreates it. */
		archive_entry_clear(e);
		archive_entry_set_pathname(e, prefix);
		archive_entry_set_mode(e, S_IFDIR | 0755);
		archive_entry_set_mtime(e, mtime, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK) {
			rc = ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s", dir,
					   archive_error_string(a));
			goto cleanup;
		}
	}
	for (i = 0; i < l.count && rc == 0; i++)
		rc = add_entry(a, e, dir, l.items[i], prefix, mtime, err);
	if (rc == 0 && archive_write_close(a) != ARCHIVE_OK)
		rc = ccp_error_set(err, CCP_EIO, "cannot finish archive '%s': %s", path,
				   archive_error_string(a));
	if (rc == 0 && fsync(fd) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", path,
				   strerror(errno));

cleanup:
	if (e)
		archive_entry_free(e);
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (rc < 0 && fd >= 0)
		unlink(path);
	pathlist_free(&l);
	return rc;
}

int ccp_provision_check_bundle(const char *path, ccp_error *err)
{
	unsigned char magic[2];
	struct archive *a = NULL;
	struct archive_entry *e;
	int fd, rc = 0;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot open bundle '%s': %s", path,
				     strerror(errno));
	n = read(fd, magic, 2);
	close(fd);
	if (n != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
		return ccp_error_set(err, CCP_EINVAL, "bundle '%s' is not gzip-compressed",
				     path);
	a = archive_read_new();
	if (!a)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK)
		rc = ccp_error_set(err, CCP_EINVAL, "bundle '%s' is not a tar archive: %s",
				   path, archive_error_string(a) ?
				   archive_error_string(a) : "no entry");
	archive_read_free(a);
	return rc;
}
