/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deterministic kit archives and bundle checks. Packing the same folder
 * twice must give the same bytes, so nothing of the packing machine
 * (owners, umask, clock, file order) may leak into the archive.
 */
#include "prov_int.h"
#include "dir.h"
#include "path.h"
#include "array.h"

#include <archive.h>
#include <archive_entry.h>
#include "archive_lazy.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

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
	if (ccp_grow(&l->items, &l->cap, l->count + 1, sizeof(*l->items)) < 0) {
		free(s);
		return -1;
	}
	l->items[l->count++] = s;
	return 0;
}

/* Names looked at in one folder of a kit. */
#define PACK_MAX_NAMES ((size_t)1 << 20)
/* Folders below the kit's own, at most. */
#define PACK_MAX_DEPTH 64

typedef struct collect_ctx {
	pathlist *l;
	const char *root;
	ccp_error *err;
} collect_ctx;

/* Keep one entry of the kit: a regular file or a folder, nothing else. */
static int collect_one(void *arg, const ccp_dir_entry *e)
{
	collect_ctx *c = arg;

	if (S_ISLNK(e->st.st_mode))
		return ccp_error_set(c->err, CCP_EINVAL,
				     "'%s' is a symbolic link; kits must not contain links",
				     e->path);
	if (!S_ISDIR(e->st.st_mode) && !S_ISREG(e->st.st_mode))
		return ccp_error_set(c->err, CCP_EINVAL,
				     "'%s' is not a regular file or folder", e->path);
	if (pathlist_add(c->l, strdup(e->rel)) < 0)
		return ccp_error_set(c->err, CCP_ENOMEM, "out of memory");
	if (S_ISDIR(e->st.st_mode) && e->depth > PACK_MAX_DEPTH)
		return ccp_error_set(c->err, CCP_EINVAL, "'%s' is nested too deeply",
				     c->root);
	return 0;
}

/* Collect every path below root (relative to root). */
static int collect(pathlist *l, const char *root, ccp_error *err)
{
	collect_ctx c = { l, root, err };

	return ccp_dir_walk(root, SIZE_MAX, PACK_MAX_NAMES, CCP_DIR_HIDDEN, collect_one,
			&c, err);
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

/* The mode a kit file gets whatever it had: directories and programs
 * 0755, keys owner only, the rest 0644. */
static mode_t entry_mode(const struct stat *st, const char *rel)
{
	if (S_ISDIR(st->st_mode))
		return S_IFDIR | 0755;
	if (has_suffix(rel, ".key"))
		return S_IFREG | 0600;
	if (st->st_mode & 0111)
		return S_IFREG | 0755;
	return S_IFREG | 0644;
}

/* A regular file's bytes, exactly the size its header announced. */
static int copy_data(struct archive *a, const char *full, off_t size,
		     ccp_error *err)
{
	char chunk[65536];
	off_t left = size;
	int fd, rc = 0;

	fd = open(full, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot open '%s': %s", full,
				     strerror(errno));
	while (left > 0 && rc == 0) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			rc = ccp_error_set(err, CCP_EIO, "cannot read '%s' (it changed "
					   "while being packed?)", full);
		else if (archive_write_data(a, chunk, (size_t)r) != r)
			rc = ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s",
					   full, archive_error_string(a));
		else
			left -= r;
	}
	close(fd);
	return rc;
}

static int add_entry(struct archive *a, struct archive_entry *e,
		     const char *root, const char *rel, const char *prefix,
		     time_t mtime, ccp_error *err)
{
	char *full = ccp_path_child(root, rel), *name = ccp_path_child(prefix, rel);
	struct stat st;
	int rc = 0;

	if (!full || !name) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (lstat(full, &st) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot stat '%s': %s", full,
				   strerror(errno));
		goto cleanup;
	}
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_mode(e, entry_mode(&st, rel));
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_size(e, S_ISREG(st.st_mode) ? st.st_size : 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		rc = ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s", full,
				   archive_error_string(a));
	else if (S_ISREG(st.st_mode))
		rc = copy_data(a, full, st.st_size, err);

cleanup:
	free(name);
	free(full);
	return rc;
}

/* The archive holds the kit's private key: owner only, whatever the
 * umask. *out is the descriptor, or -1 on failure. */
static int create_private(int *out, const char *path, ccp_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int rc;

	*out = -1;
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot create '%s': %s", path,
				     strerror(errno));
	if (fchmod(fd, 0600) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot set the mode of '%s': %s",
				   path, strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	*out = fd;
	return 0;
}

/* pax_restricted: plain ustar unless a name needs more; no timestamps
 * of the packing run. gzip without time and name. */
static int start_archive(struct archive *a, int fd, const char *path,
			 ccp_error *err)
{
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK)
		return ccp_error_set(err, CCP_EIO, "cannot start archive '%s': %s",
				     path, archive_error_string(a));
	return 0;
}

/* The top folder itself, so unpacking recreates it. */
static int add_top_folder(struct archive *a, struct archive_entry *e,
			  const char *prefix, time_t mtime, const char *dir,
			  ccp_error *err)
{
	archive_entry_clear(e);
	archive_entry_set_pathname(e, prefix);
	archive_entry_set_mode(e, S_IFDIR | 0755);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		return ccp_error_set(err, CCP_EIO, "cannot archive '%s': %s", dir,
				     archive_error_string(a));
	return 0;
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

	rc = collect(&l, dir, err);
	if (rc < 0)
		goto cleanup;
	qsort(l.items, l.count, sizeof(*l.items), cmp_path);
	rc = create_private(&fd, path, err);
	if (rc < 0)
		goto cleanup;
	a = archive_write_new();
	e = archive_entry_new();
	if (!a || !e) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = start_archive(a, fd, path, err);
	if (rc == 0 && prefix && *prefix)
		rc = add_top_folder(a, e, prefix, mtime, dir, err);
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

/* ---- bundles ---- */

/*
 * A bundle is read once, front to back: every byte is copied (when
 * there is somewhere to copy it) and inflated with zlib, which checks
 * each gzip member's CRC and length and refuses anything after the
 * last member; the inflated bytes feed libarchive, which walks every
 * tar header and every entry's data. So a bundle that is truncated
 * anywhere, or corrupt, is refused, and what is checked is exactly what
 * is copied.
 */
typedef struct bundle_reader {
	const char *path;
	int in, out;
	z_stream z;
	int z_ready;            /* inflateInit2 done */
	int member_done;        /* the last member ended cleanly */
	int eof;
	uint64_t raw_total, plain_total;
	unsigned char raw[1 << 16];
	unsigned char plain[1 << 16];
	ccp_error *err;
	int rc;
} bundle_reader;

static int br_fail(bundle_reader *br, int code, const char *fmt, const char *what)
{
	if (!br->rc)
		br->rc = ccp_error_set(br->err, code, fmt, br->path, what);
	return br->rc;
}

static int br_fill(bundle_reader *br)
{
	ssize_t n;

	for (;;) {
		n = read(br->in, br->raw, sizeof(br->raw));
		if (n >= 0 || errno != EINTR)
			break;
	}
	if (n < 0)
		return br_fail(br, CCP_EIO, "cannot read bundle '%s': %s", strerror(errno));
	if (ccp_prov_cancelled())
		return br_fail(br, CCP_EINTR, "interrupted while reading bundle '%s'%s", "");
	if (n == 0) {
		br->eof = 1;
		return 0;
	}
	br->raw_total += (uint64_t)n;
	if (br->raw_total > CCP_PROV_BUNDLE_MAX)
		return br_fail(br, CCP_EINVAL, "bundle '%s' is too large%s", "");
	if (br->out >= 0) {
		const unsigned char *p = br->raw;
		size_t left = (size_t)n;

		while (left > 0) {
			ssize_t w = write(br->out, p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return br_fail(br, CCP_EIO, "cannot copy bundle '%s': %s",
					       strerror(errno));
			p += w;
			left -= (size_t)w;
		}
	}
	br->z.next_in = br->raw;
	br->z.avail_in = (uInt)n;
	return 0;
}

/* Up to sizeof(plain) inflated bytes; 0 at the clean end of the file. */
static ssize_t br_inflate(bundle_reader *br)
{
	for (;;) {
		int zr;

		if (br->rc)
			return -1;
		if (br->z.avail_in == 0 && !br->eof && br_fill(br) < 0)
			return -1;
		if (br->z.avail_in == 0 && br->eof) {
			if (!br->member_done)
				br_fail(br, CCP_EINVAL, "bundle '%s' is truncated%s", "");
			return br->rc ? -1 : 0;
		}
		if (br->member_done) {
			/* Another gzip member follows (concatenated gzip is
			 * gzip); anything else is refused by its header. */
			if (inflateReset(&br->z) != Z_OK)
				return br_fail(br, CCP_EIO, "cannot inflate bundle '%s'%s", "");
			br->member_done = 0;
		}
		br->z.next_out = br->plain;
		br->z.avail_out = sizeof(br->plain);
		zr = inflate(&br->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			br->member_done = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return br_fail(br, CCP_EINVAL, "bundle '%s' is not a valid gzip "
				       "stream: %s", br->z.msg ? br->z.msg : "corrupt data");
		if (sizeof(br->plain) - br->z.avail_out > 0) {
			ssize_t got = (ssize_t)(sizeof(br->plain) - br->z.avail_out);

			br->plain_total += (uint64_t)got;
			if (br->plain_total > CCP_PROV_BUNDLE_PLAIN_MAX)
				return br_fail(br, CCP_EINVAL, "bundle '%s' inflates to too "
					       "much data%s", "");
			return got;
		}
	}
}

static la_ssize_t br_read(struct archive *a, void *ud, const void **buf)
{
	bundle_reader *br = ud;
	ssize_t n = br_inflate(br);

	(void)a;
	*buf = br->plain;
	return n < 0 ? ARCHIVE_FATAL : (la_ssize_t)n;
}

/* Read all of br->in through zlib and libarchive. */
static int br_check(bundle_reader *br)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	unsigned char magic[2];
	ssize_t n;
	size_t entries = 0;
	int ar = ARCHIVE_OK;

	do
		n = pread(br->in, magic, 2, 0);
	while (n < 0 && errno == EINTR);
	if (n != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
		return br_fail(br, CCP_EINVAL, "bundle '%s' is not gzip-compressed%s", "");
	if (inflateInit2(&br->z, 16 + MAX_WBITS) != Z_OK)
		return br_fail(br, CCP_ENOMEM, "cannot inflate bundle '%s'%s", "");
	br->z_ready = 1;
	a = archive_read_new();
	if (!a)
		return br_fail(br, CCP_ENOMEM, "cannot read bundle '%s'%s", "");
	archive_read_support_format_tar(a);
	if (archive_read_open(a, br, NULL, br_read, NULL) == ARCHIVE_OK) {
		while ((ar = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
			entries++;
			ar = archive_read_data_skip(a);
			if (ar != ARCHIVE_OK)
				break;
		}
	} else {
		ar = ARCHIVE_FATAL;
	}
	if (!br->rc && ar != ARCHIVE_EOF)
		br_fail(br, CCP_EINVAL, "bundle '%s' is not a complete tar archive: %s",
			archive_error_string(a) ? archive_error_string(a) : "unreadable");
	if (!br->rc && entries == 0)
		br_fail(br, CCP_EINVAL, "bundle '%s' holds no files%s", "");
	archive_read_free(a);
	/* The tar end marker may come before the end of the gzip stream:
	 * the rest (and its CRC) must be read too. */
	while (!br->rc && (n = br_inflate(br)) > 0)
		;
	return br->rc;
}

/* Open a bundle for reading: a regular file, not through a link, and
 * without blocking (a FIFO would hang the run past any timeout). */
static int br_open(bundle_reader *br, const char *path, ccp_error *err)
{
	struct stat st;

	memset(&br->z, 0, sizeof(br->z));
	br->path = path;
	br->out = -1;
	br->err = err;
	br->in = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (br->in < 0)
		return ccp_error_set(err, errno == ELOOP ? CCP_EINVAL : CCP_EIO,
				     errno == ELOOP ? "bundle '%s' is a symbolic link%s" :
				     "cannot open bundle '%s': %s", path,
				     errno == ELOOP ? "" : strerror(errno));
	if (fstat(br->in, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(br->in);
		br->in = -1;
		return ccp_error_set(err, CCP_EINVAL, "bundle '%s' is not a regular file",
				     path);
	}
	return 0;
}

static void br_close(bundle_reader *br)
{
	if (br->z_ready)
		inflateEnd(&br->z);
	if (br->in >= 0)
		close(br->in);
	br->in = -1;
}

int ccp_provision_check_bundle(const char *path, ccp_error *err)
{
	bundle_reader *br = calloc(1, sizeof(*br));
	int rc;

	if (!br)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = br_open(br, path, err);
	if (rc == 0)
		rc = br_check(br);
	br_close(br);
	free(br);
	return rc;
}

int ccp_prov_take_bundle(const char *from, const char *to, ccp_error *err)
{
	bundle_reader *br = calloc(1, sizeof(*br));
	int rc;

	if (!br)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = br_open(br, from, err);
	if (rc < 0)
		goto cleanup;
	br->out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (br->out < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot create '%s': %s", to,
				   strerror(errno));
		goto cleanup;
	}
	/* It holds the kit's private key, whatever the builder's mode. */
	if (fchmod(br->out, 0600) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot set the mode of '%s': %s", to,
				   strerror(errno));
	if (rc == 0)
		rc = br_check(br);
	if (rc == 0 && fsync(br->out) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", to,
				   strerror(errno));
	if (close(br->out) < 0 && rc == 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", to,
				   strerror(errno));
	br->out = -1;
	if (rc < 0) {
		unlink(to);
		goto cleanup;
	}
	/* Moved, not copied: the builder's copy of the keys goes. */
	if (unlink(from) < 0)
		rc = ccp_error_set(err, CCP_EIO, "cannot remove bundle '%s' after "
				   "copying it: %s", from, strerror(errno));

cleanup:
	if (br->out >= 0)
		close(br->out);
	br_close(br);
	free(br);
	return rc;
}
