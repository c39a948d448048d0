/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file rules.h
 * The rule registry: one static table of every diagnostic ccprov can
 * emit, with its id, default severity, summary and check function. Rules
 * raised by the loader and schema walker have no check function; policy
 * rules run over a loaded project (struct ccp_lint_ctx, lint/lintctx.h).
 */
#ifndef CCPROV_RULES_H
#define CCPROV_RULES_H

#include <stddef.h>

#include "ccprov/diag.h"

struct ccp_lint_ctx;

typedef void (*ccp_rule_fn)(struct ccp_lint_ctx *ctx);

typedef struct ccp_rule {
	const char *id;          /**< "CCP-X000"; the table is sorted by id */
	ccp_severity severity;   /**< default severity */
	const char *category;    /**< yaml, schema, builders, participants, cc, ... */
	const char *summary;     /**< one line, lower-case */
	ccp_rule_fn check;       /**< NULL for loader and schema rules */
} ccp_rule;

/** The registry, sorted by id. */
const ccp_rule *ccp_rules(size_t *count);
/** Look up a rule by id, or NULL. Accepts what users type: any case,
 * with or without the "CCP-" prefix, fewer digits ("c1" is CCP-C001). */
const ccp_rule *ccp_rule_find(const char *id);
/** The registered id nearest to a text that names no rule (a typo such
 * as "CCP-C10l" or "CPP-C001"), or NULL. */
const char *ccp_rule_suggest(const char *text);
/** Severity lookup in the shape ccp_diags.severity_of expects. */
int ccp_rule_severity(const char *id, ccp_severity *out);
/** An embedded documentation page. */
typedef struct ccp_rule_page {
	const char *id;
	const char *text;
} ccp_rule_page;

/** The documentation page of a rule (Markdown), or NULL. */
const char *ccp_rule_page_text(const char *id);

#endif
