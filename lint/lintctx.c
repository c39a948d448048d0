/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What rules call on the lint context (lintctx.h): report a finding,
 * find a participant, resolve a path. Kept apart from the engine
 * (lint.c), which builds the context and runs the rules, so that the
 * engine calls the rules and the rules call only this.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/rules.h"
#include "lintctx.h"
#include "path.h"
#include "yaml_internal.h"

ccp_diag *ccp_lint_report(ccp_lint_ctx *ctx, const char *rule,
			  const ccp_node *at, const char *fmt, ...)
{
	ccp_buf b = CCP_BUF_INIT;
	va_list ap;
	ccp_diag *g;
	const ccp_rule *r = ccp_rule_find(rule);

	va_start(ap, fmt);
	ccp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g = ccp_diags_add(ctx->diags, rule, r ? r->severity : CCP_SEV_ERROR, at,
			  ctx->project_path, "%s", ccp_buf_cstr(&b));
	ccp_buf_release(&b);
	return g;
}

/* The first participant of that name, by binary search over by_name. */
ccp_lint_participant *ccp_lint_find(ccp_lint_ctx *ctx, const char *name)
{
	size_t lo = 0, hi = ctx->nby_name;

	if (!name)
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(ctx->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->nby_name && strcmp(ctx->by_name[lo]->name, name) == 0)
		return ctx->by_name[lo];
	return NULL;
}

char *ccp_lint_resolve(const char *dir, const char *path)
{
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
		const char *home = getenv("HOME");
		ccp_buf b = CCP_BUF_INIT;

		ccp_buf_printf(&b, "%s%s", home ? home : "", path + 1);
		return ccp_buf_detach(&b);
	}
	return ccp_path_join(dir, path);
}

const char *ccp_lint_realpath(ccp_lint_ctx *ctx, const char *path)
{
	return ccp_yaml_realpath(ctx->yaml, path);
}

const char *ccp_class_name(const char *dotted)
{
	const char *dot = strrchr(dotted, '.');

	return dot ? dot + 1 : dotted;
}
