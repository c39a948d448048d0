/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Check functions of the policy rules, one per rule, each in the rules/
 * file of its category. Every one is a row in registry.c.
 */
#ifndef CCPROV_RULES_CHECKS_H
#define CCPROV_RULES_CHECKS_H

#include "lintctx.h"

/* builders and packager (CCP-B) */
void ccp_check_workspace_first(ccp_lint_ctx *ctx);
void ccp_check_required_builders(ccp_lint_ctx *ctx);
void ccp_check_cc_builder_order(ccp_lint_ctx *ctx);
void ccp_check_signature_last(ccp_lint_ctx *ctx);
void ccp_check_duplicate_builders(ccp_lint_ctx *ctx);
void ccp_check_cc_needs_builders(ccp_lint_ctx *ctx);
void ccp_check_cc_unused(ccp_lint_ctx *ctx);
void ccp_check_near_miss_paths(ccp_lint_ctx *ctx);
void ccp_check_custom_paths(ccp_lint_ctx *ctx);
void ccp_check_builder_arg_values(ccp_lint_ctx *ctx);
void ccp_check_builder_scheme(ccp_lint_ctx *ctx);
void ccp_check_obsolete(ccp_lint_ctx *ctx);
void ccp_check_unknown_args(ccp_lint_ctx *ctx);
void ccp_check_ignored_args(ccp_lint_ctx *ctx);
void ccp_check_build_image_cmd(ccp_lint_ctx *ctx);
void ccp_check_user_config_nvflare(ccp_lint_ctx *ctx);
void ccp_check_unprovisioned_builders(ccp_lint_ctx *ctx);
void ccp_check_wrong_slot(ccp_lint_ctx *ctx);

/* participants and project (CCP-P) */
void ccp_check_server_count(ccp_lint_ctx *ctx);
void ccp_check_edge_participants(ccp_lint_ctx *ctx);
void ccp_check_edge_section(ccp_lint_ctx *ctx);
void ccp_check_connect_to_no_host(ccp_lint_ctx *ctx);
void ccp_check_connect_to_host_known(ccp_lint_ctx *ctx);
void ccp_check_duplicate_names(ccp_lint_ctx *ctx);
void ccp_check_names_ignoring_case(ccp_lint_ctx *ctx);
void ccp_check_admin_role(ccp_lint_ctx *ctx);
void ccp_check_connect_to_target(ccp_lint_ctx *ctx);
void ccp_check_connect_to_empty(ccp_lint_ctx *ctx);
void ccp_check_relay_listening_host(ccp_lint_ctx *ctx);
void ccp_check_parent_defined(ccp_lint_ctx *ctx);
void ccp_check_parent_cycle(ccp_lint_ctx *ctx);
void ccp_check_parent_ignored(ccp_lint_ctx *ctx);
void ccp_check_custom_ca_cert(ccp_lint_ctx *ctx);
void ccp_check_studies_version(ccp_lint_ctx *ctx);
void ccp_check_study_reserved(ccp_lint_ctx *ctx);
void ccp_check_study_refs(ccp_lint_ctx *ctx);
void ccp_check_study_client_org(ccp_lint_ctx *ctx);
void ccp_check_study_duplicate_client(ccp_lint_ctx *ctx);
void ccp_check_study_duplicate_admin(ccp_lint_ctx *ctx);
void ccp_check_site_named_server(ccp_lint_ctx *ctx);
void ccp_check_cwd_relative(ccp_lint_ctx *ctx);
void ccp_check_release_refuses(ccp_lint_ctx *ctx);
void ccp_check_release_ignores(ccp_lint_ctx *ctx);

/* confidential computing (CCP-C) */
void ccp_check_cc_role(ccp_lint_ctx *ctx);
void ccp_check_cc_participant_type(ccp_lint_ctx *ctx);
void ccp_check_cc_shared_file(ccp_lint_ctx *ctx);
void ccp_check_cc_cpu_mechanism(ccp_lint_ctx *ctx);
void ccp_check_cc_mock_mixed(ccp_lint_ctx *ctx);
void ccp_check_cc_env_mixed(ccp_lint_ctx *ctx);
void ccp_check_cc_mixed(ccp_lint_ctx *ctx);
void ccp_check_cc_no_issuers(ccp_lint_ctx *ctx);
void ccp_check_cc_token_frequency(ccp_lint_ctx *ctx);
void ccp_check_cc_token_missing(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_id_dup(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_id_consistent(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_env(ccp_lint_ctx *ctx);
void ccp_check_cc_gpu_issuer(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_args(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_required(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_unknown(ccp_lint_ctx *ctx);
void ccp_check_cc_issuer_path(ccp_lint_ctx *ctx);
void ccp_check_cc_class_allow_list(ccp_lint_ctx *ctx);
void ccp_check_cc_docker_missing(ccp_lint_ctx *ctx);
void ccp_check_cc_docker_file(ccp_lint_ctx *ctx);
void ccp_check_cc_docker_format(ccp_lint_ctx *ctx);
void ccp_check_cc_docker_size(ccp_lint_ctx *ctx);
void ccp_check_cc_docker_budget(ccp_lint_ctx *ctx);

/* network: ports and hosts (CCP-N) */
void ccp_check_net_server_ports(ccp_lint_ctx *ctx);
void ccp_check_net_client_ports(ccp_lint_ctx *ctx);
void ccp_check_net_duplicate_ports(ccp_lint_ctx *ctx);
void ccp_check_net_risky_ports(ccp_lint_ctx *ctx);
void ccp_check_net_hosts_unknown(ccp_lint_ctx *ctx);
void ccp_check_net_hosts_server(ccp_lint_ctx *ctx);

#endif
