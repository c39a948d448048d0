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

/* What the command line asks for. */
typedef struct graph_args {
	ccp_graph_format fmt;
	ccp_lint_opts lo;
	const char *project;
	const char *out_path;
} graph_args;

/* The value of "--opt VALUE" or "--opt=VALUE", n being strlen("--opt");
 * *i moves past a separate value. */
static const char *value_of(const char *a, size_t n, int argc, char **argv,
			    int *i)
{
	if (a[n] == '=')
		return a + n + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int set_format(graph_args *ga, const char *v)
{
	if (ccp_graph_format_parse(v, &ga->fmt) < 0) {
		fprintf(stderr, "ccprov graph: --format takes dot, svg or mermaid\n");
		return -1;
	}
	return 0;
}

static int set_nvflare(graph_args *ga, const char *v)
{
	if (ccp_nvf_line_parse(&ga->lo.line, v) < 0) {
		fprintf(stderr, "ccprov graph: --nvflare takes %s, not '%s'\n",
			ccp_nvf_line_names(), v ? v : "");
		return -1;
	}
	return 0;
}

/* One argument (and the value after it, moving *i): 0 taken, 1 the
 * command ends with *exit_code. */
static int take_arg(graph_args *ga, int argc, char **argv, int *i,
		    int *exit_code)
{
	const char *a = argv[*i];

	*exit_code = CCP_EXIT_USAGE;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		graph_usage(stdout);
		*exit_code = CCP_EXIT_OK;
		return 1;
	}
	if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0)
		return set_format(ga, value_of(a, 8, argc, argv, i)) < 0;
	if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "ccprov graph: '%s' needs a file name\n", a);
			return 1;
		}
		ga->out_path = argv[++*i];
		return 0;
	}
	if (strcmp(a, "--nvflare") == 0 || strncmp(a, "--nvflare=", 10) == 0)
		return set_nvflare(ga, value_of(a, 9, argc, argv, i)) < 0;
	if (a[0] == '-' && a[1]) {
		fprintf(stderr, "ccprov graph: unknown option '%s'\n", a);
		graph_usage(stderr);
		return 1;
	}
	if (ga->project) {
		fprintf(stderr, "ccprov graph: only one project file may be given\n");
		return 1;
	}
	ga->project = a;
	return 0;
}

/* The picture into out_path, or stdout for none or "-". */
static int write_picture(const ccp_buf *out, const char *out_path)
{
	FILE *f = out_path && strcmp(out_path, "-") ? fopen(out_path, "wb") : stdout;
	int rc = CCP_EXIT_OK;

	if (!f) {
		fprintf(stderr, "ccprov graph: cannot write '%s': %s\n", out_path,
			strerror(errno));
		return CCP_EXIT_FAILURE;
	}
	if (fwrite(ccp_buf_cstr(out), 1, out->len, f) != out->len)
		rc = CCP_EXIT_FAILURE;
	if (f != stdout ? fclose(f) != 0 : fflush(stdout) != 0)
		rc = CCP_EXIT_FAILURE;
	if (rc)
		fprintf(stderr, "ccprov graph: writing the picture failed\n");
	return rc;
}

int cmd_graph(int argc, char **argv)
{
	graph_args ga;
	ccp_buf out = CCP_BUF_INIT;
	ccp_error err;
	int i, rc;

	memset(&ga, 0, sizeof(ga));
	ga.fmt = CCP_GRAPH_DOT;
	ccp_lint_opts_init(&ga.lo);
	for (i = 1; i < argc; i++)
		if (take_arg(&ga, argc, argv, &i, &rc))
			return rc;
	if (!ga.project) {
		fprintf(stderr, "ccprov graph: give the project file (ccprov graph PROJECT_YML)\n");
		return CCP_EXIT_USAGE;
	}
	ccp_error_clear(&err);
	if (ccp_graph_render(&out, ga.project, ga.fmt, &ga.lo, &err) < 0) {
		fprintf(stderr, "ccprov graph: %s\n", err.message);
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	rc = write_picture(&out, ga.out_path);
	ccp_buf_release(&out);
	return rc;
}
