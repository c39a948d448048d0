/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file report.h
 * Rendering a ccp_diags collection in every output format. One model,
 * many renderers: text, json, sarif, junit, github, gitlab.
 */
#ifndef CCPROV_REPORT_H
#define CCPROV_REPORT_H

#include <stddef.h>

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

#endif
