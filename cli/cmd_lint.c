#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/lint.h"
#include "ccprov/report.h"
#include "cli_util.h"
#include "commands.h"
#include "options.h"

static void lint_usage(FILE *out)
{
	ccp_cli_print_usage(out, "lint",
		"exit codes: 0 no error-level finding, 1 errors found, 2 usage error,\n"
		"3 internal failure\n");
}

int cmd_lint(int argc, char **argv)
{
	ccp_lint_opts opts;
	ccp_format fmt = CCP_FMT_TEXT;
	const char *out_path = NULL, *project = NULL, *color = "auto";
	const char **ccs = NULL;
	size_t nccs = 0;
	int cc_mode = 0, i, rc;
	ccp_diags diags;
	long nfiles;

	ccp_lint_opts_init(&opts);
	ccs = calloc((size_t)argc, sizeof(*ccs));
	if (!ccs)
		return CCP_EXIT_FAILURE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			lint_usage(stdout);
			free(ccs);
			return CCP_EXIT_OK;
		} else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);

			if (!v || ccp_format_parse(v, &fmt) < 0) {
				fprintf(stderr, "ccprov lint: unknown format '%s' (use %s)\n",
					v ? v : "", ccp_format_names());
				free(ccs);
				return CCP_EXIT_USAGE;
			}
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ccprov lint: '%s' needs a file name\n", a);
				free(ccs);
				return CCP_EXIT_USAGE;
			}
			out_path = argv[++i];
		} else if (strcmp(a, "--color") == 0 || strncmp(a, "--color=", 8) == 0) {
			color = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : "");
			if (strcmp(color, "auto") && strcmp(color, "always") &&
			    strcmp(color, "never")) {
				fprintf(stderr, "ccprov lint: --color takes auto, always or never\n");
				free(ccs);
				return CCP_EXIT_USAGE;
			}
		} else if (strcmp(a, "--nvflare") == 0 || strncmp(a, "--nvflare=", 10) == 0) {
			const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);

			if (ccp_nvf_line_parse(&opts.line, v) < 0) {
				fprintf(stderr, "ccprov lint: --nvflare takes %s, not '%s'\n",
					ccp_nvf_line_names(), v ? v : "");
				free(ccs);
				return CCP_EXIT_USAGE;
			}
		} else if (strcmp(a, "--cc-config") == 0) {
			cc_mode = 1;
		} else if (strcmp(a, "--no-file-checks") == 0) {
			opts.no_file_checks = 1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ccprov lint: unknown option '%s'\n", a);
			lint_usage(stderr);
			free(ccs);
			return CCP_EXIT_USAGE;
		} else if (cc_mode) {
			ccs[nccs++] = a;
		} else if (!project) {
			project = a;
		} else {
			fprintf(stderr, "ccprov lint: only one project file may be given\n");
			free(ccs);
			return CCP_EXIT_USAGE;
		}
	}
	if (cc_mode && (!nccs || project)) {
		fprintf(stderr, project ? "ccprov lint: give either a project file or --cc-config files\n" :
			"ccprov lint: --cc-config needs at least one file\n");
		free(ccs);
		return CCP_EXIT_USAGE;
	}

	ccp_diags_init(&diags);
	if (cc_mode)
		nfiles = ccp_lint_cc_configs(&diags, ccs, nccs, &opts);
	else
		nfiles = ccp_lint_project(&diags, project ? project : "project.yml",
					  &opts, NULL);
	free(ccs);
	if (nfiles < 0) {
		fprintf(stderr, "ccprov lint: internal failure (out of memory)\n");
		ccp_diags_release(&diags);
		return CCP_EXIT_FAILURE;
	}
	rc = ccp_cli_write_report(&diags, fmt, out_path, color, (size_t)nfiles);
	if (rc == 0)
		rc = ccp_diags_count(&diags, CCP_SEV_ERROR) ? CCP_EXIT_FINDINGS : CCP_EXIT_OK;
	ccp_diags_release(&diags);
	return rc;
}
