/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Confidential computing: does each cc_config fit the participant that
 * uses it and the rest of the project (CCP-C001..C008, CCP-C019).
 *
 * Per-file checks walk ctx->ccs, so they also run when cc_config files
 * are linted without a project; checks that compare sites need the
 * project (ctx->root) and skip otherwise. Every loop is linear in the
 * number of participants and files.
 */
#include <stdlib.h>
#include <string.h>

#include "ccprov/nvflare.h"
#include "cc_common.h"
#include "checks.h"

static size_t cc_index(const ccp_lint_ctx *ctx, const ccp_cc_file *f)
{
	return (size_t)(f - ctx->ccs);
}

static const char *ptype_word(ccp_ptype t)
{
	switch (t) {
	case CCP_PT_SERVER:
		return "server";
	case CCP_PT_CLIENT:
		return "client";
	case CCP_PT_ADMIN:
		return "admin";
	case CCP_PT_RELAY:
		return "relay";
	default:
		return "participant";
	}
}

static const char *part_name(const ccp_lint_participant *p)
{
	return p->name ? p->name : "?";
}

/* Does the site's image builder read role? Only VM images are built
 * per role; NVFlare itself never reads it, and neither an ACI container
 * nor a mock site has a role-specific image. */
static int role_matters(const ccp_cc_file *f)
{
	return !f || !f->env || f->env->vm_role;
}

/* CCP-C001: role in the cc_config is the participant's type. */
void ccp_check_cc_role(ccp_lint_ctx *ctx)
{
	unsigned char *done;
	size_t i;

	if (!ctx->root || !ctx->nccs)
		return;
	done = calloc(ctx->nccs, 1);
	if (!done)
		return;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *role;
		const char *r;
		ccp_diag *g;

		if ((p->ptype != CCP_PT_SERVER && p->ptype != CCP_PT_CLIENT) ||
		    !ccp_cc_part_loaded(p) || done[cc_index(ctx, p->cc)] ||
		    !role_matters(p->cc))
			continue;
		role = ccp_node_get(p->cc->root, "role");
		r = role && role->kind == CCP_NODE_SCALAR ? ccp_node_str(role) : NULL;
		if (!r || (strcmp(r, "server") != 0 && strcmp(r, "client") != 0))
			continue;   /* absent, or the schema reports it */
		if (strcmp(r, ptype_word(p->ptype)) == 0)
			continue;
		done[cc_index(ctx, p->cc)] = 1;
		g = ccp_lint_report(ctx, "CCP-C001", role,
				    "role '%s' does not match %s '%s' that uses this cc_config",
				    r, ptype_word(p->ptype), part_name(p));
		ccp_diag_set_hint(g, "set role: %s", ptype_word(p->ptype));
		ccp_diag_add_related(g, p->type_at,
				     "participant '%s' has type '%s'", part_name(p),
				     ptype_word(p->ptype));
	}
	free(done);
}

/* CCP-C002: only servers and clients run in confidential VMs. */
void ccp_check_cc_participant_type(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		ccp_diag *g;

		if (!p->cc_ref || (p->ptype != CCP_PT_ADMIN && p->ptype != CCP_PT_RELAY))
			continue;
		g = ccp_lint_report(ctx, "CCP-C002", p->cc_ref,
				    "cc_config on %s '%s': only servers and clients run in a confidential VM",
				    ptype_word(p->ptype), part_name(p));
		ccp_diag_set_hint(g, "remove cc_config from this participant");
	}
}

/* CCP-C003: one cc_config file serves one kind of participant. */
void ccp_check_cc_shared_file(ccp_lint_ctx *ctx)
{
	const ccp_lint_participant **first;
	unsigned char *done;
	size_t i;

	if (!ctx->root || !ctx->nccs)
		return;
	first = calloc(ctx->nccs, sizeof(*first));
	done = calloc(ctx->nccs, 1);
	if (!first || !done)
		goto cleanup;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		size_t k;
		ccp_diag *g;

		if (!p->cc || !p->cc_ref ||
		    (p->ptype != CCP_PT_SERVER && p->ptype != CCP_PT_CLIENT) ||
		    !role_matters(p->cc))
			continue;
		k = cc_index(ctx, p->cc);
		if (!first[k]) {
			first[k] = p;
			continue;
		}
		if (done[k] || first[k]->ptype == p->ptype)
			continue;
		done[k] = 1;
		g = ccp_lint_report(ctx, "CCP-C003", p->cc_ref,
				    "cc_config '%s' of %s '%s' is also used by %s '%s'",
				    p->cc_ref->value, ptype_word(p->ptype), part_name(p),
				    ptype_word(first[k]->ptype), part_name(first[k]));
		ccp_diag_set_hint(g, "give the server and the clients their own cc_config files: role, ports and issuers differ");
		ccp_diag_add_related(g, first[k]->cc_ref, "%s '%s' uses the same file here",
				     ptype_word(first[k]->ptype), part_name(first[k]));
	}
cleanup:
	free(first);
	free(done);
}

/* CCP-C004: on-premises CVMs name their CPU mechanism. */
void ccp_check_cc_cpu_mechanism(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_cc_file *f = &ctx->ccs[i];
		const ccp_node *cpu = f->cpu_mechanism_at;
		ccp_diag *g;

		if (!f->env || strcmp(f->env->name, "onprem_cvm") != 0 ||
		    (cpu && !ccp_node_is_null(cpu)))
			continue;
		g = ccp_lint_report(ctx, "CCP-C004", f->compute_env_at,
				    "compute_env 'onprem_cvm' without cc_cpu_mechanism");
		ccp_diag_set_hint(g, "add cc_cpu_mechanism: amd_sev_snp or cc_cpu_mechanism: intel_tdx");
	}
}

/* The first cc_config whose compute_env is real hardware, preferring the server's. */
static const ccp_cc_file *reference_env(const ccp_lint_ctx *ctx)
{
	size_t i;

	if (ctx->server && ccp_cc_part_loaded(ctx->server) &&
	    ccp_cc_env_is_real(ctx->server->cc))
		return ctx->server->cc;
	for (i = 0; i < ctx->nccs; i++)
		if (ccp_cc_env_is_real(&ctx->ccs[i]))
			return &ctx->ccs[i];
	return NULL;
}

/* CCP-C005: a mock site in a project that otherwise attests for real. */
void ccp_check_cc_mock_mixed(ccp_lint_ctx *ctx)
{
	const ccp_cc_file *ref;
	const ccp_node *ref_at = NULL;
	const char *ref_env;
	size_t i;

	if (!ctx->root)
		return;
	ref = reference_env(ctx);
	ref_env = ref ? ref->env->name : NULL;
	ref_at = ref ? ref->compute_env_at : NULL;
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *at = ctx->ccs[i].compute_env_at;
		const ccp_nvf_env *env = ctx->ccs[i].env;
		ccp_diag *g;

		if (!env || env->attests)
			continue;
		if (!ref_env) {
			/* a project that is all mock passes NVFlare without a word,
			 * yet none of its sites is attested */
			g = ccp_lint_report(ctx, "CCP-C005", at,
					    "compute_env 'mock' attests nothing; no site of this project is confidential");
			ccp_diag_set_hint(g, "mock is for trying the CC workflow; use onprem_cvm, azure_cvm "
					  "or azure_confidential_container for a real deployment");
			continue;
		}
		g = ccp_lint_report(ctx, "CCP-C005", at,
				    "compute_env 'mock' attests nothing, but this project also runs in '%s'",
				    ref_env);
		ccp_diag_set_hint(g, "a mock site weakens every CC site that trusts it; use mock only in test projects");
		ccp_diag_add_related(g, ref_at, "compute_env '%s' here", ref_env);
	}
}

/* CCP-C006: one project, one kind of confidential hardware. */
void ccp_check_cc_env_mixed(ccp_lint_ctx *ctx)
{
	const ccp_cc_file *ref;
	const ccp_node *ref_at = NULL;
	const char *ref_env;
	size_t i;

	if (!ctx->root || !(ref = reference_env(ctx)))
		return;
	ref_env = ref->env->name;
	ref_at = ref->compute_env_at;
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *at = ctx->ccs[i].compute_env_at;
		const char *env;
		ccp_diag *g;

		if (!ccp_cc_env_is_real(&ctx->ccs[i]))
			continue;
		env = ctx->ccs[i].env->name;
		if (strcmp(env, ref_env) == 0)
			continue;
		g = ccp_lint_report(ctx, "CCP-C006", at,
				    "compute_env '%s' differs from '%s' used elsewhere in this project",
				    env, ref_env);
		ccp_diag_set_hint(g, "every CC site verifies every other site's tokens; check that each site has verifiers for the other environments' issuers");
		ccp_diag_add_related(g, ref_at, "compute_env '%s' here", ref_env);
	}
}

/* CCP-C007: some servers and clients confidential, others not. */
void ccp_check_cc_mixed(ccp_lint_ctx *ctx)
{
	const ccp_lint_participant *cc = NULL, *plain = NULL;
	size_t i, nplain = 0, total = 0;
	const ccp_node *at;
	ccp_diag *g;

	if (!ctx->root)
		return;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];

		if (p->ptype != CCP_PT_SERVER && p->ptype != CCP_PT_CLIENT)
			continue;
		total++;
		if (p->cc_ref) {
			if (!cc)
				cc = p;
		} else {
			if (!plain)
				plain = p;
			nplain++;
		}
	}
	if (!cc || !plain)
		return;
	at = plain->name_at;
	g = ccp_lint_report(ctx, "CCP-C007", at ? at : plain->node,
			    "%s '%s' has no cc_config while %s '%s' runs in a confidential VM (%zu of %zu servers and clients have none)",
			    ptype_word(plain->ptype), part_name(plain),
			    ptype_word(cc->ptype), part_name(cc), nplain, total);
	ccp_diag_set_hint(g, "give every server and client a cc_config, or none: a site outside a CVM is not attested");
	ccp_diag_add_related(g, cc->cc_ref, "%s '%s' has a cc_config", ptype_word(cc->ptype),
			     part_name(cc));
}

/* CCP-C008: a CC site with nothing to attest it. */
void ccp_check_cc_no_issuers(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *root = ctx->ccs[i].root;
		const ccp_node *n = ctx->ccs[i].issuers_at;
		ccp_diag *g;

		if (!root || root->kind != CCP_NODE_MAP)
			continue;
		if (n && !ccp_node_is_null(n) && (n->kind != CCP_NODE_SEQ || n->count))
			continue;
		g = ccp_lint_report(ctx, "CCP-C008", n ? n : root,
				    n ? "cc_issuers is empty: this site issues no attestation token" :
				    "no cc_issuers: this site issues no attestation token");
		ccp_diag_set_hint(g, "add an issuer for the site's hardware, e.g. SNPAuthorizer for amd_sev_snp");
	}
}

/* CCP-C019: class_allow_list entries are class paths or package prefixes. */
void ccp_check_cc_class_allow_list(ccp_lint_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ccp_node_get(ctx->ccs[i].root, "class_allow_list");

		if (!list || list->kind != CCP_NODE_SEQ)
			continue;
		for (j = 0; j < list->count; j++) {
			const ccp_node *e = list->items[j];
			const char *s = e->kind == CCP_NODE_SCALAR ? ccp_node_str(e) : NULL;
			ccp_diag *g;

			if (!s || !*s || e->stype != CCP_SCALAR_STR || strlen(s) != e->len)
				continue;   /* the schema reports these */
			if (ccp_cc_is_dotted(s, 2, 1))
				continue;
			g = ccp_lint_report(ctx, "CCP-C019", e,
					    "class_allow_list entry '%s' is neither a dotted class path nor a package prefix ending in '.'",
					    s);
			if (ccp_cc_is_dotted(s, 1, 0))
				ccp_diag_set_hint(g, "did you mean '%s.'? a bare name matches no class", s);
			else
				ccp_diag_set_hint(g, "write a class path such as 'mypkg.module.MyClass' or a prefix such as 'mypkg.'");
		}
	}
}
