/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Participant and project rules (CCP-P): what NVFlare's provisioner
 * rejects about the participant list, the relay and client hierarchy
 * and the studies, all reported in one run (NVFlare stops at the first),
 * plus the referenced files it would fail on late.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccprov/crypto.h"
#include "ccprov/names.h"
#include "ccprov/nvflare.h"
#include "checks.h"
#include "fsio.h"
#include "strmap.h"
#include "yaml_internal.h"

static const char *label(const ccp_lint_participant *p)
{
	return p->name ? p->name : "(unnamed)";
}

/* The node to point at for a participant: its name, else the entry. */
static const ccp_node *anchor(const ccp_lint_participant *p)
{
	return p->name_at ? p->name_at : p->node;
}

static const ccp_node *participants_node(const ccp_lint_ctx *ctx)
{
	const ccp_node *list = ccp_node_get(ctx->root, "participants");

	return list && list->kind == CCP_NODE_SEQ ? list : NULL;
}

/* An `edge:` section that NVFlare acts on (any non-empty value). */
static int has_edge_section(const ccp_lint_ctx *ctx)
{
	const ccp_node *e = ccp_node_get(ctx->root, "edge");
	int b;

	if (!e || ccp_node_is_null(e))
		return 0;
	if (e->kind != CCP_NODE_SCALAR)
		return e->count > 0;
	if (ccp_node_bool(e, &b) == 0)
		return b;
	return e->len > 0;
}

/* ---- CCP-P001: exactly one server ---- */

void ccp_check_server_count(ccp_lint_ctx *ctx)
{
	const ccp_node *list = participants_node(ctx);
	size_t i;
	ccp_diag *g;

	if (!list || !ctx->root)
		return;
	if (!ctx->server) {
		if (has_edge_section(ctx))
			return;  /* edge mode generates the server */
		g = ccp_lint_report(ctx, "CCP-P001", list,
				    "project has no participant of type 'server'");
		ccp_diag_set_hint(g, "add one participant with 'type: server'; every client "
				  "and admin kit points at it");
		return;
	}
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];

		if (p->ptype != CCP_PT_SERVER || p == ctx->server)
			continue;
		g = ccp_lint_report(ctx, "CCP-P001", p->type_at,
				    "participant '%s' is a second server; a project has exactly one",
				    label(p));
		ccp_diag_add_related(g, anchor(ctx->server), "first server '%s'",
				     label(ctx->server));
	}
}

/* ---- CCP-P002 / CCP-P024: edge mode ---- */

/*
 * Why NVFlare's edge mode fails on the `edge` section, or NULL. It needs
 * a mapping with integer depth 1..5, width 2..9 and clients 2..9: a
 * missing key raises, a value of another type crashes, and a value out
 * of range makes it print a line and write nothing.
 */
static const char *edge_fault(const ccp_node *e, const ccp_node **at,
			      char *buf, size_t size)
{
	static const struct { const char *key; long long min, max; } params[] = {
		{ "depth", 1, 5 }, { "width", 2, 9 }, { "clients", 2, 9 },
	};
	size_t i;

	*at = e;
	if (e->kind != CCP_NODE_MAP)
		return "it must be a mapping of depth, width and clients";
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		const ccp_node *v = ccp_node_get(e, params[i].key);
		long long x;

		if (!v) {
			*at = NULL;
			snprintf(buf, size, "it has no '%s'", params[i].key);
			return buf;
		}
		*at = v;
		if (v->kind != CCP_NODE_SCALAR || v->stype != CCP_SCALAR_INT ||
		    ccp_node_int(v, &x) < 0) {
			snprintf(buf, size, "'%s' must be an integer, not %s", params[i].key,
				 ccp_node_type_name(v));
			return buf;
		}
		if (x < params[i].min || x > params[i].max) {
			snprintf(buf, size, "'%s' is %lld; NVFlare takes %lld to %lld and "
				 "otherwise writes nothing", params[i].key, x,
				 params[i].min, params[i].max);
			return buf;
		}
	}
	return NULL;
}

void ccp_check_edge_section(ccp_lint_ctx *ctx)
{
	const ccp_node *e, *at;
	const char *why;
	char buf[160];
	ccp_diag *g;

	if (!ctx->root || !has_edge_section(ctx))
		return;
	e = ccp_node_get(ctx->root, "edge");
	if (!(why = edge_fault(e, &at, buf, sizeof(buf))))
		return;
	g = ccp_lint_report(ctx, "CCP-P024", at ? at : ccp_node_get_key(ctx->root, "edge"),
			    "'edge' switches NVFlare to edge provisioning, which fails: %s", why);
	ccp_diag_set_hint(g, "remove 'edge' to provision the participants as listed, or give "
			  "it depth (1-5), width (2-9) and clients (2-9)");
}

void ccp_check_edge_participants(ccp_lint_ctx *ctx)
{
	const ccp_node *list = participants_node(ctx);
	const ccp_node *e, *at;
	char buf[160];
	size_t i, n = 0;
	ccp_diag *g = NULL;

	if (!list || !has_edge_section(ctx))
		return;
	e = ccp_node_get(ctx->root, "edge");
	if (edge_fault(e, &at, buf, sizeof(buf)))
		return;  /* CCP-P024 */
	/* the edge provisioner creates the server, relays and clients */
	for (i = 0; i < ctx->nparts; i++)
		if (ctx->parts[i].node->kind == CCP_NODE_MAP &&
		    ctx->parts[i].ptype != CCP_PT_ADMIN)
			n++;
	if (!n)
		return;
	g = ccp_lint_report(ctx, "CCP-P002", ccp_node_get_key(ctx->root, "edge"),
			    "'edge' switches NVFlare to edge provisioning, which ignores "
			    "%zu listed participant%s that %s", n, n == 1 ? "" : "s",
			    n == 1 ? "is not an admin" : "are not admins");
	ccp_diag_set_hint(g, "edge mode generates the server, relays and clients itself; "
			  "remove 'edge' to provision the list as written");
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];

		if (p->node->kind == CCP_NODE_MAP && p->ptype != CCP_PT_ADMIN)
			ccp_diag_add_related(g, anchor(p), "'%s' is ignored", label(p));
	}
}

/* ---- CCP-P003 / CCP-P004: unique names ---- */

/*
 * Both name checks sort the participants by name (then by position), so
 * that they stay O(n log n) for projects with thousands of sites.
 */
static int by_name(const void *a, const void *b)
{
	const ccp_lint_participant *p = *(const ccp_lint_participant *const *)a;
	const ccp_lint_participant *q = *(const ccp_lint_participant *const *)b;
	int c = strcmp(p->name, q->name);

	return c ? c : (p < q ? -1 : p > q);
}

static int by_name_nocase(const void *a, const void *b)
{
	const ccp_lint_participant *p = *(const ccp_lint_participant *const *)a;
	const ccp_lint_participant *q = *(const ccp_lint_participant *const *)b;
	int c = ccp_name_casecmp(p->name, q->name);

	return c ? c : (p < q ? -1 : p > q);
}

static const ccp_lint_participant **sorted_names(ccp_lint_ctx *ctx, size_t *n,
						 int (*cmp)(const void *, const void *))
{
	const ccp_lint_participant **v = calloc(ctx->nparts + 1, sizeof(*v));
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < ctx->nparts; i++)
		if (ctx->parts[i].name)
			v[(*n)++] = &ctx->parts[i];
	qsort(v, *n, sizeof(*v), cmp);
	return v;
}

void ccp_check_duplicate_names(ccp_lint_ctx *ctx)
{
	size_t i, n, first = 0;
	const ccp_lint_participant **v = sorted_names(ctx, &n, by_name);

	for (i = 1; v && i < n; i++) {
		const ccp_lint_participant *p = v[i];
		ccp_diag *g;

		if (strcmp(p->name, v[first]->name)) {
			first = i;
			continue;
		}
		g = ccp_lint_report(ctx, "CCP-P003", anchor(p),
				    "participant name '%s' is used twice", p->name);
		ccp_diag_add_related(g, anchor(v[first]), "first used here");
		ccp_diag_set_hint(g, "names identify kits, certificates and folders; "
				  "NVFlare refuses the project");
	}
	free(v);
}

void ccp_check_names_ignoring_case(ccp_lint_ctx *ctx)
{
	size_t i, n, first = 0, other = 0;
	const ccp_lint_participant **v = sorted_names(ctx, &n, by_name_nocase);

	/*
	 * A group of names equal but for case is in file order. The earliest
	 * participant whose name differs from p's only in case is the group's
	 * first, or else (p spelt as the first) the first spelt otherwise.
	 */
	for (i = 1; v && i < n; i++) {
		const ccp_lint_participant *p = v[i];
		const ccp_lint_participant *q;
		ccp_diag *g;

		if (ccp_name_casecmp(p->name, v[first]->name)) {
			first = other = i;
			continue;
		}
		if (strcmp(p->name, v[first]->name)) {
			q = v[first];
			if (other == first)
				other = i;
		} else {
			q = other != first ? v[other] : NULL;
		}
		if (!q)
			continue;
		g = ccp_lint_report(ctx, "CCP-P004", anchor(p),
				    "participant name '%s' differs from '%s' only in case",
				    p->name, q->name);
		ccp_diag_add_related(g, anchor(q), "'%s' is here", q->name);
		ccp_diag_set_hint(g, "their kit folders collide on case-insensitive file "
				  "systems, and host names and e-mail addresses ignore case");
	}
	free(v);
}

/* ---- CCP-P005: admin role ---- */

void ccp_check_admin_role(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *role;
		ccp_diag *g;

		if (p->ptype != CCP_PT_ADMIN)
			continue;
		role = ccp_node_get(p->node, "role");
		if (role && !ccp_node_is_null(role))
			continue;  /* wrong type or value: the schema */
		g = ccp_lint_report(ctx, "CCP-P005", role ? role : anchor(p),
				    "admin '%s' has no role", label(p));
		ccp_diag_set_hint(g, "add 'role:' with project_admin, org_admin, lead or member");
	}
}

/* ---- connect_to helpers ---- */

static const char *connect_to_name(const ccp_lint_participant *p,
				   const ccp_node **at)
{
	const ccp_node *ct = ccp_node_get(p->node, "connect_to");
	const ccp_node *n = ccp_node_get(ct, "name");

	*at = n;
	return ccp_node_str(n) && n->kind == CCP_NODE_SCALAR ? n->value : NULL;
}

/* ---- CCP-P006: connect_to names a participant that can be connected to ---- */

void ccp_check_connect_to_target(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *at;
		const char *name = connect_to_name(p, &at);
		const ccp_lint_participant *t;
		ccp_diag *g;

		if (!name)
			continue;
		t = ccp_lint_find(ctx, name);
		if (!t) {
			g = ccp_lint_report(ctx, "CCP-P006", at,
					    "connect_to of '%s' names '%s', which is not a participant",
					    label(p), name);
			ccp_diag_set_hint(g, "name the server or a relay of this project");
		} else if (t == p) {
			g = ccp_lint_report(ctx, "CCP-P006", at,
					    "participant '%s' connects to itself", label(p));
			ccp_diag_set_hint(g, "name the server or a relay of this project");
		} else if (t->ptype != CCP_PT_SERVER && t->ptype != CCP_PT_RELAY) {
			g = ccp_lint_report(ctx, "CCP-P006", at,
					    "connect_to of '%s' names %s '%s'; only the server or a relay accepts connections",
					    label(p), ccp_model_type(t) ? ccp_model_type(t) : "participant", name);
			ccp_diag_add_related(g, anchor(t), "'%s' is here", name);
		}
	}
}

/* ---- CCP-P007: connect_to that names nothing ---- */

void ccp_check_connect_to_empty(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *ct = ccp_node_get(p->node, "connect_to");
		const ccp_node *name, *host;
		ccp_diag *g;

		if (!ct || ct->kind != CCP_NODE_MAP)
			continue;
		if ((p->ptype == CCP_PT_CLIENT || p->ptype == CCP_PT_ADMIN) && ct->count)
			continue;  /* CCP-P025: no fallback for them */
		name = ccp_node_get(ct, "name");
		host = ccp_node_get(ct, "host");
		if ((name && !ccp_node_is_null(name)) || (host && !ccp_node_is_null(host)))
			continue;
		g = ccp_lint_report(ctx, "CCP-P007", ct,
				    "connect_to of '%s' has neither a 'name' nor a 'host'",
				    label(p));
		ccp_diag_set_hint(g, "NVFlare then falls back to the server's default host; "
				  "add 'name' (the server or a relay) or 'host', or drop connect_to");
	}
}

/* ---- CCP-P025 / CCP-P026: the host a connect_to reaches ---- */

/* A string value, or NULL for anything Python reads as false or a
 * non-string (the schema reports the types). */
static const char *str_value(const ccp_node *n)
{
	return n && n->kind == CCP_NODE_SCALAR && n->stype == CCP_SCALAR_STR &&
	       n->len ? n->value : NULL;
}

/*
 * The host_names lists of the listeners, each put in a map the first
 * time a connect_to names that listener (many clients dial one server).
 * Without memory for it, lists are scanned.
 */
typedef struct host_index {
	ccp_strmap *maps;        /* per participant */
	unsigned char *built;
	size_t n;
} host_index;

static void host_index_init(host_index *x, size_t n)
{
	x->maps = calloc(n ? n : 1, sizeof(*x->maps));
	x->built = calloc(n ? n : 1, 1);
	x->n = n;
	if (!x->maps || !x->built) {
		free(x->maps);
		free(x->built);
		memset(x, 0, sizeof(*x));
	}
}

static void host_index_release(host_index *x)
{
	size_t i;

	for (i = 0; x->built && i < x->n; i++)
		if (x->built[i])
			ccp_strmap_release(&x->maps[i]);
	free(x->maps);
	free(x->built);
}

/* The map of the host_names sequence of listener k, or NULL. */
static const ccp_strmap *host_index_get(host_index *x, size_t k,
					const ccp_node *host_names)
{
	size_t i;

	if (!x->built || k >= x->n)
		return NULL;
	if (!x->built[k]) {
		x->built[k] = 1;
		ccp_strmap_init(&x->maps[k], 0);
		for (i = 0; i < host_names->count; i++)
			if (str_value(host_names->items[i]))
				(void)ccp_strmap_put(&x->maps[k], host_names->items[i]->value,
						     host_names->items[i]);
	}
	return x->maps[k].failed ? NULL : &x->maps[k];
}

/* Whether host is the default host or one of the host_names of listener k. */
static int listener_knows(host_index *x, size_t k, const char *host,
			  const char *default_host, const ccp_node *host_names)
{
	const ccp_strmap *m;
	size_t i;

	if (default_host && strcmp(host, default_host) == 0)
		return 1;
	if (!host_names)
		return 0;
	if (host_names->kind == CCP_NODE_SCALAR)
		return str_value(host_names) && strcmp(host_names->value, host) == 0;
	if (host_names->kind != CCP_NODE_SEQ)
		return 0;
	m = host_index_get(x, k, host_names);
	if (m)
		return ccp_strmap_get(m, host) != NULL;
	for (i = 0; i < host_names->count; i++)
		if (str_value(host_names->items[i]) &&
		    strcmp(host_names->items[i]->value, host) == 0)
			return 1;
	return 0;
}

/*
 * A client or admin whose connect_to (a non-empty mapping) leads to the
 * server takes its target host from connect_to.host alone: without one,
 * NVFlare writes the target "None:PORT" into the kit.
 */
void ccp_check_connect_to_no_host(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *ct = ccp_node_get(p->node, "connect_to");
		const ccp_node *at;
		const char *name;
		ccp_diag *g;

		if ((p->ptype != CCP_PT_CLIENT && p->ptype != CCP_PT_ADMIN) || !ct ||
		    ct->kind != CCP_NODE_MAP || !ct->count ||
		    str_value(ccp_node_get(ct, "host")))
			continue;
		name = connect_to_name(p, &at);
		if (name && (!ctx->server || !ctx->server->name ||
			     strcmp(name, ctx->server->name) != 0))
			continue;  /* a relay (or CCP-P006) */
		g = ccp_lint_report(ctx, "CCP-P025", ccp_node_get_key(p->node, "connect_to"),
				    "connect_to of '%s' leads to the server but has no 'host'; "
				    "NVFlare writes the target 'None:PORT' into its kit", label(p));
		ccp_diag_set_hint(g, "add 'host' (the server's name or one of its host_names), "
				  "or drop connect_to to connect to the server's default host");
	}
}

/* NVFlare warns when connect_to.host is not a host the target listens on. */
void ccp_check_connect_to_host_known(ccp_lint_ctx *ctx)
{
	host_index known;
	size_t i;

	host_index_init(&known, ctx->nparts);
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *ct = ccp_node_get(p->node, "connect_to");
		const ccp_node *hn = ccp_node_get(ct, "host");
		const ccp_node *at, *names;
		const ccp_lint_participant *t;
		const char *host = str_value(hn), *name, *def;
		ccp_diag *g;

		if (!host || ct->kind != CCP_NODE_MAP || !ccp_name_is_hostname(host))
			continue;  /* not a host name: CCP-S007 */
		name = connect_to_name(p, &at);
		t = name ? ccp_lint_find(ctx, name) : ctx->server;
		if (!t || !t->name || t == p)
			continue;  /* CCP-P006 */
		if (t->ptype == CCP_PT_SERVER) {
			/* a default_host of the wrong type (the schema's) is
			 * compared as if unset */
			def = ccp_model_default_host(t, &at);
			names = ccp_node_get(t->node, "host_names");
			if (!def)
				def = t->name;
		} else if (t->ptype == CCP_PT_RELAY) {
			const ccp_node *lh = ccp_node_get(t->node, "listening_host");

			if (!lh || ccp_node_is_null(lh))
				continue;  /* CCP-P008 */
			if (lh->kind == CCP_NODE_SCALAR) {
				def = str_value(lh);
				names = NULL;
			} else {
				def = str_value(ccp_node_get(lh, "default_host"));
				names = ccp_node_get(lh, "host_names");
			}
			if (!def)
				def = "localhost";
		} else {
			continue;  /* CCP-P006 */
		}
		if (listener_knows(&known, (size_t)(t - ctx->parts), host, def, names))
			continue;
		g = ccp_lint_report(ctx, "CCP-P026", hn,
				    "connect_to host '%s' of '%s' is not a host %s '%s' listens on",
				    host, label(p), t->ptype == CCP_PT_SERVER ? "server" : "relay",
				    t->name);
		ccp_diag_set_hint(g, "NVFlare only warns: its certificate names '%s'%s; add the host "
				  "to the %s's host_names if it is another name of it", def,
				  names ? " and its host_names" : "",
				  t->ptype == CCP_PT_SERVER ? "server" : "relay");
		ccp_diag_add_related(g, anchor(t), "'%s' is here", t->name);
	}
	host_index_release(&known);
}

/* ---- CCP-P008: relays listen ---- */

void ccp_check_relay_listening_host(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *lh;
		ccp_diag *g;

		if (p->ptype != CCP_PT_RELAY)
			continue;
		lh = ccp_node_get(p->node, "listening_host");
		if (lh && !ccp_node_is_null(lh) &&
		    !(lh->kind == CCP_NODE_MAP && !lh->count))
			continue;
		g = ccp_lint_report(ctx, "CCP-P008", lh ? lh : anchor(p),
				    "relay '%s' has no listening_host", label(p));
		ccp_diag_set_hint(g, "a relay accepts connections from clients and other relays; "
				  "add 'listening_host' with the host name they reach it at");
	}
}

/* ---- the hierarchy: relays follow connect_to.name, clients `parent` ---- */

/* The participant p hangs under, or NULL for the server / undefined. */
static const ccp_lint_participant *up(ccp_lint_ctx *ctx,
				     const ccp_lint_participant *p)
{
	const ccp_lint_participant *t = NULL;
	const ccp_node *at;

	if (p->ptype == CCP_PT_RELAY) {
		t = ccp_lint_find(ctx, connect_to_name(p, &at));
		return t && t->ptype == CCP_PT_RELAY ? t : NULL;
	}
	if (p->ptype == CCP_PT_CLIENT) {
		t = ccp_lint_find(ctx, ccp_node_get_str(p->node, "parent"));
		return t && t->ptype == CCP_PT_CLIENT ? t : NULL;
	}
	return NULL;
}

/* ---- CCP-P009: a client's parent is defined ---- */

void ccp_check_parent_defined(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *v;
		const ccp_lint_participant *t;
		ccp_diag *g;

		if (p->ptype != CCP_PT_CLIENT)
			continue;
		v = ccp_node_get(p->node, "parent");
		if (!ccp_node_str(v) || v->kind != CCP_NODE_SCALAR)
			continue;
		if (ctx->server && ctx->server->name &&
		    strcmp(v->value, ctx->server->name) == 0)
			continue;
		t = ccp_lint_find(ctx, v->value);
		if (t && t->ptype == CCP_PT_CLIENT)
			continue;
		if (!t) {
			g = ccp_lint_report(ctx, "CCP-P009", v,
					    "parent '%s' of client '%s' is not a participant",
					    v->value, label(p));
		} else {
			g = ccp_lint_report(ctx, "CCP-P009", v,
					    "parent '%s' of client '%s' is %s %s, not a client",
					    v->value, label(p),
					    t->ptype == CCP_PT_ADMIN ? "an" : "a",
					    ccp_model_type(t) ? ccp_model_type(t) : "participant");
			ccp_diag_add_related(g, anchor(t), "'%s' is here", v->value);
		}
		ccp_diag_set_hint(g, "a client's parent is another client or the server");
	}
}

/* ---- CCP-P010: no cycles ---- */

enum { ON_NONE, ON_CYCLE, ON_REPORTED };

/*
 * Mark the participants that lie on a cycle of up(). Each walk stops at
 * the first participant an earlier walk reached, so every participant is
 * visited a bounded number of times (a walk per participant would be
 * quadratic on a long chain). Returns NULL out of memory.
 */
static unsigned char *cycle_marks(ccp_lint_ctx *ctx)
{
	size_t n = ctx->nparts, i, j, *next = malloc((n ? n : 1) * sizeof(*next));
	unsigned char *seen = calloc(n ? n : 1, 1);     /* 1 walking, 2 done */
	unsigned char *mark = calloc(n ? n : 1, 1);

	if (!next || !seen || !mark) {
		free(mark);
		mark = NULL;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		const ccp_lint_participant *q = up(ctx, &ctx->parts[i]);

		next[i] = q ? (size_t)(q - ctx->parts) : SIZE_MAX;
	}
	for (i = 0; i < n; i++) {
		for (j = i; j != SIZE_MAX && !seen[j]; j = next[j])
			seen[j] = 1;
		if (j != SIZE_MAX && seen[j] == 1)   /* back on this walk */
			do {
				mark[j] = ON_CYCLE;
				j = next[j];
			} while (!mark[j]);
		for (j = i; j != SIZE_MAX && seen[j] == 1; j = next[j])
			seen[j] = 2;
	}
cleanup:
	free(next);
	free(seen);
	return mark;
}

void ccp_check_parent_cycle(ccp_lint_ctx *ctx)
{
	unsigned char *mark = cycle_marks(ctx);
	size_t i;

	for (i = 0; mark && i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i], *q;
		ccp_diag *g;
		const ccp_node *at;

		if (mark[i] != ON_CYCLE)
			continue;
		/* report each cycle once, at its first member in the file */
		for (q = up(ctx, p); q != p; q = up(ctx, q))
			mark[q - ctx->parts] = ON_REPORTED;
		mark[i] = ON_REPORTED;
		if (p->ptype == CCP_PT_RELAY && up(ctx, p) == p)
			continue;  /* a relay naming itself: CCP-P006 */
		if (p->ptype == CCP_PT_RELAY)
			connect_to_name(p, &at);
		else
			at = ccp_node_get(p->node, "parent");
		g = ccp_lint_report(ctx, "CCP-P010", at,
				    "%s '%s' is its own ancestor through %s",
				    ccp_model_type(p), label(p),
				    p->ptype == CCP_PT_RELAY ? "connect_to" : "parent");
		for (q = up(ctx, p); q != p; q = up(ctx, q))
			ccp_diag_add_related(g, anchor(q), "'%s' is on the cycle", label(q));
		ccp_diag_set_hint(g, "the chain must end at the server");
	}
	free(mark);
}

/* ---- CCP-P011: parent on a participant that does not use it ---- */

void ccp_check_parent_ignored(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		const ccp_node *k = ccp_node_get_key(p->node, "parent");
		ccp_diag *g;

		if (!k || p->ptype == CCP_PT_CLIENT || p->ptype == CCP_PT_OTHER)
			continue;
		g = ccp_lint_report(ctx, "CCP-P011", k,
				    "'parent' of %s '%s' is ignored",
				    ccp_model_type(p), label(p));
		if (p->ptype == CCP_PT_RELAY)
			ccp_diag_set_hint(g, "a relay's parent is the relay or server its "
					  "'connect_to' names");
		else
			ccp_diag_set_hint(g, "only clients form a hierarchy through 'parent'");
	}
}

/* ---- CCP-P012: custom_ca_cert exists and holds CA certificates ---- */

static void check_ca_file(ccp_lint_ctx *ctx, const ccp_node *v, const char *owner)
{
	struct stat st;
	char *path, *near = NULL;
	ccp_diag *g = NULL;

	if (!ccp_node_str(v) || v->kind != CCP_NODE_SCALAR || !v->len)
		return;
	path = ccp_lint_resolve(ctx->project_dir, v->value);
	if (!path)
		return;
	errno = 0;
	if (stat(path, &st) < 0)
		g = ccp_lint_report(ctx, "CCP-P012", v,
				    "custom_ca_cert '%s' of %s does not exist", v->value, owner);
	else if (!S_ISREG(st.st_mode))
		g = ccp_lint_report(ctx, "CCP-P012", v,
				    "custom_ca_cert '%s' of %s is not a file", v->value, owner);
	else if (access(path, R_OK) < 0)
		g = ccp_lint_report(ctx, "CCP-P012", v,
				    "custom_ca_cert '%s' of %s cannot be read", v->value, owner);
	if (g && errno == ENOENT && (near = ccp_path_nearest(path)) != NULL)
		ccp_diag_set_hint(g, "did you mean '%s'? it is in the same folder; relative "
				  "paths are taken from project.yml's folder ('%s')", near,
				  ctx->project_dir);
	else
		ccp_diag_set_hint(g, "NVFlare copies this PEM file into the kit; relative paths "
				  "are taken from project.yml's folder ('%s')", ctx->project_dir);
	free(near);
	if (!g) {
		/* Every server and client kit trusts it for TLS, and the
		 * copy is readable by anyone: CA certificates only. */
		ccp_error e = { 0, "" };

		if (ccp_cert_check_ca_file(path, &e) < 0) {
			g = ccp_lint_report(ctx, "CCP-P012", v,
					    "custom_ca_cert '%s' of %s is not a CA certificate "
					    "file: %s", v->value, owner, e.message);
			ccp_diag_set_hint(g, "give the PEM certificate(s) of the CA the site "
					  "should trust, each with basicConstraints CA:TRUE; "
					  "never a private key");
		}
	}
	free(path);
}

void ccp_check_custom_ca_cert(ccp_lint_ctx *ctx)
{
	char owner[300];
	size_t i;

	if (ctx->opts->no_file_checks || !ctx->root)
		return;
	check_ca_file(ctx, ccp_node_get(ctx->root, "custom_ca_cert"), "the project");
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_node *ca = ccp_node_get(ctx->parts[i].node, "custom_ca_cert");

		if (!ca)
			continue;
		snprintf(owner, sizeof(owner), "'%.256s'", label(&ctx->parts[i]));
		check_ca_file(ctx, ca, owner);
	}
}

/* ---- studies ---- */

static const ccp_node *studies_node(const ccp_lint_ctx *ctx)
{
	const ccp_node *s = ccp_node_get(ctx->root, "studies");

	return s && s->kind == CCP_NODE_MAP ? s : NULL;
}

/* ---- CCP-P013: studies need api_version 4 ---- */

void ccp_check_studies_version(ccp_lint_ctx *ctx)
{
	const ccp_node *k = ccp_node_get_key(ctx->root, "studies");
	const ccp_node *v = ccp_node_get(ctx->root, "studies");
	const ccp_node *ver = ccp_node_get(ctx->root, "api_version");
	long long x;
	ccp_diag *g;

	/* A line without studies ignores them: CCP-P023 says so. */
	if (!k || ccp_node_is_null(v) ||
	    !ccp_nvf_release_of(ctx->opts->line)->has_studies)
		return;
	if (ver && ccp_node_int(ver, &x) == 0 && x == 4)
		return;
	if (ver && ccp_node_int(ver, &x) == 0 && x != 3)
		return;  /* out of range: the schema says so */
	g = ccp_lint_report(ctx, "CCP-P013", k, "'studies' needs api_version 4");
	ccp_diag_add_related(g, ver, "api_version is set here");
	ccp_diag_set_hint(g, "set 'api_version: 4', or remove 'studies'");
}

/* ---- CCP-P014: reserved study name ---- */

void ccp_check_study_reserved(ccp_lint_ctx *ctx)
{
	const ccp_node *s = studies_node(ctx);
	size_t i;

	for (i = 0; s && i < s->count; i++) {
		ccp_diag *g;

		if (strcmp(s->pairs[i].key->value, "default"))
			continue;
		g = ccp_lint_report(ctx, "CCP-P014", s->pairs[i].key,
				    "study name 'default' is reserved");
		ccp_diag_set_hint(g, "NVFlare puts every job without a study into 'default'; "
				  "choose another name");
	}
}

typedef void (*study_site_fn)(ccp_lint_ctx *ctx, const char *study,
			      const ccp_node *org_key, const ccp_node *site,
			      const ccp_node *list_start);

static const ccp_node *study_field(const ccp_node *study, const char *key,
				   ccp_node_kind kind)
{
	const ccp_node *v = ccp_node_get(study, key);

	return v && v->kind == kind ? v : NULL;
}

static int is_name(const ccp_node *n)
{
	return n && n->kind == CCP_NODE_SCALAR && ccp_node_str(n);
}

/* The orgs participants belong to, for has_org (keys borrowed). */
static void org_set(const ccp_lint_ctx *ctx, ccp_strmap *out)
{
	size_t i;

	ccp_strmap_init(out, 0);
	for (i = 0; i < ctx->nparts; i++) {
		const char *o = ccp_model_org(&ctx->parts[i]);

		if (o)
			(void)ccp_strmap_put(out, o, o);
	}
}

static int has_org(const ccp_strmap *orgs, const char *org)
{
	return ccp_strmap_get(orgs, org) != NULL;
}

/* ---- CCP-P015: study references orgs, clients and admins that exist ---- */

static void unknown_ref(ccp_lint_ctx *ctx, const char *study, const ccp_node *n,
			const char *what, ccp_ptype want)
{
	const ccp_lint_participant *t = ccp_lint_find(ctx, n->value);
	ccp_diag *g;

	if (t && t->ptype == want)
		return;
	if (!t) {
		g = ccp_lint_report(ctx, "CCP-P015", n,
				    "study '%s' names %s '%s', which is not a participant",
				    study, what, n->value);
	} else {
		g = ccp_lint_report(ctx, "CCP-P015", n,
				    "study '%s' lists '%s' as %s, but it is %s %s",
				    study, n->value, what,
				    t->ptype == CCP_PT_ADMIN ? "an" : "a",
				    ccp_model_type(t) ? ccp_model_type(t) : "participant");
		ccp_diag_add_related(g, anchor(t), "'%s' is here", n->value);
	}
}

void ccp_check_study_refs(ccp_lint_ctx *ctx)
{
	const ccp_node *s = studies_node(ctx);
	ccp_strmap orgset;
	size_t i, o, j;

	org_set(ctx, &orgset);
	for (i = 0; s && i < s->count; i++) {
		const char *study = s->pairs[i].key->value;
		const ccp_node *st = s->pairs[i].value;
		const ccp_node *orgs = study_field(st, "site_orgs", CCP_NODE_MAP);
		const ccp_node *admins = study_field(st, "admins", CCP_NODE_SEQ);

		for (o = 0; orgs && o < orgs->count; o++) {
			const ccp_node *ok = orgs->pairs[o].key;
			const ccp_node *sites = orgs->pairs[o].value;

			if (!has_org(&orgset, ok->value)) {
				ccp_diag *g = ccp_lint_report(ctx, "CCP-P015", ok,
							      "study '%s' names org '%s', which no participant belongs to",
							      study, ok->value);

				ccp_diag_set_hint(g, "site_orgs maps an org of this project to its clients "
						  "in the study");
			}
			if (!sites || sites->kind != CCP_NODE_SEQ)
				continue;
			for (j = 0; j < sites->count; j++)
				if (is_name(sites->items[j]))
					unknown_ref(ctx, study, sites->items[j], "client",
						    CCP_PT_CLIENT);
		}
		for (j = 0; admins && j < admins->count; j++)
			if (is_name(admins->items[j]))
				unknown_ref(ctx, study, admins->items[j], "admin", CCP_PT_ADMIN);
	}
	ccp_strmap_release(&orgset);
}

/* ---- CCP-P016: a client under its own org ---- */

void ccp_check_study_client_org(ccp_lint_ctx *ctx)
{
	const ccp_node *s = studies_node(ctx);
	ccp_strmap orgset;
	size_t i, o, j;

	org_set(ctx, &orgset);
	for (i = 0; s && i < s->count; i++) {
		const ccp_node *orgs = study_field(s->pairs[i].value, "site_orgs", CCP_NODE_MAP);

		for (o = 0; orgs && o < orgs->count; o++) {
			const ccp_node *sites = orgs->pairs[o].value;
			const char *org = orgs->pairs[o].key->value;

			if (!sites || sites->kind != CCP_NODE_SEQ || !has_org(&orgset, org))
				continue;  /* an unknown org: CCP-P015 */
			for (j = 0; j < sites->count; j++) {
				const ccp_lint_participant *t;
				ccp_diag *g;

				if (!is_name(sites->items[j]))
					continue;
				t = ccp_lint_find(ctx, sites->items[j]->value);
				if (!t || t->ptype != CCP_PT_CLIENT || !ccp_model_org(t) ||
				    strcmp(ccp_model_org(t), org) == 0)
					continue;
				g = ccp_lint_report(ctx, "CCP-P016", sites->items[j],
						    "study '%s' lists client '%s' under org '%s', but it belongs to '%s'",
						    s->pairs[i].key->value, t->name, org, ccp_model_org(t));
				ccp_diag_add_related(g, t->org_at,
						     "org of '%s'", t->name);
				ccp_diag_set_hint(g, "move it to the list of org '%s'", ccp_model_org(t));
			}
		}
	}
	ccp_strmap_release(&orgset);
}

/* ---- CCP-P017 / CCP-P018: listed once ---- */

void ccp_check_study_duplicate_client(ccp_lint_ctx *ctx)
{
	const ccp_node *s = studies_node(ctx);
	size_t i, o, j;

	for (i = 0; s && i < s->count; i++) {
		const ccp_node *orgs = study_field(s->pairs[i].value, "site_orgs", CCP_NODE_MAP);
		ccp_strmap seen;    /* client name -> where the study first lists it */

		ccp_strmap_init(&seen, 0);
		for (o = 0; orgs && o < orgs->count; o++) {
			const ccp_node *sites = orgs->pairs[o].value;

			if (!sites || sites->kind != CCP_NODE_SEQ)
				continue;
			for (j = 0; j < sites->count; j++) {
				const ccp_node *n = sites->items[j], *first;
				ccp_diag *g;

				if (!is_name(n) || !(first = ccp_strmap_put(&seen, n->value, n)))
					continue;
				g = ccp_lint_report(ctx, "CCP-P017", n,
						    "study '%s' lists client '%s' twice",
						    s->pairs[i].key->value, n->value);
				ccp_diag_add_related(g, first, "first listed here");
			}
		}
		ccp_strmap_release(&seen);
	}
}

void ccp_check_study_duplicate_admin(ccp_lint_ctx *ctx)
{
	const ccp_node *s = studies_node(ctx);
	size_t i, j;

	for (i = 0; s && i < s->count; i++) {
		const ccp_node *admins = study_field(s->pairs[i].value, "admins", CCP_NODE_SEQ);
		ccp_strmap seen;    /* admin name -> where the study first lists it */

		ccp_strmap_init(&seen, 0);
		for (j = 0; admins && j < admins->count; j++) {
			const ccp_node *n = admins->items[j], *first;
			ccp_diag *g;

			if (!is_name(n) || !(first = ccp_strmap_put(&seen, n->value, n)))
				continue;
			g = ccp_lint_report(ctx, "CCP-P018", n,
					    "study '%s' lists admin '%s' twice",
					    s->pairs[i].key->value, n->value);
			ccp_diag_add_related(g, first, "first listed here");
			ccp_diag_set_hint(g, "NVFlare drops the repeat; remove it");
		}
		ccp_strmap_release(&seen);
	}
}

/* ---- CCP-P019: a site named 'server' ---- */

void ccp_check_site_named_server(ccp_lint_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nparts; i++) {
		const ccp_lint_participant *p = &ctx->parts[i];
		ccp_diag *g;

		if ((p->ptype != CCP_PT_CLIENT && p->ptype != CCP_PT_RELAY) ||
		    !p->name || strcmp(p->name, "server"))
			continue;
		g = ccp_lint_report(ctx, "CCP-P019", anchor(p),
				    "%s name 'server' is the name NVFlare gives the server",
				    ccp_model_type(p));
		ccp_diag_set_hint(g, "the server is addressed as 'server' in cell routing and "
				  "in the CC manager's list of sites; rename this %s", ccp_model_type(p));
	}
}

/* ---- CCP-P020: relative paths NVFlare resolves against the current directory ---- */

static void check_cwd_path(ccp_lint_ctx *ctx, const ccp_node *v, const char *key,
			   const char *cwd_real, const char *dir_real)
{
	const char *a, *b;
	char *from_dir;
	int other;
	ccp_diag *g;

	if (!ccp_node_str(v) || v->kind != CCP_NODE_SCALAR || !v->len ||
	    v->value[0] == '/' || v->value[0] == '~')
		return;
	/*
	 * Only a real ambiguity is reported: a file of that name exists in
	 * the current directory and is not the one next to project.yml, so
	 * NVFlare run from here would silently read another cc_config.
	 */
	b = ccp_lint_realpath(ctx, v->value);
	if (!b)
		return;
	from_dir = ccp_lint_resolve(ctx->project_dir, v->value);
	a = from_dir ? ccp_lint_realpath(ctx, from_dir) : NULL;
	other = !(a && strcmp(a, b) == 0);
	free(from_dir);
	if (!other)
		return;
	g = ccp_lint_report(ctx, "CCP-P020", v,
			    "relative %s '%s' names another file when NVFlare runs from "
			    "the current directory", key, v->value);
	ccp_diag_set_hint(g, "NVFlare would read '%s'; ccprov reads it from '%s'. Run "
			  "'nvflare provision' from '%s' or write an absolute path",
			  b, dir_real, dir_real);
	(void)cwd_real;
}

void ccp_check_cwd_relative(ccp_lint_ctx *ctx)
{
	const char *cwd = ccp_cwd();
	char dir[PATH_MAX];
	size_t i;

	if (!ctx->root || !cwd || !ccp_realpath(ctx->project_dir, dir) ||
	    strcmp(cwd, dir) == 0)
		return;
	check_cwd_path(ctx, ccp_node_get(ctx->root, "custom_ca_cert"), "custom_ca_cert",
		       cwd, dir);
	for (i = 0; i < ctx->nparts; i++) {
		const ccp_node *n = ctx->parts[i].node;

		/* cc_ref: the cc_config when it is a scalar, the only kind checked */
		check_cwd_path(ctx, ctx->parts[i].cc_ref, "cc_config", cwd, dir);
		check_cwd_path(ctx, ccp_node_get(n, "custom_ca_cert"), "custom_ca_cert",
			       cwd, dir);
	}
}
