/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccprov graph PROJECT_YML: the deployment as a picture (DOT, SVG or
 * Mermaid), with the links lint found broken in red.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ccprov/graph.h"
#include "ccprov/lint.h"
#include "commands.h"
#include "options.h"

static void graph_usage(FILE *out)
{
	ccp_cli_print_usage(out, "graph",
		"exit codes: 0 drawn (even with lint findings), 2 usage error,\n"
		"3 the project cannot be read or the picture written\n");
}

int cmd_graph(int argc, char **argv)
{
	ccp_graph_format fmt = CCP_GRAPH_DOT;
	ccp_lint_opts lo;
	ccp_buf out = CCP_BUF_INIT;
	ccp_error err;
	const char *project = NULL, *out_path = NULL;
	FILE *f;
	int i, rc = CCP_EXIT_OK;

	ccp_lint_opts_init(&lo);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			graph_usage(stdout);
			return CCP_EXIT_OK;
		} else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);

			if (ccp_graph_format_parse(v, &fmt) < 0) {
				fprintf(stderr, "ccprov graph: --format takes dot, svg or mermaid\n");
				return CCP_EXIT_USAGE;
			}
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ccprov graph: '%s' needs a file name\n", a);
				return CCP_EXIT_USAGE;
			}
			out_path = argv[++i];
		} else if (strcmp(a, "--nvflare") == 0 || strncmp(a, "--nvflare=", 10) == 0) {
			const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);

			if (ccp_nvf_line_parse(&lo.line, v) < 0) {
				fprintf(stderr, "ccprov graph: --nvflare takes %s, not '%s'\n",
					ccp_nvf_line_names(), v ? v : "");
				return CCP_EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ccprov graph: unknown option '%s'\n", a);
			graph_usage(stderr);
			return CCP_EXIT_USAGE;
		} else if (!project) {
			project = a;
		} else {
			fprintf(stderr, "ccprov graph: only one project file may be given\n");
			return CCP_EXIT_USAGE;
		}
	}
	if (!project) {
		fprintf(stderr, "ccprov graph: give the project file (ccprov graph PROJECT_YML)\n");
		return CCP_EXIT_USAGE;
	}
	ccp_error_clear(&err);
	if (ccp_graph_render(&out, project, fmt, &lo, &err) < 0) {
		fprintf(stderr, "ccprov graph: %s\n", err.message);
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	f = out_path && strcmp(out_path, "-") ? fopen(out_path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "ccprov graph: cannot write '%s': %s\n", out_path,
			strerror(errno));
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	if (fwrite(ccp_buf_cstr(&out), 1, out.len, f) != out.len)
		rc = CCP_EXIT_FAILURE;
	if (f != stdout ? fclose(f) != 0 : fflush(stdout) != 0)
		rc = CCP_EXIT_FAILURE;
	if (rc)
		fprintf(stderr, "ccprov graph: writing the picture failed\n");
	ccp_buf_release(&out);
	return rc;
}
