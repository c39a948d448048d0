/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the graph module. */
#ifndef CCPROV_GRAPH_INT_H
#define CCPROV_GRAPH_INT_H

#include "ccprov/buf.h"
#include "ccprov/error.h"

/** Lay out a DOT text with Graphviz and append the SVG to out. */
int ccp_graph_svg(ccp_buf *out, const char *dot, ccp_error *err);

#endif
