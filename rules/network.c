/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Network policy of the confidential VMs: port whitelists that let the
 * sites reach each other, inbound ports that should stay closed, and
 * /etc/hosts entries (CCP-N001..N006).
 *
 * The project's ports and host names are gathered once (hashed), then
 * every distinct cc_config is checked once: linear in the sites.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccprov/buf.h"
#include "cc_common.h"
#include "array.h"
#include "checks.h"
#include "ccprov/names.h"

/* The server's ports and where project.yml sets them. */
typedef struct server_ports {
	long long port[2];         /* fed_learn_port, admin_port */
	const ccp_node *at[2];     /* their values, or NULL for defaults */
	size_t n;                  /* 1 when both are the same port */
} server_ports;

static const char *const port_names[2] = { "fed_learn_port", "admin_port" };

/* 0 and *out when the server's ports are known, -1 when not checkable. */
static int get_server_ports(const ccp_lint_ctx *ctx, server_ports *out)
{
	const ccp_lint_participant *s = ctx->server;

	memset(out, 0, sizeof(*out));
	if (!ctx->root || !s || s->node->kind != CCP_NODE_MAP ||
	    !s->fed_learn_port || !s->admin_port)
		return -1;   /* the schema reports a bad port */
	out->port[0] = s->fed_learn_port;
	out->port[1] = s->admin_port;
	out->at[0] = s->fed_learn_port_at;
	/* an admin_port left to default is the fed_learn_port, set there */
	out->at[1] = s->admin_port_at ? s->admin_port_at : s->fed_learn_port_at;
	out->n = out->port[0] == out->port[1] ? 1 : 2;
	return 0;
}

/* Does a port list hold port? Non-integer items are the schema's. */
static int list_has(const ccp_node *list, long long port)
{
	size_t i;
	long long x;

	for (i = 0; list && i < list->count; i++)
		if (ccp_node_int(list->items[i], &x) == 0 && x == port)
			return 1;
	return 0;
}

static void relate_port(ccp_diag *g, const ccp_lint_ctx *ctx,
			const server_ports *sp, size_t i)
{
	const char *name = ctx->server->name ? ctx->server->name : "?";

	if (sp->at[i])
		ccp_diag_add_related(g, sp->at[i], "%s %lld of server '%s'",
				     sp->at[i] == sp->at[0] ? port_names[0] : port_names[i],
				     sp->port[i], name);
	else
		ccp_diag_add_related(g, ctx->server->name_at ? ctx->server->name_at :
				     ctx->server->node,
				     "server '%s' uses the default port %lld", name,
				     sp->port[i]);
}

static const char *port_label(const server_ports *sp, size_t i)
{
	if (sp->n == 1)
		return "fed_learn_port";
	return sp->at[i] && sp->at[i] == sp->at[0] ? port_names[0] : port_names[i];
}

/* The whitelist to check, or NULL; *absent when onprem_cvm has none. */
static const ccp_node *port_list(const ccp_cc_file *f, const char *key,
				 int *absent)
{
	const ccp_node *l = ccp_node_get(f->root, key);

	*absent = 0;
	if (l && l->kind == CCP_NODE_SEQ)
		return l;
	if ((!l || ccp_node_is_null(l)) && f->env && strcmp(f->env->name, "onprem_cvm") == 0)
		*absent = 1;
	return NULL;
}

/* CCP-N001: the server's CVM lets its own ports in. */
void ccp_check_net_server_ports(ccp_lint_ctx *ctx)
{
	server_ports sp;
	const ccp_node *list, *env_at;
	int absent;
	size_t i;

	if (get_server_ports(ctx, &sp) < 0 || !ccp_cc_part_loaded(ctx->server))
		return;
	list = port_list(ctx->server->cc, "allowed_ports", &absent);
	env_at = ctx->server->cc->compute_env_at;
	for (i = 0; i < sp.n; i++) {
		ccp_diag *g;

		if (list && list_has(list, sp.port[i]))
			continue;
		if (!list && !absent)
			return;
		if (list)
			g = ccp_lint_report(ctx, "CCP-N001", list,
					    "allowed_ports lacks %s %lld of server '%s'",
					    port_label(&sp, i), sp.port[i],
					    ctx->server->name ? ctx->server->name : "?");
		else
			g = ccp_lint_report(ctx, "CCP-N001", env_at ? env_at : ctx->server->cc->root,
					    "no allowed_ports: the CVM of server '%s' accepts no connection on %s %lld",
					    ctx->server->name ? ctx->server->name : "?",
					    port_label(&sp, i), sp.port[i]);
		ccp_diag_set_hint(g, "add %lld to allowed_ports, or clients and admins cannot connect",
				  sp.port[i]);
		relate_port(g, ctx, &sp, i);
	}
}

/*
 * The port a client connects to when its connect_to gives one; else 0
 * (the server's ports). -1 when it connects through a relay without a
 * port: the relay's listener is not modelled. Only connect_to naming
 * something other than the server means a relay; a client's parent
 * just places it in the hierarchy (fqsn), and it still connects
 * straight to the server, as in NVFlare.
 */
static int client_target_port(const ccp_lint_ctx *ctx,
			      const ccp_lint_participant *p, long long *port)
{
	const ccp_node *ct = ccp_node_get(p->node, "connect_to");
	const ccp_node *v;
	const char *name;

	*port = 0;
	if (!ct || ccp_node_is_null(ct) || ct->kind == CCP_NODE_SCALAR)
		return 0;
	v = ccp_node_get(ct, "port");
	if (v && ccp_node_int(v, port) == 0 && *port >= 1 && *port <= 65535)
		return 0;
	*port = 0;
	name = ccp_node_get_str(ct, "name");
	if (name && name[0] &&
	    !(ctx->server->name && strcmp(name, ctx->server->name) == 0))
		return -1;
	return 0;
}

/* CCP-N002: every CC client's CVM may connect out to the server. */
void ccp_check_net_client_ports(ccp_lint_ctx *ctx)
{
	server_ports sp;
	unsigned char *done;
	size_t i, j;

	if (get_server_ports(ctx, &sp) < 0 || !ctx->nccs)
		return;
	done = calloc(ctx->nccs, 1);
	if (!done)
		return;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *list, *env_at;
		long long own;
		int absent;
		size_t k;

		if (p->ptype != CCP_PT_CLIENT || !ccp_cc_part_loaded(p))
			continue;
		k = (size_t)(p->cc - ctx->ccs);
		if (done[k] || client_target_port(ctx, p, &own) < 0)
			continue;
		done[k] = 1;
		list = port_list(p->cc, "allowed_out_ports", &absent);
		env_at = p->cc->compute_env_at;
		if (!list && !absent)
			continue;
		for (j = 0; j < (own ? 1 : sp.n); j++) {
			long long port = own ? own : sp.port[j];
			ccp_diag *g;

			if (list && list_has(list, port))
				continue;
			if (list)
				g = ccp_lint_report(ctx, "CCP-N002", list,
						    "allowed_out_ports of client '%s' lacks %s %lld",
						    p->name ? p->name : "?",
						    own ? "its connect_to port" : port_label(&sp, j),
						    port);
			else
				g = ccp_lint_report(ctx, "CCP-N002", env_at ? env_at : p->cc->root,
						    "no allowed_out_ports: the CVM of client '%s' cannot reach %s %lld",
						    p->name ? p->name : "?",
						    own ? "its connect_to port" : port_label(&sp, j),
						    port);
			ccp_diag_set_hint(g, "add %lld to allowed_out_ports, or the client cannot reach the server",
					  port);
			if (own)
				ccp_diag_add_related(g, ccp_node_get(ccp_node_get(p->node, "connect_to"), "port"),
						     "client '%s' connects to port %lld",
						     p->name ? p->name : "?", port);
			else
				relate_port(g, ctx, &sp, j);
		}
	}
	free(done);
}

/* A port of a list and where it is, for finding repeats by sorting. */
typedef struct port_at {
	long long port;
	size_t index;
} port_at;

static int port_at_cmp(const void *a, const void *b)
{
	const port_at *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Report every entry of list that repeats an earlier one. */
static void duplicate_ports(ccp_lint_ctx *ctx, const ccp_node *list,
			    const char *key)
{
	port_at *v = calloc(list->count ? list->count : 1, sizeof(*v));
	size_t j, n = 0, first = 0;

	if (!v)
		return;
	for (j = 0; j < list->count; j++) {
		long long x;

		if (ccp_node_int(list->items[j], &x) == 0 && x >= 1 && x <= 65535) {
			v[n].port = x;
			v[n++].index = j;
		}
	}
	qsort(v, n, sizeof(*v), port_at_cmp);
	for (j = 1; j < n; j++) {
		const ccp_node *e = list->items[v[j].index];
		ccp_diag *g;

		if (v[j].port != v[first].port) {
			first = j;
			continue;
		}
		g = ccp_lint_report(ctx, "CCP-N003", e,
				    "port %lld is listed twice in %s", v[j].port, key);
		ccp_diag_set_hint(g, "remove the duplicate, or correct it if another port was meant");
		ccp_diag_add_related(g, list->items[v[first].index],
				     "port %lld is first listed here", v[j].port);
	}
	free(v);
}

/* CCP-N003: a port listed twice (usually a typo for another port). */
void ccp_check_net_duplicate_ports(ccp_lint_ctx *ctx)
{
	static const char *const keys[] = { "allowed_ports", "allowed_out_ports" };
	size_t i, k;

	for (i = 0; i < ctx->nccs; i++) {
		for (k = 0; k < 2; k++) {
			const ccp_node *list = ccp_node_get(ctx->ccs[i].root, keys[k]);

			if (list && list->kind == CCP_NODE_SEQ)
				duplicate_ports(ctx, list, keys[k]);
		}
	}
}

typedef struct risky_port {
	int port;
	const char *service;
} risky_port;

/* Remote shells, desktops and management APIs: ways around attestation. */
static const risky_port risky[] = {
	{ 21, "ftp" }, { 22, "ssh" }, { 23, "telnet" }, { 111, "rpcbind" },
	{ 135, "msrpc" }, { 139, "netbios" }, { 445, "smb" }, { 2049, "nfs" },
	{ 2375, "docker api without tls" }, { 2376, "docker api" },
	{ 3306, "mysql" }, { 3389, "rdp" }, { 5432, "postgresql" },
	{ 5900, "vnc" }, { 5985, "winrm" }, { 5986, "winrm" }, { 6379, "redis" },
	{ 6443, "kubernetes api" }, { 9200, "elasticsearch" }, { 10250, "kubelet" },
	{ 27017, "mongodb" },
};

/* CCP-N004: inbound ports that open the CVM to its operator. */
void ccp_check_net_risky_ports(ccp_lint_ctx *ctx)
{
	size_t i, j, r;

	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ccp_node_get(ctx->ccs[i].root, "allowed_ports");
		long long x;

		if (!list || list->kind != CCP_NODE_SEQ)
			continue;
		for (j = 0; j < list->count; j++) {
			ccp_diag *g;

			if (ccp_node_int(list->items[j], &x) < 0)
				continue;
			for (r = 0; r < sizeof(risky) / sizeof(risky[0]); r++)
				if (risky[r].port == x)
					break;
			if (r == sizeof(risky) / sizeof(risky[0]))
				continue;
			g = ccp_lint_report(ctx, "CCP-N004", list->items[j],
					    "allowed_ports opens port %lld (%s) into the confidential VM",
					    x, risky[r].service);
			ccp_diag_set_hint(g, "a shell, desktop or management service reaches inside the CVM past attestation; remove it unless the workload needs it");
		}
	}
}

/* ---- host names ---- */

typedef struct host_set {
	ccp_strmap map;
	const char **list;   /* for suggestions */
	size_t n, cap;
	ccp_buf urls;        /* host parts cut out of URLs, NUL-separated */
} host_set;

static void host_add(host_set *h, const char *s)
{
	if (!s || !*s || ccp_strmap_put(&h->map, s, s) || h->map.failed)
		return;
	if (ccp_grow(&h->list, &h->cap, h->n + 1, sizeof(*h->list)) < 0)
		return;
	h->list[h->n++] = s;
}

static void host_add_node(host_set *h, const ccp_node *n)
{
	size_t i;

	if (!n)
		return;
	if (n->kind == CCP_NODE_SCALAR)
		host_add(h, ccp_node_str(n));
	else if (n->kind == CCP_NODE_SEQ)
		for (i = 0; i < n->count; i++)
			if (n->items[i]->kind == CCP_NODE_SCALAR)
				host_add(h, ccp_node_str(n->items[i]));
}

/*
 * Host parts of URLs in issuer args (verifier and attestation endpoints)
 * are legitimate hosts_entries too. They are copied into one buffer and
 * added once it no longer moves.
 */
static void collect_url_hosts(host_set *h, const ccp_node *n, int depth)
{
	size_t i;

	if (!n || depth > 8)
		return;
	if (n->kind == CCP_NODE_MAP) {
		for (i = 0; i < n->count; i++)
			collect_url_hosts(h, n->pairs[i].value, depth + 1);
	} else if (n->kind == CCP_NODE_SEQ) {
		for (i = 0; i < n->count; i++)
			collect_url_hosts(h, n->items[i], depth + 1);
	} else if (ccp_node_str(n) && n->stype == CCP_SCALAR_STR) {
		const char *s = n->value, *p = strstr(s, "://");
		size_t len;

		s = p ? p + 3 : s;
		len = strcspn(s, "/:?#");
		if (len && len < 254) {
			ccp_buf_put(&h->urls, s, len);
			ccp_buf_putc(&h->urls, '\0');
		}
	}
}

static void collect_hosts(const ccp_lint_ctx *ctx, host_set *h)
{
	size_t i;
	const char *p, *end;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_node *n = ctx->parts[i].node;
		const ccp_node *ct, *lh;

		if (n->kind != CCP_NODE_MAP || ctx->parts[i].ptype == CCP_PT_ADMIN)
			continue;
		if (ctx->parts[i].ptype != CCP_PT_CLIENT)
			host_add(h, ctx->parts[i].name);
		host_add_node(h, ctx->parts[i].default_host_at);
		host_add_node(h, ccp_node_get(n, "host_names"));
		ct = ccp_node_get(n, "connect_to");
		if (ct && ct->kind == CCP_NODE_SCALAR)
			host_add_node(h, ct);
		else
			host_add_node(h, ccp_node_get(ct, "host"));
		lh = ccp_node_get(n, "listening_host");
		if (lh && lh->kind == CCP_NODE_SCALAR) {
			host_add_node(h, lh);
		} else {
			host_add_node(h, ccp_node_get(lh, "host"));
			host_add_node(h, ccp_node_get(lh, "default_host"));
			host_add_node(h, ccp_node_get(lh, "host_names"));
		}
	}
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *list = ctx->ccs[i].issuers;
		size_t j;

		for (j = 0; list && j < list->count; j++)
			collect_url_hosts(h, ccp_node_get(list->items[j], "args"), 0);
	}
	if (ccp_buf_failed(&h->urls) || !h->urls.len)
		return;
	for (p = h->urls.data, end = h->urls.data + h->urls.len; p < end; p += strlen(p) + 1)
		host_add(h, p);
}

static void host_set_release(host_set *h)
{
	ccp_strmap_release(&h->map);
	free((void *)h->list);
	ccp_buf_release(&h->urls);
}

/* CCP-N005: hosts_entries for a host nothing in the project uses. */
void ccp_check_net_hosts_unknown(ccp_lint_ctx *ctx)
{
	host_set h;
	size_t i, j, hinted = 0;

	if (!ctx->root)
		return;
	memset(&h, 0, sizeof(h));
	ccp_strmap_init(&h.map, 1);
	collect_hosts(ctx, &h);
	for (i = 0; i < ctx->nccs; i++) {
		const ccp_node *he = ccp_node_get(ctx->ccs[i].root, "hosts_entries");

		if (!he || he->kind != CCP_NODE_MAP)
			continue;
		for (j = 0; j < he->count; j++) {
			const ccp_node *k = he->pairs[j].key;
			const char *sug;
			ccp_diag *g;

			if (!k->value || !*k->value || ccp_strmap_get(&h.map, k->value) ||
			    strcmp(k->value, "localhost") == 0)
				continue;
			g = ccp_lint_report(ctx, "CCP-N005", k,
					    "hosts_entries maps '%s', which no participant uses as a host name",
					    k->value);
			/* a near name is looked for among at most 1,000 host
			 * names, for the first 1,000 unknown entries: a hint
			 * costs up to a millisecond */
			sug = h.n <= 1000 && hinted++ < 1000 ?
			      ccp_suggest(k->value, h.list, h.n) : NULL;
			if (sug)
				ccp_diag_set_hint(g, "did you mean '%s'?", sug);
			else
				ccp_diag_set_hint(g, "entries are for the server's and relays' names, default_host and host_names");
		}
	}
	host_set_release(&h);
}

/* The host a client dials: its connect_to host, else the server's. */
static const ccp_node *client_target_host(const ccp_lint_ctx *ctx,
					  const ccp_lint_participant *p)
{
	const ccp_node *ct = ccp_node_get(p->node, "connect_to");
	const ccp_node *at;

	/*
	 * A client `parent` is hierarchy only: the client still dials the
	 * server. Only connect_to naming another participant (a relay)
	 * routes elsewhere.
	 */
	if (ct && ct->kind == CCP_NODE_SCALAR && ccp_node_str(ct))
		return ct;
	if (ct && ct->kind == CCP_NODE_MAP) {
		const char *name = ccp_node_get_str(ct, "name");

		if (ccp_node_get_str(ct, "host"))
			return ccp_node_get(ct, "host");
		if (name && !(ctx->server->name && strcmp(name, ctx->server->name) == 0))
			return NULL;   /* a relay */
	}
	(void)ccp_model_default_host(ctx->server, &at);
	return at;
}

/* The names hosts_entries maps, ignoring case (keys borrowed). */
static void hosts_index(ccp_strmap *out, const ccp_node *he)
{
	size_t j;

	ccp_strmap_init(out, 1);
	for (j = 0; j < he->count; j++)
		if (he->pairs[j].key->value)
			(void)ccp_strmap_put(out, he->pairs[j].key->value, he);
}

static int hosts_have(const ccp_strmap *names, const ccp_node *he,
		      const char *host)
{
	size_t j;

	if (!names->failed)
		return ccp_strmap_get(names, host) != NULL;
	for (j = 0; j < he->count; j++)   /* out of memory: the slow way */
		if (he->pairs[j].key->value &&
		    ccp_name_casecmp(he->pairs[j].key->value, host) == 0)
			return 1;
	return 0;
}

/* CCP-N006: the client manages /etc/hosts but forgot the server. */
void ccp_check_net_hosts_server(ccp_lint_ctx *ctx)
{
	enum { REPORTED = 1, INDEXED = 2 };
	unsigned char *done;    /* per cc_config */
	ccp_strmap *names;      /* per cc_config, built when a client first needs it */
	size_t i;

	if (!ctx->root || !ctx->server || ctx->server->node->kind != CCP_NODE_MAP ||
	    !ctx->nccs)
		return;
	done = calloc(ctx->nccs, 1);
	names = calloc(ctx->nccs, sizeof(*names));
	if (!done || !names)
		goto cleanup;
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *he, *target;
		const char *host;
		size_t k;
		ccp_diag *g;

		if (p->ptype != CCP_PT_CLIENT || !ccp_cc_part_loaded(p))
			continue;
		k = (size_t)(p->cc - ctx->ccs);
		he = ccp_node_get(p->cc->root, "hosts_entries");
		if ((done[k] & REPORTED) || !he || he->kind != CCP_NODE_MAP)
			continue;
		target = client_target_host(ctx, p);
		host = ccp_node_str(target);
		if (!host || strchr(host, '.') || ccp_name_is_ip(host) ||
		    strcmp(host, "localhost") == 0)
			continue;
		if (!(done[k] & INDEXED)) {
			hosts_index(&names[k], he);
			done[k] |= INDEXED;
		}
		if (hosts_have(&names[k], he, host))
			continue;
		done[k] |= REPORTED;
		g = ccp_lint_report(ctx, "CCP-N006", he,
				    "hosts_entries of client '%s' has no entry for '%s', a name public DNS cannot resolve",
				    p->name ? p->name : "?", host);
		ccp_diag_set_hint(g, "add '%s: IP' to hosts_entries, or use the server's fully qualified name", host);
		ccp_diag_add_related(g, target, "the client connects to '%s'", host);
	}
	for (i = 0; names && i < ctx->nccs; i++)
		ccp_strmap_release(&names[i]);
cleanup:
	free(names);
	free(done);
}
