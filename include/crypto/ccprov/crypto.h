/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file crypto.h
 * Keys, certificates and signatures for NVFlare startup kits
 * (the certificate profile of docs/nvflare-lines.md), on OpenSSL 3.
 */
#ifndef CCPROV_CRYPTO_H
#define CCPROV_CRYPTO_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ccprov/error.h"

/** RSA modulus size of every key. */
#define CCP_RSA_BITS 2048

/** How an RSA key is made (docs/keygen.md). */
typedef enum ccp_rsa_method {
	/**
	 * Default: random probable primes as FIPS 186-5 Appendix A.1.3
	 * generates them, and a pairwise consistency test on every key.
	 */
	CCP_RSA_FAST,
	/** OpenSSL's own generator, as EVP_RSA_gen() runs it. */
	CCP_RSA_OPENSSL
} ccp_rsa_method;

/** "fast" or "openssl" into *out; CCP_EINVAL for anything else. */
int ccp_rsa_method_parse(ccp_rsa_method *out, const char *name);

/** Generate one RSA-2048 key (e = 65537) with CCP_RSA_FAST. */
int ccp_rsa_generate(EVP_PKEY **out, ccp_error *err);

/** Generate one RSA-2048 key with a chosen method. */
int ccp_rsa_generate_with(EVP_PKEY **out, ccp_rsa_method method,
			  ccp_error *err);

/** How ccp_rsa_generate_many() works; all zero means the defaults. */
typedef struct ccp_rsa_many_opts {
	int threads;              /**< 0 = number of online CPUs */
	ccp_rsa_method method;
	/**
	 * Polled between prime candidates (many times a second); once it
	 * returns non-zero, generation stops with CCP_EINTR. NULL = never.
	 */
	int (*cancelled)(void);
} ccp_rsa_many_opts;

/**
 * Generate n keys in parallel (o may be NULL for the defaults). On
 * failure every generated key is freed and out[] is all NULL.
 */
int ccp_rsa_generate_many(EVP_PKEY **out, size_t n,
			  const ccp_rsa_many_opts *o, ccp_error *err);

/** Subject of a participant certificate. */
typedef struct ccp_cert_subject {
	const char *cn;            /**< participant name */
	const char *org;           /**< O=, or NULL */
	const char *role;          /**< unstructuredName (admins), or NULL */
	const char *const *sans;   /**< SAN entries: IP literals become IP:, others DNS: */
	size_t nsans;              /**< 0: the single SAN DNS:<cn> */
} ccp_cert_subject;

/**
 * Self-signed root CA for a project (CN=project, SAN DNS:project), valid
 * for valid_days (> 0) from now.
 */
int ccp_cert_root(X509 **out, EVP_PKEY *key, const char *project,
		  int valid_days, ccp_error *err);

/**
 * Participant certificate signed by the root; NotAfter capped at the
 * root's NotAfter. Fails when root_key does not belong to root or the
 * root has expired. CN and O are limited to 64 characters.
 */
int ccp_cert_issue(X509 **out, const ccp_cert_subject *subj,
		   EVP_PKEY *subject_key, X509 *root, EVP_PKEY *root_key,
		   int valid_days, ccp_error *err);

/**
 * Does cert carry exactly this subject (CN, O, role) and these SANs (as a
 * set, IP literals compared as addresses)? 1 = yes, 0 = no.
 */
int ccp_cert_matches(X509 *cert, const ccp_cert_subject *subj);
/** Has the certificate expired (NotAfter in the past)? 1 = yes, 0 = no. */
int ccp_cert_expired(X509 *cert);
/** The unstructuredName of a certificate's subject (malloc'd) or NULL. */
char *ccp_cert_role(X509 *cert);

/**
 * Is pem (len bytes) a CA certificate file: one or more PEM
 * "CERTIFICATE" blocks, each with basicConstraints CA:TRUE, and no other
 * block? 0, or CCP_EINVAL with the reason in err ("it holds a private
 * key", "certificate 2 is not a CA certificate ...").
 */
int ccp_cert_check_ca_pem(const char *pem, size_t len, ccp_error *err);
/**
 * Read path (links followed, then as a regular file of at most 4 MiB,
 * without blocking) and check it with ccp_cert_check_ca_pem(); CCP_EIO
 * or CCP_EINVAL when it cannot be read.
 */
int ccp_cert_check_ca_file(const char *path, ccp_error *err);

/**
 * PEM encodings (malloc'd, NUL-terminated). Keys are PKCS#1 and
 * unencrypted: callers should OPENSSL_cleanse() them before free().
 * Parsing never prompts for a pass phrase (an encrypted key is an error).
 */
int ccp_pem_from_key(char **out, EVP_PKEY *key, ccp_error *err);
int ccp_pem_from_cert(char **out, X509 *cert, ccp_error *err);
int ccp_pem_to_key(EVP_PKEY **out, const char *pem, ccp_error *err);
int ccp_pem_to_cert(X509 **out, const char *pem, ccp_error *err);

/**
 * RSA-PSS signature (SHA-256, MGF1-SHA-256, maximum salt) of data,
 * base64-encoded without newlines into *out (malloc'd).
 */
int ccp_sign_pss_b64(char **out, EVP_PKEY *key, const void *data,
		     size_t len, ccp_error *err);
/**
 * Verify a base64 PSS signature (salt length auto-detected). 0 = valid,
 * -1 = invalid or malformed.
 */
int ccp_verify_pss_b64(EVP_PKEY *pub, const void *data, size_t len,
		       const char *b64);

/**
 * Write signature.json (mode 0644, entries sorted by name) in dir and
 * every folder below it (NVFlare's signature.json format). The whole tree is
 * checked first: a symbolic link or a special file anywhere is an error
 * and then nothing is written.
 */
int ccp_sign_tree(const char *dir, EVP_PKEY *root_key, ccp_error *err);

/**
 * Verify every signature.json below dir against the root certificate.
 * Returns 0 when the whole tree verifies; otherwise a negative code with
 * the first problem in err: CCP_ECRYPTO for a signature that does not
 * verify, CCP_EINVAL for a missing signature.json, an unsigned entry, a
 * signed entry missing on disk or a symlink, CCP_EIO when unreadable.
 * Unlike ccp_verify_pss_b64(), every signature must use the maximum PSS
 * salt length: NVFlare's verifier may accept no other.
 */
int ccp_verify_tree(const char *dir, X509 *root, ccp_error *err);

/**
 * ccp_verify_tree() that goes on past a bad entry: every entry that is
 * unsigned, signed but missing or whose signature does not verify is
 * passed to each() (message as in err) and counted in *problems; only
 * a folder that cannot be read or has no usable signature.json stops
 * the walk (negative return, reason in err).
 */
int ccp_verify_tree_each(const char *dir, X509 *root,
			 void (*each)(void *ctx, const char *message),
			 void *ctx, size_t *problems, ccp_error *err);

/**
 * Persistent provisioning state (state/cert.json): root CA and one
 * certificate and key per subject name.
 */
typedef struct ccp_state_entry {
	char *subject;
	X509 *cert;
	EVP_PKEY *key;
} ccp_state_entry;

typedef struct ccp_state {
	X509 *root_cert;
	EVP_PKEY *root_key;
	ccp_state_entry *entries;
	size_t count, cap;
} ccp_state;

/**
 * Load path into a new state; *out = NULL and 0 when the file does not
 * exist. A symbolic link or anything but a regular file (never waited
 * on), a malformed file, or a key that does not match its certificate,
 * is CCP_ESTATE with a message naming the entry.
 */
int ccp_state_load(ccp_state **out, const char *path, ccp_error *err);
/**
 * Write atomically (temp file in the same folder, fsync, rename, fsync of
 * the folder) with mode 0600. The root cert and key must be set; the
 * folder must exist.
 */
int ccp_state_save(const ccp_state *st, const char *path, ccp_error *err);
ccp_state *ccp_state_new(void);
void ccp_state_free(ccp_state *st);
/** Entry for a subject, or NULL. */
ccp_state_entry *ccp_state_find(ccp_state *st, const char *subject);
/**
 * Add or replace; takes references (up-refs) on cert and key. The names
 * "root_cert" and "root_pri_key" are reserved (CCP_EINVAL).
 */
int ccp_state_put(ccp_state *st, const char *subject, X509 *cert,
		  EVP_PKEY *key);

#endif
