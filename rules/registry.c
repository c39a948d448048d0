/*
 * The rule registry: every diagnostic ccprov can emit, sorted by id.
 * A rule is one row here, a check function (policy rules), a page
 * rules/<ID>.md and golden cases tests/golden/<ID>-fires*,
 * tests/golden/<ID>-silent*; tests/unit/test_rules.c enforces all four.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccprov/buf.h"
#include "ccprov/rules.h"
#include "checks.h"

#define E CCP_SEV_ERROR
#define W CCP_SEV_WARNING
#define N CCP_SEV_NOTE

static const ccp_rule registry[] = {
	/* builders and packager */

	/* confidential computing */

	/* network: ports and hosts */

	/* participants and project */

	/* schema (raised by the schema walker) */
	{ "CCP-S001", E, "schema", "unknown key", NULL },
	{ "CCP-S002", N, "schema", "participant property ccprov does not know, close to one it does", NULL },
	{ "CCP-S003", E, "schema", "value of the wrong type", NULL },
	{ "CCP-S004", E, "schema", "required key missing or empty", NULL },
	{ "CCP-S005", E, "schema", "value outside the allowed set", NULL },
	{ "CCP-S006", E, "schema", "integer out of range", NULL },
	{ "CCP-S007", E, "schema", "name or address of the wrong form", NULL },
	{ "CCP-S008", E, "schema", "name longer than a certificate can hold", NULL },
	{ "CCP-S009", W, "schema", "name NVFlare truncates", NULL },
	{ "CCP-S010", E, "schema", "characters that would break kit paths, JSON or scripts", NULL },
	{ "CCP-S011", W, "schema", "value NVFlare does not recognise and only warns about", NULL },
	{ "CCP-S012", E, "schema", "empty value where one is needed", NULL },

	/* YAML (raised by the loader) */
	{ "CCP-Y001", E, "yaml", "YAML syntax error", NULL },
	{ "CCP-Y002", E, "yaml", "duplicate mapping key", NULL },
	{ "CCP-Y003", E, "yaml", "top level is not a mapping", NULL },
	{ "CCP-Y004", E, "yaml", "empty file", NULL },
	{ "CCP-Y005", E, "yaml", "invalid UTF-8 or NUL byte", NULL },
	{ "CCP-Y006", E, "yaml", "file over the size limit", NULL },
	{ "CCP-Y007", E, "yaml", "nesting deeper than the limit", NULL },
	{ "CCP-Y008", E, "yaml", "alias expansion or node count beyond the limit", NULL },
	{ "CCP-Y009", E, "yaml", "file missing or unreadable", NULL },
	{ "CCP-Y010", E, "yaml", "a directory where a file is expected", NULL },
	{ "CCP-Y011", E, "yaml", "include: that cannot be resolved", NULL },
	{ "CCP-Y012", W, "yaml", "included key overridden by the including file", NULL },
};

#undef E
#undef W
#undef N

const ccp_rule *ccp_rules(size_t *count)
{
	*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

const ccp_rule *ccp_rule_find(const char *id)
{
	size_t lo = 0, hi = sizeof(registry) / sizeof(registry[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcasecmp(id, registry[mid].id);

		if (c == 0)
			return &registry[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int ccp_rule_severity(const char *id, ccp_severity *out)
{
	const ccp_rule *r = ccp_rule_find(id);

	if (!r)
		return -1;
	*out = r->severity;
	return 0;
}

/* generated from the rule pages (rules/<ID>.md) at build time */
extern const ccp_rule_page ccp_rule_pages[];

const char *ccp_rule_page_text(const char *id)
{
	const ccp_rule_page *p;

	for (p = ccp_rule_pages; p->id; p++)
		if (strcasecmp(p->id, id) == 0)
			return p->text;
	return NULL;
}

char *ccp_rule_doc_path(const char *id)
{
	ccp_buf b = CCP_BUF_INIT;
	const char *root = getenv("CCPROV_SOURCE_DIR");
	const ccp_rule *r = ccp_rule_find(id);

	if (!r)
		return NULL;
	ccp_buf_printf(&b, "%s/rules/%s.md", root && *root ? root : CCPROV_SOURCE_DIR,
		       r->id);
	return ccp_buf_detach(&b);
}
