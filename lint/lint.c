/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lint engine: load project.yml and every cc_config it names, check
 * each against its schema, run every registered policy rule, and resolve
 * a clean project for provisioning.
 */
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "ccprov/buf.h"
#include "ccprov/lint.h"
#include "ccprov/rules.h"
#include "lint_model.h"
#include "lintctx.h"
#include "path.h"
#include "strmap.h"
#include "yaml_internal.h"

void ccp_lint_opts_init(ccp_lint_opts *o)
{
	o->no_file_checks = 0;
	o->line = CCP_NVF_DEFAULT;
	o->output = NULL;
	o->on_file = NULL;
	o->on_file_arg = NULL;
	o->reads = NULL;
}

static void tell_files(const ccp_lint_ctx *ctx)
{
	size_t i, n;

	if (!ctx->opts->on_file || !ctx->yaml)
		return;
	n = ccp_yaml_set_nnames(ctx->yaml);
	for (i = 0; i < n; i++)
		ctx->opts->on_file(ctx->opts->on_file_arg,
				   ccp_yaml_set_name(ctx->yaml, i));
}

static int part_cmp(const void *a, const void *b)
{
	const ccp_lint_participant *p = *(ccp_lint_participant *const *)a;
	const ccp_lint_participant *q = *(ccp_lint_participant *const *)b;
	int c = strcmp(p->name, q->name);

	/* same array: the order of the entries */
	return c ? c : (p < q ? -1 : p > q);
}

static int index_names(ccp_lint_ctx *ctx)
{
	size_t i;

	ctx->by_name = calloc(ctx->nparts + 1, sizeof(*ctx->by_name));
	if (!ctx->by_name)
		return -1;
	for (i = 0; i < ctx->nparts; i++)
		if (ctx->parts[i].name)
			ctx->by_name[ctx->nby_name++] = &ctx->parts[i];
	qsort(ctx->by_name, ctx->nby_name, sizeof(*ctx->by_name), part_cmp);
	return 0;
}

/*
 * A cc_config given where a project is expected, or the reverse: one
 * finding that says so and names the right command, instead of a schema
 * error for every key. Returns 1 when reported.
 */
static int has_any_key(const ccp_node *root, const char *const *keys)
{
	for (; *keys; keys++)
		if (ccp_node_get_key(root, *keys))
			return 1;
	return 0;
}

static const char *const project_keys[] = { "api_version", "participants", "builders", NULL };
static const char *const cc_keys[] = {
	"compute_env", "cc_issuers", "cc_cpu_mechanism", "cc_attestation", NULL
};

static int wrong_kind(ccp_lint_ctx *ctx, const ccp_node *root, const char *path,
		      ccp_kind want, const ccp_node *ref)
{
	int project = want == CCP_KIND_PROJECT;
	ccp_diag *g;

	if (!root || root->kind != CCP_NODE_MAP ||
	    has_any_key(root, project ? project_keys : cc_keys) ||
	    !has_any_key(root, project ? cc_keys : project_keys))
		return 0;
	/* at the project's value that names the file, else at the file */
	g = ccp_diags_add(ctx->diags, "CCP-S004", CCP_SEV_ERROR, ref, path,
			  "'%s' is %s, not %s", path,
			  project ? "a cc_config" : "a project file",
			  project ? "a project file" : "a cc_config");
	if (project)
		ccp_diag_set_hint(g, "lint it with 'ccprov lint --cc-config %s', or lint the "
				  "project.yml whose participants name it", path);
	else if (ref)
		ccp_diag_set_hint(g, "name the site's cc_config file here (the one with "
				  "compute_env and cc_issuers)");
	else
		ccp_diag_set_hint(g, "lint it with 'ccprov lint %s'", path);
	return 1;
}

static ccp_cc_file *load_cc(ccp_lint_ctx *ctx, const char *path,
			    const ccp_node *ref)
{
	const char *real = ccp_lint_realpath(ctx, path);
	ccp_yaml_doc *doc;
	ccp_cc_file *f;
	size_t errs;

	if (real) {
		/* values are index + 1: ctx->ccs moves as it grows */
		uintptr_t known = (uintptr_t)ccp_strmap_get(&ctx->cc_map, real);

		if (known)
			return &ctx->ccs[known - 1];
	}
	doc = ccp_yaml_load(ctx->yaml, path, ref);
	if (!doc)
		return NULL;
	if (ccp_grow(&ctx->ccs, &ctx->capccs, ctx->nccs + 1, sizeof(*ctx->ccs)) < 0)
		return NULL;
	f = &ctx->ccs[ctx->nccs++];
	memset(f, 0, sizeof(*f));
	f->path = doc->path;
	f->abs = doc->real ? strdup(doc->real) : NULL;
	if (f->abs)
		ccp_strmap_put(&ctx->cc_map, f->abs, (const void *)(uintptr_t)ctx->nccs);
	f->dir = ccp_path_dirname(doc->real ? doc->real : doc->path);
	f->root = doc->root;
	f->first_ref = ref;
	if (wrong_kind(ctx, f->root, f->path, CCP_KIND_CC_CONFIG, ref))
		f->root = NULL;
	ccp_model_cc_read(f);
	if (f->root) {
		errs = ccp_schema_check(CCP_KIND_CC_CONFIG, f->root, ctx->diags);
		f->schema_ok = doc->ok && errs == 0;
		if (f->schema_ok && ctx->want_typed &&
		    ccp_schema_load(CCP_KIND_CC_CONFIG, f->root, (void **)&f->typed) < 0)
			f->schema_ok = 0;
	}
	return f;
}

/*
 * Participants point into ctx->ccs, which grows while loading; so the
 * cc_config files are loaded first and linked by index afterwards.
 */
static int collect_participants(ccp_lint_ctx *ctx)
{
	const ccp_node *list = ccp_node_get(ctx->root, "participants");
	size_t i, *cc_index;

	if (!list || list->kind != CCP_NODE_SEQ || !list->count)
		return 0;
	if (list->count > SIZE_MAX / sizeof(*ctx->parts))
		return -1;
	/* filled for every participant: huge pages for a large project */
	ctx->parts = ccp_buf_alloc_large(list->count * sizeof(*ctx->parts));
	cc_index = calloc(list->count, sizeof(*cc_index));
	if (!ctx->parts || !cc_index) {
		free(cc_index);
		return -1;
	}
	memset(ctx->parts, 0, list->count * sizeof(*ctx->parts));
	for (i = 0; i < list->count; i++) {
		ccp_lint_participant *lp = &ctx->parts[ctx->nparts++];

		ccp_model_part_read(lp, list->items[i], ctx->root);
		cc_index[i] = (size_t)-1;
		if (lp->ptype == CCP_PT_SERVER && !ctx->server)
			ctx->server = lp;
		if (lp->cc_ref) {
			char *path = ccp_lint_resolve(ctx->project_dir, lp->cc_ref->value);
			ccp_cc_file *f = path ? load_cc(ctx, path, lp->cc_ref) : NULL;

			if (f)
				cc_index[i] = (size_t)(f - ctx->ccs);
			free(path);
		}
	}
	for (i = 0; i < ctx->nparts; i++)
		if (cc_index[i] != (size_t)-1)
			ctx->parts[i].cc = &ctx->ccs[cc_index[i]];
	free(cc_index);
	return 0;
}

static void run_rules(ccp_lint_ctx *ctx)
{
	size_t n, i;
	const ccp_rule *rules = ccp_rules(&n);

	for (i = 0; i < n; i++)
		if (rules[i].check)
			rules[i].check(ctx);
}

static void ctx_release(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nccs; i++) {
		free(ctx->ccs[i].abs);
		free(ctx->ccs[i].dir);
		ccp_schema_free(CCP_KIND_CC_CONFIG, ctx->ccs[i].typed);
	}
	free(ctx->ccs);
	ccp_strmap_release(&ctx->cc_map);
	ccp_archive_refs_free(ctx->archives);
	ccp_builders_scan_free(ctx->builders_scan);
	free(ctx->parts);
	free(ctx->by_name);
	free(ctx->project_dir);
	ccp_schema_free(CCP_KIND_PROJECT, ctx->typed);
	ccp_yaml_set_free(ctx->yaml);
}

static const ccp_lint_opts default_opts;

/* Files read, or CCP_LINT_OUTPUT_IS_INPUT when the report would overwrite one. */
static long files_read(ccp_lint_ctx *ctx)
{
	struct stat st;

	/* by identity: '-o ./x/../project.yml' or a link is the same file */
	if (ctx->opts->output && stat(ctx->opts->output, &st) == 0 &&
	    ccp_yaml_set_read(ctx->yaml, (unsigned long long)st.st_dev,
			      (unsigned long long)st.st_ino))
		return CCP_LINT_OUTPUT_IS_INPUT;
	return (long)ccp_yaml_set_nfiles(ctx->yaml);
}

long ccp_lint_project(ccp_diags *diags, const char *project_path,
		      const ccp_lint_opts *opts, ccp_kit_project **kit)
{
	ccp_lint_ctx ctx;
	ccp_yaml_doc *doc;
	long nfiles;

	if (kit)
		*kit = NULL;
	memset(&ctx, 0, sizeof(ctx));
	diags->severity_of = ccp_rule_severity;
	ctx.diags = diags;
	ctx.opts = opts ? opts : &default_opts;
	ctx.project_path = project_path;
	ctx.want_typed = kit != NULL;
	ctx.yaml = ccp_yaml_set_new(diags);
	if (ctx.yaml)
		ccp_yaml_set_record(ctx.yaml, ctx.opts->reads);
	ctx.project_dir = ccp_path_dirname(project_path);
	if (!ctx.yaml || !ctx.project_dir) {
		ctx_release(&ctx);
		return -1;
	}
	doc = ccp_yaml_load(ctx.yaml, project_path, NULL);
	if (doc && doc->root &&
	    !wrong_kind(&ctx, doc->root, doc->path, CCP_KIND_PROJECT, NULL)) {
		size_t errs;

		ctx.root = doc->root;
		errs = ccp_schema_check(CCP_KIND_PROJECT, ctx.root, diags);
		ctx.project_schema_ok = doc->ok && errs == 0;
		if (ctx.project_schema_ok && ctx.want_typed &&
		    ccp_schema_load(CCP_KIND_PROJECT, ctx.root, (void **)&ctx.typed) < 0)
			ctx.project_schema_ok = 0;
		ctx.builders = ccp_node_get(ctx.root, "builders");
		ctx.packager = ccp_node_get(ctx.root, "packager");
		if (collect_participants(&ctx) < 0 || index_names(&ctx) < 0) {
			ctx_release(&ctx);
			return -1;
		}
		run_rules(&ctx);
	}
	ccp_diags_finish(diags);
	if (kit && ctx.root && ccp_diags_count(diags, CCP_SEV_ERROR) == 0)
		*kit = ccp_lint_build_kit(&ctx);
	nfiles = files_read(&ctx);
	tell_files(&ctx);
	if (nfiles == CCP_LINT_OUTPUT_IS_INPUT && kit && *kit) {
		ccp_kit_project_free(*kit);
		*kit = NULL;
	}
	ctx_release(&ctx);
	return diags->failed ? -1 : nfiles;
}

long ccp_lint_cc_configs(ccp_diags *diags, const char *const *paths,
			 size_t n, const ccp_lint_opts *opts)
{
	ccp_lint_ctx ctx;
	size_t i;
	long nfiles;

	memset(&ctx, 0, sizeof(ctx));
	diags->severity_of = ccp_rule_severity;
	ctx.diags = diags;
	ctx.opts = opts ? opts : &default_opts;
	ctx.yaml = ccp_yaml_set_new(diags);
	if (ctx.yaml)
		ccp_yaml_set_record(ctx.yaml, ctx.opts->reads);
	ctx.project_dir = strdup(".");
	if (!ctx.yaml || !ctx.project_dir) {
		ctx_release(&ctx);
		return -1;
	}
	for (i = 0; i < n; i++)
		load_cc(&ctx, paths[i], NULL);
	run_rules(&ctx);
	ccp_diags_finish(diags);
	nfiles = files_read(&ctx);
	tell_files(&ctx);
	ctx_release(&ctx);
	return diags->failed ? -1 : nfiles;
}
