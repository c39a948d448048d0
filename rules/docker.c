/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The application image of an on-premises CVM (docker_archive):
 * present, readable, a `docker save` archive, and small enough for the
 * root drive (CCP-C020..C023).
 *
 * Archives are read without extracting: headers only, summing entry
 * sizes, with bounds on entries and declared bytes. A plain or gzip'd
 * ustar or GNU tar of ordinary entries (what `docker save | gzip`
 * writes) is read by the small reader below; anything else, and any
 * doubt (a bad checksum, an extension header, a damaged stream, the
 * byte budget), goes to libarchive, which is loaded only then and gives
 * the verdict and its message. Many
 * sites usually share one archive, so scan results are cached by file
 * identity (device, inode, size, modification time) for the process:
 * the scan runs once however many cc_config files name the archive.
 */
#include <archive.h>
#include <archive_entry.h>
#include "archive_lazy.h"
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

#define ZLIB_CONST
#include <zlib.h>

#include "array.h"
#include "ccprov/buf.h"
#include "cc_common.h"
#include "checks.h"
#include "docker_scan.h"
#include "fsio.h"
#include "strmap.h"

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
/*
 * The time budget's clock starts once a scan has read this much or
 * looked this often: what comes before takes well under a millisecond,
 * and a small archive never reads the clock (whose first reading alone
 * maps the vDSO's data pages).
 */
#define CLOCK_AFTER_BYTES ((uint64_t)1 << 20)
#define CLOCK_AFTER_LOOKS 1024

typedef ccp_docker_scan scan_result;

/* ---- the process-wide cache ---- */

/*
 * A scan keyed by what identifies one version of a file: device, inode,
 * size and modification time (a rewritten file is a new key).
 */
#define CACHE_KEY_MAX 96
#define CACHE_MAX 65536

typedef struct cache_entry {
	char key[CACHE_KEY_MAX];
	scan_result result;
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
/* key -> cache_entry; all zero is an empty map (ccp_strmap_init) */
static ccp_strmap cache;

/* "dev:ino:size:mtime.ns", each in hex (printf is cold libc to map) */
static void cache_key(char key[CACHE_KEY_MAX], const struct stat *st)
{
	const unsigned long long part[5] = {
		(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
		(unsigned long long)st->st_size, (unsigned long long)st->st_mtim.tv_sec,
		(unsigned long long)st->st_mtim.tv_nsec,
	};
	size_t i, n = 0;

	for (i = 0; i < 5; i++) {
		n += ccp_buf_format_hex(key + n, part[i]);
		key[n++] = i == 3 ? '.' : ':';
	}
	key[n - 1] = '\0';
}

static int cache_get(const struct stat *st, scan_result *out)
{
	char key[CACHE_KEY_MAX];
	const cache_entry *e;

	cache_key(key, st);
	pthread_mutex_lock(&cache_lock);
	e = ccp_strmap_get(&cache, key);
	if (e)
		*out = e->result;
	pthread_mutex_unlock(&cache_lock);
	return e != NULL;
}

static void cache_put(const struct stat *st, const scan_result *r)
{
	cache_entry *e = NULL;

	pthread_mutex_lock(&cache_lock);
	if (cache.count < CACHE_MAX && (e = calloc(1, sizeof(*e)))) {
		cache_key(e->key, st);
		e->result = *r;
		/* a key already there (a scan of the same file in another
		 * thread) or one the map could not keep only costs a rescan */
		if (ccp_strmap_get(&cache, e->key) ||
		    ccp_strmap_set(&cache, e->key, e) < 0)
			free(e);
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- scanning ---- */

typedef struct scan_state {
	struct archive *a;
	const ccp_docker_budget *budget;
	struct timespec deadline;
	int clock_on;           /* deadline is set */
	unsigned looks;         /* budget checks before that */
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

/* Whether the budget is spent after read bytes; fills the result when it is. */
static int over_budget(scan_state *st, uint64_t read)
{
	struct timespec now;

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
	if (!st->clock_on) {
		if (read < CLOCK_AFTER_BYTES && ++st->looks < CLOCK_AFTER_LOOKS)
			return 0;
		set_deadline(st);
		st->clock_on = 1;
		return 0;
	}
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

/* What the checks read of an entry, from either reader. */
typedef struct entry_info {
	const char *name;
	const char *symlink;     /* NULL unless a symbolic link */
	const char *hardlink;    /* NULL unless a hard link */
	int regular;             /* a regular file */
	int size_set;
	int64_t size;
} entry_info;

/* Why an entry could write outside the folder it is unpacked in, or NULL. */
static const char *entry_unsafe(const entry_info *e)
{
	const char *name = e->name, *sym = e->symlink, *hard = e->hardlink;
	int depth;

	if (name[0] == '/')
		return "has an absolute path";
	depth = path_depth(name, 0);
	if (depth < 0)
		return "climbs out of the archive with '..'";
	if (is_manifest(name) && (sym || hard || !e->regular))
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
		if (over_budget(st, (uint64_t)archive_filter_bytes(st->a, 0)))
			return -1;
	}
}

/*
 * Count one entry; 0 to go on, -1 when the scan ends with the result
 * set. The name is not empty.
 */
static int take_entry(scan_state *st, const entry_info *e, size_t *entries,
		      int *manifest)
{
	scan_result *r = st->r;
	const char *why;

	(*entries)++;
	why = entry_unsafe(e);
	if (why) {
		r->status = CCP_DOCKER_UNSAFE;
		snprintf(r->error, sizeof(r->error), "entry '%.180s' %s", e->name, why);
		return -1;
	}
	if (is_manifest(e->name))
		*manifest = 1;
	/* every entry type: links and special files can carry data too */
	if (e->size_set && e->size > 0)
		r->bytes += (uint64_t)e->size;
	if (*entries >= SCAN_MAX_ENTRIES || r->bytes >= SCAN_MAX_BYTES) {
		/* the next header would read past this entry's data */
		r->status = CCP_DOCKER_LIMIT;
		return -1;
	}
	return 0;
}

static void scan_entries(scan_state *st)
{
	struct archive_entry *entry;
	size_t entries = 0;
	int manifest = 0, rc;
	scan_result *r = st->r;

	st->clock_on = 0;
	st->looks = 0;
	st->compressed = archive_filter_count(st->a) > 1;
	for (;;) {
		entry_info e;

		if (over_budget(st, (uint64_t)archive_filter_bytes(st->a, 0)))
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
		e.name = archive_entry_pathname(entry);
		if (!e.name || !*e.name) {
			entries++;
			damaged(st, "an entry without a name");
			return;
		}
		e.symlink = archive_entry_symlink(entry);
		e.hardlink = archive_entry_hardlink(entry);
		e.regular = archive_entry_filetype(entry) == AE_IFREG;
		e.size_set = archive_entry_size_is_set(entry);
		e.size = archive_entry_size(entry);
		if (take_entry(st, &e, &entries, &manifest) < 0 || drain(st) < 0)
			return;
	}
	r->status = manifest ? CCP_DOCKER_OK : CCP_DOCKER_NO_MANIFEST;
}

/* ---- the built-in reader: plain or gzip'd ustar and GNU tar ---- */

/*
 * What the reader returns when it cannot decide: libarchive reads the
 * archive again from its start and gives the verdict. The reader never
 * reports a damaged or foreign archive itself, so every such message is
 * libarchive's, as it was before the reader existed.
 */
#define TAR_ASK_LIBARCHIVE 1
#define TAR_BLOCK 512
#define TAR_CHUNK ((size_t)16 * 1024)
/* The most a gzip stream of one TAR_CHUNK may inflate to in one call. */
#define TAR_WHOLE_MAX ((size_t)1 << 20)

typedef struct tar_in {
	int fd;                        /* -1: read mem */
	const unsigned char *mem;
	size_t mem_len, mem_off;
	int gz;                        /* mem or fd is inflated as read */
	int compressed;                /* gz, or mem is what a gzip stream inflated to */
	z_stream z;
	int z_ready, z_end;
	uint64_t out;                  /* tar bytes read so far */
	unsigned char *raw;            /* TAR_CHUNK of compressed input, when gz */
	unsigned char *scratch;        /* TAR_CHUNK of skipped data, when gz */
	unsigned char *whole;          /* the inflated tar mem points to, or NULL */
} tar_in;

/* Up to n bytes of the file or memory; 0 at its end, -1 on error. */
static ssize_t raw_read(tar_in *in, unsigned char *buf, size_t n)
{
	ssize_t got;

	if (in->fd < 0) {
		size_t left = in->mem_len - in->mem_off;

		if (n > left)
			n = left;
		memcpy(buf, in->mem + in->mem_off, n);
		in->mem_off += n;
		return (ssize_t)n;
	}
	do
		got = read(in->fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Exactly n bytes of tar; -1 when the stream ends, fails or has more members. */
static int tar_read(tar_in *in, unsigned char *buf, size_t n)
{
	if (!in->gz) {
		size_t have = 0;

		while (have < n) {
			ssize_t got = raw_read(in, buf + have, n - have);

			if (got <= 0)
				return -1;
			have += (size_t)got;
		}
		in->out += n;
		return 0;
	}
	if (in->z_end)
		return -1;
	in->z.next_out = buf;
	in->z.avail_out = (uInt)n;
	while (in->z.avail_out) {
		int zr;

		if (!in->z.avail_in) {
			ssize_t got = raw_read(in, in->raw, TAR_CHUNK);

			if (got <= 0)
				return -1;
			in->z.next_in = in->raw;
			in->z.avail_in = (uInt)got;
		}
		zr = inflate(&in->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			in->z_end = 1;
			/* a second gzip member, or a stream that ends inside the tar */
			if (in->z.avail_out)
				return -1;
			break;
		}
		if (zr != Z_OK && !(zr == Z_BUF_ERROR && !in->z.avail_in))
			return -1;
	}
	in->out += n;
	return 0;
}

/* Whether the byte budget is spent: libarchive then says by how much. */
static int tar_over_bytes(const scan_state *st, const tar_in *in)
{
	return st->compressed && st->budget->stream_bytes &&
	       in->out > st->budget->stream_bytes;
}

/*
 * Whether the rest of a gzip stream decompresses cleanly to its end,
 * with nothing after it. libarchive decompresses ahead of the tar
 * reader and reports a damaged stream before the entries it holds; so
 * a verdict of the built-in reader stands only when the whole stream
 * is sound.
 */
static int tar_gz_sound(const scan_state *st, tar_in *in)
{
	unsigned char one;

	while (!in->z_end) {
		size_t before;

		in->z.next_out = in->scratch;
		in->z.avail_out = (uInt)TAR_CHUNK;
		before = in->z.avail_out;
		if (!in->z.avail_in) {
			ssize_t got = raw_read(in, in->raw, TAR_CHUNK);

			if (got <= 0)
				return 0;
			in->z.next_in = in->raw;
			in->z.avail_in = (uInt)got;
		}
		switch (inflate(&in->z, Z_NO_FLUSH)) {
		case Z_STREAM_END:
			in->z_end = 1;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			if (!in->z.avail_in)
				break;
			return 0;
		default:
			return 0;
		}
		in->out += before - in->z.avail_out;
		if (tar_over_bytes(st, in))
			return 0;
	}
	return !in->z.avail_in && raw_read(in, &one, 1) == 0;
}

/* Skip n bytes of entry data; 0, -1 when the scan ends, or TAR_ASK_LIBARCHIVE. */
static int tar_skip(scan_state *st, tar_in *in, uint64_t n)
{
	if (!in->gz && in->fd >= 0) {
		/* as libarchive does: seek, and let the next header find the end */
		if (n > (uint64_t)INT64_MAX || lseek(in->fd, (off_t)n, SEEK_CUR) < 0)
			return TAR_ASK_LIBARCHIVE;
		in->out += n;
		return 0;
	}
	if (!in->gz) {
		if (n > in->mem_len - in->mem_off)
			return TAR_ASK_LIBARCHIVE;
		in->mem_off += (size_t)n;
		in->out += n;
		return 0;
	}
	while (n) {
		size_t step = n < TAR_CHUNK ? (size_t)n : TAR_CHUNK;

		if (tar_read(in, in->scratch, step) < 0 || tar_over_bytes(st, in))
			return TAR_ASK_LIBARCHIVE;
		if (over_budget(st, in->out))
			return -1;
		n -= step;
	}
	return 0;
}

/* A numeric field: optional spaces, octal digits, then NUL or spaces. */
static int tar_octal(const unsigned char *f, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	while (i < n && f[i] == ' ')
		i++;
	if (i == n || f[i] < '0' || f[i] > '7')
		return -1;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (UINT64_MAX >> 3))
			return -1;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return -1;
	*out = v;
	return 0;
}

static int tar_zero(const unsigned char *b)
{
	size_t i;

	for (i = 0; i < TAR_BLOCK; i++)
		if (b[i])
			return 0;
	return 1;
}

/* A NUL-terminated copy of a name field, which may fill its width. */
static void tar_name(char *dst, const unsigned char *f, size_t n)
{
	memcpy(dst, f, n);
	dst[n] = '\0';
}

/*
 * One header block as an entry, or TAR_ASK_LIBARCHIVE for anything but
 * a checksummed ustar or GNU header of a file, folder or link with a
 * plain name: extension headers (pax, GNU long names), base-256 sizes,
 * name prefixes, old-style folders and links that carry data are rare
 * in `docker save` output and libarchive knows them.
 */
static int tar_header(const unsigned char *b, entry_info *e, char *name, char *link)
{
	static const char ustar[8] = { 'u', 's', 't', 'a', 'r', '\0', '0', '0' };
	static const char gnu[8] = { 'u', 's', 't', 'a', 'r', ' ', ' ', '\0' };
	uint64_t sum = 0, want, size;
	size_t i;
	char type = (char)b[156];

	for (i = 0; i < TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : b[i];
	if (tar_octal(b + 148, 8, &want) < 0 || want != sum)
		return TAR_ASK_LIBARCHIVE;
	if (memcmp(b + 257, gnu, 8) != 0 &&
	    (memcmp(b + 257, ustar, 8) != 0 || b[345] != '\0'))
		return TAR_ASK_LIBARCHIVE;
	if (tar_octal(b + 124, 12, &size) < 0 || size > (uint64_t)INT64_MAX)
		return TAR_ASK_LIBARCHIVE;
	tar_name(name, b, 100);
	tar_name(link, b + 157, 100);
	if (!name[0])
		return TAR_ASK_LIBARCHIVE;
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->size_set = 1;
	switch (type) {
	case '0':
	case '\0':
		if (name[strlen(name) - 1] == '/')
			return TAR_ASK_LIBARCHIVE;
		e->regular = 1;
		e->size = (int64_t)size;
		return 0;
	case '5':
		break;
	case '2':
		e->symlink = link;
		break;
	case '1':
		e->hardlink = link;
		break;
	default:
		return TAR_ASK_LIBARCHIVE;
	}
	return size ? TAR_ASK_LIBARCHIVE : 0;
}

/* The scan of what in holds; 0 with the result set, or TAR_ASK_LIBARCHIVE. */
static int tar_scan(scan_state *st, tar_in *in)
{
	unsigned char block[TAR_BLOCK];
	char name[101], link[101];
	size_t entries = 0;
	int manifest = 0, rc;
	scan_result *r = st->r;

	st->clock_on = 0;
	st->looks = 0;
	st->compressed = in->compressed;
	for (;;) {
		entry_info e;
		uint64_t data;

		if (over_budget(st, in->out))
			return 0;
		if (tar_read(in, block, TAR_BLOCK) < 0 || tar_over_bytes(st, in))
			return TAR_ASK_LIBARCHIVE;
		if (tar_zero(block)) {
			/* the end: two zero blocks after at least one entry */
			if (!entries || tar_read(in, block, TAR_BLOCK) < 0 || !tar_zero(block))
				return TAR_ASK_LIBARCHIVE;
			break;
		}
		rc = tar_header(block, &e, name, link);
		if (rc)
			return rc;
		if (take_entry(st, &e, &entries, &manifest) < 0)
			return 0;
		data = ((uint64_t)e.size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
		rc = tar_skip(st, in, data);
		if (rc)
			return rc < 0 ? 0 : rc;
	}
	r->status = manifest ? CCP_DOCKER_OK : CCP_DOCKER_NO_MANIFEST;
	return 0;
}

/*
 * The tar a small gzip stream in memory inflates to, inflated in one
 * call into a buffer of the size its trailer states (zlib then keeps
 * no window); NULL unless the stream is one sound member of exactly
 * that size with nothing after it. Two members, bytes after the member
 * or a trailer that lies are left to the streaming reader, which gives
 * them the verdict it always has.
 */
static unsigned char *tar_inflate_whole(const unsigned char *mem, size_t len,
					const ccp_docker_budget *budget, size_t *size)
{
	z_stream z;
	unsigned char *buf = NULL;
	size_t isize;

	/* a gzip header and trailer take 18 bytes */
	if (len < 18 || len > TAR_CHUNK)
		return NULL;
	isize = (size_t)mem[len - 4] | (size_t)mem[len - 3] << 8 |
		(size_t)mem[len - 2] << 16 | (size_t)mem[len - 1] << 24;
	/* within the byte budget: the verdict is then the streaming one */
	if (!isize || isize > TAR_WHOLE_MAX ||
	    (budget->stream_bytes && isize > budget->stream_bytes))
		return NULL;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return NULL;
	buf = malloc(isize);
	if (!buf)
		goto cleanup;
	z.next_in = mem;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)isize;
	if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != isize || z.avail_in) {
		free(buf);
		buf = NULL;
	}
cleanup:
	inflateEnd(&z);
	*size = isize;
	return buf;
}

/* Ready in to read the tar fd or mem holds; 0, or -1 out of memory. */
static int tar_in_init(tar_in *in, int fd, const unsigned char *mem, size_t len,
		       int gz, const ccp_docker_budget *budget)
{
	size_t size;

	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->mem = mem;
	in->mem_len = len;
	in->gz = in->compressed = gz;
	if (!gz)
		return 0;
	if (fd < 0 && (in->whole = tar_inflate_whole(mem, len, budget, &size)) != NULL) {
		/* read as a plain tar in memory, and budgeted as a compressed one */
		in->gz = 0;
		in->mem = in->whole;
		in->mem_len = size;
		return 0;
	}
	/* not calloc: the buffers need no zeroing, and a run reads one archive */
	in->raw = malloc(TAR_CHUNK);
	in->scratch = malloc(TAR_CHUNK);
	if (!in->raw || !in->scratch || inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	in->z_ready = 1;
	return 0;
}

/*
 * Scan a plain or gzip'd tar held in fd (from its current offset) or in
 * mem; 0 with out set, or TAR_ASK_LIBARCHIVE (out then undefined).
 */
static int tar_try(int fd, const unsigned char *mem, size_t len,
		   const unsigned char *head, size_t nhead,
		   const ccp_docker_budget *budget, scan_result *out)
{
	scan_state st;
	tar_in *in;
	int rc = TAR_ASK_LIBARCHIVE;
	int gz = nhead >= 2 && head[0] == 0x1f && head[1] == 0x8b;

	/* gzip, or an uncompressed ustar or GNU header */
	if (!gz && !(nhead >= 262 && memcmp(head + 257, "ustar", 5) == 0))
		return TAR_ASK_LIBARCHIVE;
	in = malloc(sizeof(*in));
	if (!in)
		return TAR_ASK_LIBARCHIVE;
	if (tar_in_init(in, fd, mem, len, gz, budget) < 0)
		goto cleanup;
	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.budget = budget;
	st.r = out;
	rc = tar_scan(&st, in);
	/* a verdict on time stands: reading on would only take longer */
	if (rc == 0 && in->gz && out->status != CCP_DOCKER_BUDGET && !tar_gz_sound(&st, in))
		rc = TAR_ASK_LIBARCHIVE;
cleanup:
	if (in->z_ready)
		inflateEnd(&in->z);
	free(in->raw);
	free(in->scratch);
	free(in->whole);
	free(in);
	return rc;
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

/*
 * A file smaller than one read is read whole, by one read whose falling
 * short of its buffer is the file's end, and scanned from memory. 0 with
 * out set, or -1 to read it as a large one: it is then at its start.
 */
static int scan_small(int fd, size_t size, const ccp_docker_budget *budget,
		      scan_result *out)
{
	unsigned char *buf = malloc(size + 1);
	ssize_t got = -1;

	if (buf) {
		do
			got = read(fd, buf, size + 1);
		while (got < 0 && errno == EINTR);
		/* not the size fstat gave: read it as before, whatever it is now */
		if (got == (ssize_t)size)
			ccp_docker_scan_mem(buf, size, budget, out);
		free(buf);
	}
	if (got == (ssize_t)size)
		return 0;
	/* a failed or empty read left the offset where it was */
	if (got > 0 && lseek(fd, 0, SEEK_SET) != 0) {
		out->status = CCP_DOCKER_IO;
		snprintf(out->error, sizeof(out->error), "%s", strerror(errno));
		return 0;
	}
	return -1;
}

/* Scan the regular file of size bytes (fstat's) open at fd, at its start. */
static void scan_fd(int fd, off_t size, const ccp_docker_budget *budget,
		    ccp_docker_scan *out)
{
	scan_state st;
	unsigned char head[TAR_BLOCK];
	ssize_t nhead;

	memset(out, 0, sizeof(*out));
	if (size >= 0 && (uint64_t)size < TAR_CHUNK &&
	    scan_small(fd, (size_t)size, budget, out) == 0)
		return;
	memset(&st, 0, sizeof(st));
	st.budget = budget;
	st.r = out;
	nhead = pread(fd, head, sizeof(head), 0);
	if (tar_try(fd, NULL, 0, head, nhead > 0 ? (size_t)nhead : 0, budget, out) == 0)
		goto cleanup;
	st.a = scan_reader(out);
	if (!st.a)
		goto cleanup;
	if (lseek(fd, 0, SEEK_SET) != 0) {
		out->status = CCP_DOCKER_IO;
		snprintf(out->error, sizeof(out->error), "%s", strerror(errno));
		goto cleanup;
	}
	if (archive_read_open_fd(st.a, fd, (size_t)64 * 1024) != ARCHIVE_OK)
		open_failed(st.a, head, nhead > 0 ? (size_t)nhead : 0, out);
	else
		scan_entries(&st);
cleanup:
	if (st.a)
		archive_read_free(st.a);
}

void ccp_docker_scan_file(const char *path, const ccp_docker_budget *budget,
			  ccp_docker_scan *out)
{
	struct stat sb;
	int fd;

	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK and a regular file only: a FIFO must not hang the run */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		out->status = CCP_DOCKER_IO;
		snprintf(out->error, sizeof(out->error), "%s",
			 fd < 0 ? strerror(errno) : "not a regular file");
	} else {
		scan_fd(fd, sb.st_size, budget, out);
	}
	if (fd >= 0)
		close(fd);
}

void ccp_docker_scan_mem(const void *data, size_t len,
			 const ccp_docker_budget *budget, ccp_docker_scan *out)
{
	scan_state st;

	if (tar_try(-1, data, len, data, len, budget, out) == 0)
		return;
	memset(&st, 0, sizeof(st));
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

/* What the checks read of one archive file, once per run. */
typedef struct archive_file {
	char *path;             /* resolved */
	struct stat st;
	int err;                /* errno of open/stat, or 0 */
	int regular;            /* and then scan is filled */
	scan_result scan;
} archive_file;

/* Per run: every cc_config of a thousand sites may name one archive. */
struct ccp_archive_refs {
	ccp_strmap by_path;     /* resolved path -> archive_file */
	archive_file **files;
	size_t nfiles, cap;
};

typedef struct archive_ref {
	const ccp_node *node;   /* the docker_archive value */
	const char *value;
	archive_file *file;     /* owned by ctx->archives */
} archive_ref;

void ccp_archive_refs_free(struct ccp_archive_refs *refs)
{
	size_t i;

	if (!refs)
		return;
	for (i = 0; i < refs->nfiles; i++) {
		free(refs->files[i]->path);
		free(refs->files[i]);
	}
	free(refs->files);
	ccp_strmap_release(&refs->by_path);
	free(refs);
}

/*
 * The scan of the regular file a is, open at fd: once per process for
 * one version of a file (provision lints twice).
 */
static void archive_file_scan(archive_file *a, int fd)
{
	ccp_docker_budget budget;

	if (cache_get(&a->st, &a->scan))
		return;
	budget.stream_bytes = (uint64_t)a->st.st_size * SCAN_STREAM_RATIO;
	if (budget.stream_bytes < SCAN_STREAM_FLOOR)
		budget.stream_bytes = SCAN_STREAM_FLOOR;
	budget.milliseconds = SCAN_MILLISECONDS;
	scan_fd(fd, a->st.st_size, &budget, &a->scan);
	cache_put(&a->st, &a->scan);
}

/*
 * Open, stat and scan the file at path (taken over), or NULL out of
 * memory. The one open serves every check: the scan reads the file it
 * stat'ed, and no other.
 */
static archive_file *archive_file_new(struct ccp_archive_refs *refs, char *path)
{
	archive_file *a = calloc(1, sizeof(*a));
	int fd;

	if (!a || ccp_grow(&refs->files, &refs->cap, refs->nfiles + 1,
			   sizeof(*refs->files)) < 0) {
		free(a);
		free(path);
		return NULL;
	}
	a->path = path;
	/* O_NONBLOCK: a FIFO named by mistake must not hang the run */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		a->err = errno;
		if (stat(path, &a->st) == 0 && !S_ISREG(a->st.st_mode)) {
			a->err = 0;
			a->regular = 0;
		}
	} else {
		if (fstat(fd, &a->st) < 0)
			a->err = errno;
		else if ((a->regular = S_ISREG(a->st.st_mode)) != 0)
			archive_file_scan(a, fd);
		close(fd);
	}
	refs->files[refs->nfiles++] = a;
	return a;
}

/*
 * The archive a cc_config names, opened once per run whatever the
 * number of checks and cc_configs naming it. Returns 0 when the file
 * has a docker_archive string (ref filled), -1 otherwise.
 */
static int archive_of(ccp_lint_ctx *ctx, const ccp_cc_file *f, archive_ref *ref)
{
	const ccp_node *n = ccp_node_get(f->root, "docker_archive");
	const char *v = n && n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_STR ?
			ccp_node_str(n) : NULL;
	char *path;

	memset(ref, 0, sizeof(*ref));
	if (!v || !*v || strlen(v) != n->len)
		return -1;
	if (!ctx->archives && !(ctx->archives = calloc(1, sizeof(*ctx->archives))))
		return -1;
	ref->node = n;
	ref->value = v;
	path = ccp_lint_resolve(f->dir, v);
	if (!path)
		return -1;
	ref->file = (archive_file *)ccp_strmap_get(&ctx->archives->by_path, path);
	if (ref->file) {
		free(path);
		return 0;
	}
	ref->file = archive_file_new(ctx->archives, path);
	if (!ref->file)
		return -1;
	/* a key the map could not keep only costs another open */
	ccp_strmap_put(&ctx->archives->by_path, ref->file->path, ref->file);
	return 0;
}

/* The scan of a readable regular archive, made when it was opened. */
static int archive_scan(const archive_ref *ref, scan_result *out)
{
	const archive_file *a = ref->file;

	if (a->err || !a->regular)
		return -1;
	*out = a->scan;
	return 0;
}

/* CCP-C020: an on-premises CVM boots the image docker_archive names. */
void ccp_check_cc_docker_missing(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_nvf_env *env = ctx->ccs[i].env;
		const ccp_node *n;
		ccp_diag *g;

		if (!env || strcmp(env->name, "onprem_cvm") != 0)
			continue;
		n = ccp_node_get(ctx->ccs[i].root, "docker_archive");
		if (n && !ccp_node_is_null(n))
			continue;   /* present: wrong types are the schema's */
		g = ccp_lint_report(ctx, "CCP-C020", ctx->ccs[i].compute_env_at,
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

		if (archive_of(ctx, &ctx->ccs[i], &ref) < 0)
			continue;
		if (ref.file->err == ENOENT || ref.file->err == ENOTDIR)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' does not exist", ref.value);
		else if (ref.file->err)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' cannot be read: %s", ref.value,
					    strerror(ref.file->err));
		else if (!ref.file->regular)
			g = ccp_lint_report(ctx, "CCP-C021", ref.node,
					    "docker_archive '%s' is not a regular file", ref.value);
		if (g && (ref.file->err == ENOENT || ref.file->err == ENOTDIR) &&
		    (near = ccp_path_nearest(ref.file->path)) != NULL) {
			ccp_diag_set_hint(g, "did you mean '%s'? looked for '%s'", near, ref.file->path);
			free(near);
		} else if (g && strcmp(ref.file->path, ref.value) != 0)
			ccp_diag_set_hint(g, "looked for '%s'; a relative path is relative to the cc_config's folder and '~' to $HOME",
					  ref.file->path);
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

		if (archive_of(ctx, &ctx->ccs[i], &ref) < 0)
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
		if (archive_of(ctx, &ctx->ccs[i], &ref) < 0)
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

		if (archive_of(ctx, &ctx->ccs[i], &ref) < 0)
			continue;
		if (archive_scan(&ref, &r) == 0 && r.status == CCP_DOCKER_BUDGET) {
			g = ccp_lint_report(ctx, "CCP-C024", ref.node,
					    "docker_archive '%s' was not read to its end: %s",
					    ref.value, r.error);
			ccp_diag_set_hint(g, "the size and format checks saw only its start; "
					  "a 'docker save | gzip' archive expands a few times, not a thousand");
		}
	}
}
