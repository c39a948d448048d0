/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the confidential-computing and network rules
 * (rules/cc.c, issuers.c, docker.c, network.c): reading cc_config
 * values that may not have passed the schema.
 */
#ifndef CCPROV_RULES_CC_COMMON_H
#define CCPROV_RULES_CC_COMMON_H

#include <stddef.h>

#include "ccprov/nvflare.h"
#include "lintctx.h"
#include "strmap.h"

/* ---- cc_config values ---- */

/** NVFlare's check_frequency when cc_attestation does not set one. */
#define CCP_CC_DEFAULT_CHECK_FREQUENCY CCP_NVF_CHECK_FREQUENCY
/** NVFlare's fed_learn_port when the server does not set one. */
#define CCP_CC_DEFAULT_PORT CCP_NVF_FED_LEARN_PORT

/**
 * compute_env of a cc_config when it is one of the four known values
 * ("onprem_cvm", ...), else NULL; *at receives the value node (or NULL).
 */
const char *ccp_cc_env(const ccp_node *root, const ccp_node **at);
/** Non-zero for the environments that run in real confidential hardware. */
int ccp_cc_env_is_real(const char *env);
/** The cc_issuers sequence, or NULL when absent or not a list. */
const ccp_node *ccp_cc_issuers(const ccp_node *root);
/** A participant with a cc_config whose root mapping was loaded. */
int ccp_cc_part_loaded(const ccp_lint_participant *p);
/** Is s a Python identifier of ASCII letters, digits and '_' (n bytes)? */
int ccp_cc_is_ident(const char *s, size_t n);
/**
 * Is s identifiers joined by dots? min_parts is the fewest identifiers;
 * allow_prefix accepts one trailing dot (a package prefix).
 */
int ccp_cc_is_dotted(const char *s, size_t min_parts, int allow_prefix);
/** Structural equality of two YAML subtrees (mapping order ignored). */
int ccp_cc_node_equal(const ccp_node *a, const ccp_node *b);

#endif
