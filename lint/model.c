/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resolving a clean project into the plain description provisioning
 * consumes (kit.h). The values NVFlare defaults come from lint's model
 * (model.h), which resolved them once: they are not defaulted again here.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/json.h"
#include "lint_model.h"
#include "lintctx.h"
#include "path.h"

/* NVFlare truncates a server's certificate CN to 64 characters. */
#define CCP_MAX_SERVER_NAME 64

ccp_json *ccp_node_to_json(const ccp_node *n)
{
	ccp_json *v;
	size_t i;

	if (!n)
		return ccp_json_new(CCP_JSON_NULL);
	switch (n->kind) {
	case CCP_NODE_MAP:
		v = ccp_json_new(CCP_JSON_OBJECT);
		for (i = 0; v && i < n->count; i++)
			if (ccp_json_set(v, n->pairs[i].key->value,
					 ccp_node_to_json(n->pairs[i].value)) < 0) {
				ccp_json_free(v);
				return NULL;
			}
		return v;
	case CCP_NODE_SEQ:
		v = ccp_json_new(CCP_JSON_ARRAY);
		for (i = 0; v && i < n->count; i++)
			if (ccp_json_append(v, ccp_node_to_json(n->items[i])) < 0) {
				ccp_json_free(v);
				return NULL;
			}
		return v;
	case CCP_NODE_SCALAR:
		break;
	}
	switch (n->stype) {
	case CCP_SCALAR_NULL:
		return ccp_json_new(CCP_JSON_NULL);
	case CCP_SCALAR_BOOL: {
		int b = 0;

		ccp_node_bool(n, &b);
		return ccp_json_new_bool(b);
	}
	case CCP_SCALAR_INT: {
		long long x;

		if (ccp_node_int(n, &x) == 0)
			return ccp_json_new_int(x);
		return ccp_json_new_string(n->value);
	}
	case CCP_SCALAR_FLOAT: {
		char *end;
		double d = strtod(n->value, &end);

		/* .inf and .nan have no JSON form: keep the text */
		if (*end || d != d || d > 1e308 || d < -1e308 || strchr(n->value, '_'))
			return ccp_json_new_string(n->value);
		return ccp_json_new_number(n->value[0] == '.' ? "0" : n->value);
	}
	case CCP_SCALAR_STR:
		break;
	}
	return ccp_json_new_stringn(n->value, n->len);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static ccp_json *args_of(const ccp_node *component)
{
	const ccp_node *args = ccp_node_get(component, "args");

	if (!args || args->kind != CCP_NODE_MAP)
		return ccp_json_new(CCP_JSON_OBJECT);
	return ccp_node_to_json(args);
}

static int push_str(char ***arr, size_t *n, const char *s)
{
	char **p = realloc(*arr, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	*arr = p;
	p[*n] = strdup(s);
	if (!p[*n])
		return -1;
	(*n)++;
	return 0;
}

static ccp_kit_cc *build_cc(const ccp_cc_file *f, const char *source)
{
	ccp_kit_cc *cc = calloc(1, sizeof(*cc));
	const ccp_y_cc_config *t = f->typed;
	const ccp_node *issuers = f->issuers;
	size_t i;

	if (!cc || !t)
		goto fail;
	cc->source_path = strdup(source);
	cc->abs_path = dup_or_null(f->abs);
	cc->compute_env = dup_or_null(ccp_node_str(f->compute_env_at));
	cc->cpu_mechanism = dup_or_null(ccp_node_str(f->cpu_mechanism_at));
	cc->gpu_mechanism = dup_or_null(ccp_node_str(f->gpu_mechanism_at));
	cc->check_frequency = f->check_frequency;
	if (t->cc_issuers_count) {
		cc->issuers = calloc(t->cc_issuers_count, sizeof(*cc->issuers));
		if (!cc->issuers)
			goto fail;
	}
	for (i = 0; i < t->cc_issuers_count; i++) {
		ccp_kit_issuer *is = &cc->issuers[cc->n_issuers++];
		const ccp_node *node = issuers && i < issuers->count ?
				       issuers->items[i] : NULL;

		is->id = strdup(t->cc_issuers[i].id);
		is->path = strdup(t->cc_issuers[i].path);
		is->token_expiration = t->cc_issuers[i].token_expiration;
		is->args = args_of(node);
		if (!is->id || !is->path || !is->args)
			goto fail;
	}
	for (i = 0; i < t->class_allow_list_count; i++)
		if (push_str(&cc->class_allow_list, &cc->n_class_allow,
			     t->class_allow_list[i]) < 0)
			goto fail;
	cc->doc = ccp_node_to_json(f->root);
	if (!cc->source_path || !cc->compute_env || !cc->doc)
		goto fail;
	return cc;
fail:
	if (cc) {
		/* reuse the project destructor's logic through a one-off holder */
		ccp_kit_project *holder = calloc(1, sizeof(*holder));
		ccp_kit_participant *p = calloc(1, sizeof(*p));

		if (holder && p) {
			p->cc = cc;
			holder->participants = p;
			holder->n_participants = 1;
			ccp_kit_project_free(holder);
		} else {
			free(holder);
			free(p);
		}
	}
	return NULL;
}

/*
 * A path written in project.yml, made absolute against its folder (as
 * lint resolves it) and canonical when it exists. NULL for no path.
 */
static char *project_path(const char *project_dir, const char *value)
{
	char real[PATH_MAX];
	char *path;

	if (!value || !value[0])
		return NULL;
	path = ccp_lint_resolve(project_dir, value);
	if (path && realpath(path, real)) {
		free(path);
		path = strdup(real);
	}
	return path;
}

/*
 * NVFlare reads these flags with get_prop_fb: a participant value Python
 * reads as false counts as unset, and the project's value (else the
 * default) applies. The kit follows; lint warns (CCP-S013).
 */
static int flag_fallback(ccp_json *props, const ccp_node *root, const char *key,
			 int dflt)
{
	const ccp_json *v = ccp_json_get(props, key);
	const ccp_node *pv;

	if (v && ccp_json_truthy(v))
		return 0;
	if ((pv = ccp_node_get(root, key)) != NULL)
		return ccp_json_set(props, key, ccp_node_to_json(pv));
	return v ? ccp_json_set(props, key, ccp_json_new_bool(dflt)) : 0;
}

/* host_names: one name or a list of them. */
static int read_host_names(const ccp_node *hn, ccp_kit_participant *out)
{
	size_t i;

	if (ccp_node_str(hn))
		return push_str(&out->host_names, &out->n_host_names, hn->value);
	if (!hn || hn->kind != CCP_NODE_SEQ)
		return 0;
	for (i = 0; i < hn->count; i++)
		if (ccp_node_str(hn->items[i]) &&
		    push_str(&out->host_names, &out->n_host_names,
			     hn->items[i]->value) < 0)
			return -1;
	return 0;
}

/* listening_host: a host, or a mapping whose default_host defaults to
 * the participant's name. */
static void read_listening_host(const ccp_node *lh, const char *name,
				ccp_kit_participant *out)
{
	const char *host;

	if (ccp_node_str(lh)) {
		out->listening_host = strdup(lh->value);
	} else if (lh && lh->kind == CCP_NODE_MAP) {
		host = ccp_node_get_str(lh, "default_host");
		out->listening_host = dup_or_null(host ? host : name);
	}
}

/* Name, org and role; the server's CN cut to what NVFlare allows. */
static int read_identity(const ccp_lint_participant *lp,
			 const ccp_y_participant *t, ccp_kit_participant *out)
{
	out->type = lp->ptype;
	out->name = strdup(t->name);
	out->org = strdup(t->org);
	if (!out->name || !out->org)
		return -1;
	if (lp->ptype == CCP_PT_ADMIN)
		out->role = dup_or_null(t->role);
	return 0;
}

static int build_participant(ccp_lint_ctx *ctx, const ccp_lint_participant *lp,
			     const ccp_y_participant *t, const char *project_dir,
			     ccp_kit_participant *out)
{
	/* NVFlare falls back to the project's value when the participant's
	 * is unset or empty. */
	const char *ca = t->custom_ca_cert && t->custom_ca_cert[0] ?
			 t->custom_ca_cert : ctx->typed->custom_ca_cert;
	const ccp_node *from;
	const char *host = ccp_model_default_host(lp, &from);

	if (read_identity(lp, t, out) < 0)
		return -1;
	out->fed_learn_port = lp->fed_learn_port;
	out->admin_port = lp->admin_port;
	/* NVFlare keeps the full name as the host and truncates the CN */
	out->default_host = dup_or_null(host);
	if (lp->ptype == CCP_PT_SERVER && strlen(out->name) > CCP_MAX_SERVER_NAME)
		out->name[CCP_MAX_SERVER_NAME] = '\0';
	if (read_host_names(ccp_node_get(lp->node, "host_names"), out) < 0)
		return -1;
	out->connection_security = dup_or_null(ccp_conn_sec_name(lp->conn_sec));
	if (ca && ca[0] && !(out->custom_ca_cert = project_path(project_dir, ca)))
		return -1;
	/* No project-level fallback: NVFlare reads only the participant's. */
	if (t->auth_identity && !(out->auth_identity = strdup(t->auth_identity)))
		return -1;
	out->use_aio = t->use_aio;
	read_listening_host(ccp_node_get(lp->node, "listening_host"), t->name, out);
	out->num_of_gpus = t->num_of_gpus;
	out->mem_per_gpu_in_GiB = t->mem_per_gpu_in_GiB;
	out->props = ccp_node_to_json(lp->node);
	if (out->props && (flag_fallback(out->props, ctx->root, "allow_log_streaming", 1) < 0 ||
			   flag_fallback(out->props, ctx->root, "allow_error_sending", 0) < 0))
		return -1;
	if (lp->cc && lp->cc->typed && !(out->cc = build_cc(lp->cc, t->cc_config)))
		return -1;
	return out->default_host && out->connection_security && out->props ? 0 : -1;
}

/*
 * The typed participants and the tree's are loaded from the same
 * sequence; a mismatch would pair one participant's typed values with
 * another's tree, so it stops the build.
 */
static int parts_pair_up(const ccp_lint_ctx *ctx, const ccp_y_project *t)
{
	size_t i;

	if (t->participants_count != ctx->nparts)
		return 0;
	for (i = 0; i < ctx->nparts; i++)
		if (!ctx->parts[i].name || strcmp(ctx->parts[i].name, t->participants[i].name) != 0)
			return 0;
	return 1;
}

static int build_participants(ccp_lint_ctx *ctx, const ccp_y_project *t,
			      ccp_kit_project *p)
{
	size_t i;

	p->participants = calloc(t->participants_count + 1, sizeof(*p->participants));
	if (!p->participants)
		return -1;
	for (i = 0; i < t->participants_count; i++)
		if (build_participant(ctx, &ctx->parts[i], &t->participants[i],
				      p->project_dir,
				      &p->participants[p->n_participants++]) < 0)
			return -1;
	return 0;
}

/* Builders and packager: typed paths, args from the tree (any shape). */
static int build_components(ccp_lint_ctx *ctx, const ccp_y_project *t,
			    ccp_kit_project *p)
{
	const ccp_node *builders = ctx->builders;
	size_t i;

	p->builders = calloc(t->builders_count + 1, sizeof(*p->builders));
	if (!p->builders)
		return -1;
	for (i = 0; i < t->builders_count; i++) {
		ccp_kit_component *c = &p->builders[p->n_builders++];

		c->path = strdup(t->builders[i].path);
		c->args = args_of(builders && i < builders->count ? builders->items[i] : NULL);
		if (!c->path || !c->args)
			return -1;
	}
	if (!t->packager)
		return 0;
	p->packager = calloc(1, sizeof(*p->packager));
	if (!p->packager)
		return -1;
	p->packager->path = strdup(t->packager->path);
	p->packager->args = args_of(ctx->packager);
	return p->packager->path && p->packager->args ? 0 : -1;
}

ccp_kit_project *ccp_lint_build_kit(ccp_lint_ctx *ctx)
{
	ccp_kit_project *p;
	const ccp_y_project *t = ctx->typed;
	const ccp_node *studies = ccp_node_get(ctx->root, "studies");
	char real[PATH_MAX];

	if (!t || !parts_pair_up(ctx, t))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->name = strdup(t->name);
	p->api_version = (int)t->api_version;
	p->description = dup_or_null(t->description);
	if (realpath(ctx->project_path, real)) {
		p->project_file = strdup(real);
		p->project_dir = ccp_path_dirname(real);
	}
	if (!p->name || !p->project_file || !p->project_dir ||
	    build_participants(ctx, t, p) < 0 || build_components(ctx, t, p) < 0)
		goto fail;
	if (studies && p->api_version >= 4 && !(p->studies = ccp_node_to_json(studies)))
		goto fail;
	return p;
fail:
	ccp_kit_project_free(p);
	return NULL;
}
