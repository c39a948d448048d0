/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Persistent provisioning state, state/cert.json (NVFlare's format, so
 * a workspace moves between NVFlare and ccprov): the root CA and every subject's key pair, reused by later runs so
 * that identities stay stable.
 *
 * The file holds private keys: it is written with mode 0600, atomically
 * (a crash leaves the old or the new file, never a torn one), and every
 * buffer that held its text is cleansed before it is freed.
 */
#include "fsio.h"
#include "path.h"
#include "array.h"
#include "ccprov/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include "crypto_lazy.h"

#include "ccprov/buf.h"
#include "ccprov/json.h"
#include "crypto_int.h"

#define KEY_ROOT_CERT "root_cert"
#define KEY_ROOT_KEY "root_pri_key"
/* A state with thousands of participants is well under this. */
#define STATE_MAX ((size_t)64 * 1024 * 1024)

ccp_state *ccp_state_new(void)
{
	return calloc(1, sizeof(ccp_state));
}

void ccp_state_free(ccp_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->count; i++) {
		free(st->entries[i].subject);
		X509_free(st->entries[i].cert);
		EVP_PKEY_free(st->entries[i].key);
	}
	free(st->entries);
	X509_free(st->root_cert);
	EVP_PKEY_free(st->root_key);
	free(st);
}

ccp_state_entry *ccp_state_find(ccp_state *st, const char *subject)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (strcmp(st->entries[i].subject, subject) == 0)
			return &st->entries[i];
	return NULL;
}

int ccp_state_put(ccp_state *st, const char *subject, X509 *cert,
		  EVP_PKEY *key)
{
	ccp_state_entry *e;

	/* These names would collide with the root's keys in the file. */
	if (strcmp(subject, KEY_ROOT_CERT) == 0 ||
	    strcmp(subject, KEY_ROOT_KEY) == 0)
		return CCP_EINVAL;
	e = ccp_state_find(st, subject);
	if (!e) {
		if (ccp_grow(&st->entries, &st->cap, st->count + 1,
			     sizeof(*st->entries)) < 0)
			return CCP_ENOMEM;
		e = &st->entries[st->count];
		e->subject = strdup(subject);
		if (!e->subject)
			return CCP_ENOMEM;
		e->cert = NULL;
		e->key = NULL;
		st->count++;
	}
	/* Up-ref before freeing: cert or key may be the stored one. */
	X509_up_ref(cert);
	EVP_PKEY_up_ref(key);
	X509_free(e->cert);
	EVP_PKEY_free(e->key);
	e->cert = cert;
	e->key = key;
	return 0;
}

/* ---- loading ---- */

/* Wipe every string of a parsed state: some are private keys. */
static void json_cleanse(ccp_json *v)
{
	size_t i;

	if (!v)
		return;
	if (v->text)
		OPENSSL_cleanse(v->text, v->len);
	for (i = 0; i < v->count; i++)
		json_cleanse(v->items[i]);
}

/* Read the whole file (at most STATE_MAX) into a NUL-terminated buffer. */
static int read_file(ccp_buf *out, int fd, const char *path, ccp_error *err)
{
	char chunk[8192];

	ccp_buf_init_secret(out, STATE_MAX);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ccp_error_set(err, CCP_EIO, "cannot read '%s': %s",
					     path, strerror(errno));
		if (n == 0)
			break;
		ccp_buf_put(out, chunk, (size_t)n);
	}
	OPENSSL_cleanse(chunk, sizeof(chunk));
	if (ccp_buf_failed(out))
		return ccp_error_set(err, CCP_ESTATE, "'%s' is too large",
				     path);
	return 0;
}

static int load_pair(X509 **cert, EVP_PKEY **key, const char *cert_pem,
		     const char *key_pem, const char *path, const char *what,
		     ccp_error *err)
{
	ccp_error e = { 0, "" };

	*cert = NULL;
	*key = NULL;
	if (ccp_pem_to_cert(cert, cert_pem, &e) < 0 ||
	    ccp_pem_to_key(key, key_pem, &e) < 0)
		goto fail;
	if (X509_check_private_key(*cert, *key) != 1) {
		ERR_clear_error();
		ccp_error_set(&e, CCP_ESTATE,
			      "the key does not match the certificate");
		goto fail;
	}
	return 0;

fail:
	X509_free(*cert);
	EVP_PKEY_free(*key);
	*cert = NULL;
	*key = NULL;
	return ccp_error_set(err, CCP_ESTATE, "'%s': %s: %s", path, what,
			     e.message);
}

static int state_from_json(ccp_state *st, const ccp_json *doc,
			   const char *path, ccp_error *err)
{
	const char *cert_pem, *key_pem;
	size_t i;
	int rc;

	if (doc->type != CCP_JSON_OBJECT)
		return ccp_error_set(err, CCP_ESTATE,
				     "'%s' is not a JSON object", path);
	cert_pem = ccp_json_str(ccp_json_get(doc, KEY_ROOT_CERT));
	key_pem = ccp_json_str(ccp_json_get(doc, KEY_ROOT_KEY));
	if (!cert_pem || !key_pem)
		return ccp_error_set(err, CCP_ESTATE,
				     "'%s' has no '%s' and '%s' strings", path,
				     KEY_ROOT_CERT, KEY_ROOT_KEY);
	rc = load_pair(&st->root_cert, &st->root_key, cert_pem, key_pem,
		       path, "root CA", err);
	if (rc < 0)
		return rc;
	for (i = 0; i < doc->count; i++) {
		const char *name = doc->keys[i];
		X509 *cert;
		EVP_PKEY *key;

		if (strcmp(name, KEY_ROOT_CERT) == 0 ||
		    strcmp(name, KEY_ROOT_KEY) == 0)
			continue;
		cert_pem = ccp_json_str(ccp_json_get(doc->items[i], "cert"));
		key_pem = ccp_json_str(ccp_json_get(doc->items[i], "pri_key"));
		if (doc->items[i]->type != CCP_JSON_OBJECT || !cert_pem ||
		    !key_pem)
			return ccp_error_set(err, CCP_ESTATE,
					     "'%s': entry '%s' needs 'cert' and 'pri_key' strings",
					     path, name);
		rc = load_pair(&cert, &key, cert_pem, key_pem, path, name,
			       err);
		if (rc < 0)
			return rc;
		rc = ccp_state_put(st, name, cert, key);
		X509_free(cert);
		EVP_PKEY_free(key);
		if (rc < 0)
			return ccp_error_set(err, rc, "out of memory");
	}
	return 0;
}

int ccp_state_load(ccp_state **out, const char *path, ccp_error *err)
{
	ccp_buf text = CCP_BUF_INIT;
	ccp_json *doc = NULL;
	ccp_state *st = NULL;
	struct stat sb;
	char perr[256];
	int fd = -1, rc;

	*out = NULL;
	/* Not through a link, and without blocking on a FIFO. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 && errno == ELOOP)
		return ccp_error_set(err, CCP_ESTATE,
				     "'%s' is a symbolic link; the state must be a regular file",
				     path);
	if (fd < 0)
		return ccp_error_set(err, CCP_EIO, "cannot open '%s': %s",
				     path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		rc = ccp_error_set(err, CCP_ESTATE,
				   "'%s' is not a regular file", path);
		goto cleanup;
	}
	rc = read_file(&text, fd, path, err);
	if (rc < 0)
		goto cleanup;
	if (ccp_json_parse(&doc, ccp_buf_cstr(&text), text.len, perr,
			   sizeof(perr)) < 0) {
		rc = ccp_error_set(err, CCP_ESTATE, "'%s': %s", path, perr);
		goto cleanup;
	}
	st = ccp_state_new();
	if (!st) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = state_from_json(st, doc, path, err);
	if (rc < 0)
		goto cleanup;
	*out = st;
	st = NULL;

cleanup:
	if (fd >= 0)
		close(fd);
	ccp_state_free(st);
	json_cleanse(doc);
	ccp_json_free(doc);
	if (text.data)
		OPENSSL_cleanse(text.data, text.cap);
	ccp_buf_release(&text);
	return rc;
}

/* ---- saving ---- */

/* Write {"cert": PEM, "pri_key": PEM} or the root's two keys. */
static int put_pair(ccp_jw *w, const char *cert_key, const char *key_key,
		    X509 *cert, EVP_PKEY *key, ccp_error *err)
{
	char *cert_pem = NULL, *key_pem = NULL;
	int rc;

	rc = ccp_pem_from_cert(&cert_pem, cert, err);
	if (rc == 0)
		rc = ccp_pem_from_key(&key_pem, key, err);
	if (rc == 0) {
		ccp_jw_key(w, cert_key);
		ccp_jw_string(w, cert_pem);
		ccp_jw_key(w, key_key);
		ccp_jw_string(w, key_pem);
	}
	free(cert_pem);
	if (key_pem)
		OPENSSL_cleanse(key_pem, strlen(key_pem));
	free(key_pem);
	return rc;
}

static int render_state(ccp_buf *out, const ccp_state *st, ccp_error *err)
{
	ccp_jw w;
	size_t i;
	int rc;

	ccp_jw_init(&w, out, 2);
	ccp_jw_object_begin(&w);
	rc = put_pair(&w, KEY_ROOT_CERT, KEY_ROOT_KEY, st->root_cert,
		      st->root_key, err);
	for (i = 0; rc == 0 && i < st->count; i++) {
		const ccp_state_entry *e = &st->entries[i];

		ccp_jw_key(&w, e->subject);
		ccp_jw_object_begin(&w);
		rc = put_pair(&w, "cert", "pri_key", e->cert, e->key, err);
		ccp_jw_object_end(&w);
	}
	ccp_jw_object_end(&w);
	ccp_buf_putc(out, '\n');
	if (rc == 0 && ccp_buf_failed(out))
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
	return rc;
}

/* fsync a folder so that a rename in it survives a crash. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int ccp_state_save(const ccp_state *st, const char *path, ccp_error *err)
{
	ccp_buf text = CCP_BUF_INIT;
	char *dir = NULL, *tmp = NULL;
	int fd = -1, rc;

	if (!st->root_cert || !st->root_key)
		return ccp_error_set(err, CCP_EINVAL,
				     "state for '%s' has no root CA", path);
	ccp_buf_init_secret(&text, STATE_MAX);
	rc = render_state(&text, st, err);
	if (rc < 0)
		goto cleanup;

	/* The temp file lives beside path so that rename() is atomic. */
	dir = ccp_path_dirname(path);
	tmp = malloc(strlen(path) + sizeof(".tmpXXXXXX"));
	if (!dir || !tmp) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	strcpy(tmp, path);
	strcat(tmp, ".tmpXXXXXX");
	/* mkstemp creates the file 0600 whatever the umask. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		free(tmp);
		tmp = NULL;
		rc = ccp_error_set(err, CCP_EIO,
				   "cannot create a file beside '%s': %s", path,
				   strerror(errno));
		goto cleanup;
	}
	if (fchmod(fd, 0600) < 0 || ccp_write_all(fd, text.data, text.len) < 0 ||
	    fsync(fd) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", tmp,
				   strerror(errno));
		goto cleanup;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0 || rename(tmp, path) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot write '%s': %s", path,
				   strerror(errno));
		goto cleanup;
	}
	free(tmp);
	tmp = NULL;
	if (sync_dir(dir) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot sync '%s': %s", dir,
				   strerror(errno));
		goto cleanup;
	}
	rc = 0;

cleanup:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	if (text.data)
		OPENSSL_cleanse(text.data, text.cap);
	ccp_buf_release(&text);
	return rc;
}
