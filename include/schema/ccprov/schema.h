/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file schema.h
 * Typed views of the two input kinds, loaded by libcyaml from a tree the
 * schema walker found clean. Fields whose YAML type libcyaml cannot
 * express (a string or a list, mappings with free keys, free `args`) are
 * read from the positioned tree instead.
 */
#ifndef CCPROV_SCHEMA_H
#define CCPROV_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "ccprov/buf.h"
#include "ccprov/diag.h"
#include "ccprov/suggest.h"
#include "ccprov/yaml.h"

/* ---- project.yml ---- */

typedef struct ccp_y_component {
	char *path;
} ccp_y_component;

typedef struct ccp_y_participant {
	char *name;
	char *type;                 /* soft enum: unknown types only warn */
	char *org;
	int64_t fed_learn_port;     /* 0 = unset */
	int64_t admin_port;
	char *default_host;
	int connection_security;    /* ccp_conn_sec; CCP_CONN_UNSET when absent */
	char *role;
	char *cc_config;
	bool use_aio;
	int64_t num_of_gpus;
	int64_t mem_per_gpu_in_GiB;
	char *custom_ca_cert;
	char *auth_identity;
	char *parent;
} ccp_y_participant;

typedef struct ccp_y_project {
	int64_t api_version;
	char *name;
	char *description;
	int connection_security;
	char *custom_ca_cert;
	ccp_y_participant *participants;
	uint32_t participants_count;
	ccp_y_component *builders;
	uint32_t builders_count;
	ccp_y_component *packager;
} ccp_y_project;

enum ccp_conn_sec {
	CCP_CONN_UNSET = 0,
	CCP_CONN_CLEAR,
	CCP_CONN_TLS,
	CCP_CONN_MTLS
};
const char *ccp_conn_sec_name(int v);

/* ---- cc_config ---- */

enum ccp_compute_env {
	CCP_ENV_ONPREM_CVM = 1,
	CCP_ENV_AZURE_CVM,
	CCP_ENV_AZURE_CONTAINER,
	CCP_ENV_MOCK
};
enum ccp_cpu_mech { CCP_CPU_UNSET = 0, CCP_CPU_AMD_SEV_SNP, CCP_CPU_INTEL_TDX };
enum ccp_gpu_mech { CCP_GPU_UNSET = 0, CCP_GPU_NVIDIA_CC };
enum ccp_cc_role { CCP_ROLE_UNSET = 0, CCP_ROLE_SERVER, CCP_ROLE_CLIENT };

typedef struct ccp_y_issuer {
	char *id;
	char *path;
	int64_t token_expiration;   /* 0 = absent */
} ccp_y_issuer;

typedef struct ccp_y_attestation {
	int64_t check_frequency;
} ccp_y_attestation;

typedef struct ccp_y_cc_config {
	int compute_env;
	int cc_cpu_mechanism;
	int cc_gpu_mechanism;
	int role;
	int64_t root_drive_size;
	int64_t applog_drive_size;
	int64_t user_config_drive_size;
	int64_t user_data_drive_size;
	char *docker_archive;
	int64_t *allowed_ports;
	uint32_t allowed_ports_count;
	int64_t *allowed_out_ports;
	uint32_t allowed_out_ports_count;
	ccp_y_issuer *cc_issuers;
	uint32_t cc_issuers_count;
	ccp_y_attestation *cc_attestation;
	char **class_allow_list;
	uint32_t class_allow_list_count;
	char *cvm_image_name;
} ccp_y_cc_config;

const char *ccp_compute_env_name(int v);

/** The input kinds. */
typedef enum ccp_kind { CCP_KIND_PROJECT, CCP_KIND_CC_CONFIG } ccp_kind;

/**
 * Check a document tree against its kind's schema, reporting every
 * violation. Returns the number of error-level findings added.
 */
size_t ccp_schema_check(ccp_kind kind, const ccp_node *root, ccp_diags *d);

/**
 * Load the typed view of a clean tree with libcyaml. Returns 0 and
 * *out (free with ccp_schema_free()) or -1.
 */
int ccp_schema_load(ccp_kind kind, const ccp_node *root, void **out);
void ccp_schema_free(ccp_kind kind, void *data);

/**
 * NULL when the typed loader (libcyaml, loaded at first use) is ready;
 * else the name of the library that could not be loaded, so that a
 * command that builds a kit can say so before it starts.
 */
const char *ccp_schema_typed_loader(void);

/**
 * Write the JSON Schema (draft 2020-12) of an input kind, generated from
 * the tables ccp_schema_check() uses, for editors. 0, or -1 when out
 * failed.
 */
int ccp_schema_json(ccp_buf *out, ccp_kind kind);

#endif
