/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The docker_archive scanner: verdicts on archives built in memory and
 * in files, every unsafe entry kind, damaged streams, gzip members and
 * trailing bytes, and the byte and time budgets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "ccprov/lint.h"
#include "docker_scan.h"

/*
 * The scanner's clock_gettime resolves to this one, which counts its
 * readings; with fake_step_ms set it returns a clock that moves on that
 * much at each reading, so a time budget runs out after a known number
 * of readings however fast the machine is.
 */
static unsigned clock_reads;
static long fake_step_ms;
static struct timespec fake_now;

int clock_gettime(clockid_t id, struct timespec *tp)
{
	clock_reads++;
	if (!fake_step_ms)
		return (int)syscall(SYS_clock_gettime, id, tp);
	fake_now.tv_sec += fake_step_ms / 1000;
	fake_now.tv_nsec += fake_step_ms % 1000 * 1000000L;
	if (fake_now.tv_nsec >= 1000000000L) {
		fake_now.tv_sec++;
		fake_now.tv_nsec -= 1000000000L;
	}
	*tp = fake_now;
	return 0;
}

/* And its open: how often it opens a path ending in watched. */
static const char *watched;
static unsigned watched_opens;

int open(const char *path, int flags, ...)
{
	unsigned mode = 0;
	size_t n = strlen(path), w = watched ? strlen(watched) : 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, unsigned);
		va_end(ap);
	}
	if (watched && n >= w && strcmp(path + n - w, watched) == 0)
		watched_opens++;
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

#define CAP ((size_t)2 << 20)

typedef struct tarball {
	struct archive *w;
	unsigned char *buf;
	size_t used;
} tarball;

static void tb_open(tarball *t, int gzip)
{
	t->buf = malloc(CAP);
	assert_non_null(t->buf);
	t->used = 0;
	t->w = archive_write_new();
	assert_non_null(t->w);
	assert_int_equal(archive_write_set_format_pax_restricted(t->w), ARCHIVE_OK);
	if (gzip)
		assert_int_equal(archive_write_add_filter_gzip(t->w), ARCHIVE_OK);
	assert_int_equal(archive_write_set_bytes_in_last_block(t->w, 1), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(t->w, t->buf, CAP, &t->used),
			 ARCHIVE_OK);
}

/* Add an entry: type AE_IFREG with size bytes of zeros, or a link. */
static void tb_add(tarball *t, const char *name, unsigned type, size_t size,
		   const char *symlink, const char *hardlink)
{
	struct archive_entry *e = archive_entry_new();
	static const char zeros[65536];

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	if (symlink)
		archive_entry_set_symlink(e, symlink);
	if (hardlink)
		archive_entry_set_hardlink(e, hardlink);
	assert_int_equal(archive_write_header(t->w, e), ARCHIVE_OK);
	while (type == AE_IFREG && !hardlink && size) {
		size_t n = size < sizeof(zeros) ? size : sizeof(zeros);

		assert_true(archive_write_data(t->w, zeros, n) == (la_ssize_t)n);
		size -= n;
	}
	archive_entry_free(e);
}

static void tb_close(tarball *t)
{
	assert_int_equal(archive_write_close(t->w), ARCHIVE_OK);
	archive_write_free(t->w);
}

static const ccp_docker_budget roomy = { 1u << 30, 60000 };

static ccp_docker_status scan(const tarball *t, const ccp_docker_budget *b,
			      ccp_docker_scan *r)
{
	ccp_docker_scan_mem(t->buf, t->used, b, r);
	return r->status;
}

static void test_good_archive(void **state)
{
	tarball t;
	ccp_docker_scan r;

	(void)state;
	tb_open(&t, 1);
	tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	tb_add(&t, "abc", AE_IFDIR, 0, NULL, NULL);
	tb_add(&t, "abc/layer.tar", AE_IFREG, 3000, NULL, NULL);
	/* docker save links shared layers to one another: inside is fine */
	tb_add(&t, "def/layer.tar", AE_IFLNK, 0, "../abc/layer.tar", NULL);
	tb_add(&t, "ghi/layer.tar", AE_IFREG, 0, NULL, "abc/layer.tar");
	tb_close(&t);
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_OK);
	assert_true(r.bytes >= 3010);
	free(t.buf);
}

static void test_unsafe_entries(void **state)
{
	static const struct {
		const char *name;
		unsigned type;
		const char *sym, *hard, *why;
	} cases[] = {
		{ "../../etc/cron.d/x", AE_IFREG, NULL, NULL, "climbs out" },
		{ "a/../../x", AE_IFREG, NULL, NULL, "climbs out" },
		{ "/etc/passwd", AE_IFREG, NULL, NULL, "absolute" },
		{ "l/passwd", AE_IFLNK, "/etc/passwd", NULL, "symbolic link" },
		{ "l/up", AE_IFLNK, "../../x", NULL, "symbolic link" },
		{ "top", AE_IFLNK, "..", NULL, "symbolic link" },
		{ "h", AE_IFREG, NULL, "../x", "hard link" },
		{ "h", AE_IFREG, NULL, "/etc/shadow", "hard link" },
		{ "manifest.json", AE_IFLNK, "config.json", NULL, "manifest.json" },
		{ "./manifest.json", AE_IFDIR, NULL, NULL, "manifest.json" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tarball t;
		ccp_docker_scan r;

		tb_open(&t, 0);
		tb_add(&t, "config.json", AE_IFREG, 2, NULL, NULL);
		tb_add(&t, cases[i].name, cases[i].type, 0, cases[i].sym, cases[i].hard);
		tb_close(&t);
		if (scan(&t, &roomy, &r) != CCP_DOCKER_UNSAFE)
			fail_msg("case %zu '%s': status %d", i, cases[i].name, r.status);
		assert_non_null(strstr(r.error, cases[i].why));
		free(t.buf);
	}
}

static void test_damaged(void **state)
{
	tarball t;
	ccp_docker_scan r;
	unsigned char junk[64];

	(void)state;
	tb_open(&t, 1);
	tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	tb_add(&t, "layer.tar", AE_IFREG, 200000, NULL, NULL);
	tb_close(&t);
	/* cut short, as by an interrupted download */
	t.used -= 20;
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_DAMAGED);
	free(t.buf);

	/* a header checksum that does not match */
	tb_open(&t, 0);
	tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	tb_add(&t, "layer.tar", AE_IFREG, 10, NULL, NULL);
	tb_close(&t);
	t.buf[1024 + 1] ^= 0x55;
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_DAMAGED);
	free(t.buf);

	/* not an archive at all */
	memset(junk, 'x', sizeof(junk));
	ccp_docker_scan_mem(junk, sizeof(junk), &roomy, &r);
	assert_int_equal(r.status, CCP_DOCKER_NOT_TAR);
}

static void test_budgets(void **state)
{
	static const ccp_docker_budget small = { 1u << 20, 60000 };
	static const ccp_docker_budget instant = { 0, 1 };
	tarball t;
	ccp_docker_scan r;

	(void)state;
	/* 8 MB of zeros, gzipped to a few KB */
	tb_open(&t, 1);
	tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	tb_add(&t, "layer.tar", AE_IFREG, 8u << 20, NULL, NULL);
	tb_add(&t, "later.tar", AE_IFREG, 10, NULL, NULL);
	tb_close(&t);
	assert_true(t.used < 64 * 1024);
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_OK);
	/* the byte budget stops inside the big entry, not after it */
	assert_int_equal(scan(&t, &small, &r), CCP_DOCKER_BUDGET);
	assert_non_null(strstr(r.error, "decompressing"));
	assert_true(r.bytes >= 8u << 20);
	/* and so does the time budget */
	assert_int_equal(scan(&t, &instant, &r), CCP_DOCKER_BUDGET);
	assert_non_null(strstr(r.error, "stopped after"));
	free(t.buf);
}

static void test_garbage_after_entry(void **state)
{
	static unsigned char raw[4096];
	ccp_docker_scan r;
	unsigned sum = 0, k;

	(void)state;
	/*
	 * A FIFO entry declaring data, then garbage where the next header
	 * should be: libarchive asks to retry past it, block by block, which
	 * over a decompressed bomb never ends. It is damage, and stops here.
	 */
	memset(raw, 0, sizeof(raw));
	strcpy((char *)raw, "fifo");
	memcpy(raw + 100, "0000644", 7);
	memcpy(raw + 124, "00000001000", 11);
	raw[156] = '6';
	memcpy(raw + 257, "ustar", 6);
	memcpy(raw + 263, "00", 2);
	memset(raw + 148, ' ', 8);
	for (k = 0; k < 512; k++)
		sum += raw[k];
	snprintf((char *)raw + 148, 8, "%06o", sum);
	memset(raw + 512, 'A', 1024);
	ccp_docker_scan_mem(raw, sizeof(raw), &roomy, &r);
	assert_int_equal(r.status, CCP_DOCKER_DAMAGED);
}

static void test_damage_behind_a_verdict(void **state)
{
	tarball t;
	ccp_docker_scan r;

	(void)state;
	/*
	 * The first entry alone is unsafe, but the gzip stream is cut short
	 * further on. libarchive decompresses ahead and calls the archive
	 * damaged; the built-in reader, which stops at the entry, must not
	 * give another verdict for the same file.
	 */
	tb_open(&t, 1);
	tb_add(&t, "./manifest.json", AE_IFDIR, 0, NULL, NULL);
	tb_add(&t, "layer.tar", AE_IFREG, 20000, NULL, NULL);
	tb_close(&t);
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_UNSAFE);
	t.used -= 20;
	assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_DAMAGED);
	free(t.buf);
}

static void test_extended_headers(void **state)
{
	/* over the 100 bytes of a ustar name field: pax headers */
#define LONG_DIR "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" \
		 "0123456789abcdef0123456789abcdef"
	int gzip;

	(void)state;
	for (gzip = 0; gzip <= 1; gzip++) {
		tarball t;
		ccp_docker_scan r;

		tb_open(&t, gzip);
		tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
		tb_add(&t, LONG_DIR, AE_IFDIR, 0, NULL, NULL);
		tb_add(&t, LONG_DIR "/layer.tar", AE_IFREG, 3000, NULL, NULL);
		tb_add(&t, "link.tar", AE_IFLNK, 0, LONG_DIR "/layer.tar", NULL);
		tb_add(&t, "last.tar", AE_IFREG, 7, NULL, NULL);
		tb_close(&t);
		assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_OK);
		assert_int_equal(r.bytes, 3017);
		free(t.buf);
		/* and one that climbs out, behind a long name */
		tb_open(&t, gzip);
		tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
		tb_add(&t, LONG_DIR "/x", AE_IFLNK, 0, "../../" LONG_DIR, NULL);
		tb_close(&t);
		assert_int_equal(scan(&t, &roomy, &r), CCP_DOCKER_UNSAFE);
		free(t.buf);
	}
#undef LONG_DIR
}

/* Append a gzip member holding n bytes of in to out (cap bytes, *used so far). */
static void gz_member(unsigned char *out, size_t cap, size_t *used,
		      const unsigned char *in, size_t n)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out + *used;
	z.avail_out = (uInt)(cap - *used);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*used += z.total_out;
	deflateEnd(&z);
}

/* The verdict on data scanned in memory, and the same from a file. */
static ccp_docker_status scan_both(const unsigned char *data, size_t len,
				   const ccp_docker_budget *b, ccp_docker_scan *r)
{
	char path[] = "/tmp/test_docker.XXXXXX";
	ccp_docker_scan from_file;
	int fd;

	ccp_docker_scan_mem(data, len, b, r);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, data, len) == (ssize_t)len);
	close(fd);
	ccp_docker_scan_file(path, b, &from_file);
	unlink(path);
	if (from_file.status != r->status || strcmp(from_file.error, r->error) != 0 ||
	    from_file.bytes != r->bytes)
		fail_msg("file: status %d '%s', memory: status %d '%s'", from_file.status,
			 from_file.error, r->status, r->error);
	return r->status;
}

/* A plain tar of a manifest and a layer of size bytes, in t->buf. */
static void small_tar(tarball *t, size_t size)
{
	tb_open(t, 0);
	tb_add(t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	tb_add(t, "layer.tar", AE_IFREG, size, NULL, NULL);
	tb_close(t);
}

static void test_gzip_members_and_trailing_bytes(void **state)
{
	/*
	 * What `cat a.gz b.gz` or a download with bytes after its end
	 * gives: libarchive reads every member and ignores what follows,
	 * and so a small archive read whole must too. The verdicts are
	 * those ccprov always gave.
	 */
	static const size_t layers[] = { 3000, 200000, (1u << 20) - 4096, (1u << 20) + 4096 };
	unsigned char *gz = malloc(CAP);
	size_t i;

	(void)state;
	assert_non_null(gz);
	for (i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		tarball t;
		ccp_docker_scan r;
		size_t n = 0, one;

		small_tar(&t, layers[i]);
		gz_member(gz, CAP, &n, t.buf, t.used);
		one = n;
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		assert_int_equal(r.bytes, 10 + layers[i]);
		/* the tar split across two members, mid-entry */
		n = 0;
		gz_member(gz, CAP, &n, t.buf, 1536);
		gz_member(gz, CAP, &n, t.buf + 1536, t.used - 1536);
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		assert_int_equal(r.bytes, 10 + layers[i]);
		/* the whole tar twice, and an empty member after it */
		n = 0;
		gz_member(gz, CAP, &n, t.buf, t.used);
		gz_member(gz, CAP, &n, t.buf, t.used);
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		n = one;
		gz_member(gz, CAP, &n, t.buf, 0);
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		/* junk, one NUL, a gzip magic after the member */
		memcpy(gz + one, "junk", 4);
		assert_int_equal(scan_both(gz, one + 4, &roomy, &r), CCP_DOCKER_OK);
		gz[one] = 0;
		assert_int_equal(scan_both(gz, one + 1, &roomy, &r), CCP_DOCKER_OK);
		memcpy(gz + one, "\x1f\x8b", 2);
		assert_int_equal(scan_both(gz, one + 2, &roomy, &r), CCP_DOCKER_OK);
		/* a trailer whose length is wrong: libarchive does not check it */
		n = 0;
		gz_member(gz, CAP, &n, t.buf, t.used);
		gz[n - 4] ^= 0x02;
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		gz[n - 4] ^= 0x02;
		gz[n - 1] = 0x7f;
		assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
		free(t.buf);
	}
	free(gz);
}

static void test_junk_behind_an_unsafe_entry(void **state)
{
	tarball t;
	ccp_docker_scan r;
	unsigned char gz[4096];
	size_t n = 0;

	(void)state;
	tb_open(&t, 0);
	tb_add(&t, "../evil", AE_IFREG, 3, NULL, NULL);
	tb_close(&t);
	gz_member(gz, sizeof(gz), &n, t.buf, t.used);
	assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_UNSAFE);
	memcpy(gz + n, "xx", 2);
	assert_int_equal(scan_both(gz, n + 2, &roomy, &r), CCP_DOCKER_UNSAFE);
	assert_non_null(strstr(r.error, "climbs out"));
	/* and a second member behind it */
	gz_member(gz, sizeof(gz), &n, t.buf, t.used);
	assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_UNSAFE);
	free(t.buf);
}

static void test_files(void **state)
{
	tarball t;
	ccp_docker_scan r;
	struct archive_entry *e;
	unsigned char *rnd = malloc(40000), *gz = malloc(CAP);
	size_t n = 0, k;
	unsigned x = 1;

	(void)state;
	assert_non_null(rnd);
	assert_non_null(gz);
	/* empty */
	assert_int_equal(scan_both((const unsigned char *)"", 0, &roomy, &r),
			 CCP_DOCKER_NOT_TAR);
	/* plain, larger than one read */
	small_tar(&t, 100000);
	assert_true(t.used > 16 * 1024);
	assert_int_equal(scan_both(t.buf, t.used, &roomy, &r), CCP_DOCKER_OK);
	free(t.buf);
	/* gzip'd, and incompressible: more than one read of gzip */
	for (k = 0; k < 40000; k++) {
		x = x * 1103515245u + 12345u;
		rnd[k] = (unsigned char)(x >> 16);
	}
	tb_open(&t, 0);
	tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
	e = archive_entry_new();
	archive_entry_set_pathname(e, "layer.tar");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, 40000);
	assert_int_equal(archive_write_header(t.w, e), ARCHIVE_OK);
	assert_true(archive_write_data(t.w, rnd, 40000) == 40000);
	archive_entry_free(e);
	tb_close(&t);
	gz_member(gz, CAP, &n, t.buf, t.used);
	assert_true(n > 32 * 1024);
	assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_OK);
	memcpy(gz + n, "junk", 4);
	assert_int_equal(scan_both(gz, n + 4, &roomy, &r), CCP_DOCKER_OK);
	n -= 20;
	assert_int_equal(scan_both(gz, n, &roomy, &r), CCP_DOCKER_DAMAGED);
	free(t.buf);
	free(rnd);
	free(gz);
}

static void test_clock_starts_late(void **state)
{
	static const ccp_docker_budget timed = { 0, 5000 };
	tarball t;
	ccp_docker_scan r;
	int gzip;
	size_t i;

	(void)state;
	/*
	 * A small archive, read by the built-in reader or by libarchive
	 * (a pax header), is done before the clock would start: it never
	 * reads it.
	 */
	for (gzip = 0; gzip <= 1; gzip++) {
		tb_open(&t, gzip);
		tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
		tb_add(&t, "layer.tar", AE_IFREG, 3000, NULL, NULL);
		tb_close(&t);
		clock_reads = 0;
		assert_int_equal(scan(&t, &timed, &r), CCP_DOCKER_OK);
		assert_int_equal(clock_reads, 0);
		free(t.buf);
		tb_open(&t, gzip);
		tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
		tb_add(&t, "long-name-0123456789abcdef0123456789abcdef0123456789abcdef"
			   "0123456789abcdef0123456789abcdef", AE_IFREG, 3000, NULL, NULL);
		tb_close(&t);
		clock_reads = 0;
		assert_int_equal(scan(&t, &timed, &r), CCP_DOCKER_OK);
		assert_int_equal(clock_reads, 0);
		free(t.buf);
	}
	/*
	 * A large one starts it, and its time budget still stops it: with a
	 * clock that moves a second per reading, five readings after the
	 * first. Decompressed bytes start it for either reader...
	 */
	fake_step_ms = 1000;
	for (i = 0; i < 2; i++) {
		tb_open(&t, 1);
		tb_add(&t, "manifest.json", AE_IFREG, 10, NULL, NULL);
		tb_add(&t, i ? "long-name-0123456789abcdef0123456789abcdef0123456789abcdef"
			       "0123456789abcdef0123456789abcdef" : "layer.tar",
		       AE_IFREG, 8u << 20, NULL, NULL);
		tb_add(&t, "later.tar", AE_IFREG, 10, NULL, NULL);
		tb_close(&t);
		clock_reads = 0;
		if (scan(&t, &timed, &r) != CCP_DOCKER_BUDGET)
			fail_msg("case %zu: status %d '%s'", i, r.status, r.error);
		assert_non_null(strstr(r.error, "stopped after 5 s"));
		/* inside the big entry, not after it */
		assert_int_equal(r.bytes, 10 + (8u << 20));
		assert_true(clock_reads >= 6 && clock_reads <= 8);
		free(t.buf);
	}
	/* ...and many headers in few bytes start it too */
	tb_open(&t, 0);
	for (i = 0; i < 1500; i++) {
		char name[32];

		snprintf(name, sizeof(name), "f%zu", i);
		tb_add(&t, name, AE_IFREG, 0, NULL, NULL);
	}
	tb_close(&t);
	assert_true(t.used < (size_t)1 << 20);
	clock_reads = 0;
	assert_int_equal(scan(&t, &timed, &r), CCP_DOCKER_BUDGET);
	assert_non_null(strstr(r.error, "stopped after 5 s"));
	assert_true(clock_reads >= 6 && clock_reads <= 8);
	fake_step_ms = 0;
	free(t.buf);
}

static void test_one_open_per_run(void **state)
{
	/*
	 * Lint the example: its two sites name one small archive, which is
	 * opened once (stat'ed and scanned through the same descriptor) and
	 * scanned without reading the clock.
	 */
	char path[4096];
	ccp_lint_opts lo;
	ccp_diags d;

	(void)state;
	snprintf(path, sizeof(path), "%s/examples/cc/project.yml", CCPROV_SOURCE_DIR);
	ccp_lint_opts_init(&lo);
	ccp_diags_init(&d);
	watched = "/nvflare-site.tar.gz";
	watched_opens = 0;
	clock_reads = 0;
	assert_true(ccp_lint_project(&d, path, &lo, NULL) >= 0);
	watched = NULL;
	assert_int_equal(d.count, 0);
	assert_int_equal(watched_opens, 1);
	assert_int_equal(clock_reads, 0);
	ccp_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_archive),
		cmocka_unit_test(test_unsafe_entries),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_garbage_after_entry),
		cmocka_unit_test(test_damage_behind_a_verdict),
		cmocka_unit_test(test_extended_headers),
		cmocka_unit_test(test_gzip_members_and_trailing_bytes),
		cmocka_unit_test(test_junk_behind_an_unsafe_entry),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_clock_starts_late),
		cmocka_unit_test(test_one_open_per_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
