/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys, certificates, PEM, signatures, signature trees, the state file
 * and `ccprov verify`. Results are checked through OpenSSL's own APIs
 * and, independently of ccprov's code, with the openssl command line.
 *
 * RSA keys are slow to make, so the group setup generates the two the
 * tests share (root CA and participant) once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ccprov/crypto.h"
#include "ccprov/json.h"
#include "dir.h"

#define PROJECT "example_project"

static char g_tmp[] = "/tmp/ccprov-crypto-XXXXXX";
static EVP_PKEY *g_root_key, *g_leaf_key;
static X509 *g_root;

/* ---- helpers ---- */

static void path_of(char *out, size_t len, const char *rel)
{
	int n = snprintf(out, len, "%s/%s", g_tmp, rel);

	assert_true(n > 0 && (size_t)n < len);
}

static void write_file(const char *rel, const void *data, size_t len,
		       mode_t mode)
{
	char path[512];
	FILE *f;

	path_of(path, sizeof(path), rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void write_text(const char *rel, const char *text)
{
	write_file(rel, text, strlen(text), 0644);
}

static void make_dir(const char *rel)
{
	char path[512];

	path_of(path, sizeof(path), rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void remove_tree(const char *rel)
{
	char path[512];
	ccp_error err;

	path_of(path, sizeof(path), rel);
	ccp_dir_rmtree(path, &err);
}

/* Run a shell command in g_tmp; returns its exit status, output in out. */
static int run(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[2048];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int len, status;

	len = snprintf(cmd, sizeof(cmd), "cd '%s' && ", g_tmp);
	va_start(ap, fmt);
	len += vsnprintf(cmd + len, sizeof(cmd) - (size_t)len, fmt, ap);
	va_end(ap);
	assert_true((size_t)len + 8 < sizeof(cmd));
	strcat(cmd, " 2>&1");
	p = popen(cmd, "r");
	assert_non_null(p);
	if (out && outlen) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	status = pclose(p);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void save_pem_cert(const char *rel, X509 *cert)
{
	char *pem = NULL;

	assert_int_equal(ccp_pem_from_cert(&pem, cert, NULL), 0);
	write_text(rel, pem);
	free(pem);
}

static void save_pem_key(const char *rel, EVP_PKEY *key)
{
	char *pem = NULL;

	assert_int_equal(ccp_pem_from_key(&pem, key, NULL), 0);
	write_file(rel, pem, strlen(pem), 0600);
	free(pem);
}

static X509 *issue(const char *cn, const char *org, const char *role,
		   const char *const *sans, size_t nsans, int days)
{
	ccp_cert_subject subj = { cn, org, role, sans, nsans };
	ccp_error err = { 0, "" };
	X509 *cert = NULL;

	assert_int_equal(ccp_cert_issue(&cert, &subj, g_leaf_key, g_root,
					g_root_key, days, &err), 0);
	assert_non_null(cert);
	return cert;
}

static int ext_critical(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	assert_true(i >= 0);
	return X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

static char *name_entry(X509 *x, int nid)
{
	const X509_NAME *name = X509_get_subject_name(x);
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	char *s;
	int len;

	if (i < 0)
		return NULL;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
					  X509_NAME_get_entry(name, i)));
	assert_true(len >= 0);
	s = strndup((const char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return s;
}

static void assert_name_entry(X509 *x, int nid, const char *want)
{
	char *have = name_entry(x, nid);

	assert_non_null(have);
	assert_string_equal(have, want);
	free(have);
}

/* Signature value stored for name in the signature.json of folder rel. */
static char *signature_of(const char *rel, const char *name)
{
	char path[512], perr[128];
	ccp_json *doc = NULL;
	const char *v;
	char *s;

	path_of(path, sizeof(path), rel);
	strcat(path, "/signature.json");
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, perr,
					     sizeof(perr)), 0);
	v = ccp_json_str(ccp_json_get(doc, name));
	assert_non_null(v);
	s = strdup(v);
	ccp_json_free(doc);
	return s;
}

/* kit/{readme.txt, startup/{a.txt,b.bin}, local/res.json, transfer/} */
static void make_kit(const char *kit)
{
	char rel[256];
	static const unsigned char bin[] = { 0, 1, 2, 0xff, 0xfe, '\n', 0 };

	make_dir(kit);
	snprintf(rel, sizeof(rel), "%s/readme.txt", kit);
	write_text(rel, "read me\n");
	snprintf(rel, sizeof(rel), "%s/startup", kit);
	make_dir(rel);
	snprintf(rel, sizeof(rel), "%s/startup/a.txt", kit);
	write_text(rel, "alpha\n");
	snprintf(rel, sizeof(rel), "%s/startup/b.bin", kit);
	write_file(rel, bin, sizeof(bin), 0644);
	snprintf(rel, sizeof(rel), "%s/local", kit);
	make_dir(rel);
	snprintf(rel, sizeof(rel), "%s/local/res.json", kit);
	write_text(rel, "{\"components\": []}\n");
	snprintf(rel, sizeof(rel), "%s/transfer", kit);
	make_dir(rel);
}

static int verify_kit(const char *kit, ccp_error *err)
{
	char path[512];

	path_of(path, sizeof(path), kit);
	ccp_error_clear(err);
	return ccp_verify_tree(path, g_root, err);
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	EVP_PKEY *keys[2];
	ccp_error err = { 0, "" };

	(void)state;
	if (!mkdtemp(g_tmp))
		return -1;
	/* Also exercises the threaded generator on the shared keys. */
	if (ccp_rsa_generate_many(keys, 2, NULL, &err) < 0)
		return -1;
	g_root_key = keys[0];
	g_leaf_key = keys[1];
	if (ccp_cert_root(&g_root, g_root_key, PROJECT, 360, &err) < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	ccp_error err;

	(void)state;
	X509_free(g_root);
	EVP_PKEY_free(g_root_key);
	EVP_PKEY_free(g_leaf_key);
	ccp_dir_rmtree(g_tmp, &err);
	return 0;
}

/* ---- keys ---- */

static void assert_rsa2048(EVP_PKEY *key)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	BIGNUM *e = NULL;

	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_check(ctx), 1);
	EVP_PKEY_CTX_free(ctx);
	assert_true(EVP_PKEY_is_a(key, "RSA"));
	assert_int_equal(EVP_PKEY_get_bits(key), 2048);
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E,
					       &e), 1);
	assert_true(BN_is_word(e, 65537));
	BN_free(e);
}

static void test_keygen_fast(void **state)
{
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	assert_int_equal(ccp_rsa_generate_with(&key, CCP_RSA_FAST, &err), 0);
	assert_rsa2048(key);
	EVP_PKEY_free(key);
}

static void test_keygen_openssl(void **state)
{
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	assert_int_equal(ccp_rsa_generate_with(&key, CCP_RSA_OPENSSL, &err),
			 0);
	assert_rsa2048(key);
	EVP_PKEY_free(key);
}

static void test_keygen_many(void **state)
{
	EVP_PKEY *none[1] = { (EVP_PKEY *)1 };
	ccp_rsa_many_opts bad = { -1, CCP_RSA_FAST, NULL };
	ccp_error err = { 0, "" };

	(void)state;
	assert_rsa2048(g_root_key);
	assert_rsa2048(g_leaf_key);
	assert_int_not_equal(EVP_PKEY_eq(g_root_key, g_leaf_key), 1);
	assert_int_equal(ccp_rsa_generate_many(none, 0, NULL, &err), 0);
	assert_int_equal(ccp_rsa_generate_many(none, 1, &bad, &err),
			 CCP_EINVAL);
	assert_null(none[0]);
}

/* ---- certificates ---- */

static void test_root_profile(void **state)
{
	const ASN1_OCTET_STRING *ski, *aki;
	GENERAL_NAMES *sans;
	const GENERAL_NAME *gn;
	const ASN1_STRING *dns;
	int type, days = 0, secs = 0;

	(void)state;
	assert_int_equal(X509_get_version(g_root), X509_VERSION_3);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(g_root),
				       X509_get_issuer_name(g_root)), 0);
	assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(g_root)),
			 1);
	assert_name_entry(g_root, NID_commonName, PROJECT);
	assert_null(name_entry(g_root, NID_organizationName));
	assert_int_equal(X509_get_signature_nid(g_root),
			 NID_sha256WithRSAEncryption);
	assert_int_equal(X509_verify(g_root, g_root_key), 1);

	assert_int_equal(X509_check_ca(g_root), 1);
	assert_int_equal(ext_critical(g_root, NID_basic_constraints), 1);
	assert_int_equal(X509_get_key_usage(g_root),
			 KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	assert_int_equal(ext_critical(g_root, NID_key_usage), 1);

	ski = X509_get0_subject_key_id(g_root);
	aki = X509_get0_authority_key_id(g_root);
	assert_non_null(ski);
	assert_non_null(aki);
	assert_int_equal(ASN1_OCTET_STRING_cmp(ski, aki), 0);

	sans = X509_get_ext_d2i(g_root, NID_subject_alt_name, NULL, NULL);
	assert_non_null(sans);
	assert_int_equal(sk_GENERAL_NAME_num(sans), 1);
	gn = sk_GENERAL_NAME_value(sans, 0);
	dns = GENERAL_NAME_get0_value(gn, &type);
	assert_int_equal(type, GEN_DNS);
	assert_memory_equal(ASN1_STRING_get0_data(dns), PROJECT,
			    strlen(PROJECT));
	GENERAL_NAMES_free(sans);

	assert_int_equal(ASN1_TIME_diff(&days, &secs,
					X509_get0_notBefore(g_root),
					X509_get0_notAfter(g_root)), 1);
	assert_int_equal(days, 360);
	assert_int_equal(secs, 0);
	assert_int_equal(ccp_cert_expired(g_root), 0);
}

static void test_issue_profile(void **state)
{
	static const char *const sans[] = { "server.example.com",
					    "10.1.2.3", "fd00::1" };
	X509 *cert, *other;
	BIGNUM *serial;
	BASIC_CONSTRAINTS *bc;
	int crit = -1, days = 0, secs = 0;

	(void)state;
	cert = issue("server.example.com", "nvidia", NULL, sans, 3, 360);
	assert_int_equal(X509_get_version(cert), X509_VERSION_3);
	assert_name_entry(cert, NID_commonName, "server.example.com");
	assert_name_entry(cert, NID_organizationName, "nvidia");
	assert_null(name_entry(cert, NID_pkcs9_unstructuredName));
	assert_null(ccp_cert_role(cert));
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(cert),
				       X509_get_subject_name(g_root)), 0);
	assert_int_equal(X509_get_signature_nid(cert),
			 NID_sha256WithRSAEncryption);
	assert_int_equal(X509_verify(cert, g_root_key), 1);
	assert_int_equal(X509_check_private_key(cert, g_leaf_key), 1);

	/* Not a CA, and says so explicitly. */
	assert_int_equal(X509_check_ca(cert), 0);
	bc = X509_get_ext_d2i(cert, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_int_equal(bc->ca, 0);
	BASIC_CONSTRAINTS_free(bc);

	assert_non_null(X509_get0_subject_key_id(cert));
	assert_int_equal(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(cert),
					       X509_get0_subject_key_id(g_root)),
			 0);

	serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	assert_non_null(serial);
	assert_false(BN_is_negative(serial));
	assert_false(BN_is_zero(serial));
	assert_true(BN_num_bits(serial) <= 159);
	BN_free(serial);

	X509_free(cert);

	/*
	 * Below the root's remaining lifetime the validity is exact (at 360
	 * days it would be capped whenever a second passed since the root
	 * was made).
	 */
	cert = issue("server.example.com", "nvidia", NULL, sans, 3, 30);
	assert_int_equal(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert),
					X509_get0_notAfter(cert)), 1);
	assert_int_equal(days, 30);
	assert_int_equal(secs, 0);

	/* Serials are random: a second certificate gets another one. */
	other = issue("server.example.com", "nvidia", NULL, sans, 3, 360);
	assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert),
					      X509_get0_serialNumber(other)),
			     0);
	X509_free(other);
	X509_free(cert);

	/* NotAfter is capped at the root's. */
	cert = issue("site-1", "nvidia", NULL, NULL, 0, 1000);
	assert_int_equal(ASN1_TIME_compare(X509_get0_notAfter(cert),
					   X509_get0_notAfter(g_root)), 0);
	X509_free(cert);
}

static void test_issue_admin_role(void **state)
{
	X509 *cert;
	char *role;

	(void)state;
	cert = issue("admin@nvidia.com", "nvidia", "project_admin", NULL, 0,
		     360);
	assert_name_entry(cert, NID_pkcs9_unstructuredName, "project_admin");
	role = ccp_cert_role(cert);
	assert_non_null(role);
	assert_string_equal(role, "project_admin");
	free(role);
	X509_free(cert);
}

static void test_issue_refusals(void **state)
{
	char longname[80];
	ccp_cert_subject subj = { NULL, "nvidia", NULL, NULL, 0 };
	ccp_error err = { 0, "" };
	X509 *cert = NULL, *expired;

	(void)state;
	memset(longname, 'a', 65);
	longname[65] = '\0';
	subj.cn = longname;
	assert_true(ccp_cert_issue(&cert, &subj, g_leaf_key, g_root,
				   g_root_key, 360, &err) < 0);
	assert_null(cert);
	assert_non_null(strstr(err.message, "64"));

	/* The root key must belong to the root. */
	subj.cn = "site-1";
	assert_true(ccp_cert_issue(&cert, &subj, g_leaf_key, g_root,
				   g_leaf_key, 360, &err) < 0);
	assert_null(cert);

	/* No certificate from an expired root. */
	expired = X509_dup(g_root);
	assert_non_null(expired);
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(expired), -3600));
	assert_int_equal(ccp_cert_expired(expired), 1);
	assert_true(ccp_cert_issue(&cert, &subj, g_leaf_key, expired,
				   g_root_key, 360, &err) < 0);
	assert_non_null(strstr(err.message, "expired"));
	X509_free(expired);

	assert_true(ccp_cert_issue(&cert, &subj, g_leaf_key, g_root,
				   g_root_key, 0, &err) < 0);
	assert_true(ccp_cert_root(&cert, g_root_key, "", 360, &err) < 0);
	assert_null(cert);
}

static void test_cert_matches(void **state)
{
	static const char *const sans[] = { "server.example.com", "10.1.2.3" };
	static const char *const same[] = { "10.1.2.3", "server.example.com",
					    "10.1.2.3" };
	static const char *const fewer[] = { "server.example.com" };
	static const char *const dns_ip[] = { "server.example.com",
					      "10.1.2.4" };
	ccp_cert_subject s = { "server.example.com", "nvidia", NULL, sans, 2 };
	X509 *cert, *admin, *plain;

	(void)state;
	cert = issue("server.example.com", "nvidia", NULL, sans, 2, 360);
	assert_int_equal(ccp_cert_matches(cert, &s), 1);
	s.sans = same;
	s.nsans = 3;
	assert_int_equal(ccp_cert_matches(cert, &s), 1);
	s.sans = fewer;
	s.nsans = 1;
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	s.sans = dns_ip;
	s.nsans = 2;
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	s.sans = sans;
	s.org = "other";
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	s.org = NULL;
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	s.org = "nvidia";
	s.role = "member";
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	s.role = NULL;
	s.cn = "server2.example.com";
	assert_int_equal(ccp_cert_matches(cert, &s), 0);
	X509_free(cert);

	admin = issue("admin@nvidia.com", "nvidia", "lead", NULL, 0, 360);
	s.cn = "admin@nvidia.com";
	s.sans = NULL;
	s.nsans = 0;
	s.role = "lead";
	assert_int_equal(ccp_cert_matches(admin, &s), 1);
	s.role = "member";
	assert_int_equal(ccp_cert_matches(admin, &s), 0);
	s.role = NULL;
	assert_int_equal(ccp_cert_matches(admin, &s), 0);
	X509_free(admin);

	/* No SANs given means the single SAN DNS:<cn>. */
	plain = issue("site-1", NULL, NULL, NULL, 0, 360);
	s.cn = "site-1";
	s.org = NULL;
	assert_int_equal(ccp_cert_matches(plain, &s), 1);
	s.sans = fewer;
	s.nsans = 1;
	assert_int_equal(ccp_cert_matches(plain, &s), 0);
	X509_free(plain);
}

static void test_openssl_cli_certs(void **state)
{
	static const char *const sans[] = { "server.example.com",
					    "10.1.2.3", "fd00::1" };
	char out[16384];
	X509 *server, *admin;

	(void)state;
	server = issue("server.example.com", "nvidia", NULL, sans, 3, 360);
	admin = issue("admin@nvidia.com", "nvidia", "project_admin", NULL, 0,
		      360);
	save_pem_cert("root.pem", g_root);
	save_pem_cert("server.pem", server);
	save_pem_cert("admin.pem", admin);

	assert_int_equal(run(out, sizeof(out),
			     "openssl verify -CAfile root.pem server.pem"), 0);
	assert_non_null(strstr(out, "server.pem: OK"));
	assert_int_equal(run(out, sizeof(out),
			     "openssl verify -CAfile root.pem admin.pem"), 0);
	/* The root is its own trust anchor and nothing else is. */
	assert_int_not_equal(run(NULL, 0,
				 "openssl verify -CAfile server.pem admin.pem"),
			     0);

	assert_int_equal(run(out, sizeof(out),
			     "openssl x509 -noout -text -in root.pem"), 0);
	assert_non_null(strstr(out, "Subject: CN = " PROJECT "\n"));
	assert_non_null(strstr(out, "Issuer: CN = " PROJECT "\n"));
	assert_non_null(strstr(out, "DNS:" PROJECT));
	assert_non_null(strstr(out, "X509v3 Basic Constraints: critical"));
	assert_non_null(strstr(out, "CA:TRUE"));
	assert_non_null(strstr(out, "X509v3 Key Usage: critical"));
	assert_non_null(strstr(out,
			       "Digital Signature, Certificate Sign, CRL Sign"));
	assert_non_null(strstr(out, "X509v3 Subject Key Identifier"));
	assert_non_null(strstr(out, "X509v3 Authority Key Identifier"));
	assert_non_null(strstr(out, "sha256WithRSAEncryption"));

	assert_int_equal(run(out, sizeof(out),
			     "openssl x509 -noout -text -in server.pem"), 0);
	assert_non_null(strstr(out,
			       "Subject: CN = server.example.com, O = nvidia\n"));
	assert_non_null(strstr(out, "Issuer: CN = " PROJECT "\n"));
	assert_non_null(strstr(out, "DNS:server.example.com"));
	assert_non_null(strstr(out, "IP Address:10.1.2.3"));
	assert_non_null(strstr(out, "IP Address:FD00:0:0:0:0:0:0:1"));
	assert_non_null(strstr(out, "CA:FALSE"));
	assert_non_null(strstr(out, "Public-Key: (2048 bit)"));
	assert_non_null(strstr(out, "Exponent: 65537"));

	assert_int_equal(run(out, sizeof(out),
			     "openssl x509 -noout -text -in admin.pem"), 0);
	assert_non_null(strstr(out, "Subject: CN = admin@nvidia.com, "
				    "O = nvidia, unstructuredName = project_admin"));
	assert_non_null(strstr(out, "DNS:admin@nvidia.com"));

	X509_free(server);
	X509_free(admin);
}

/* ---- PEM ---- */

static void test_pem_roundtrip(void **state)
{
	char *pem = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	assert_int_equal(ccp_pem_from_key(&pem, g_leaf_key, &err), 0);
	assert_true(strncmp(pem, "-----BEGIN RSA PRIVATE KEY-----\n", 32) ==
		    0);
	assert_non_null(strstr(pem, "-----END RSA PRIVATE KEY-----\n"));
	assert_int_equal(ccp_pem_to_key(&key, pem, &err), 0);
	assert_int_equal(EVP_PKEY_eq(key, g_leaf_key), 1);
	EVP_PKEY_free(key);
	free(pem);

	assert_int_equal(ccp_pem_from_cert(&pem, g_root, &err), 0);
	assert_true(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	assert_int_equal(ccp_pem_to_cert(&cert, pem, &err), 0);
	assert_int_equal(X509_cmp(cert, g_root), 0);
	X509_free(cert);
	free(pem);

	assert_true(ccp_pem_to_key(&key, "garbage", &err) < 0);
	assert_null(key);
	assert_true(err.message[0] != '\0');
	assert_true(ccp_pem_to_cert(&cert, "", &err) < 0);
	assert_null(cert);
}

static void test_pem_encrypted_key_refused(void **state)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *pem;
	long len;
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PrivateKey(bio, g_leaf_key,
						  EVP_aes_256_cbc(),
						  (unsigned char *)"secret", 6,
						  NULL, NULL), 1);
	len = BIO_get_mem_data(bio, &data);
	pem = strndup(data, (size_t)len);
	/* Must fail without prompting for a pass phrase. */
	assert_true(ccp_pem_to_key(&key, pem, &err) < 0);
	assert_null(key);
	free(pem);
	BIO_free(bio);
}

/* ---- signatures ---- */

static void test_sign_b64(void **state)
{
	static const char msg[] = "hello, federated world";
	char *b64 = NULL;
	ccp_error err = { 0, "" };
	EVP_PKEY *pub = X509_get0_pubkey(g_root);

	(void)state;
	assert_int_equal(ccp_sign_pss_b64(&b64, g_root_key, msg, strlen(msg),
					  &err), 0);
	assert_null(strchr(b64, '\n'));
	assert_int_equal(strlen(b64), 344);
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg), b64), 0);
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg) - 1, b64),
			 -1);
	assert_int_equal(ccp_verify_pss_b64(g_leaf_key, msg, strlen(msg),
					    b64), -1);
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg), "AAAA"),
			 -1);
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg), "!!"), -1);
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg), ""), -1);
	/* Flip one character of the signature. */
	b64[10] = b64[10] == 'A' ? 'B' : 'A';
	assert_int_equal(ccp_verify_pss_b64(pub, msg, strlen(msg), b64), -1);
	free(b64);
}

static void test_sign_tree_openssl(void **state)
{
	char out[4096], path[512], perr[128];
	ccp_error err = { 0, "" };
	ccp_json *doc = NULL;
	struct stat st;
	char *sig;
	FILE *f;

	(void)state;
	make_kit("kit1");
	path_of(path, sizeof(path), "kit1");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);

	/* Top folder: files and folders, sorted by name. */
	path_of(path, sizeof(path), "kit1/signature.json");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, perr,
					     sizeof(perr)), 0);
	assert_int_equal(doc->type, CCP_JSON_OBJECT);
	assert_int_equal(doc->count, 4);
	assert_string_equal(doc->keys[0], "local");
	assert_string_equal(doc->keys[1], "readme.txt");
	assert_string_equal(doc->keys[2], "startup");
	assert_string_equal(doc->keys[3], "transfer");
	ccp_json_free(doc);

	/* An empty folder gets {}. */
	path_of(path, sizeof(path), "kit1/transfer/signature.json");
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, perr,
					     sizeof(perr)), 0);
	assert_int_equal(doc->type, CCP_JSON_OBJECT);
	assert_int_equal(doc->count, 0);
	ccp_json_free(doc);

	/* A file entry, checked by openssl with salt auto-detection. */
	sig = signature_of("kit1/startup", "a.txt");
	write_text("sig.b64", sig);
	free(sig);
	path_of(path, sizeof(path), "pub.pem");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PUBKEY(f, g_root_key), 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run(out, sizeof(out),
			     "openssl base64 -d -A -in sig.b64 -out sig.bin"),
			 0);
	assert_int_equal(run(out, sizeof(out),
			     "openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
			     "-sigopt rsa_pss_saltlen:-2 -verify pub.pem "
			     "-signature sig.bin kit1/startup/a.txt"), 0);
	assert_non_null(strstr(out, "Verified OK"));
	/* The salt is the maximum length, as NVFlare signs. */
	assert_int_equal(run(out, sizeof(out),
			     "openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
			     "-sigopt rsa_pss_saltlen:max -verify pub.pem "
			     "-signature sig.bin kit1/startup/a.txt"), 0);
	assert_int_not_equal(run(out, sizeof(out),
				 "openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
				 "-sigopt rsa_pss_saltlen:-2 -verify pub.pem "
				 "-signature sig.bin kit1/startup/b.bin"), 0);

	/* A folder entry signs the folder's name, with the maximum salt. */
	sig = signature_of("kit1", "startup");
	write_text("sig.b64", sig);
	free(sig);
	write_text("name.txt", "startup");
	assert_int_equal(run(out, sizeof(out),
			     "openssl base64 -d -A -in sig.b64 -out sig.bin && "
			     "openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
			     "-sigopt rsa_pss_saltlen:max -verify pub.pem "
			     "-signature sig.bin name.txt"), 0);

	assert_int_equal(verify_kit("kit1", &err), 0);
	/* Signing again replaces the files and still verifies. */
	path_of(path, sizeof(path), "kit1");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
	assert_int_equal(verify_kit("kit1", &err), 0);
}

static void test_verify_tree_detects(void **state)
{
	char path[512], target[512], json[1024];
	ccp_error err = { 0, "" };
	char *a, *b;

	(void)state;
	make_kit("kit2");
	path_of(path, sizeof(path), "kit2");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
	assert_int_equal(verify_kit("kit2", &err), 0);

	/* A modified file. */
	write_text("kit2/startup/a.txt", "alpha!\n");
	assert_int_equal(verify_kit("kit2", &err), CCP_ECRYPTO);
	assert_non_null(strstr(err.message, "kit2/startup/a.txt"));
	write_text("kit2/startup/a.txt", "alpha\n");
	assert_int_equal(verify_kit("kit2", &err), 0);

	/* An unsigned file. */
	write_text("kit2/local/extra.txt", "x");
	assert_true(verify_kit("kit2", &err) < 0);
	assert_non_null(strstr(err.message, "extra.txt' is not signed"));
	remove_tree("kit2/local/extra.txt");

	/* A signed file that is gone. */
	remove_tree("kit2/local/res.json");
	assert_true(verify_kit("kit2", &err) < 0);
	assert_non_null(strstr(err.message, "res.json' is signed but missing"));
	write_text("kit2/local/res.json", "{\"components\": []}\n");
	assert_int_equal(verify_kit("kit2", &err), 0);

	/* A renamed folder: its entry signs the old name. */
	path_of(path, sizeof(path), "kit2/transfer");
	path_of(target, sizeof(target), "kit2/transfer2");
	assert_int_equal(rename(path, target), 0);
	assert_true(verify_kit("kit2", &err) < 0);
	assert_int_equal(rename(target, path), 0);

	/* A folder without signature.json. */
	remove_tree("kit2/transfer/signature.json");
	assert_true(verify_kit("kit2", &err) < 0);
	assert_non_null(strstr(err.message, "has no signature.json"));
	write_text("kit2/transfer/signature.json", "{}");
	assert_int_equal(verify_kit("kit2", &err), 0);

	/* Signatures swapped between two files. */
	a = signature_of("kit2/startup", "a.txt");
	b = signature_of("kit2/startup", "b.bin");
	snprintf(json, sizeof(json), "{\"a.txt\": \"%s\", \"b.bin\": \"%s\"}",
		 b, a);
	write_text("kit2/startup/signature.json", json);
	assert_int_equal(verify_kit("kit2", &err), CCP_ECRYPTO);
	snprintf(json, sizeof(json), "{\"a.txt\": \"%s\", \"b.bin\": \"%s\"}",
		 a, b);
	write_text("kit2/startup/signature.json", json);
	assert_int_equal(verify_kit("kit2", &err), 0);
	free(a);
	free(b);

	/* Malformed signature.json. */
	write_text("kit2/transfer/signature.json", "[1]");
	assert_true(verify_kit("kit2", &err) < 0);
	write_text("kit2/transfer/signature.json", "{");
	assert_true(verify_kit("kit2", &err) < 0);
	write_text("kit2/transfer/signature.json", "{}");

	/* A symbolic link. */
	path_of(path, sizeof(path), "kit2/startup/link");
	assert_int_equal(symlink("a.txt", path), 0);
	assert_true(verify_kit("kit2", &err) < 0);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(verify_kit("kit2", &err), 0);
}

/* Read the first line of rel (a base64 text the openssl CLI wrote). */
static char *read_line(const char *rel)
{
	char path[512], line[1024];
	FILE *f;

	path_of(path, sizeof(path), rel);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(fclose(f), 0);
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

/* Every problem ccp_verify_tree_each() passes on, in order. */
typedef struct problem_list {
	char messages[4][256];
	size_t count;
} problem_list;

static void collect_problem(void *ctx, const char *message)
{
	problem_list *l = ctx;

	if (l->count < 4)
		snprintf(l->messages[l->count], sizeof(l->messages[0]), "%s",
			 message);
	l->count++;
}

/* An unsigned file followed by a signed folder is one problem, not a
 * second, empty one for the folder. */
static void test_verify_tree_each_unsigned_then_folder(void **state)
{
	char path[512];
	ccp_error err = { 0, "" };
	problem_list found;
	size_t problems = 0;

	(void)state;
	memset(&found, 0, sizeof(found));
	make_kit("kit_each");
	path_of(path, sizeof(path), "kit_each");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
	/* sorts just before the signed folder "local" */
	write_text("kit_each/a_extra.txt", "x");
	assert_int_equal(ccp_verify_tree_each(path, g_root, collect_problem,
					      &found, &problems, &err), 0);
	assert_int_equal(found.count, 1);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(found.messages[0], "a_extra.txt' is not signed"));
}

/* Replace signature value from by to in the signature.json of folder rel. */
static void sed_signature(const char *rel, const char *name,
			  const char *from, const char *to)
{
	char path[512], perr[128];
	ccp_json *doc = NULL;
	char *text;
	size_t i;

	path_of(path, sizeof(path), rel);
	strcat(path, "/signature.json");
	assert_int_equal(ccp_json_parse_file(&doc, path, 0, perr,
					     sizeof(perr)), 0);
	for (i = 0; i < doc->count; i++)
		if (strcmp(doc->keys[i], name) == 0) {
			assert_string_equal(ccp_json_str(doc->items[i]), from);
			ccp_json_free(doc->items[i]);
			doc->items[i] = ccp_json_new_string(to);
		}
	text = ccp_json_render(doc, 0);
	assert_non_null(text);
	snprintf(path, sizeof(path), "%s/signature.json", rel);
	write_text(path, text);
	free(text);
	ccp_json_free(doc);
}

/*
 * NVFlare verifies with PSS.MAX_LENGTH, which cryptography before 42
 * (NVFlare accepts 36 and later) checks as exactly the maximum salt. A
 * signature with another salt length verifies under salt
 * auto-detection, so the tree check must refuse it itself. The
 * signatures here are made by the openssl command line, not by ccprov.
 */
static void test_verify_tree_salt_length(void **state)
{
	char out[4096], path[512], json[2048];
	ccp_error err = { 0, "" };
	EVP_PKEY *pub = X509_get0_pubkey(g_root);
	char *a32, *amax, *b, *folder32, *folder;

	(void)state;
	make_kit("kit5");
	path_of(path, sizeof(path), "kit5");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
	save_pem_key("salt.key", g_root_key);
	write_text("name.txt", "transfer");
	assert_int_equal(run(out, sizeof(out),
			     "for f in kit5/startup/a.txt name.txt; do "
			     "for s in 32 max; do "
			     "openssl dgst -sha256 -sigopt rsa_padding_mode:pss "
			     "-sigopt rsa_pss_saltlen:$s -sign salt.key "
			     "-out s.bin $f && "
			     "openssl base64 -A -in s.bin -out $(basename $f).$s "
			     "|| exit 1; done; done"), 0);
	a32 = read_line("a.txt.32");
	amax = read_line("a.txt.max");
	folder32 = read_line("name.txt.32");
	folder = signature_of("kit5", "transfer");
	b = signature_of("kit5/startup", "b.bin");

	/* Both are valid PSS signatures... */
	assert_int_equal(ccp_verify_pss_b64(pub, "alpha\n", 6, a32), 0);
	assert_int_equal(ccp_verify_pss_b64(pub, "alpha\n", 6, amax), 0);

	/* ...but a file signed with a digest-length salt is refused. */
	snprintf(json, sizeof(json), "{\"a.txt\": \"%s\", \"b.bin\": \"%s\"}",
		 a32, b);
	write_text("kit5/startup/signature.json", json);
	assert_int_equal(verify_kit("kit5", &err), CCP_ECRYPTO);
	assert_non_null(strstr(err.message, "kit5/startup/a.txt"));
	snprintf(json, sizeof(json), "{\"a.txt\": \"%s\", \"b.bin\": \"%s\"}",
		 amax, b);
	write_text("kit5/startup/signature.json", json);
	assert_int_equal(verify_kit("kit5", &err), 0);

	/* The same for a folder entry, which signs the folder's name. */
	sed_signature("kit5", "transfer", folder, folder32);
	assert_int_equal(verify_kit("kit5", &err), CCP_ECRYPTO);
	assert_non_null(strstr(err.message, "kit5/transfer"));
	sed_signature("kit5", "transfer", folder32, folder);
	assert_int_equal(verify_kit("kit5", &err), 0);

	free(a32);
	free(amax);
	free(folder32);
	free(folder);
	free(b);
}

static void test_verify_tree_wrong_root(void **state)
{
	char path[512];
	ccp_error err = { 0, "" };
	X509 *other = NULL;

	(void)state;
	make_kit("kit4");
	path_of(path, sizeof(path), "kit4");
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
	assert_int_equal(ccp_cert_root(&other, g_leaf_key, "other", 30, &err),
			 0);
	assert_true(ccp_verify_tree(path, other, &err) < 0);
	X509_free(other);
}

static void test_sign_tree_refuses_symlink(void **state)
{
	char path[512], link[512];
	ccp_error err = { 0, "" };
	struct stat st;

	(void)state;
	make_kit("kit3");
	path_of(path, sizeof(path), "kit3/local/link.txt");
	assert_int_equal(symlink("../startup/a.txt", path), 0);
	path_of(path, sizeof(path), "kit3");
	assert_true(ccp_sign_tree(path, g_root_key, &err) < 0);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_non_null(strstr(err.message, "kit3/local/link.txt"));
	/* Checked before writing: nothing was signed. */
	path_of(path, sizeof(path), "kit3/signature.json");
	assert_int_equal(stat(path, &st), -1);
	path_of(path, sizeof(path), "kit3/local/signature.json");
	assert_int_equal(stat(path, &st), -1);

	/* A link to a folder, and the signed folder itself being a link. */
	remove_tree("kit3/local/link.txt");
	path_of(path, sizeof(path), "kit3/startup/up");
	assert_int_equal(symlink("..", path), 0);
	path_of(path, sizeof(path), "kit3");
	assert_true(ccp_sign_tree(path, g_root_key, &err) < 0);
	remove_tree("kit3/startup/up");
	path_of(link, sizeof(link), "kit3-link");
	assert_int_equal(symlink(path, link), 0);
	assert_true(ccp_sign_tree(link, g_root_key, &err) < 0);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(ccp_sign_tree(path, g_root_key, &err), 0);
}

/* ---- state ---- */

static void test_state_roundtrip(void **state)
{
	char path[512], perr[128];
	ccp_state *st, *back = NULL;
	ccp_state_entry *e;
	ccp_error err = { 0, "" };
	ccp_json *doc = NULL;
	X509 *site, *admin;
	struct stat sb;
	mode_t old_mask;

	(void)state;
	site = issue("site-1", "nvidia", NULL, NULL, 0, 360);
	admin = issue("admin@nvidia.com", "nvidia", "lead", NULL, 0, 360);
	st = ccp_state_new();
	assert_non_null(st);
	assert_int_equal(X509_up_ref(g_root), 1);
	assert_int_equal(EVP_PKEY_up_ref(g_root_key), 1);
	st->root_cert = g_root;
	st->root_key = g_root_key;
	assert_int_equal(ccp_state_put(st, "site-1", site, g_leaf_key), 0);
	assert_int_equal(ccp_state_put(st, "admin@nvidia.com", admin,
				       g_leaf_key), 0);
	/* Replacing keeps one entry per subject. */
	assert_int_equal(ccp_state_put(st, "site-1", site, g_leaf_key), 0);
	assert_int_equal(st->count, 2);
	assert_int_equal(ccp_state_put(st, "root_cert", site, g_leaf_key),
			 CCP_EINVAL);

	make_dir("state");
	path_of(path, sizeof(path), "state/cert.json");
	/* The mode must not depend on the umask. */
	old_mask = umask(0);
	assert_int_equal(ccp_state_save(st, path, &err), 0);
	umask(old_mask);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* Saving again replaces the file atomically and leaves no temp. */
	assert_int_equal(ccp_state_save(st, path, &err), 0);
	assert_int_equal(run(perr, sizeof(perr), "ls state | wc -l"), 0);
	assert_int_equal(atoi(perr), 1);

	assert_int_equal(ccp_json_parse_file(&doc, path, 0, perr,
					     sizeof(perr)), 0);
	assert_true(strncmp(ccp_json_str(ccp_json_get(doc, "root_pri_key")),
			    "-----BEGIN RSA PRIVATE KEY-----", 31) == 0);
	assert_true(strncmp(ccp_json_str(ccp_json_get(doc, "root_cert")),
			    "-----BEGIN CERTIFICATE-----", 27) == 0);
	assert_non_null(ccp_json_str(ccp_json_get(
		ccp_json_get(doc, "site-1"), "cert")));
	assert_non_null(ccp_json_str(ccp_json_get(
		ccp_json_get(doc, "admin@nvidia.com"), "pri_key")));
	ccp_json_free(doc);

	assert_int_equal(ccp_state_load(&back, path, &err), 0);
	assert_non_null(back);
	assert_int_equal(X509_cmp(back->root_cert, g_root), 0);
	assert_int_equal(EVP_PKEY_eq(back->root_key, g_root_key), 1);
	assert_int_equal(back->count, 2);
	assert_string_equal(back->entries[0].subject, "site-1");
	e = ccp_state_find(back, "admin@nvidia.com");
	assert_non_null(e);
	assert_int_equal(X509_cmp(e->cert, admin), 0);
	assert_int_equal(EVP_PKEY_eq(e->key, g_leaf_key), 1);
	assert_null(ccp_state_find(back, "site-2"));

	ccp_state_free(back);
	ccp_state_free(st);
	X509_free(site);
	X509_free(admin);
}

static void test_state_errors(void **state)
{
	char path[512], text[16384];
	char *cert_pem = NULL, *key_pem = NULL;
	ccp_state *st = (ccp_state *)1;
	ccp_error err = { 0, "" };

	(void)state;
	path_of(path, sizeof(path), "no-such/cert.json");
	assert_int_equal(ccp_state_load(&st, path, &err), 0);
	assert_null(st);

	make_dir("bad");
	path_of(path, sizeof(path), "bad/cert.json");
	write_text("bad/cert.json", "{\"root_cert\": ");
	assert_int_equal(ccp_state_load(&st, path, &err), CCP_ESTATE);
	assert_null(st);
	assert_non_null(strstr(err.message, "bad/cert.json"));

	write_text("bad/cert.json", "{}");
	assert_int_equal(ccp_state_load(&st, path, &err), CCP_ESTATE);
	assert_non_null(strstr(err.message, "root_cert"));

	/* A key that does not belong to its certificate. */
	assert_int_equal(ccp_pem_from_cert(&cert_pem, g_root, &err), 0);
	assert_int_equal(ccp_pem_from_key(&key_pem, g_leaf_key, &err), 0);
	{
		ccp_buf b = CCP_BUF_INIT;
		ccp_jw w;

		ccp_jw_init(&w, &b, 0);
		ccp_jw_object_begin(&w);
		ccp_jw_key(&w, "root_cert");
		ccp_jw_string(&w, cert_pem);
		ccp_jw_key(&w, "root_pri_key");
		ccp_jw_string(&w, key_pem);
		ccp_jw_object_end(&w);
		assert_false(ccp_buf_failed(&b));
		assert_true(b.len < sizeof(text));
		memcpy(text, b.data, b.len + 1);
		ccp_buf_release(&b);
	}
	write_text("bad/cert.json", text);
	assert_int_equal(ccp_state_load(&st, path, &err), CCP_ESTATE);
	assert_non_null(strstr(err.message, "does not match"));
	free(cert_pem);
	free(key_pem);

	write_text("bad/cert.json", "{\"root_cert\": \"x\", \"root_pri_key\": \"y\"}");
	assert_int_equal(ccp_state_load(&st, path, &err), CCP_ESTATE);

	st = ccp_state_new();
	assert_true(ccp_state_save(st, path, &err) < 0);
	ccp_state_free(st);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen_fast),
		cmocka_unit_test(test_keygen_openssl),
		cmocka_unit_test(test_keygen_many),
		cmocka_unit_test(test_root_profile),
		cmocka_unit_test(test_issue_profile),
		cmocka_unit_test(test_issue_admin_role),
		cmocka_unit_test(test_issue_refusals),
		cmocka_unit_test(test_cert_matches),
		cmocka_unit_test(test_openssl_cli_certs),
		cmocka_unit_test(test_pem_roundtrip),
		cmocka_unit_test(test_pem_encrypted_key_refused),
		cmocka_unit_test(test_sign_b64),
		cmocka_unit_test(test_sign_tree_openssl),
		cmocka_unit_test(test_verify_tree_detects),
		cmocka_unit_test(test_verify_tree_each_unsigned_then_folder),
		cmocka_unit_test(test_verify_tree_salt_length),
		cmocka_unit_test(test_verify_tree_wrong_root),
		cmocka_unit_test(test_sign_tree_refuses_symlink),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_state_errors),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
