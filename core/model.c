/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The located, resolved view of participants and cc_configs (model.h):
 * every value NVFlare defaults is resolved by one function below, which
 * lint, the rules and the provisioning model share.
 */
#include "model.h"

#include <string.h>

ccp_ptype ccp_model_resolve_ptype(const char *type)
{
	if (!type)
		return CCP_PT_OTHER;
	if (strcmp(type, "server") == 0)
		return CCP_PT_SERVER;
	if (strcmp(type, "client") == 0)
		return CCP_PT_CLIENT;
	if (strcmp(type, "admin") == 0)
		return CCP_PT_ADMIN;
	if (strcmp(type, "relay") == 0)
		return CCP_PT_RELAY;
	return CCP_PT_OTHER;
}

/* A key's value, NULL when missing or null: both mean "use the default". */
static const ccp_node *value_of(const ccp_node *map, const char *key)
{
	const ccp_node *v = ccp_node_get(map, key);

	return v && !ccp_node_is_null(v) ? v : NULL;
}

static unsigned port_value(const ccp_node *at)
{
	long long x;

	if (ccp_node_int(at, &x) < 0 || x < 1 || x > 65535)
		return 0;
	return (unsigned)x;
}

unsigned ccp_model_resolve_fed_learn_port(const ccp_node *at)
{
	if (!at || ccp_node_is_null(at))
		return CCP_NVF_FED_LEARN_PORT;
	return port_value(at);
}

unsigned ccp_model_resolve_admin_port(const ccp_node *at, unsigned fed_learn_port)
{
	if (!at || ccp_node_is_null(at))
		return fed_learn_port;
	return port_value(at);
}

static int conn_sec_value(const ccp_node *at)
{
	static const int values[] = { CCP_CONN_CLEAR, CCP_CONN_TLS, CCP_CONN_MTLS };
	const char *s = at && at->stype == CCP_SCALAR_STR ? ccp_node_str(at) : NULL;
	size_t i;

	for (i = 0; s && i < sizeof(values) / sizeof(values[0]); i++)
		if (strcmp(s, ccp_conn_sec_name(values[i])) == 0)
			return values[i];
	return CCP_CONN_UNSET;
}

int ccp_model_resolve_conn_sec(const ccp_node *part_at, const ccp_node *project_at,
			       const ccp_node **from)
{
	const ccp_node *at = NULL;

	/* NVFlare's get_prop_fb: a participant value that reads as false
	 * gives way to the project's */
	if (part_at && ccp_node_truthy(part_at))
		at = part_at;
	else if (project_at && !ccp_node_is_null(project_at))
		at = project_at;
	*from = at;
	if (!at)
		return CCP_CONN_MTLS;   /* CCP_NVF_CONN_SECURITY */
	return conn_sec_value(at);
}

const char *ccp_model_resolve_default_host(const ccp_node *default_host_at,
					   const ccp_node *name_at,
					   const ccp_node **from)
{
	const ccp_node *at = NULL;

	/* NVFlare: `if default_host: return it`, else the name */
	if (default_host_at && ccp_node_truthy(default_host_at))
		at = default_host_at;
	else if (ccp_node_str(name_at))
		at = name_at;
	*from = at;
	if (!at || at->kind != CCP_NODE_SCALAR ||
	    (at == default_host_at && at->stype != CCP_SCALAR_STR))
		return NULL;
	return at->value;
}

const char *ccp_model_default_host(const ccp_model_part *p, const ccp_node **from)
{
	return ccp_model_resolve_default_host(p->default_host_at, p->name_at, from);
}

long long ccp_model_resolve_check_frequency(const ccp_node *at)
{
	long long x;

	if (!at || ccp_node_is_null(at))
		return CCP_NVF_CHECK_FREQUENCY;
	if (ccp_node_int(at, &x) < 0 || x <= 0)
		return 0;
	return x;
}

void ccp_model_part_read(ccp_model_part *out, const ccp_node *entry,
			 const ccp_node *project)
{
	const ccp_node *cc;
	unsigned port;

	memset(out, 0, sizeof(*out));
	out->node = entry;
	if (!entry || entry->kind != CCP_NODE_MAP) {
		out->ptype = CCP_PT_OTHER;
		return;
	}
	out->name_at = ccp_node_get(entry, "name");
	out->name = ccp_node_str(out->name_at);
	out->type_at = ccp_node_get(entry, "type");
	out->org_at = ccp_node_get(entry, "org");
	out->ptype = (uint8_t)ccp_model_resolve_ptype(ccp_node_str(out->type_at));
	out->fed_learn_port_at = value_of(entry, "fed_learn_port");
	out->admin_port_at = value_of(entry, "admin_port");
	port = ccp_model_resolve_fed_learn_port(out->fed_learn_port_at);
	out->fed_learn_port = (uint16_t)port;
	out->admin_port = (uint16_t)ccp_model_resolve_admin_port(out->admin_port_at, port);
	out->default_host_at = ccp_node_get(entry, "default_host");
	out->conn_sec = (uint8_t)ccp_model_resolve_conn_sec(
		ccp_node_get(entry, "connection_security"),
		ccp_node_get(project, "connection_security"), &out->conn_sec_at);
	cc = ccp_node_get(entry, "cc_config");
	if (cc && cc->kind == CCP_NODE_SCALAR && ccp_node_str(cc))
		out->cc_ref = cc;
}

void ccp_model_cc_read(ccp_cc_file *f)
{
	const ccp_node *root = f->root, *v;

	f->env = NULL;
	f->compute_env_at = ccp_node_get(root, "compute_env");
	f->env = ccp_nvf_env_find(ccp_node_str(f->compute_env_at));
	f->cpu_mechanism_at = ccp_node_get(root, "cc_cpu_mechanism");
	f->gpu_mechanism_at = ccp_node_get(root, "cc_gpu_mechanism");
	f->issuers_at = v = ccp_node_get(root, "cc_issuers");
	f->issuers = v && v->kind == CCP_NODE_SEQ ? v : NULL;
	f->check_frequency_at = value_of(ccp_node_get(root, "cc_attestation"),
					 "check_frequency");
	f->check_frequency = ccp_model_resolve_check_frequency(f->check_frequency_at);
}
