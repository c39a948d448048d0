/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Is a file CA certificates and nothing else? custom_ca_cert is copied
 * into every server and client kit as startup/customRootCA.pem, which
 * NVFlare's runtime trusts for TLS, so lint (CCP-P012) and provision
 * both hold it to this check.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "crypto_lazy.h"

#include "ccprov/crypto.h"
#include "fsio.h"

/* A bundle of every public root CA is about 200 KiB. */
#define CA_FILE_MAX ((size_t)4 << 20)

/* Check one PEM block; returns 0 or sets err. */
static int check_block(const char *name, const unsigned char *data, long len,
		       size_t index, ccp_error *err)
{
	const unsigned char *p = data;
	X509 *x;
	int ca;

	if (strstr(name, "PRIVATE KEY"))
		return ccp_error_set(err, CCP_EINVAL, "it holds a private key "
				     "(block %zu, '%s')", index, name);
	if (strcmp(name, "CERTIFICATE") != 0)
		return ccp_error_set(err, CCP_EINVAL, "block %zu is a '%s', not a "
				     "certificate", index, name);
	x = d2i_X509(NULL, &p, len);
	if (!x || p != data + len) {
		X509_free(x);
		return ccp_error_set(err, CCP_EINVAL, "certificate %zu cannot be parsed",
				     index);
	}
	ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
	X509_free(x);
	if (!ca)
		return ccp_error_set(err, CCP_EINVAL, "certificate %zu is not a CA "
				     "certificate (no basicConstraints CA:TRUE)", index);
	return 0;
}

int ccp_cert_check_ca_pem(const char *pem, size_t len, ccp_error *err)
{
	BIO *bio;
	size_t n = 0;
	int rc = 0;

	if (len > INT_MAX)
		return ccp_error_set(err, CCP_EINVAL, "it is too large");
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	while (rc == 0) {
		char *name = NULL, *header = NULL;
		unsigned char *data = NULL;
		long dlen = 0;

		if (!PEM_read_bio(bio, &name, &header, &data, &dlen)) {
			unsigned long e = ERR_peek_last_error();

			if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
			    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
				rc = ccp_error_set(err, CCP_EINVAL,
						   "block %zu is not valid PEM", n + 1);
			else if (n == 0)
				rc = ccp_error_set(err, CCP_EINVAL,
						   "it holds no PEM certificate");
			break;
		}
		n++;
		rc = check_block(name, data, dlen, n, err);
		OPENSSL_free(name);
		OPENSSL_free(header);
		if (data)
			OPENSSL_cleanse(data, (size_t)dlen);
		OPENSSL_free(data);
	}
	ERR_clear_error();
	BIO_free(bio);
	return rc;
}

int ccp_cert_check_ca_file(const char *path, ccp_error *err)
{
	char *real = realpath(path, NULL);
	char *text = NULL;
	size_t len = 0;
	int rc;

	/* Links are fine here (system CA files often are); the target is
	 * read without following anything further or blocking. */
	if (!real)
		return ccp_error_set(err, errno == ENOENT ? CCP_EINVAL : CCP_EIO,
				     "cannot open '%s': %s", path, strerror(errno));
	rc = ccp_file_read(&text, &len, real, CA_FILE_MAX, err);
	if (rc == 0)
		rc = ccp_cert_check_ca_pem(text, len, err);
	if (text)
		OPENSSL_cleanse(text, len);
	free(text);
	free(real);
	return rc;
}
