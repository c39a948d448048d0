/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of RSA key generation (keygen.c) that the unit tests reach:
 * the primality tests on their own and a fault-injection hook. Not part
 * of the public API.
 */
#ifndef CCPROV_PROVISION_KEYGEN_INT_H
#define CCPROV_PROVISION_KEYGEN_INT_H

#include <openssl/bn.h>

/** Miller-Rabin rounds for the 1024-bit primes of an RSA-2048 key. */
#define CCP_KEYGEN_MR_ROUNDS 5
/** Trial division covers the odd primes below this bound. */
#define CCP_KEYGEN_SIEVE_LIMIT 16384

/** The parts of a private key, as derived from p and q. */
typedef struct ccp_rsa_parts {
	BIGNUM *p, *q, *n, *e, *d, *dmp1, *dmq1, *iqmp;
} ccp_rsa_parts;

/**
 * Miller-Rabin alone (FIPS 186-5 B.3.1) with rounds random bases.
 * 1 = probably prime, 0 = composite, -1 = failure. w must be odd and at
 * least 5.
 */
int ccp_keygen_miller_rabin(const BIGNUM *w, int rounds, BN_CTX *ctx);

/**
 * The test the fast generator applies, for any w >= 0: small values by
 * table, then trial division below CCP_KEYGEN_SIEVE_LIMIT (when w has at
 * most 1024 bits), then Miller-Rabin with rounds random bases (none
 * when rounds is 0). 1 = probably prime, 0 = composite, -1 = failure.
 */
int ccp_keygen_is_probable_prime(const BIGNUM *w, int rounds, BN_CTX *ctx);

/** When a fault hook runs. */
enum {
	CCP_KEYGEN_AT_PRIMES,   /**< p and q chosen, nothing derived yet */
	CCP_KEYGEN_AT_DERIVED   /**< n, d and the CRT values derived */
};

/**
 * Tests only: fn (NULL = none) is called at both stages of every fast
 * key and may alter the parts, as a hardware or software fault would.
 * Not thread-safe; set it while no key is being generated.
 */
typedef void (*ccp_keygen_fault_fn)(int stage, ccp_rsa_parts *r);
void ccp_keygen_set_fault(ccp_keygen_fault_fn fn);

#endif
