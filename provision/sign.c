/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSA-PSS signatures and the signature.json files of a startup kit
 * (the format NVFlare's verifier reads; docs/security.md says what it binds).
 *
 * The tree walks never follow a symbolic link: every folder is opened
 * relative to its parent with O_NOFOLLOW and every entry is examined with
 * AT_SYMLINK_NOFOLLOW, so a link planted in a kit cannot make the signer
 * or the verifier read outside it.
 */
#include "fsio.h"
#include "array.h"
#include "dir.h"
#include "ccprov/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include "crypto_lazy.h"

#include "ccprov/buf.h"
#include "ccprov/json.h"
#include "crypto_int.h"

#define SIGNATURE_FILE "signature.json"
/* Kits are a few levels deep; this bounds recursion on hostile trees. */
#define MAX_DEPTH 32
/* Entries per folder and size of a signature.json we accept to read. */
#define MAX_ENTRIES 100000
#define MAX_SIGFILE ((size_t)16 * 1024 * 1024)
/* A base64 RSA signature is ~344 characters; anything far longer is junk. */
#define MAX_B64 4096
#define READ_CHUNK 65536

/* ---- signatures ---- */

/*
 * saltlen: RSA_PSS_SALTLEN_MAX signs with the maximum salt, as NVFlare
 * does; on a verifier it accepts only that salt length. NVFlare's own
 * check asks the cryptography package for PSS.MAX_LENGTH, which before
 * cryptography 42 (NVFlare accepts 36 and later) means exactly the
 * maximum, so a kit verified any more loosely may still be refused at
 * the site. RSA_PSS_SALTLEN_AUTO accepts any salt length.
 */
static int pss_begin(EVP_MD_CTX **out, EVP_PKEY *key, int sign, int saltlen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	*out = NULL;
	if (!m)
		return -1;
	ok = sign ? EVP_DigestSignInit(m, &pctx, EVP_sha256(), NULL, key)
		  : EVP_DigestVerifyInit(m, &pctx, EVP_sha256(), NULL, key);
	if (ok <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) <= 0) {
		EVP_MD_CTX_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

static int pss_update(EVP_MD_CTX *m, int sign, const void *data, size_t len)
{
	int ok = sign ? EVP_DigestSignUpdate(m, data, len)
		      : EVP_DigestVerifyUpdate(m, data, len);

	return ok > 0 ? 0 : -1;
}

/* Feed a whole file to the digest. Returns 0, or -1 with errno set. */
static int pss_update_fd(EVP_MD_CTX *m, int sign, int fd)
{
	unsigned char buf[READ_CHUNK];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (pss_update(m, sign, buf, (size_t)n) < 0) {
			errno = EPROTO;
			return -1;
		}
	}
}

static int pss_sign_final(char **out, EVP_MD_CTX *m)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	char *b64 = NULL;
	int rc = -1;

	*out = NULL;
	if (EVP_DigestSignFinal(m, NULL, &siglen) <= 0)
		goto cleanup;
	sig = malloc(siglen);
	if (!sig || EVP_DigestSignFinal(m, sig, &siglen) <= 0)
		goto cleanup;
	/* EVP_EncodeBlock writes one line with no newlines, plus a NUL. */
	b64 = malloc(4 * ((siglen + 2) / 3) + 1);
	if (!b64)
		goto cleanup;
	EVP_EncodeBlock((unsigned char *)b64, sig, (int)siglen);
	*out = b64;
	rc = 0;

cleanup:
	free(sig);
	return rc;
}

/* Decode standard padded base64 into a malloc'd buffer. */
static int b64_decode(unsigned char **out, size_t *outlen, const char *b64)
{
	size_t len = strlen(b64), pad = 0;
	unsigned char *buf;
	int n;

	*out = NULL;
	if (len == 0 || len % 4 != 0 || len > MAX_B64)
		return -1;
	if (b64[len - 1] == '=')
		pad++;
	if (b64[len - 2] == '=')
		pad++;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -1;
	n = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)len);
	if (n < 0 || (size_t)n < pad) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = (size_t)n - pad;
	return 0;
}

static int pss_verify_final(EVP_MD_CTX *m, EVP_PKEY *pub, const char *b64)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int rc = -1;

	if (b64_decode(&sig, &siglen, b64) < 0)
		goto cleanup;
	if (siglen != (size_t)EVP_PKEY_get_size(pub))
		goto cleanup;
	if (EVP_DigestVerifyFinal(m, sig, siglen) == 1)
		rc = 0;

cleanup:
	free(sig);
	/* A bad signature is an answer, not an error to report later. */
	ERR_clear_error();
	return rc;
}

int ccp_sign_pss_b64(char **out, EVP_PKEY *key, const void *data,
		     size_t len, ccp_error *err)
{
	EVP_MD_CTX *m = NULL;
	int rc = 0;

	*out = NULL;
	if (pss_begin(&m, key, 1, RSA_PSS_SALTLEN_MAX) < 0 ||
	    pss_update(m, 1, data, len) < 0 ||
	    pss_sign_final(out, m) < 0)
		rc = ccp_crypto_fail(err, CCP_ECRYPTO, "cannot sign");
	EVP_MD_CTX_free(m);
	return rc;
}

static int verify_data(EVP_PKEY *pub, int saltlen, const void *data,
		       size_t len, const char *b64)
{
	EVP_MD_CTX *m = NULL;
	int rc = -1;

	if (pss_begin(&m, pub, 0, saltlen) == 0 &&
	    pss_update(m, 0, data, len) == 0)
		rc = pss_verify_final(m, pub, b64);
	ERR_clear_error();
	EVP_MD_CTX_free(m);
	return rc;
}

int ccp_verify_pss_b64(EVP_PKEY *pub, const void *data, size_t len,
		       const char *b64)
{
	return verify_data(pub, RSA_PSS_SALTLEN_AUTO, data, len, b64);
}

/* ---- tree walks ---- */

typedef struct entry {
	char *name;
	int is_dir;
} entry;

typedef struct walk {
	char path[PATH_MAX];   /* folder being walked, for messages */
	size_t len;
	int depth;
	EVP_PKEY *key;         /* signing key, or the public key to verify */
	ccp_error *err;
	/* Verifying: when set, an entry's problem is passed here and the
	 * walk goes on (problems counts them); else the first one stops it. */
	void (*each)(void *ctx, const char *message);
	void *each_ctx;
	size_t problems;
} walk;

static void entries_free(entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

/* Append "/name" to w->path; returns the previous length or -1. */
static long path_push(walk *w, const char *name)
{
	size_t n = strlen(name), old = w->len;

	if (old + 1 + n >= sizeof(w->path)) {
		ccp_error_set(w->err, CCP_EINVAL, "path '%s/%s' is too long",
			      w->path, name);
		return -1;
	}
	w->path[old] = '/';
	memcpy(w->path + old + 1, name, n + 1);
	w->len = old + 1 + n;
	return (long)old;
}

static void path_pop(walk *w, long old)
{
	w->len = (size_t)old;
	w->path[w->len] = '\0';
}

/* What a signed tree may hold: files and folders, and signature.json
 * only as a file. */
static int entry_kind(int *is_dir, int dfd, const char *name, walk *w)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ccp_error_set(w->err, CCP_EIO, "cannot stat '%s/%s': %s",
				     w->path, name, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return ccp_error_set(w->err, CCP_EINVAL,
				     "symbolic link '%s/%s' in a signed tree",
				     w->path, name);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s/%s' is neither a file nor a folder",
				     w->path, name);
	if (strcmp(name, SIGNATURE_FILE) == 0 && !S_ISREG(st.st_mode))
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s/%s' is not a regular file", w->path, name);
	*is_dir = S_ISDIR(st.st_mode);
	return 0;
}

/* One more entry in *list, which holds *n of *cap. */
static int entry_add(entry **list, size_t *n, size_t *cap, const char *name,
		     int is_dir, walk *w)
{
	if (ccp_grow(list, cap, *n + 1, sizeof(**list)) < 0)
		return ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
	(*list)[*n].name = strdup(name);
	(*list)[*n].is_dir = is_dir;
	if (!(*list)[*n].name)
		return ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
	(*n)++;
	return 0;
}

/*
 * Sorted entries of the folder open as dfd (without "." and ".."). A
 * symbolic link, a special file or a signature.json that is not a
 * regular file is an error.
 */
static int list_dir(entry **out, size_t *count, int dfd, walk *w)
{
	entry *list = NULL;
	size_t n = 0, cap = 0, i;
	ccp_dir names;
	int rc = 0;

	*out = NULL;
	*count = 0;
	if (ccp_dir_read_at(&names, dfd, MAX_ENTRIES, CCP_DIR_HIDDEN) < 0) {
		int e = errno;

		ccp_dir_release(&names);
		return ccp_error_set(w->err, CCP_EIO, "cannot list '%s': %s",
				     w->path, strerror(e));
	}
	if (names.truncated)
		rc = ccp_error_set(w->err, CCP_EINVAL, "too many entries in '%s'",
				   w->path);
	/* names come sorted, so the entries do */
	for (i = 0; rc == 0 && i < names.count; i++) {
		int is_dir = 0;

		rc = entry_kind(&is_dir, dfd, names.names[i], w);
		if (rc == 0)
			rc = entry_add(&list, &n, &cap, names.names[i], is_dir, w);
	}
	ccp_dir_release(&names);
	if (rc < 0) {
		entries_free(list, list ? n : 0);
		return rc;
	}
	*out = list;
	*count = n;
	return 0;
}

/* Open a folder below dfd (or the start folder when dfd is AT_FDCWD). */
static int open_dir(int *out, int dfd, const char *name, walk *w)
{
	*out = openat(dfd, name,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*out >= 0)
		return 0;
	if (errno == ELOOP || errno == ENOTDIR) {
		struct stat st;

		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			return ccp_error_set(w->err, CCP_EINVAL,
					     "symbolic link '%s' in a signed tree",
					     w->path);
	}
	return ccp_error_set(w->err, CCP_EIO, "cannot open folder '%s': %s",
			     w->path, strerror(errno));
}

/* Open a regular file below dfd for reading, refusing anything else. */
static int open_file(int *out, int dfd, const char *name, walk *w)
{
	struct stat st;
	int fd;

	*out = -1;
	/* O_NONBLOCK: a FIFO swapped in after listing must not hang us. */
	fd = openat(dfd, name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return ccp_error_set(w->err, e == ENOENT ? CCP_EINVAL : CCP_EIO,
				     "cannot open '%s': %s", w->path,
				     e == ELOOP ? "symbolic link" : strerror(e));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s' is not a regular file", w->path);
	}
	*out = fd;
	return 0;
}

/*
 * Walk the folder open as dfd: check mode (nothing written) or sign mode
 * (signature.json written, then the subfolders).
 */
static int sign_dir(int dfd, walk *w, int write);

static int sign_subdir(int dfd, const char *name, walk *w, int write)
{
	long old = path_push(w, name);
	int sub = -1, rc;

	if (old < 0)
		return CCP_EINVAL;
	rc = open_dir(&sub, dfd, name, w);
	if (rc == 0) {
		w->depth++;
		rc = sign_dir(sub, w, write);
		w->depth--;
		close(sub);
	}
	path_pop(w, old);
	return rc;
}

/* Signature of a regular file below dfd, base64 into *out. */
static int sign_file(char **out, int dfd, const char *name, walk *w)
{
	EVP_MD_CTX *m = NULL;
	long old = path_push(w, name);
	int fd = -1, rc;

	*out = NULL;
	if (old < 0)
		return CCP_EINVAL;
	rc = open_file(&fd, dfd, name, w);
	if (rc < 0)
		goto cleanup;
	if (pss_begin(&m, w->key, 1, RSA_PSS_SALTLEN_MAX) < 0) {
		rc = ccp_crypto_fail(w->err, CCP_ECRYPTO, "cannot sign '%s'",
				     w->path);
		goto cleanup;
	}
	if (pss_update_fd(m, 1, fd) < 0) {
		rc = errno == EPROTO
			? ccp_crypto_fail(w->err, CCP_ECRYPTO,
					  "cannot sign '%s'", w->path)
			: ccp_error_set(w->err, CCP_EIO, "cannot read '%s': %s",
					w->path, strerror(errno));
		goto cleanup;
	}
	if (pss_sign_final(out, m) < 0) {
		rc = ccp_crypto_fail(w->err, CCP_ECRYPTO, "cannot sign '%s'",
				     w->path);
		goto cleanup;
	}
	rc = 0;

cleanup:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(m);
	path_pop(w, old);
	return rc;
}

static int write_signatures(int dfd, const ccp_buf *json, walk *w)
{
	long old = path_push(w, SIGNATURE_FILE);
	int fd, rc = 0;

	if (old < 0)
		return CCP_EINVAL;
	fd = openat(dfd, SIGNATURE_FILE,
		    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	/* fchmod: the umask must not change the mode the kit format fixes. */
	if (fd < 0 || fchmod(fd, 0644) < 0 ||
	    ccp_write_all(fd, json->data, json->len) < 0)
		rc = ccp_error_set(w->err, CCP_EIO, "cannot write '%s': %s",
				   w->path, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = ccp_error_set(w->err, CCP_EIO, "cannot write '%s': %s",
				   w->path, strerror(errno));
	path_pop(w, old);
	return rc;
}

static int sign_dir(int dfd, walk *w, int write)
{
	entry *list = NULL;
	size_t n = 0, i;
	ccp_buf json = CCP_BUF_INIT;
	ccp_jw jw;
	char *sig = NULL;
	int rc;

	if (w->depth > MAX_DEPTH)
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s' is nested too deeply", w->path);
	rc = list_dir(&list, &n, dfd, w);
	if (rc < 0)
		return rc;
	if (write) {
		ccp_jw_init(&jw, &json, 2);
		ccp_jw_object_begin(&jw);
		for (i = 0; i < n; i++) {
			if (strcmp(list[i].name, SIGNATURE_FILE) == 0)
				continue;
			/* A folder's entry signs its name, not its contents. */
			if (list[i].is_dir)
				rc = ccp_sign_pss_b64(&sig, w->key, list[i].name,
						      strlen(list[i].name),
						      w->err);
			else
				rc = sign_file(&sig, dfd, list[i].name, w);
			if (rc < 0)
				goto cleanup;
			ccp_jw_key(&jw, list[i].name);
			ccp_jw_string(&jw, sig);
			free(sig);
			sig = NULL;
		}
		ccp_jw_object_end(&jw);
		ccp_buf_putc(&json, '\n');
		if (ccp_buf_failed(&json)) {
			rc = ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
			goto cleanup;
		}
		rc = write_signatures(dfd, &json, w);
		if (rc < 0)
			goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (!list[i].is_dir)
			continue;
		rc = sign_subdir(dfd, list[i].name, w, write);
		if (rc < 0)
			goto cleanup;
	}
	rc = 0;

cleanup:
	free(sig);
	ccp_buf_release(&json);
	entries_free(list, n);
	return rc;
}

static int walk_init(walk *w, const char *dir, EVP_PKEY *key, ccp_error *err)
{
	size_t len = strlen(dir);

	/* Messages name paths below dir without doubling the slash. */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len >= sizeof(w->path))
		return ccp_error_set(err, CCP_EINVAL, "path '%s' is too long",
				     dir);
	memcpy(w->path, dir, len);
	w->path[len] = '\0';
	w->len = len;
	w->depth = 0;
	w->key = key;
	w->err = err;
	w->each = NULL;
	w->each_ctx = NULL;
	w->problems = 0;
	return 0;
}

int ccp_sign_tree(const char *dir, EVP_PKEY *root_key, ccp_error *err)
{
	walk w;
	int dfd = -1, rc;

	rc = walk_init(&w, dir, root_key, err);
	if (rc < 0)
		return rc;
	rc = open_dir(&dfd, AT_FDCWD, dir, &w);
	if (rc < 0)
		return rc;
	/*
	 * Check the whole tree before writing anything, so that a refused
	 * tree is not left half signed.
	 */
	rc = sign_dir(dfd, &w, 0);
	if (rc == 0)
		rc = sign_dir(dfd, &w, 1);
	close(dfd);
	return rc;
}

/* ---- verification ---- */

static int verify_dir(int dfd, walk *w);

/* Read and parse the folder's signature.json into a flat object. */
static int load_signatures(ccp_json **out, int dfd, walk *w)
{
	ccp_json *doc = NULL;
	ccp_buf text = CCP_BUF_INIT;
	char buf[READ_CHUNK], perr[256];
	struct stat st;
	long old;
	int fd = -1, rc;
	size_t i;

	*out = NULL;
	ccp_buf_init(&text, MAX_SIGFILE);
	if (fstatat(dfd, SIGNATURE_FILE, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT)
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s' has no signature.json", w->path);
	old = path_push(w, SIGNATURE_FILE);
	if (old < 0)
		return CCP_EINVAL;
	rc = open_file(&fd, dfd, SIGNATURE_FILE, w);
	if (rc < 0)
		goto cleanup;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ccp_error_set(w->err, CCP_EIO,
					   "cannot read '%s': %s", w->path,
					   strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		ccp_buf_put(&text, buf, (size_t)n);
	}
	if (ccp_buf_failed(&text)) {
		rc = ccp_error_set(w->err, CCP_EINVAL, "'%s' is too large",
				   w->path);
		goto cleanup;
	}
	if (ccp_json_parse(&doc, ccp_buf_cstr(&text), text.len, perr,
			   sizeof(perr)) < 0) {
		rc = ccp_error_set(w->err, CCP_EINVAL, "'%s': %s", w->path,
				   perr);
		goto cleanup;
	}
	for (i = 0; doc->type == CCP_JSON_OBJECT && i < doc->count; i++)
		if (doc->items[i]->type != CCP_JSON_STRING)
			break;
	if (doc->type != CCP_JSON_OBJECT || i < doc->count) {
		rc = ccp_error_set(w->err, CCP_EINVAL,
				   "'%s' is not an object of signatures",
				   w->path);
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
	rc = 0;

cleanup:
	if (fd >= 0)
		close(fd);
	ccp_json_free(doc);
	ccp_buf_release(&text);
	path_pop(w, old);
	return rc;
}

static int verify_file(int dfd, const char *name, const char *b64, walk *w)
{
	EVP_MD_CTX *m = NULL;
	int fd = -1, rc;

	rc = open_file(&fd, dfd, name, w);
	if (rc < 0)
		return rc;
	if (pss_begin(&m, w->key, 0, RSA_PSS_SALTLEN_MAX) < 0) {
		rc = ccp_crypto_fail(w->err, CCP_ECRYPTO,
				     "cannot verify '%s'", w->path);
		goto cleanup;
	}
	if (pss_update_fd(m, 0, fd) < 0) {
		rc = errno == EPROTO
			? ccp_crypto_fail(w->err, CCP_ECRYPTO,
					  "cannot verify '%s'", w->path)
			: ccp_error_set(w->err, CCP_EIO, "cannot read '%s': %s",
					w->path, strerror(errno));
		goto cleanup;
	}
	rc = pss_verify_final(m, w->key, b64);
	if (rc < 0)
		rc = ccp_error_set(w->err, CCP_ECRYPTO,
				   "signature of '%s' does not verify",
				   w->path);

cleanup:
	close(fd);
	EVP_MD_CTX_free(m);
	return rc;
}

/* Index of key in an object, or count when absent. */
static size_t object_index(const ccp_json *obj, const char *key)
{
	size_t i;

	for (i = 0; i < obj->count; i++)
		if (strcmp(obj->keys[i], key) == 0)
			break;
	return i;
}

/* An entry failed: 1 to stop the walk, 0 when it was passed to each(). */
static int entry_problem(walk *w)
{
	if (!w->each)
		return 1;
	w->each(w->each_ctx, w->err->message);
	w->problems++;
	ccp_error_clear(w->err);
	return 0;
}

/* One entry of the folder against its signature, marked in seen: 0
 * when it verifies or its problem went to each(). */
static int check_signed_entry(int dfd, const entry *e, const ccp_json *sigs,
			      unsigned char *seen, walk *w)
{
	long old = path_push(w, e->name);
	size_t k;
	int rc = 0;

	if (old < 0)
		return CCP_EINVAL;
	k = object_index(sigs, e->name);
	if (k == sigs->count) {
		rc = ccp_error_set(w->err, CCP_EINVAL, "'%s' is not signed",
				   w->path);
	} else {
		seen[k] = 1;
		if (!e->is_dir)
			rc = verify_file(dfd, e->name, sigs->items[k]->text, w);
		else if (verify_data(w->key, RSA_PSS_SALTLEN_MAX, e->name,
				     strlen(e->name), sigs->items[k]->text) < 0)
			rc = ccp_error_set(w->err, CCP_ECRYPTO,
					   "signature of folder '%s' does not verify",
					   w->path);
	}
	if (rc < 0 && entry_problem(w))
		return rc;
	path_pop(w, old);
	return 0;
}

/* Every signature names an entry that is there. */
static int check_missing(const ccp_json *sigs, const unsigned char *seen,
			 walk *w)
{
	size_t k;
	int rc;

	for (k = 0; k < sigs->count; k++) {
		if (seen[k])
			continue;
		rc = ccp_error_set(w->err, CCP_EINVAL,
				   "'%s/%s' is signed but missing", w->path,
				   sigs->keys[k]);
		if (entry_problem(w))
			return rc;
	}
	return 0;
}

/* Each subfolder, verified the same way. */
static int verify_subdirs(int dfd, const entry *list, size_t n, walk *w)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long old;
		int sub = -1, rc;

		if (!list[i].is_dir)
			continue;
		old = path_push(w, list[i].name);
		if (old < 0)
			return CCP_EINVAL;
		rc = open_dir(&sub, dfd, list[i].name, w);
		if (rc == 0) {
			w->depth++;
			rc = verify_dir(sub, w);
			w->depth--;
			close(sub);
		}
		if (rc < 0)
			return rc;
		path_pop(w, old);
	}
	return 0;
}

static int verify_dir(int dfd, walk *w)
{
	entry *list = NULL;
	size_t n = 0, i;
	ccp_json *sigs = NULL;
	unsigned char *seen = NULL;
	int rc;

	if (w->depth > MAX_DEPTH)
		return ccp_error_set(w->err, CCP_EINVAL,
				     "'%s' is nested too deeply", w->path);
	rc = list_dir(&list, &n, dfd, w);
	if (rc == 0)
		rc = load_signatures(&sigs, dfd, w);
	if (rc < 0)
		goto cleanup;
	seen = calloc(sigs->count + 1, 1);
	if (!seen) {
		rc = ccp_error_set(w->err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n && rc == 0; i++)
		if (strcmp(list[i].name, SIGNATURE_FILE) != 0)
			rc = check_signed_entry(dfd, &list[i], sigs, seen, w);
	if (rc == 0)
		rc = check_missing(sigs, seen, w);
	if (rc == 0)
		rc = verify_subdirs(dfd, list, n, w);

cleanup:
	free(seen);
	ccp_json_free(sigs);
	entries_free(list, n);
	return rc;
}

static int verify_tree(const char *dir, X509 *root,
		       void (*each)(void *, const char *), void *ctx,
		       size_t *problems, ccp_error *err)
{
	walk w;
	EVP_PKEY *pub = X509_get0_pubkey(root);
	int dfd = -1, rc;

	if (!pub)
		return ccp_crypto_fail(err, CCP_EINVAL,
				       "the root CA has no usable public key");
	rc = walk_init(&w, dir, pub, err);
	if (rc < 0)
		return rc;
	w.each = each;
	w.each_ctx = ctx;
	rc = open_dir(&dfd, AT_FDCWD, dir, &w);
	if (rc < 0)
		return rc;
	rc = verify_dir(dfd, &w);
	close(dfd);
	if (problems)
		*problems = w.problems;
	return rc;
}

int ccp_verify_tree(const char *dir, X509 *root, ccp_error *err)
{
	return verify_tree(dir, root, NULL, NULL, NULL, err);
}

int ccp_verify_tree_each(const char *dir, X509 *root,
			 void (*each)(void *ctx, const char *message),
			 void *ctx, size_t *problems, ccp_error *err)
{
	*problems = 0;
	return verify_tree(dir, root, each, ctx, problems, err);
}
