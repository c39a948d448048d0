/* SPDX-License-Identifier: Apache-2.0 */
/*
 * StaticFileBuilder: every participant's startup configuration
 * (fed_server.json, fed_client.json, fed_admin.json, fed_relay.json),
 * scripts, local/ defaults and readme, with the semantics of the NVFlare
 * release line the run is for (cfg->rel; docs/nvflare-lines.md).
 */
#include "build_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The name NVFlare's runtime looks for in startup/, and a bound on what
 * is copied there (CA bundles are a few hundred KiB). */
#define CUSTOM_CA_FILE "customRootCA.pem"
#define CUSTOM_CA_MAX (4u << 20)

static const char *conn_sec(const ccp_kit_participant *q)
{
	return q->connection_security ? q->connection_security :
	       CCP_NVF_CONN_SECURITY;
}

/* use_aio maps the builtin schemes to their asyncio drivers. */
static const char *site_scheme(const ccp_kit_participant *q,
			       const ccp_prov_cfg *cfg)
{
	if (q->use_aio) {
		if (strcmp(cfg->scheme, "grpc") == 0)
			return "agrpc";
		if (strcmp(cfg->scheme, "tcp") == 0)
			return "atcp";
	}
	return cfg->scheme;
}

static const char *server_host(const ccp_kit_participant *s)
{
	return s->default_host ? s->default_host : s->name;
}

/*
 * Where a client or admin connects (NVFlare's connection target). Its
 * connect_to, when it leads to the server (no name, or the server's
 * name), gives the host: a string is the host itself, a mapping may
 * carry host and port. Otherwise the server's default host is used. A
 * port given by connect_to replaces the server's port (*port stays 0
 * when there is none). NVFlare writes "None" for a mapping without a
 * host; the default host is what such a project means.
 */
static void connect_target(const ccp_kit_participant *s,
			   const ccp_kit_participant *q, const char **host,
			   long long *port)
{
	const ccp_json *ct = q->props ? ccp_json_get(q->props, "connect_to") : NULL;
	const char *name, *h;
	long long n;

	*host = server_host(s);
	*port = 0;
	if (ct && ct->type == CCP_JSON_STRING) {
		if (ct->text[0])
			*host = ct->text;
		return;
	}
	if (!ct || ct->type != CCP_JSON_OBJECT)
		return;
	name = ccp_json_str(ccp_json_get(ct, "name"));
	h = ccp_json_str(ccp_json_get(ct, "host"));
	if ((!name || strcmp(name, s->name) == 0) && h && h[0])
		*host = h;
	if (ccp_json_int(ccp_json_get(ct, "port"), &n) == 0 && n > 0 &&
	    n <= 65535)
		*port = n;
}

/* The client named by q's parent, or NULL (none, or the server). */
static const ccp_kit_participant *parent_client(const ccp_kit_project *p,
						const ccp_kit_participant *q)
{
	const char *name = q->props ?
			   ccp_json_str(ccp_json_get(q->props, "parent")) : NULL;
	size_t i;

	for (i = 0; name && i < p->n_participants; i++)
		if (p->participants[i].type == CCP_PT_CLIENT &&
		    &p->participants[i] != q &&
		    strcmp(p->participants[i].name, name) == 0)
			return &p->participants[i];
	return NULL;
}

/* Does any client name c as its parent? */
static int has_children(const ccp_kit_project *p,
			const ccp_kit_participant *c)
{
	size_t i;

	for (i = 0; i < p->n_participants; i++)
		if (p->participants[i].type == CCP_PT_CLIENT &&
		    parent_client(p, &p->participants[i]) == c)
			return 1;
	return 0;
}

/*
 * Fully qualified site name: the client's ancestors' names, outermost
 * first, joined with dots ("site-1.site-3"). Lint refuses undefined
 * and circular parents; the walk is bounded all the same.
 */
static void fqsn(ccp_buf *out, const ccp_kit_project *p,
		 const ccp_kit_participant *c)
{
	const ccp_kit_participant *chain[64];
	size_t n = 0;

	for (; c && n < sizeof(chain) / sizeof(chain[0]);
	     c = parent_client(p, c))
		chain[n++] = c;
	while (n--)
		ccp_buf_printf(out, "%s%s", chain[n]->name, n ? "." : "");
}

/* The identity q's certificate is checked against: its name unless
 * auth_identity says otherwise. */
static const char *auth_identity(const ccp_prov_cfg *cfg,
				 const ccp_kit_participant *q)
{
	/* Released lines ignore it: their kits name the participant. */
	if (!cfg->rel->has_auth_identity)
		return q->name;
	return q->auth_identity ? q->auth_identity : q->name;
}

/*
 * auth_identity_map, as NVFlare writes it into fed_server.json and
 * every fed_client.json: each client (its FQCN is its name, relays
 * being refused) whose auth_identity differs from its name, mapped to
 * that identity. Empty when no client sets one.
 */
static ccp_json *auth_identity_map(jb *b, const ccp_prov_cfg *cfg,
				   const ccp_kit_project *p)
{
	ccp_json *map = jobj(b);
	size_t i;

	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *c = &p->participants[i];

		if (c->type == CCP_PT_CLIENT &&
		    strcmp(auth_identity(cfg, c), c->name) != 0)
			jb_set(b, map, c->name, jstr(b, auth_identity(cfg, c)));
	}
	return map;
}

/* After connection_security: q's own auth_identity when it is not its
 * name, then the project's map when there is one (NVFlare omits both
 * otherwise, so kits of projects without auth_identity are as before). */
static void add_auth_identity(jb *b, ccp_json *obj, const ccp_prov_cfg *cfg,
			      const ccp_kit_project *p,
			      const ccp_kit_participant *q)
{
	ccp_json *map = auth_identity_map(b, cfg, p);

	if (strcmp(auth_identity(cfg, q), q->name) != 0)
		jb_set(b, obj, "auth_identity", jstr(b, auth_identity(cfg, q)));
	if (map && map->count)
		jb_set(b, obj, "auth_identity_map", map);
	else
		ccp_json_free(map);
}

/*
 * Before 2.8 the runtime finds the server through a DummyOverseerAgent
 * whose sp_end_point is HOST:FED_LEARN_PORT:ADMIN_PORT, and a client's
 * service carries no target.
 */
static void add_overseer(jb *b, ccp_json *doc, const char *host,
			 long long fl_port, long long admin_port)
{
	ccp_json *agent = jobj(b), *args = jobj(b);
	ccp_buf sp = CCP_BUF_INIT;

	ccp_buf_printf(&sp, "%s:%lld:%lld", host, fl_port, admin_port);
	if (ccp_buf_failed(&sp))
		b->failed = 1;
	jb_set(b, agent, "path", jstr(b, CCP_NVF_OVERSEER_AGENT));
	jb_set(b, args, "sp_end_point", jstr(b, ccp_buf_cstr(&sp)));
	jb_set(b, agent, "args", args);
	jb_set(b, doc, "overseer_agent", agent);
	ccp_buf_release(&sp);
}

static int fed_server_json(ccp_json **out, const ccp_kit_project *p,
			   const ccp_kit_participant *s,
			   const ccp_prov_cfg *cfg, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *servers = jarr(&b), *srv = jobj(&b);
	ccp_json *svc = jobj(&b);
	ccp_buf target = CCP_BUF_INIT;

	ccp_buf_printf(&target, "%s:%d", s->name, s->fed_learn_port);
	jb_set(&b, doc, "format_version", jint(&b, 2));
	if (cfg->require_signed_jobs >= 0)
		jb_set(&b, doc, "require_signed_jobs",
		       jb_check(&b, ccp_json_new_bool(cfg->require_signed_jobs)));
	jb_set(&b, srv, "name", jstr(&b, p->name));
	jb_set(&b, svc, "target", jstr(&b, ccp_buf_cstr(&target)));
	jb_set(&b, svc, "scheme", jstr(&b, site_scheme(s, cfg)));
	jb_set(&b, srv, "service", svc);
	jb_set(&b, srv, "admin_server", jstr(&b, s->name));
	jb_set(&b, srv, "admin_port", jint(&b, s->admin_port));
	jb_set(&b, srv, "ssl_private_key", jstr(&b, "server.key"));
	jb_set(&b, srv, "ssl_cert", jstr(&b, "server.crt"));
	jb_set(&b, srv, "ssl_root_cert", jstr(&b, "rootCA.pem"));
	jb_set(&b, srv, "connection_security", jstr(&b, conn_sec(s)));
	add_auth_identity(&b, srv, cfg, p, s);
	jb_add(&b, servers, srv);
	jb_set(&b, doc, "servers", servers);
	if (cfg->rel->overseer_agent)
		add_overseer(&b, doc, s->name, s->fed_learn_port, s->admin_port);
	if (ccp_buf_failed(&target))
		b.failed = 1;
	ccp_buf_release(&target);
	return jb_finish(&b, doc, out, err);
}

static int fed_client_json(ccp_json **out, const ccp_kit_project *p,
			   const ccp_kit_participant *s,
			   const ccp_kit_participant *c,
			   const ccp_prov_cfg *cfg, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *servers = jarr(&b), *srv = jobj(&b);
	ccp_json *svc = jobj(&b), *cl = jobj(&b);
	ccp_buf target = CCP_BUF_INIT, name = CCP_BUF_INIT;
	const char *host;
	long long port;

	/* The server's default host and port unless connect_to says
	 * otherwise. */
	connect_target(s, c, &host, &port);
	ccp_buf_printf(&target, "%s:%lld", host,
		       port ? port : (long long)s->fed_learn_port);
	fqsn(&name, p, c);
	jb_set(&b, doc, "format_version", jint(&b, 2));
	if (cfg->require_signed_jobs >= 0)
		jb_set(&b, doc, "require_signed_jobs",
		       jb_check(&b, ccp_json_new_bool(cfg->require_signed_jobs)));
	jb_set(&b, srv, "name", jstr(&b, p->name));
	if (!cfg->rel->overseer_agent)
		jb_set(&b, svc, "target", jstr(&b, ccp_buf_cstr(&target)));
	jb_set(&b, svc, "scheme", jstr(&b, site_scheme(c, cfg)));
	jb_set(&b, srv, "service", svc);
	jb_set(&b, srv, "identity", jstr(&b, auth_identity(cfg, s)));
	jb_add(&b, servers, srv);
	jb_set(&b, doc, "servers", servers);
	jb_set(&b, cl, "ssl_private_key", jstr(&b, "client.key"));
	jb_set(&b, cl, "ssl_cert", jstr(&b, "client.crt"));
	jb_set(&b, cl, "ssl_root_cert", jstr(&b, "rootCA.pem"));
	jb_set(&b, cl, "fqsn", jstr(&b, ccp_buf_cstr(&name)));
	/* A client that is some client's parent is not a leaf. */
	jb_set(&b, cl, "is_leaf",
	       jb_check(&b, ccp_json_new_bool(!has_children(p, c))));
	jb_set(&b, cl, "connection_security", jstr(&b, conn_sec(c)));
	add_auth_identity(&b, cl, cfg, p, c);
	jb_set(&b, doc, "client", cl);
	if (cfg->rel->overseer_agent)
		add_overseer(&b, doc, host, port ? port : (long long)s->fed_learn_port,
			     s->admin_port);
	if (ccp_buf_failed(&target) || ccp_buf_failed(&name))
		b.failed = 1;
	ccp_buf_release(&target);
	ccp_buf_release(&name);
	return jb_finish(&b, doc, out, err);
}

static int fed_admin_json(ccp_json **out, const ccp_kit_project *p,
			  const ccp_kit_participant *s,
			  const ccp_kit_participant *a,
			  const ccp_prov_cfg *cfg, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *adm = jobj(&b);
	const char *host;
	long long port;

	/* The admin port, unless the admin's connect_to gives a port. */
	connect_target(s, a, &host, &port);
	jb_set(&b, doc, "format_version", jint(&b, 1));
	jb_set(&b, adm, "project_name", jstr(&b, p->name));
	jb_set(&b, adm, "username", jstr(&b, a->name));
	jb_set(&b, adm, "server_identity", jstr(&b, auth_identity(cfg, s)));
	jb_set(&b, adm, "scheme", jstr(&b, cfg->scheme));
	jb_set(&b, adm, "host", jstr(&b, host));
	jb_set(&b, adm, "port", jint(&b, port ? port : s->admin_port));
	jb_set(&b, adm, "connection_security", jstr(&b, conn_sec(a)));
	jb_set(&b, adm, "uid_source", jstr(&b, "user_input"));
	jb_set(&b, adm, "with_file_transfer", jb_check(&b, ccp_json_new_bool(1)));
	jb_set(&b, adm, "upload_dir", jstr(&b, "transfer"));
	jb_set(&b, adm, "download_dir", jstr(&b, "transfer"));
	jb_set(&b, adm, "client_key", jstr(&b, "client.key"));
	jb_set(&b, adm, "client_cert", jstr(&b, "client.crt"));
	jb_set(&b, adm, "ca_cert", jstr(&b, "rootCA.pem"));
	jb_set(&b, doc, "admin", adm);
	return jb_finish(&b, doc, out, err);
}

/* Admins listed once each, first occurrence kept. */
static ccp_json *dedup_strings(jb *b, const ccp_json *arr)
{
	ccp_json *out = jarr(b);
	size_t i, j;

	for (i = 0; out && arr && arr->type == CCP_JSON_ARRAY && i < arr->count; i++) {
		for (j = 0; j < out->count; j++)
			if (ccp_json_equal(out->items[j], arr->items[i]))
				break;
		if (j == out->count)
			jb_add(b, out, jb_check(b, ccp_json_clone(arr->items[i])));
	}
	return out;
}

static int study_registry_json(ccp_json **out, const ccp_json *studies,
			       ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *all = jobj(&b);
	size_t i;

	jb_set(&b, doc, "format_version", jstr(&b, "1.0"));
	for (i = 0; i < studies->count; i++) {
		const ccp_json *st = studies->items[i];
		ccp_json *entry = jobj(&b);
		const ccp_json *v;

		if (st && st->type == CCP_JSON_OBJECT) {
			v = ccp_json_get(st, "site_orgs");
			if (v)
				jb_set(&b, entry, "site_orgs",
				       jb_check(&b, ccp_json_clone(v)));
			v = ccp_json_get(st, "admins");
			if (v)
				jb_set(&b, entry, "admins", dedup_strings(&b, v));
		}
		jb_set(&b, all, studies->keys[i], entry);
	}
	jb_set(&b, doc, "studies", all);
	return jb_finish(&b, doc, out, err);
}

/* ---- listeners, connect_to and relays ---- */

/* A listening_host as NVFlare resolves it: scheme tcp, any port (0),
 * connection security clear, and a default host of the server's own
 * default host on a server, else localhost. */
typedef struct listener {
	const char *scheme;
	const char *host;
	long long port;
	const char *conn_sec;
} listener;

static int listener_of(listener *out, const ccp_kit_participant *q)
{
	const ccp_json *lh = q->props ? ccp_json_get(q->props, "listening_host") : NULL;
	const char *v;
	long long n;

	out->scheme = "tcp";
	out->host = NULL;
	out->port = 0;
	out->conn_sec = "clear";
	if (!lh || (lh->type == CCP_JSON_STRING && !lh->text[0]) ||
	    (lh->type != CCP_JSON_STRING && lh->type != CCP_JSON_OBJECT))
		return 0;
	if (lh->type == CCP_JSON_STRING) {
		out->host = lh->text;
	} else {
		v = ccp_json_str(ccp_json_get(lh, "scheme"));
		if (v && v[0])
			out->scheme = v;
		out->host = ccp_json_str(ccp_json_get(lh, "default_host"));
		v = ccp_json_str(ccp_json_get(lh, "connection_security"));
		if (v && v[0])
			out->conn_sec = v;
		if (ccp_json_int(ccp_json_get(lh, "port"), &n) == 0 && n > 0)
			out->port = n;
	}
	if (!out->host || !out->host[0])
		out->host = q->type == CCP_PT_SERVER ? server_host(q) : "localhost";
	return 1;
}

/* connect_to as written: a string is a host; a mapping may name the
 * parent and give host, port and connection_security. */
typedef struct conn_to {
	const char *name;
	const char *host;
	long long port;
	const char *conn_sec;
} conn_to;

static int conn_to_of(conn_to *out, const ccp_kit_participant *q)
{
	const ccp_json *ct = q->props ? ccp_json_get(q->props, "connect_to") : NULL;
	long long n;

	memset(out, 0, sizeof(*out));
	if (!ct)
		return 0;
	if (ct->type == CCP_JSON_STRING) {
		out->host = ct->text[0] ? ct->text : NULL;
		return 1;
	}
	if (ct->type != CCP_JSON_OBJECT)
		return 0;
	out->name = ccp_json_str(ccp_json_get(ct, "name"));
	out->host = ccp_json_str(ccp_json_get(ct, "host"));
	out->conn_sec = ccp_json_str(ccp_json_get(ct, "connection_security"));
	if (out->name && !out->name[0])
		out->name = NULL;
	if (out->host && !out->host[0])
		out->host = NULL;
	if (out->conn_sec && !out->conn_sec[0])
		out->conn_sec = NULL;
	if (ccp_json_int(ccp_json_get(ct, "port"), &n) == 0 && n > 0 && n <= 65535)
		out->port = n;
	return 1;
}

/* The relay q connects through (its connect_to names a relay), or NULL
 * when it connects to the server. */
static const ccp_kit_participant *parent_relay(const ccp_kit_project *p,
					       const ccp_kit_participant *q)
{
	conn_to ct;
	size_t i;

	if (!conn_to_of(&ct, q) || !ct.name)
		return NULL;
	for (i = 0; i < p->n_participants; i++)
		if (p->participants[i].type == CCP_PT_RELAY &&
		    &p->participants[i] != q &&
		    strcmp(p->participants[i].name, ct.name) == 0)
			return &p->participants[i];
	return NULL;
}

/* A relay's FQCN: the relays above it, outermost first, then its own
 * name, joined with dots ("relay-1.relay-2"). Lint refuses undefined
 * and circular parents; the walk is bounded all the same. */
static void relay_fqcn(ccp_buf *out, const ccp_kit_project *p,
		       const ccp_kit_participant *r)
{
	const ccp_kit_participant *chain[64];
	size_t n = 0;

	for (; r && n < sizeof(chain) / sizeof(chain[0]); r = parent_relay(p, r))
		chain[n++] = r;
	while (n--)
		ccp_buf_printf(out, "%s%s", chain[n]->name, n ? "." : "");
}

/*
 * local/comm_config.json: the internal listener of a participant with a
 * listening_host, and the backbone generation. Relays and clients behind
 * a relay use generation 1 (they never open a backbone connection to
 * the server); everyone else 2. Without this file the runtime ignores
 * the listener the project asked for. NVFlare leaves the port out when
 * it is not set.
 */
static int needs_comm_config(const ccp_kit_project *p,
			     const ccp_kit_participant *q)
{
	listener l;

	return listener_of(&l, q) || q->type == CCP_PT_RELAY ||
	       (q->type == CCP_PT_CLIENT && parent_relay(p, q));
}

static int comm_config_json(ccp_json **out, const ccp_kit_project *p,
			    const ccp_kit_participant *q, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b), *internal = jobj(&b), *res = jobj(&b);
	int gen1 = q->type == CCP_PT_RELAY ||
		   (q->type == CCP_PT_CLIENT && parent_relay(p, q));
	const char *scheme;
	listener l;

	listener_of(&l, q);
	scheme = l.scheme;
	/* A relay's listener follows use_aio like its other connections. */
	if (q->type == CCP_PT_RELAY && q->use_aio) {
		if (strcmp(scheme, "grpc") == 0)
			scheme = "agrpc";
		else if (strcmp(scheme, "tcp") == 0)
			scheme = "atcp";
	}
	jb_set(&b, doc, "allow_adhoc_conns", jb_check(&b, ccp_json_new_bool(0)));
	jb_set(&b, doc, "backbone_conn_gen", jint(&b, gen1 ? 1 : 2));
	jb_set(&b, internal, "scheme", jstr(&b, scheme));
	jb_set(&b, res, "host", jstr(&b, l.host ? l.host : "localhost"));
	if (l.port > 0)
		jb_set(&b, res, "port", jint(&b, l.port));
	jb_set(&b, res, "connection_security", jstr(&b, l.conn_sec));
	jb_set(&b, internal, "resources", res);
	jb_set(&b, doc, "internal", internal);
	return jb_finish(&b, doc, out, err);
}

/*
 * Where a relay or a client behind a relay connects, as NVFlare works it
 * out: connect_to's host, port and connection_security win; otherwise
 * the parent relay's listener, or for a relay whose parent is the
 * server, the server's default host, fed_learn_port, the builder's
 * scheme and the server's connection security. NVFlare writes the
 * string "None" when the server sets no connection_security; the
 * effective value is written instead.
 */
typedef struct uplink {
	const char *scheme;
	const char *identity;
	const char *host;
	long long port;
	const char *conn_sec;
	ccp_buf fqcn;
} uplink;

static void uplink_of(uplink *u, const ccp_kit_project *p,
		      const ccp_kit_participant *s,
		      const ccp_kit_participant *q, const ccp_prov_cfg *cfg)
{
	const ccp_kit_participant *r = parent_relay(p, q);
	conn_to ct;
	listener l;

	conn_to_of(&ct, q);
	ccp_buf_init(&u->fqcn, 0);
	if (r) {
		listener_of(&l, r);
		u->scheme = l.scheme;
		u->identity = r->name;
		u->host = ct.host ? ct.host : l.host;
		u->port = ct.port ? ct.port : l.port;
		u->conn_sec = ct.conn_sec ? ct.conn_sec : l.conn_sec;
		relay_fqcn(&u->fqcn, p, r);
		return;
	}
	u->scheme = site_scheme(q, cfg);
	u->identity = s->name;
	u->host = ct.host ? ct.host : server_host(s);
	u->port = ct.port ? ct.port : s->fed_learn_port;
	u->conn_sec = ct.conn_sec ? ct.conn_sec : conn_sec(s);
	ccp_buf_puts(&u->fqcn, "server");
}

static ccp_json *uplink_json(jb *b, const uplink *u)
{
	ccp_json *o = jobj(b);
	ccp_buf addr = CCP_BUF_INIT;

	ccp_buf_printf(&addr, "%s:%lld", u->host, u->port);
	jb_set(b, o, "scheme", jstr(b, u->scheme));
	jb_set(b, o, "identity", jstr(b, u->identity));
	jb_set(b, o, "address", jstr(b, ccp_buf_cstr(&addr)));
	jb_set(b, o, "fqcn", jstr(b, ccp_buf_cstr(&u->fqcn)));
	jb_set(b, o, "connection_security", jstr(b, u->conn_sec));
	if (ccp_buf_failed(&addr) || ccp_buf_failed(&u->fqcn))
		b->failed = 1;
	ccp_buf_release(&addr);
	return o;
}

/* startup/fed_relay.json */
static int fed_relay_json(ccp_json **out, const ccp_kit_project *p,
			  const ccp_kit_participant *s,
			  const ccp_kit_participant *r, const ccp_prov_cfg *cfg,
			  ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b);
	uplink u;

	uplink_of(&u, p, s, r, cfg);
	/* Towards the server a relay uses the builder's scheme as is. */
	if (!parent_relay(p, r))
		u.scheme = cfg->scheme;
	jb_set(&b, doc, "format_version", jint(&b, 2));
	jb_set(&b, doc, "project_name", jstr(&b, p->name));
	jb_set(&b, doc, "identity", jstr(&b, r->name));
	jb_set(&b, doc, "server_identity", jstr(&b, s->name));
	jb_set(&b, doc, "connect_to", uplink_json(&b, &u));
	ccp_buf_release(&u.fqcn);
	return jb_finish(&b, doc, out, err);
}

/* local/relay__resources.json of a client behind a relay: NVFlare's
 * scheme default is the relay listener's, connection security the
 * relay's (mtls only if nothing says otherwise). */
static int relay_resources_json(ccp_json **out, const ccp_kit_project *p,
				const ccp_kit_participant *s,
				const ccp_kit_participant *c,
				const ccp_prov_cfg *cfg, ccp_error *err)
{
	jb b = { 0 };
	ccp_json *doc = jobj(&b);
	uplink u;

	uplink_of(&u, p, s, c, cfg);
	jb_set(&b, doc, "format_version", jint(&b, 2));
	jb_set(&b, doc, "relay_config", uplink_json(&b, &u));
	ccp_buf_release(&u.fqcn);
	return jb_finish(&b, doc, out, err);
}

/*
 * A custom_ca_cert is copied, as NVFlare does, into startup/ under the
 * one name the runtime looks for: a site that connects with
 * connection_security tls then trusts that CA (say, of a proxy with a
 * public certificate) instead of rootCA.pem. No JSON names the file.
 * Written before signing, so a CC kit signs it like any other file.
 */
static int put_custom_ca(const char *kits, const ccp_kit_participant *q,
			 ccp_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!q->custom_ca_cert)
		return 0;
	/* Lint checks the file, but --no-file-checks skips that; a FIFO
	 * would block the read. */
	if (stat(q->custom_ca_cert, &st) < 0)
		return ccp_error_set(err, CCP_EINVAL, "custom_ca_cert '%s' of '%s': %s",
				     q->custom_ca_cert, q->name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ccp_error_set(err, CCP_EINVAL,
				     "custom_ca_cert '%s' of '%s' is not a regular file",
				     q->custom_ca_cert, q->name);
	rc = ccp_prov_read(&data, &len, q->custom_ca_cert, CUSTOM_CA_MAX, err);
	if (rc == 0) {
		char *path = ccp_prov_kit_path(kits, q->name, "startup",
					       CUSTOM_CA_FILE);

		rc = path ? ccp_prov_write(path, data, len, 0644, err) :
		     ccp_error_set(err, CCP_ENOMEM, "out of memory");
		free(path);
	}
	free(data);
	return rc;
}

/* Python's truth value of a property, which is how NVFlare reads
 * flags such as allow_log_streaming ("false" is true). */
static int truthy(const ccp_json *v, int dflt)
{
	return v ? ccp_json_truthy(v) : dflt;
}

static const ccp_json *prop(const ccp_kit_participant *q, const char *key)
{
	return q->props ? ccp_json_get(q->props, key) : NULL;
}

/*
 * local/resources.json.default of a client: NVFlare's template with the
 * participant's capacity (num_of_gpus, mem_per_gpu_in_GiB), its
 * allow_log_streaming (2.8, default true) and, before 2.8, the
 * error_log_sender component when allow_error_sending is set.
 */
static int client_resources(const char *kits, const ccp_kit_participant *q,
			    const ccp_prov_cfg *cfg, ccp_error *err)
{
	static const char *const cap_keys[] = { "num_of_gpus", "mem_per_gpu_in_GiB" };
	const ccp_json *cap = prop(q, "capacity");
	ccp_json *doc = NULL, *comps, *args = NULL;
	jb b = { 0 };
	size_t i;
	int rc;

	rc = ccp_prov_json_template(&doc, CCP_TPL_CLIENT_RESOURCES, cfg->rel, err);
	if (rc < 0)
		return rc;
	comps = (ccp_json *)ccp_json_get(doc, "components");
	for (i = 0; comps && comps->type == CCP_JSON_ARRAY && i < comps->count; i++)
		if (ccp_json_str(ccp_json_get(comps->items[i], "id")) &&
		    strcmp(ccp_json_str(ccp_json_get(comps->items[i], "id")),
			   "resource_manager") == 0)
			args = (ccp_json *)ccp_json_get(comps->items[i], "args");
	for (i = 0; args && cap && cap->type == CCP_JSON_OBJECT && i < 2; i++)
		if (ccp_json_get(cap, cap_keys[i]))
			jb_set(&b, args, cap_keys[i],
			       jb_check(&b, ccp_json_clone(ccp_json_get(cap, cap_keys[i]))));
	if (cfg->rel->client_log_streaming)
		jb_set(&b, doc, "allow_log_streaming",
		       jb_check(&b, ccp_json_new_bool(truthy(prop(q, "allow_log_streaming"), 1))));
	if (cfg->rel->error_log_sender && comps &&
	    truthy(prop(q, "allow_error_sending"), 0)) {
		ccp_json *c = jobj(&b);

		jb_set(&b, c, "id", jstr(&b, "error_log_sender"));
		jb_set(&b, c, "path", jstr(&b, CCP_NVF_ERROR_LOG_SENDER));
		jb_set(&b, c, "args", jobj(&b));
		jb_add(&b, comps, c);
	}
	if (b.failed)
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	if (rc == 0)
		rc = ccp_prov_put_json(kits, q->name, "local",
				       "resources.json.default", doc, err);
	ccp_json_free(doc);
	return rc;
}

/* A readme, closed by the release line the kit is for. */
static int put_readme(const char *kits, const ccp_kit_participant *q,
		      const char *sub, ccp_prov_text_id id,
		      const ccp_prov_cfg *cfg, ccp_error *err)
{
	ccp_buf b = CCP_BUF_INIT;
	int rc;

	ccp_buf_puts(&b, ccp_prov_text(id));
	ccp_buf_printf(&b, "\nWritten by ccprov for NVFlare %s (the kit NVFlare %s's own\n"
		       "provisioner writes). Runtimes of another NVFlare release line\n"
		       "refuse it: provision again with --nvflare for theirs.\n",
		       cfg->rel->name, cfg->rel->reference);
	rc = ccp_buf_failed(&b) ? ccp_error_set(err, CCP_ENOMEM, "out of memory") :
	     ccp_prov_put_text(kits, q->name, sub, "readme.txt",
			       ccp_buf_cstr(&b), 0644, err);
	ccp_buf_release(&b);
	return rc;
}

static int put_comm_config(const char *kits, const ccp_kit_project *p,
			   const ccp_kit_participant *q, ccp_error *err)
{
	ccp_json *doc = NULL;
	int rc;

	if (!needs_comm_config(p, q))
		return 0;
	rc = comm_config_json(&doc, p, q, err);
	if (rc == 0)
		rc = ccp_prov_put_json(kits, q->name, "local",
				       "comm_config.json", doc, err);
	ccp_json_free(doc);
	return rc;
}

/* sub_start.sh, stop_fl.sh and start.sh of a server, client or relay. */
static int put_scripts(const char *kits, const ccp_kit_participant *q,
		       const ccp_prov_cfg *cfg, ccp_error *err)
{
	ccp_buf sh = CCP_BUF_INIT;
	int rc;

	ccp_prov_sub_start(&sh, q, cfg->config_folder);
	rc = ccp_prov_put_text(kits, q->name, "startup", "sub_start.sh",
			       ccp_buf_cstr(&sh), 0755, err);
	ccp_buf_clear(&sh);
	ccp_prov_stop_fl(&sh);
	if (rc == 0)
		rc = ccp_prov_put_text(kits, q->name, "startup", "stop_fl.sh",
				       ccp_buf_cstr(&sh), 0755, err);
	if (rc == 0 && ccp_buf_failed(&sh))
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	ccp_buf_release(&sh);
	if (rc == 0)
		rc = ccp_prov_put_text(kits, q->name, "startup", "start.sh",
				       ccp_prov_text(CCP_TXT_START_SH), 0755,
				       err);
	return rc;
}

/* What servers and clients share: scripts, local/ defaults, readme. */
static int static_site(const char *kits, const ccp_kit_project *p,
		       const ccp_kit_participant *s,
		       const ccp_kit_participant *q, const ccp_prov_cfg *cfg,
		       ccp_error *err)
{
	ccp_json *doc = NULL;
	int cc_authz = is_cc(q) && ccp_prov_builder(p, CCP_NVF_B_CC) != NULL;
	int rc = 0;

	rc = put_custom_ca(kits, q, err);
	if (rc == 0)
		rc = put_scripts(kits, q, cfg, err);
	if (rc == 0)
		rc = ccp_prov_put_template(kits, q->name, "local",
					   "log_config.json.default",
					   CCP_TPL_LOG_CONFIG, cfg, err);
	if (rc == 0)
		rc = q->type == CCP_PT_SERVER ?
		     ccp_prov_put_template(kits, q->name, "local",
					   "resources.json.default",
					   CCP_TPL_SERVER_RESOURCES, cfg, err) :
		     client_resources(kits, q, cfg, err);
	if (rc == 0)
		rc = ccp_prov_put_template(kits, q->name, "local",
					   "privacy.json.sample",
					   CCP_TPL_PRIVACY, cfg, err);
	/* The CC policy is chosen when the CCBuilder is part of the
	 * project, whatever its position (NVFlare sets it up before any
	 * builder writes). */
	if (rc == 0)
		rc = ccp_prov_put_template(kits, q->name, "local",
					   "authorization.json.default",
					   cc_authz ? CCP_TPL_AUTHZ_CC : CCP_TPL_AUTHZ_DEFAULT,
					   cfg, err);
	if (rc == 0)
		rc = put_readme(kits, q, NULL, q->type == CCP_PT_SERVER ?
				CCP_TXT_README_SERVER : CCP_TXT_README_CLIENT,
				cfg, err);
	if (rc == 0 && q->type == CCP_PT_CLIENT && parent_relay(p, q)) {
		rc = relay_resources_json(&doc, p, s, q, cfg, err);
		if (rc == 0)
			rc = ccp_prov_put_json(kits, q->name, "local",
					       "relay__resources.json", doc,
					       err);
		ccp_json_free(doc);
		doc = NULL;
	}
	/* Written here, before any signing, so that a signed kit covers it
	 * (NVFlare writes it last and its CVM kits then fail their own
	 * verification). */
	if (rc == 0)
		rc = put_comm_config(kits, p, q, err);
	if (rc == 0 && q->type == CCP_PT_SERVER && cfg->rel->has_studies &&
	    p->api_version >= 4 && p->studies &&
	    p->studies->type == CCP_JSON_OBJECT) {
		rc = study_registry_json(&doc, p->studies, err);
		if (rc == 0)
			rc = ccp_prov_put_json(kits, q->name, "local",
					       "study_registry.json", doc, err);
		ccp_json_free(doc);
	}
	return rc;
}

/* A relay: fed_relay.json, the scripts, a log config and its listener's
 * comm_config.json; nothing else (NVFlare writes no readme, resources
 * or policies for relays). */
static int static_relay(const char *kits, const ccp_kit_project *p,
			const ccp_kit_participant *s,
			const ccp_kit_participant *r, const ccp_prov_cfg *cfg,
			ccp_error *err)
{
	ccp_json *doc = NULL;
	int rc;

	rc = fed_relay_json(&doc, p, s, r, cfg, err);
	if (rc == 0)
		rc = ccp_prov_put_json(kits, r->name, "startup",
				       "fed_relay.json", doc, err);
	ccp_json_free(doc);
	if (rc == 0)
		rc = put_custom_ca(kits, r, err);
	if (rc == 0)
		rc = put_scripts(kits, r, cfg, err);
	if (rc == 0)
		rc = ccp_prov_put_template(kits, r->name, "local",
					   "log_config.json.default",
					   CCP_TPL_LOG_CONFIG, cfg, err);
	if (rc == 0)
		rc = put_comm_config(kits, p, r, err);
	return rc;
}

static int static_admin(const char *kits, const ccp_kit_project *p,
			const ccp_kit_participant *s,
			const ccp_kit_participant *q, const ccp_prov_cfg *cfg,
			ccp_error *err)
{
	ccp_json *doc = NULL;
	ccp_buf nb = CCP_BUF_INIT;
	int rc;

	rc = fed_admin_json(&doc, p, s, q, cfg, err);
	if (rc == 0)
		rc = ccp_prov_put_json(kits, q->name, "startup",
				       "fed_admin.json", doc, err);
	ccp_json_free(doc);
	if (rc == 0)
		rc = ccp_prov_put_text(kits, q->name, "startup", "fl_admin.sh",
				       ccp_prov_text(CCP_TXT_FL_ADMIN_SH), 0755,
				       err);
	if (rc == 0)
		rc = put_readme(kits, q, "startup", CCP_TXT_README_ADMIN, cfg, err);
	ccp_prov_system_info(&nb, q->name);
	if (rc == 0)
		rc = ccp_buf_failed(&nb) ?
		     ccp_error_set(err, CCP_ENOMEM, "out of memory") :
		     ccp_prov_put_text(kits, q->name, "startup",
				       "system_info.ipynb", ccp_buf_cstr(&nb),
				       0644, err);
	ccp_buf_release(&nb);
	if (rc == 0)
		rc = ccp_prov_put_template(kits, q->name, "local",
					   "resources.json.default",
					   CCP_TPL_ADMIN_RESOURCES, cfg, err);
	return rc;
}

int ccp_prov_build_static(const char *kits_dir, const ccp_kit_project *p,
			  const ccp_prov_cfg *cfg, ccp_error *err)
{
	const ccp_kit_participant *s = ccp_kit_server(p);
	size_t i;
	int rc = 0;

	if (!s)
		return ccp_error_set(err, CCP_EINVAL, "the project has no server");
	for (i = 0; i < p->n_participants && rc == 0; i++) {
		const ccp_kit_participant *q = &p->participants[i];

		ccp_json *doc = NULL;

		if (q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT) {
			if (q->type == CCP_PT_SERVER)
				rc = fed_server_json(&doc, p, q, cfg, err);
			else
				rc = fed_client_json(&doc, p, s, q, cfg, err);
			if (rc == 0)
				rc = ccp_prov_put_json(kits_dir, q->name,
						       "startup",
						       q->type == CCP_PT_SERVER ? "fed_server.json" : "fed_client.json",
						       doc, err);
			ccp_json_free(doc);
			if (rc == 0)
				rc = static_site(kits_dir, p, s, q, cfg, err);
		} else if (q->type == CCP_PT_RELAY) {
			rc = static_relay(kits_dir, p, s, q, cfg, err);
		} else if (q->type == CCP_PT_ADMIN) {
			rc = static_admin(kits_dir, p, s, q, cfg, err);
		}
	}
	return rc;
}
