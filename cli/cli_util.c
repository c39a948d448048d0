/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "cli_util.h"
#include "commands.h"
#include "fsio.h"

int ccp_cli_color_auto(int fd)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (no && *no)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

int ccp_cli_write_report(const ccp_diags *diags, ccp_format fmt,
			 const char *out_path, const char *color, size_t nfiles)
{
	ccp_report_opts ro = { 0 };

	ro.nfiles = nfiles;
	return ccp_cli_render_report(diags, fmt, out_path, color, &ro);
}

int ccp_cli_render_report(const ccp_diags *diags, ccp_format fmt,
			  const char *out_path, const char *color,
			  const ccp_report_opts *base)
{
	ccp_buf out = CCP_BUF_INIT;
	ccp_report_opts ro = *base;
	int to_stdout = !out_path || strcmp(out_path, "-") == 0;
	FILE *f;
	int rc = 0;

	/* an explicit --color=always is a request that NO_COLOR must not undo;
	 * only text has colours, so only text asks the terminal */
	ro.color = strcmp(color, "always") == 0 ||
		   (strcmp(color, "auto") == 0 && to_stdout &&
		    fmt == CCP_FMT_TEXT && ccp_cli_color_auto(STDOUT_FILENO));
	ro.show_source = 1;
	if (ccp_report_render(&out, diags, fmt, &ro) < 0 || ccp_buf_failed(&out)) {
		fprintf(stderr, "ccprov: cannot render the report\n");
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	f = to_stdout ? stdout : fopen(out_path, "wb");
	if (!f) {
		fprintf(stderr, "ccprov: cannot write '%s': %s\n", out_path, strerror(errno));
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	if (to_stdout) {
		/* the report is whole: one write, without stdio's buffer (and
		 * the fstat and terminal query that set it up) after whatever
		 * stdout already holds */
		if (fflush(stdout) != 0 ||
		    ccp_write_all(STDOUT_FILENO, ccp_buf_cstr(&out), out.len) < 0)
			rc = CCP_EXIT_FAILURE;
	} else if (fwrite(ccp_buf_cstr(&out), 1, out.len, f) != out.len) {
		rc = CCP_EXIT_FAILURE;
	}
	if (!to_stdout && fclose(f) != 0)
		rc = CCP_EXIT_FAILURE;
	if (rc)
		fprintf(stderr, "ccprov: writing the report failed\n");
	ccp_buf_release(&out);
	return rc;
}
