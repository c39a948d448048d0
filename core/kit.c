/* SPDX-License-Identifier: Apache-2.0 */
#include "ccprov/kit.h"

#include <stdlib.h>
#include <string.h>

static void cc_free(ccp_kit_cc *cc)
{
	size_t i;

	if (!cc)
		return;
	free(cc->source_path);
	free(cc->abs_path);
	free(cc->compute_env);
	free(cc->cpu_mechanism);
	free(cc->gpu_mechanism);
	for (i = 0; i < cc->n_issuers; i++) {
		free(cc->issuers[i].id);
		free(cc->issuers[i].path);
		ccp_json_free(cc->issuers[i].args);
	}
	free(cc->issuers);
	for (i = 0; i < cc->n_class_allow; i++)
		free(cc->class_allow_list[i]);
	free(cc->class_allow_list);
	ccp_json_free(cc->doc);
	free(cc);
}

static void component_release(ccp_kit_component *c)
{
	free(c->path);
	ccp_json_free(c->args);
}

void ccp_kit_project_free(ccp_kit_project *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->n_participants; i++) {
		ccp_kit_participant *q = &p->participants[i];

		free(q->name);
		free(q->org);
		free(q->role);
		free(q->default_host);
		for (j = 0; j < q->n_host_names; j++)
			free(q->host_names[j]);
		free(q->host_names);
		free(q->connection_security);
		free(q->custom_ca_cert);
		free(q->auth_identity);
		free(q->listening_host);
		cc_free(q->cc);
		ccp_json_free(q->props);
	}
	free(p->participants);
	for (i = 0; i < p->n_builders; i++)
		component_release(&p->builders[i]);
	free(p->builders);
	if (p->packager) {
		component_release(p->packager);
		free(p->packager);
	}
	ccp_json_free(p->studies);
	free(p->name);
	free(p->description);
	free(p->project_file);
	free(p->project_dir);
	free(p);
}

const ccp_kit_participant *ccp_kit_server(const ccp_kit_project *p)
{
	size_t i;

	for (i = 0; i < p->n_participants; i++)
		if (p->participants[i].type == CCP_PT_SERVER)
			return &p->participants[i];
	return NULL;
}

const ccp_kit_component *ccp_kit_builder(const ccp_kit_project *p,
					 const char *class_name)
{
	size_t i, n = strlen(class_name);

	for (i = 0; i < p->n_builders; i++) {
		const char *path = p->builders[i].path;
		size_t m = strlen(path);

		if (m > n && path[m - n - 1] == '.' &&
		    strcmp(path + m - n, class_name) == 0)
			return &p->builders[i];
	}
	return NULL;
}
