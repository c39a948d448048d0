/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a provisioning run would do, worked out without writing anything:
 * which identities are new, reused or re-issued, where each kit goes and
 * which sites get a CVM image (`ccprov provision --dry-run`).
 */
#include "prov_int.h"
#include "path.h"
#include "dir.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccprov/crypto.h"

static int has_kit(const ccp_kit_participant *q)
{
	return q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT ||
	       q->type == CCP_PT_ADMIN || q->type == CCP_PT_RELAY;
}

static int builds_image(const ccp_kit_participant *q, const ccp_provision_opts *o)
{
	const ccp_nvf_env *env;

	if (!q->cc || o->no_image || !(q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT))
		return 0;
	env = ccp_nvf_env_find(q->cc->compute_env);
	return env && env->builds_image;
}

/* Names looked at in the project's workspace folder. */
#define PLAN_MAX_NAMES ((size_t)1 << 20)

/* The prod_NN the run would publish (a missing folder means prod_00). */
static int next_prod(const char *pdir)
{
	ccp_dir names;
	size_t i;
	int max = -1;

	if (ccp_dir_read(&names, pdir, PLAN_MAX_NAMES, 0) < 0) {
		ccp_dir_release(&names);
		return 0;
	}
	for (i = 0; i < names.count; i++) {
		const char *s = names.names[i];

		if (strncmp(s, "prod_", 5) == 0 && s[5] >= '0' && s[5] <= '9' &&
		    s[6] >= '0' && s[6] <= '9' && s[7] == '\0') {
			int v = (s[5] - '0') * 10 + (s[6] - '0');

			if (v > max)
				max = v;
		}
	}
	ccp_dir_release(&names);
	return max + 1;
}

/* "reused" or "re-issued" for a stored identity, as the run decides. */
static const char *stored_fate(const ccp_state_entry *e, const ccp_kit_participant *q)
{
	const char **sans = calloc(q->n_host_names + 1, sizeof(*sans));
	ccp_cert_subject subj;
	int matches;

	if (!sans)
		return NULL;
	ccp_prov_subject(&subj, sans, q->n_host_names + 1, q);
	matches = ccp_cert_matches(e->cert, &subj);
	free(sans);
	return matches && !ccp_cert_expired(e->cert) ? "reused" : "re-issued";
}

void ccp_provision_plan_release(ccp_provision_plan *plan)
{
	if (!plan)
		return;
	free(plan->items);
	free(plan->project_dir);
	memset(plan, 0, sizeof(*plan));
}

int ccp_provision_plan_make(ccp_provision_plan *out, const ccp_kit_project *p,
			    const ccp_provision_opts *o, ccp_error *err)
{
	ccp_provision_plan plan;
	ccp_state *st = NULL;
	char *state_path = NULL;
	size_t i;
	int rc;

	memset(&plan, 0, sizeof(plan));
	memset(out, 0, sizeof(*out));
	rc = ccp_provision_check(p, o->line, err);
	if (rc < 0)
		goto cleanup;
	plan.project_dir = ccp_path_child(o->workspace ? o->workspace : "workspace",
					 p->name);
	state_path = plan.project_dir ?
		     ccp_path_child(plan.project_dir, "state/cert.json") : NULL;
	plan.items = calloc(p->n_participants ? p->n_participants : 1,
			    sizeof(*plan.items));
	if (!plan.project_dir || !state_path || !plan.items) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = ccp_state_load(&st, state_path, err);
	if (rc < 0)
		goto cleanup;
	plan.prod_index = next_prod(plan.project_dir);
	plan.new_root = !st || !st->root_cert;
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];
		ccp_provision_plan_item *it = &plan.items[plan.n];
		ccp_state_entry *e;

		if (!has_kit(q))
			continue;
		plan.n++;
		it->name = q->name;
		e = st && !plan.new_root ? ccp_state_find(st, q->name) : NULL;
		it->identity = e && e->cert && e->key ? stored_fate(e, q) : "new";
		if (!it->identity) {
			rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
			goto cleanup;
		}
		it->image = p->packager && builds_image(q, o);
		it->packaged = p->packager && q->cc &&
			       (q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT);
		plan.n_images += (size_t)it->image;
	}
	*out = plan;
	memset(&plan, 0, sizeof(plan));

cleanup:
	ccp_state_free(st);
	free(state_path);
	ccp_provision_plan_release(&plan);
	return rc;
}
