/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lint_opts.h
 * The options of a lint run (ccprov/lint.h), which the rules read
 * through their context, so they sit below the lint engine.
 */
#ifndef CCPROV_LINT_OPTS_H
#define CCPROV_LINT_OPTS_H

#include "ccprov/nvflare.h"

/** Told every file a lint run met: project, cc_configs, included files
 * (as referenced, and canonical when readable; names may repeat). */
typedef void (*ccp_lint_file_fn)(void *arg, const char *path);

typedef struct ccp_lint_opts {
	/** Skip checks that read referenced files (docker archives, scripts). */
	int no_file_checks;
	/** The NVFlare release line the project is checked for. */
	ccp_nvf_line line;
	/**
	 * The file the report will be written to, or NULL. When it is one
	 * of the files lint read, the lint functions return
	 * CCP_LINT_OUTPUT_IS_INPUT instead of a file count.
	 */
	const char *output;
	/** Optional: called for every file read, before the run returns. */
	ccp_lint_file_fn on_file;
	void *on_file_arg;
	/** Optional: where every file read from disk is recorded (see
	 * ccp_yaml_reads), for passes over the same files after the run. */
	struct ccp_yaml_reads *reads;
} ccp_lint_opts;

#endif
