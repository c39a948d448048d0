/* SPDX-License-Identifier: Apache-2.0 */
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
#include <time.h>
#include <unistd.h>

#include "cc_common.h"
#include "checks.h"
#include "docker_scan.h"
#include "fsio.h"

/* A docker image has tens of top-level entries; stop well beyond that. */
#define SCAN_MAX_ENTRIES 100000
/* Stop once entries declare this much data. */
#define SCAN_MAX_BYTES ((uint64_t)256 << 30)
#define GIB ((uint64_t)1 << 30)
/*
 * A compressed archive is read, not seeked, so what it costs is what it
 * decompresses to. Docker layers shrink three- or fourfold; allow far
 * more, but not a gzip bomb's thousandfold (or a millionfold nested).
 */
#define SCAN_STREAM_RATIO 64
#define SCAN_STREAM_FLOOR ((uint64_t)256 << 20)
#define SCAN_MILLISECONDS 30000

typedef ccp_docker_scan scan_result;

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

typedef struct scan_state {
	struct archive *a;
	const ccp_docker_budget *budget;
	struct timespec deadline;
	int compressed;
	scan_result *r;
} scan_state;

static void set_deadline(scan_state *st)
{
	long ms = st->budget->milliseconds;

	clock_gettime(CLOCK_MONOTONIC, &st->deadline);
	st->deadline.tv_sec += ms / 1000;
	st->deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (st->deadline.tv_nsec >= 1000000000L) {
		st->deadline.tv_sec++;
		st->deadline.tv_nsec -= 1000000000L;
	}
}

/* Whether the budget is spent; fills the result when it is. */
static int over_budget(scan_state *st)
{
	struct timespec now;
	uint64_t read = (uint64_t)archive_filter_bytes(st->a, 0);

	if (st->budget->stream_bytes && st->compressed &&
	    read > st->budget->stream_bytes) {
		st->r->status = CCP_DOCKER_BUDGET;
		snprintf(st->r->error, sizeof(st->r->error),
			 "stopped after decompressing %llu MiB, the most ccprov reads from this archive",
			 (unsigned long long)(read >> 20));
		return 1;
	}
	if (!st->budget->milliseconds)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > st->deadline.tv_sec ||
	    (now.tv_sec == st->deadline.tv_sec && now.tv_nsec >= st->deadline.tv_nsec)) {
		st->r->status = CCP_DOCKER_BUDGET;
		snprintf(st->r->error, sizeof(st->r->error),
			 "stopped after %ld s, the longest ccprov spends reading one archive",
			 st->budget->milliseconds / 1000);
		return 1;
	}
	return 0;
}

static void damaged(scan_state *st, const char *what)
{
	const char *e = archive_error_string(st->a);

	st->r->status = CCP_DOCKER_DAMAGED;
	snprintf(st->r->error, sizeof(st->r->error), "%s", e ? e : what);
}

static const char *skip_dot_slash(const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	return name;
}

static int is_manifest(const char *name)
{
	static const char m[] = "manifest.json";

	name = skip_dot_slash(name);
	/* a folder's name can carry a trailing '/' */
	return strncmp(name, m, sizeof(m) - 1) == 0 &&
	       name[strspn(name + sizeof(m) - 1, "/") + sizeof(m) - 1] == '\0';
}

/*
 * Depth of a relative path below the archive's root, starting from depth;
 * -1 once it climbs above the root.
 */
static int path_depth(const char *p, int depth)
{
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return -1;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return depth;
}

/* Why an entry could write outside the folder it is unpacked in, or NULL. */
static const char *entry_unsafe(struct archive_entry *e, const char *name)
{
	const char *sym = archive_entry_symlink(e);
	const char *hard = archive_entry_hardlink(e);
	int depth;

	if (name[0] == '/')
		return "has an absolute path";
	depth = path_depth(name, 0);
	if (depth < 0)
		return "climbs out of the archive with '..'";
	if (is_manifest(name) && (sym || hard || archive_entry_filetype(e) != AE_IFREG))
		return "is manifest.json but not a regular file";
	if (hard && (hard[0] == '/' || path_depth(hard, 0) < 0))
		return "is a hard link to a file outside the archive";
	/* a symbolic link resolves from the folder that holds it */
	if (sym && (sym[0] == '/' || path_depth(sym, depth > 0 ? depth - 1 : 0) < 0))
		return "is a symbolic link that points outside the archive";
	return NULL;
}

/* Read an entry's data through the budget; 0, or -1 when the scan ends. */
static int drain(scan_state *st)
{
	const void *buf;
	size_t size;
	la_int64_t off;

	if (!st->compressed) {
		/* an uncompressed archive on disk is skipped by seeking */
		if (archive_read_data_skip(st->a) != ARCHIVE_OK) {
			damaged(st, "unreadable entry data");
			return -1;
		}
		return 0;
	}
	for (;;) {
		int rc = archive_read_data_block(st->a, &buf, &size, &off);

		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc != ARCHIVE_OK) {
			damaged(st, "unreadable entry data");
			return -1;
		}
		if (over_budget(st))
			return -1;
	}
}

static void scan_entries(scan_state *st)
{
	struct archive_entry *entry;
	size_t entries = 0;
	int manifest = 0, rc;
	scan_result *r = st->r;

	set_deadline(st);
	st->compressed = archive_filter_count(st->a) > 1;
	for (;;) {
		const char *name, *why;

		if (over_budget(st))
			return;
		rc = archive_read_next_header(st->a, &entry);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK) {
			/* a retry or warning means a damaged header: docker writes clean ones */
			if (entries || rc >= ARCHIVE_WARN || st->compressed)
				damaged(st, "unreadable archive");
			else {
				r->status = CCP_DOCKER_NOT_TAR;
				snprintf(r->error, sizeof(r->error), "%s",
					 archive_error_string(st->a) ?
					 archive_error_string(st->a) : "unreadable archive");
			}
			return;
		}
		entries++;
		name = archive_entry_pathname(entry);
		if (!name || !*name) {
			damaged(st, "an entry without a name");
			return;
		}
		why = entry_unsafe(entry, name);
		if (why) {
			r->status = CCP_DOCKER_UNSAFE;
			snprintf(r->error, sizeof(r->error), "entry '%.180s' %s", name, why);
			return;
		}
		if (is_manifest(name))
			manifest = 1;
		/* every entry type: links and special files can carry data too */
		if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0)
			r->bytes += (uint64_t)archive_entry_size(entry);
		if (entries >= SCAN_MAX_ENTRIES || r->bytes >= SCAN_MAX_BYTES) {
			/* the next header would read past this entry's data */
			r->status = CCP_DOCKER_LIMIT;
			return;
		}
		if (drain(st) < 0)
			return;
	}
	r->status = manifest ? CCP_DOCKER_OK : CCP_DOCKER_NO_MANIFEST;
}

/* A reader for the formats and compressions `docker load` takes. */
static struct archive *scan_reader(scan_result *r)
{
	struct archive *a = archive_read_new();

	memset(r, 0, sizeof(*r));
	if (!a) {
		r->status = CCP_DOCKER_IO;
		snprintf(r->error, sizeof(r->error), "out of memory");
		return NULL;
	}
	/*
	 * Built-in decoders only: without its library libarchive would run
	 * an external decompression program, which lint must never do.
	 */
	if (archive_zlib_version())
		archive_read_support_filter_gzip(a);
	if (archive_bzlib_version())
		archive_read_support_filter_bzip2(a);
	if (archive_liblzma_version())
		archive_read_support_filter_xz(a);
	if (archive_libzstd_version())
		archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	return a;
}

/* Whether data starts like a stream `docker load` would decompress. */
static int compressed_magic(const unsigned char *p, size_t n)
{
	static const struct { unsigned char m[6]; size_t n; } magic[] = {
		{ { 0x1f, 0x8b }, 2 },                          /* gzip */
		{ { 'B', 'Z', 'h' }, 3 },                       /* bzip2 */
		{ { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },      /* xz */
		{ { 0x28, 0xb5, 0x2f, 0xfd }, 4 },              /* zstd */
	};
	size_t i;

	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (n >= magic[i].n && memcmp(p, magic[i].m, magic[i].n) == 0)
			return 1;
	return 0;
}

static void open_failed(struct archive *a, const unsigned char *head,
			size_t nhead, scan_result *r)
{
	/* format detection runs at open: garbage fails here */
	int e = archive_errno(a);

	r->status = e == EIO || e == EACCES || e == ENOMEM || e == EISDIR ?
		    CCP_DOCKER_IO : CCP_DOCKER_NOT_TAR;
	/* a compressed stream that does not decompress is damaged, not foreign */
	if (r->status == CCP_DOCKER_NOT_TAR && compressed_magic(head, nhead))
		r->status = CCP_DOCKER_DAMAGED;
	snprintf(r->error, sizeof(r->error), "%s",
		 archive_error_string(a) ? archive_error_string(a) : "cannot open");
}

void ccp_docker_scan_file(const char *path, const ccp_docker_budget *budget,
			  ccp_docker_scan *out)
{
	scan_state st;
	struct stat sb;
	unsigned char head[8];
	ssize_t nhead;
	int fd;

	st.a = scan_reader(out);
	st.budget = budget;
	st.r = out;
	if (!st.a)
		return;
	/* O_NONBLOCK and a regular file only: a FIFO must not hang the run */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		out->status = CCP_DOCKER_IO;
		snprintf(out->error, sizeof(out->error), "%s",
			 fd < 0 ? strerror(errno) : "not a regular file");
		goto cleanup;
	}
	nhead = pread(fd, head, sizeof(head), 0);
	if (archive_read_open_fd(st.a, fd, (size_t)64 * 1024) != ARCHIVE_OK)
		open_failed(st.a, head, nhead > 0 ? (size_t)nhead : 0, out);
	else
		scan_entries(&st);
cleanup:
	archive_read_free(st.a);
	if (fd >= 0)
		close(fd);
}

void ccp_docker_scan_mem(const void *data, size_t len,
			 const ccp_docker_budget *budget, ccp_docker_scan *out)
{
	scan_state st;

	st.a = scan_reader(out);
	st.budget = budget;
	st.r = out;
	if (!st.a)
		return;
	if (archive_read_open_memory(st.a, data, len) != ARCHIVE_OK)
		open_failed(st.a, data, len, out);
	else
		scan_entries(&st);
	archive_read_free(st.a);
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
	ccp_docker_budget budget;

	if (cache_get(&ref->st, out))
		return 0;
	budget.stream_bytes = (uint64_t)ref->st.st_size * SCAN_STREAM_RATIO;
	if (budget.stream_bytes < SCAN_STREAM_FLOOR)
		budget.stream_bytes = SCAN_STREAM_FLOOR;
	budget.milliseconds = SCAN_MILLISECONDS;
	ccp_docker_scan_file(ref->path, &budget, out);
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
			case CCP_DOCKER_NOT_TAR:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' is not a tar archive, compressed or not",
						    ref.value);
				break;
			case CCP_DOCKER_NO_MANIFEST:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' has no top-level manifest.json, so it is not a 'docker save' image",
						    ref.value);
				break;
			case CCP_DOCKER_DAMAGED:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' is damaged: %s",
						    ref.value, r.error);
				break;
			case CCP_DOCKER_IO:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' cannot be read as an archive: %s",
						    ref.value, r.error);
				break;
			case CCP_DOCKER_UNSAFE:
				g = ccp_lint_report(ctx, "CCP-C022", ref.node,
						    "docker_archive '%s' is unsafe to unpack: %s",
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
		    (r.status == CCP_DOCKER_OK || r.status == CCP_DOCKER_LIMIT ||
		     r.status == CCP_DOCKER_BUDGET) &&
		    r.bytes > (uint64_t)gb * GIB) {
			g = ccp_lint_report(ctx, "CCP-C023", rd,
					    "root_drive_size %lld GB cannot hold the docker image, which unpacks to %s%.1f GB",
					    gb, r.status != CCP_DOCKER_OK ? "at least " : "",
					    (double)r.bytes / (double)GIB);
			ccp_diag_set_hint(g, "raise root_drive_size to at least %llu, plus room for the system",
					  (unsigned long long)((r.bytes + GIB - 1) / GIB));
			ccp_diag_add_related(g, ref.node, "the image is '%s'", ref.value);
		}
		free(ref.path);
	}
}

/* CCP-C024: the scan read the whole archive within its budget. */
void ccp_check_cc_docker_budget(ccp_lint_ctx *ctx)
{
	size_t i;

	if (ctx->opts && ctx->opts->no_file_checks)
		return;
	for (i = 0; i < ctx->nccs; i++) {
		archive_ref ref;
		scan_result r;
		ccp_diag *g;

		if (archive_of(&ctx->ccs[i], &ref) < 0)
			continue;
		if (archive_scan(&ref, &r) == 0 && r.status == CCP_DOCKER_BUDGET) {
			g = ccp_lint_report(ctx, "CCP-C024", ref.node,
					    "docker_archive '%s' was not read to its end: %s",
					    ref.value, r.error);
			ccp_diag_set_hint(g, "the size and format checks saw only its start; "
					  "a 'docker save | gzip' archive expands a few times, not a thousand");
		}
		free(ref.path);
	}
}
