/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccprov verify PATH [--root-ca FILE | --trust-kit-root] [--nvflare LINE]
 *                    [--format FMT] [--color WHEN]
 *
 * Checks a received startup kit (a folder, a NAME.tgz, or every kit of
 * a prod_NN folder) before it is launched: ccp_verify() does the work
 * and returns diagnostics, printed in any report format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/nvflare.h"
#include "ccprov/report.h"
#include "ccprov/rules.h"
#include "ccprov/verify.h"
#include "cli_util.h"
#include "commands.h"
#include "options.h"

/* The kit verified but only against its own root CA. */
#define CCP_EXIT_UNTRUSTED 4

static void usage(FILE *out)
{
	ccp_cli_print_usage(out, "verify",
			    "exit codes: 0 verified, 1 verification failed, 2 usage error,\n"
			    "3 internal failure, 4 consistent but checked against the kit's own\n"
			    "root CA (give --root-ca, or --trust-kit-root)\n");
}

/* "--opt VALUE" or "--opt=VALUE"; *matched says whether a was opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt,
			     int *matched)
{
	size_t n = strlen(opt);

	*matched = 0;
	if (strcmp(argv[*i], opt) == 0) {
		*matched = 1;
		return *i + 1 < argc ? argv[++*i] : NULL;
	}
	if (strncmp(argv[*i], opt, n) == 0 && argv[*i][n] == '=') {
		*matched = 1;
		return argv[*i] + n + 1;
	}
	return NULL;
}

/* What the command line asks for. */
typedef struct verify_args {
	ccp_verify_opts o;
	ccp_format fmt;
	const char *path;
	const char *color;
	int dashdash; /* after "--" every argument is the path */
} verify_args;

/* The options that take a value: `v` is NULL when it has none. */
static int set_root_ca(verify_args *va, const char *v)
{
	if (!v || !*v) {
		fprintf(stderr, "ccprov verify: '--root-ca' needs a file\n");
		return -1;
	}
	va->o.root_ca = v;
	return 0;
}

static int set_nvflare(verify_args *va, const char *v)
{
	if (ccp_nvf_line_parse(&va->o.line, v) < 0) {
		fprintf(stderr, "ccprov verify: --nvflare takes %s, not '%s'\n",
			ccp_nvf_line_names(), v ? v : "");
		return -1;
	}
	va->o.line_given = 1;
	return 0;
}

static int set_format(verify_args *va, const char *v)
{
	if (!v || ccp_format_parse(v, &va->fmt) < 0) {
		fprintf(stderr, "ccprov verify: unknown format '%s' (use %s)\n",
			v ? v : "", ccp_format_names());
		return -1;
	}
	return 0;
}

static int set_color(verify_args *va, const char *v)
{
	if (!v || (strcmp(v, "auto") && strcmp(v, "always") &&
		   strcmp(v, "never"))) {
		fprintf(stderr, "ccprov verify: --color takes auto, always or never\n");
		return -1;
	}
	va->color = v;
	return 0;
}

static const struct verify_value_option {
	const char *name;
	int (*set)(verify_args *va, const char *v);
} verify_value_options[] = {
	{ "--root-ca", set_root_ca },
	{ "--nvflare", set_nvflare },
	{ "--format", set_format },
	{ "--color", set_color },
};

static int take_path(verify_args *va, const char *a)
{
	if (va->path) {
		fprintf(stderr, "ccprov verify: unexpected argument '%s'\n", a);
		return 1;
	}
	va->path = a;
	return 0;
}

/* One argument (and the value after it, moving *i): 0 taken, 1 the
 * command ends with *exit_code. */
static int take_arg(verify_args *va, int argc, char **argv, int *i,
		    int *exit_code)
{
	const char *a = argv[*i];
	size_t k;

	*exit_code = CCP_EXIT_USAGE;
	if (va->dashdash)
		return take_path(va, a);
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		usage(stdout);
		*exit_code = CCP_EXIT_OK;
		return 1;
	}
	if (strcmp(a, "--") == 0) {
		va->dashdash = 1;
		return 0;
	}
	if (strcmp(a, "--trust-kit-root") == 0) {
		va->o.trust_kit_root = 1;
		return 0;
	}
	for (k = 0; k < sizeof(verify_value_options) / sizeof(verify_value_options[0]); k++) {
		int m;
		const char *v = opt_value(argc, argv, i, verify_value_options[k].name, &m);

		if (m)
			return verify_value_options[k].set(va, v) < 0;
	}
	if (a[0] == '-' && a[1]) {
		fprintf(stderr, "ccprov verify: unknown option '%s'\n", a);
		usage(stderr);
		return 1;
	}
	return take_path(va, a);
}

/* The report, then one line: verified (perhaps only against the kit's
 * own root CA) or failed. */
static int report_verdict(ccp_diags *diags, const verify_args *va,
			  const ccp_verify_result *res)
{
	size_t errors = ccp_diags_count(diags, CCP_SEV_ERROR);
	FILE *verdict = va->fmt == CCP_FMT_TEXT ? stdout : stderr;
	int rc = 0;

	if (diags->count || va->fmt != CCP_FMT_TEXT)
		rc = ccp_cli_write_report(diags, va->fmt, NULL, va->color, res->kits);
	if (rc != 0)
		return rc;
	if (errors)
		fprintf(verdict, "%s failed verification: %zu problem%s in %zu kit%s\n",
			va->path, errors, errors == 1 ? "" : "s", res->kits,
			res->kits == 1 ? "" : "s");
	else
		fprintf(verdict, "%s verified for NVFlare %s (%zu kit%s)%s\n", va->path,
			ccp_nvf_release_of(res->line)->name, res->kits,
			res->kits == 1 ? "" : "s",
			res->root_from_kit ? va->o.trust_kit_root ?
			", trusting the kit's own root CA" :
			", but only against the kit's own root CA" : "");
	return errors ? CCP_EXIT_FINDINGS :
	       res->root_from_kit && !va->o.trust_kit_root ? CCP_EXIT_UNTRUSTED :
	       CCP_EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	verify_args va;
	ccp_verify_result res;
	ccp_diags diags;
	ccp_error err;
	int i, rc;

	memset(&va, 0, sizeof(va));
	va.fmt = CCP_FMT_TEXT;
	va.color = "auto";
	for (i = 1; i < argc; i++)
		if (take_arg(&va, argc, argv, &i, &rc))
			return rc;
	if (!va.path || (va.o.root_ca && va.o.trust_kit_root)) {
		if (va.path)
			fprintf(stderr, "ccprov verify: --root-ca and --trust-kit-root "
				"exclude each other\n");
		usage(stderr);
		return CCP_EXIT_USAGE;
	}

	ccp_diags_init(&diags);
	diags.severity_of = ccp_rule_severity;
	ccp_error_clear(&err);
	if (ccp_verify(&diags, &res, va.path, &va.o, &err) < 0) {
		fprintf(stderr, "ccprov verify: %s\n", err.message);
		ccp_diags_release(&diags);
		return err.code == CCP_ENOMEM || err.code == CCP_EINTR ?
		       CCP_EXIT_FAILURE : CCP_EXIT_FINDINGS;
	}
	ccp_diags_finish(&diags);
	rc = report_verdict(&diags, &va, &res);
	ccp_diags_release(&diags);
	return rc;
}
