/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Source lines for quoting: each file is read once per render (there
 * are usually many findings per file), bounded in size, and indexed by
 * line so that a finding costs no re-scan of the file.
 */
#include "report_int.h"
#include "array.h"
#include "utf8.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void src_drop(ccp_rep_srcs *c, ccp_rep_src *s)
{
	if (s->data)
		c->total -= s->len;
	free(s->data);
	free(s->lines);
	s->data = NULL;
	s->lines = NULL;
	s->len = 0;
	s->nlines = 0;
	s->state = 0;
}

/* Read a regular file of at most CCP_REP_MAX_SOURCE bytes. */
static int src_read(ccp_rep_src *s)
{
	struct stat st;
	size_t got = 0, i, n = 1;
	char *data = NULL;
	size_t *lines = NULL;
	int fd, rc = -1;

	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	/* a FIFO or device would block or never end */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > CCP_REP_MAX_SOURCE)
		goto cleanup;
	data = malloc((size_t)st.st_size + 1);
	if (!data)
		goto cleanup;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, data + got, (size_t)st.st_size - got);

		if (r < 0)
			goto cleanup;
		if (r == 0)
			break;  /* truncated meanwhile: quote what is there */
		got += (size_t)r;
	}
	data[got] = '\0';
	for (i = 0; i < got; i++)
		if (data[i] == '\n')
			n++;
	lines = malloc(n * sizeof(*lines));
	if (!lines)
		goto cleanup;
	lines[0] = 0;
	n = 1;
	for (i = 0; i < got; i++)
		if (data[i] == '\n')
			lines[n++] = i + 1;
	s->data = data;
	s->len = got;
	s->lines = lines;
	s->nlines = n;
	data = NULL;
	lines = NULL;
	rc = 0;

cleanup:
	free(data);
	free(lines);
	close(fd);
	return rc;
}

static ccp_rep_src *src_get(ccp_rep_srcs *c, const char *file)
{
	ccp_rep_src *s = NULL;
	size_t i;

	if (!file || !file[0])
		return NULL;
	/* newest first: findings arrive grouped by file */
	for (i = c->count; i > 0; i--) {
		if (strcmp(c->items[i - 1].path, file) == 0) {
			s = &c->items[i - 1];
			break;
		}
	}
	if (!s) {
		if (ccp_grow(&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
			return NULL;
		s = &c->items[c->count];
		memset(s, 0, sizeof(*s));
		s->path = strdup(file);
		if (!s->path)
			return NULL;
		c->count++;
	}
	if (s->state == 0) {
		/* bound the memory: evict everything else before a new read */
		if (c->total > CCP_REP_MAX_CACHE)
			for (i = 0; i < c->count; i++)
				if (&c->items[i] != s && c->items[i].state == 1)
					src_drop(c, &c->items[i]);
		if (src_read(s) == 0) {
			s->state = 1;
			c->total += s->len;
		} else {
			s->state = -1;
		}
	}
	return s->state == 1 ? s : NULL;
}

int ccp_rep_src_line(ccp_rep_srcs *c, const char *file, unsigned line,
		     const char **text, size_t *len)
{
	ccp_rep_src *s = src_get(c, file);
	size_t start, end;

	if (!s || line == 0 || line > s->nlines)
		return -1;
	start = s->lines[line - 1];
	end = line < s->nlines ? s->lines[line] - 1 : s->len;
	if (end > start && s->data[end - 1] == '\r')
		end--;
	*text = s->data + start;
	*len = end - start;
	return 0;
}

unsigned ccp_rep_src_cpcol(ccp_rep_srcs *c, const char *file, unsigned line,
			   unsigned col)
{
	const char *text;
	size_t len, upto;
	unsigned cp = 1;

	if (col <= 1 || ccp_rep_src_line(c, file, line, &text, &len) != 0)
		return col;
	upto = col - 1;
	cp += (unsigned)ccp_utf8_count(text, upto < len ? upto : len);
	/* a column past the end (end of line) keeps its distance */
	if (upto > len)
		cp += (unsigned)(upto - len);
	return cp;
}

void ccp_rep_srcs_release(ccp_rep_srcs *c)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		src_drop(c, &c->items[i]);
		free(c->items[i].path);
	}
	free(c->items);
	memset(c, 0, sizeof(*c));
}

unsigned ccp_rep_col(ccp_rep *r, const char *file, unsigned line,
		     unsigned col)
{
	if (!col || !line)
		return col;
	return ccp_rep_src_cpcol(&r->srcs, file, line, col);
}

/* Ranges of East Asian Wide and Fullwidth characters (UAX #11) and of
 * the combining marks most often met, sorted. */
static const struct { unsigned long lo, hi; } wide_ranges[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};
static const struct { unsigned long lo, hi; } zero_ranges[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f },
};

int ccp_rep_cp_width(unsigned long cp)
{
	size_t i;

	for (i = 0; i < sizeof(zero_ranges) / sizeof(zero_ranges[0]); i++)
		if (cp >= zero_ranges[i].lo && cp <= zero_ranges[i].hi)
			return 0;
	for (i = 0; i < sizeof(wide_ranges) / sizeof(wide_ranges[0]); i++)
		if (cp >= wide_ranges[i].lo && cp <= wide_ranges[i].hi)
			return 2;
	return 1;
}
