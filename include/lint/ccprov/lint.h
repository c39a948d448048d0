/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lint.h
 * Linting a project (project.yml and every cc_config it references) or
 * cc_config files on their own.
 */
#ifndef CCPROV_LINT_H
#define CCPROV_LINT_H

#include <stddef.h>

#include "ccprov/diag.h"
#include "ccprov/kit.h"
#include "ccprov/lint_opts.h"
#include "ccprov/nvflare.h"

/** The report would overwrite one of the files being linted. */
#define CCP_LINT_OUTPUT_IS_INPUT (-2)

/** Defaults: every check, the default release line, no output file. */
void ccp_lint_opts_init(ccp_lint_opts *o);

/**
 * Lint a project. Every finding goes to diags (finished: sorted and
 * de-duplicated). When kit is not NULL and there is no error-level
 * finding, *kit receives the resolved project (caller frees with
 * ccp_kit_project_free()); otherwise *kit = NULL.
 * Returns the number of files read, -1 on internal failure, or
 * CCP_LINT_OUTPUT_IS_INPUT (opts->output is one of the files read).
 */
long ccp_lint_project(ccp_diags *diags, const char *project_path,
		      const ccp_lint_opts *opts, ccp_kit_project **kit);

/**
 * Lint cc_config files on their own. Returns files read, -1 or
 * CCP_LINT_OUTPUT_IS_INPUT as ccp_lint_project() does.
 */
long ccp_lint_cc_configs(ccp_diags *diags, const char *const *paths,
			 size_t n, const ccp_lint_opts *opts);

#endif
