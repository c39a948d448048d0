/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file report.h
 * Rendering a ccp_diags collection in every output format. One model,
 * many renderers: text, json, sarif, junit, github, gitlab.
 */
#ifndef CCPROV_REPORT_H
#define CCPROV_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "ccprov/buf.h"
#include "ccprov/diag.h"

typedef enum ccp_format {
	CCP_FMT_TEXT,
	CCP_FMT_JSON,
	CCP_FMT_SARIF,
	CCP_FMT_JUNIT,
	CCP_FMT_GITHUB,
	CCP_FMT_GITLAB
} ccp_format;

/** Parse a format name ("text", "json", ...). -1 when unknown. */
int ccp_format_parse(const char *name, ccp_format *out);
/** Comma-separated list of format names, for help texts. */
const char *ccp_format_names(void);

typedef struct ccp_report_opts {
	int color;          /**< text: ANSI colours */
	int show_source;    /**< text: quote the source line with a caret */
	size_t nfiles;      /**< number of input files checked (summary) */
	/** Files are shown relative to this folder when below it (NULL = cwd). */
	const char *base_dir;
	/** sarif: one run per group of findings (ccp_diag.group below
	 * nruns), each with run_ids[group] as its automationDetails.id;
	 * nruns 0 writes one run without one. */
	const char *const *run_ids;
	size_t nruns;
} ccp_report_opts;

/** Render d (already finished: sorted and de-duplicated) into out. */
int ccp_report_render(ccp_buf *out, const ccp_diags *d, ccp_format fmt,
		      const ccp_report_opts *opts);

/** Path shown for file: relative to base (or cwd) when below it. */
char *ccp_report_display_path(const char *file, const char *base_dir);

/**
 * Print fmt to f with the filter the text report applies to quoted
 * input: control characters (C0 but tab, DEL, C1, bidirectional
 * controls) and invalid UTF-8 show as '?', so a name or path the user
 * gave cannot move the cursor, recolour the terminal or forge a line.
 * A newline ending the text is kept. For progress and error lines that
 * quote user input. Returns 0, or -1 when the text could not be built
 * or written.
 */
int ccp_report_print_safe(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ccp_report_vprint_safe(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
