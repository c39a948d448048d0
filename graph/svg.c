/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SVG through Graphviz's library (libgvc): the DOT text that
 * `ccprov graph --format dot` prints, laid out by dot in process.
 */
#include <string.h>

#include "ccprov/graph.h"
#include "graph_int.h"

#ifdef CCPROV_HAVE_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

int ccp_graph_have_svg(void)
{
	return 1;
}

int ccp_graph_svg(ccp_buf *out, const char *dot, ccp_error *err)
{
	GVC_t *gvc = gvContext();
	Agraph_t *g = NULL;
	char *data = NULL;
	unsigned int len = 0;  /* Graphviz 2.42's type (Debian 12) */
	int rc = 0, laid = 0;

	if (!gvc)
		return ccp_error_set(err, CCP_ENOMEM, "cannot start Graphviz");
	/* our own DOT text, so a parse failure is a bug, not bad input */
	g = agmemread(dot);
	if (!g) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot read the graph");
		goto cleanup;
	}
	if (gvLayout(gvc, g, "dot") != 0) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot lay out the graph "
				   "(is its dot layout plugin installed?)");
		goto cleanup;
	}
	laid = 1;
	if (gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot render SVG");
		goto cleanup;
	}
	ccp_buf_printf(out, "%.*s", (int)len, data);

cleanup:
	if (data)
		gvFreeRenderData(data);
	if (laid)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	gvFreeContext(gvc);
	return rc;
}
#else
int ccp_graph_have_svg(void)
{
	return 0;
}

int ccp_graph_svg(ccp_buf *out, const char *dot, ccp_error *err)
{
	(void)out;
	(void)dot;
	return ccp_error_set(err, CCP_EINVAL, "built without Graphviz");
}
#endif
