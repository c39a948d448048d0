/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `.ccprov.yml` configuration: rule levels, ignored paths, the
 * failure threshold and the NVFlare release line, checked against its own
 * small schema with positions, like every other input.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ccprov/buf.h"
#include "ccprov/gate.h"
#include "ccprov/report.h"
#include "ccprov/rules.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"
#include "fsio.h"
#include "path.h"

#define RULE_BAD_CONFIG "CCP-G001"

static const char *const top_keys[] = { "rules", "ignore", "fail-on", "nvflare" };
static const char *const rule_keys[] = { "level", "ignore" };
static const char *const levels[] = { "off", "note", "warning", "error" };

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static ccp_diag *bad(ccp_diags *d, const ccp_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static ccp_diag *bad(ccp_diags *d, const ccp_node *at, const char *fmt, ...)
{
	ccp_buf b = CCP_BUF_INIT;
	ccp_diag *g;
	va_list ap;

	va_start(ap, fmt);
	ccp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g = ccp_diags_add(d, RULE_BAD_CONFIG, CCP_SEV_ERROR, at, NULL, "%s",
			  ccp_buf_cstr(&b));
	ccp_buf_release(&b);
	return g;
}

static void unknown_key(ccp_diags *d, const ccp_node *key,
			const char *const *known, size_t n, const char *where)
{
	const char *near = ccp_suggest(key->value, known, n);
	ccp_diag *g = ccp_diags_add(d, RULE_BAD_CONFIG, CCP_SEV_ERROR, key, NULL,
				    "unknown key '%s' in %s", key->value, where);

	if (g && near)
		ccp_diag_set_hint(g, "did you mean '%s'?", near);
}

/* Copy the strings of a glob list (a string or a sequence of strings). */
static int read_globs(ccp_diags *d, const ccp_node *n, char ***out,
		      size_t *nout)
{
	const ccp_node *one = n;
	size_t i, count = n->kind == CCP_NODE_SEQ ? n->count : 1;
	char **globs;

	if (n->kind == CCP_NODE_MAP || (n->kind == CCP_NODE_SCALAR && !ccp_node_str(n))) {
		bad(d, n, "'ignore' takes a path glob or a list of them");
		return 0;
	}
	globs = calloc(count + 1, sizeof(*globs));
	if (!globs)
		return -1;
	for (i = 0; i < count; i++) {
		if (n->kind == CCP_NODE_SEQ)
			one = n->items[i];
		if (!ccp_node_str(one) || one->kind != CCP_NODE_SCALAR) {
			bad(d, one, "an 'ignore' entry must be a path glob, not a %s",
			    ccp_node_type_name(one));
			continue;
		}
		globs[*nout] = strdup(one->value);
		if (!globs[*nout]) {
			free(globs);
			return -1;
		}
		(*nout)++;
	}
	*out = globs;
	return 0;
}

static int parse_level(ccp_diags *d, const ccp_node *n, ccp_gate_rule_cfg *r)
{
	const char *s = ccp_node_str(n);
	ccp_severity sev;
	ccp_diag *g;

	if (s && strcmp(s, "off") == 0) {
		r->off = 1;
		return 0;
	}
	if (s && ccp_severity_parse(s, &sev) == 0) {
		r->level = (int)sev;
		return 0;
	}
	g = bad(d, n, "rule level '%s' is not off, note, warning or error",
		s ? s : ccp_node_type_name(n));
	if (g && s && ccp_suggest(s, levels, NELEMS(levels)))
		ccp_diag_set_hint(g, "did you mean '%s'?",
				  ccp_suggest(s, levels, NELEMS(levels)));
	return 0;
}

static int parse_rule(ccp_diags *d, const ccp_node *key, const ccp_node *v,
		      ccp_gate_rule_cfg *r)
{
	const ccp_rule *known = ccp_rule_find(key->value);
	size_t i;

	memset(r, 0, sizeof(*r));
	r->level = -1;
	if (!known) {
		size_t nrules, k;
		const ccp_rule *all = ccp_rules(&nrules);
		const char **ids = calloc(nrules + 1, sizeof(*ids));
		const char *near;
		ccp_diag *g;

		if (!ids)
			return -1;
		for (k = 0; k < nrules; k++)
			ids[k] = all[k].id;
		near = ccp_suggest(key->value, ids, nrules);
		g = bad(d, key, "unknown rule id '%s'", key->value);
		if (g && near)
			ccp_diag_set_hint(g, "did you mean '%s'?", near);
		free(ids);
		return 1;
	}
	snprintf(r->id, sizeof(r->id), "%s", known->id);
	if (v->kind == CCP_NODE_SCALAR)
		return parse_level(d, v, r);
	if (v->kind != CCP_NODE_MAP) {
		bad(d, v, "a rule takes a level or a mapping with level and ignore, "
		    "not a %s", ccp_node_type_name(v));
		return 0;
	}
	for (i = 0; i < v->count; i++) {
		const ccp_node *k = v->pairs[i].key, *val = v->pairs[i].value;

		if (strcmp(k->value, "level") == 0)
			parse_level(d, val, r);
		else if (strcmp(k->value, "ignore") == 0) {
			if (read_globs(d, val, &r->ignore, &r->nignore) < 0)
				return -1;
		} else
			unknown_key(d, k, rule_keys, NELEMS(rule_keys), "a rule setting");
	}
	return 0;
}

static int parse_rules(ccp_diags *d, const ccp_node *n, ccp_gate_config *c)
{
	size_t i;

	if (n->kind != CCP_NODE_MAP) {
		if (!ccp_node_is_null(n))
			bad(d, n, "'rules' must map rule ids to levels, not a %s",
			    ccp_node_type_name(n));
		return 0;
	}
	c->rules = calloc(n->count + 1, sizeof(*c->rules));
	if (!c->rules)
		return -1;
	for (i = 0; i < n->count; i++) {
		int rc = parse_rule(d, n->pairs[i].key, n->pairs[i].value,
				    &c->rules[c->nrules]);

		if (rc < 0)
			return -1;
		if (rc == 0)
			c->nrules++;
	}
	return 0;
}

/* fail-on: the lowest severity that fails the run. */
static void parse_fail_on(ccp_diags *d, const ccp_node *v, ccp_gate_config *c)
{
	const char *s = ccp_node_str(v);

	if (s && v->kind == CCP_NODE_SCALAR && ccp_fail_on_parse(&c->fail_on, s) == 0)
		c->has_fail_on = 1;
	else
		bad(d, v, "fail-on '%s' is not error, warning, note or never",
		    s ? s : ccp_node_type_name(v));
}

/* nvflare: the release line the kits are for. */
static void parse_line(ccp_diags *d, const ccp_node *v, ccp_gate_config *c)
{
	const char *s = ccp_node_str(v);
	ccp_diag *g;

	if (s && v->kind == CCP_NODE_SCALAR && ccp_nvf_line_parse(&c->line, s) == 0) {
		c->has_line = 1;
		return;
	}
	g = bad(d, v, "nvflare '%s' is not a release line ccprov knows",
		s ? s : ccp_node_type_name(v));
	if (g)
		ccp_diag_set_hint(g, "use one of %s, quoted (\"2.7\")",
				  ccp_nvf_line_names());
}

static int parse_config(ccp_diags *d, const ccp_node *root, ccp_gate_config *c)
{
	size_t i;

	for (i = 0; i < root->count; i++) {
		const ccp_node *k = root->pairs[i].key, *v = root->pairs[i].value;

		if (strcmp(k->value, "rules") == 0) {
			if (parse_rules(d, v, c) < 0)
				return -1;
		} else if (strcmp(k->value, "ignore") == 0) {
			if (read_globs(d, v, &c->ignore, &c->nignore) < 0)
				return -1;
		} else if (strcmp(k->value, "fail-on") == 0) {
			parse_fail_on(d, v, c);
		} else if (strcmp(k->value, "nvflare") == 0) {
			parse_line(d, v, c);
		} else {
			unknown_key(d, k, top_keys, NELEMS(top_keys), CCP_GATE_CONFIG_NAME);
		}
	}
	return 0;
}

int ccp_gate_config_load(ccp_gate_config **out, const char *path,
			 ccp_diags *diags)
{
	ccp_gate_config *c = calloc(1, sizeof(*c));
	ccp_yaml_set *set = NULL;
	ccp_yaml_doc *doc;
	int rc = -1;

	*out = NULL;
	if (!c)
		return -1;
	c->path = strdup(path);
	c->dir = ccp_path_dirname(path);
	set = ccp_yaml_set_new(diags);
	if (!c->path || !c->dir || !set)
		goto cleanup;
	doc = ccp_yaml_load(set, path, NULL);
	if (!doc)
		goto cleanup;
	if (doc->root && parse_config(diags, doc->root, c) < 0)
		goto cleanup;
	*out = c;
	c = NULL;
	rc = 0;

cleanup:
	ccp_yaml_set_free(set);
	ccp_gate_config_free(c);
	return rc;
}

static void free_globs(char **g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(g[i]);
	free(g);
}

void ccp_gate_config_free(ccp_gate_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nrules; i++)
		free_globs(c->rules[i].ignore, c->rules[i].nignore);
	free(c->rules);
	free_globs(c->ignore, c->nignore);
	free(c->path);
	free(c->dir);
	free(c);
}

char *ccp_gate_config_find(const char *dir)
{
	char real[PATH_MAX], *cur, *root, *found = NULL;
	struct stat st;

	if (!ccp_realpath(dir, real) || !(cur = strdup(real)))
		return NULL;
	root = ccp_gate_repo_root(cur);
	for (;;) {
		found = ccp_path_join(cur, CCP_GATE_CONFIG_NAME);
		if (found && stat(found, &st) == 0 && S_ISREG(st.st_mode))
			break;
		free(found);
		found = NULL;
		/* outside a repository only the project's own folder counts */
		if (!root || strcmp(cur, root) == 0 || ccp_path_parent(cur) < 0)
			break;
	}
	free(cur);
	free(root);
	return found;
}

/* Does a glob of the config match file (relative to the config's folder)? */
static int glob_hit(char *const *globs, size_t n, const char *rel)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(globs[i], rel, 0) == 0)
			return 1;
	return 0;
}

typedef struct apply_ctx {
	const ccp_gate_config *c;
	char *memo_file, *memo_rel;
} apply_ctx;

static const char *rel_of(apply_ctx *a, const char *file)
{
	if (!a->memo_file || strcmp(a->memo_file, file) != 0) {
		free(a->memo_file);
		free(a->memo_rel);
		a->memo_file = strdup(file);
		a->memo_rel = ccp_report_display_path(file, a->c->dir);
	}
	return a->memo_rel ? a->memo_rel : file;
}

static const ccp_gate_rule_cfg *rule_cfg(const ccp_gate_config *c,
					 const char *id)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		if (strcmp(c->rules[i].id, id) == 0)
			return &c->rules[i];
	return NULL;
}

static int keep(void *arg, const ccp_diag *g)
{
	apply_ctx *a = arg;
	const ccp_gate_rule_cfg *r = rule_cfg(a->c, g->rule);
	const char *rel;

	if (r && r->off)
		return 0;
	if (!a->c->nignore && !(r && r->nignore))
		return 1;
	rel = rel_of(a, g->file);
	if (glob_hit(a->c->ignore, a->c->nignore, rel))
		return 0;
	return !(r && glob_hit(r->ignore, r->nignore, rel));
}

void ccp_gate_config_apply(const ccp_gate_config *c, ccp_diags *d)
{
	apply_ctx a = { c, NULL, NULL };
	size_t i;

	if (!c)
		return;
	ccp_diags_filter(d, keep, &a);
	for (i = 0; i < d->count; i++) {
		const ccp_gate_rule_cfg *r = rule_cfg(c, d->items[i]->rule);

		if (r && r->level >= 0)
			d->items[i]->severity = (ccp_severity)r->level;
	}
	free(a.memo_file);
	free(a.memo_rel);
}
