/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "ccprov/rules.h"
#include "commands.h"
#include "options.h"

int cmd_explain(int argc, char **argv)
{
	const ccp_rule *r;
	const char *page;

	/* "ccprov explain -- ID": the end of options, then the rule id */
	if (argc == 3 && strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	} else if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		ccp_cli_print_usage(stdout, "explain", NULL);
		return CCP_EXIT_OK;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: ccprov explain RULE_ID\n");
		return CCP_EXIT_USAGE;
	}
	r = ccp_rule_find(argv[1]);
	if (!r) {
		const char *sug = ccp_rule_suggest(argv[1]);

		if (sug)
			fprintf(stderr, "ccprov explain: no rule '%s'; did you mean '%s'?\n",
				argv[1], sug);
		else
			fprintf(stderr, "ccprov explain: no rule '%s'; 'ccprov rules' lists them\n",
				argv[1]);
		return CCP_EXIT_USAGE;
	}
	page = ccp_rule_page_text(r->id);
	if (!page) {
		printf("%s (%s, %s): %s\n", r->id, ccp_severity_name(r->severity),
		       r->category, r->summary);
		return CCP_EXIT_OK;
	}
	fputs(page, stdout);
	return CCP_EXIT_OK;
}
