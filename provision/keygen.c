/*
 * RSA-2048 key generation.
 *
 * OpenSSL 3.0's default generator (SP 800-56B with auxiliary primes) is
 * about twice as slow as generating two 1024-bit probable primes, and a
 * provisioning run creates one key per participant. The fast path builds
 * the key from two BN_generate_prime_ex2() primes and only hands it out
 * after OpenSSL's own key validation (EVP_PKEY_check) accepts it; any
 * failure falls back to EVP_RSA_gen().
 */
#include "ccprov/crypto.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "crypto_int.h"

#define RSA_E 65537UL
#define PRIME_BITS (CCP_RSA_BITS / 2)
/*
 * FIPS 186-4 B.3.1: |p - q| > 2^(nlen/2 - 100), so that n cannot be
 * factored by searching near its square root.
 */
#define MIN_DIFF_BITS (PRIME_BITS - 100)
/* Each attempt fails with negligible probability; this only bounds loops. */
#define MAX_ATTEMPTS 16

typedef struct rsa_parts {
	BIGNUM *p, *q, *n, *e, *d, *dmp1, *dmq1, *iqmp;
} rsa_parts;

static void parts_release(rsa_parts *r)
{
	BN_clear_free(r->p);
	BN_clear_free(r->q);
	BN_free(r->n);
	BN_free(r->e);
	BN_clear_free(r->d);
	BN_clear_free(r->dmp1);
	BN_clear_free(r->dmq1);
	BN_clear_free(r->iqmp);
}

static int parts_init(rsa_parts *r)
{
	r->n = BN_new();
	r->e = BN_new();
	r->p = BN_secure_new();
	r->q = BN_secure_new();
	r->d = BN_secure_new();
	r->dmp1 = BN_secure_new();
	r->dmq1 = BN_secure_new();
	r->iqmp = BN_secure_new();
	if (!r->n || !r->e || !r->p || !r->q || !r->d || !r->dmp1 ||
	    !r->dmq1 || !r->iqmp || !BN_set_word(r->e, RSA_E))
		return -1;
	BN_set_flags(r->p, BN_FLG_CONSTTIME);
	BN_set_flags(r->q, BN_FLG_CONSTTIME);
	BN_set_flags(r->d, BN_FLG_CONSTTIME);
	return 0;
}

/*
 * A 1024-bit prime with gcd(e, prime - 1) = 1. e is prime, so the gcd is
 * 1 exactly when prime mod e != 1. BN_generate_prime_ex2 sets the top two
 * bits, so the product of two such primes has exactly 2048 bits.
 */
static int gen_prime(BIGNUM *out, BN_CTX *ctx)
{
	int i;

	for (i = 0; i < MAX_ATTEMPTS; i++) {
		BN_ULONG r;

		if (!BN_generate_prime_ex2(out, PRIME_BITS, 0, NULL, NULL,
					   NULL, ctx))
			return -1;
		r = BN_mod_word(out, RSA_E);
		if (r == (BN_ULONG)-1)
			return -1;
		if (r != 1)
			return 0;
	}
	return -1;
}

/*
 * Derive n, d and the CRT values from p and q. Returns 0, 1 when this
 * pair must be rejected (draw new primes), -1 on failure.
 */
static int derive(rsa_parts *r, BN_CTX *ctx)
{
	BIGNUM *p1, *q1, *g, *lcm, *diff;
	int rc = -1;

	BN_CTX_start(ctx);
	p1 = BN_CTX_get(ctx);
	q1 = BN_CTX_get(ctx);
	g = BN_CTX_get(ctx);
	lcm = BN_CTX_get(ctx);
	diff = BN_CTX_get(ctx);
	if (!diff)
		goto cleanup;
	if (!BN_sub(diff, r->p, r->q))
		goto cleanup;
	if (BN_num_bits(diff) <= MIN_DIFF_BITS) {
		rc = 1;
		goto cleanup;
	}
	/* Keep p > q, the order RSA keys conventionally use. */
	if (BN_is_negative(diff))
		BN_swap(r->p, r->q);
	if (!BN_mul(r->n, r->p, r->q, ctx))
		goto cleanup;
	if (BN_num_bits(r->n) != CCP_RSA_BITS) {
		rc = 1;
		goto cleanup;
	}
	if (!BN_sub(p1, r->p, BN_value_one()) ||
	    !BN_sub(q1, r->q, BN_value_one()) ||
	    !BN_gcd(g, p1, q1, ctx) ||
	    !BN_mul(lcm, p1, q1, ctx) ||
	    !BN_div(lcm, NULL, lcm, g, ctx))
		goto cleanup;
	/* d = e^-1 mod lcm(p-1, q-1), the smallest valid private exponent. */
	if (!BN_mod_inverse(r->d, r->e, lcm, ctx)) {
		rc = 1;
		goto cleanup;
	}
	/* FIPS 186-4 B.3.1 also asks for d > 2^(nlen/2). */
	if (BN_num_bits(r->d) <= PRIME_BITS) {
		rc = 1;
		goto cleanup;
	}
	if (!BN_mod(r->dmp1, r->d, p1, ctx) ||
	    !BN_mod(r->dmq1, r->d, q1, ctx) ||
	    !BN_mod_inverse(r->iqmp, r->q, r->p, ctx))
		goto cleanup;
	rc = 0;

cleanup:
	BN_CTX_end(ctx);
	return rc;
}

static int assemble(EVP_PKEY **out, const rsa_parts *r)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *key = NULL;
	int rc = -1;

	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, r->n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, r->e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, r->d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, r->p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, r->q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1,
				    r->dmp1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2,
				    r->dmq1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
				    r->iqmp))
		goto cleanup;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto cleanup;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
		goto cleanup;
	/*
	 * The key never leaves this function unless OpenSSL itself accepts
	 * it: primality of p and q, n = pq, d*e = 1 mod lcm, CRT values.
	 */
	check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!check || EVP_PKEY_check(check) != 1)
		goto cleanup;
	*out = key;
	key = NULL;
	rc = 0;

cleanup:
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

static int rsa_fast(EVP_PKEY **out, ccp_error *err)
{
	rsa_parts r = { 0 };
	BN_CTX *ctx = NULL;
	int rc = -1, i, d = 1;

	ctx = BN_CTX_secure_new();
	if (!ctx || parts_init(&r) < 0)
		goto cleanup;
	for (i = 0; i < MAX_ATTEMPTS && d == 1; i++) {
		if (gen_prime(r.p, ctx) < 0 || gen_prime(r.q, ctx) < 0)
			goto cleanup;
		d = derive(&r, ctx);
		if (d < 0)
			goto cleanup;
	}
	if (d != 0)
		goto cleanup;
	rc = assemble(out, &r);

cleanup:
	if (rc < 0)
		ccp_crypto_fail(err, CCP_ECRYPTO,
				"cannot generate an RSA key from primes");
	parts_release(&r);
	BN_CTX_free(ctx);
	return rc;
}

static int rsa_openssl(EVP_PKEY **out, ccp_error *err)
{
	EVP_PKEY *key = EVP_RSA_gen(CCP_RSA_BITS);

	if (!key)
		return ccp_crypto_fail(err, CCP_ECRYPTO,
				       "cannot generate an RSA key");
	*out = key;
	return 0;
}

int ccp_rsa_generate_with(EVP_PKEY **out, ccp_rsa_method method,
			  ccp_error *err)
{
	*out = NULL;
	switch (method) {
	case CCP_RSA_FAST:
		return rsa_fast(out, err);
	case CCP_RSA_OPENSSL:
		return rsa_openssl(out, err);
	case CCP_RSA_AUTO:
		break;
	default:
		return ccp_error_set(err, CCP_EINVAL,
				     "unknown key generation method %d",
				     (int)method);
	}
	if (rsa_fast(out, NULL) == 0)
		return 0;
	return rsa_openssl(out, err);
}

int ccp_rsa_generate(EVP_PKEY **out, ccp_error *err)
{
	return ccp_rsa_generate_with(out, CCP_RSA_AUTO, err);
}

/* Work shared by the threads of ccp_rsa_generate_many(). */
typedef struct keygen_job {
	pthread_mutex_t lock;
	EVP_PKEY **out;
	size_t n;
	size_t next;        /* next index to generate */
	int failed;
	ccp_error err;      /* first failure */
} keygen_job;

/* Claim the next index; returns 0 and sets *i, or -1 when done. */
static int job_claim(keygen_job *job, size_t *i)
{
	int rc = -1;

	pthread_mutex_lock(&job->lock);
	if (!job->failed && job->next < job->n) {
		*i = job->next++;
		rc = 0;
	}
	pthread_mutex_unlock(&job->lock);
	return rc;
}

static void job_fail(keygen_job *job, const ccp_error *e)
{
	pthread_mutex_lock(&job->lock);
	if (!job->failed) {
		job->failed = 1;
		job->err = *e;
	}
	pthread_mutex_unlock(&job->lock);
}

static void *keygen_worker(void *arg)
{
	keygen_job *job = arg;
	size_t i;

	while (job_claim(job, &i) == 0) {
		ccp_error e = { 0, "" };
		EVP_PKEY *key = NULL;

		if (ccp_rsa_generate(&key, &e) < 0) {
			job_fail(job, &e);
			break;
		}
		/* Each index is claimed by exactly one thread. */
		job->out[i] = key;
	}
	return NULL;
}

int ccp_rsa_generate_many(EVP_PKEY **out, size_t n, int threads,
			  ccp_error *err)
{
	keygen_job job;
	pthread_t *tids = NULL;
	size_t i, nthreads, started = 0;
	int rc = -1;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (n == 0)
		return 0;
	if (threads < 0)
		return ccp_error_set(err, CCP_EINVAL,
				     "thread count must not be negative");
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus > 0 && cpus < 1024 ? (int)cpus : 1;
	}
	nthreads = (size_t)threads < n ? (size_t)threads : n;

	job.out = out;
	job.n = n;
	job.next = 0;
	job.failed = 0;
	ccp_error_clear(&job.err);
	if (pthread_mutex_init(&job.lock, NULL) != 0)
		return ccp_error_set(err, CCP_EGENERIC,
				     "cannot initialise a mutex");
	tids = calloc(nthreads, sizeof(*tids));
	if (!tids) {
		rc = ccp_error_set(err, CCP_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* The calling thread works too, so one thread needs no spawning. */
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, keygen_worker, &job) != 0)
			break;
		started++;
	}
	keygen_worker(&job);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	if (job.failed) {
		if (err)
			*err = job.err;
		rc = job.err.code < 0 ? job.err.code : CCP_ECRYPTO;
		goto cleanup;
	}
	rc = 0;

cleanup:
	if (rc < 0) {
		for (i = 0; i < n; i++) {
			EVP_PKEY_free(out[i]);
			out[i] = NULL;
		}
	}
	free(tids);
	pthread_mutex_destroy(&job.lock);
	return rc;
}
