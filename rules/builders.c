/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builder and packager rules (CCP-B): which NVFlare builders a project
 * lists, in which order, with which arguments, and what the CC packager
 * needs on disk. NVFlare instantiates every entry by its dotted path and
 * runs them in list order without checking any of this, so a misplaced
 * or missing builder yields kits that silently lack CC assets or
 * signatures.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/buf.h"
#include "ccprov/names.h"
#include "ccprov/nvflare.h"
#include "checks.h"
#include "fsio.h"
#include "strmap.h"
#include "yaml_internal.h"

/* The builder and packager classes and their arguments are NVFlare's
 * facts, in the catalogue (core/nvflare.c). */
#define NKNOWN ((size_t)CCP_NVF_C_COUNT)

static const ccp_nvf_class *known(size_t i)
{
	return ccp_nvf_class_of((ccp_nvf_class_id)i);
}

static const char *const builtin_schemes[] = { "grpc", "tcp", "http" };

/* ---- resolving a dotted path to a known component ---- */

/* Edit distance with adjacent transpositions; large for long inputs. */
static size_t distance(const char *a, const char *b)
{
	return ccp_edit_distance(a, b, CCP_EDIT_TRANSPOSE);
}

static const char *known_class(const ccp_nvf_class *k)
{
	return ccp_class_name(k->path);
}

/* The known component whose full path path spells in another case, with a
 * prefix left out, or within three edits; NULL when none is that close. */
static const ccp_nvf_class *resolve_near_path(const char *path, int packager)
{
	size_t i, best_d = 999, plen = strlen(path);
	const ccp_nvf_class *best = NULL;

	for (i = 0; i < NKNOWN; i++) {
		const ccp_nvf_class *k = known(i);
		const char *full = k->path;
		size_t d, flen;

		if (k->packager != packager)
			continue;
		flen = strlen(full);
		if (ccp_name_casecmp(full, path) == 0)
			return k;
		/* "impl.cert.CertBuilder", "lighter.impl.cert.CertBuilder" */
		if (plen < flen && full[flen - plen - 1] == '.' &&
		    ccp_name_casecmp(full + flen - plen, path) == 0)
			return k;
		/* the distance is at least the difference in length */
		if ((plen > flen ? plen - flen : flen - plen) > 3)
			continue;
		d = distance(path, full);
		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	return best && best_d <= 3 ? best : NULL;
}

/* A known class under the wrong nvflare module, or one edit from one. */
static const ccp_nvf_class *resolve_near_class(const char *cls, int packager)
{
	size_t i, best_d = 999;
	const ccp_nvf_class *best = NULL;

	size_t clen = strlen(cls);

	for (i = 0; i < NKNOWN; i++) {
		const ccp_nvf_class *k = known(i);
		size_t d, klen = strlen(known_class(k));

		if (k->packager != packager || (clen > klen ? clen - klen : klen - clen) > 1)
			continue;
		d = distance(cls, known_class(k));
		if (ccp_name_casecmp(cls, known_class(k)) == 0)
			d = 0;
		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	return best && best_d <= 1 ? best : NULL;
}

/*
 * The known component a path names exactly (*exact = 1) or nearly
 * (*exact = 0: wrong case, a typo, a wrong module under nvflare., or
 * the nvflare.lighter. prefix left out), or NULL.
 */
static const ccp_nvf_class *resolve(const char *path, int packager, int *exact)
{
	const ccp_nvf_class *k = ccp_nvf_class_find(path, packager);

	/* the usual case first, before any edit distance */
	*exact = k != NULL;
	if (k)
		return k;
	k = resolve_near_path(path, packager);
	if (k)
		return k;
	if (ccp_name_ncasecmp(path, "nvflare.", 8) != 0)
		return NULL;
	return resolve_near_class(ccp_class_name(path), packager);
}

/* ---- the builders list, resolved ---- */

typedef struct entry {
	const ccp_node *node;      /* the builder mapping */
	const ccp_node *path;      /* its path value */
	const ccp_nvf_class *k;    /* exact or near known component, or NULL */
	int exact;
} entry;

typedef struct ccp_builders_scan {
	entry *e;
	size_t n;
	const entry *first[CCP_NVF_C_COUNT];  /* first builder of each known kind */
	size_t first_i[CCP_NVF_C_COUNT];
} scan;

static int scan_entry(const ccp_node *comp, int packager, entry *out)
{
	const ccp_node *path = ccp_node_get(comp, "path");

	memset(out, 0, sizeof(*out));
	if (!path || path->kind != CCP_NODE_SCALAR || !ccp_node_str(path) ||
	    !path->len)
		return -1;
	out->node = comp;
	out->path = path;
	out->k = resolve(path->value, packager, &out->exact);
	return 0;
}

/* Resolve the builders list into s (edit distances for every unknown
 * path: done once per run, see scan_builders). */
static void resolve_builders(const ccp_lint_ctx *ctx, scan *s)
{
	const ccp_node *list = ctx->builders;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!list || list->kind != CCP_NODE_SEQ || !list->count)
		return;
	s->e = calloc(list->count, sizeof(*s->e));
	if (!s->e)
		return;
	for (i = 0; i < list->count; i++) {
		entry *e = &s->e[s->n];

		if (scan_entry(list->items[i], 0, e) < 0)
			continue;
		if (e->k && !s->first[e->k->id]) {
			s->first[e->k->id] = e;
			s->first_i[e->k->id] = s->n;
		}
		s->n++;
	}
}

/*
 * The run's builders list, resolved by the first rule that asks: a copy
 * of the cached scan whose entries the run owns (nothing to release).
 * Out of memory, an empty list.
 */
static void scan_builders(ccp_lint_ctx *ctx, scan *s)
{
	if (!ctx->builders_scan) {
		ctx->builders_scan = malloc(sizeof(*ctx->builders_scan));
		if (!ctx->builders_scan) {
			memset(s, 0, sizeof(*s));
			return;
		}
		resolve_builders(ctx, ctx->builders_scan);
	}
	*s = *ctx->builders_scan;
}

void ccp_builders_scan_free(struct ccp_builders_scan *sc)
{
	if (sc)
		free(sc->e);
	free(sc);
}

static void scan_release(scan *s)
{
	(void)s;   /* the entries belong to the run */
}

static const char *cls_of(ccp_nvf_class_id id)
{
	return known_class(ccp_nvf_class_of(id));
}

/* The packager, resolved; 0 when there is none usable. */
static int scan_packager(const ccp_lint_ctx *ctx, entry *out)
{
	if (!ctx->packager || ctx->packager->kind != CCP_NODE_MAP)
		return 0;
	return scan_entry(ctx->packager, 1, out) == 0;
}

/* Is any participant a CC participant (has a cc_config under key)? */
static const ccp_lint_participant *first_cc(const ccp_lint_ctx *ctx,
					    const char *key)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_node *v = ccp_node_get(ctx->parts[i].node, key);

		if (v && !ccp_node_is_null(v))
			return &ctx->parts[i];
	}
	return NULL;
}

static const char *part_label(const ccp_lint_participant *p)
{
	return p->name ? p->name : "(unnamed)";
}

/* ---- CCP-B001: WorkspaceBuilder first ---- */

void ccp_check_workspace_first(ccp_lint_ctx *ctx)
{
	scan s;
	const entry *ws;
	ccp_diag *g;

	if (!ctx->builders || ctx->builders->kind != CCP_NODE_SEQ)
		return;
	scan_builders(ctx, &s);
	ws = s.first[CCP_NVF_C_WORKSPACE];
	if (!ws) {
		g = ccp_lint_report(ctx, "CCP-B001", ctx->builders,
				    "builder 'WorkspaceBuilder' is missing");
		ccp_diag_set_hint(g, "add '- path: %s' "
				  "as the first builder; it creates the folders every other builder writes to",
				  ccp_nvf_class_of(CCP_NVF_C_WORKSPACE)->path);
	} else if (s.first_i[CCP_NVF_C_WORKSPACE] != 0) {
		g = ccp_lint_report(ctx, "CCP-B001", ws->path,
				    "builder 'WorkspaceBuilder' must be the first builder");
		ccp_diag_add_related(g, s.e[0].path, "first builder is here");
		ccp_diag_set_hint(g, "builders run in list order; the others write into the "
				  "folders WorkspaceBuilder creates");
	}
	scan_release(&s);
}

/* ---- CCP-B002: StaticFileBuilder and CertBuilder present ---- */

void ccp_check_required_builders(ccp_lint_ctx *ctx)
{
	static const ccp_nvf_class_id need[] = { CCP_NVF_C_STATIC, CCP_NVF_C_CERT };
	static const char *const why[] = {
		"it writes every participant's startup configuration and scripts",
		"it creates the root CA and every participant's certificate and key",
	};
	scan s;
	size_t i;

	if (!ctx->builders || ctx->builders->kind != CCP_NODE_SEQ)
		return;
	scan_builders(ctx, &s);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		ccp_diag *g;

		if (s.first[need[i]])
			continue;
		g = ccp_lint_report(ctx, "CCP-B002", ctx->builders,
				    "builder '%s' is missing", cls_of(need[i]));
		ccp_diag_set_hint(g, "add '- path: %s'; %s",
				  ccp_nvf_class_of(need[i])->path, why[i]);
	}
	scan_release(&s);
}

/* ---- CCP-B003: CCBuilder after StaticFileBuilder, before SignatureBuilder ---- */

void ccp_check_cc_builder_order(ccp_lint_ctx *ctx)
{
	scan s;
	const entry *cc, *st, *sig;
	ccp_diag *g;

	scan_builders(ctx, &s);
	cc = s.first[CCP_NVF_C_CC];
	st = s.first[CCP_NVF_C_STATIC];
	sig = s.first[CCP_NVF_C_SIGNATURE];
	if (cc && st && s.first_i[CCP_NVF_C_CC] < s.first_i[CCP_NVF_C_STATIC]) {
		g = ccp_lint_report(ctx, "CCP-B003", cc->path,
				    "builder 'CCBuilder' must come after 'StaticFileBuilder'");
		ccp_diag_add_related(g, st->path, "'StaticFileBuilder' is here");
		ccp_diag_set_hint(g, "CCBuilder adds the CC components to the configuration "
				  "StaticFileBuilder writes; run before it, its changes are overwritten");
	}
	if (cc && sig && s.first_i[CCP_NVF_C_CC] > s.first_i[CCP_NVF_C_SIGNATURE]) {
		g = ccp_lint_report(ctx, "CCP-B003", cc->path,
				    "builder 'CCBuilder' must come before 'SignatureBuilder'");
		ccp_diag_add_related(g, sig->path, "'SignatureBuilder' is here");
		ccp_diag_set_hint(g, "files CCBuilder writes after signing are not covered by "
				  "the kit's signature; move CCBuilder above SignatureBuilder");
	}
	scan_release(&s);
}

/* ---- CCP-B004: CertBuilder and StaticFileBuilder before SignatureBuilder ---- */

void ccp_check_signature_last(ccp_lint_ctx *ctx)
{
	static const ccp_nvf_class_id before[] = { CCP_NVF_C_CERT, CCP_NVF_C_STATIC };
	static const char *const why[] = {
		"SignatureBuilder signs with the root CA key that CertBuilder creates",
		"files written after signing are not covered by the kit's signature",
	};
	scan s;
	const entry *sig;
	size_t i;

	scan_builders(ctx, &s);
	sig = s.first[CCP_NVF_C_SIGNATURE];
	for (i = 0; sig && i < sizeof(before) / sizeof(before[0]); i++) {
		const entry *e = s.first[before[i]];
		ccp_diag *g;

		if (!e || s.first_i[before[i]] < s.first_i[CCP_NVF_C_SIGNATURE])
			continue;
		g = ccp_lint_report(ctx, "CCP-B004", e->path,
				    "builder '%s' must come before 'SignatureBuilder'",
				    cls_of(before[i]));
		ccp_diag_add_related(g, sig->path, "'SignatureBuilder' is here");
		ccp_diag_set_hint(g, "%s", why[i]);
	}
	scan_release(&s);
}

/* ---- CCP-B005: a builder listed twice ---- */

void ccp_check_duplicate_builders(ccp_lint_ctx *ctx)
{
	scan s;
	ccp_strmap unknown;     /* path of an unknown builder -> its entry */
	size_t i;

	scan_builders(ctx, &s);
	ccp_strmap_init(&unknown, 0);
	for (i = 0; i < s.n; i++) {
		const entry *e = &s.e[i];
		/* a known kind however it is spelt, else the same path */
		const entry *first = e->k ? s.first[e->k->id] :
				     ccp_strmap_put(&unknown, e->path->value, e);
		ccp_diag *g;

		if (!first || first == e)
			continue;
		g = ccp_lint_report(ctx, "CCP-B005", e->path,
				    "builder '%s' is listed twice",
				    ccp_class_name(e->path->value));
		ccp_diag_add_related(g, first->path, "first listed here");
		ccp_diag_set_hint(g, "every builder runs once per entry; a second run "
				  "regenerates or overwrites what the first produced");
	}
	ccp_strmap_release(&unknown);
	scan_release(&s);
}

/* ---- CCP-B006: CC participants need CCBuilder and SignatureBuilder ---- */

void ccp_check_cc_needs_builders(ccp_lint_ctx *ctx)
{
	static const ccp_nvf_class_id need[] = { CCP_NVF_C_CC, CCP_NVF_C_SIGNATURE };
	static const char *const what[] = {
		"NVFlare would build kits without the CC components and attestation",
		"NVFlare would build unsigned kits, so a changed kit goes unnoticed",
	};
	const ccp_lint_participant *p = first_cc(ctx, "cc_config");
	scan s;
	size_t i;

	if (!p || !ctx->builders || ctx->builders->kind != CCP_NODE_SEQ)
		return;
	scan_builders(ctx, &s);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		ccp_diag *g;

		if (s.first[need[i]])
			continue;
		g = ccp_lint_report(ctx, "CCP-B006", ctx->builders,
				    "participant '%s' has a cc_config but builder '%s' is missing",
				    part_label(p), cls_of(need[i]));
		ccp_diag_add_related(g, ccp_node_get(p->node, "cc_config"),
				     "cc_config of '%s'", part_label(p));
		ccp_diag_set_hint(g, "%s; add '- path: %s'", what[i],
				  ccp_nvf_class_of(need[i])->path);
	}
	scan_release(&s);
}

/* ---- CCP-B007: CC builder or packager with no CC participant ---- */

static const char *packager_key(const entry *pk)
{
	const char *key = ccp_node_get_str(ccp_node_get(pk->node, "args"), "cc_config_key");

	return key && *key ? key : "cc_config";
}

void ccp_check_cc_unused(ccp_lint_ctx *ctx)
{
	scan s;
	entry pk;
	ccp_diag *g;

	if (!ctx->nparts)
		return;
	scan_builders(ctx, &s);
	if (s.first[CCP_NVF_C_CC] && !first_cc(ctx, "cc_config")) {
		g = ccp_lint_report(ctx, "CCP-B007", s.first[CCP_NVF_C_CC]->path,
				    "builder 'CCBuilder' is listed but no participant has a cc_config");
		ccp_diag_set_hint(g, "give the participants that run in confidential VMs a "
				  "'cc_config', or remove the builder");
	}
	if (scan_packager(ctx, &pk) && pk.k && pk.k->id == CCP_NVF_C_ONPREM &&
	    !first_cc(ctx, packager_key(&pk))) {
		g = ccp_lint_report(ctx, "CCP-B007", pk.path,
				    "packager 'OnPremPackager' is set but no participant has a '%s'",
				    packager_key(&pk));
		ccp_diag_set_hint(g, "the packager only builds CVM images for participants "
				  "with that key; without any it packages nothing");
	}
	scan_release(&s);
}

/* ---- CCP-B008 / CCP-B009: paths ---- */

/* NVFlare classes that are neither builders nor packagers. */
static const char *const not_components[] = {
	CCP_NVF_CC_MANAGER,
	CCP_NVF_OVERSEER_AGENT,
	CCP_NVF_CC_PKG,   /* the CC authorizers */
};

/*
 * Why NVFlare cannot use this path in this slot (CCP-B018), or NULL:
 * a path without a module is looked up among Python's builtins, and the
 * provisioner refuses an object that is not a Builder (or a Packager).
 */
static const char *wrong_slot(const char *path, int packager, char *buf, size_t size)
{
	size_t i;

	if (!strchr(path, '.'))
		return "has no module, so NVFlare cannot import it";
	for (i = 0; i < NKNOWN; i++) {
		if (known(i)->packager == packager)
			continue;
		if (strcmp(known(i)->path, path) == 0) {
			snprintf(buf, size, "is NVFlare's %s, not a %s",
				 known(i)->packager ? "packager" : "builder",
				 packager ? "packager" : "builder");
			return buf;
		}
	}
	for (i = 0; i < sizeof(not_components) / sizeof(not_components[0]); i++) {
		size_t n = strlen(not_components[i]);

		if (strncmp(path, not_components[i], n) == 0 &&
		    (path[n] == '\0' || not_components[i][n - 1] == '.')) {
			snprintf(buf, size, "is an NVFlare class that is not a %s",
				 packager ? "packager" : "builder");
			return buf;
		}
	}
	return NULL;
}

static int in_wrong_slot(const entry *e, int packager)
{
	char buf[96];

	return !e->k && wrong_slot(e->path->value, packager, buf, sizeof(buf)) != NULL;
}

static void check_path(ccp_lint_ctx *ctx, const entry *e, const char *what)
{
	ccp_diag *g;
	size_t i;

	if (e->k && e->exact)
		return;
	if (e->k) {
		g = ccp_lint_report(ctx, "CCP-B008", e->path,
				    "%s path '%s' is not a class NVFlare has",
				    what, e->path->value);
		ccp_diag_set_hint(g, "did you mean '%s'?", e->k->path);
		return;
	}
	g = ccp_lint_report(ctx, "CCP-B009", e->path,
			    "%s '%s' is not one NVFlare ships; ccprov cannot check it",
			    what, e->path->value);
	for (i = 0; i < NKNOWN; i++) {
		if (strcmp(ccp_class_name(e->path->value), known_class(known(i))) == 0) {
			ccp_diag_set_hint(g, "NVFlare's own '%s' is '%s'",
					  known_class(known(i)), known(i)->path);
			return;
		}
	}
	ccp_diag_set_hint(g, "the class must be importable where 'nvflare provision' runs");
}

void ccp_check_near_miss_paths(ccp_lint_ctx *ctx)
{
	scan s;
	entry pk;
	size_t i;

	scan_builders(ctx, &s);
	for (i = 0; i < s.n; i++)
		if (s.e[i].k && !s.e[i].exact)
			check_path(ctx, &s.e[i], "builder");
	if (scan_packager(ctx, &pk) && pk.k && !pk.exact)
		check_path(ctx, &pk, "packager");
	scan_release(&s);
}

void ccp_check_custom_paths(ccp_lint_ctx *ctx)
{
	scan s;
	entry pk;
	size_t i;

	scan_builders(ctx, &s);
	for (i = 0; i < s.n; i++)
		if (!s.e[i].k && !in_wrong_slot(&s.e[i], 0))
			check_path(ctx, &s.e[i], "builder");
	if (scan_packager(ctx, &pk) && !pk.k && !in_wrong_slot(&pk, 1))
		check_path(ctx, &pk, "packager");
	scan_release(&s);
}

/* ---- CCP-B018: classes NVFlare cannot use in their slot ---- */

static void report_slot(ccp_lint_ctx *ctx, const entry *e, int packager)
{
	char buf[96];
	const char *why;
	ccp_diag *g;

	if (e->k || !(why = wrong_slot(e->path->value, packager, buf, sizeof(buf))))
		return;
	g = ccp_lint_report(ctx, "CCP-B018", e->path, "%s '%s' %s",
			    packager ? "packager" : "builder", e->path->value, why);
	if (!strchr(e->path->value, '.'))
		ccp_diag_set_hint(g, "write the full dotted path, module and class: "
				  "'my_module.%s'", e->path->value);
	else if (packager)
		ccp_diag_set_hint(g, "list it under 'builders', or use '%s' as the packager",
				  CCP_NVF_ONPREM_PACKAGER);
	else
		ccp_diag_set_hint(g, "NVFlare refuses the project ('builders must all be "
				  "Builder type'); move it to where it belongs or remove it");
}

void ccp_check_wrong_slot(ccp_lint_ctx *ctx)
{
	scan s;
	entry pk;
	size_t i;

	scan_builders(ctx, &s);
	for (i = 0; i < s.n; i++)
		report_slot(ctx, &s.e[i], 0);
	if (scan_packager(ctx, &pk))
		report_slot(ctx, &pk, 1);
	scan_release(&s);
}

/* ---- arguments: CCP-B010 .. CCP-B014 ---- */

typedef void (*arg_visit)(ccp_lint_ctx *ctx, const entry *e,
			  const ccp_node *key, const ccp_node *val,
			  const ccp_nvf_arg *a);

/* Call visit for every argument of every known builder and the packager. */
static void for_each_arg(ccp_lint_ctx *ctx, arg_visit visit)
{
	scan s;
	entry pk;
	size_t i, j;
	int have_pk;

	scan_builders(ctx, &s);
	have_pk = scan_packager(ctx, &pk);
	for (i = 0; i < s.n + (size_t)have_pk; i++) {
		const entry *e = i < s.n ? &s.e[i] : &pk;
		const ccp_node *args = ccp_node_get(e->node, "args");

		if (!e->k || !args || args->kind != CCP_NODE_MAP)
			continue;
		for (j = 0; j < args->count; j++) {
			const ccp_nvf_arg *a;

			for (a = e->k->args; a->name; a++)
				if (strcmp(a->name, args->pairs[j].key->value) == 0)
					break;
			visit(ctx, e, args->pairs[j].key, args->pairs[j].value,
			      a->name ? a : NULL);
		}
	}
	scan_release(&s);
}

/*
 * The node of template_file that NVFlare fails on, or NULL: WorkspaceBuilder
 * still loads each name from its own templates folder (a string or a
 * list of strings; anything else is a ValueError, a missing file an
 * error), though the argument is obsolete.
 */
static const ccp_node *template_fault(const ccp_lint_ctx *ctx, const ccp_node *v)
{
	const ccp_nvf_release *rel = ccp_nvf_release_of(ctx->opts->line);
	const char *const *t;
	size_t i, n;

	if (ccp_node_is_null(v))
		return NULL;
	if (v->kind == CCP_NODE_SCALAR && v->stype == CCP_SCALAR_STR && !v->len)
		return NULL;
	if (v->kind != CCP_NODE_SEQ && v->kind != CCP_NODE_SCALAR)
		return v;
	n = v->kind == CCP_NODE_SEQ ? v->count : 1;
	for (i = 0; i < n; i++) {
		const ccp_node *x = v->kind == CCP_NODE_SEQ ? v->items[i] : v;

		if (x->kind != CCP_NODE_SCALAR || x->stype != CCP_SCALAR_STR)
			return x;
		for (t = rel->templates; *t; t++)
			if (strcmp(*t, x->value) == 0)
				break;
		if (!*t)
			return x;
	}
	return NULL;
}

static void bad_template(ccp_lint_ctx *ctx, const entry *e, const ccp_node *v,
			 const ccp_nvf_arg *a)
{
	const ccp_nvf_release *rel = ccp_nvf_release_of(ctx->opts->line);
	const ccp_node *x = template_fault(ctx, v);
	ccp_buf list = CCP_BUF_INIT;
	const char *const *t;
	ccp_diag *g;

	if (!x)
		return;
	if (x->kind != CCP_NODE_SCALAR || x->stype != CCP_SCALAR_STR)
		g = ccp_lint_report(ctx, "CCP-B010", x,
				    "argument '%s' of '%s' must be a file name or a list of them, not %s",
				    a->name, known_class(e->k), ccp_node_type_name(x));
	else
		g = ccp_lint_report(ctx, "CCP-B010", x,
				    "argument '%s' of '%s' names '%s', which NVFlare %s does not ship; "
				    "provisioning fails loading it", a->name, known_class(e->k),
				    x->value, rel->name);
	for (t = rel->templates; *t; t++)
		ccp_buf_printf(&list, "%s%s", t == rel->templates ? "" : ", ", *t);
	ccp_diag_set_hint(g, "the argument is obsolete: remove it (NVFlare %s's own templates: %s)",
			  rel->name, ccp_buf_cstr(&list));
	ccp_buf_release(&list);
}

static void visit_value(ccp_lint_ctx *ctx, const entry *e, const ccp_node *key,
			const ccp_node *v, const ccp_nvf_arg *a)
{
	const char *cls = known_class(e->k);
	long long x;
	int b;
	size_t i;
	ccp_diag *g = NULL;

	(void)key;
	if (!a)
		return;
	switch (a->kind) {
	case CCP_NVF_ARG_ANY:
		break;
	case CCP_NVF_ARG_TEMPLATE:
		bad_template(ctx, e, v, a);
		break;
	case CCP_NVF_ARG_STR:
		if (!ccp_node_is_null(v) && (v->kind != CCP_NODE_SCALAR ||
					    v->stype != CCP_SCALAR_STR))
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be a string, not %s",
					    a->name, cls, ccp_node_type_name(v));
		break;
	case CCP_NVF_ARG_NAME:
	case CCP_NVF_ARG_SCHEME:
		if (v->kind != CCP_NODE_SCALAR || v->stype != CCP_SCALAR_STR)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be a string, not %s",
					    a->name, cls, ccp_node_type_name(v));
		else if (strspn(v->value, " \t") == v->len)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must not be empty",
					    a->name, cls);
		break;
	case CCP_NVF_ARG_FILE_NAME: {
		/* ID__p_resources.json in every CC kit: provision's own check */
		ccp_name_fault f;
		size_t at;

		if (v->kind != CCP_NODE_SCALAR || v->stype != CCP_SCALAR_STR) {
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be a string, not %s",
					    a->name, cls, ccp_node_type_name(v));
			break;
		}
		f = ccp_name_check(v->value, v->len, CCP_NAME_MAX_FILE -
				   (sizeof("__p_resources.json") - 1), &at);
		if (f == CCP_NAME_EMPTY)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must not be empty",
					    a->name, cls);
		else if (f != CCP_NAME_OK)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' cannot be a file name: it holds %s",
					    a->name, cls, ccp_name_fault_text(f));
		break;
	}
	case CCP_NVF_ARG_BOOL:
		if (!ccp_node_is_null(v) && ccp_node_bool(v, &b) < 0) {
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be true or false, not %s",
					    a->name, cls, ccp_node_type_name(v));
			ccp_diag_set_hint(g, "NVFlare refuses anything but a boolean here; "
					  "write true or false without quotes");
		}
		break;
	case CCP_NVF_ARG_POS_INT:
		if (v->kind != CCP_NODE_SCALAR || v->stype != CCP_SCALAR_INT ||
		    ccp_node_int(v, &x) < 0)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be a positive integer, not %s",
					    a->name, cls, ccp_node_type_name(v));
		else if (x <= 0)
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' is %lld; it must be a positive integer",
					    a->name, cls, x);
		break;
	case CCP_NVF_ARG_INT_LIST:
		if (ccp_node_is_null(v))
			break;
		if (v->kind != CCP_NODE_SEQ) {
			g = ccp_lint_report(ctx, "CCP-B010", v,
					    "argument '%s' of '%s' must be a list of integers, not %s",
					    a->name, cls, ccp_node_type_name(v));
			break;
		}
		for (i = 0; i < v->count; i++)
			if (v->items[i]->kind != CCP_NODE_SCALAR ||
			    v->items[i]->stype != CCP_SCALAR_INT) {
				ccp_lint_report(ctx, "CCP-B010", v->items[i],
						"argument '%s' of '%s' must list integers, not %s",
						a->name, cls, ccp_node_type_name(v->items[i]));
				break;
			}
		break;
	}
	(void)g;
}

void ccp_check_builder_arg_values(ccp_lint_ctx *ctx)
{
	for_each_arg(ctx, visit_value);
}

static void visit_scheme(ccp_lint_ctx *ctx, const entry *e, const ccp_node *key,
			 const ccp_node *v, const ccp_nvf_arg *a)
{
	char low[64];
	size_t i, n = 0, start;
	ccp_diag *g;

	(void)key;
	if (!a || a->kind != CCP_NVF_ARG_SCHEME || v->kind != CCP_NODE_SCALAR ||
	    v->stype != CCP_SCALAR_STR)
		return;
	/* NVFlare lower-cases and trims the scheme before comparing */
	start = strspn(v->value, " \t");
	for (i = start; v->value[i] && n + 1 < sizeof(low); i++)
		low[n++] = (char)(v->value[i] >= 'A' && v->value[i] <= 'Z' ?
				  v->value[i] - 'A' + 'a' : v->value[i]);
	while (n && (low[n - 1] == ' ' || low[n - 1] == '\t'))
		n--;
	low[n] = '\0';
	if (!n)
		return;
	for (i = 0; i < sizeof(builtin_schemes) / sizeof(builtin_schemes[0]); i++)
		if (strcmp(low, builtin_schemes[i]) == 0)
			return;
	g = ccp_lint_report(ctx, "CCP-B011", v,
			    "scheme '%s' of '%s' is not a builtin communication scheme",
			    v->value, known_class(e->k));
	{
		const char *sug = NULL;

		for (i = 0; i < sizeof(builtin_schemes) / sizeof(builtin_schemes[0]); i++)
			if (distance(low, builtin_schemes[i]) <= 1)
				sug = builtin_schemes[i];
		if (sug)
			ccp_diag_set_hint(g, "did you mean '%s'? builtin: grpc, tcp, http", sug);
		else
			ccp_diag_set_hint(g, "builtin: grpc, tcp, http; others need a custom "
					  "driver installed on every site");
	}
}

void ccp_check_builder_scheme(ccp_lint_ctx *ctx)
{
	for_each_arg(ctx, visit_scheme);
}

static void visit_obsolete(ccp_lint_ctx *ctx, const entry *e, const ccp_node *key,
			   const ccp_node *v, const ccp_nvf_arg *a)
{
	ccp_diag *g;

	if (!a || !a->obsolete)
		return;
	if (a->kind == CCP_NVF_ARG_TEMPLATE && template_fault(ctx, v))
		return;  /* CCP-B010: NVFlare still acts on it, and fails */
	g = ccp_lint_report(ctx, "CCP-B012", key,
			    "argument '%s' of '%s' is obsolete",
			    a->name, known_class(e->k));
	ccp_diag_set_hint(g, "%s; remove it", a->obsolete);
}

void ccp_check_obsolete(ccp_lint_ctx *ctx)
{
	scan s;
	size_t i;

	for_each_arg(ctx, visit_obsolete);
	scan_builders(ctx, &s);
	for (i = 0; i < s.n; i++) {
		ccp_diag *g;

		if (!s.e[i].k || !s.e[i].k->obsolete)
			continue;
		g = ccp_lint_report(ctx, "CCP-B012", s.e[i].path,
				    "builder '%s' is obsolete and does nothing",
				    known_class(s.e[i].k));
		ccp_diag_set_hint(g, "remove it; WorkspaceBuilder loads the templates");
	}
	scan_release(&s);
}

static void suggest_arg(ccp_diag *g, const entry *e, const char *name)
{
	const char *cands[16];
	ccp_buf list = CCP_BUF_INIT;
	const ccp_nvf_arg *a;
	size_t n = 0;
	const char *sug;

	for (a = e->k->args; a->name && n < 16; a++) {
		if (a->obsolete)
			continue;
		cands[n] = a->name;
		ccp_buf_printf(&list, "%s%s", n ? ", " : "", a->name);
		n++;
	}
	sug = n ? ccp_suggest(name, cands, n) : NULL;
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'? known: %s", sug, ccp_buf_cstr(&list));
	else if (n)
		ccp_diag_set_hint(g, "known: %s", ccp_buf_cstr(&list));
	else
		ccp_diag_set_hint(g, "'%s' takes no arguments", known_class(e->k));
	ccp_buf_release(&list);
}

static void visit_unknown_strict(ccp_lint_ctx *ctx, const entry *e,
				 const ccp_node *key, const ccp_node *v,
				 const ccp_nvf_arg *a)
{
	ccp_diag *g;

	(void)v;
	if (a || e->k->kwargs)
		return;
	g = ccp_lint_report(ctx, "CCP-B013", key,
			    "'%s' has no argument '%s'; NVFlare fails to create it",
			    known_class(e->k), key->value);
	suggest_arg(g, e, key->value);
}

void ccp_check_unknown_args(ccp_lint_ctx *ctx)
{
	for_each_arg(ctx, visit_unknown_strict);
}

static void visit_unknown_ignored(ccp_lint_ctx *ctx, const entry *e,
				  const ccp_node *key, const ccp_node *v,
				  const ccp_nvf_arg *a)
{
	ccp_diag *g;

	(void)v;
	if (a || !e->k->kwargs)
		return;
	g = ccp_lint_report(ctx, "CCP-B014", key,
			    "'%s' ignores unknown argument '%s'",
			    known_class(e->k), key->value);
	suggest_arg(g, e, key->value);
}

void ccp_check_ignored_args(ccp_lint_ctx *ctx)
{
	for_each_arg(ctx, visit_unknown_ignored);
}

/* ---- CCP-B015: the OnPremPackager's image build command ---- */

void ccp_check_build_image_cmd(ccp_lint_ctx *ctx)
{
	entry pk;
	const ccp_node *v, *at;
	const char *cmd;
	char *path;
	struct stat st;
	ccp_diag *g = NULL;

	if (ctx->opts->no_file_checks || !scan_packager(ctx, &pk) || !pk.k ||
	    pk.k->id != CCP_NVF_C_ONPREM)
		return;
	v = ccp_node_get(ccp_node_get(pk.node, "args"), "build_image_cmd");
	if (v && (v->kind != CCP_NODE_SCALAR || v->stype != CCP_SCALAR_STR ||
		  !v->len))
		return;  /* CCP-B010 */
	cmd = v ? v->value : "build_cvm_image.sh";
	at = v ? v : pk.path;
	path = ccp_lint_resolve(ctx->project_dir, cmd);
	if (!path)
		return;
	if (stat(path, &st) < 0) {
		char *near = errno == ENOENT ? ccp_path_nearest(path) : NULL;

		g = ccp_lint_report(ctx, "CCP-B015", at,
				    "build_image_cmd '%s' does not exist%s", cmd,
				    v ? "" : " (the packager's default)");
		if (near)
			ccp_diag_set_hint(g, "did you mean '%s'? it is in the same folder; relative "
					  "paths are taken from project.yml's folder ('%s')", near,
					  ctx->project_dir);
		else
			ccp_diag_set_hint(g, "the packager runs it to build each CC participant's CVM "
					  "image; relative paths are taken from project.yml's folder ('%s')",
					  ctx->project_dir);
		free(near);
	} else if (S_ISDIR(st.st_mode)) {
		g = ccp_lint_report(ctx, "CCP-B015", at,
				    "build_image_cmd '%s' is a directory", cmd);
		ccp_diag_set_hint(g, "name the image build script itself");
	} else if (access(path, X_OK) < 0) {
		g = ccp_lint_report(ctx, "CCP-B015", at,
				    "build_image_cmd '%s' is not executable", cmd);
		ccp_diag_set_hint(g, "chmod +x '%s'; NVFlare runs it directly, not through a shell",
				  path);
	}
	free(path);
}

/* ---- CCP-B016: user_config.nvflare the packager overwrites ---- */

void ccp_check_user_config_nvflare(ccp_lint_ctx *ctx)
{
	entry pk;
	size_t i;
	unsigned char *done;

	if (!scan_packager(ctx, &pk) || !pk.k || pk.k->id != CCP_NVF_C_ONPREM)
		return;
	done = calloc(ctx->nccs ? ctx->nccs : 1, 1);
	if (!done)
		return;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *k;
		ccp_diag *g;

		if (!p->cc || !p->cc->root || done[p->cc - ctx->ccs])
			continue;
		done[p->cc - ctx->ccs] = 1;  /* one finding per cc_config file */
		k = ccp_node_get_key(ccp_node_get(p->cc->root, "user_config"), "nvflare");
		if (!k)
			continue;
		g = ccp_lint_report(ctx, "CCP-B016", k,
				    "user_config 'nvflare' of '%s' is replaced by the packager",
				    part_label(p));
		ccp_diag_add_related(g, pk.path, "the packager that sets it");
		ccp_diag_set_hint(g, "OnPremPackager mounts the participant's startup kit as "
				  "/user_config/nvflare; use another key for your own files");
	}
	free(done);
}

/* ---- CCP-B017: builders 'ccprov provision' does not run ---- */

void ccp_check_unprovisioned_builders(ccp_lint_ctx *ctx)
{
	scan s;
	size_t i;

	scan_builders(ctx, &s);
	for (i = 0; i < s.n; i++) {
		const entry *e = &s.e[i];
		ccp_diag *g;

		/* a near miss is CCP-B008's: the fix is the spelling */
		if (e->k && !e->exact)
			continue;
		if (in_wrong_slot(e, 0))
			continue;  /* CCP-B018: NVFlare refuses it anyway */
		if (ccp_nvf_builder_kind(e->path->value) != CCP_NVF_B_UNKNOWN)
			continue;
		g = ccp_lint_report(ctx, "CCP-B017", e->path,
				    "builder '%s' is not one 'ccprov provision' implements",
				    e->k ? known_class(e->k) : e->path->value);
		if (e->k)
			ccp_diag_set_hint(g, "lint checks it; provision it with NVFlare or remove it");
		else
			ccp_diag_set_hint(g, "provision the project with NVFlare or remove it");
	}
	scan_release(&s);
}
