/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostics anchored at a YAML node: the node gives the location and,
 * through its path and text, a fingerprint that survives moved lines.
 * The diagnostic collection itself (core/diag.c) knows only plain
 * locations, so it sits below the YAML layer.
 */
#include <stdarg.h>
#include <string.h>

#include "ccprov/diag.h"
#include "ccprov/yaml.h"

ccp_diag *ccp_diags_add(ccp_diags *d, const char *rule, ccp_severity sev,
			const ccp_node *at, const char *file,
			const char *fmt, ...)
{
	ccp_diag_at loc = { file, 0, 0, 0, 0, NULL, NULL, 0 };
	char path[512];
	va_list ap;
	ccp_diag *g;

	if (at) {
		loc.file = at->file;
		loc.line = at->line;
		loc.column = at->column;
		loc.end_line = at->end_line;
		loc.end_column = at->end_column;
		ccp_node_path(at, path, sizeof(path));
		/* a key's identity is its path; a scalar's also its text */
		loc.fp_key = path;
		if (at->kind == CCP_NODE_SCALAR && at->value) {
			loc.fp_value = at->value;
			loc.fp_value_len = at->len;
		}
	}
	va_start(ap, fmt);
	g = ccp_diags_vadd(d, rule, sev, &loc, fmt, ap);
	va_end(ap);
	return g;
}

void ccp_diag_add_related(ccp_diag *g, const ccp_node *at,
			  const char *fmt, ...)
{
	va_list ap;

	if (!g || !at)
		return;
	va_start(ap, fmt);
	ccp_diag_vadd_related_at(g, at->file, at->line, at->column, fmt, ap);
	va_end(ap);
}
