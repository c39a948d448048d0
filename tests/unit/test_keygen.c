/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSA key generation: the primality test on known primes, composites,
 * Carmichael numbers and strong pseudoprimes; generated keys against the
 * FIPS 186-5 criteria, OpenSSL's key check and `openssl rsa -check`;
 * injected faults; cancellation. Facts about the test numbers are checked
 * independently of ccprov's code (OpenSSL's BN_check_prime, a base-2
 * Miller-Rabin written here), so a wrong table entry cannot pass.
 *
 * Thousands of keys: bench/keygen.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include "ccprov/crypto.h"
#include "keygen_int.h"

/* Rounds for classifying given numbers: the worst case lets a composite
 * pass a round with probability 1/4, so 64 rounds bound it by 2^-128. */
#define TEST_ROUNDS 64

static BN_CTX *g_ctx;

static BIGNUM *dec(const char *s)
{
	BIGNUM *b = NULL;

	assert_true(BN_dec2bn(&b, s) > 0);
	return b;
}

/* 2^k - 1 */
static BIGNUM *mersenne(int k)
{
	BIGNUM *b = BN_new();

	assert_non_null(b);
	assert_true(BN_set_bit(b, k));
	assert_true(BN_sub_word(b, 1));
	return b;
}

/* OpenSSL's own verdict, the independent oracle. */
static int openssl_prime(const BIGNUM *w)
{
	int r = BN_check_prime(w, g_ctx, NULL);

	assert_true(r >= 0);
	return r;
}

/* Is w a strong probable prime to base 2? Written here on purpose. */
static int base2_sprp(const BIGNUM *w)
{
	BIGNUM *w1 = BN_new(), *m = BN_new(), *two = BN_new(), *z = BN_new();
	int a = 0, j, r = 0;

	assert_true(w1 && m && two && z);
	assert_true(BN_sub(w1, w, BN_value_one()));
	while (!BN_is_bit_set(w1, a))
		a++;
	assert_true(BN_rshift(m, w1, a));
	assert_true(BN_set_word(two, 2));
	assert_true(BN_mod_exp(z, two, m, w, g_ctx));
	if (BN_is_one(z) || BN_cmp(z, w1) == 0)
		r = 1;
	for (j = 1; j < a && !r; j++) {
		assert_true(BN_mod_sqr(z, z, w, g_ctx));
		if (BN_cmp(z, w1) == 0)
			r = 1;
	}
	BN_free(w1);
	BN_free(m);
	BN_free(two);
	BN_free(z);
	return r;
}

static int setup(void **state)
{
	(void)state;
	g_ctx = BN_CTX_new();
	return g_ctx ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ccp_keygen_set_fault(NULL);
	BN_CTX_free(g_ctx);
	return 0;
}

/* ---- the primality test ---- */

static void expect(const BIGNUM *w, int prime)
{
	char *s = BN_bn2dec(w);

	assert_non_null(s);
	/* Guards the table: OpenSSL must agree on what w is. */
	if (openssl_prime(w) != prime)
		fail_msg("test table is wrong about %s", s);
	if (ccp_keygen_is_probable_prime(w, TEST_ROUNDS, g_ctx) != prime)
		fail_msg("%s classified as %s", s, prime ? "composite" : "prime");
	/* Primes pass every round, so the generator's round count must
	 * never reject one. */
	if (prime && ccp_keygen_is_probable_prime(w, CCP_KEYGEN_MR_ROUNDS,
						  g_ctx) != 1)
		fail_msg("prime %s rejected with %d rounds", s,
			 CCP_KEYGEN_MR_ROUNDS);
	OPENSSL_free(s);
}

static void expect_dec(const char *s, int prime)
{
	BIGNUM *w = dec(s);

	expect(w, prime);
	BN_free(w);
}

static void test_small_values(void **state)
{
	static const char *const primes[] = {
		"2", "3", "5", "7", "11", "13", "16381", "16411", "65521",
		"65537", "2147483647"
	};
	static const char *const composites[] = {
		"0", "1", "4", "9", "15", "25", "16383", "16384", "65535",
		"4295098369" /* 65537^2, no factor below the sieve limit */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(primes) / sizeof(primes[0]); i++)
		expect_dec(primes[i], 1);
	for (i = 0; i < sizeof(composites) / sizeof(composites[0]); i++)
		expect_dec(composites[i], 0);
}

static void test_known_primes(void **state)
{
	static const int mersenne_exp[] = { 61, 89, 107, 127, 521, 607, 1279 };
	BIGNUM *w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mersenne_exp) / sizeof(mersenne_exp[0]); i++) {
		w = mersenne(mersenne_exp[i]);
		expect(w, 1);
		BN_free(w);
	}
	/* 2^67 - 1 = 193707721 * 761838257287, Cole's factorisation */
	w = mersenne(67);
	expect(w, 0);
	BN_free(w);
	/* The 1024-bit MODP prime of RFC 2409 and the 1536-bit one of
	 * RFC 3526 (beyond trial division's 1024 bits). */
	w = BN_get_rfc2409_prime_1024(NULL);
	assert_non_null(w);
	expect(w, 1);
	assert_true(BN_add_word(w, 2));   /* p + 2 */
	expect(w, 0);
	BN_free(w);
	w = BN_get_rfc3526_prime_1536(NULL);
	assert_non_null(w);
	expect(w, 1);
	BN_free(w);
}

/* Odd numbers in a range, both ways, against OpenSSL. Below 2^28 every
 * composite has a factor under 2^14, so the first range checks trial
 * division; in the second, Miller-Rabin has to find some of them. */
static void test_ranges_agree_with_openssl(void **state)
{
	static const unsigned long starts[] = { 1UL << 20, 1UL << 28 };
	BIGNUM *w = BN_new();
	size_t i;
	unsigned long k;
	int primes = 0;

	(void)state;
	assert_non_null(w);
	for (i = 0; i < 2; i++) {
		for (k = starts[i] + 1; k < starts[i] + 6000; k += 2) {
			int want;

			assert_true(BN_set_word(w, k));
			want = openssl_prime(w);
			primes += want;
			if (ccp_keygen_is_probable_prime(w, TEST_ROUNDS, g_ctx) !=
			    want)
				fail_msg("%lu misclassified", k);
			/* Trial division alone: exact in the first range,
			 * never rejecting a prime in either. */
			if (ccp_keygen_is_probable_prime(w, 0, g_ctx) !=
			    (i == 0 ? want : 1) && (i == 0 || want))
				fail_msg("%lu misclassified by trial division",
					 k);
		}
	}
	assert_true(primes > 300);
	BN_free(w);
}

/* Carmichael numbers fool Fermat's test for every coprime base. */
static void test_carmichael(void **state)
{
	static const char *const known[] = { "561", "41041", "825265",
					     "3215031751" };
	BIGNUM *k, *f[3], *n, *t, *r;
	size_t i;
	int j;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		expect_dec(known[i], 0);
	/*
	 * A large one with no small factor: (6k+1)(12k+1)(18k+1) is a
	 * Carmichael number whenever the three factors are prime (Chernick).
	 */
	k = BN_new();
	n = BN_new();
	t = BN_new();
	r = BN_new();
	for (j = 0; j < 3; j++)
		f[j] = BN_new();
	assert_true(k && n && t && r && f[0] && f[1] && f[2]);
	assert_true(BN_set_word(k, 1UL << 22));
	for (;;) {
		int all = 1;

		for (j = 0; j < 3; j++) {
			assert_true(BN_copy(f[j], k));
			assert_true(BN_mul_word(f[j], 6UL * (BN_ULONG)(j + 1)));
			assert_true(BN_add_word(f[j], 1));
			all = all && openssl_prime(f[j]);
		}
		if (all)
			break;
		assert_true(BN_add_word(k, 1));
	}
	assert_true(BN_mul(n, f[0], f[1], g_ctx));
	assert_true(BN_mul(n, n, f[2], g_ctx));
	assert_true(BN_num_bits(n) > 64);
	/* Korselt's criterion, checked: f - 1 divides n - 1 for each f. */
	for (j = 0; j < 3; j++) {
		assert_true(BN_sub(t, n, BN_value_one()));
		assert_true(BN_sub_word(f[j], 1));
		assert_true(BN_mod(r, t, f[j], g_ctx));
		assert_true(BN_is_zero(r));
	}
	expect(n, 0);
	assert_int_equal(ccp_keygen_miller_rabin(n, TEST_ROUNDS, g_ctx), 0);
	BN_free(k);
	BN_free(n);
	BN_free(t);
	BN_free(r);
	for (j = 0; j < 3; j++)
		BN_free(f[j]);
}

/* Composites that pass Miller-Rabin with base 2 (and the large ones with
 * every prime base up to 23, 37 and 41): only random bases catch them. */
static void test_strong_pseudoprimes(void **state)
{
	static const char *const spsp[] = {
		"2047", "3277", "4033", "4681", "8321", "3215031751",
		"3825123056546413051",
		"318665857834031151167461",
		"3317044064679887385961981"
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spsp) / sizeof(spsp[0]); i++) {
		BIGNUM *w = dec(spsp[i]);

		if (!base2_sprp(w))
			fail_msg("%s is not a base-2 strong pseudoprime", spsp[i]);
		expect(w, 0);
		/* Miller-Rabin on its own too, without trial division. */
		assert_int_equal(ccp_keygen_miller_rabin(w, TEST_ROUNDS, g_ctx),
				 0);
		BN_free(w);
	}
}

static void test_miller_rabin_arguments(void **state)
{
	BIGNUM *w = BN_new();

	(void)state;
	assert_non_null(w);
	assert_true(BN_set_word(w, 3));
	assert_int_equal(ccp_keygen_miller_rabin(w, 5, g_ctx), -1);
	assert_true(BN_set_word(w, 10));
	assert_int_equal(ccp_keygen_miller_rabin(w, 5, g_ctx), -1);
	assert_true(BN_set_word(w, 5));
	assert_int_equal(ccp_keygen_miller_rabin(w, 0, g_ctx), -1);
	assert_int_equal(ccp_keygen_miller_rabin(w, 1, g_ctx), 1);
	BN_free(w);
}

/* ---- generated keys ---- */

static BIGNUM *param(EVP_PKEY *key, const char *name)
{
	BIGNUM *b = NULL;

	assert_int_equal(EVP_PKEY_get_bn_param(key, name, &b), 1);
	return b;
}

/* 2^k */
static BIGNUM *power2(int k)
{
	BIGNUM *b = BN_new();

	assert_non_null(b);
	assert_true(BN_set_bit(b, k));
	return b;
}

/* Run a command; its exit status, output in out. */
static int run(char *out, size_t outlen, const char *cmd)
{
	char full[1024];
	size_t n;
	FILE *p;
	int status;

	assert_true((size_t)snprintf(full, sizeof(full), "%s 2>&1", cmd) <
		    sizeof(full));
	p = popen(full, "r");
	assert_non_null(p);
	n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	status = pclose(p);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Everything FIPS 186-5 A.1.1 asks of the key, OpenSSL's check and the
 * openssl command line's. */
static void check_key(EVP_PKEY *key)
{
	BIGNUM *p = param(key, OSSL_PKEY_PARAM_RSA_FACTOR1);
	BIGNUM *q = param(key, OSSL_PKEY_PARAM_RSA_FACTOR2);
	BIGNUM *d = param(key, OSSL_PKEY_PARAM_RSA_D);
	BIGNUM *e = param(key, OSSL_PKEY_PARAM_RSA_E);
	BIGNUM *n = param(key, OSSL_PKEY_PARAM_RSA_N);
	BIGNUM *t = BN_new(), *p1 = BN_new(), *q1 = BN_new(), *g = BN_new();
	BIGNUM *half = power2(CCP_RSA_BITS / 2);
	BIGNUM *gap = power2(CCP_RSA_BITS / 2 - 100);
	BIGNUM *low = power2(CCP_RSA_BITS - 1);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	char path[] = "/tmp/ccprov-keygen-XXXXXX", cmd[256], out[4096];
	char *pem = NULL;
	int fd;

	assert_true(t && p1 && q1 && g && ctx);
	assert_int_equal(EVP_PKEY_check(ctx), 1);
	assert_int_equal(EVP_PKEY_get_bits(key), CCP_RSA_BITS);
	assert_true(BN_is_word(e, 65537));
	assert_int_equal(openssl_prime(p), 1);
	assert_int_equal(openssl_prime(q), 1);
	assert_int_equal(BN_num_bits(p), CCP_RSA_BITS / 2);
	assert_int_equal(BN_num_bits(q), CCP_RSA_BITS / 2);
	/* p, q >= sqrt(2) * 2^(nlen/2 - 1), i.e. p^2 >= 2^(nlen - 1) */
	assert_true(BN_sqr(t, p, g_ctx));
	assert_true(BN_cmp(t, low) >= 0);
	assert_true(BN_sqr(t, q, g_ctx));
	assert_true(BN_cmp(t, low) >= 0);
	/* |p - q| > 2^(nlen/2 - 100) */
	assert_true(BN_sub(t, p, q));
	assert_true(BN_ucmp(t, gap) > 0);
	/* gcd(e, p - 1) = gcd(e, q - 1) = 1 */
	assert_true(BN_sub(p1, p, BN_value_one()));
	assert_true(BN_sub(q1, q, BN_value_one()));
	assert_true(BN_gcd(g, e, p1, g_ctx));
	assert_true(BN_is_one(g));
	assert_true(BN_gcd(g, e, q1, g_ctx));
	assert_true(BN_is_one(g));
	/* 2^(nlen/2) < d < LCM(p - 1, q - 1), and d e = 1 mod LCM */
	assert_true(BN_cmp(d, half) > 0);
	assert_true(BN_gcd(g, p1, q1, g_ctx));
	assert_true(BN_mul(t, p1, q1, g_ctx));
	assert_true(BN_div(t, NULL, t, g, g_ctx));
	assert_true(BN_cmp(d, t) < 0);
	assert_true(BN_mod_mul(g, d, e, t, g_ctx));
	assert_true(BN_is_one(g));
	assert_true(BN_mul(t, p, q, g_ctx));
	assert_int_equal(BN_cmp(t, n), 0);

	/* And the openssl command line's own check. */
	assert_int_equal(ccp_pem_from_key(&pem, key, NULL), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pem, strlen(pem)), (ssize_t)strlen(pem));
	close(fd);
	snprintf(cmd, sizeof(cmd), "openssl rsa -check -noout -in '%s'", path);
	assert_int_equal(run(out, sizeof(out), cmd), 0);
	assert_non_null(strstr(out, "RSA key ok"));
	unlink(path);
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);

	EVP_PKEY_CTX_free(ctx);
	BN_clear_free(p);
	BN_clear_free(q);
	BN_clear_free(d);
	BN_free(e);
	BN_free(n);
	BN_clear_free(t);
	BN_clear_free(p1);
	BN_clear_free(q1);
	BN_clear_free(g);
	BN_free(half);
	BN_free(gap);
	BN_free(low);
}

static void test_generated_keys(void **state)
{
	EVP_PKEY *keys[4];
	ccp_error err = { 0, "" };
	size_t i;

	(void)state;
	assert_int_equal(ccp_rsa_generate_many(keys, 4, NULL, &err), 0);
	for (i = 0; i < 4; i++)
		check_key(keys[i]);
	assert_int_not_equal(EVP_PKEY_eq(keys[0], keys[1]), 1);
	for (i = 0; i < 4; i++)
		EVP_PKEY_free(keys[i]);
}

static void test_openssl_method(void **state)
{
	ccp_rsa_many_opts o = { 1, CCP_RSA_OPENSSL, NULL };
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	assert_int_equal(ccp_rsa_generate_many(&key, 1, &o, &err), 0);
	assert_int_equal(EVP_PKEY_get_bits(key), CCP_RSA_BITS);
	EVP_PKEY_free(key);
}

static void test_method_parse(void **state)
{
	ccp_rsa_method m = CCP_RSA_OPENSSL;

	(void)state;
	assert_int_equal(ccp_rsa_method_parse(&m, "fast"), 0);
	assert_int_equal(m, CCP_RSA_FAST);
	assert_int_equal(ccp_rsa_method_parse(&m, "openssl"), 0);
	assert_int_equal(m, CCP_RSA_OPENSSL);
	assert_int_equal(ccp_rsa_method_parse(&m, "OpenSSL"), CCP_EINVAL);
	assert_int_equal(ccp_rsa_method_parse(&m, ""), CCP_EINVAL);
	assert_int_equal(ccp_rsa_method_parse(&m, NULL), CCP_EINVAL);
	assert_int_equal(m, CCP_RSA_OPENSSL);
}

/* ---- faults ---- */

static int g_fault_calls;

/* q becomes a composite of the right size, as if Miller-Rabin had let
 * one through. */
static void fault_composite_q(int stage, ccp_rsa_parts *r)
{
	BIGNUM *a = BN_new(), *b = BN_new(), *low = power2(CCP_RSA_BITS - 1);
	BIGNUM *sq = BN_new();

	if (stage != CCP_KEYGEN_AT_PRIMES)
		goto cleanup;
	g_fault_calls++;
	assert_true(a && b && sq);
	do {
		assert_true(BN_generate_prime_ex(a, CCP_RSA_BITS / 4, 0, NULL,
						 NULL, NULL));
		assert_true(BN_generate_prime_ex(b, CCP_RSA_BITS / 4, 0, NULL,
						 NULL, NULL));
		assert_true(BN_mul(r->q, a, b, g_ctx));
		assert_true(BN_sqr(sq, r->q, g_ctx));
	} while (BN_cmp(sq, low) < 0);
cleanup:
	BN_free(a);
	BN_free(b);
	BN_free(sq);
	BN_free(low);
}

/* A fault in p after everything was derived from it. */
static void fault_p(int stage, ccp_rsa_parts *r)
{
	if (stage != CCP_KEYGEN_AT_DERIVED)
		return;
	g_fault_calls++;
	assert_true(BN_add_word(r->p, 2));
}

/* One flipped bit in a CRT exponent: n, p and q stay right, only the
 * signature the key makes is wrong. */
static void fault_dmp1(int stage, ccp_rsa_parts *r)
{
	if (stage != CCP_KEYGEN_AT_DERIVED)
		return;
	g_fault_calls++;
	if (BN_is_bit_set(r->dmp1, 100))
		assert_true(BN_clear_bit(r->dmp1, 100));
	else
		assert_true(BN_set_bit(r->dmp1, 100));
}

/* A wrong CRT coefficient. */
static void fault_iqmp(int stage, ccp_rsa_parts *r)
{
	if (stage != CCP_KEYGEN_AT_DERIVED)
		return;
	g_fault_calls++;
	assert_true(BN_add_word(r->iqmp, 1));
}

static void expect_caught(ccp_keygen_fault_fn fn)
{
	EVP_PKEY *key = (EVP_PKEY *)1;
	ccp_error err = { 0, "" };

	g_fault_calls = 0;
	ccp_keygen_set_fault(fn);
	assert_int_equal(ccp_rsa_generate_with(&key, CCP_RSA_FAST, &err),
			 CCP_ECRYPTO);
	ccp_keygen_set_fault(NULL);
	assert_null(key);
	assert_true(g_fault_calls >= 1);
	assert_non_null(strstr(err.message, "pairwise consistency test"));
}

static void test_faults_caught(void **state)
{
	EVP_PKEY *key = NULL;
	ccp_error err = { 0, "" };

	(void)state;
	expect_caught(fault_composite_q);
	expect_caught(fault_p);
	expect_caught(fault_dmp1);
	expect_caught(fault_iqmp);
	/* Without a fault the same path gives a key. */
	assert_int_equal(ccp_rsa_generate_with(&key, CCP_RSA_FAST, &err), 0);
	EVP_PKEY_free(key);
}

/* ---- cancellation ---- */

static int g_polls;

static int cancel_now(void)
{
	return 1;
}

static int cancel_later(void)
{
	return ++g_polls > 40;
}

static void test_cancel(void **state)
{
	static const ccp_rsa_method methods[] = { CCP_RSA_FAST,
						   CCP_RSA_OPENSSL };
	EVP_PKEY *keys[3];
	ccp_error err = { 0, "" };
	size_t i, j;

	(void)state;
	for (i = 0; i < 2; i++) {
		ccp_rsa_many_opts o = { 1, methods[i], cancel_now };

		assert_int_equal(ccp_rsa_generate_many(keys, 3, &o, &err),
				 CCP_EINTR);
		for (j = 0; j < 3; j++)
			assert_null(keys[j]);
		/* Stopped in the middle of a key, not between keys. */
		g_polls = 0;
		o.cancelled = cancel_later;
		assert_int_equal(ccp_rsa_generate_many(keys, 3, &o, &err),
				 CCP_EINTR);
		assert_true(g_polls > 40);
		assert_non_null(strstr(err.message, "interrupted"));
		for (j = 0; j < 3; j++)
			assert_null(keys[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_values),
		cmocka_unit_test(test_known_primes),
		cmocka_unit_test(test_ranges_agree_with_openssl),
		cmocka_unit_test(test_carmichael),
		cmocka_unit_test(test_strong_pseudoprimes),
		cmocka_unit_test(test_miller_rabin_arguments),
		cmocka_unit_test(test_generated_keys),
		cmocka_unit_test(test_openssl_method),
		cmocka_unit_test(test_method_parse),
		cmocka_unit_test(test_faults_caught),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
