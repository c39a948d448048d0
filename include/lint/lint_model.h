/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The resolved project built from a lint run (lint/model.c), for the
 * engine that hands it to its caller.
 */
#ifndef CCPROV_LINT_MODEL_H
#define CCPROV_LINT_MODEL_H

#include "ccprov/json.h"
#include "ccprov/kit.h"
#include "ccprov/yaml.h"
#include "lintctx.h"

/** Build the resolved project from a clean context; NULL on failure. */
ccp_kit_project *ccp_lint_build_kit(ccp_lint_ctx *ctx);

/** Convert a YAML subtree to JSON (ints, bools, null, floats typed). */
ccp_json *ccp_node_to_json(const ccp_node *n);

#endif
