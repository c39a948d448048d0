/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/report.h"
#include "ccprov/error.h"
#include "report_int.h"
#include "fsio.h"
#include "utf8.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every output format; the order is the one ccp_format_names() lists. */
static const struct rep_format {
	const char *name;
	ccp_format fmt;
	int (*render)(ccp_rep *r);
	/* shows suppressed findings as such (the others leave them out) */
	int shows_suppressed;
} rep_formats[] = {
	{ "text", CCP_FMT_TEXT, ccp_rep_text, 0 },
	{ "json", CCP_FMT_JSON, ccp_rep_json, 1 },
	{ "sarif", CCP_FMT_SARIF, ccp_rep_sarif, 1 },
	{ "junit", CCP_FMT_JUNIT, ccp_rep_junit, 0 },
	{ "github", CCP_FMT_GITHUB, ccp_rep_github, 0 },
	{ "gitlab", CCP_FMT_GITLAB, ccp_rep_gitlab, 0 },
};

#define REP_NFORMATS (sizeof(rep_formats) / sizeof(rep_formats[0]))

int ccp_format_parse(const char *name, ccp_format *out)
{
	size_t i;

	assert(out);
	if (!name)
		return -1;
	for (i = 0; i < REP_NFORMATS; i++) {
		if (strcmp(rep_formats[i].name, name) == 0) {
			*out = rep_formats[i].fmt;
			return 0;
		}
	}
	return -1;
}

const char *ccp_format_names(void)
{
	/* kept in step with rep_formats[] by test_report.c */
	return "text, json, sarif, junit, github, gitlab";
}

/*
 * Lexically normalise an absolute path: collapse "//", drop ".", resolve
 * "..". Works in place; the result is never longer than the input.
 */
static void path_normalize(char *p)
{
	/* w never passes s: output only shrinks, and a segment is written
	 * with the '/' that preceded it in the input */
	char *w = p;
	const char *s = p;

	assert(p[0] == '/');
	while (*s) {
		const char *seg;
		size_t n;

		while (*s == '/')
			s++;
		seg = s;
		while (*s && *s != '/')
			s++;
		n = (size_t)(s - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			/* drop the last segment; ".." at the root stays there */
			while (w > p && *--w != '/')
				;
			continue;
		}
		*w++ = '/';
		memmove(w, seg, n);
		w += n;
	}
	if (w == p)
		*w++ = '/';
	*w = '\0';
}

/* Absolute, normalised form of path (relative to cwd); caller frees. */
static char *path_absolute(const char *path, const char *cwd)
{
	ccp_buf b = CCP_BUF_INIT;

	if (path[0] != '/') {
		if (!cwd)
			return NULL;
		ccp_buf_puts(&b, cwd);
		ccp_buf_putc(&b, '/');
	}
	ccp_buf_puts(&b, path);
	if (ccp_buf_failed(&b)) {
		ccp_buf_release(&b);
		return NULL;
	}
	path_normalize(b.data);
	return ccp_buf_detach(&b);
}

/* The part of file below base, or NULL when file is not below base. */
static const char *path_below(const char *file, const char *base)
{
	size_t n = strlen(base);

	if (strcmp(base, "/") == 0)
		return file[1] ? file + 1 : ".";
	if (strncmp(file, base, n) != 0)
		return NULL;
	if (file[n] == '\0')
		return ".";
	if (file[n] != '/')
		return NULL;
	return file + n + 1;
}

char *ccp_report_display_path(const char *file, const char *base_dir)
{
	const char *cwd;
	char *abs_file = NULL, *abs_base = NULL;
	char *real_file = NULL, *real_base = NULL, *res = NULL;
	const char *rel;

	if (!file || !file[0])
		return strdup(file ? file : "");
	cwd = ccp_cwd();
	abs_file = path_absolute(file, cwd);
	abs_base = path_absolute(base_dir && base_dir[0] ? base_dir : ".", cwd);
	if (!abs_file || !abs_base) {
		/* no cwd (removed folder) or no memory: show the path as given */
		res = strdup(file);
		goto cleanup;
	}
	rel = path_below(abs_file, abs_base);
	if (!rel) {
		/* symlinked folders (/tmp -> /private/tmp) only match resolved */
		real_file = realpath(abs_file, NULL);
		real_base = realpath(abs_base, NULL);
		if (real_file && real_base)
			rel = path_below(real_file, real_base);
	}
	res = strdup(rel ? rel : abs_file);

cleanup:
	free(real_file);
	free(real_base);
	free(abs_file);
	free(abs_base);
	return res;
}

const char *ccp_rep_path(ccp_rep *r, const char *file)
{
	char *shown;

	if (!file)
		file = "";
	if (r->memo_file && strcmp(r->memo_file, file) == 0)
		return r->memo_shown;
	shown = ccp_report_display_path(file, r->opts.base_dir);
	if (!shown) {
		r->failed = 1;
		return file;
	}
	free(r->memo_file);
	free(r->memo_shown);
	r->memo_file = strdup(file);
	r->memo_shown = shown;
	if (!r->memo_file) {
		/* keep the memo consistent: without a key it cannot be hit */
		r->failed = 1;
		free(r->memo_shown);
		r->memo_shown = NULL;
		return file;
	}
	return r->memo_shown;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t ccp_rep_nfiles(const ccp_rep *r)
{
	const char **files;
	size_t i, n = 0;

	if (r->opts.nfiles || r->d->count == 0)
		return r->opts.nfiles;
	files = malloc(r->d->count * sizeof(*files));
	if (!files)
		return 0;
	for (i = 0; i < r->d->count; i++)
		files[i] = r->d->items[i]->file;
	qsort(files, r->d->count, sizeof(*files), cmp_str_ptr);
	for (i = 0; i < r->d->count; i++)
		if (i == 0 || strcmp(files[i - 1], files[i]) != 0)
			n++;
	free(files);
	return n;
}

void ccp_rep_put_safe(ccp_buf *out, const char *s, size_t len, int keep_tab)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, n;

	while (i < len) {
		unsigned char c = u[i];

		if (c < 0x80) {
			if ((c >= 0x20 && c != 0x7f) || (c == '\t' && keep_tab)) {
				i++;
				continue;
			}
			n = 1;
		} else {
			n = ccp_utf8_seq(s + i, len - i);
			if (n && !ccp_utf8_control(s + i, n)) {
				i += n;
				continue;
			}
			if (!n)
				n = 1;   /* a lone 0x9b is CSI to an 8-bit terminal */
		}
		ccp_buf_put(out, s + run, i - run);
		ccp_buf_putc(out, '?');
		i += n;
		run = i;
	}
	ccp_buf_put(out, s + run, len - run);
}

int ccp_report_vprint_safe(FILE *f, const char *fmt, va_list ap)
{
	ccp_buf raw = CCP_BUF_INIT, safe = CCP_BUF_INIT;
	size_t len;
	int rc = -1;

	ccp_buf_vprintf(&raw, fmt, ap);
	if (ccp_buf_failed(&raw))
		goto cleanup;
	len = raw.len;
	if (len && raw.data[len - 1] == '\n')
		len--;
	ccp_rep_put_safe(&safe, ccp_buf_cstr(&raw), len, 1);
	if (len < raw.len)
		ccp_buf_putc(&safe, '\n');
	if (ccp_buf_failed(&safe) ||
	    fwrite(ccp_buf_cstr(&safe), 1, safe.len, f) != safe.len)
		goto cleanup;
	rc = 0;
cleanup:
	ccp_buf_release(&raw);
	ccp_buf_release(&safe);
	return rc;
}

int ccp_report_print_safe(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ccp_report_vprint_safe(f, fmt, ap);
	va_end(ap);
	return rc;
}

const char *ccp_rep_utf8(ccp_buf *tmp, const char *s)
{
	size_t len, i, n;

	if (!s)
		return s;
	len = strlen(s);
	for (i = 0; i < len; i += n)
		if ((n = ccp_utf8_seq(s + i, len - i)) == 0)
			break;
	if (i == len)
		return s;
	ccp_buf_clear(tmp);
	ccp_buf_put(tmp, s, i);
	while (i < len) {
		n = ccp_utf8_seq(s + i, len - i);
		if (n == 0) {
			ccp_buf_puts(tmp, "\xef\xbf\xbd");
			i++;
		} else {
			ccp_buf_put(tmp, s + i, n);
			i += n;
		}
	}
	/* a failed tmp still must not hand back invalid text */
	return ccp_buf_failed(tmp) ? "\xef\xbf\xbd" : ccp_buf_cstr(tmp);
}

int ccp_report_render(ccp_buf *out, const ccp_diags *d, ccp_format fmt,
		      const ccp_report_opts *opts)
{
	ccp_rep r;
	ccp_diags shown;
	size_t i, j;
	int rc = CCP_EINVAL;

	assert(out && d);
	memset(&r, 0, sizeof(r));
	memset(&shown, 0, sizeof(shown));
	r.out = out;
	r.d = d;
	if (opts)
		r.opts = *opts;
	for (i = 0; i < REP_NFORMATS; i++) {
		if (rep_formats[i].fmt != fmt)
			continue;
		if (!rep_formats[i].shows_suppressed) {
			/* a borrowed view without the suppressed findings */
			shown = *d;
			shown.items = malloc((d->count + 1) * sizeof(*shown.items));
			if (!shown.items)
				return CCP_ENOMEM;
			for (j = shown.count = 0; j < d->count; j++)
				if (!d->items[j]->suppressed)
					shown.items[shown.count++] = d->items[j];
			r.d = &shown;
		}
		rc = rep_formats[i].render(&r);
		break;
	}
	free(shown.items);
	if (rc == 0 && (r.failed || ccp_buf_failed(out)))
		rc = CCP_ENOMEM;
	ccp_rep_srcs_release(&r.srcs);
	free(r.memo_file);
	free(r.memo_shown);
	return rc;
}
