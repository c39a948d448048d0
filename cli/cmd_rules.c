/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/json.h"
#include "ccprov/rules.h"
#include "commands.h"
#include "options.h"

static void rules_usage(FILE *out)
{
	ccp_cli_print_usage(out, "rules", NULL);
}

int cmd_rules(int argc, char **argv)
{
	const char *fmt = "text";
	size_t n, i;
	const ccp_rule *rules = ccp_rules(&n);
	ccp_buf out = CCP_BUF_INIT;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			rules_usage(stdout);
			return CCP_EXIT_OK;
		} else if (strcmp(argv[k], "--format") == 0 && k + 1 < argc) {
			fmt = argv[++k];
		} else if (strncmp(argv[k], "--format=", 9) == 0) {
			fmt = argv[k] + 9;
		} else if (strcmp(argv[k], "--") == 0 && k + 1 == argc) {
			break;   /* the end of options; rules takes no operands */
		} else {
			fprintf(stderr, "ccprov rules: unknown argument '%s'\n", argv[k]);
			rules_usage(stderr);
			return CCP_EXIT_USAGE;
		}
	}
	if (strcmp(fmt, "text") == 0) {
		for (i = 0; i < n; i++)
			ccp_buf_printf(&out, "%-9s %-8s %-13s %s\n", rules[i].id,
				       ccp_severity_name(rules[i].severity),
				       rules[i].category, rules[i].summary);
	} else if (strcmp(fmt, "markdown") == 0) {
		ccp_buf_puts(&out, "| rule | severity | category | summary |\n|---|---|---|---|\n");
		for (i = 0; i < n; i++)
			ccp_buf_printf(&out, "| [%s](rules/%s.md) | %s | %s | %s |\n",
				       rules[i].id, rules[i].id,
				       ccp_severity_name(rules[i].severity),
				       rules[i].category, rules[i].summary);
	} else if (strcmp(fmt, "json") == 0) {
		ccp_jw w;

		ccp_jw_init(&w, &out, 2);
		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "version");
		ccp_jw_int(&w, 1);
		ccp_jw_key(&w, "rules");
		ccp_jw_array_begin(&w);
		for (i = 0; i < n; i++) {
			ccp_jw_object_begin(&w);
			ccp_jw_key(&w, "id");
			ccp_jw_string(&w, rules[i].id);
			ccp_jw_key(&w, "severity");
			ccp_jw_string(&w, ccp_severity_name(rules[i].severity));
			ccp_jw_key(&w, "category");
			ccp_jw_string(&w, rules[i].category);
			ccp_jw_key(&w, "summary");
			ccp_jw_string(&w, rules[i].summary);
			ccp_jw_object_end(&w);
		}
		ccp_jw_array_end(&w);
		ccp_jw_object_end(&w);
		ccp_buf_putc(&out, '\n');
	} else {
		fprintf(stderr, "ccprov rules: unknown format '%s' (use text, json or markdown)\n", fmt);
		return CCP_EXIT_USAGE;
	}
	if (ccp_buf_failed(&out)) {
		ccp_buf_release(&out);
		return CCP_EXIT_FAILURE;
	}
	fwrite(ccp_buf_cstr(&out), 1, out.len, stdout);
	ccp_buf_release(&out);
	return CCP_EXIT_OK;
}
