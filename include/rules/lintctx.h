/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What policy rules see: the loaded project, its participants and every
 * cc_config, each with positioned trees for diagnostics. Rules must cope
 * with trees that failed the schema (wrong types, missing keys): they
 * read the values the model resolved (model.h: NVFlare's defaults
 * applied, the node of each value kept) and, for what the model does
 * not hold, the trees through ccp_node_* accessors, which return NULL
 * for the wrong kind.
 */
#ifndef CCPROV_LINTCTX_H
#define CCPROV_LINTCTX_H

#include <stddef.h>

#include "ccprov/diag.h"
#include "ccprov/kit.h"
#include "ccprov/lint_opts.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"
#include "model.h"
#include "strmap.h"

/*
 * A participant as the rules see it: the model's located, resolved view
 * (model.h), one per entry of participants, in one array.
 */
typedef ccp_model_part ccp_lint_participant;

typedef struct ccp_lint_ctx {
	ccp_diags *diags;
	const ccp_lint_opts *opts;
	ccp_yaml_set *yaml;
	const char *project_path;   /**< NULL when linting cc_configs alone */
	char *project_dir;
	const ccp_node *root;       /**< project.yml root mapping, or NULL */
	int project_schema_ok;
	/** Load the typed views: only a kit is built from them, the rules
	 * read the model and the trees. */
	int want_typed;
	ccp_y_project *typed;       /**< libcyaml view when schema-clean */
	ccp_lint_participant *parts;
	size_t nparts;
	ccp_lint_participant *server; /**< the first server, or NULL */
	const ccp_node *builders;   /**< the builders list node, or NULL */
	const ccp_node *packager;   /**< the packager mapping, or NULL */
	ccp_cc_file *ccs;
	size_t nccs, capccs;
	ccp_strmap cc_map;          /**< canonical path -> index + 1 in ccs */
	ccp_lint_participant **by_name; /**< named participants, sorted (lookups) */
	size_t nby_name;
	struct ccp_archive_refs *archives; /**< docker_archive files (rules/docker.c) */
	/** the builders list resolved once per run (rules/builders.c) */
	struct ccp_builders_scan *builders_scan;
} ccp_lint_ctx;

/** Report a finding of rule at a node (severity from the registry). */
ccp_diag *ccp_lint_report(ccp_lint_ctx *ctx, const char *rule,
			  const ccp_node *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** Participant by name, or NULL. */
ccp_lint_participant *ccp_lint_find(ccp_lint_ctx *ctx, const char *name);

/** Resolve a path written in a file whose folder is dir; caller frees. */
char *ccp_lint_resolve(const char *dir, const char *path);

/**
 * realpath(3) of path, once per run: the sites of a large project name
 * the same few files thousands of times. The result is owned by the run's
 * YAML set (ccp_yaml_realpath); NULL when path does not resolve.
 */
const char *ccp_lint_realpath(ccp_lint_ctx *ctx, const char *path);


/** Free what the docker_archive checks kept for the run. */
void ccp_archive_refs_free(struct ccp_archive_refs *refs);

/** Free the builders list the builder rules resolved for the run. */
void ccp_builders_scan_free(struct ccp_builders_scan *sc);

/** The class name of a dotted path ("a.b.CCBuilder" -> "CCBuilder"). */
const char *ccp_class_name(const char *dotted);

#endif
