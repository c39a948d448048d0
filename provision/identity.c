/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Identities of a run: the root CA and one key pair and certificate per
 * participant, reused from state/cert.json when it exists so that
 * re-provisioning keeps every site's identity. Stored certificates that
 * no longer describe their participant are re-issued with their stored
 * key, never silently reused.
 */
#include "prov_int.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "crypto_lazy.h"

/* Participant certificates: NVFlare's fixed lifetime (capped at the
 * root's NotAfter by ccp_cert_issue). */
#define PARTICIPANT_VALID_DAYS 360
/* Host names of one internal listener certificate. */
#define LISTENER_MAX_SANS 64

static int has_kit(const ccp_kit_participant *q)
{
	return q->type == CCP_PT_SERVER || q->type == CCP_PT_CLIENT ||
	       q->type == CCP_PT_ADMIN || q->type == CCP_PT_RELAY;
}

/* Clients with a listening_host and every relay run a listener of their
 * own, with a server certificate of its own. */
static int has_listener(const ccp_kit_participant *q)
{
	return (q->type == CCP_PT_CLIENT || q->type == CCP_PT_RELAY) &&
	       q->listening_host;
}

void ccp_prov_subject(ccp_cert_subject *out, const char **sans,
		      size_t max_sans, const ccp_kit_participant *q)
{
	size_t n = 0, i, j;

	memset(out, 0, sizeof(*out));
	out->cn = q->name;
	out->org = q->org;
	out->role = q->type == CCP_PT_ADMIN ? q->role : NULL;
	if (q->type == CCP_PT_SERVER) {
		sans[n++] = q->default_host ? q->default_host : q->name;
		for (i = 0; i < q->n_host_names && n < max_sans; i++) {
			for (j = 0; j < n; j++)
				if (strcmp(sans[j], q->host_names[i]) == 0)
					break;
			if (j == n)
				sans[n++] = q->host_names[i];
		}
	} else {
		sans[n++] = q->name;
	}
	out->sans = sans;
	out->nsans = n;
}

/*
 * SANs of the server certificate of a client's internal listener, as
 * NVFlare issues it: the listener's default host (the string itself, or
 * the mapping's default_host, else "localhost"), then its host_names.
 * Returns the count; the strings belong to q.
 */
static size_t listener_sans(const char **sans, size_t max,
			    const ccp_kit_participant *q)
{
	const ccp_json *lh = q->props ? ccp_json_get(q->props, "listening_host") : NULL;
	const ccp_json *hn;
	size_t n = 0, i, j;

	if (lh && lh->type == CCP_JSON_STRING) {
		sans[n++] = lh->text;
		return n;
	}
	sans[n] = lh ? ccp_json_str(ccp_json_get(lh, "default_host")) : NULL;
	if (!sans[n] || !sans[n][0])
		sans[n] = "localhost";
	n++;
	hn = lh ? ccp_json_get(lh, "host_names") : NULL;
	for (i = 0; hn && i < (hn->type == CCP_JSON_ARRAY ? hn->count : 1) &&
		    n < max; i++) {
		const char *h = ccp_json_str(hn->type == CCP_JSON_ARRAY ?
					     hn->items[i] : hn);

		for (j = 0; h && h[0] && j < n; j++)
			if (strcmp(sans[j], h) == 0)
				break;
		if (h && h[0] && j == n)
			sans[n++] = h;
	}
	return n;
}

void ccp_prov_ids_release(ccp_prov_ids *ids)
{
	size_t i;

	if (!ids)
		return;
	for (i = 0; i < ids->n; i++) {
		X509_free(ids->ids[i].cert);
		EVP_PKEY_free(ids->ids[i].key);
		X509_free(ids->ids[i].lh_cert);
		EVP_PKEY_free(ids->ids[i].lh_key);
	}
	free(ids->ids);
	X509_free(ids->root);
	EVP_PKEY_free(ids->root_key);
	ccp_state_free(ids->state);
	memset(ids, 0, sizeof(*ids));
}

static int issue(X509 **out, const ccp_kit_participant *q, EVP_PKEY *key,
		 const ccp_prov_ids *ids, ccp_error *err)
{
	const char **sans = calloc(q->n_host_names + 1, sizeof(*sans));
	ccp_cert_subject subj;
	int rc;

	if (!sans)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	ccp_prov_subject(&subj, sans, q->n_host_names + 1, q);
	rc = ccp_cert_issue(out, &subj, key, ids->root, ids->root_key,
			    PARTICIPANT_VALID_DAYS, err);
	free(sans);
	return rc;
}

/* Compare the stored identity with the project: a changed admin role is
 * a conflict NVFlare refuses too; anything else that changed (org, SAN,
 * expiry) means the certificate must be re-issued. */
static int check_stored(ccp_prov_ident *id, ccp_state_entry *e,
			const char *state_path, ccp_error *err)
{
	const ccp_kit_participant *q = id->q;
	const char **sans;
	ccp_cert_subject subj;
	int matches;

	if (q->type == CCP_PT_ADMIN) {
		char *old = ccp_cert_role(e->cert);
		int changed = old && (!q->role || strcmp(old, q->role) != 0);

		if (changed) {
			ccp_error_set(err, CCP_ESTATE,
				      "admin '%s' was provisioned with role '%s' but now has role '%s'; "
				      "delete the workspace (or '%s') and provision from scratch",
				      q->name, old, q->role ? q->role : "(none)",
				      state_path);
			free(old);
			return CCP_ESTATE;
		}
		free(old);
	}
	sans = calloc(q->n_host_names + 1, sizeof(*sans));
	if (!sans)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	ccp_prov_subject(&subj, sans, q->n_host_names + 1, q);
	matches = ccp_cert_matches(e->cert, &subj);
	free(sans);
	if (!matches || ccp_cert_expired(e->cert))
		id->reissued = 1;
	if (!EVP_PKEY_up_ref(e->key))
		return ccp_error_set(err, CCP_ECRYPTO, "cannot reference a stored key");
	id->key = e->key;
	if (!id->reissued) {
		if (!X509_up_ref(e->cert))
			return ccp_error_set(err, CCP_ECRYPTO,
					     "cannot reference a stored certificate");
		id->cert = e->cert;
	}
	return 0;
}

/*
 * root_valid_days only shapes a new root CA. NVFlare refuses a run whose
 * setting differs from the stored root's lifetime rather than let it
 * silently not apply; so does ccprov, and says how to reconcile the two.
 */
static int check_root_lifetime(X509 *root, const ccp_kit_project *p,
			       int root_valid_days, const char *state_path,
			       ccp_error *err)
{
	const char *origin = ccp_prov_builder_arg(p, CCP_NVF_B_CERT,
						  "root_valid_days") ?
			     "" : " (its default)";
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(root),
			    X509_get0_notAfter(root)))
		return ccp_error_set(err, CCP_ESTATE,
				     "cannot read the validity of the root CA stored in '%s'",
				     state_path);
	if (secs == 0 && days == root_valid_days)
		return 0;
	if (secs == 0 && days > 0)
		return ccp_error_set(err, CCP_ESTATE,
				     "the root CA stored in '%s' was issued for %d days but "
				     "CertBuilder root_valid_days is %d%s; set root_valid_days: %d "
				     "to keep it, or move '%s' away to start over with a new root "
				     "CA and new identities for every site",
				     state_path, days, root_valid_days, origin, days,
				     state_path);
	return ccp_error_set(err, CCP_ESTATE,
			     "the root CA stored in '%s' was issued for %.4f days, which no "
			     "CertBuilder root_valid_days (%d%s) can match; move '%s' away to "
			     "start over with a new root CA and new identities for every site",
			     state_path, days + secs / 86400.0, root_valid_days, origin,
			     state_path);
}

/*
 * What a stored state may hand out. A consistent certificate and key
 * from another CA would be published in kits that do not chain; a CA
 * certificate, or the root's own key, in a participant's entry would
 * give a site the power to issue identities. Every entry is checked,
 * used by this project or not: the whole file is saved again.
 */
static int is_issued_by(X509 *cert, X509 *issuer)
{
	EVP_PKEY *pub = X509_get0_pubkey(issuer);
	int ok = pub && X509_check_issued(issuer, cert) == X509_V_OK &&
		 X509_verify(cert, pub) == 1;

	ERR_clear_error();
	return ok;
}

static int check_state_trust(const ccp_state *st, const char *state_path,
			     ccp_error *err)
{
	static const char fix[] = "remove that entry from '%s' (a new identity is "
				  "made for it) or move '%s' away to start over";
	size_t i;

	if (!is_issued_by(st->root_cert, st->root_cert) ||
	    !(X509_get_extension_flags(st->root_cert) & EXFLAG_CA))
		return ccp_error_set(err, CCP_ESTATE,
				     "the root CA stored in '%s' is not a self-signed CA "
				     "certificate; move '%s' away to start over",
				     state_path, state_path);
	for (i = 0; i < st->count; i++) {
		const ccp_state_entry *e = &st->entries[i];
		const char *why = NULL;

		if (!is_issued_by(e->cert, st->root_cert))
			why = "is not issued by the stored root CA";
		else if (X509_check_ca(e->cert) != 0)
			why = "is a CA certificate";
		else if (EVP_PKEY_eq(e->key, st->root_key) == 1)
			why = "uses the root CA's private key";
		ERR_clear_error();
		if (why) {
			ccp_buf b = CCP_BUF_INIT;
			int rc;

			ccp_buf_printf(&b, "the certificate of '%s' in '%s' %s; ",
				       e->subject, state_path, why);
			ccp_buf_printf(&b, fix, state_path, state_path);
			rc = ccp_error_set(err, CCP_ESTATE, "%s", ccp_buf_cstr(&b));
			ccp_buf_release(&b);
			return rc;
		}
	}
	return 0;
}

static int set_root(ccp_state *st, X509 *root, EVP_PKEY *key, ccp_error *err)
{
	if (!X509_up_ref(root) || !EVP_PKEY_up_ref(key))
		return ccp_error_set(err, CCP_ECRYPTO, "cannot reference the root CA");
	X509_free(st->root_cert);
	EVP_PKEY_free(st->root_key);
	st->root_cert = root;
	st->root_key = key;
	return 0;
}

/* The stored root CA, checked, becomes the root of this run. */
static int adopt_stored_root(ccp_prov_ids *ids, const ccp_kit_project *p,
			     const char *state_path, int root_valid_days,
			     ccp_error *err)
{
	int rc;

	if (ccp_cert_expired(ids->state->root_cert))
		return ccp_error_set(err, CCP_ESTATE,
				     "the root CA stored in '%s' has expired; no certificate "
				     "can be issued with it (move the workspace away and "
				     "provision from scratch)", state_path);
	rc = check_root_lifetime(ids->state->root_cert, p, root_valid_days,
				 state_path, err);
	if (rc < 0)
		return rc;
	if (!X509_up_ref(ids->state->root_cert) ||
	    !EVP_PKEY_up_ref(ids->state->root_key))
		return ccp_error_set(err, CCP_ECRYPTO, "cannot reference the root CA");
	ids->root = ids->state->root_cert;
	ids->root_key = ids->state->root_key;
	return check_state_trust(ids->state, state_path, err);
}

/* One identity per participant with a kit: kept from the state when the
 * stored one still fits, new otherwise; *nkeys counts the keys to make. */
static int list_identities(ccp_prov_ids *ids, size_t *nkeys,
			   const ccp_kit_project *p, const char *state_path,
			   ccp_error *err)
{
	size_t i;
	int rc;

	ids->ids = calloc(p->n_participants ? p->n_participants : 1,
			  sizeof(*ids->ids));
	if (!ids->ids)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	for (i = 0; i < p->n_participants; i++) {
		const ccp_kit_participant *q = &p->participants[i];
		ccp_prov_ident *id = &ids->ids[ids->n];
		ccp_state_entry *e;

		if (!has_kit(q))
			continue;
		id->q = q;
		ids->n++;
		e = ids->root ? ccp_state_find(ids->state, q->name) : NULL;
		if (e && e->cert && e->key) {
			rc = check_stored(id, e, state_path, err);
			if (rc < 0)
				return rc;
		} else {
			id->is_new = 1;
			(*nkeys)++;
		}
		if (has_listener(q))
			(*nkeys)++;
	}
	if (!ids->root)
		(*nkeys)++;
	return 0;
}

/* The keys of a run, made all at once and handed out in order. */
typedef struct key_queue {
	EVP_PKEY **keys;
	size_t n, next;
} key_queue;

static int make_keys(key_queue *kq, const ccp_rsa_many_opts *keygen,
		     ccp_error *err)
{
	int rc;

	if (!kq->n)
		return 0;
	kq->keys = calloc(kq->n, sizeof(*kq->keys));
	if (!kq->keys)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	rc = ccp_rsa_generate_many(kq->keys, kq->n, keygen, err);
	if (rc == CCP_EINTR)
		ccp_error_set(err, CCP_EINTR, "interrupted during key generation; "
			      "nothing was published");
	return rc;
}

static EVP_PKEY *take_key(key_queue *kq)
{
	EVP_PKEY *key = kq->keys[kq->next];

	kq->keys[kq->next++] = NULL;
	return key;
}

static void key_queue_release(key_queue *kq)
{
	size_t i;

	for (i = 0; kq->keys && i < kq->n; i++)
		EVP_PKEY_free(kq->keys[i]);
	free(kq->keys);
}

/* A new root CA, kept in the state. */
static int make_root(ccp_prov_ids *ids, key_queue *kq,
		     const ccp_kit_project *p, int root_valid_days,
		     ccp_error *err)
{
	int rc;

	ids->root_key = take_key(kq);
	rc = ccp_cert_root(&ids->root, ids->root_key, p->name, root_valid_days,
			   err);
	if (rc == 0)
		rc = set_root(ids->state, ids->root, ids->root_key, err);
	if (rc == 0)
		ids->new_root = 1;
	return rc;
}

/* The internal listener's server cert is not kept in the state (NVFlare
 * issues it afresh every run). */
static int issue_listener(ccp_prov_ident *id, const ccp_prov_ids *ids,
			  ccp_error *err)
{
	const char *sans[LISTENER_MAX_SANS];
	ccp_cert_subject subj = { id->q->name, id->q->org, NULL, sans, 0 };

	subj.nsans = listener_sans(sans, LISTENER_MAX_SANS, id->q);
	return ccp_cert_issue(&id->lh_cert, &subj, id->lh_key, ids->root,
			      ids->root_key, PARTICIPANT_VALID_DAYS, err);
}

/* A new or re-issued identity gets its certificate, and a listener its
 * own; reads the root, writes only id (so identities go in parallel). */
static int issue_identity(ccp_prov_ident *id, const ccp_prov_ids *ids,
			  ccp_error *err)
{
	int rc = 0;

	if (id->is_new || id->reissued)
		rc = issue(&id->cert, id->q, id->key, ids, err);
	if (rc == 0 && has_listener(id->q))
		rc = issue_listener(id, ids, err);
	return rc;
}

/* Hand out the generated keys in the order they were counted. */
static void assign_keys(ccp_prov_ids *ids, key_queue *kq)
{
	size_t i;

	for (i = 0; i < ids->n; i++) {
		ccp_prov_ident *id = &ids->ids[i];

		if (id->is_new)
			id->key = take_key(kq);
		if (has_listener(id->q))
			id->lh_key = take_key(kq);
	}
}

static int issue_item(void *ctx, size_t i, ccp_error *err)
{
	ccp_prov_ids *ids = ctx;

	return issue_identity(&ids->ids[i], ids, err);
}

/* New and re-issued identities go into the state, in project order. */
static int store_identities(ccp_prov_ids *ids, ccp_error *err)
{
	size_t i;

	for (i = 0; i < ids->n; i++) {
		ccp_prov_ident *id = &ids->ids[i];

		int rc;

		if (!id->is_new && !id->reissued)
			continue;
		rc = ccp_state_put(ids->state, id->q->name, id->cert, id->key);
		if (rc == CCP_EINVAL)
			return ccp_error_set(err, rc, "'%s' is a name the state file "
					     "reserves", id->q->name);
		if (rc < 0)
			return ccp_error_set(err, rc, "out of memory");
	}
	return 0;
}

int ccp_prov_identities(ccp_prov_ids *out, const ccp_kit_project *p,
			const char *state_path, int root_valid_days,
			const ccp_rsa_many_opts *keygen, ccp_error *err)
{
	ccp_prov_ids ids;
	key_queue kq;
	int rc;

	memset(&ids, 0, sizeof(ids));
	memset(&kq, 0, sizeof(kq));
	memset(out, 0, sizeof(*out));
	rc = ccp_state_load(&ids.state, state_path, err);
	if (rc < 0)
		goto cleanup;
	if (!ids.state && !(ids.state = ccp_state_new())) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (ids.state->root_cert)
		rc = adopt_stored_root(&ids, p, state_path, root_valid_days, err);
	if (rc == 0)
		rc = list_identities(&ids, &kq.n, p, state_path, err);
	if (rc == 0)
		rc = make_keys(&kq, keygen, err);
	if (rc == 0 && !ids.root)
		rc = make_root(&ids, &kq, p, root_valid_days, err);
	if (rc == 0) {
		assign_keys(&ids, &kq);
		/* every certificate of the run on every core (threads as keygen's) */
		rc = ccp_prov_parallel(ids.n, keygen ? keygen->threads : 0,
				       issue_item, &ids, err);
	}
	if (rc == 0)
		rc = store_identities(&ids, err);
	if (rc < 0)
		goto cleanup;
	*out = ids;
	memset(&ids, 0, sizeof(ids));

cleanup:
	key_queue_release(&kq);
	ccp_prov_ids_release(&ids);
	return rc;
}
