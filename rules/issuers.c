/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attestation issuers (cc_issuers): token lifetimes, ids, and whether
 * each known authorizer class fits the environment and gets only the
 * arguments its constructor takes (CCP-C009..C018).
 *
 * NVFlare writes the issuers of every CC site into every CC site's kit,
 * one component per id, so an id must mean the same authorizer
 * everywhere; that check hashes ids and stays linear in the sites.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/buf.h"
#include "ccprov/nvflare.h"
#include "cc_common.h"
#include "checks.h"

/*
 * The authorizer classes, their arguments and the cc_config setting
 * each needs are NVFlare's facts, in the catalogue (core/nvflare.c).
 * Values the schema accepts for those settings; others it reports.
 */
static int schema_value(const char *v)
{
	static const char *const values[] = {
		"amd_sev_snp", "intel_tdx", "nvidia_cc", "onprem_cvm", "azure_cvm",
		"azure_confidential_container", "mock",
	};
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (strcmp(values[i], v) == 0)
			return 1;
	return 0;
}

static size_t count_of(const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

static const char *issuer_label(const ccp_node *issuer)
{
	const char *id = ccp_node_get_str(issuer, "id");

	return id ? id : "?";
}

static const char *issuer_path(const ccp_node *issuer)
{
	const ccp_node *p = ccp_node_get(issuer, "path");

	return p && p->kind == CCP_NODE_SCALAR && p->stype == CCP_SCALAR_STR ?
	       ccp_node_str(p) : NULL;
}

/* Call fn for every issuer mapping of every loaded cc_config. */
typedef void (*issuer_fn)(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			  const ccp_node *issuer);

static void each_issuer(ccp_lint_ctx *ctx, issuer_fn fn)
{
	size_t i, j;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ctx->ccs[i].issuers;

		for (j = 0; list && j < list->count; j++)
			if (list->items[j]->kind == CCP_NODE_MAP)
				fn(ctx, &ctx->ccs[i], list->items[j]);
	}
}

/* CCP-C009: a token must expire before the next attestation check. */
static void token_vs_frequency(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			       const ccp_node *issuer)
{
	const ccp_node *te = ccp_node_get(issuer, "token_expiration");
	const ccp_node *cf = f->check_frequency_at;
	long long t, freq = f->check_frequency;
	ccp_diag *g;

	if (ccp_node_int(te, &t) < 0 || t <= 0)
		return;
	if (!freq)
		return;   /* the schema reports a bad check_frequency */
	if (t < freq)
		return;
	g = ccp_lint_report(ctx, "CCP-C009", te,
			    "token_expiration %lld of issuer '%s' is not less than %scheck_frequency %lld",
			    t, issuer_label(issuer), cf ? "" : "the default ", freq);
	ccp_diag_set_hint(g, "the token must be renewed before each attestation check; lower token_expiration below %lld or raise cc_attestation.check_frequency",
			  freq);
	if (cf)
		ccp_diag_add_related(g, cf, "check_frequency %lld is set here", freq);
}

void ccp_check_cc_token_frequency(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, token_vs_frequency);
}

/* CCP-C010: every issuer says how long its token lives. */
static void token_missing(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			  const ccp_node *issuer)
{
	const ccp_node *te = ccp_node_get(issuer, "token_expiration");
	ccp_diag *g;

	(void)f;
	if (te && !ccp_node_is_null(te))
		return;
	g = ccp_lint_report(ctx, "CCP-C010", te ? te : issuer,
			    "issuer '%s' has no token_expiration", issuer_label(issuer));
	ccp_diag_set_hint(g, "add token_expiration: SECONDS, less than cc_attestation.check_frequency");
}

void ccp_check_cc_token_missing(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, token_missing);
}

static const ccp_node *id_node(const ccp_node *issuer)
{
	const ccp_node *id = ccp_node_get(issuer, "id");

	return id && id->kind == CCP_NODE_SCALAR && ccp_node_str(id) ? id : NULL;
}

/* CCP-C011: issuer ids are unique within a file. */
void ccp_check_cc_issuer_id_dup(ccp_lint_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ctx->ccs[i].issuers;
		ccp_strmap seen;

		if (!list)
			continue;
		ccp_strmap_init(&seen, 0);
		for (j = 0; j < list->count; j++) {
			const ccp_node *id = id_node(list->items[j]);
			const ccp_node *prev;
			ccp_diag *g;

			if (!id || !(prev = ccp_strmap_put(&seen, id->value, id)))
				continue;
			g = ccp_lint_report(ctx, "CCP-C011", id,
					    "duplicate issuer id '%s'", id->value);
			ccp_diag_set_hint(g, "NVFlare keeps one component per id; rename one of the issuers");
			ccp_diag_add_related(g, prev, "issuer '%s' is first defined here",
					     prev->value);
		}
		ccp_strmap_release(&seen);
	}
}

/* NVFlare writes ARGS or {}: absent, null and empty args are the same. */
static int args_empty(const ccp_node *a)
{
	return !a || ccp_node_is_null(a) || (a->kind == CCP_NODE_MAP && !a->count);
}

/* Whether args holds a key the known class does not take (CCP-C015). */
static int has_foreign_arg(const ccp_nvf_issuer *k, const ccp_node *args)
{
	size_t i;
	const char *const *name;

	if (!args || args->kind != CCP_NODE_MAP)
		return 0;
	for (i = 0; i < args->count; i++) {
		for (name = k->args; *name; name++)
			if (strcmp(*name, args->pairs[i].key->value) == 0)
				break;
		if (!*name)
			return 1;
	}
	return 0;
}

/*
 * An argument a known class does not take (unknown or misspelled) is
 * CCP-C015's finding on its own site; comparing the args across sites
 * as well would report that one mistake again on every other site of
 * the id, so such args count as equal here.
 */
static int args_equal(const ccp_nvf_issuer *k, const ccp_node *a,
		      const ccp_node *b)
{
	if (k && (has_foreign_arg(k, a) || has_foreign_arg(k, b)))
		return 1;
	if (args_empty(a) || args_empty(b))
		return args_empty(a) && args_empty(b);
	return ccp_cc_node_equal(a, b);
}

typedef struct issuer_rec {
	const ccp_node *issuer;
	size_t file;
} issuer_rec;

/* The name of the first participant using each cc_config, for messages. */
static const char **site_names(const ccp_lint_ctx *ctx)
{
	const char **names = calloc(ctx->nccs ? ctx->nccs : 1, sizeof(*names));
	size_t i;

	if (!names)
		return NULL;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		size_t k;

		if (!p->cc || !p->name)
			continue;
		k = (size_t)(p->cc - ctx->ccs);
		if (!names[k])
			names[k] = p->name;
	}
	return names;
}

/* CCP-C012: an issuer id means one class and one set of args everywhere. */
void ccp_check_cc_issuer_id_consistent(ccp_lint_ctx *ctx)
{
	ccp_strmap byid;
	issuer_rec *recs = NULL;
	const char **names = NULL;
	size_t i, j, total = 0, n = 0;

	if (!ctx->root || ctx->nccs < 2)
		return;
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ctx->ccs[i].issuers;

		total += list ? list->count : 0;
	}
	if (!total)
		return;
	ccp_strmap_init(&byid, 0);
	recs = calloc(total, sizeof(*recs));
	names = site_names(ctx);
	if (!recs || !names)
		goto cleanup;
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ctx->ccs[i].issuers;

		for (j = 0; list && j < list->count; j++) {
			const ccp_node *issuer = list->items[j];
			const ccp_node *id = id_node(issuer);
			const issuer_rec *first;
			const char *p1, *p2, *site;
			ccp_diag *g;

			if (!id)
				continue;
			recs[n].issuer = issuer;
			recs[n].file = i;
			first = ccp_strmap_put(&byid, id->value, &recs[n]);
			if (!first) {
				n++;
				continue;
			}
			if (first->file == i)
				continue;   /* CCP-C011 */
			site = names[first->file] ? names[first->file] : ctx->ccs[first->file].path;
			p1 = issuer_path(first->issuer);
			p2 = issuer_path(issuer);
			if (p1 && p2 && strcmp(p1, p2) != 0) {
				int same = strcmp(ccp_class_name(p1), ccp_class_name(p2)) == 0;

				g = ccp_lint_report(ctx, "CCP-C012", ccp_node_get(issuer, "path"),
						    "issuer id '%s' is class '%s' here but '%s' at '%s'",
						    id->value, same ? p2 : ccp_class_name(p2),
						    same ? p1 : ccp_class_name(p1), site);
				ccp_diag_set_hint(g, "NVFlare gives every CC site one authorizer per id, so one of these sites would verify with the wrong class; use distinct ids");
				ccp_diag_add_related(g, ccp_node_get(first->issuer, "path"),
						     "issuer '%s' of '%s'", id->value, site);
			} else if (!args_equal(ccp_nvf_issuer_find(p2),
					       ccp_node_get(first->issuer, "args"),
					       ccp_node_get(issuer, "args"))) {
				const ccp_node *a = ccp_node_get(issuer, "args");
				const ccp_node *fa = ccp_node_get(first->issuer, "args");

				g = ccp_lint_report(ctx, "CCP-C012", a ? a : issuer,
						    "issuer id '%s' has other args here than at '%s'",
						    id->value, site);
				ccp_diag_set_hint(g, "NVFlare gives every CC site one authorizer per id, built with one site's args; make the args equal or use distinct ids");
				ccp_diag_add_related(g, fa ? fa : first->issuer,
						     "issuer '%s' of '%s'", id->value, site);
			}
		}
	}
cleanup:
	ccp_strmap_release(&byid);
	free(recs);
	free(names);
}

/* CCP-C013: a known authorizer runs only on the hardware it attests. */
static void class_vs_env(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			 const ccp_node *issuer)
{
	const ccp_nvf_issuer *k = ccp_nvf_issuer_find(issuer_path(issuer));
	const ccp_node *have;
	const char *v;
	ccp_diag *g;

	if (!k)
		return;
	have = ccp_node_get(f->root, k->env_key);
	v = have && have->kind == CCP_NODE_SCALAR ? ccp_node_str(have) : NULL;
	if (v && strcmp(v, k->env_value) == 0)
		return;
	if ((v && !schema_value(v)) || (!v && have && !ccp_node_is_null(have)))
		return;   /* the schema reports the unknown value or wrong type */
	if (v)
		g = ccp_lint_report(ctx, "CCP-C013", ccp_node_get(issuer, "path"),
				    "issuer '%s' (%s) needs %s '%s', but this cc_config has '%s'",
				    issuer_label(issuer), ccp_class_name(k->path),
				    k->env_key, k->env_value, v);
	else
		g = ccp_lint_report(ctx, "CCP-C013", ccp_node_get(issuer, "path"),
				    "issuer '%s' (%s) needs %s '%s', which this cc_config does not set",
				    issuer_label(issuer), ccp_class_name(k->path),
				    k->env_key, k->env_value);
	ccp_diag_set_hint(g, "the authorizer cannot produce or verify a token on other hardware; use the issuer for this site's %s or set %s: %s",
			  k->env_key, k->env_key, k->env_value);
	if (v)
		ccp_diag_add_related(g, have, "%s '%s' is set here", k->env_key, v);
}

void ccp_check_cc_issuer_env(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, class_vs_env);
}

/* CCP-C014: nvidia_cc promises GPU attestation, so something must do it. */
void ccp_check_cc_gpu_issuer(ccp_lint_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *gpu = ctx->ccs[i].gpu_mechanism_at;
		const ccp_node *list = ctx->ccs[i].issuers;
		const char *v = gpu && gpu->kind == CCP_NODE_SCALAR ? ccp_node_str(gpu) : NULL;
		int found = 0;
		ccp_diag *g;

		if (!v || strcmp(v, "nvidia_cc") != 0)
			continue;
		for (j = 0; list && j < list->count && !found; j++) {
			const char *p = issuer_path(list->items[j]);

			found = p && strcmp(ccp_class_name(p), "GPUAuthorizer") == 0;
		}
		if (found)
			continue;
		g = ccp_lint_report(ctx, "CCP-C014", gpu,
				    "cc_gpu_mechanism 'nvidia_cc' but no GPUAuthorizer in cc_issuers: the GPU is not attested");
		ccp_diag_set_hint(g, "add an issuer with path " CCP_NVF_CC_PKG "gpu_authorizer.GPUAuthorizer (the image needs nv_attestation_sdk)");
	}
}

/* CCP-C015: known classes take only their constructor's arguments. */
static void unknown_args(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			 const ccp_node *issuer)
{
	const ccp_nvf_issuer *k = ccp_nvf_issuer_find(issuer_path(issuer));
	const ccp_node *args = ccp_node_get(issuer, "args");
	size_t i, j, nargs;

	(void)f;
	if (!k || !args || args->kind != CCP_NODE_MAP)
		return;
	nargs = count_of(k->args);
	for (i = 0; i < args->count; i++) {
		const ccp_node *key = args->pairs[i].key;
		const char *sug;
		ccp_diag *g;

		for (j = 0; j < nargs; j++)
			if (strcmp(k->args[j], key->value) == 0)
				break;
		if (j < nargs)
			continue;
		g = ccp_lint_report(ctx, "CCP-C015", key,
				    "%s takes no argument '%s'; the site would fail to start",
				    ccp_class_name(k->path), key->value);
		sug = nargs ? ccp_suggest(key->value, k->args, nargs) : NULL;
		if (sug)
			ccp_diag_set_hint(g, "did you mean '%s'?", sug);
		else if (!nargs)
			ccp_diag_set_hint(g, "%s takes no arguments", ccp_class_name(k->path));
		else {
			ccp_buf list = CCP_BUF_INIT;

			for (j = 0; j < nargs; j++)
				ccp_buf_printf(&list, "%s%s", j ? ", " : "", k->args[j]);
			ccp_diag_set_hint(g, "known arguments: %s", ccp_buf_cstr(&list));
			ccp_buf_release(&list);
		}
	}
}

void ccp_check_cc_issuer_args(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, unknown_args);
}

/* CCP-C016: arguments without a default must be given. */
static void required_args(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			  const ccp_node *issuer)
{
	const ccp_nvf_issuer *k = ccp_nvf_issuer_find(issuer_path(issuer));
	const ccp_node *args = ccp_node_get(issuer, "args");
	size_t j;

	(void)f;
	if (!k || (args && !ccp_node_is_null(args) && args->kind != CCP_NODE_MAP))
		return;
	for (j = 0; k->required[j]; j++) {
		const ccp_node *v = ccp_node_get(args, k->required[j]);
		ccp_diag *g;

		if (v && !ccp_node_is_null(v))
			continue;
		g = ccp_lint_report(ctx, "CCP-C016",
				    args && args->kind == CCP_NODE_MAP ? args : issuer,
				    "issuer '%s' (%s) is missing required argument '%s'",
				    issuer_label(issuer), ccp_class_name(k->path),
				    k->required[j]);
		ccp_diag_set_hint(g, "add '%s' under args", k->required[j]);
	}
}

void ccp_check_cc_issuer_required(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, required_args);
}

/* CCP-C017: custom authorizers are legal, but ccprov cannot check them. */
static void unknown_class(ccp_lint_ctx *ctx, const ccp_cc_file *f,
			  const ccp_node *issuer)
{
	const char *p = issuer_path(issuer);
	const char *names[CCP_NVF_ISSUERS_MAX], *sug = NULL;
	size_t i, n;
	const ccp_nvf_issuer *known = ccp_nvf_issuers(&n);
	ccp_diag *g;

	(void)f;
	if (!p || ccp_nvf_issuer_find(p) || !ccp_cc_is_dotted(p, 2, 0))
		return;
	for (i = 0; i < n; i++) {
		names[i] = ccp_class_name(known[i].path);
		if (strcmp(names[i], ccp_class_name(p)) == 0)
			sug = known[i].path;
	}
	if (!sug) {
		const char *cls = ccp_suggest(ccp_class_name(p), names, n);

		for (i = 0; cls && i < n; i++)
			if (names[i] == cls)
				sug = known[i].path;
	}
	g = ccp_lint_report(ctx, "CCP-C017", ccp_node_get(issuer, "path"),
			    "issuer class '%s' is not one ccprov knows; its args and environment are not checked",
			    p);
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'?", sug);
}

void ccp_check_cc_issuer_unknown(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, unknown_class);
}

/* CCP-C018: path is an importable dotted class path. */
static void bad_path(ccp_lint_ctx *ctx, const ccp_cc_file *f,
		     const ccp_node *issuer)
{
	const ccp_node *pn = ccp_node_get(issuer, "path");
	const char *p = issuer_path(issuer);
	ccp_diag *g;

	(void)f;
	if (!p || !*p || strlen(p) != pn->len || ccp_cc_is_dotted(p, 2, 0))
		return;
	g = ccp_lint_report(ctx, "CCP-C018", pn,
			    "issuer path '%s' is not a dotted Python class path", p);
	ccp_diag_set_hint(g, "write module.path.ClassName, e.g. " CCP_NVF_CC_PKG "snp_authorizer.SNPAuthorizer");
}

void ccp_check_cc_issuer_path(ccp_lint_ctx *ctx)
{
	each_issuer(ctx, bad_path);
}
