/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the report renderers (lint/report*.c). Not part of
 * the public API: report.h is the contract.
 */
#ifndef CCPROV_REPORT_INT_H
#define CCPROV_REPORT_INT_H

#include <stddef.h>

#include "ccprov/buf.h"
#include "ccprov/diag.h"
#include "ccprov/report.h"

/* Largest source file quoted by the text format. */
#define CCP_REP_MAX_SOURCE ((size_t)64 * 1024 * 1024)
/*
 * Home page for SARIF's tool.driver.informationUri; the build may define
 * it (-DCCPROV_HOMEPAGE=...). Left out of the log while empty.
 */
#ifndef CCPROV_HOMEPAGE
#define CCPROV_HOMEPAGE ""
#endif
/* Cached sources past this total are evicted before reading another. */
#define CCP_REP_MAX_CACHE ((size_t)128 * 1024 * 1024)

/* A source file read once per render, with its line starts. */
typedef struct ccp_rep_src {
	char *path;       /* as given in the diagnostic */
	char *data;       /* contents, or NULL when unreadable or evicted */
	size_t len;
	size_t *lines;    /* byte offset of each line start */
	size_t nlines;
	int state;        /* 0 not read yet, 1 read, -1 unreadable */
} ccp_rep_src;

typedef struct ccp_rep_srcs {
	ccp_rep_src *items;
	size_t count, cap;
	size_t total;     /* bytes of data currently cached */
} ccp_rep_srcs;

/* State of one ccp_report_render() call, handed to the renderer. */
typedef struct ccp_rep {
	ccp_buf *out;
	const ccp_diags *d;
	ccp_report_opts opts;
	ccp_rep_srcs srcs;
	/* display path memo: diagnostics arrive sorted by file */
	char *memo_file;
	char *memo_shown;
	int failed;       /* an allocation outside out failed */
} ccp_rep;

/* Renderers, one per format (lint/report_<format>.c). */
int ccp_rep_text(ccp_rep *r);
int ccp_rep_json(ccp_rep *r);
int ccp_rep_sarif(ccp_rep *r);
int ccp_rep_junit(ccp_rep *r);
int ccp_rep_github(ccp_rep *r);
int ccp_rep_gitlab(ccp_rep *r);

/*
 * Display path of file (memoised per render). Never NULL: falls back to
 * file itself when memory runs out, and sets r->failed.
 */
const char *ccp_rep_path(ccp_rep *r, const char *file);

/* Number of files for summaries: opts.nfiles, else distinct files seen. */
size_t ccp_rep_nfiles(const ccp_rep *r);

/*
 * s when it is valid UTF-8, else a copy in tmp with every invalid byte
 * replaced by U+FFFD, so that JSON and XML outputs stay well-formed.
 */
const char *ccp_rep_utf8(ccp_buf *tmp, const char *s);
/*
 * Append len bytes of s for a terminal: C0 controls (but a tab when
 * keep_tab), DEL, C1 controls, bidirectional controls and stray bytes
 * that are not UTF-8 become '?', so that no escape sequence from an
 * input reaches the reader's terminal.
 */
void ccp_rep_put_safe(ccp_buf *out, const char *s, size_t len, int keep_tab);

/*
 * Line `line` (1-based) of file, without its newline or a trailing CR.
 * Returns 0 and sets *text, *len; -1 when the file or line is not there.
 */
int ccp_rep_src_line(ccp_rep_srcs *c, const char *file, unsigned line,
		     const char **text, size_t *len);
/*
 * Convert a 1-based byte column to a 1-based code-point column using the
 * source line; returns col unchanged when the line is not readable.
 */
unsigned ccp_rep_src_cpcol(ccp_rep_srcs *c, const char *file, unsigned line,
			   unsigned col);
void ccp_rep_srcs_release(ccp_rep_srcs *c);

/*
 * The column every format shows: 1-based Unicode code points (what SARIF
 * declares as its columnKind), from the byte column findings carry; 0
 * stays 0 (unknown).
 */
unsigned ccp_rep_col(ccp_rep *r, const char *file, unsigned line,
		     unsigned col);

/* Terminal columns a code point takes: 0 (combining), 1, or 2 (wide). */
int ccp_rep_cp_width(unsigned long cp);

#endif
