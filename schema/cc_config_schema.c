/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cc_config schema (spec/cc-config.md): libcyaml tables plus the
 * extensions libcyaml cannot express.
 */
#include <stddef.h>
#include <string.h>

#include "ccprov/names.h"
#include "schema_internal.h"

static const cyaml_strval_t compute_env_strings[] = {
	{ "onprem_cvm", CCP_ENV_ONPREM_CVM },
	{ "azure_cvm", CCP_ENV_AZURE_CVM },
	{ "azure_confidential_container", CCP_ENV_AZURE_CONTAINER },
	{ "mock", CCP_ENV_MOCK },
};

static const cyaml_strval_t cpu_strings[] = {
	{ "amd_sev_snp", CCP_CPU_AMD_SEV_SNP },
	{ "intel_tdx", CCP_CPU_INTEL_TDX },
};

static const cyaml_strval_t gpu_strings[] = {
	{ "nvidia_cc", CCP_GPU_NVIDIA_CC },
};

static const cyaml_strval_t role_strings[] = {
	{ "server", CCP_ROLE_SERVER },
	{ "client", CCP_ROLE_CLIENT },
};

const char *ccp_compute_env_name(int v)
{
	size_t i;

	for (i = 0; i < CYAML_ARRAY_LEN(compute_env_strings); i++)
		if (compute_env_strings[i].val == v)
			return compute_env_strings[i].str;
	return NULL;
}

static const cyaml_schema_value_t port_entry = {
	CYAML_VALUE_INT(CYAML_FLAG_DEFAULT, int64_t),
};

static const cyaml_schema_value_t class_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t issuer_fields[] = {
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_DEFAULT, ccp_y_issuer, id, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("path", CYAML_FLAG_DEFAULT, ccp_y_issuer, path, 1, CYAML_UNLIMITED),
	CYAML_FIELD_INT("token_expiration", CYAML_FLAG_OPTIONAL, ccp_y_issuer, token_expiration),
	CYAML_FIELD_IGNORE("args", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t issuer_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, ccp_y_issuer, issuer_fields),
};

static const cyaml_schema_field_t attestation_fields[] = {
	CYAML_FIELD_INT("check_frequency", CYAML_FLAG_OPTIONAL, ccp_y_attestation, check_frequency),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t cc_config_fields[] = {
	CYAML_FIELD_ENUM("compute_env", CYAML_FLAG_STRICT, ccp_y_cc_config, compute_env,
			 compute_env_strings, CYAML_ARRAY_LEN(compute_env_strings)),
	CYAML_FIELD_ENUM("cc_cpu_mechanism", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			 ccp_y_cc_config, cc_cpu_mechanism, cpu_strings,
			 CYAML_ARRAY_LEN(cpu_strings)),
	CYAML_FIELD_ENUM("cc_gpu_mechanism", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			 ccp_y_cc_config, cc_gpu_mechanism, gpu_strings,
			 CYAML_ARRAY_LEN(gpu_strings)),
	CYAML_FIELD_ENUM("role", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			 ccp_y_cc_config, role, role_strings, CYAML_ARRAY_LEN(role_strings)),
	CYAML_FIELD_INT("root_drive_size", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, root_drive_size),
	CYAML_FIELD_INT("applog_drive_size", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, applog_drive_size),
	CYAML_FIELD_INT("user_config_drive_size", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, user_config_drive_size),
	CYAML_FIELD_INT("user_data_drive_size", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, user_data_drive_size),
	CYAML_FIELD_STRING_PTR("docker_archive", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, docker_archive, 1, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("user_config", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_SEQUENCE("allowed_ports", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     ccp_y_cc_config, allowed_ports, &port_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("allowed_out_ports", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     ccp_y_cc_config, allowed_out_ports, &port_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("hosts_entries", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_SEQUENCE("cc_issuers", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     ccp_y_cc_config, cc_issuers, &issuer_schema, 0, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("cc_attestation", CYAML_FLAG_OPTIONAL, ccp_y_cc_config,
				cc_attestation, attestation_fields),
	CYAML_FIELD_SEQUENCE("class_allow_list", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     ccp_y_cc_config, class_allow_list, &class_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("cvm_image_name", CYAML_FLAG_OPTIONAL, ccp_y_cc_config, cvm_image_name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t cc_config_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, ccp_y_cc_config, cc_config_fields),
};

static void check_issuer_args(ccp_walk *w, const ccp_node *n)
{
	if (n->kind != CCP_NODE_MAP)
		ccp_walk_report(w, "CCP-S003", CCP_SEV_ERROR, n,
				"'args' must be a mapping, not %s %s",
				n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_INT ?
				"an" : "a", ccp_node_type_name(n));
}

/* NVFlare writes each issuer to ID__p_resources.json in every CC kit. */
#define ISSUER_FILE_SUFFIX "__p_resources.json"

static void check_issuer_id(ccp_walk *w, const ccp_node *n)
{
	if (n->kind != CCP_NODE_SCALAR || !ccp_node_str(n) || ccp_schema_non_string(n))
		return;
	ccp_walk_check_name(w, n, "issuer id",
			    CCP_NAME_MAX_FILE - (sizeof(ISSUER_FILE_SUFFIX) - 1));
}

static const ccp_field_ext cc_config_ext[] = {
	{ .fields = cc_config_fields, .key = "root_drive_size", .has_range = 1, .min = 1, .max = 1 << 20 },
	{ .fields = cc_config_fields, .key = "applog_drive_size", .has_range = 1, .min = 1, .max = 1 << 20 },
	{ .fields = cc_config_fields, .key = "user_config_drive_size", .has_range = 1, .min = 1, .max = 1 << 20 },
	{ .fields = cc_config_fields, .key = "user_data_drive_size", .has_range = 1, .min = 1, .max = 1 << 20 },
	{ .fields = cc_config_fields, .key = "allowed_ports", .has_range = 1, .min = 1, .max = 65535 },
	{ .fields = cc_config_fields, .key = "allowed_out_ports", .has_range = 1, .min = 1, .max = 65535 },
	{ .fields = cc_config_fields, .key = "user_config", .check = ccp_check_string_map },
	{ .fields = cc_config_fields, .key = "hosts_entries", .check = ccp_check_host_map },
	{ .fields = issuer_fields, .key = "token_expiration", .has_range = 1, .min = 1, .max = 0x7fffffffffffffffLL },
	{ .fields = issuer_fields, .key = "args", .check = check_issuer_args },
	{ .fields = issuer_fields, .key = "id", .check = check_issuer_id },
	{ .fields = attestation_fields, .key = "check_frequency", .has_range = 1, .min = 1, .max = 0x7fffffffffffffffLL },
};

const ccp_schema_def ccp_cc_config_schema_def = {
	.kind = CCP_KIND_CC_CONFIG,
	.what = "cc_config file",
	.top = &cc_config_schema,
	.ext = cc_config_ext,
	.n_ext = sizeof(cc_config_ext) / sizeof(cc_config_ext[0]),
};
