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

/*
 * The values NVFlare defaults (check_frequency, ports, ...), compute_env
 * and cc_issuers are the model's (model.h: f->env, f->issuers_at, ...).
 */

/** Non-zero when the file's compute_env runs in real confidential
 * hardware (a known environment that attests; mock does not). */
int ccp_cc_env_is_real(const ccp_cc_file *f);
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
