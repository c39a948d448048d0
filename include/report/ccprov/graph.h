/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file graph.h
 * A project's deployment as a picture: participants grouped by org, who
 * connects to whom on which port and scheme, each CC site's compute
 * environment, mechanisms and attestation issuers, and the links lint
 * found broken (drawn in red with the rule id).
 */
#ifndef CCPROV_GRAPH_H
#define CCPROV_GRAPH_H

#include "ccprov/buf.h"
#include "ccprov/error.h"
#include "ccprov/lint.h"

typedef enum ccp_graph_format {
	CCP_GRAPH_DOT,
	CCP_GRAPH_SVG,
	CCP_GRAPH_MERMAID
} ccp_graph_format;

/** Parse "dot", "svg" or "mermaid"; -1 for anything else. */
int ccp_graph_format_parse(const char *name, ccp_graph_format *out);

/** Was this build linked with Graphviz (needed for CCP_GRAPH_SVG)? */
int ccp_graph_have_svg(void);

/**
 * Lint project_yml with lo (NULL = defaults), then draw it in fmt into
 * out. The output names participants and files only by their names in
 * the project, never by a path. Returns 0, or a negative CCP_E* code with
 * the reason in err (a project file that cannot be read, no Graphviz).
 */
int ccp_graph_render(ccp_buf *out, const char *project_yml, ccp_graph_format fmt,
		     const ccp_lint_opts *lo, ccp_error *err);

#endif
