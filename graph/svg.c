/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SVG through Graphviz's library (libgvc): the DOT text that
 * `ccprov graph --format dot` prints, laid out by dot in process.
 * libgvc is loaded on the first SVG, not at start: with its plugins'
 * dependencies it costs every other command more than lint's own work.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "ccprov/graph.h"
#include "graph_int.h"

#ifdef CCPROV_HAVE_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "dynlib.h"

/* cgraph's functions come through libgvc, which needs it */
typedef struct gv_api {
	__typeof__(gvContext) *gvContext;
	__typeof__(agmemread) *agmemread;
	__typeof__(gvLayout) *gvLayout;
	__typeof__(gvRenderData) *gvRenderData;
	__typeof__(gvFreeRenderData) *gvFreeRenderData;
	__typeof__(gvFreeLayout) *gvFreeLayout;
	__typeof__(agclose) *agclose;
	__typeof__(gvFreeContext) *gvFreeContext;
} gv_api;

#define GV_SYM(f) { #f, offsetof(gv_api, f) }
static const ccp_dynlib_sym gv_syms[] = {
	GV_SYM(gvContext), GV_SYM(agmemread), GV_SYM(gvLayout),
	GV_SYM(gvRenderData), GV_SYM(gvFreeRenderData), GV_SYM(gvFreeLayout),
	GV_SYM(agclose), GV_SYM(gvFreeContext),
};

static gv_api gv;
static int gv_ok;
static pthread_once_t gv_once = PTHREAD_ONCE_INIT;

static void gv_load(void)
{
	gv_ok = ccp_dynlib_bind(CCPROV_GVC_SONAME, &gv, gv_syms,
				sizeof(gv_syms) / sizeof(gv_syms[0])) == 0;
}

int ccp_graph_have_svg(void)
{
	pthread_once(&gv_once, gv_load);
	return gv_ok;
}

int ccp_graph_svg(ccp_buf *out, const char *dot, ccp_error *err)
{
	GVC_t *gvc;
	Agraph_t *g = NULL;
	char *data = NULL;
	unsigned int len = 0;  /* Graphviz 2.42's type (Debian 12) */
	int rc = 0, laid = 0;

	if (!ccp_graph_have_svg())
		return ccp_error_set(err, CCP_EINVAL, "cannot load Graphviz (" CCPROV_GVC_SONAME
				     "); use --format dot or mermaid");
	gvc = gv.gvContext();
	if (!gvc)
		return ccp_error_set(err, CCP_ENOMEM, "cannot start Graphviz");
	/* our own DOT text, so a parse failure is a bug, not bad input */
	g = gv.agmemread(dot);
	if (!g) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot read the graph");
		goto cleanup;
	}
	if (gv.gvLayout(gvc, g, "dot") != 0) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot lay out the graph "
				   "(is its dot layout plugin installed?)");
		goto cleanup;
	}
	laid = 1;
	if (gv.gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data) {
		rc = ccp_error_set(err, CCP_EGENERIC, "Graphviz cannot render SVG");
		goto cleanup;
	}
	ccp_buf_printf(out, "%.*s", (int)len, data);

cleanup:
	if (data)
		gv.gvFreeRenderData(data);
	if (laid)
		gv.gvFreeLayout(gvc, g);
	if (g)
		gv.agclose(g);
	gv.gvFreeContext(gvc);
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
