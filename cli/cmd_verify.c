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

int cmd_verify(int argc, char **argv)
{
	ccp_verify_opts o;
	ccp_verify_result res;
	ccp_format fmt = CCP_FMT_TEXT;
	const char *path = NULL, *color = "auto", *v;
	ccp_diags diags;
	ccp_error err;
	size_t errors;
	int i, m, rc, dashdash = 0;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!dashdash && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			usage(stdout);
			return CCP_EXIT_OK;
		}
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && strcmp(a, "--trust-kit-root") == 0) {
			o.trust_kit_root = 1;
			continue;
		}
		v = dashdash ? NULL : opt_value(argc, argv, &i, "--root-ca", &m);
		if (!dashdash && m) {
			if (!v || !*v) {
				fprintf(stderr, "ccprov verify: '--root-ca' needs a file\n");
				return CCP_EXIT_USAGE;
			}
			o.root_ca = v;
			continue;
		}
		v = dashdash ? NULL : opt_value(argc, argv, &i, "--nvflare", &m);
		if (!dashdash && m) {
			if (ccp_nvf_line_parse(&o.line, v) < 0) {
				fprintf(stderr, "ccprov verify: --nvflare takes %s, not '%s'\n",
					ccp_nvf_line_names(), v ? v : "");
				return CCP_EXIT_USAGE;
			}
			o.line_given = 1;
			continue;
		}
		v = dashdash ? NULL : opt_value(argc, argv, &i, "--format", &m);
		if (!dashdash && m) {
			if (!v || ccp_format_parse(v, &fmt) < 0) {
				fprintf(stderr, "ccprov verify: unknown format '%s' (use %s)\n",
					v ? v : "", ccp_format_names());
				return CCP_EXIT_USAGE;
			}
			continue;
		}
		v = dashdash ? NULL : opt_value(argc, argv, &i, "--color", &m);
		if (!dashdash && m) {
			if (!v || (strcmp(v, "auto") && strcmp(v, "always") &&
				   strcmp(v, "never"))) {
				fprintf(stderr, "ccprov verify: --color takes auto, always or never\n");
				return CCP_EXIT_USAGE;
			}
			color = v;
			continue;
		}
		if (!dashdash && a[0] == '-' && a[1]) {
			fprintf(stderr, "ccprov verify: unknown option '%s'\n", a);
			usage(stderr);
			return CCP_EXIT_USAGE;
		}
		if (path) {
			fprintf(stderr, "ccprov verify: unexpected argument '%s'\n", a);
			return CCP_EXIT_USAGE;
		}
		path = a;
	}
	if (!path || (o.root_ca && o.trust_kit_root)) {
		if (path)
			fprintf(stderr, "ccprov verify: --root-ca and --trust-kit-root "
				"exclude each other\n");
		usage(stderr);
		return CCP_EXIT_USAGE;
	}

	ccp_diags_init(&diags);
	diags.severity_of = ccp_rule_severity;
	ccp_error_clear(&err);
	if (ccp_verify(&diags, &res, path, &o, &err) < 0) {
		fprintf(stderr, "ccprov verify: %s\n", err.message);
		ccp_diags_release(&diags);
		return err.code == CCP_ENOMEM || err.code == CCP_EINTR ?
		       CCP_EXIT_FAILURE : CCP_EXIT_FINDINGS;
	}
	ccp_diags_finish(&diags);
	errors = ccp_diags_count(&diags, CCP_SEV_ERROR);
	rc = 0;
	if (diags.count || fmt != CCP_FMT_TEXT)
		rc = ccp_cli_write_report(&diags, fmt, NULL, color, res.kits);
	if (rc == 0) {
		FILE *verdict = fmt == CCP_FMT_TEXT ? stdout : stderr;

		if (errors)
			fprintf(verdict, "%s failed verification: %zu problem%s in %zu kit%s\n",
				path, errors, errors == 1 ? "" : "s", res.kits,
				res.kits == 1 ? "" : "s");
		else
			fprintf(verdict, "%s verified for NVFlare %s (%zu kit%s)%s\n", path,
				ccp_nvf_release_of(res.line)->name, res.kits,
				res.kits == 1 ? "" : "s",
				res.root_from_kit ? o.trust_kit_root ?
				", trusting the kit's own root CA" :
				", but only against the kit's own root CA" : "");
		rc = errors ? CCP_EXIT_FINDINGS :
		     res.root_from_kit && !o.trust_kit_root ? CCP_EXIT_UNTRUSTED :
		     CCP_EXIT_OK;
	}
	ccp_diags_release(&diags);
	return rc;
}
