/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deployment as a picture (ccprov graph). The project is read as
 * YAML, not as the resolved kit model, so a project with errors can still
 * be drawn: its broken links are the point of the picture. Ports and
 * connection security are the model's (model.h), which reads trees with
 * errors too and applies NVFlare's defaults.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/diag.h"
#include "ccprov/graph.h"
#include "ccprov/yaml.h"
#include "graph_int.h"
#include "array.h"
#include "model.h"
#include "path.h"

/* Most participants drawn; more is refused rather than laid out slowly. */
#define GRAPH_MAX_NODES 2000

typedef struct gnode {
	const char *name;
	const char *type;     /* server, client, relay, admin, host, unknown */
	const char *org;      /* NULL for placeholder nodes */
	const ccp_node *map;  /* the participant mapping, NULL for placeholders */
	char *cc_real;        /* canonical path of its cc_config, or NULL */
	ccp_buf label;        /* lines separated by '\n' */
	long port;            /* listening port (server: fed_learn_port), -1 unknown */
	long admin_port;
	const char *scheme;   /* relays: listening_host.scheme */
	const char *security; /* its connection_security (the model's) */
} gnode;

typedef struct gedge {
	size_t from, to;
	long port;
	int admin;
	char label[128];
	char rules[64];       /* ", "-separated rule ids when broken */
} gedge;

typedef struct graph {
	gnode *nodes;
	size_t n, cap;
	gedge *edges;
	size_t ne, cape;
	const char *name;
	const char *scheme;   /* StaticFileBuilder scheme, default grpc */
} graph;

static void graph_release(graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->nodes[i].cc_real);
		ccp_buf_release(&g->nodes[i].label);
	}
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}

static long node_port(const ccp_node *n, long dflt)
{
	long long v;

	if (n && ccp_node_int(n, &v) == 0 && v > 0 && v <= 65535)
		return (long)v;
	return dflt;
}

static gnode *add_node(graph *g, const char *name, const char *type)
{
	gnode *n;

	if (g->n >= GRAPH_MAX_NODES)
		return NULL;
	if (ccp_grow(&g->nodes, &g->cap, g->n + 1, sizeof(*g->nodes)) < 0)
		return NULL;
	n = &g->nodes[g->n++];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->type = type;
	n->port = n->admin_port = -1;
	return n;
}

static long find_node(const graph *g, const char *name, int placeholders)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if ((placeholders || g->nodes[i].map) && strcmp(g->nodes[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* A placeholder for a host or participant that is not in the project. */
static long placeholder(graph *g, const char *name, const char *type)
{
	long i = find_node(g, name, 1);
	gnode *n;

	if (i >= 0 && !g->nodes[i].map)
		return i;
	n = add_node(g, name, type);
	if (!n)
		return -1;
	ccp_buf_printf(&n->label, "%s\n%s", name,
		       strcmp(type, "host") == 0 ? "host outside the project" :
		       "not a server or relay of the project");
	return (long)(g->n - 1);
}

static int add_edge(graph *g, size_t from, size_t to, long port, int admin,
		    const char *scheme, const char *security)
{
	gedge *e;

	if (ccp_grow(&g->edges, &g->cape, g->ne + 1, sizeof(*g->edges)) < 0)
		return -1;
	e = &g->edges[g->ne++];
	memset(e, 0, sizeof(*e));
	e->from = from;
	e->to = to;
	e->port = port;
	e->admin = admin;
	if (port > 0)
		snprintf(e->label, sizeof(e->label), "%s%s :%ld %s", admin ? "admin " : "",
			 scheme, port, security);
	else
		snprintf(e->label, sizeof(e->label), "%s%s %s", admin ? "admin " : "",
			 scheme, security);
	return 0;
}

static const char *class_name(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	return dot ? dot + 1 : path;
}

/* The CC lines of a node's label, from its cc_config. */
static void describe_cc(gnode *n, const ccp_node *cc)
{
	const char *env = ccp_node_get_str(cc, "compute_env");
	const char *cpu = ccp_node_get_str(cc, "cc_cpu_mechanism");
	const char *gpu = ccp_node_get_str(cc, "cc_gpu_mechanism");
	const ccp_node *iss = ccp_node_get(cc, "cc_issuers");
	size_t i;

	ccp_buf_printf(&n->label, "\nCC: %s%s%s", env ? env : "?", cpu ? ", " : "",
		       cpu ? cpu : "");
	if (gpu)
		ccp_buf_printf(&n->label, "\nGPU: %s", gpu);
	if (iss && iss->kind == CCP_NODE_SEQ && iss->count) {
		ccp_buf_puts(&n->label, "\nissuers:");
		for (i = 0; i < iss->count; i++) {
			const char *path = ccp_node_get_str(iss->items[i], "path");

			ccp_buf_printf(&n->label, "%s %s", i ? "," : "",
				       path ? class_name(path) : "?");
		}
	}
}

/*
 * Where a participant listens and how it connects: the model's ports and
 * connection_security (a value that is not clear, tls or mtls is drawn
 * as written), a relay's listening_host.
 */
static void read_listener(gnode *n, const ccp_node *m, const ccp_node *root)
{
	const ccp_node *lh = ccp_node_get(m, "listening_host");
	ccp_model_part mp;

	ccp_model_part_read(&mp, m, root);
	n->security = ccp_conn_sec_name(mp.conn_sec);
	if (!n->security)
		n->security = ccp_node_str(mp.conn_sec_at);
	if (!n->security)
		n->security = "?";
	if (strcmp(n->type, "server") == 0) {
		/* a port that is not 1..65535 (the schema's) is drawn as if
		 * unset */
		n->port = mp.fed_learn_port ? mp.fed_learn_port :
			  ccp_model_resolve_fed_learn_port(NULL);
		n->admin_port = mp.admin_port ? mp.admin_port : n->port;
	} else if (lh && lh->kind == CCP_NODE_MAP) {
		n->port = node_port(ccp_node_get(lh, "port"), -1);
		n->scheme = ccp_node_get_str(lh, "scheme");
	}
}

/* A node's cc_config: its canonical path and the CC lines of its label. */
static int read_node_cc(gnode *n, ccp_yaml_set *set, const char *project_dir,
			const char *cc, ccp_error *err)
{
	char *path = ccp_path_join(project_dir, cc);
	ccp_yaml_doc *doc;

	if (!path)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	doc = ccp_yaml_load(set, path, NULL);
	free(path);
	if (!doc)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (doc->real && !(n->cc_real = strdup(doc->real)))
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (doc->root)
		describe_cc(n, doc->root);
	else
		ccp_buf_printf(&n->label, "\nCC: %s unreadable", cc);
	return 0;
}

/* Read participants and their cc_configs into nodes. */
static int read_nodes(graph *g, ccp_yaml_set *set, const ccp_node *root,
		      const char *project_dir, ccp_error *err)
{
	const ccp_node *parts = ccp_node_get(root, "participants");
	size_t i;

	if (!parts || parts->kind != CCP_NODE_SEQ)
		return 0;
	for (i = 0; i < parts->count; i++) {
		const ccp_node *m = parts->items[i];
		const char *name = ccp_node_get_str(m, "name");
		const char *type = ccp_node_get_str(m, "type");
		const char *cc = ccp_node_get_str(m, "cc_config");
		gnode *n;

		if (!m || m->kind != CCP_NODE_MAP || !name)
			continue;
		n = add_node(g, name, type ? type : "unknown");
		if (!n)
			return ccp_error_set(err, CCP_EINVAL, "more than %d participants",
					     GRAPH_MAX_NODES);
		n->map = m;
		n->org = ccp_node_get_str(m, "org");
		ccp_buf_printf(&n->label, "%s\n%s", name, n->type);
		read_listener(n, m, root);
		if (cc) {
			int rc = read_node_cc(n, set, project_dir, cc, err);

			if (rc < 0)
				return rc;
		}
		if (ccp_buf_failed(&n->label))
			return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	return 0;
}

/* Where a client or relay connects: a node, the port and the scheme
 * and connection security of the link. */
typedef struct uplink {
	long to, port;
	const char *scheme, *sec;
} uplink;

/* connect_to as a mapping: a named server or relay, or a host. */
static void uplink_map(graph *g, const ccp_node *ct, long server, uplink *u)
{
	const char *name = ccp_node_get_str(ct, "name");
	const char *host = ccp_node_get_str(ct, "host");
	const char *s = ccp_node_get_str(ct, "connection_security");

	if (s)
		u->sec = s;
	if (name) {
		u->to = find_node(g, name, 0);
		if (u->to < 0 || (strcmp(g->nodes[u->to].type, "server") &&
				  strcmp(g->nodes[u->to].type, "relay")))
			u->to = placeholder(g, name, "unknown");
	} else if (host && (server < 0 || strcmp(host, g->nodes[server].name))) {
		u->to = placeholder(g, host, "host");
	}
	if (u->to >= 0 && g->nodes[u->to].scheme)
		u->scheme = g->nodes[u->to].scheme;
	u->port = node_port(ccp_node_get(ct, "port"),
			    u->to >= 0 ? g->nodes[u->to].port : -1);
}

/* connect_to as a host name, or else the parent relay. */
static void uplink_host(graph *g, const char *host, long server, uplink *u)
{
	if (server < 0 || strcmp(host, g->nodes[server].name))
		u->to = placeholder(g, host, "host");
	u->port = u->to >= 0 ? g->nodes[u->to].port : -1;
}

static void uplink_parent(graph *g, const char *parent, uplink *u)
{
	u->to = find_node(g, parent, 0);
	if (u->to < 0)
		u->to = placeholder(g, parent, "unknown");
	u->port = u->to >= 0 ? g->nodes[u->to].port : -1;
}

/* The link of client or relay i: the server unless it says otherwise. */
static void uplink_of(graph *g, size_t i, long server, uplink *u)
{
	const ccp_node *map = g->nodes[i].map;
	const ccp_node *ct = ccp_node_get(map, "connect_to");
	const ccp_node *parent = ccp_node_get(map, "parent");

	u->to = server;
	u->port = server >= 0 ? g->nodes[server].port : -1;
	u->scheme = g->scheme;
	u->sec = g->nodes[i].security;
	if (ct && ct->kind == CCP_NODE_MAP)
		uplink_map(g, ct, server, u);
	else if (ct && ccp_node_str(ct))
		uplink_host(g, ccp_node_str(ct), server, u);
	else if (parent && ccp_node_str(parent))
		uplink_parent(g, ccp_node_str(parent), u);
}

/* Who each participant connects to, as NVFlare's kits configure it. */
static int read_edges(graph *g, long server)
{
	size_t i, n = g->n;

	for (i = 0; i < n; i++) {
		/* copied: placeholder() may move g->nodes */
		const char *type = g->nodes[i].type;
		uplink u;

		if (!g->nodes[i].map || strcmp(type, "server") == 0)
			continue;
		if (strcmp(type, "admin") == 0) {
			if (server >= 0 && add_edge(g, i, (size_t)server,
						    g->nodes[server].admin_port, 1,
						    g->scheme, g->nodes[i].security) < 0)
				return -1;
			continue;
		}
		if (strcmp(type, "client") && strcmp(type, "relay"))
			continue;
		uplink_of(g, i, server, &u);
		if (u.to >= 0 && add_edge(g, i, (size_t)u.to, u.port, 0, u.scheme,
					  u.sec) < 0)
			return -1;
	}
	return 0;
}

static void add_rule(gedge *e, const char *rule)
{
	size_t len = strlen(e->rules);

	if (strstr(e->rules, rule))
		return;
	snprintf(e->rules + len, sizeof(e->rules) - len, "%s%s", len ? ", " : "", rule);
}

static int is_link_rule(const char *rule)
{
	static const char *const link_rules[] = {
		"CCP-N001", "CCP-N002", "CCP-P006", "CCP-P007", "CCP-P009", "CCP-P010"
	};
	size_t k;

	for (k = 0; k < sizeof(link_rules) / sizeof(link_rules[0]); k++)
		if (strcmp(rule, link_rules[k]) == 0)
			return 1;
	return 0;
}

/* Mark rule on every edge leaving node k. */
static void mark_from(graph *g, size_t k, const char *rule)
{
	size_t j;

	for (j = 0; j < g->ne; j++)
		if (g->edges[j].from == k)
			add_rule(&g->edges[j], rule);
}

/* Whether finding x (in the file whose canonical path is real) is about
 * node n: in its cc_config, or within its entry of project.yml. */
static int owns(const gnode *n, const ccp_diag *x, const char *real,
		const char *project_real)
{
	if (!n->map || !real)
		return 0;
	if (n->cc_real && strcmp(n->cc_real, real) == 0)
		return 1;
	return project_real && strcmp(project_real, real) == 0 &&
	       x->line >= n->map->line &&
	       x->line < n->map->end_line + (n->map->end_column > 1);
}

/*
 * Lint's findings on links: the edges they concern turn red. Findings
 * come grouped by file, so each file is canonicalised once per group
 * rather than once per finding and node.
 */
static void mark_broken(graph *g, const ccp_diags *d, const char *project_real,
			long server)
{
	char real[PATH_MAX];
	const char *file = NULL, *have = NULL;
	size_t i, j, k;

	for (i = 0; i < d->count; i++) {
		const ccp_diag *x = d->items[i];

		if (!is_link_rule(x->rule))
			continue;
		if (strcmp(x->rule, "CCP-N001") == 0) {
			/* the server does not accept its own ports */
			for (j = 0; j < g->ne; j++)
				if ((long)g->edges[j].to == server)
					add_rule(&g->edges[j], x->rule);
			continue;
		}
		if (!file || strcmp(file, x->file) != 0) {
			file = x->file;
			have = x->file && realpath(x->file, real) ? real : NULL;
		}
		for (k = 0; k < g->n; k++)
			if (owns(&g->nodes[k], x, have, project_real))
				mark_from(g, k, x->rule);
	}
}

static const char *builder_scheme(const ccp_node *root)
{
	const ccp_node *b = ccp_node_get(root, "builders");
	size_t i;

	if (!b || b->kind != CCP_NODE_SEQ)
		return NULL;
	for (i = 0; i < b->count; i++) {
		const char *path = ccp_node_get_str(b->items[i], "path");

		if (path && strcmp(class_name(path), "StaticFileBuilder") == 0)
			return ccp_node_get_str(ccp_node_get(b->items[i], "args"), "scheme");
	}
	return NULL;
}

/* ---- writers ---- */

static void dot_str(ccp_buf *out, const char *s)
{
	ccp_buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			ccp_buf_putc(out, '\\');
		if (*s == '\n')
			ccp_buf_puts(out, "\\n");
		else if ((unsigned char)*s >= 0x20)
			ccp_buf_putc(out, *s);
	}
	ccp_buf_putc(out, '"');
}

static void mermaid_str(ccp_buf *out, const char *s);

static void org_label(ccp_buf *out, const char *org,
		      void (*quote)(ccp_buf *, const char *))
{
	ccp_buf b = CCP_BUF_INIT;

	ccp_buf_printf(&b, "org: %s", org);
	quote(out, ccp_buf_failed(&b) ? org : ccp_buf_cstr(&b));
	ccp_buf_release(&b);
}

static const char *node_shape(const gnode *n)
{
	if (!n->map)
		return "box\", style=\"dashed";
	if (strcmp(n->type, "server") == 0)
		return "box3d";
	if (strcmp(n->type, "relay") == 0)
		return "hexagon";
	if (strcmp(n->type, "admin") == 0)
		return "ellipse";
	return "box";
}

/* The orgs in order of first appearance; NULL ends. */
static size_t orgs_of(const graph *g, const char **orgs, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < g->n && n < max; i++) {
		if (!g->nodes[i].map || !g->nodes[i].org)
			continue;
		for (k = 0; k < n && strcmp(orgs[k], g->nodes[i].org); k++)
			;
		if (k == n)
			orgs[n++] = g->nodes[i].org;
	}
	return n;
}

/* Whether node n is drawn in cluster k of norgs (k == norgs: none). */
static int in_cluster(const gnode *n, const char *const *orgs, size_t k,
		      size_t norgs)
{
	if (k < norgs)
		return n->map && n->org && strcmp(n->org, orgs[k]) == 0;
	return !n->map || !n->org;
}

/* An edge's label, with the rules that break it. */
static void edge_label(ccp_buf *lbl, const gedge *e)
{
	ccp_buf_puts(lbl, e->label);
	if (e->rules[0])
		ccp_buf_printf(lbl, "\nbroken: %s", e->rules);
}

static void dot_cluster(ccp_buf *out, const graph *g, const char *const *orgs,
			size_t k, size_t norgs)
{
	size_t i;
	int open = 0;

	for (i = 0; i < g->n; i++) {
		const gnode *n = &g->nodes[i];

		if (!in_cluster(n, orgs, k, norgs))
			continue;
		if (!open && k < norgs) {
			ccp_buf_printf(out, "\tsubgraph \"cluster_%zu\" {\n\t\tlabel=", k);
			org_label(out, orgs[k], dot_str);
			ccp_buf_puts(out, ";\n\t\tstyle=rounded;\n");
			open = 1;
		}
		ccp_buf_printf(out, "%sn%zu [shape=\"%s\", label=", open ? "\t\t" : "\t",
			       i, node_shape(n));
		dot_str(out, ccp_buf_cstr(&n->label));
		ccp_buf_puts(out, "];\n");
	}
	if (open)
		ccp_buf_puts(out, "\t}\n");
}

static void dot_edge(ccp_buf *out, const gedge *e)
{
	ccp_buf lbl = CCP_BUF_INIT;

	edge_label(&lbl, e);
	ccp_buf_printf(out, "\tn%zu -> n%zu [label=", e->from, e->to);
	dot_str(out, ccp_buf_cstr(&lbl));
	if (e->admin)
		ccp_buf_puts(out, ", style=dashed");
	if (e->rules[0])
		ccp_buf_puts(out, ", color=red, fontcolor=red, penwidth=2");
	ccp_buf_puts(out, "];\n");
	ccp_buf_release(&lbl);
}

static int write_dot(ccp_buf *out, const graph *g)
{
	const char **orgs = calloc(g->n + 1, sizeof(*orgs));
	size_t i, k, norgs;

	if (!orgs)
		return -1;
	norgs = orgs_of(g, orgs, g->n);
	ccp_buf_puts(out, "digraph ");
	dot_str(out, g->name ? g->name : "project");
	ccp_buf_puts(out, " {\n\trankdir=LR;\n\tnode [fontname=\"Helvetica\", fontsize=10];\n"
		     "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (k = 0; k <= norgs; k++)
		dot_cluster(out, g, orgs, k, norgs);
	for (i = 0; i < g->ne; i++)
		dot_edge(out, &g->edges[i]);
	ccp_buf_puts(out, "}\n");
	free(orgs);
	return 0;
}

static void mermaid_str(ccp_buf *out, const char *s)
{
	ccp_buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			ccp_buf_puts(out, "#quot;");
		else if (*s == '\n')
			ccp_buf_puts(out, "<br/>");
		else if (*s == '<')
			ccp_buf_puts(out, "#lt;");
		else if (*s == '>')
			ccp_buf_puts(out, "#gt;");
		else if ((unsigned char)*s >= 0x20)
			ccp_buf_putc(out, *s);
	}
	ccp_buf_putc(out, '"');
}

/* Mermaid's brackets for a node of this type. */
static void mermaid_shape(const char *type, const char **o, const char **c)
{
	*o = "[";
	*c = "]";
	if (strcmp(type, "relay") == 0) {
		*o = "{{";
		*c = "}}";
	} else if (strcmp(type, "admin") == 0) {
		*o = "([";
		*c = "])";
	} else if (strcmp(type, "server") == 0) {
		*o = "[[";
		*c = "]]";
	}
}

static void mermaid_cluster(ccp_buf *out, const graph *g,
			    const char *const *orgs, size_t k, size_t norgs)
{
	size_t i;
	int open = 0;

	for (i = 0; i < g->n; i++) {
		const gnode *n = &g->nodes[i];
		const char *o, *c;

		if (!in_cluster(n, orgs, k, norgs))
			continue;
		if (!open && k < norgs) {
			ccp_buf_printf(out, "  subgraph org%zu[", k);
			org_label(out, orgs[k], mermaid_str);
			ccp_buf_puts(out, "]\n");
			open = 1;
		}
		mermaid_shape(n->type, &o, &c);
		ccp_buf_printf(out, "%sn%zu%s", open ? "    " : "  ", i, o);
		mermaid_str(out, ccp_buf_cstr(&n->label));
		ccp_buf_printf(out, "%s\n", c);
	}
	if (open)
		ccp_buf_puts(out, "  end\n");
}

static int write_mermaid(ccp_buf *out, const graph *g)
{
	const char **orgs = calloc(g->n + 1, sizeof(*orgs));
	size_t i, k, norgs;

	if (!orgs)
		return -1;
	norgs = orgs_of(g, orgs, g->n);
	ccp_buf_puts(out, "flowchart LR\n");
	for (k = 0; k <= norgs; k++)
		mermaid_cluster(out, g, orgs, k, norgs);
	for (i = 0; i < g->ne; i++) {
		const gedge *e = &g->edges[i];
		ccp_buf lbl = CCP_BUF_INIT;

		edge_label(&lbl, e);
		ccp_buf_printf(out, "  n%zu %s|", e->from, e->admin ? "-.->" : "-->");
		mermaid_str(out, ccp_buf_cstr(&lbl));
		ccp_buf_printf(out, "| n%zu\n", e->to);
		ccp_buf_release(&lbl);
	}
	for (i = 0; i < g->ne; i++)
		if (g->edges[i].rules[0])
			ccp_buf_printf(out, "  linkStyle %zu stroke:red,stroke-width:2px,color:red\n", i);
	free(orgs);
	return 0;
}

int ccp_graph_format_parse(const char *name, ccp_graph_format *out)
{
	static const struct { const char *name; ccp_graph_format fmt; } fmts[] = {
		{ "dot", CCP_GRAPH_DOT }, { "svg", CCP_GRAPH_SVG },
		{ "mermaid", CCP_GRAPH_MERMAID },
	};
	size_t i;

	for (i = 0; name && i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (strcmp(name, fmts[i].name) == 0) {
			*out = fmts[i].fmt;
			return 0;
		}
	return -1;
}

/* The first server's node, or -1. */
static long first_server(const graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->nodes[i].type, "server") == 0)
			return (long)i;
	return -1;
}

/* The graph in fmt: mermaid and dot as text, svg through Graphviz. */
static int write_graph(ccp_buf *out, const graph *g, ccp_graph_format fmt,
		       ccp_error *err)
{
	ccp_buf dot = CCP_BUF_INIT;
	int rc;

	if (fmt == CCP_GRAPH_MERMAID)
		rc = write_mermaid(out, g);
	else
		rc = write_dot(fmt == CCP_GRAPH_DOT ? out : &dot, g);
	if (rc < 0)
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	else if (fmt == CCP_GRAPH_SVG && !ccp_buf_failed(&dot))
		rc = ccp_graph_svg(out, ccp_buf_cstr(&dot), err);
	if (rc == 0 && (ccp_buf_failed(out) || ccp_buf_failed(&dot)))
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	ccp_buf_release(&dot);
	return rc;
}

int ccp_graph_render(ccp_buf *out, const char *project_yml, ccp_graph_format fmt,
		     const ccp_lint_opts *lo, ccp_error *err)
{
	ccp_diags lint, scratch;
	ccp_lint_opts defaults;
	ccp_yaml_set *set = NULL;
	ccp_yaml_doc *doc;
	graph g;
	char *dir = NULL;
	long server;
	int rc = 0;

	memset(&g, 0, sizeof(g));
	ccp_diags_init(&lint);
	ccp_diags_init(&scratch);
	if (!lo) {
		ccp_lint_opts_init(&defaults);
		lo = &defaults;
	}
	if (fmt == CCP_GRAPH_SVG && !ccp_graph_have_svg()) {
		rc = ccp_error_set(err, CCP_EINVAL, "Graphviz is not available (built "
				   "without it, or libgvc is not installed); use --format "
				   "dot or mermaid");
		goto cleanup;
	}
	if (ccp_lint_project(&lint, project_yml, lo, NULL) < 0) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	set = ccp_yaml_set_new(&scratch);
	doc = set ? ccp_yaml_load(set, project_yml, NULL) : NULL;
	if (!doc) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!doc->root) {
		rc = ccp_error_set(err, CCP_EIO, "cannot read '%s' as a project file",
				   project_yml);
		goto cleanup;
	}
	dir = doc->real ? ccp_path_dirname(doc->real) : NULL;
	g.name = ccp_node_get_str(doc->root, "name");
	g.scheme = builder_scheme(doc->root);
	if (!g.scheme)
		g.scheme = "grpc";
	rc = read_nodes(&g, set, doc->root, dir, err);
	if (rc < 0)
		goto cleanup;
	server = first_server(&g);
	if (read_edges(&g, server) < 0) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	mark_broken(&g, &lint, doc->real, server);
	rc = write_graph(out, &g, fmt, err);

cleanup:
	graph_release(&g);
	free(dir);
	ccp_yaml_set_free(set);
	ccp_diags_release(&scratch);
	ccp_diags_release(&lint);
	return rc;
}
