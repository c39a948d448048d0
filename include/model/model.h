/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The located, resolved view of a project's participants and cc_configs,
 * read once per lint run from the positioned trees (core/model.c).
 *
 * Best effort, so that it exists for files that failed the schema too:
 * a value whose key is missing or null takes NVFlare's default; a value
 * of the wrong type or range is absent (0 or NULL) and keeps its node,
 * so a rule can still point at it. Every field carries the node it came
 * from, NULL when the value is a default. NVFlare's defaults are applied
 * here and nowhere else: one ccp_model_resolve_* function per field,
 * which the lint engine, the rules and the provisioning model all call.
 */
#ifndef CCPROV_MODEL_H
#define CCPROV_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "ccprov/kit.h"
#include "ccprov/nvflare.h"
#include "ccprov/schema.h"
#include "ccprov/yaml.h"

/** A loaded cc_config file (one per distinct file), and its resolved values. */
typedef struct ccp_cc_file {
	const char *path;        /**< as shown in diagnostics */
	char *abs;               /**< canonical path, NULL when unreadable */
	char *dir;               /**< its folder (relative paths resolve here) */
	const ccp_node *root;    /**< NULL when it could not be loaded */
	int schema_ok;           /**< loaded with no schema error */
	ccp_y_cc_config *typed;  /**< libcyaml view when schema_ok and the run
				  *   builds a kit */
	const ccp_node *first_ref; /**< the first project.yml value naming it */

	/* resolved (ccp_model_cc_read) */
	/** compute_env when one of NVFlare's (the catalogue's entry), else
	 * NULL; compute_env_at is the value as written, whatever it is */
	const ccp_nvf_env *env;
	const ccp_node *compute_env_at;
	const ccp_node *cpu_mechanism_at;  /**< cc_cpu_mechanism as written */
	const ccp_node *gpu_mechanism_at;  /**< cc_gpu_mechanism as written */
	const ccp_node *issuers_at;        /**< cc_issuers as written */
	const ccp_node *issuers;           /**< issuers_at when a sequence, else NULL */
	/** cc_attestation.check_frequency, NVFlare's default when unset
	 * (check_frequency_at NULL), 0 when not a positive integer */
	long long check_frequency;
	const ccp_node *check_frequency_at;
} ccp_cc_file;

/**
 * One participant entry (participants[i], of any kind). Lint keeps one
 * per site in one array, so this stays compact: nodes rather than copies,
 * ports in 16 bits, no heap of its own.
 */
typedef struct ccp_model_part {
	const ccp_node *node;            /**< the entry */
	const char *name;                /**< name_at's text when a scalar, else NULL */
	/* values as written (any kind), NULL when the key is missing */
	const ccp_node *name_at;
	const ccp_node *type_at;
	const ccp_node *org_at;
	/** fed_learn_port and admin_port as written; NULL when they are
	 * defaults */
	const ccp_node *fed_learn_port_at;
	const ccp_node *admin_port_at;
	const ccp_node *default_host_at; /**< as written, NULL when missing */
	/** where connection_security came from: the participant's value,
	 * else the project's, else NULL (NVFlare's default) */
	const ccp_node *conn_sec_at;
	/** cc_config when a scalar naming a file, else NULL */
	const ccp_node *cc_ref;
	ccp_cc_file *cc;                 /**< its loaded cc_config, or NULL */
	/** resolved ports (ccp_model_resolve_*_port); 0 when not 1..65535 */
	uint16_t fed_learn_port;
	uint16_t admin_port;
	uint8_t ptype;                   /**< ccp_ptype of type */
	uint8_t conn_sec;                /**< enum ccp_conn_sec; UNSET when invalid */
} ccp_model_part;

/* 11 pointers and 6 bytes: 96 bytes on LP64, per site of the project. */
_Static_assert(sizeof(ccp_model_part) <= 96, "ccp_model_part grew past 96 bytes");

/* ---- reading the trees (once per run) ---- */

/**
 * Fill out from a participant entry. project is the project's root
 * mapping (for connection_security's fallback), or NULL. out->cc is
 * left NULL: the engine links the loaded file.
 */
void ccp_model_part_read(ccp_model_part *out, const ccp_node *entry,
			 const ccp_node *project);

/** Fill the resolved fields of a cc_config file from f->root. */
void ccp_model_cc_read(ccp_cc_file *f);

/* ---- one resolver per defaulted field ---- */

/** ccp_ptype of a type string (NULL or unknown: CCP_PT_OTHER). */
ccp_ptype ccp_model_resolve_ptype(const char *type);

/**
 * fed_learn_port written at at (NULL or null: NVFlare's 8002); 0 when
 * not an integer from 1 to 65535.
 */
unsigned ccp_model_resolve_fed_learn_port(const ccp_node *at);

/**
 * admin_port written at at; NULL or null: the fed_learn_port (as
 * resolved). 0 when invalid.
 */
unsigned ccp_model_resolve_admin_port(const ccp_node *at, unsigned fed_learn_port);

/**
 * connection_security of a participant: its own value (part_at), else the
 * project's (project_at), else NVFlare's "mtls". *from receives the node
 * the value came from (NULL for the default). CCP_CONN_UNSET when the
 * value that applies is not one of clear, tls, mtls.
 */
int ccp_model_resolve_conn_sec(const ccp_node *part_at, const ccp_node *project_at,
			       const ccp_node **from);

/**
 * The host NVFlare gives a server: default_host when it is a non-empty
 * string, its name when default_host is missing or reads as false in
 * Python; NULL when default_host has another type (or there is no name).
 * *from receives the node the host came from (default_host_at or
 * name_at), NULL when there is none.
 */
const char *ccp_model_resolve_default_host(const ccp_node *default_host_at,
					   const ccp_node *name_at,
					   const ccp_node **from);

/** The same for a participant of the model. */
const char *ccp_model_default_host(const ccp_model_part *p, const ccp_node **from);

/**
 * cc_attestation.check_frequency written at at (NULL or null: NVFlare's
 * 600); 0 when not a positive integer.
 */
long long ccp_model_resolve_check_frequency(const ccp_node *at);

/** A participant's type and org as written, NULL when missing or not a
 * scalar (neither has a default). */
static inline const char *ccp_model_type(const ccp_model_part *p)
{
	return ccp_node_str(p->type_at);
}

static inline const char *ccp_model_org(const ccp_model_part *p)
{
	return ccp_node_str(p->org_at);
}

#endif
