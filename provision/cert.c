/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Root CA and participant certificates with the profile NVFlare's
 * provisioner produces (docs/nvflare-lines.md: the 2.8 profile on both lines).
 *
 * Extensions are built from their ASN.1 structures rather than from
 * OpenSSL's "config string" syntax: SAN values come from project.yml and
 * a comma or colon in a host name must not be read as syntax.
 */
#include "ccprov/crypto.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "crypto_lazy.h"

#include "crypto_int.h"
#include "utf8.h"

/* Serial numbers are random, positive and below 2^159 (fits 20 octets). */
#define SERIAL_BITS 159
/* X.520 upper bound for CN and O. */
#define NAME_MAX_CHARS 64

static int set_random_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	ASN1_INTEGER *serial = NULL;
	int rc = -1;

	if (!bn)
		goto cleanup;
	do {
		if (!BN_rand(bn, SERIAL_BITS, BN_RAND_TOP_ANY,
			     BN_RAND_BOTTOM_ANY))
			goto cleanup;
	} while (BN_is_zero(bn));
	serial = BN_to_ASN1_INTEGER(bn, NULL);
	if (!serial || !X509_set_serialNumber(x, serial))
		goto cleanup;
	rc = 0;

cleanup:
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	return rc;
}


static int name_add(X509_NAME *name, int nid, const char *value,
		    const char *what, ccp_error *err)
{
	if (!*value)
		return ccp_error_set(err, CCP_EINVAL, "empty %s", what);
	if (nid != NID_pkcs9_unstructuredName &&
	    ccp_utf8_count(value, strlen(value)) > NAME_MAX_CHARS)
		return ccp_error_set(err, CCP_EINVAL,
				     "%s '%s' is longer than %d characters",
				     what, value, NAME_MAX_CHARS);
	if (!X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
					(const unsigned char *)value, -1, -1,
					0))
		return ccp_crypto_fail(err, CCP_ECRYPTO, "cannot set %s '%s'",
				       what, value);
	return 0;
}

/* Parse an IPv4 or IPv6 literal into buf; returns its length or 0. */
static size_t parse_ip(const char *s, unsigned char buf[16])
{
	if (inet_pton(AF_INET, s, buf) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, buf) == 1)
		return 16;
	return 0;
}

static GENERAL_NAME *san_entry(const char *value)
{
	GENERAL_NAME *gn = GENERAL_NAME_new();
	unsigned char ip[16];
	size_t iplen = parse_ip(value, ip);
	ASN1_STRING *s = NULL;
	int ok;

	if (!gn)
		return NULL;
	if (iplen) {
		s = ASN1_OCTET_STRING_new();
		ok = s && ASN1_OCTET_STRING_set(s, ip, (int)iplen);
	} else {
		s = ASN1_IA5STRING_new();
		ok = s && ASN1_STRING_set(s, value, -1);
	}
	if (!ok) {
		ASN1_STRING_free(s);
		GENERAL_NAME_free(gn);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, iplen ? GEN_IPADD : GEN_DNS, s);
	return gn;
}

static int add_san(X509 *x, const char *const *sans, size_t nsans,
		   const char *cn)
{
	GENERAL_NAMES *names = GENERAL_NAMES_new();
	size_t i;
	int rc = -1;

	if (!names)
		return -1;
	for (i = 0; i < (nsans ? nsans : 1); i++) {
		GENERAL_NAME *gn = san_entry(nsans ? sans[i] : cn);

		if (!gn)
			goto cleanup;
		if (!sk_GENERAL_NAME_push(names, gn)) {
			GENERAL_NAME_free(gn);
			goto cleanup;
		}
	}
	if (!X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0,
			       X509V3_ADD_REPLACE))
		goto cleanup;
	rc = 0;

cleanup:
	GENERAL_NAMES_free(names);
	return rc;
}

/* Key identifier of a public key: SHA-1 of its BIT STRING (RFC 5280 4.2.1.2). */
static ASN1_OCTET_STRING *key_id(X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	ASN1_OCTET_STRING *id;

	if (!X509_pubkey_digest(x, EVP_sha1(), md, &len))
		return NULL;
	id = ASN1_OCTET_STRING_new();
	if (id && !ASN1_OCTET_STRING_set(id, md, (int)len)) {
		ASN1_OCTET_STRING_free(id);
		return NULL;
	}
	return id;
}

/* SKI of x, and AKI holding the issuer's key id. */
static int add_key_ids(X509 *x, X509 *issuer)
{
	ASN1_OCTET_STRING *ski = NULL;
	AUTHORITY_KEYID *akid = NULL;
	const ASN1_OCTET_STRING *issuer_id;
	int rc = -1;

	ski = key_id(x);
	if (!ski || !X509_add1_ext_i2d(x, NID_subject_key_identifier, ski, 0,
				       X509V3_ADD_REPLACE))
		goto cleanup;
	akid = AUTHORITY_KEYID_new();
	if (!akid)
		goto cleanup;
	if (issuer == x) {
		akid->keyid = ASN1_OCTET_STRING_dup(ski);
	} else {
		issuer_id = X509_get0_subject_key_id(issuer);
		akid->keyid = issuer_id ? ASN1_OCTET_STRING_dup(issuer_id)
					: key_id(issuer);
	}
	if (!akid->keyid ||
	    !X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0,
			       X509V3_ADD_REPLACE))
		goto cleanup;
	rc = 0;

cleanup:
	AUTHORITY_KEYID_free(akid);
	ASN1_OCTET_STRING_free(ski);
	return rc;
}

static int add_basic_constraints(X509 *x, int ca)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	int rc = -1;

	if (!bc)
		return -1;
	bc->ca = ca ? 0xFF : 0;
	/* Critical on the CA, as the profile asks; plain on leaf certs. */
	if (X509_add1_ext_i2d(x, NID_basic_constraints, bc, ca,
			      X509V3_ADD_REPLACE))
		rc = 0;
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

static int add_ca_key_usage(X509 *x)
{
	ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
	int rc = -1;

	/* Bit numbers from RFC 5280 4.2.1.3. */
	if (ku && ASN1_BIT_STRING_set_bit(ku, 0, 1) && /* digitalSignature */
	    ASN1_BIT_STRING_set_bit(ku, 5, 1) &&        /* keyCertSign */
	    ASN1_BIT_STRING_set_bit(ku, 6, 1) &&        /* cRLSign */
	    X509_add1_ext_i2d(x, NID_key_usage, ku, 1, X509V3_ADD_REPLACE))
		rc = 0;
	ASN1_BIT_STRING_free(ku);
	return rc;
}

/* Version 3, random serial, NotBefore now, NotAfter now + days. */
static int set_basics(X509 *x, EVP_PKEY *subject_key, int valid_days)
{
	/* One clock reading, so the lifetime is exactly valid_days. */
	time_t now = time(NULL);

	if (!X509_set_version(x, X509_VERSION_3) || set_random_serial(x) < 0 ||
	    !X509_set_pubkey(x, subject_key) ||
	    !X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &now) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), valid_days, 0, &now))
		return -1;
	return 0;
}

static int cap_not_after(X509 *x, const ASN1_TIME *limit)
{
	if (ASN1_TIME_compare(X509_get0_notAfter(x), limit) > 0 &&
	    !X509_set1_notAfter(x, limit))
		return -1;
	return 0;
}

static int check_days(int valid_days, ccp_error *err)
{
	/* ASN1 time adjustment takes days as int; keep well inside it. */
	if (valid_days <= 0 || valid_days > 100 * 366)
		return ccp_error_set(err, CCP_EINVAL,
				     "validity of %d days is out of range",
				     valid_days);
	return 0;
}

int ccp_cert_root(X509 **out, EVP_PKEY *key, const char *project,
		  int valid_days, ccp_error *err)
{
	X509 *x = NULL;
	X509_NAME *name = NULL;
	const char *san[1];
	int rc;

	*out = NULL;
	rc = check_days(valid_days, err);
	if (rc < 0)
		return rc;
	x = X509_new();
	name = X509_NAME_new();
	if (!x || !name) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = name_add(name, NID_commonName, project, "project name", err);
	if (rc < 0)
		goto cleanup;
	san[0] = project;
	if (set_basics(x, key, valid_days) < 0 ||
	    !X509_set_subject_name(x, name) || !X509_set_issuer_name(x, name) ||
	    add_key_ids(x, x) < 0 || add_basic_constraints(x, 1) < 0 ||
	    add_ca_key_usage(x) < 0 || add_san(x, san, 1, project) < 0 ||
	    !X509_sign(x, key, EVP_sha256())) {
		rc = ccp_crypto_fail(err, CCP_ECRYPTO,
				     "cannot create the root CA for '%s'",
				     project);
		goto cleanup;
	}
	*out = x;
	x = NULL;
	rc = 0;

cleanup:
	X509_NAME_free(name);
	X509_free(x);
	return rc;
}

int ccp_cert_issue(X509 **out, const ccp_cert_subject *subj,
		   EVP_PKEY *subject_key, X509 *root, EVP_PKEY *root_key,
		   int valid_days, ccp_error *err)
{
	X509 *x = NULL;
	X509_NAME *name = NULL;
	size_t i;
	int rc;

	*out = NULL;
	rc = check_days(valid_days, err);
	if (rc < 0)
		return rc;
	if (X509_check_private_key(root, root_key) != 1)
		return ccp_crypto_fail(err, CCP_EINVAL,
				       "the root CA key does not match the root CA certificate");
	ERR_clear_error();
	if (ccp_cert_expired(root))
		return ccp_error_set(err, CCP_EINVAL,
				     "the root CA has expired; cannot issue a certificate for '%s'",
				     subj->cn);
	x = X509_new();
	name = X509_NAME_new();
	if (!x || !name) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = name_add(name, NID_commonName, subj->cn, "name", err);
	if (rc == 0 && subj->org)
		rc = name_add(name, NID_organizationName, subj->org,
			      "organization", err);
	if (rc == 0 && subj->role)
		rc = name_add(name, NID_pkcs9_unstructuredName, subj->role,
			      "role", err);
	for (i = 0; rc == 0 && i < subj->nsans; i++)
		if (!subj->sans[i][0])
			rc = ccp_error_set(err, CCP_EINVAL,
					   "empty host name for '%s'",
					   subj->cn);
	if (rc < 0)
		goto cleanup;
	if (set_basics(x, subject_key, valid_days) < 0 ||
	    cap_not_after(x, X509_get0_notAfter(root)) < 0 ||
	    !X509_set_subject_name(x, name) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(root)) ||
	    add_key_ids(x, root) < 0 || add_basic_constraints(x, 0) < 0 ||
	    add_san(x, subj->sans, subj->nsans, subj->cn) < 0 ||
	    !X509_sign(x, root_key, EVP_sha256())) {
		rc = ccp_crypto_fail(err, CCP_ECRYPTO,
				     "cannot issue a certificate for '%s'",
				     subj->cn);
		goto cleanup;
	}
	*out = x;
	x = NULL;
	rc = 0;

cleanup:
	X509_NAME_free(name);
	X509_free(x);
	return rc;
}

/*
 * The single value of nid in name as UTF-8 (malloc'd). Returns 0 and
 * *out = NULL when absent, -1 when repeated or unreadable.
 */
static int name_get(char **out, const X509_NAME *name, int nid)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	int len;

	*out = NULL;
	if (i < 0)
		return 0;
	if (X509_NAME_get_index_by_NID(name, nid, i) >= 0)
		return -1;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
					  X509_NAME_get_entry(name, i)));
	if (len < 0)
		return -1;
	/* An embedded NUL would make the C string lie about the name. */
	if (memchr(utf8, 0, (size_t)len)) {
		OPENSSL_free(utf8);
		return -1;
	}
	*out = strndup((const char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return *out ? 0 : -1;
}

/* Does the name carry exactly want (NULL = absent) for nid? */
static int name_is(const X509_NAME *name, int nid, const char *want)
{
	char *have = NULL;
	int same;

	if (name_get(&have, name, nid) < 0)
		return 0;
	if (!want || !have)
		same = !want && !have;
	else
		same = strcmp(want, have) == 0;
	free(have);
	return same;
}

static int gn_equals(const GENERAL_NAME *gn, const char *value)
{
	unsigned char ip[16];
	size_t iplen = parse_ip(value, ip);
	int type;
	const ASN1_STRING *s = GENERAL_NAME_get0_value(gn, &type);

	if (iplen)
		return type == GEN_IPADD &&
		       (size_t)ASN1_STRING_length(s) == iplen &&
		       memcmp(ASN1_STRING_get0_data(s), ip, iplen) == 0;
	return type == GEN_DNS &&
	       (size_t)ASN1_STRING_length(s) == strlen(value) &&
	       memcmp(ASN1_STRING_get0_data(s), value, strlen(value)) == 0;
}

static int sans_match(X509 *cert, const ccp_cert_subject *subj)
{
	GENERAL_NAMES *names;
	const char *const *want = subj->nsans ? subj->sans : &subj->cn;
	size_t nwant = subj->nsans ? subj->nsans : 1;
	size_t i, j;
	int n, ok = 1;

	names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	if (!names)
		return 0;
	n = sk_GENERAL_NAME_num(names);
	/* Compared as sets: every wanted name present, nothing else. */
	for (i = 0; ok && i < nwant; i++) {
		ok = 0;
		for (j = 0; !ok && j < (size_t)n; j++)
			ok = gn_equals(sk_GENERAL_NAME_value(names, (int)j),
				       want[i]);
	}
	for (j = 0; ok && j < (size_t)n; j++) {
		ok = 0;
		for (i = 0; !ok && i < nwant; i++)
			ok = gn_equals(sk_GENERAL_NAME_value(names, (int)j),
				       want[i]);
	}
	GENERAL_NAMES_free(names);
	return ok;
}

int ccp_cert_matches(X509 *cert, const ccp_cert_subject *subj)
{
	const X509_NAME *name = X509_get_subject_name(cert);

	return name_is(name, NID_commonName, subj->cn) &&
	       name_is(name, NID_organizationName, subj->org) &&
	       name_is(name, NID_pkcs9_unstructuredName, subj->role) &&
	       sans_match(cert, subj);
}

int ccp_cert_expired(X509 *cert)
{
	/* An unreadable time counts as expired: never trust it. */
	return X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0;
}

char *ccp_cert_role(X509 *cert)
{
	char *role = NULL;

	if (name_get(&role, X509_get_subject_name(cert),
		     NID_pkcs9_unstructuredName) < 0)
		return NULL;
	return role;
}
