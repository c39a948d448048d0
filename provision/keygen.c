/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RSA-2048 key generation (docs/keygen.md).
 *
 * The fast method follows FIPS 186-5 Appendix A.1.3, "Generation of
 * Random Primes that are Probably Prime", on OpenSSL's BN functions and
 * its private DRBG:
 *
 *   - each candidate is a fresh odd nlen/2-bit string from the private
 *     DRBG (steps 4.2-4.3), kept only when >= sqrt(2) * 2^(nlen/2 - 1)
 *     (step 4.4);
 *   - gcd(p - 1, e) = 1 (step 4.5), then trial division by the odd
 *     primes below 2^14 and Miller-Rabin (Appendix B.3.1) with the
 *     5 rounds of Table B.1 ("Minimum number of rounds of M-R testing
 *     when generating primes") for 1024-bit primes;
 *   - |p - q| > 2^(nlen/2 - 100) (step 5, for q) and, from the criteria of
 *     A.1.1, 2^(nlen/2) < d < LCM(p - 1, q - 1).
 *
 * Candidates are secret: their exponentiations are constant-time, two at
 * a time through BN_mod_exp_mont_consttime_x2. OpenSSL 3.0's own
 * generators run 64 Miller-Rabin rounds on every prime and EVP_PKEY_check
 * tests both primes again; here the key instead passes a pairwise
 * consistency test (a CRT signature verified with the public key, then a
 * PSS signature through EVP) before anyone sees it.
 *
 * The openssl method is OpenSSL's own generator (what EVP_RSA_gen runs).
 */
#include "ccprov/crypto.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include "crypto_lazy.h"

#include "crypto_int.h"
#include "keygen_int.h"

#define RSA_E 65537U
#define PRIME_BITS (CCP_RSA_BITS / 2)      /* nlen/2 */
#define WORDS (PRIME_BITS / 32)            /* 32-bit words of a candidate */
/* Security strength of RSA-2048 (SP 800-57 Part 1); the DRBG must offer it. */
#define RBG_STRENGTH 112
/* |p - q| must exceed 2^(nlen/2 - 100) (A.1.1, A.1.3 step 5). */
#define MIN_DIFF_BITS (PRIME_BITS - 100)
/* Odd primes below CCP_KEYGEN_SIEVE_LIMIT (pi(2^14) = 1900, less 2). */
#define SIEVE_PRIMES 1899
/* Candidates drawn from the DRBG per call (each call has a fixed cost). */
#define POOL 16
/*
 * A.1.3 gives up after 5 nlen candidates for p and 10 nlen for q; the
 * two searches share one budget here because they run interleaved.
 */
#define MAX_CANDIDATES (15L * CCP_RSA_BITS)
/* floor(sqrt(2) * 2^63): the top 64 bits of sqrt(2) * 2^(nlen/2 - 1). */
#define SQRT2_TOP64 UINT64_C(0xB504F333F9DE6484)

/* ---- trial division ---- */

/*
 * For each odd prime r below the limit (2^14: the point where dividing
 * by one more prime costs about what the Miller-Rabin rounds it saves
 * cost, with the paired exponentiation): w[j] = 2^(32 j) mod r, so that a
 * candidate with 32-bit words h[j] is congruent to sum(h[j] * w[j])
 * (< 2^53) mod r. Divisibility of that sum is then one multiplication by
 * the inverse of r mod 2^64 and a comparison (Granlund and Montgomery):
 * no division whose timing could depend on the candidate.
 */
static struct sieve_tab {
	uint16_t w[SIEVE_PRIMES][WORDS];
	uint64_t inv[SIEVE_PRIMES];
	uint64_t lim[SIEVE_PRIMES];
	uint32_t prime[SIEVE_PRIMES];
	uint32_t ew[WORDS];          /* the same for e = 65537 */
	uint64_t einv, elim;
	size_t n;
} sieve;
static pthread_once_t sieve_once = PTHREAD_ONCE_INIT;

/* d^-1 mod 2^64 for odd d, by Newton's iteration. */
static uint64_t inverse_mod_2_64(uint64_t d)
{
	uint64_t x = d;   /* d * d = 1 mod 8: right to 3 bits */
	int i;

	for (i = 0; i < 5; i++)
		x *= 2 - d * x;   /* doubles the correct bits */
	return x;
}

static void weights(uint32_t r, uint16_t *w16, uint32_t *w32)
{
	uint64_t v = 1 % r;
	int j;

	for (j = 0; j < WORDS; j++) {
		if (w16)
			w16[j] = (uint16_t)v;
		if (w32)
			w32[j] = (uint32_t)v;
		v = (v << 32) % r;
	}
}

static void sieve_init(void)
{
	static unsigned char composite[CCP_KEYGEN_SIEVE_LIMIT];
	uint32_t i, j;

	for (i = 3; i < CCP_KEYGEN_SIEVE_LIMIT; i += 2) {
		if (composite[i])
			continue;
		for (j = i * i; j < CCP_KEYGEN_SIEVE_LIMIT; j += 2 * i)
			composite[j] = 1;
		if (sieve.n == SIEVE_PRIMES)
			break;   /* cannot happen: SIEVE_PRIMES is exact */
		sieve.prime[sieve.n] = i;
		weights(i, sieve.w[sieve.n], NULL);
		sieve.inv[sieve.n] = inverse_mod_2_64(i);
		sieve.lim[sieve.n] = UINT64_MAX / i;
		sieve.n++;
	}
	weights(RSA_E, NULL, sieve.ew);
	sieve.einv = inverse_mod_2_64(RSA_E);
	sieve.elim = UINT64_MAX / RSA_E;
}

/* Is the candidate divisible by an odd prime below the limit? A candidate
 * that is not always costs the same work. */
static int small_factor(const uint32_t h[WORDS])
{
	size_t i;
	int j;

	for (i = 0; i < sieve.n; i++) {
		uint64_t s = 0;

		for (j = 0; j < WORDS; j++)
			s += (uint64_t)h[j] * sieve.w[i][j];
		if (s * sieve.inv[i] <= sieve.lim[i])
			return 1;
	}
	return 0;
}

/* Trial division, then A.1.3 step 4.5: gcd(h - 1, e) = 1. e is prime, so
 * that holds exactly when h mod e != 1. */
static int sieve_pass(const uint32_t h[WORDS])
{
	uint64_t s = RSA_E - 1;
	int j;

	if (small_factor(h))
		return 0;
	for (j = 0; j < WORDS; j++)
		s += (uint64_t)h[j] * sieve.ew[j];
	return s * sieve.einv > sieve.elim;
}

/* ---- candidates ---- */

/* Random strings for candidates, fetched POOL at a time. */
typedef struct rbg_pool {
	uint32_t h[POOL][WORDS];
	int left;
} rbg_pool;

/*
 * A.1.3 steps 4.2 to 4.4 (and the same steps of 5 for q): an odd
 * nlen/2-bit string from the private DRBG that is at least
 * sqrt(2) * 2^(nlen/2 - 1). Setting the top bit only skips strings step
 * 4.4 would reject, so the accepted values keep their distribution.
 * h[0] holds the least significant word.
 */
static int draw(uint32_t h[WORDS], rbg_pool *pool)
{
	int i;

	for (i = 0; i < 1000; i++) {
		uint64_t top;

		if (pool->left == 0) {
			if (RAND_priv_bytes_ex(NULL, (unsigned char *)pool->h,
					       sizeof(pool->h),
					       RBG_STRENGTH) != 1)
				return -1;
			pool->left = POOL;
		}
		pool->left--;
		memcpy(h, pool->h[pool->left], sizeof(pool->h[0]));
		OPENSSL_cleanse(pool->h[pool->left], sizeof(pool->h[0]));
		h[0] |= 1;
		h[WORDS - 1] |= UINT32_C(0x80000000);
		top = (uint64_t)h[WORDS - 1] << 32 | h[WORDS - 2];
		/* Equal top words would need the lower bits to decide; such a
		 * string (probability 2^-63) is simply drawn again. */
		if (top > SQRT2_TOP64)
			return 0;
	}
	return -1;
}

static int words_to_bn(BIGNUM *out, const uint32_t h[WORDS])
{
	unsigned char le[WORDS * 4];
	size_t j;
	int ok;

	for (j = 0; j < WORDS; j++) {
		le[4 * j] = (unsigned char)h[j];
		le[4 * j + 1] = (unsigned char)(h[j] >> 8);
		le[4 * j + 2] = (unsigned char)(h[j] >> 16);
		le[4 * j + 3] = (unsigned char)(h[j] >> 24);
	}
	ok = BN_lebin2bn(le, sizeof(le), out) != NULL;
	OPENSSL_cleanse(le, sizeof(le));
	return ok ? 0 : -1;
}

static int bn_to_words(uint32_t h[WORDS], const BIGNUM *w)
{
	unsigned char le[WORDS * 4];
	size_t j;
	int ok;

	ok = BN_bn2lebinpad(w, le, sizeof(le)) == (int)sizeof(le);
	for (j = 0; j < WORDS; j++)
		h[j] = (uint32_t)le[4 * j] | (uint32_t)le[4 * j + 1] << 8 |
		       (uint32_t)le[4 * j + 2] << 16 |
		       (uint32_t)le[4 * j + 3] << 24;
	OPENSSL_cleanse(le, sizeof(le));
	return ok ? 0 : -1;
}

/* ---- Miller-Rabin (FIPS 186-5 B.3.1) ---- */

/* A candidate under test: w - 1 = 2^a * m with m odd. */
typedef struct mr_cand {
	BIGNUM *w, *w1, *w3, *m, *b, *z;
	BN_MONT_CTX *mont;
	int a;
	int active;   /* holds a candidate */
	int passed;   /* rounds passed so far */
	int ok;       /* verdict of the last round */
} mr_cand;

static void cand_release(mr_cand *c)
{
	BN_clear_free(c->w);
	BN_clear_free(c->w1);
	BN_clear_free(c->w3);
	BN_clear_free(c->m);
	BN_clear_free(c->b);
	BN_clear_free(c->z);
	BN_MONT_CTX_free(c->mont);
	memset(c, 0, sizeof(*c));
}

static int cand_init(mr_cand *c)
{
	memset(c, 0, sizeof(*c));
	c->w = BN_secure_new();
	c->w1 = BN_secure_new();
	c->w3 = BN_secure_new();
	c->m = BN_secure_new();
	c->b = BN_secure_new();
	c->z = BN_secure_new();
	c->mont = BN_MONT_CTX_new();
	if (!c->w || !c->w1 || !c->w3 || !c->m || !c->b || !c->z || !c->mont)
		return -1;
	BN_set_flags(c->w, BN_FLG_CONSTTIME);
	BN_set_flags(c->w1, BN_FLG_CONSTTIME);
	BN_set_flags(c->m, BN_FLG_CONSTTIME);
	return 0;
}

/* B.3.1's set-up (w - 1 = 2^a m) for the value now in c->w (odd, >= 5). */
static int cand_prepare(mr_cand *c, BN_CTX *ctx)
{
	if (!BN_copy(c->w1, c->w) || !BN_sub_word(c->w1, 1) ||
	    !BN_copy(c->w3, c->w) || !BN_sub_word(c->w3, 3))
		return -1;
	c->a = 1;
	while (!BN_is_bit_set(c->w1, c->a))
		c->a++;
	if (!BN_rshift(c->m, c->w1, c->a) ||
	    !BN_MONT_CTX_set(c->mont, c->w, ctx))
		return -1;
	c->passed = 0;
	c->active = 1;
	return 0;
}

/* A round's base: 1 < b < w - 1, uniformly, from the private DRBG. */
static int cand_base(mr_cand *c, BN_CTX *ctx)
{
	if (!BN_priv_rand_range_ex(c->b, c->w3, RBG_STRENGTH, ctx) ||
	    !BN_add_word(c->b, 2))
		return -1;
	return 0;
}

/*
 * The rest of a round once z = b^m mod w is known: w passes when
 * z = 1 or when w - 1 appears among z, z^2, ..., z^(2^(a-1)). Once the
 * sequence reaches 1 it stays there, so looking for w - 1 in all of it is
 * the same test; it also keeps the squarings' count independent of b.
 */
static int cand_finish(mr_cand *c, BN_CTX *ctx)
{
	int j, pass;

	pass = BN_is_one(c->z) || BN_cmp(c->z, c->w1) == 0;
	for (j = 1; j < c->a; j++) {
		if (!BN_mod_sqr(c->z, c->z, c->w, ctx))
			return -1;
		pass |= BN_cmp(c->z, c->w1) == 0;
	}
	c->ok = pass;
	return 0;
}

/*
 * One round on one candidate, or on two whose exponentiations then share
 * a single BN_mod_exp_mont_consttime_x2 call (twice as fast where OpenSSL
 * has a paired 1024-bit implementation, no slower elsewhere).
 */
static int mr_round(mr_cand *c1, mr_cand *c2, BN_CTX *ctx)
{
	if (cand_base(c1, ctx) < 0)
		return -1;
	if (c2) {
		if (cand_base(c2, ctx) < 0 ||
		    !BN_mod_exp_mont_consttime_x2(c1->z, c1->b, c1->m, c1->w,
						  c1->mont, c2->z, c2->b,
						  c2->m, c2->w, c2->mont, ctx) ||
		    cand_finish(c2, ctx) < 0)
			return -1;
	} else if (!BN_mod_exp_mont_consttime(c1->z, c1->b, c1->m, c1->w, ctx,
					      c1->mont)) {
		return -1;
	}
	return cand_finish(c1, ctx);
}

int ccp_keygen_miller_rabin(const BIGNUM *w, int rounds, BN_CTX *ctx)
{
	mr_cand c;
	int rc = -1, i;

	/* Below 5 there is no base b with 1 < b < w - 1. */
	if (BN_is_negative(w) || !BN_is_odd(w) || BN_num_bits(w) < 3 ||
	    rounds < 1)
		return -1;
	if (cand_init(&c) < 0 || !BN_copy(c.w, w) ||
	    cand_prepare(&c, ctx) < 0)
		goto cleanup;
	for (i = 0; i < rounds; i++) {
		if (mr_round(&c, NULL, ctx) < 0)
			goto cleanup;
		if (!c.ok) {
			rc = 0;
			goto cleanup;
		}
	}
	rc = 1;

cleanup:
	cand_release(&c);
	return rc;
}

int ccp_keygen_is_probable_prime(const BIGNUM *w, int rounds, BN_CTX *ctx)
{
	uint32_t h[WORDS];
	size_t lo, hi;
	int rc;

	if (pthread_once(&sieve_once, sieve_init) != 0)
		return -1;
	if (BN_is_negative(w) || BN_is_zero(w) || BN_is_one(w))
		return 0;
	if (BN_num_bits(w) <= 16 && BN_get_word(w) < CCP_KEYGEN_SIEVE_LIMIT) {
		BN_ULONG v = BN_get_word(w);

		if (v == 2)
			return 1;
		lo = 0;
		hi = sieve.n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (sieve.prime[mid] < v)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < sieve.n && sieve.prime[lo] == v;
	}
	if (!BN_is_odd(w))
		return 0;
	if (BN_num_bits(w) <= PRIME_BITS) {
		if (bn_to_words(h, w) < 0)
			return -1;
		rc = small_factor(h);
		OPENSSL_cleanse(h, sizeof(h));
		if (rc)
			return 0;
	}
	if (rounds == 0)
		return 1;
	return ccp_keygen_miller_rabin(w, rounds, ctx);
}

/* ---- key generation ---- */

static ccp_keygen_fault_fn fault_hook;

void ccp_keygen_set_fault(ccp_keygen_fault_fn fn)
{
	fault_hook = fn;
}

/* State of one fast key generation. */
typedef struct keygen_run {
	BN_CTX *ctx;
	int (*cancelled)(void);
	long candidates;   /* A.1.3's i, for p and q together */
	rbg_pool pool;
} keygen_run;

/*
 * Draw candidates until one survives trial division and put it in c.
 * Stops with CCP_EINTR when cancelled, CCP_ECRYPTO when the budget of
 * candidates is spent, -1 on other failures.
 */
static int next_candidate(mr_cand *c, keygen_run *run)
{
	uint32_t h[WORDS];
	int rc = -1;

	for (;;) {
		if (run->cancelled && run->cancelled()) {
			rc = CCP_EINTR;
			break;
		}
		if (run->candidates >= MAX_CANDIDATES) {
			rc = CCP_ECRYPTO;
			break;
		}
		if (draw(h, &run->pool) < 0)
			break;
		run->candidates++;
		if (!sieve_pass(h))
			continue;
		if (words_to_bn(c->w, h) < 0 || cand_prepare(c, run->ctx) < 0)
			break;
		rc = 0;
		break;
	}
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}

/*
 * Find two probable primes with |p - q| > 2^(nlen/2 - 100). The searches
 * for p and q are the same process, so they run side by side and every
 * Miller-Rabin round tests two candidates at once; whichever passes all
 * rounds first becomes p.
 */
static int find_primes(BIGNUM *p, BIGNUM *q, keygen_run *run)
{
	mr_cand slot[2];
	BIGNUM *found[2], *diff, *bound;
	int nfound = 0, s, rc = -1;

	memset(slot, 0, sizeof(slot));
	found[0] = p;
	found[1] = q;
	BN_CTX_start(run->ctx);
	diff = BN_CTX_get(run->ctx);
	bound = BN_CTX_get(run->ctx);
	if (cand_init(&slot[0]) < 0 || cand_init(&slot[1]) < 0 || !bound ||
	    !BN_set_word(bound, 0) || !BN_set_bit(bound, MIN_DIFF_BITS))
		goto cleanup;
	while (nfound < 2) {
		for (s = 0; s < 2; s++) {
			if (slot[s].active)
				continue;
			rc = next_candidate(&slot[s], run);
			if (rc < 0)
				goto cleanup;
		}
		rc = -1;
		if (mr_round(&slot[0], &slot[1], run->ctx) < 0)
			goto cleanup;
		for (s = 0; s < 2 && nfound < 2; s++) {
			mr_cand *c = &slot[s];

			if (!c->ok) {
				c->active = 0;
				continue;
			}
			if (++c->passed < CCP_KEYGEN_MR_ROUNDS)
				continue;
			c->active = 0;
			if (nfound == 1) {
				/* Step 5: a q too close to p is drawn again. */
				if (!BN_sub(diff, found[0], c->w))
					goto cleanup;
				if (BN_ucmp(diff, bound) <= 0)
					continue;
			}
			if (!BN_copy(found[nfound], c->w))
				goto cleanup;
			nfound++;
		}
	}
	rc = 0;

cleanup:
	if (diff)
		BN_clear(diff);
	cand_release(&slot[0]);
	cand_release(&slot[1]);
	BN_CTX_end(run->ctx);
	return rc;
}

static void parts_release(ccp_rsa_parts *r)
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

static int parts_init(ccp_rsa_parts *r)
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
	BN_set_flags(r->dmp1, BN_FLG_CONSTTIME);
	BN_set_flags(r->dmq1, BN_FLG_CONSTTIME);
	return 0;
}

/*
 * Derive n, d and the CRT values from p and q. Returns 0, 1 when this
 * pair must be rejected (draw new primes), -1 on failure.
 */
static int derive(ccp_rsa_parts *r, BN_CTX *ctx)
{
	BIGNUM *p1, *q1, *g, *lcm, *diff, *bound;
	int rc = -1;

	BN_CTX_start(ctx);
	p1 = BN_CTX_get(ctx);
	q1 = BN_CTX_get(ctx);
	g = BN_CTX_get(ctx);
	lcm = BN_CTX_get(ctx);
	diff = BN_CTX_get(ctx);
	bound = BN_CTX_get(ctx);
	if (!bound)
		goto cleanup;
	BN_set_flags(p1, BN_FLG_CONSTTIME);
	BN_set_flags(q1, BN_FLG_CONSTTIME);
	BN_set_flags(lcm, BN_FLG_CONSTTIME);
	if (!BN_set_word(bound, 0) || !BN_set_bit(bound, MIN_DIFF_BITS) ||
	    !BN_sub(diff, r->p, r->q))
		goto cleanup;
	if (BN_ucmp(diff, bound) <= 0) {
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
	/* d = e^-1 mod LCM(p - 1, q - 1), so d < LCM as A.1.1 asks. */
	if (!BN_mod_inverse(r->d, r->e, lcm, ctx)) {
		rc = 1;
		goto cleanup;
	}
	/* A.1.1 also asks for d > 2^(nlen/2). */
	if (!BN_set_word(bound, 0) || !BN_set_bit(bound, PRIME_BITS))
		goto cleanup;
	if (BN_cmp(r->d, bound) <= 0) {
		rc = 1;
		goto cleanup;
	}
	if (!BN_mod(r->dmp1, r->d, p1, ctx) ||
	    !BN_mod(r->dmq1, r->d, q1, ctx) ||
	    !BN_mod_inverse(r->iqmp, r->q, r->p, ctx))
		goto cleanup;
	rc = 0;

cleanup:
	if (bound) {
		BN_clear(p1);
		BN_clear(q1);
		BN_clear(g);
		BN_clear(lcm);
		BN_clear(diff);
	}
	BN_CTX_end(ctx);
	return rc;
}

/*
 * Pairwise consistency on the parts: a random message signed through the
 * CRT exactly as an RSA signer computes it (m^dP mod p, m^dQ mod q,
 * recombined with qInv) must come back under the public exponent, and d
 * must agree with dP and dQ. A wrong p, q, dP, dQ or qInv, or a composite
 * that passed for a prime, changes the signature. This test cannot rely
 * on OpenSSL's signer, which quietly redoes a failed CRT result with d.
 * 1 = consistent, 0 = not, -1 = failure.
 */
static int pairwise_parts(const ccp_rsa_parts *r, BN_CTX *ctx)
{
	BIGNUM *msg, *mp, *mq, *sp, *sq, *s, *p1, *t;
	int rc = -1;

	BN_CTX_start(ctx);
	msg = BN_CTX_get(ctx);
	mp = BN_CTX_get(ctx);
	mq = BN_CTX_get(ctx);
	sp = BN_CTX_get(ctx);
	sq = BN_CTX_get(ctx);
	s = BN_CTX_get(ctx);
	p1 = BN_CTX_get(ctx);
	t = BN_CTX_get(ctx);
	if (!t)
		goto cleanup;
	BN_set_flags(p1, BN_FLG_CONSTTIME);
	rc = 0;
	if (!BN_mul(t, r->p, r->q, ctx))
		goto fail;
	if (BN_cmp(t, r->n) != 0)
		goto cleanup;
	if (!BN_rand_range_ex(msg, r->n, 0, ctx) ||
	    !BN_nnmod(mp, msg, r->p, ctx) || !BN_nnmod(mq, msg, r->q, ctx) ||
	    !BN_mod_exp_mont_consttime_x2(sp, mp, r->dmp1, r->p, NULL,
					  sq, mq, r->dmq1, r->q, NULL, ctx) ||
	    !BN_mod_sub(s, sp, sq, r->p, ctx) ||
	    !BN_mod_mul(s, s, r->iqmp, r->p, ctx) ||
	    !BN_mul(s, s, r->q, ctx) || !BN_add(s, s, sq) ||
	    !BN_mod_exp(t, s, r->e, r->n, ctx))
		goto fail;
	if (BN_cmp(t, msg) != 0)
		goto cleanup;
	if (!BN_sub(p1, r->p, BN_value_one()) || !BN_mod(t, r->d, p1, ctx))
		goto fail;
	if (BN_cmp(t, r->dmp1) != 0)
		goto cleanup;
	if (!BN_sub(p1, r->q, BN_value_one()) || !BN_mod(t, r->d, p1, ctx))
		goto fail;
	if (BN_cmp(t, r->dmq1) != 0)
		goto cleanup;
	rc = 1;
	goto cleanup;

fail:
	rc = -1;
cleanup:
	if (t) {
		BN_clear(mp);
		BN_clear(mq);
		BN_clear(sp);
		BN_clear(sq);
		BN_clear(s);
		BN_clear(p1);
		BN_clear(t);
	}
	BN_CTX_end(ctx);
	return rc;
}

/*
 * Pairwise consistency on the finished key (as FIPS 140-3 asks of a
 * generated signing key): an RSA-PSS signature made and verified through
 * EVP. 1 = consistent, 0 = not.
 */
static int pairwise_key(EVP_PKEY *key)
{
	static const unsigned char msg[] = "ccprov pairwise consistency test";
	unsigned char sig[CCP_RSA_BITS / 8];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = 0;

	if (!md ||
	    EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL, key,
				  NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_DigestSign(md, sig, &siglen, msg, sizeof(msg)) != 1)
		goto cleanup;
	EVP_MD_CTX_free(md);
	pctx = NULL;
	md = EVP_MD_CTX_new();
	if (!md ||
	    EVP_DigestVerifyInit_ex(md, &pctx, "SHA256", NULL, NULL, key,
				    NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0)
		goto cleanup;
	ok = EVP_DigestVerify(md, sig, siglen, msg, sizeof(msg)) == 1;

cleanup:
	EVP_MD_CTX_free(md);
	return ok;
}

static int assemble(EVP_PKEY **out, const ccp_rsa_parts *r)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
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
	*out = key;
	key = NULL;
	rc = 0;

cleanup:
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);   /* clears the secure part */
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

/* Each attempt fails with negligible probability; this only bounds loops. */
#define MAX_ATTEMPTS 16

static int rsa_fast(EVP_PKEY **out, int (*cancelled)(void), ccp_error *err)
{
	ccp_rsa_parts r = { 0 };
	keygen_run run;
	EVP_PKEY *key = NULL;
	int rc = -1, code = CCP_ECRYPTO, i, d = 1;
	const char *why = "cannot generate an RSA key";

	memset(&run, 0, sizeof(run));
	run.cancelled = cancelled;
	if (pthread_once(&sieve_once, sieve_init) != 0)
		goto cleanup;
	run.ctx = BN_CTX_secure_new();
	if (!run.ctx || parts_init(&r) < 0)
		goto cleanup;
	for (i = 0; i < MAX_ATTEMPTS && d == 1; i++) {
		d = find_primes(r.p, r.q, &run);
		if (d == CCP_EINTR) {
			code = CCP_EINTR;
			why = "key generation interrupted";
			goto cleanup;
		}
		if (d == CCP_ECRYPTO) {
			why = "no RSA prime found within the candidate limit";
			goto cleanup;
		}
		if (d < 0)
			goto cleanup;
		if (fault_hook)
			fault_hook(CCP_KEYGEN_AT_PRIMES, &r);
		d = derive(&r, run.ctx);
		if (d < 0)
			goto cleanup;
	}
	if (d != 0)
		goto cleanup;
	if (fault_hook)
		fault_hook(CCP_KEYGEN_AT_DERIVED, &r);
	d = pairwise_parts(&r, run.ctx);
	if (d == 1 && assemble(&key, &r) < 0)
		goto cleanup;
	if (d == 0 || (d == 1 && !pairwise_key(key))) {
		why = "a generated RSA key failed its pairwise consistency test";
		goto cleanup;
	}
	if (d < 0)
		goto cleanup;
	*out = key;
	key = NULL;
	rc = 0;

cleanup:
	if (rc < 0)
		rc = ccp_crypto_fail(err, code, "%s", why);
	EVP_PKEY_free(key);
	parts_release(&r);
	BN_CTX_free(run.ctx);
	OPENSSL_cleanse(&run.pool, sizeof(run.pool));
	return rc;
}

/* Lets OpenSSL's generator poll the cancel function. */
typedef struct cancel_box {
	int (*cancelled)(void);
} cancel_box;

static int openssl_progress(EVP_PKEY_CTX *ctx)
{
	const cancel_box *box = EVP_PKEY_CTX_get_app_data(ctx);

	return !(box && box->cancelled && box->cancelled());
}

/* OpenSSL's own generator: EVP_RSA_gen(2048), spelled out so that a
 * signal can stop it. */
static int rsa_openssl(EVP_PKEY **out, int (*cancelled)(void),
		       ccp_error *err)
{
	cancel_box box = { cancelled };
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *key = NULL;
	int rc;

	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, CCP_RSA_BITS) <= 0) {
		rc = ccp_crypto_fail(err, CCP_ECRYPTO, "cannot generate an RSA key");
		goto cleanup;
	}
	EVP_PKEY_CTX_set_app_data(ctx, &box);
	EVP_PKEY_CTX_set_cb(ctx, openssl_progress);
	if (EVP_PKEY_keygen(ctx, &key) <= 0) {
		if (cancelled && cancelled())
			rc = ccp_crypto_fail(err, CCP_EINTR,
					     "key generation interrupted");
		else
			rc = ccp_crypto_fail(err, CCP_ECRYPTO,
					     "cannot generate an RSA key");
		goto cleanup;
	}
	*out = key;
	rc = 0;

cleanup:
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

static int generate(EVP_PKEY **out, ccp_rsa_method method,
		    int (*cancelled)(void), ccp_error *err)
{
	*out = NULL;
	switch (method) {
	case CCP_RSA_FAST:
		return rsa_fast(out, cancelled, err);
	case CCP_RSA_OPENSSL:
		return rsa_openssl(out, cancelled, err);
	default:
		return ccp_error_set(err, CCP_EINVAL,
				     "unknown key generation method %d",
				     (int)method);
	}
}

int ccp_rsa_generate_with(EVP_PKEY **out, ccp_rsa_method method,
			  ccp_error *err)
{
	return generate(out, method, NULL, err);
}

int ccp_rsa_generate(EVP_PKEY **out, ccp_error *err)
{
	return generate(out, CCP_RSA_FAST, NULL, err);
}

int ccp_rsa_method_parse(ccp_rsa_method *out, const char *name)
{
	if (name && strcmp(name, "fast") == 0) {
		*out = CCP_RSA_FAST;
		return 0;
	}
	if (name && strcmp(name, "openssl") == 0) {
		*out = CCP_RSA_OPENSSL;
		return 0;
	}
	return CCP_EINVAL;
}

/* Work shared by the threads of ccp_rsa_generate_many(). */
typedef struct keygen_job {
	pthread_mutex_t lock;
	EVP_PKEY **out;
	size_t n;
	size_t next;        /* next index to generate */
	ccp_rsa_method method;
	int (*cancelled)(void);
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

		if (generate(&key, job->method, job->cancelled, &e) < 0) {
			job_fail(job, &e);
			break;
		}
		/* Each index is claimed by exactly one thread. */
		job->out[i] = key;
	}
	return NULL;
}

int ccp_rsa_generate_many(EVP_PKEY **out, size_t n,
			  const ccp_rsa_many_opts *o, ccp_error *err)
{
	static const ccp_rsa_many_opts defaults = { 0, CCP_RSA_FAST, NULL };
	keygen_job job;
	pthread_t *tids = NULL;
	size_t i, nthreads, started = 0;
	int rc = -1, threads;

	if (!o)
		o = &defaults;
	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (n == 0)
		return 0;
	threads = o->threads;
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
	job.method = o->method;
	job.cancelled = o->cancelled;
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
