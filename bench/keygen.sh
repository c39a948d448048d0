#!/bin/sh
# Measure RSA-2048 key generation: the fast path (two primes, then
# EVP_PKEY_check), OpenSSL's EVP_RSA_gen, and the threaded generator.
#
# usage: bench/keygen.sh [BUILD_DIR] [KEYS]
#   BUILD_DIR  a configured and built ccprov tree (default: ./build)
#   KEYS       keys per measurement (default: 20)
#
# Compiles a small harness against BUILD_DIR/libccprov.a, so it measures
# exactly the library code provisioning runs.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
keys=${2:-20}
lib="$build/libccprov.a"

if [ ! -f "$lib" ]; then
	echo "keygen.sh: '$lib' not found; build first:" >&2
	echo "  cmake -S '$here' -B '$build' && cmake --build '$build'" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cat >"$work/bench.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ccprov/crypto.h"

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/* CPU time is what a busy shared machine distorts least. */
static double cpu_ms(void)
{
	return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

/* Sequential keys with one method; also times a second EVP_PKEY_check
 * of each key to show what the validation step costs. */
static int one_by_one(const char *label, ccp_rsa_method m, int n)
{
	double total = 0, lo = 1e9, hi = 0, check = 0, cpu = 0;
	int i;

	for (i = 0; i < n; i++) {
		ccp_error err = { 0, "" };
		EVP_PKEY *key = NULL;
		EVP_PKEY_CTX *ctx;
		double c0 = cpu_ms(), t0 = now_ms(), dt;

		if (ccp_rsa_generate_with(&key, m, &err) < 0) {
			fprintf(stderr, "%s: %s\n", label, err.message);
			return -1;
		}
		dt = now_ms() - t0;
		cpu += cpu_ms() - c0;
		total += dt;
		lo = dt < lo ? dt : lo;
		hi = dt > hi ? dt : hi;
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
		t0 = now_ms();
		if (!ctx || EVP_PKEY_check(ctx) != 1) {
			fprintf(stderr, "%s: key fails EVP_PKEY_check\n", label);
			return -1;
		}
		check += now_ms() - t0;
		EVP_PKEY_CTX_free(ctx);
		EVP_PKEY_free(key);
	}
	printf("%-24s %6.1f ms/key wall, %6.1f cpu  (min %.1f, max %.1f; "
	       "EVP_PKEY_check alone %.1f)\n",
	       label, total / n, cpu / n, lo, hi, check / n);
	return 0;
}

static int parallel(int n, int threads)
{
	EVP_PKEY **keys = calloc((size_t)n, sizeof(*keys));
	ccp_error err = { 0, "" };
	double t0, c0, dt;
	int i;

	if (!keys)
		return -1;
	c0 = cpu_ms();
	t0 = now_ms();
	if (ccp_rsa_generate_many(keys, (size_t)n, threads, &err) < 0) {
		fprintf(stderr, "parallel: %s\n", err.message);
		free(keys);
		return -1;
	}
	dt = now_ms() - t0;
	for (i = 0; i < n; i++)
		EVP_PKEY_free(keys[i]);
	free(keys);
	printf("generate_many, %d thr%s %6.1f ms/key wall, %6.1f cpu  "
	       "(%d keys in %.0f ms: %.1f keys/s)\n",
	       threads, threads == 1 ? "  " : "s ", dt / n,
	       (cpu_ms() - c0) / n, n, dt, n * 1000.0 / dt);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (n <= 0)
		return 2;
	printf("RSA-2048, %d keys per row, %d online CPUs, %s\n", n, cpus,
	       OpenSSL_version(OPENSSL_VERSION));
	/* Warm up OpenSSL's provider and DRBG so row one is not penalised. */
	if (one_by_one("warm-up", CCP_RSA_FAST, 1) < 0)
		return 1;
	if (one_by_one("fast (primes+check)", CCP_RSA_FAST, n) < 0 ||
	    one_by_one("openssl EVP_RSA_gen", CCP_RSA_OPENSSL, n) < 0 ||
	    one_by_one("auto (ccp_rsa_generate)", CCP_RSA_AUTO, n) < 0 ||
	    parallel(n, 1) < 0 || parallel(n, cpus) < 0)
		return 1;
	return 0;
}
EOF

${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$here/include" "$work/bench.c" \
	"$lib" -lcrypto -lpthread -o "$work/bench"
"$work/bench" "$keys"
