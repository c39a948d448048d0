/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CCPROV_CLI_UTIL_H
#define CCPROV_CLI_UTIL_H

#include <stddef.h>

#include "ccprov/diag.h"
#include "ccprov/report.h"

/*
 * Render diags in fmt to out_path (NULL or "-" = stdout). color is
 * "auto" (a TTY without NO_COLOR), "always" (even with NO_COLOR)
 * or "never". Returns 0, or
 * CCP_EXIT_FAILURE after printing why.
 */
int ccp_cli_write_report(const ccp_diags *diags, ccp_format fmt,
			 const char *out_path, const char *color, size_t nfiles);

/* Same with every other report option from base (paths, nfiles). */
int ccp_cli_render_report(const ccp_diags *diags, ccp_format fmt,
			  const char *out_path, const char *color,
			  const ccp_report_opts *base);

/* Should output to fd be coloured under the "auto" policy? */
int ccp_cli_color_auto(int fd);

/*
 * Make SIGINT and SIGTERM set the flag ccp_cli_interrupted() reads (pass
 * it as a library call's cancel option). 0, or -1 when not installed.
 */
int ccp_cli_catch_signals(void);
int ccp_cli_interrupted(void);

#endif
