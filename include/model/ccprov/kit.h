/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file kit.h
 * The resolved project that provisioning consumes.
 *
 * The loader and the rules work on positioned YAML trees; once a project
 * lints clean it is resolved into this plain description, with NVFlare's
 * defaults applied and every path made absolute. Provisioning reads
 * nothing else, so it can be tested without YAML.
 */
#ifndef CCPROV_KIT_H
#define CCPROV_KIT_H

#include <stddef.h>

#include "ccprov/json.h"

typedef enum ccp_ptype {
	CCP_PT_SERVER,
	CCP_PT_CLIENT,
	CCP_PT_ADMIN,
	CCP_PT_RELAY,
	CCP_PT_OTHER
} ccp_ptype;

/** One attestation issuer of a cc_config (`cc_issuers` entry). */
typedef struct ccp_kit_issuer {
	char *id;
	char *path;
	long long token_expiration;
	ccp_json *args;              /**< object; {} when absent */
} ccp_kit_issuer;

/** A participant's confidential-computing settings (its cc_config). */
typedef struct ccp_kit_cc {
	char *source_path;           /**< cc_config as written in project.yml */
	char *abs_path;              /**< canonical path of the cc_config */
	char *compute_env;           /**< onprem_cvm, azure_cvm, ... */
	char *cpu_mechanism;         /**< or NULL */
	char *gpu_mechanism;         /**< or NULL */
	long long check_frequency;   /**< cc_attestation.check_frequency, default 600 */
	ccp_kit_issuer *issuers;
	size_t n_issuers;
	char **class_allow_list;
	size_t n_class_allow;
	ccp_json *doc;               /**< the whole cc_config (for the packager) */
} ccp_kit_cc;

typedef struct ccp_kit_participant {
	char *name;                  /**< folder name and CN (server: truncated to 64) */
	char *org;
	ccp_ptype type;
	char *role;                  /**< admin role, else NULL */
	int fed_learn_port;          /**< server: default 8002 */
	int admin_port;              /**< server: default fed_learn_port */
	char *default_host;          /**< server: default_host, else its name */
	char **host_names;           /**< server: extra SAN host names / IPs */
	size_t n_host_names;
	char *connection_security;   /**< participant, else project, else "mtls" */
	/** custom_ca_cert of the participant, else of the project, as an
	 * absolute path (relative ones are taken from project_dir); NULL
	 * when neither sets one. */
	char *custom_ca_cert;
	/** auth_identity: the certificate CN its peers are to expect, when
	 * it differs from its name; NULL when unset. */
	char *auth_identity;
	int use_aio;
	char *listening_host;        /**< client: host of its own listener, or NULL */
	long long num_of_gpus;       /**< client resource manager, default 0 */
	long long mem_per_gpu_in_GiB;
	ccp_kit_cc *cc;              /**< NULL when not a CC participant */
	ccp_json *props;             /**< the participant mapping as written */
} ccp_kit_participant;

/** A builder or packager entry: dotted class path and its args. */
typedef struct ccp_kit_component {
	char *path;
	ccp_json *args;              /**< object; {} when absent */
} ccp_kit_component;

typedef struct ccp_kit_project {
	char *name;
	int api_version;
	char *description;
	char *project_file;          /**< canonical path of project.yml */
	char *project_dir;           /**< its folder (relative paths resolve here) */
	ccp_kit_participant *participants;
	size_t n_participants;
	ccp_kit_component *builders; /**< in the project's order */
	size_t n_builders;
	ccp_kit_component *packager; /**< NULL when none */
	ccp_json *studies;           /**< api_version 4 `studies`, else NULL */
} ccp_kit_project;

void ccp_kit_project_free(ccp_kit_project *p);

/** The server participant, or NULL. */
const ccp_kit_participant *ccp_kit_server(const ccp_kit_project *p);
/** The builder whose path ends with ".Class" (e.g. "CCBuilder"), or NULL. */
const ccp_kit_component *ccp_kit_builder(const ccp_kit_project *p,
					 const char *class_name);

#endif
