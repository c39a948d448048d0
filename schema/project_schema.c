/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The project.yml schema: libcyaml tables (the single description of the
 * file's shape) plus the extensions libcyaml cannot express.
 */
#include <stddef.h>
#include <string.h>

#include "ccprov/names.h"
#include "schema_internal.h"

/* Lengths X.509 can hold in a subject attribute (ub-common-name etc.). */
#define CCP_MAX_CN CCP_NAME_MAX_CERT
/* NVFlare truncates the project name (the root CA's CN) to this. */
#define CCP_MAX_PROJECT_NAME 63

static const cyaml_strval_t conn_sec_strings[] = {
	{ "clear", CCP_CONN_CLEAR },
	{ "tls", CCP_CONN_TLS },
	{ "mtls", CCP_CONN_MTLS },
};

const char *ccp_conn_sec_name(int v)
{
	size_t i;

	for (i = 0; i < sizeof(conn_sec_strings) / sizeof(conn_sec_strings[0]); i++)
		if (conn_sec_strings[i].val == v)
			return conn_sec_strings[i].str;
	return NULL;
}

/* Soft enums: NVFlare only warns about other values. 'overseer' is
 * known: whether a release line refuses it is CCP-P022's, not a typo. */
static const char *const participant_types[] = {
	"server", "client", "admin", "relay", "overseer", NULL
};
static const char *const admin_roles[] = {
	"project_admin", "org_admin", "lead", "member", NULL
};

/* connect_to as a mapping */
typedef struct { char *name; } ccp_y_connect_to;

static const cyaml_schema_field_t connect_to_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_OPTIONAL, ccp_y_connect_to, name, 0, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("host", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("port", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("connection_security", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("auth_identity", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t connect_to_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, ccp_y_connect_to, connect_to_fields),
};

static const cyaml_schema_field_t listening_host_fields[] = {
	CYAML_FIELD_IGNORE("scheme", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("host_names", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("default_host", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("port", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("connection_security", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t listening_host_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, ccp_y_connect_to, listening_host_fields),
};

static const cyaml_schema_field_t participant_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_DEFAULT, ccp_y_participant, name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("type", CYAML_FLAG_DEFAULT, ccp_y_participant, type, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("org", CYAML_FLAG_DEFAULT, ccp_y_participant, org, 1, CYAML_UNLIMITED),
	CYAML_FIELD_INT("fed_learn_port", CYAML_FLAG_OPTIONAL, ccp_y_participant, fed_learn_port),
	CYAML_FIELD_INT("admin_port", CYAML_FLAG_OPTIONAL, ccp_y_participant, admin_port),
	CYAML_FIELD_IGNORE("host_names", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_STRING_PTR("default_host", CYAML_FLAG_OPTIONAL, ccp_y_participant, default_host, 1, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("connection_security", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			 ccp_y_participant, connection_security, conn_sec_strings,
			 CYAML_ARRAY_LEN(conn_sec_strings)),
	CYAML_FIELD_IGNORE("connect_to", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("listening_host", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_STRING_PTR("role", CYAML_FLAG_OPTIONAL, ccp_y_participant, role, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("cc_config", CYAML_FLAG_OPTIONAL, ccp_y_participant, cc_config, 1, CYAML_UNLIMITED),
	CYAML_FIELD_BOOL("use_aio", CYAML_FLAG_OPTIONAL, ccp_y_participant, use_aio),
	CYAML_FIELD_INT("num_of_gpus", CYAML_FLAG_OPTIONAL, ccp_y_participant, num_of_gpus),
	CYAML_FIELD_INT("mem_per_gpu_in_GiB", CYAML_FLAG_OPTIONAL, ccp_y_participant, mem_per_gpu_in_GiB),
	CYAML_FIELD_STRING_PTR("custom_ca_cert", CYAML_FLAG_OPTIONAL, ccp_y_participant, custom_ca_cert, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("auth_identity", CYAML_FLAG_OPTIONAL, ccp_y_participant, auth_identity, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("parent", CYAML_FLAG_OPTIONAL, ccp_y_participant, parent, 1, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("capacity", CYAML_FLAG_OPTIONAL),
	/* flags whose values rules/release.c checks per release line; the
	 * project's value is the participants' fallback */
	CYAML_FIELD_IGNORE("allow_log_streaming", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("allow_error_sending", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t participant_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, ccp_y_participant, participant_fields),
};

static const cyaml_schema_field_t component_fields[] = {
	CYAML_FIELD_STRING_PTR("path", CYAML_FLAG_DEFAULT, ccp_y_component, path, 1, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("args", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t component_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, ccp_y_component, component_fields),
};

static const cyaml_schema_field_t project_fields[] = {
	CYAML_FIELD_INT("api_version", CYAML_FLAG_DEFAULT, ccp_y_project, api_version),
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_DEFAULT, ccp_y_project, name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_OPTIONAL, ccp_y_project, description, 0, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("connection_security", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			 ccp_y_project, connection_security, conn_sec_strings,
			 CYAML_ARRAY_LEN(conn_sec_strings)),
	/* NVFlare's fallback for participants without their own */
	CYAML_FIELD_STRING_PTR("custom_ca_cert", CYAML_FLAG_OPTIONAL, ccp_y_project, custom_ca_cert, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("participants", CYAML_FLAG_POINTER, ccp_y_project,
			     participants, &participant_schema, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("builders", CYAML_FLAG_POINTER, ccp_y_project,
			     builders, &component_schema, 0, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("packager", CYAML_FLAG_OPTIONAL, ccp_y_project,
				packager, component_fields),
	CYAML_FIELD_IGNORE("allow_log_streaming", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("allow_error_sending", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("studies", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("edge", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t project_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, ccp_y_project, project_fields),
};

/* ---- checks libcyaml cannot express ---- */

static int check_unsafe(ccp_walk *w, const ccp_node *n, const char *what)
{
	return ccp_walk_check_name(w, n, what, CCP_NAME_ANY_LENGTH);
}

static void check_length(ccp_walk *w, const ccp_node *n, const char *what,
			 size_t max, int truncated)
{
	ccp_diag *g;

	if (n->len <= max)
		return;
	if (truncated) {
		g = ccp_walk_report(w, "CCP-S009", CCP_SEV_WARNING, n,
				    "%s '%s' is %zu characters; NVFlare truncates it to %zu",
				    what, n->value, n->len, max);
	} else {
		g = ccp_walk_report(w, "CCP-S008", CCP_SEV_ERROR, n,
				    "%s '%s' is %zu characters; a certificate holds at most %zu",
				    what, n->value, n->len, max);
	}
	(void)g;
}

static void check_project_name(ccp_walk *w, const ccp_node *n)
{
	if (!ccp_node_str(n) || check_unsafe(w, n, "project name"))
		return;
	/* the root CA's subject: provision cannot truncate what X.509 refuses */
	if (n->len > CCP_MAX_CN)
		check_length(w, n, "project name", CCP_MAX_CN, 0);
	else
		check_length(w, n, "project name", CCP_MAX_PROJECT_NAME, 1);
}

static void check_host(ccp_walk *w, const ccp_node *n, const char *what)
{
	const char *s = ccp_node_str(n);
	ccp_diag *g;

	/* numbers and booleans: CCP-S003 */
	if (!s || n->kind != CCP_NODE_SCALAR || ccp_schema_non_string(n))
		return;
	/* NVFlare's host-name pattern also takes IPv4 addresses, not IPv6 */
	if (ccp_name_is_hostname(s))
		return;
	if (ccp_name_is_ip(s)) {
		g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, n,
				    "%s '%s' is an IPv6 address, which NVFlare's host check refuses",
				    what, s);
		ccp_diag_set_hint(g, "use a host name that resolves to it, or an IPv4 address");
		return;
	}
	g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, n,
			    "%s '%s' is not a valid host name or IP address", what, s);
	ccp_diag_set_hint(g, "host names use letters, digits, '-' and '.' (no '_'), "
			  "labels of at most 63 characters");
}

static void check_default_host(ccp_walk *w, const ccp_node *n)
{
	check_host(w, n, "default_host");
}

static void check_host_names(ccp_walk *w, const ccp_node *n)
{
	size_t i;

	if (n->kind == CCP_NODE_SEQ)
		for (i = 0; i < n->count; i++)
			check_host(w, n->items[i], "host name");
	else
		check_host(w, n, "host name");
}

static void check_args_mapping(ccp_walk *w, const ccp_node *n)
{
	if (n->kind != CCP_NODE_MAP)
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
				"'args' must be a mapping, not %s %s",
				n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_INT ?
				"an" : "a", ccp_node_type_name(n));
}

/*
 * A name the walker has not already refused: an empty value is CCP-S012
 * and a number or boolean CCP-S003, and one finding is enough.
 */
static const char *name_to_check(const ccp_node *n)
{
	const char *s = ccp_node_str(n);

	if (!s || n->kind != CCP_NODE_SCALAR || !n->len || ccp_schema_non_string(n))
		return NULL;
	return s;
}

static int is_known_type(const char *type)
{
	const char *const *t;

	for (t = participant_types; *t; t++)
		if (strcmp(*t, type) == 0)
			return 1;
	return 0;
}

/*
 * NVFlare refuses a participant type it does not define and an admin
 * role unless they are simple names (letters, digits, '_'): an error,
 * where an unknown but simple value is only the warning CCP-S011.
 */
static void check_simple_names(ccp_walk *w, const ccp_node *p, const char *type)
{
	const ccp_node *t = ccp_node_get(p, "type");
	const ccp_node *role = ccp_node_get(p, "role");
	const char *s;
	ccp_diag *g = NULL;

	if ((s = name_to_check(t)) && !is_known_type(s) && !ccp_name_is_org(s))
		g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, t,
				    "participant type '%s' is not a simple name; NVFlare refuses it", s);
	if (g)
		ccp_diag_set_hint(g, "a type other than server, client, admin or relay must use "
				  "only letters, digits and '_'");
	if (!type || strcmp(type, "admin") != 0 || !(s = name_to_check(role)) ||
	    ccp_name_is_org(s))
		return;
	g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, role,
			    "admin role '%s' is not a simple name; NVFlare refuses it", s);
	ccp_diag_set_hint(g, "roles use only letters, digits and '_': project_admin, org_admin, "
			  "lead or member");
}

static void check_participant(ccp_walk *w, const ccp_node *p)
{
	const ccp_node *name = ccp_node_get(p, "name");
	const ccp_node *org = ccp_node_get(p, "org");
	const char *type = ccp_node_get_str(p, "type");
	const char *s = name_to_check(name);
	ccp_diag *g;

	if (s && !check_unsafe(w, name, "participant name")) {
		if (type && strcmp(type, "server") == 0) {
			if (!ccp_name_is_hostname(s)) {
				g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, name,
						    "server name '%s' is not a valid host name", s);
				ccp_diag_set_hint(g, "the server's name is the host clients connect to: "
						  "letters, digits, '-' and '.'");
			}
			check_length(w, name, "server name", CCP_MAX_CN, 1);
		} else if (type && (strcmp(type, "client") == 0 ||
				    strcmp(type, "relay") == 0)) {
			if (!ccp_name_is_client(s)) {
				g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, name,
						    "%s name '%s' may only use letters, digits, '_' and '-'",
						    type, s);
				(void)g;
			}
			check_length(w, name, "participant name", CCP_MAX_CN, 0);
		} else if (type && strcmp(type, "admin") == 0) {
			if (!ccp_name_is_email(s))
				ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, name,
						"admin name '%s' is not an e-mail address", s);
			check_length(w, name, "admin name", CCP_MAX_CN, 0);
		}
	}
	check_simple_names(w, p, type);
	s = name_to_check(org);
	if (s && !check_unsafe(w, org, "org")) {
		if (!ccp_name_is_org(s))
			ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, org,
					"org '%s' may only use letters, digits and '_'", s);
		check_length(w, org, "org", CCP_MAX_CN, 0);
	}
}

static void check_port_value(ccp_walk *w, const ccp_node *n)
{
	long long port;

	if (n->kind != CCP_NODE_SCALAR || n->stype != CCP_SCALAR_INT ||
	    ccp_node_int(n, &port) < 0) {
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
				"'port' must be an integer, not %s", ccp_node_type_name(n));
		return;
	}
	if (port < 0 || port > 65535)
		ccp_walk_report(w, "CCP-S006", CCP_SEV_ERROR, n,
				"'port' is %lld; it must be between 0 and 65535", port);
}

static void check_conn_sec_value(ccp_walk *w, const ccp_node *n)
{
	static const char *const allowed[] = { "clear", "tls", "mtls" };
	const char *s = ccp_node_str(n);

	if (!s || (strcmp(s, "clear") && strcmp(s, "tls") && strcmp(s, "mtls"))) {
		ccp_diag *g = ccp_walk_report(w, "CCP-S005", CCP_SEV_ERROR, n,
					      "'connection_security' has unknown value '%s'",
					      s ? s : ccp_node_type_name(n));
		const char *sug = s ? ccp_suggest(s, allowed, 3) : NULL;

		if (sug)
			ccp_diag_set_hint(g, "did you mean '%s'? allowed: clear, tls, mtls", sug);
		else
			ccp_diag_set_hint(g, "allowed: clear, tls, mtls");
	}
}

static void check_endpoint_map(ccp_walk *w, const ccp_node *n)
{
	const ccp_node *v;

	if (n->kind != CCP_NODE_MAP)
		return;
	if ((v = ccp_node_get(n, "port")) && !ccp_node_is_null(v))
		check_port_value(w, v);
	if ((v = ccp_node_get(n, "connection_security")) && !ccp_node_is_null(v))
		check_conn_sec_value(w, v);
	if ((v = ccp_node_get(n, "host")) && !ccp_node_is_null(v))
		check_host(w, v, "host");
	if ((v = ccp_node_get(n, "default_host")) && !ccp_node_is_null(v))
		check_host(w, v, "default_host");
	if ((v = ccp_node_get(n, "host_names")) && !ccp_node_is_null(v))
		check_host_names(w, v);
}

static void check_connect_to(ccp_walk *w, const ccp_node *n)
{
	if (n->kind == CCP_NODE_SCALAR)
		check_host(w, n, "connect_to");
	else
		check_endpoint_map(w, n);
}

static void check_listening_host(ccp_walk *w, const ccp_node *n)
{
	if (n->kind == CCP_NODE_SCALAR)
		check_host(w, n, "listening_host");
	else
		check_endpoint_map(w, n);
}

static int is_study_name(const char *s)
{
	size_t len = strlen(s), i;

	if (!len || len > 63)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && !((c == '_' || c == '-') && i > 0 && i + 1 < len))
			return 0;
	}
	return 1;
}

static void check_name_list(ccp_walk *w, const ccp_node *n, const char *what)
{
	size_t i;

	if (n->kind != CCP_NODE_SEQ) {
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
				"%s must be a list of names, not a %s", what,
				ccp_node_type_name(n));
		return;
	}
	for (i = 0; i < n->count; i++)
		if (!ccp_node_str(n->items[i]) || n->items[i]->kind != CCP_NODE_SCALAR)
			ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n->items[i],
					"%s entries must be names, not a %s", what,
					ccp_node_type_name(n->items[i]));
}

/* A study's name: a string NVFlare accepts. */
static void check_study_name(ccp_walk *w, const ccp_node *k)
{
	ccp_diag *g;

	if (ccp_schema_non_string(k) ||
	    (k->kind == CCP_NODE_SCALAR && k->stype == CCP_SCALAR_NULL)) {
		/* NVFlare's name check crashes on a key that is not a str */
		g = ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, k,
				    "study name %s is %s %s, not a string",
				    k->value, k->stype == CCP_SCALAR_INT ? "an" : "a",
				    ccp_node_type_name(k));
		ccp_diag_set_hint(g, "quote it: \"%s\"", k->value);
	} else if (!is_study_name(k->value)) {
		g = ccp_walk_report(w, "CCP-S007", CCP_SEV_ERROR, k,
				    "study name '%s' is not valid", k->value);
		ccp_diag_set_hint(g, "lower-case letters, digits, '_' and '-', starting and "
				  "ending with a letter or digit, at most 63 characters");
	}
}

/* A study's site_orgs: org -> list of client names. */
static void check_site_orgs(ccp_walk *w, const ccp_node *sv)
{
	size_t o;

	if (sv->kind != CCP_NODE_MAP) {
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, sv,
				"'site_orgs' must map orgs to lists of clients, not a %s",
				ccp_node_type_name(sv));
		return;
	}
	for (o = 0; o < sv->count; o++)
		if (!ccp_node_is_null(sv->pairs[o].value))
			check_name_list(w, sv->pairs[o].value, "site_orgs lists");
}

/* One key of a study mapping: admins, site_orgs, or unknown. */
static void check_study_key(ccp_walk *w, const ccp_node *sk, const ccp_node *sv)
{
	static const char *const cands[] = { "site_orgs", "admins" };
	const char *sug;
	ccp_diag *g;

	if (strcmp(sk->value, "admins") == 0) {
		if (!ccp_node_is_null(sv))
			check_name_list(w, sv, "'admins'");
		return;
	}
	if (strcmp(sk->value, "site_orgs") == 0) {
		if (!ccp_node_is_null(sv))
			check_site_orgs(w, sv);
		return;
	}
	sug = ccp_suggest(sk->value, cands, 2);
	g = ccp_walk_report(w, "CCP-S001", CCP_SEV_ERROR, sk,
			    "unknown key '%s'", sk->value);
	if (sug)
		ccp_diag_set_hint(g, "did you mean '%s'?", sug);
}

static void check_studies(ccp_walk *w, const ccp_node *n)
{
	size_t i, j;

	if (n->kind != CCP_NODE_MAP) {
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
				"'studies' must be a mapping of study names, not a %s",
				ccp_node_type_name(n));
		return;
	}
	for (i = 0; i < n->count; i++) {
		const ccp_node *k = n->pairs[i].key;
		const ccp_node *st = n->pairs[i].value;

		check_study_name(w, k);
		if (ccp_node_is_null(st))
			continue;
		if (st->kind != CCP_NODE_MAP) {
			ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, st,
					"study '%s' must be a mapping, not a %s",
					k->value, ccp_node_type_name(st));
			continue;
		}
		for (j = 0; j < st->count; j++)
			check_study_key(w, st->pairs[j].key, st->pairs[j].value);
	}
}


/* NVFlare reads capacity's keys with .get(): a true value that is not a
 * mapping crashes it mid-build; a false one is ignored. */
static void check_capacity(ccp_walk *w, const ccp_node *n)
{
	if (n->kind == CCP_NODE_MAP || !ccp_node_truthy(n))
		return;
	ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
			"'capacity' must be a mapping (num_of_gpus, mem_per_gpu_in_GiB), not %s %s",
			n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_INT ? "an" : "a",
			ccp_node_type_name(n));
}

static void check_any(ccp_walk *w, const ccp_node *n)
{
	(void)w;
	(void)n;
}

static const ccp_field_ext project_ext[] = {
	{ .fields = project_fields, .key = "api_version", .has_range = 1, .min = 3, .max = 4 },
	{ .fields = project_fields, .key = "name", .check = check_project_name },
	{ .fields = project_fields, .key = "description", .any_scalar = 1 },
	{ .fields = project_fields, .key = "studies", .check = check_studies },
	{ .fields = project_fields, .key = "edge", .check = check_any },
	{ .fields = participant_fields, .unknown = CCP_UNKNOWN_NOTE, .check = check_participant },
	{ .fields = participant_fields, .key = "type", .soft_values = participant_types, .simple_name = 1 },
	{ .fields = participant_fields, .key = "role", .soft_values = admin_roles, .simple_name = 1 },
	{ .fields = participant_fields, .key = "fed_learn_port", .has_range = 1, .min = 1, .max = 65535 },
	{ .fields = participant_fields, .key = "admin_port", .has_range = 1, .min = 1, .max = 65535 },
	{ .fields = participant_fields, .key = "num_of_gpus", .has_range = 1, .min = 0, .max = 1024 },
	{ .fields = participant_fields, .key = "mem_per_gpu_in_GiB", .has_range = 1, .min = 0, .max = 1 << 20 },
	{ .fields = participant_fields, .key = "default_host", .check = check_default_host },
	{ .fields = participant_fields, .key = "host_names", .alt_list = 1, .check = check_host_names },
	{ .fields = participant_fields, .key = "connect_to", .alt_map = &connect_to_schema, .check = check_connect_to },
	{ .fields = participant_fields, .key = "listening_host", .alt_map = &listening_host_schema, .check = check_listening_host },
	{ .fields = participant_fields, .key = "capacity", .check = check_capacity },
	{ .fields = component_fields, .key = "args", .check = check_args_mapping },
};

const ccp_schema_def ccp_project_schema_def = {
	.kind = CCP_KIND_PROJECT,
	.what = "project file",
	.top = &project_schema,
	.ext = project_ext,
	.n_ext = sizeof(project_ext) / sizeof(project_ext[0]),
};
