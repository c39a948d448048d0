/*
 * The application image of an on-premises CVM (docker_archive):
 * present, readable, a `docker save` archive, and small enough for the
 * root drive (CCP-C020..C023).
 *
 * Archives are read with libarchive without extracting: headers only,
 * summing entry sizes, with bounds on entries and declared bytes. Many
 * sites usually share one archive, so scan results are cached by file
 * identity (device, inode, size, modification time) for the process:
 * the scan runs once however many cc_config files name the archive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc_common.h"
#include "checks.h"
#include "fsio.h"

/* A docker image has tens of top-level entries; stop well beyond that. */
#define SCAN_MAX_ENTRIES 100000
/* Stop once entries declare this much data (a gzip bomb stays bounded). */
#define SCAN_MAX_BYTES ((uint64_t)256 << 30)
#define GIB ((uint64_t)1 << 30)

enum scan_status {
	SCAN_OK,          /* a tar (maybe compressed) with manifest.json */
	SCAN_NO_MANIFEST, /* a tar without a top-level manifest.json */
	SCAN_NOT_TAR,     /* not a tar archive, compressed or not */
	SCAN_DAMAGED,     /* a tar that ends early or is corrupt */
	SCAN_LIMIT,       /* stopped at a bound: size is a lower bound */
	SCAN_IO           /* could not be opened */
};

typedef struct scan_result {
	enum scan_status status;
	uint64_t bytes;   /* sum of regular entries' sizes */
	char error[200];
} scan_result;

/* ---- the process-wide cache ---- */

typedef struct cache_entry {
	struct cache_entry *next;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	scan_result result;
} cache_entry;

#define CACHE_BUCKETS 1024
#define CACHE_MAX 65536

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *cache[CACHE_BUCKETS];
static size_t cache_count;

static size_t bucket_of(const struct stat *st)
{
	return (size_t)(((uint64_t)st->st_dev * 31u + (uint64_t)st->st_ino) % CACHE_BUCKETS);
}

static int same_file(const cache_entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec &&
	       e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static int cache_get(const struct stat *st, scan_result *out)
{
	cache_entry *e;
	int found = 0;

	pthread_mutex_lock(&cache_lock);
	for (e = cache[bucket_of(st)]; e; e = e->next)
		if (same_file(e, st)) {
			*out = e->result;
			found = 1;
			break;
		}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

static void cache_put(const struct stat *st, const scan_result *r)
{
	cache_entry *e;

	pthread_mutex_lock(&cache_lock);
	if (cache_count < CACHE_MAX && (e = calloc(1, sizeof(*e)))) {
		size_t b = bucket_of(st);

		e->dev = st->st_dev;
		e->ino = st->st_ino;
		e->size = st->st_size;
		e->mtime = st->st_mtim;
		e->result = *r;
		e->next = cache[b];
		cache[b] = e;
		cache_count++;
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- scanning ---- */

static int is_manifest(const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	return strcmp(name, "manifest.json") == 0;
}

static void scan_archive(const char *path, scan_result *r)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	size_t entries = 0;
	int manifest = 0, rc;

	memset(r, 0, sizeof(*r));
	if (!a) {
		r->status = SCAN_IO;
		snprintf(r->error, sizeof(r->error), "out of memory");
		return;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		/* format detection runs at open: garbage fails here */
		int e = archive_errno(a);

		r->status = e == EIO || e == EACCES || e == ENOMEM || e == EISDIR ?
			    SCAN_IO : SCAN_NOT_TAR;
		snprintf(r->error, sizeof(r->error), "%s",
			 archive_error_string(a) ? archive_error_string(a) : "cannot open");
		goto cleanup;
	}
	for (;;) {
		rc = archive_read_next_header(a, &entry);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc == ARCHIVE_RETRY)
			continue;
		if (rc < ARCHIVE_WARN) {
			r->status = entries ? SCAN_DAMAGED : SCAN_NOT_TAR;
			snprintf(r->error, sizeof(r->error), "%s",
				 archive_error_string(a) ? archive_error_string(a) :
				 "unreadable archive");
			goto cleanup;
		}
		entries++;
		if (archive_entry_pathname(entry) && is_manifest(archive_entry_pathname(entry)))
			manifest = 1;
		if (archive_entry_filetype(entry) == AE_IFREG &&
		    archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0)
			r->bytes += (uint64_t)archive_entry_size(entry);
		if (entries >= SCAN_MAX_ENTRIES || r->bytes >= SCAN_MAX_BYTES) {
			/* the next header would read past this entry's data */
			r->status = SCAN_LIMIT;
			goto cleanup;
		}
	}
	r->status = manifest ? SCAN_OK : SCAN_NO_MANIFEST;
cleanup:
	archive_read_free(a);
}

/* ---- per cc_config ---- */

typedef struct archive_ref {
	const ccp_node *node;   /* the docker_archive value */
	const char *value;
	char *path;             /* resolved; caller frees */
	struct stat st;
	int err;                /* errno of open/stat, or 0 */
	int regular;
} archive_ref;

/*
 * Resolve and open the archive a cc_config names. Returns 0 when the
 * file has a docker_archive string (ref filled), -1 otherwise.
 */
static int archive_of(const ccp_cc_file *f, archive_ref *ref)
{
	const ccp_node *n = ccp_node_get(f->root, "docker_archive");
	const char *v = n && n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_STR ?
			ccp_node_str(n) : NULL;
	int fd;

	memset(ref, 0, sizeof(*ref));
	if (!v || !*v || strlen(v) != n->len)
		return -1;
	ref->node = n;
	ref->value = v;
	ref->path = ccp_lint_resolve(f->dir, v);
	if (!ref->path)
		return -1;
	/* O_NONBLOCK: a FIFO named by mistake must not hang the run */
	fd = open(ref->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ref->err = errno;
		if (stat(ref->path, &ref->st) == 0 && !S_ISREG(ref->st.st_mode)) {
			ref->err = 0;
			ref->regular = 0;
		}
		return 0;
	}
	if (fstat(fd, &ref->st) < 0)
		ref->err = errno;
	else
		ref->regular = S_ISREG(ref->st.st_mode);
	close(fd);
	return 0;
}

/* The scan of a readable regular archive, from the cache when it can. */
static int archive_scan(const archive_ref *ref, scan_result *out)
{
	if (ref->err || !ref->regular)
		return -1;
	if (cache_get(&ref->st, out))
		return 0;
	scan_archive(ref->path, out);
	cache_put(&ref->st, out);
	return 0;
}

/* CCP-C020: an on-premises CVM boots the image docker_archive names. */
void ccp_check_cc_docker_missing(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *at, *n;
		const char *env = ccp_cc_env(ctx->ccs[i].root, &at);
		ccp_diag *g;

		if (!env || strcmp(env, "onprem_cvm") != 0)
			continue;
		n = ccp_node_get(ctx->ccs[i].root, "docker_archive");
		if (n && !ccp_node_is_null(n))
			continue;   /* present: wrong types are the schema's */
		g = ccp_lint_report(ctx, "CCP-C020", at,
				    "compute_env 'onprem_cvm' without docker_archive: the CVM has no application image");
		ccp_diag_set_hint(g, "add docker_archive: FILE made with 'docker save IMAGE | gzip > FILE'");
	}
}

/* CCP-C021: the archive exists and is a readable regular file. */
void ccp_check_cc_docker_file(ccp_lint_ctx *ctx)
{
	size_t i;

	if (ctx->opts && ctx->opts->no_file_checks)
		return;
	for (i = 0; i < ctx->nccs; i++) {
		archive_ref ref;
		ccp_diag *g = NULL;
		char *near;

		if (archive_of(&ctx->ccs[i], &ref) < 0)
			continue;
		if (ref.err == ENOENT || ref.err == ENOTDIR)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' does not exist", ref.value);
		else if (ref.err)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' cannot be read: %s", ref.value,
					    strerror(ref.err));
		else if (!ref.regular)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' is not a regular file", ref.value);
		if (g && (ref.err == ENOENT || ref.err == ENOTDIR) &&
		    (near = ccp_path_nearest(ref.path)) != NULL) {
			ccp_diag_set_hint(g, "did you mean '%s'? looked for '%s'", near, ref.path);
			free(near);
		} else if (g && strcmp(ref.path, ref.value) != 0)
			ccp_diag_set_hint(g, "looked for '%s'; a relative path is relative to the cc_config's folder and '~' to $HOME",
					  ref.path);
		free(ref.path);
	}
}

/* CCP-C022: the archive is what `docker save` writes. */
void ccp_check_cc_docker_format(ccp_lint_ctx *ctx)
{
	size_t i;

	if (ctx->opts && ctx->opts->no_file_checks)
		return;
	for (i = 0; i < ctx->nccs; i++) {
		archive_ref ref;
		scan_result r;
		ccp_diag *g = NULL;

		if (archive_of(&ctx->ccs[i], &ref) < 0)
			continue;
		if (archive_scan(&ref, &r) == 0) {
			switch (r.status) {
			case SCAN_NOT_TAR:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' is not a tar archive, compressed or not",
						    ref.value);
				break;
			case SCAN_NO_MANIFEST:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' has no top-level manifest.json, so it is not a 'docker save' image",
						    ref.value);
				break;
			case SCAN_DAMAGED:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' is damaged: %s",
						    ref.value, r.error);
				break;
			case SCAN_IO:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' cannot be read as an archive: %s",
						    ref.value, r.error);
				break;
			default:
				break;
			}
		}
		if (g)
			ccp_diag_set_hint(g, "make it with 'docker save IMAGE | gzip > FILE'");
		free(ref.path);
	}
}

/* CCP-C023: the unpacked image fits on the root drive. */
void ccp_check_cc_docker_size(ccp_lint_ctx *ctx)
{
	size_t i;

	if (ctx->opts && ctx->opts->no_file_checks)
		return;
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *rd = ccp_node_get(ctx->ccs[i].root, "root_drive_size");
		long long gb;
		archive_ref ref;
		scan_result r;
		ccp_diag *g;

		if (ccp_node_int(rd, &gb) < 0 || gb <= 0 || gb > (1LL << 30))
			continue;
		if (archive_of(&ctx->ccs[i], &ref) < 0)
			continue;
		if (archive_scan(&ref, &r) == 0 &&
		    (r.status == SCAN_OK || r.status == SCAN_LIMIT) &&
		    r.bytes > (uint64_t)gb * GIB) {
			g = ccp_lint_report(ctx, "CCP-C023", rd,
					    "root_drive_size %lld GB cannot hold the docker image, which unpacks to %s%.1f GB",
					    gb, r.status == SCAN_LIMIT ? "at least " : "",
					    (double)r.bytes / (double)GIB);
			ccp_diag_set_hint(g, "raise root_drive_size to at least %llu, plus room for the system",
					  (unsigned long long)((r.bytes + GIB - 1) / GIB));
			ccp_diag_add_related(g, ref.node, "the image is '%s'", ref.value);
		}
		free(ref.path);
	}
}
