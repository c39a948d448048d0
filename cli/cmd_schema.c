/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/schema.h"
#include "commands.h"

static void schema_usage(FILE *out)
{
	fprintf(out,
		"usage: ccprov schema project|cc-config\n"
		"\n"
		"Print the JSON Schema (draft 2020-12) of a project file or a\n"
		"cc_config file, for editors (yaml-language-server and the like).\n"
		"It is generated from the tables ccprov lint checks with; lint\n"
		"checks more.\n");
}

int cmd_schema(int argc, char **argv)
{
	ccp_buf out = CCP_BUF_INIT;
	const char *what = NULL;
	ccp_kind kind;
	int i, options = 1, rc;

	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (options && (strcmp(argv[i], "-h") == 0 ||
				       strcmp(argv[i], "--help") == 0)) {
			schema_usage(stdout);
			return CCP_EXIT_OK;
		} else if (options && argv[i][0] == '-') {
			fprintf(stderr, "ccprov schema: unknown option '%s'\n", argv[i]);
			return CCP_EXIT_USAGE;
		} else if (!what) {
			what = argv[i];
		} else {
			schema_usage(stderr);
			return CCP_EXIT_USAGE;
		}
	}
	if (what && strcmp(what, "project") == 0) {
		kind = CCP_KIND_PROJECT;
	} else if (what && strcmp(what, "cc-config") == 0) {
		kind = CCP_KIND_CC_CONFIG;
	} else {
		schema_usage(stderr);
		return CCP_EXIT_USAGE;
	}
	if (ccp_schema_json(&out, kind) < 0) {
		fprintf(stderr, "ccprov schema: out of memory\n");
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	rc = fwrite(ccp_buf_cstr(&out), 1, out.len, stdout) == out.len &&
	     fflush(stdout) == 0 ? CCP_EXIT_OK : CCP_EXIT_FAILURE;
	ccp_buf_release(&out);
	return rc;
}
