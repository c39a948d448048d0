/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PEM encoding of keys (PKCS#1, as NVFlare writes them) and certificates.
 */
#include "ccprov/crypto.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "crypto_lazy.h"

#include "crypto_int.h"

/* Largest PEM text accepted; a 2048-bit key or cert is under 4 KiB. */
#define PEM_MAX ((size_t)1 << 20)

/* Copy len bytes into a malloc'd NUL-terminated string. */
static char *dup_text(const void *data, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		return NULL;
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

int ccp_pem_from_key(char **out, EVP_PKEY *key, ccp_error *err)
{
	OSSL_ENCODER_CTX *ectx;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	/* "type-specific" is PKCS#1 RSAPrivateKey: BEGIN RSA PRIVATE KEY. */
	ectx = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_KEYPAIR,
					     "PEM", "type-specific", NULL);
	if (!ectx || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0 ||
	    !OSSL_ENCODER_to_data(ectx, &data, &len)) {
		rc = ccp_crypto_fail(err, CCP_ECRYPTO,
				     "cannot encode a private key");
		goto cleanup;
	}
	*out = dup_text(data, len);
	if (!*out) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = 0;

cleanup:
	OPENSSL_clear_free(data, len);
	OSSL_ENCODER_CTX_free(ectx);
	return rc;
}

int ccp_pem_from_cert(char **out, X509 *cert, ccp_error *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int rc = -1;

	*out = NULL;
	if (!bio || !PEM_write_bio_X509(bio, cert)) {
		rc = ccp_crypto_fail(err, CCP_ECRYPTO,
				     "cannot encode a certificate");
		goto cleanup;
	}
	len = BIO_get_mem_data(bio, &data);
	*out = len > 0 ? dup_text(data, (size_t)len) : NULL;
	if (!*out) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = 0;

cleanup:
	BIO_free(bio);
	return rc;
}

/*
 * Keys in a kit or the state are never encrypted; refusing the pass
 * phrase keeps OpenSSL from prompting on the terminal.
 */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int pem_bio(BIO **out, const char *pem, ccp_error *err)
{
	size_t len = strlen(pem);

	if (len > PEM_MAX)
		return ccp_error_set(err, CCP_EINVAL, "PEM text is too large");
	*out = BIO_new_mem_buf(pem, (int)len);
	if (!*out)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	return 0;
}

int ccp_pem_to_key(EVP_PKEY **out, const char *pem, ccp_error *err)
{
	BIO *bio = NULL;
	EVP_PKEY *key;
	int rc;

	*out = NULL;
	rc = pem_bio(&bio, pem, err);
	if (rc < 0)
		return rc;
	key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	if (!key) {
		rc = ccp_crypto_fail(err, CCP_EINVAL,
				     "not a PEM private key");
		goto cleanup;
	}
	if (!EVP_PKEY_is_a(key, "RSA")) {
		EVP_PKEY_free(key);
		rc = ccp_error_set(err, CCP_EINVAL, "not an RSA private key");
		goto cleanup;
	}
	*out = key;
	rc = 0;

cleanup:
	BIO_free(bio);
	return rc;
}

int ccp_pem_to_cert(X509 **out, const char *pem, ccp_error *err)
{
	BIO *bio = NULL;
	X509 *cert;
	int rc;

	*out = NULL;
	rc = pem_bio(&bio, pem, err);
	if (rc < 0)
		return rc;
	cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
	if (!cert) {
		rc = ccp_crypto_fail(err, CCP_EINVAL, "not a PEM certificate");
		goto cleanup;
	}
	*out = cert;
	rc = 0;

cleanup:
	BIO_free(bio);
	return rc;
}
