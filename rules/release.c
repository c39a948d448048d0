/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The NVFlare release line (--nvflare): what the chosen line refuses
 * (CCP-P022) and what it does not have, which ccprov then handles as
 * that line's own provisioner would (CCP-P023). The facts come from the
 * catalogue (include/catalogue/ccprov/nvflare.h).
 */
#include <stdio.h>
#include <string.h>

#include "ccprov/nvflare.h"
#include "checks.h"

static const ccp_nvf_release *rel_of(const ccp_lint_ctx *ctx)
{
	return ccp_nvf_release_of(ctx->opts->line);
}

static const char *other_line(const ccp_nvf_release *r)
{
	return r->line == CCP_NVF_2_7 ? "2.8" : "2.7";
}

static int is_overseer(const ccp_lint_participant *p)
{
	return ccp_model_type(p) && strcmp(ccp_model_type(p), "overseer") == 0;
}

/* ---- CCP-P022: the chosen line refuses the project ---- */

void ccp_check_release_refuses(ccp_lint_ctx *ctx)
{
	const ccp_nvf_release *r = rel_of(ctx);
	const ccp_node *ver;
	long long v;
	size_t i;
	ccp_diag *g;

	if (!ctx->root)
		return;
	ver = ccp_node_get(ctx->root, "api_version");
	if (ver && ccp_node_int(ver, &v) == 0 && v > r->max_api_version &&
	    v <= 4) {
		g = ccp_lint_report(ctx, "CCP-P022", ver,
				    "NVFlare %s refuses api_version %lld (it provisions "
				    "api_version %d only)", r->name, v, r->max_api_version);
		ccp_diag_set_hint(g, "use --nvflare %s, or api_version %d without "
				  "'studies'", other_line(r), r->max_api_version);
	}
	if (!r->refuses_overseer)
		return;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];

		if (!is_overseer(p))
			continue;
		g = ccp_lint_report(ctx, "CCP-P022", p->type_at,
				    "NVFlare %s refuses participant type 'overseer' "
				    "(the overseer was removed)", r->name);
		ccp_diag_set_hint(g, "remove the overseer participant");
	}
}

/* ---- CCP-P023: the chosen line does not have a setting ---- */

static void report_ignored(ccp_lint_ctx *ctx, const ccp_node *at,
			   const char *msg, const char *hint)
{
	ccp_diag *g;

	if (!at)
		return;
	g = ccp_lint_report(ctx, "CCP-P023", at, "%s", msg);
	ccp_diag_set_hint(g, "%s", hint);
}

static void builder_args(ccp_lint_ctx *ctx, const ccp_nvf_release *r)
{
	const ccp_node *list = ctx->builders;
	char msg[256];
	size_t i;

	for (i = 0; list && list->kind == CCP_NODE_SEQ && i < list->count; i++) {
		const ccp_node *b = list->items[i];
		const char *path = ccp_node_get_str(b, "path");
		const ccp_node *args = ccp_node_get(b, "args");
		const ccp_node *signed_jobs = ccp_node_get_key(args, "require_signed_jobs");
		const ccp_node *root_days = ccp_node_get_key(args, "root_valid_days");
		ccp_nvf_builder k = ccp_nvf_builder_kind(path);

		if (k == CCP_NVF_B_STATIC_FILE && signed_jobs &&
		    !ccp_nvf_arg_read(ccp_nvf_builder_arg(k, "require_signed_jobs"),
				      r->line)) {
			snprintf(msg, sizeof(msg), "NVFlare %s's StaticFileBuilder ignores "
				 "'require_signed_jobs'; the kits do not carry it", r->name);
			report_ignored(ctx, signed_jobs, msg,
				       "remove it: no released NVFlare enforces signed jobs from "
				       "the kit");
		}
		if (k == CCP_NVF_B_CERT && root_days &&
		    !ccp_nvf_arg_read(ccp_nvf_builder_arg(k, "root_valid_days"), r->line)) {
			snprintf(msg, sizeof(msg), "NVFlare %s's CertBuilder rejects "
				 "'root_valid_days' (TypeError); ccprov uses it as the "
				 "lifetime of a new root CA", r->name);
			report_ignored(ctx, root_days, msg,
				       "keep it only if this project is provisioned with ccprov "
				       "alone");
		}
	}
}


/*
 * A participant flag (or the project's fallback for it): a line that
 * does not read it ignores it (CCP-P023); a line that does reads it with
 * Python's truthiness and never checks its type, so a quoted "false" is
 * true (CCP-S013). NVFlare provisions either way: both are warnings.
 */
static void check_flag(ccp_lint_ctx *ctx, const ccp_node *owner,
		       const char *key, int line_reads, int dflt)
{
	const ccp_nvf_release *r = rel_of(ctx);
	const ccp_node *k = ccp_node_get_key(owner, key);
	const ccp_node *v = ccp_node_get(owner, key);
	char msg[256];
	ccp_diag *g;

	if (!k || !v)
		return;
	if (!line_reads) {
		snprintf(msg, sizeof(msg), "NVFlare %s ignores '%s'; the kits do not carry it",
			 r->name, key);
		report_ignored(ctx, k, msg, "remove it, or choose the release line that reads "
			       "it with --nvflare");
		return;
	}
	if (owner != ctx->root && !ccp_node_truthy(v)) {
		/* NVFlare takes a false participant value for an unset one and
		 * uses the project's value, else its default */
		const ccp_node *pv = ccp_node_get(ctx->root, key);
		int eff = pv ? ccp_node_truthy(pv) : dflt;

		if (!eff)
			return;
		g = ccp_lint_report(ctx, "CCP-S013", v,
				    "NVFlare reads a false '%s' as unset and uses %s, which is true",
				    key, pv ? "the project's value" : "its default");
		if (pv)
			ccp_diag_add_related(g, pv, "the project's '%s'", key);
		ccp_diag_set_hint(g, "set '%s: false' at the top of project.yml (NVFlare's "
				  "fallback for every participant) and 'true' on the "
				  "participants that need it", key);
		return;
	}
	if (v->kind == CCP_NODE_SCALAR &&
	    (v->stype == CCP_SCALAR_BOOL || v->stype == CCP_SCALAR_NULL))
		return;
	g = ccp_lint_report(ctx, "CCP-S013", v,
			    "'%s' is %s %s, not true or false; NVFlare reads it as %s", key,
			    v->kind == CCP_NODE_SCALAR && v->stype == CCP_SCALAR_INT ? "an" : "a",
			    ccp_node_type_name(v), ccp_node_truthy(v) ? "true" : "false");
	ccp_diag_set_hint(g, "write true or false without quotes");
}

static void check_flags(ccp_lint_ctx *ctx, const ccp_node *owner)
{
	const ccp_nvf_release *r = rel_of(ctx);

	if (!owner || owner->kind != CCP_NODE_MAP)
		return;
	/* the defaults NVFlare passes to get_prop_fb */
	check_flag(ctx, owner, "allow_log_streaming", r->client_log_streaming, 1);
	check_flag(ctx, owner, "allow_error_sending", r->error_log_sender, 0);
}

void ccp_check_release_ignores(ccp_lint_ctx *ctx)
{
	const ccp_nvf_release *r = rel_of(ctx);
	const ccp_node *ver;
	char msg[256];
	long long v = 3;
	size_t i;

	if (ctx->root) {
		ver = ccp_node_get(ctx->root, "api_version");
		if (ver)
			ccp_node_int(ver, &v);
		/* With api_version 4 on such a line, CCP-P022 says it. */
		if (!r->has_studies && v <= r->max_api_version &&
		    !ccp_node_is_null(ccp_node_get(ctx->root, "studies"))) {
			snprintf(msg, sizeof(msg), "NVFlare %s ignores 'studies' (they need "
				 "NVFlare 2.8 and api_version 4); the kits have no study "
				 "registry", r->name);
			report_ignored(ctx, ccp_node_get_key(ctx->root, "studies"), msg,
				       "use --nvflare 2.8 with api_version 4, or remove 'studies'");
		}
		builder_args(ctx, r);
		check_flags(ctx, ctx->root);
	}
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];

		check_flags(ctx, p->node);
		if (is_overseer(p) && !r->refuses_overseer) {
			snprintf(msg, sizeof(msg), "NVFlare %s ignores participant type "
				 "'overseer'; it gets no kit", r->name);
			report_ignored(ctx, p->type_at, msg,
				       "remove the overseer participant");
		}
		if (!r->has_auth_identity && ccp_node_get_key(p->node, "auth_identity")) {
			snprintf(msg, sizeof(msg), "NVFlare %s ignores 'auth_identity'; the "
				 "kits name '%s' as NVFlare's do", r->name,
				 p->name ? p->name : "");
			report_ignored(ctx, ccp_node_get_key(p->node, "auth_identity"), msg,
				       "remove it: peers expect the certificate's name");
		}
	}
	for (i = 0; !r->has_class_allow_list && i < ctx->nccs; i++) {
		const ccp_node *k = ccp_node_get_key(ctx->ccs[i].root, "class_allow_list");

		if (!k)
			continue;
		snprintf(msg, sizeof(msg), "NVFlare %s has no class allow-list and "
			 "ignores 'class_allow_list'; the kits do not carry it", r->name);
		report_ignored(ctx, k, msg, "use --nvflare 2.8, or remove it");
	}
}
