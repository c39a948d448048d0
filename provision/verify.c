/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ccp_verify(): a received kit against what a kit of its kind and
 * release line must be. One table (kit_spec[]) says which entries a
 * kit has; provision writes exactly those (test_refkits checks every
 * kit it writes verifies clean), verify reports every entry missing,
 * extra or of the wrong type, then the signatures, certificates, keys
 * and the content of the files whose meaning an attacker would change.
 *
 * NVFlare's signature.json signs each file's bytes under its name but
 * is not itself signed and does not list what must be there, so a
 * valid signature proves little about names and structure: that is
 * what the table and the content checks add (docs/security.md).
 */
#include "prov_int.h"

#include <archive.h>
#include <archive_entry.h>
#include "archive_lazy.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include "crypto_lazy.h"

#include "ccprov/rules.h"
#include "ccprov/verify.h"
#include "dir.h"
#include "path.h"

/* PEM and JSON files in a kit are a few KiB; refuse anything absurd. */
#define KIT_FILE_MAX ((size_t)1 << 20)
/* A kit archive: entries and bytes once unpacked. */
#define TGZ_MAX_ENTRIES 4096
#define TGZ_MAX_BYTES ((long long)256 << 20)
/* Kits looked at in one prod_NN folder. */
#define PROD_MAX_KITS 100000
/* Names looked at in one folder of a kit. */
#define KIT_MAX_NAMES 100000

typedef enum kit_kind {
	K_SERVER = 1,
	K_CLIENT = 2,
	K_ADMIN = 4,
	K_RELAY = 8
} kit_kind;

#define K_SITE (K_SERVER | K_CLIENT)
#define K_RUN (K_SERVER | K_CLIENT | K_RELAY)
#define K_ALL (K_SERVER | K_CLIENT | K_ADMIN | K_RELAY)

/* When a kit has an entry. */
typedef enum need {
	N_ALWAYS,      /* every kit of these kinds */
	N_OPTIONAL,    /* may be there */
	N_CC,          /* CC kits */
	N_SIGNED       /* signature.json of a folder the line signs */
} need;

typedef struct spec_entry {
	const char *path;
	unsigned kinds;
	int dir;
	need need;
	mode_t mode;       /* exact permission bits, or 0 for any */
} spec_entry;

/*
 * What a kit contains, by kind. CC issuer files (<id>__p_resources.json)
 * and the CC manager's file are named by the kit itself and checked
 * apart (check_cc()).
 */
static const spec_entry kit_spec[] = {
	{ "startup", K_ALL, 1, N_ALWAYS, 0 },
	{ "local", K_ALL, 1, N_ALWAYS, 0 },
	{ "transfer", K_ALL, 1, N_ALWAYS, 0 },
	{ "readme.txt", K_SITE, 0, N_ALWAYS, 0 },
	{ "signature.json", K_SITE, 0, N_CC, 0 },
	{ "startup/fed_server.json", K_SERVER, 0, N_ALWAYS, 0 },
	{ "startup/fed_client.json", K_CLIENT, 0, N_ALWAYS, 0 },
	{ "startup/fed_admin.json", K_ADMIN, 0, N_ALWAYS, 0 },
	{ "startup/fed_relay.json", K_RELAY, 0, N_ALWAYS, 0 },
	{ "startup/rootCA.pem", K_ALL, 0, N_ALWAYS, 0 },
	{ "startup/server.crt", K_SERVER | K_RELAY, 0, N_ALWAYS, 0 },
	{ "startup/server.key", K_SERVER | K_RELAY, 0, N_ALWAYS, 0600 },
	{ "startup/server.crt", K_CLIENT, 0, N_OPTIONAL, 0 },
	{ "startup/server.key", K_CLIENT, 0, N_OPTIONAL, 0600 },
	{ "startup/client.crt", K_CLIENT | K_ADMIN | K_RELAY, 0, N_ALWAYS, 0 },
	{ "startup/client.key", K_CLIENT | K_ADMIN | K_RELAY, 0, N_ALWAYS, 0600 },
	{ "startup/start.sh", K_RUN, 0, N_ALWAYS, 0 },
	{ "startup/stop_fl.sh", K_RUN, 0, N_ALWAYS, 0 },
	{ "startup/sub_start.sh", K_RUN, 0, N_ALWAYS, 0 },
	{ "startup/fl_admin.sh", K_ADMIN, 0, N_ALWAYS, 0 },
	{ "startup/readme.txt", K_ADMIN, 0, N_ALWAYS, 0 },
	{ "startup/system_info.ipynb", K_ADMIN, 0, N_ALWAYS, 0 },
	{ "startup/customRootCA.pem", K_RUN, 0, N_OPTIONAL, 0 },
	{ "startup/signature.json", K_ALL, 0, N_SIGNED, 0 },
	{ "local/authorization.json.default", K_SITE, 0, N_ALWAYS, 0 },
	{ "local/log_config.json.default", K_RUN, 0, N_ALWAYS, 0 },
	{ "local/privacy.json.sample", K_SITE, 0, N_ALWAYS, 0 },
	{ "local/resources.json.default", K_SITE | K_ADMIN, 0, N_ALWAYS, 0 },
	{ "local/comm_config.json", K_RELAY, 0, N_ALWAYS, 0 },
	{ "local/comm_config.json", K_SITE, 0, N_OPTIONAL, 0 },
	{ "local/relay__resources.json", K_CLIENT, 0, N_OPTIONAL, 0 },
	{ "local/study_registry.json", K_SERVER, 0, N_OPTIONAL, 0 },
	{ "local/signature.json", K_ALL, 0, N_SIGNED, 0 },
	{ "transfer/signature.json", K_SITE, 0, N_CC, 0 },
};

typedef struct vkit {
	ccp_diags *d;
	const char *dir;       /* the kit on disk */
	const char *shown;     /* how paths are shown (the user's path) */
	kit_kind kind;
	const char *name;      /* participant, from its fed_*.json */
	char name_buf[256];
	int cc;                /* a CC kit: signed whole */
	const ccp_nvf_release *rel;
	char *mgr_file;        /* local/<cc_mgr_id>__p_resources.json, or NULL */
	ccp_json *mgr;         /* its document */
} vkit;

static void report(vkit *k, const char *rule, const char *rel,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(vkit *k, const char *rule, const char *rel,
		   const char *fmt, ...)
{
	const ccp_rule *r = ccp_rule_find(rule);
	ccp_buf file = CCP_BUF_INIT, msg = CCP_BUF_INIT;
	va_list ap;

	ccp_buf_printf(&file, "%s%s%s", k->shown, rel && *rel ? "/" : "",
		       rel ? rel : "");
	va_start(ap, fmt);
	ccp_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	ccp_diags_add_at(k->d, rule, r ? r->severity : CCP_SEV_ERROR,
			 ccp_buf_cstr(&file), 0, 0, 0, 0, ccp_buf_cstr(&msg), "%s",
			 ccp_buf_cstr(&msg));
	ccp_buf_release(&file);
	ccp_buf_release(&msg);
}

static char *kpath(const vkit *k, const char *rel)
{
	return ccp_path_child(k->dir, rel);
}

/* lstat of an entry of the kit: 0, or -1 when it is not there. */
static int kstat(const vkit *k, const char *rel, struct stat *st)
{
	char *p = kpath(k, rel);
	int rc = p ? lstat(p, st) : -1;

	free(p);
	return rc;
}

/* A small regular file of the kit (symlinks and FIFOs refused). */
static int kread(const vkit *k, const char *rel, char **out, size_t *len)
{
	char *p = kpath(k, rel);
	ccp_error e;
	int rc;

	*out = NULL;
	if (!p)
		return -1;
	rc = ccp_prov_read(out, len, p, KIT_FILE_MAX, &e);
	free(p);
	return rc;
}

static ccp_json *kjson(vkit *k, const char *rel, int report_bad)
{
	char *text = NULL, msg[160];
	size_t len = 0;
	ccp_json *doc = NULL;

	if (kread(k, rel, &text, &len) < 0)
		return NULL;
	if (ccp_json_parse(&doc, text, len, msg, sizeof(msg)) < 0) {
		if (report_bad)
			report(k, "CCP-V005", rel, "is not JSON: %s", msg);
		doc = NULL;
	}
	free(text);
	return doc;
}

/* ---- what kind of kit, for which line ---- */

static const struct {
	const char *file;
	kit_kind kind;
} fed_files[] = {
	{ "startup/fed_server.json", K_SERVER },
	{ "startup/fed_client.json", K_CLIENT },
	{ "startup/fed_admin.json", K_ADMIN },
	{ "startup/fed_relay.json", K_RELAY },
};

/* The participant the kit's own fed_*.json names. */
static const char *named_participant(vkit *k, const ccp_json *fed)
{
	const char *s = NULL;

	switch (k->kind) {
	case K_SERVER: {
		const ccp_json *srv = ccp_json_get(fed, "servers");

		srv = srv && srv->type == CCP_JSON_ARRAY && srv->count ? srv->items[0] : NULL;
		s = ccp_json_str(ccp_json_get(srv, "admin_server"));
		break;
	}
	case K_CLIENT: {
		const char *fqsn = ccp_json_str(ccp_json_get(ccp_json_get(fed, "client"),
							     "fqsn"));
		const char *dot = fqsn ? strrchr(fqsn, '.') : NULL;

		s = dot ? dot + 1 : fqsn;
		break;
	}
	case K_ADMIN:
		s = ccp_json_str(ccp_json_get(ccp_json_get(fed, "admin"), "username"));
		break;
	case K_RELAY:
		s = ccp_json_str(ccp_json_get(fed, "identity"));
		break;
	}
	return s;
}

/* 0 with k->kind and k->name set, -1 when no fed_*.json says what the
 * kit is (reported). Also returns the document in *fed. */
static int identify(vkit *k, ccp_json **fed)
{
	size_t i, found = 0;
	struct stat st;
	const char *file = NULL;

	*fed = NULL;
	for (i = 0; i < sizeof(fed_files) / sizeof(fed_files[0]); i++)
		if (kstat(k, fed_files[i].file, &st) == 0) {
			if (!found++) {
				k->kind = fed_files[i].kind;
				file = fed_files[i].file;
			}
		}
	if (!found) {
		report(k, "CCP-V002", "startup", "no fed_server.json, fed_client.json, "
		       "fed_admin.json or fed_relay.json: this is not a startup kit");
		return -1;
	}
	if (found > 1)
		report(k, "CCP-V003", "startup", "holds the configuration of more than "
		       "one kind of participant");
	*fed = kjson(k, file, 1);
	if (!*fed)
		return 0;
	{
		const char *n = named_participant(k, *fed);

		if (!n || !*n)
			report(k, "CCP-V005", file, "does not name its participant");
		else {
			snprintf(k->name_buf, sizeof(k->name_buf), "%s", n);
			k->name = k->name_buf;
		}
	}
	return 0;
}

/* The line a kit is for, from what differs between the lines; *certain
 * is 0 when only the presence of signatures told (they can be removed). */
static ccp_nvf_line detect_line(vkit *k, const ccp_json *fed, int *certain)
{
	ccp_json *log;
	ccp_nvf_line line = CCP_NVF_2_8;
	struct stat st;
	int i;

	*certain = 1;
	if (fed && (k->kind == K_SERVER || k->kind == K_CLIENT))
		return ccp_json_get(fed, "overseer_agent") ? CCP_NVF_2_7 : CCP_NVF_2_8;
	log = k->kind == K_RELAY ? kjson(k, "local/log_config.json.default", 0) : NULL;
	if (log) {
		const char *fn = ccp_json_str(ccp_json_get(ccp_json_get(ccp_json_get(
			log, "handlers"), "errorFileHandler"), "filename"));

		for (i = 0; fn && i < 2; i++) {
			const ccp_nvf_release *r = ccp_nvf_release_of(i ? CCP_NVF_2_7 :
								      CCP_NVF_2_8);
			size_t n = strlen(fn), m = strlen(r->error_log_file);

			if (n >= m && strcmp(fn + n - m, r->error_log_file) == 0)
				line = r->line;
		}
		ccp_json_free(log);
		return line;
	}
	*certain = 0;
	return kstat(k, "startup/signature.json", &st) == 0 ? CCP_NVF_2_7 : CCP_NVF_2_8;
}

/* ---- the CC manager and its authorizers ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define P_RES "__p_resources.json"

/* The first component of a {"components": [...]} document. */
static const ccp_json *component0(const ccp_json *doc)
{
	const ccp_json *c = ccp_json_get(doc, "components");

	return c && c->type == CCP_JSON_ARRAY && c->count == 1 ? c->items[0] : NULL;
}

/* Find local/<id>__p_resources.json holding the CC manager. */
static void find_cc_manager(vkit *k)
{
	char *local = kpath(k, "local");
	ccp_dir names = { NULL, 0, 0, 0 };
	size_t i;

	if (local)
		ccp_dir_read(&names, local, KIT_MAX_NAMES, CCP_DIR_HIDDEN);
	for (i = 0; i < names.count && !k->mgr; i++) {
		const char *name = names.names[i];
		ccp_buf rel = CCP_BUF_INIT;
		ccp_json *doc;
		const char *path;

		if (!ends_with(name, P_RES) || strcmp(name, "relay__resources.json") == 0)
			continue;
		ccp_buf_printf(&rel, "local/%s", name);
		doc = kjson(k, ccp_buf_cstr(&rel), 0);
		path = ccp_json_str(ccp_json_get(component0(doc), "path"));
		if (path && strcmp(path, CCP_NVF_CC_MANAGER) == 0) {
			k->mgr = doc;
			k->mgr_file = ccp_buf_detach(&rel);
		} else {
			ccp_json_free(doc);
		}
		ccp_buf_release(&rel);
	}
	ccp_dir_release(&names);
	free(local);
}

static int id_listed(const ccp_json *ids, const char *id)
{
	size_t i;

	for (i = 0; ids && ids->type == CCP_JSON_ARRAY && i < ids->count; i++)
		if (ccp_json_str(ids->items[i]) && strcmp(ccp_json_str(ids->items[i]), id) == 0)
			return 1;
	return 0;
}

/*
 * A CC kit: every verifier id of the CC manager has its authorizer file
 * (id and path inside agree with the name), no other *__p_resources.json
 * is there, each issuer's token expires before the next check, and the
 * authorization policy is the locked-down one.
 */
/* Every verifier the CC manager lists has its authorizer file, holding
 * that authorizer. */
static void check_verifiers(vkit *k, const ccp_json *ids)
{
	size_t i;

	if (!ids || ids->type != CCP_JSON_ARRAY || !ids->count)
		report(k, "CCP-V005", k->mgr_file, "the CC manager lists no "
		       "attestation verifier: nothing would be attested");
	for (i = 0; ids && ids->type == CCP_JSON_ARRAY && i < ids->count; i++) {
		const char *id = ccp_json_str(ids->items[i]);
		ccp_buf rel = CCP_BUF_INIT;
		ccp_json *doc;
		const ccp_json *c;

		if (!id || !ccp_prov_name_ok(id)) {
			report(k, "CCP-V005", k->mgr_file, "verifier id %zu is not a "
			       "usable name", i + 1);
			continue;
		}
		ccp_buf_printf(&rel, "local/%s" P_RES, id);
		doc = kjson(k, ccp_buf_cstr(&rel), 1);
		c = component0(doc);
		if (!doc) {
			struct stat st;

			if (kstat(k, ccp_buf_cstr(&rel), &st) < 0)
				report(k, "CCP-V002", ccp_buf_cstr(&rel), "the CC manager "
				       "verifies with '%s', whose authorizer file is missing", id);
		} else if (!c || !ccp_json_str(ccp_json_get(c, "id")) ||
			   strcmp(ccp_json_str(ccp_json_get(c, "id")), id) != 0 ||
			   !ccp_json_str(ccp_json_get(c, "path"))) {
			report(k, "CCP-V005", ccp_buf_cstr(&rel), "does not hold the "
			       "authorizer '%s' its name says", id);
		}
		ccp_json_free(doc);
		ccp_buf_release(&rel);
	}
}

/* A token must expire before the next attestation check. */
static void check_token_lifetimes(vkit *k, const ccp_json *args)
{
	const ccp_json *conf = ccp_json_get(args, "cc_issuers_conf");
	long long freq = CCP_NVF_CHECK_FREQUENCY, exp;
	size_t i;

	if (ccp_json_int(ccp_json_get(args, "verify_frequency"), &freq) < 0)
		freq = CCP_NVF_CHECK_FREQUENCY;
	for (i = 0; conf && conf->type == CCP_JSON_ARRAY && i < conf->count; i++) {
		const char *id = ccp_json_str(ccp_json_get(conf->items[i], "issuer_id"));

		if (ccp_json_int(ccp_json_get(conf->items[i], "token_expiration"), &exp) == 0 &&
		    exp >= freq)
			report(k, "CCP-V005", k->mgr_file, "token of issuer '%s' lives "
			       "%lld s, not less than the %lld s between attestation checks",
			       id ? id : "?", exp, freq);
	}
}

/* No authorizer file the manager does not use. */
static void check_unused_authorizers(vkit *k, const ccp_json *ids)
{
	char *local = kpath(k, "local");
	ccp_dir names = { NULL, 0, 0, 0 };
	size_t i;

	if (local)
		ccp_dir_read(&names, local, KIT_MAX_NAMES, CCP_DIR_HIDDEN);
	for (i = 0; i < names.count; i++) {
		const char *name = names.names[i];
		ccp_buf id = CCP_BUF_INIT, rel = CCP_BUF_INIT;

		if (!ends_with(name, P_RES) || strcmp(name, "relay__resources.json") == 0)
			continue;
		ccp_buf_printf(&rel, "local/%s", name);
		ccp_buf_put(&id, name, strlen(name) - strlen(P_RES));
		if (strcmp(ccp_buf_cstr(&rel), k->mgr_file) != 0 &&
		    !id_listed(ids, ccp_buf_cstr(&id)))
			report(k, "CCP-V003", ccp_buf_cstr(&rel), "is no authorizer of "
			       "the CC manager");
		ccp_buf_release(&id);
		ccp_buf_release(&rel);
	}
	ccp_dir_release(&names);
	free(local);
}

/* A CC server's or client's admin policy is the locked-down one; one
 * whose shape is wrong is reported by check_shapes(). */
static void check_cc_policy(vkit *k)
{
	ccp_json *authz, *want = NULL;
	ccp_error e;

	if (k->kind != K_SERVER && k->kind != K_CLIENT)
		return;
	authz = kjson(k, "local/authorization.json.default", 0);
	if (authz && ccp_json_get(authz, "permissions") &&
	    ccp_prov_json_template(&want, CCP_TPL_AUTHZ_CC, k->rel, &e) == 0 &&
	    !ccp_json_equal(authz, want))
		report(k, "CCP-V005", "local/authorization.json.default", "is not the "
		       "locked-down policy of a CC site: admins could reach inside the CVM");
	ccp_json_free(authz);
	ccp_json_free(want);
}

static void check_cc(vkit *k)
{
	const ccp_json *args = ccp_json_get(component0(k->mgr), "args");
	const ccp_json *ids = ccp_json_get(args, "cc_verifier_ids");

	check_verifiers(k, ids);
	check_token_lifetimes(k, args);
	check_unused_authorizers(k, ids);
	check_cc_policy(k);
}

/* ---- structure ---- */

static int spec_has(unsigned kinds, kit_kind kind)
{
	return (kinds & (unsigned)kind) != 0;
}

/* Is rel (one entry of the kit) in the table for this kit? */
static const spec_entry *spec_find(const vkit *k, const char *rel)
{
	size_t i;

	for (i = 0; i < sizeof(kit_spec) / sizeof(kit_spec[0]); i++)
		if (spec_has(kit_spec[i].kinds, k->kind) &&
		    strcmp(kit_spec[i].path, rel) == 0)
			return &kit_spec[i];
	return NULL;
}

static int folder_signed(const vkit *k, const char *folder)
{
	if (k->cc)
		return 1;
	return k->rel->signs_plain_kits &&
	       (strcmp(folder, "startup") == 0 || strcmp(folder, "local") == 0);
}

static int required(const vkit *k, const spec_entry *e)
{
	switch (e->need) {
	case N_ALWAYS:
		return 1;
	case N_CC:
		return k->cc;
	case N_SIGNED: {
		char folder[32];
		const char *slash = strchr(e->path, '/');

		snprintf(folder, sizeof(folder), "%.*s",
			 (int)(slash ? slash - e->path : 0), e->path);
		return folder_signed(k, folder);
	}
	default:
		return 0;
	}
}

/* Is the folder an entry lives in (if any) a real folder? One wrong
 * folder is one finding, not one per entry it should hold. */
static int parent_ok(const vkit *k, const char *rel)
{
	const char *slash = strchr(rel, '/');
	char folder[64];
	struct stat st;

	if (!slash)
		return 1;
	snprintf(folder, sizeof(folder), "%.*s", (int)(slash - rel), rel);
	return kstat(k, folder, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *kind_name(kit_kind kind)
{
	return kind == K_SERVER ? "a server" : kind == K_CLIENT ? "a client" :
	       kind == K_ADMIN ? "an admin" : "a relay";
}

static void check_entry_present(vkit *k, const spec_entry *e)
{
	struct stat st;

	if (!parent_ok(k, e->path))
		return;
	if (kstat(k, e->path, &st) < 0) {
		if (required(k, e))
			report(k, "CCP-V002", e->path, "is missing: %s kit for NVFlare "
			       "%s has it", kind_name(k->kind), k->rel->name);
		return;
	}
	if (e->dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		report(k, "CCP-V004", e->path, "is a %s, not a %s",
		       S_ISLNK(st.st_mode) ? "symbolic link" : S_ISDIR(st.st_mode) ?
		       "folder" : S_ISREG(st.st_mode) ? "file" : "special file",
		       e->dir ? "folder" : "file");
		return;
	}
	if (e->mode && (st.st_mode & 077))
		report(k, "CCP-V007", e->path, "has mode %04o: a private key must be "
		       "readable by its owner only (0600)",
		       (unsigned)(st.st_mode & 07777));
}

/* Every entry of folder sub ("" for the kit itself) is in the table. */
static void check_no_extra(vkit *k, const char *sub)
{
	char *dir = *sub ? kpath(k, sub) : strdup(k->dir);
	ccp_dir names = { NULL, 0, 0, 0 };
	size_t i;

	if (dir)
		ccp_dir_read(&names, dir, KIT_MAX_NAMES, CCP_DIR_HIDDEN);
	for (i = 0; i < names.count; i++) {
		const char *name = names.names[i];
		ccp_buf rel = CCP_BUF_INIT;

		ccp_buf_printf(&rel, "%s%s%s", sub, *sub ? "/" : "", name);
		/* the CC files are checked by check_cc() */
		if (!spec_find(k, ccp_buf_cstr(&rel)) &&
		    !(k->cc && strcmp(sub, "local") == 0 && ends_with(name, P_RES))) {
			struct stat st;
			int is_dir = kstat(k, ccp_buf_cstr(&rel), &st) == 0 && S_ISDIR(st.st_mode);

			report(k, "CCP-V003", ccp_buf_cstr(&rel), "is not part of %s "
			       "kit%s", kind_name(k->kind), is_dir ? " (a folder)" : "");
		}
		ccp_buf_release(&rel);
	}
	ccp_dir_release(&names);
	free(dir);
}

static void check_structure(vkit *k)
{
	size_t i;
	struct stat st;

	for (i = 0; i < sizeof(kit_spec) / sizeof(kit_spec[0]); i++)
		if (spec_has(kit_spec[i].kinds, k->kind))
			check_entry_present(k, &kit_spec[i]);
	check_no_extra(k, "");
	for (i = 0; i < 3; i++) {
		static const char *const subs[] = { "startup", "local", "transfer" };

		if (kstat(k, subs[i], &st) == 0 && S_ISDIR(st.st_mode))
			check_no_extra(k, subs[i]);
	}
	/* A client's listener certificate comes with its key. */
	if (k->kind == K_CLIENT &&
	    (kstat(k, "startup/server.crt", &st) == 0) !=
	    (kstat(k, "startup/server.key", &st) == 0))
		report(k, "CCP-V002", "startup", "has only half of the listener's "
		       "server.crt and server.key");
}

/* ---- signatures ---- */

/* A message of the signature walk, with the kit's paths as shown. */
static void shown_message(ccp_buf *out, const vkit *k, const char *m)
{
	size_t n = strlen(k->dir);
	const char *hit;

	while ((hit = strstr(m, k->dir)) != NULL) {
		ccp_buf_put(out, m, (size_t)(hit - m));
		ccp_buf_puts(out, k->shown);
		m = hit + n;
	}
	ccp_buf_puts(out, m);
}

typedef struct sig_ctx {
	vkit *k;
	const char *sub;
} sig_ctx;

static void sig_problem(void *ctx, const char *message)
{
	sig_ctx *c = ctx;
	ccp_buf msg = CCP_BUF_INIT;

	shown_message(&msg, c->k, message);
	report(c->k, "CCP-V001", c->sub, "%s", ccp_buf_cstr(&msg));
	ccp_buf_release(&msg);
}

/* Every bad entry of the folder is a finding; *failed when any. */
static void verify_folder(vkit *k, const char *sub, X509 *root, int *failed)
{
	char *dir = *sub ? kpath(k, sub) : strdup(k->dir);
	sig_ctx ctx = { k, sub };
	struct stat st;
	size_t problems = 0;
	ccp_error e;

	ccp_error_clear(&e);
	if (!dir)
		return;
	if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (ccp_verify_tree_each(dir, root, sig_problem, &ctx, &problems, &e) < 0) {
			sig_problem(&ctx, e.message);
			problems++;
		}
		if (problems)
			*failed = 1;
	}
	free(dir);
}

static void check_signatures(vkit *k, X509 *root)
{
	static const char *const subs[] = { "startup", "local", "transfer" };
	int failed = 0;
	size_t i;
	struct stat st;

	for (i = 0; i < 3; i++) {
		char sig[64];

		snprintf(sig, sizeof(sig), "%s/signature.json", subs[i]);
		if (!folder_signed(k, subs[i]) && kstat(k, sig, &st) < 0)
			continue;
		/* a missing signature.json is reported by the structure check */
		if (kstat(k, sig, &st) == 0)
			verify_folder(k, subs[i], root, &failed);
	}
	/* The kit's own signature.json signs its folders by name; check it
	 * once the folders themselves are known good, so one bad file is
	 * reported once. */
	if (k->cc && !failed && kstat(k, "signature.json", &st) == 0)
		verify_folder(k, "", root, &failed);
}

/* ---- certificates and keys ---- */

static int load_cert(X509 **out, vkit *k, const char *rel)
{
	char *pem = NULL;
	size_t len;
	ccp_error e;
	int rc;

	*out = NULL;
	if (kread(k, rel, &pem, &len) < 0)
		return -1;
	ccp_error_clear(&e);
	rc = ccp_pem_to_cert(out, pem, &e);
	free(pem);
	if (rc < 0)
		report(k, "CCP-V006", rel, "is not a PEM certificate: %s", e.message);
	return rc;
}

static void check_cert(vkit *k, X509_STORE *store, const char *crt,
		       const char *key_rel, int must_name)
{
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	X509_STORE_CTX *ctx;
	char *pem = NULL;
	size_t len;
	ccp_error e;

	if (load_cert(&cert, k, crt) < 0)
		return;
	ctx = X509_STORE_CTX_new();
	if (ctx && X509_STORE_CTX_init(ctx, store, cert, NULL) &&
	    X509_verify_cert(ctx) != 1)
		report(k, "CCP-V006", crt, "does not chain to the root CA: %s",
		       X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	if (must_name && k->name) {
		char cn[256] = "";

		/* The CN is the participant's name. */
		X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
					  cn, sizeof(cn));
		if (strcmp(cn, k->name) != 0)
			report(k, "CCP-V005", crt, "is the certificate of '%s', not of "
			       "'%s' whom this kit is for", cn, k->name);
	}
	ERR_clear_error();
	if (kread(k, key_rel, &pem, &len) == 0) {
		ccp_error_clear(&e);
		if (ccp_pem_to_key(&key, pem, &e) < 0)
			report(k, "CCP-V006", key_rel, "is not a PEM private key: %s",
			       e.message);
		else if (X509_check_private_key(cert, key) != 1)
			report(k, "CCP-V006", key_rel, "does not match %s", crt);
		OPENSSL_cleanse(pem, len);
		free(pem);
	}
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(cert);
}

static void check_certs(vkit *k, X509 *root, int root_from_kit)
{
	X509_STORE *store = X509_STORE_new();
	X509 *kit_root = NULL;
	struct stat st;

	if (!store || !X509_STORE_add_cert(store, root)) {
		X509_STORE_free(store);
		return;
	}
	/* The kit trusts its own rootCA.pem at run time: with a trusted
	 * root given, that must be the same certificate. */
	if (!root_from_kit && load_cert(&kit_root, k, "startup/rootCA.pem") == 0 &&
	    X509_cmp(kit_root, root) != 0)
		report(k, "CCP-V006", "startup/rootCA.pem", "is not the trusted root CA");
	X509_free(kit_root);
	if (kstat(k, "startup/client.crt", &st) == 0)
		check_cert(k, store, "startup/client.crt", "startup/client.key", 1);
	if (kstat(k, "startup/server.crt", &st) == 0)
		check_cert(k, store, "startup/server.crt", "startup/server.key",
			   k->kind == K_SERVER);
	X509_STORE_free(store);
}

/* ---- one kit ---- */

/* JSON files a kit carries, each with a key it must have. */
static const struct {
	const char *file;
	const char *key;
} json_shapes[] = {
	{ "local/authorization.json.default", "permissions" },
	{ "local/log_config.json.default", "handlers" },
	{ "local/privacy.json.sample", "scopes" },
	{ "local/resources.json.default", "format_version" },
	{ "local/comm_config.json", "internal" },
	{ "local/relay__resources.json", "relay_config" },
	{ "local/study_registry.json", "studies" },
	{ "startup/fed_server.json", "servers" },
	{ "startup/fed_client.json", "client" },
	{ "startup/fed_admin.json", "admin" },
	{ "startup/fed_relay.json", "connect_to" },
};

static void check_shapes(vkit *k)
{
	size_t i;
	struct stat st;

	for (i = 0; i < sizeof(json_shapes) / sizeof(json_shapes[0]); i++) {
		ccp_json *doc;

		if (kstat(k, json_shapes[i].file, &st) < 0 || !S_ISREG(st.st_mode) ||
		    !spec_find(k, json_shapes[i].file))
			continue;
		doc = kjson(k, json_shapes[i].file, 1);
		if (doc && (doc->type != CCP_JSON_OBJECT ||
			    !ccp_json_get(doc, json_shapes[i].key)))
			report(k, "CCP-V005", json_shapes[i].file, "has no '%s': it is "
			       "not what its name says", json_shapes[i].key);
		ccp_json_free(doc);
	}
}

static int load_root(X509 **out, vkit *k, const ccp_verify_opts *o)
{
	char *pem = NULL;
	size_t len = 0;
	ccp_error e;
	int rc;

	*out = NULL;
	if (o->root_ca) {
		ccp_error_clear(&e);
		rc = ccp_prov_read(&pem, &len, o->root_ca, KIT_FILE_MAX, &e);
		if (rc == 0)
			rc = ccp_pem_to_cert(out, pem, &e);
		free(pem);
		if (rc < 0)
			report(k, "CCP-V006", NULL, "the trusted root CA '%s' cannot be "
			       "used: %s", o->root_ca, e.message);
		return rc;
	}
	return load_cert(out, k, "startup/rootCA.pem");
}

static void verify_kit(ccp_diags *d, ccp_verify_result *res, const char *dir,
		       const char *shown, const ccp_verify_opts *o)
{
	vkit k;
	ccp_json *fed = NULL;
	X509 *root = NULL;
	ccp_nvf_line found;
	int certain;
	struct stat st;

	memset(&k, 0, sizeof(k));
	k.d = d;
	k.dir = dir;
	k.shown = shown;
	res->kits++;
	if (identify(&k, &fed) < 0)
		return;
	found = detect_line(&k, fed, &certain);
	if (o->line_given && found != o->line && certain)
		report(&k, "CCP-V008", NULL, "is a kit for NVFlare %s, not %s: the %s "
		       "runtime refuses it", ccp_nvf_release_of(found)->name,
		       ccp_nvf_release_of(o->line)->name, ccp_nvf_release_of(o->line)->name);
	k.rel = ccp_nvf_release_of(o->line_given ? o->line : found);
	res->line = k.rel->line;
	find_cc_manager(&k);
	/* A root signature.json or a CC manager makes a CC kit: one without
	 * the other is a kit whose attestation was taken out. */
	k.cc = k.mgr || kstat(&k, "signature.json", &st) == 0;
	if (k.cc && (k.kind == K_ADMIN || k.kind == K_RELAY))
		k.cc = 0;
	check_structure(&k);
	if (k.cc && !k.mgr && parent_ok(&k, "local/x"))
		report(&k, "CCP-V002", "local", "has no CC manager "
		       "(<id>__p_resources.json) though the kit is signed as a CC "
		       "kit: attestation would be off");
	if (k.mgr)
		check_cc(&k);
	check_shapes(&k);
	if (load_root(&root, &k, o) == 0) {
		check_signatures(&k, root);
		check_certs(&k, root, !o->root_ca);
	}
	if (!o->root_ca) {
		res->root_from_kit = 1;
		if (!o->trust_kit_root)
			report(&k, "CCP-V009", "startup/rootCA.pem", "the kit's own root CA "
			       "was the trust anchor: this shows the kit is consistent, not "
			       "that the project's CA made it");
	}
	X509_free(root);
	ccp_json_free(fed);
	ccp_json_free(k.mgr);
	free(k.mgr_file);
}

/* ---- archives ---- */

/* An archive being unpacked, and what it has used of its limits. */
typedef struct unpacking {
	vkit k;            /* where findings go */
	struct archive *a;
	const char *dir;   /* unpacked below here */
	char *top;         /* the kit folder every entry must be in */
	long long total;   /* bytes unpacked so far */
	size_t n;          /* entries so far */
} unpacking;

/* Every entry is in the one kit folder the first entry names. */
static int check_top(unpacking *u, const char *name)
{
	const char *slash = strchr(name, '/');
	size_t n;

	if (!u->top) {
		u->top = strndup(name, slash ? (size_t)(slash - name) : strlen(name));
		if (!u->top || !ccp_prov_name_ok(u->top)) {
			report(&u->k, "CCP-V010", NULL, "top folder '%s' is not a kit name",
			       u->top ? u->top : "");
			return -1;
		}
		return 0;
	}
	n = strlen(u->top);
	if (strncmp(name, u->top, n) != 0 || (name[n] != '/' && name[n] != '\0')) {
		report(&u->k, "CCP-V010", NULL, "holds '%s' outside its kit folder "
		       "'%s'", name, u->top);
		return -1;
	}
	return 0;
}

/* An entry may be a file or a folder, in the one kit folder. */
static int check_entry(unpacking *u, const char *name, mode_t type)
{
	if (++u->n > TGZ_MAX_ENTRIES) {
		report(&u->k, "CCP-V010", NULL, "has more than %d entries",
		       TGZ_MAX_ENTRIES);
		return -1;
	}
	if (!name || !*name || name[0] == '/' || strstr(name, "..") ||
	    (type != AE_IFREG && type != AE_IFDIR)) {
		report(&u->k, "CCP-V010", NULL, "entry '%s' is %s", name ? name : "",
		       !name || !*name ? "unnamed" : name[0] == '/' ?
		       "an absolute path" : strstr(name, "..") ?
		       "a path with '..'" : "a link or a device");
		return -1;
	}
	return check_top(u, name);
}

/* A file's bytes, within the archive's byte budget. */
static int unpack_file(unpacking *u, struct archive_entry *ae,
		       const char *name, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      (mode_t)(archive_entry_perm(ae) & 0700));
	const void *buf;
	size_t len;
	la_int64_t off;
	int rc = 0, r = ARCHIVE_OK;

	if (fd < 0) {
		report(&u->k, "CCP-V010", NULL, "entry '%s' cannot be unpacked: %s",
		       name, strerror(errno));
		return -1;
	}
	while (rc == 0 &&
	       (r = archive_read_data_block(u->a, &buf, &len, &off)) == ARCHIVE_OK) {
		u->total += (long long)len;
		if (u->total > TGZ_MAX_BYTES) {
			report(&u->k, "CCP-V010", NULL, "unpacks to more than %lld MiB",
			       TGZ_MAX_BYTES >> 20);
			rc = -1;
		} else if (write(fd, buf, len) != (ssize_t)len) {
			rc = -1;
		}
	}
	if (rc == 0 && r != ARCHIVE_EOF) {
		report(&u->k, "CCP-V010", NULL, "entry '%s' is damaged: %s", name,
		       archive_error_string(u->a));
		rc = -1;
	}
	/* keep the archived permission bits for the mode checks */
	fchmod(fd, (mode_t)(archive_entry_perm(ae) & 0777));
	close(fd);
	return rc;
}

static int unpack_entry(unpacking *u, struct archive_entry *ae)
{
	const char *name = archive_entry_pathname(ae);
	mode_t type = archive_entry_filetype(ae);
	ccp_buf path = CCP_BUF_INIT;
	int rc = 0;

	if (check_entry(u, name, type) < 0)
		return -1;
	ccp_buf_printf(&path, "%s/%s", u->dir, name);
	if (type == AE_IFDIR) {
		if (mkdir(ccp_buf_cstr(&path), 0700) < 0 && errno != EEXIST)
			rc = -1;
	} else {
		rc = unpack_file(u, ae, name, ccp_buf_cstr(&path));
	}
	ccp_buf_release(&path);
	return rc;
}

/* Unpack a kit archive into dir; entries must stay below it. */
static int unpack(ccp_diags *d, const char *tgz, const char *dir, char **top)
{
	struct archive_entry *ae;
	unpacking u;
	int rc = 0, r = ARCHIVE_OK;

	memset(&u, 0, sizeof(u));
	u.k.d = d;
	u.k.dir = dir;
	u.k.shown = tgz;
	u.dir = dir;
	*top = NULL;
	u.a = archive_read_new();
	if (!u.a)
		return -1;
	archive_read_support_filter_gzip(u.a);
	archive_read_support_format_tar(u.a);
	if (archive_read_open_filename(u.a, tgz, 65536) != ARCHIVE_OK) {
		report(&u.k, "CCP-V010", NULL, "cannot be read as a gzip tar: %s",
		       archive_error_string(u.a));
		archive_read_free(u.a);
		return -1;
	}
	while (rc == 0 && (r = archive_read_next_header(u.a, &ae)) == ARCHIVE_OK)
		rc = unpack_entry(&u, ae);
	if (rc == 0 && r != ARCHIVE_EOF) {
		report(&u.k, "CCP-V010", NULL, "is damaged: %s",
		       archive_error_string(u.a));
		rc = -1;
	}
	archive_read_free(u.a);
	*top = u.top;
	return rc;
}

static int verify_tgz(ccp_diags *d, ccp_verify_result *res, const char *tgz,
		      const ccp_verify_opts *o, ccp_error *err)
{
	char tmpl[] = "/tmp/ccprov-verify-XXXXXX";
	char *top = NULL;
	ccp_buf kit = CCP_BUF_INIT, shown = CCP_BUF_INIT;
	ccp_error ignore;

	/* mkdtemp makes it 0700: the unpacked keys are ours alone */
	if (!mkdtemp(tmpl))
		return ccp_error_set(err, CCP_EIO, "cannot create a temporary folder: %s",
				     strerror(errno));
	if (unpack(d, tgz, tmpl, &top) == 0 && top) {
		ccp_buf_printf(&kit, "%s/%s", tmpl, top);
		ccp_buf_printf(&shown, "%s:%s", tgz, top);
		verify_kit(d, res, ccp_buf_cstr(&kit), ccp_buf_cstr(&shown), o);
	}
	ccp_dir_rmtree(tmpl, &ignore);
	free(top);
	ccp_buf_release(&kit);
	ccp_buf_release(&shown);
	return 0;
}

/* ---- prod_NN and the entry point ---- */

static int is_kit_dir(const char *dir)
{
	static const char *const feds[] = { "fed_server.json", "fed_client.json",
					     "fed_admin.json", "fed_relay.json" };
	ccp_buf p = CCP_BUF_INIT;
	size_t i;
	int yes = 0;

	for (i = 0; i < 4 && !yes; i++) {
		ccp_buf_clear(&p);
		ccp_buf_printf(&p, "%s/startup/%s", dir, feds[i]);
		yes = access(ccp_buf_cstr(&p), F_OK) == 0;
	}
	ccp_buf_release(&p);
	return yes;
}

/* The sorted names in a prod_NN folder, at most PROD_MAX_KITS of them. */
static int list_kits(ccp_dir *out, const char *dir, ccp_error *err)
{
	if (ccp_dir_read(out, dir, PROD_MAX_KITS, 0) == 0)
		return 0;
	return errno == ENOMEM ? ccp_error_set(err, CCP_ENOMEM, "out of memory") :
	       ccp_error_set(err, CCP_EIO, "cannot read '%s': %s", dir,
			     strerror(errno));
}

/* One entry of a prod_NN folder: a kit folder, a packed NAME/NAME.tgz,
 * or anything else, which is no kit. */
static int verify_entry(ccp_diags *d, ccp_verify_result *res, const char *dir,
			const char *name, const ccp_verify_opts *o,
			ccp_error *err)
{
	ccp_buf sub = CCP_BUF_INIT, tgz = CCP_BUF_INIT;
	struct stat st;
	int rc = 0;

	ccp_buf_printf(&sub, "%s/%s", dir, name);
	ccp_buf_printf(&tgz, "%s/%s/%s.tgz", dir, name, name);
	if (is_kit_dir(ccp_buf_cstr(&sub)))
		verify_kit(d, res, ccp_buf_cstr(&sub), ccp_buf_cstr(&sub), o);
	else if (lstat(ccp_buf_cstr(&tgz), &st) == 0 && S_ISREG(st.st_mode))
		rc = verify_tgz(d, res, ccp_buf_cstr(&tgz), o, err);
	ccp_buf_release(&sub);
	ccp_buf_release(&tgz);
	return rc;
}

static int verify_prod(ccp_diags *d, ccp_verify_result *res, const char *dir,
		       const ccp_verify_opts *o, ccp_error *err)
{
	ccp_dir names;
	size_t i;
	int rc = list_kits(&names, dir, err);

	for (i = 0; rc == 0 && i < names.count; i++) {
		if (o->cancelled && o->cancelled()) {
			rc = ccp_error_set(err, CCP_EINTR, "interrupted");
			break;
		}
		rc = verify_entry(d, res, dir, names.names[i], o, err);
	}
	ccp_dir_release(&names);
	if (rc == 0 && res->kits == 0)
		rc = ccp_error_set(err, CCP_EINVAL, "'%s' holds no startup kit", dir);
	return rc;
}

int ccp_verify(ccp_diags *out, ccp_verify_result *res, const char *path,
	       const ccp_verify_opts *o, ccp_error *err)
{
	ccp_verify_opts defaults;
	struct stat st;

	memset(res, 0, sizeof(*res));
	if (!o) {
		memset(&defaults, 0, sizeof(defaults));
		o = &defaults;
	}
	if (stat(path, &st) < 0)
		return ccp_error_set(err, CCP_EINVAL, "cannot open '%s': %s", path,
				     strerror(errno));
	if (S_ISREG(st.st_mode))
		return verify_tgz(out, res, path, o, err);
	if (!S_ISDIR(st.st_mode))
		return ccp_error_set(err, CCP_EINVAL, "'%s' is neither a kit folder, "
				     "a kit archive nor a prod folder", path);
	if (is_kit_dir(path)) {
		verify_kit(out, res, path, path, o);
		return 0;
	}
	return verify_prod(out, res, path, o, err);
}
