#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Measure and validate RSA-2048 key generation (docs/keygen.md).
#
# usage: bench/keygen.sh [BUILD_DIR] [KEYS]
#   BUILD_DIR  a configured and built ccprov tree (default: ./build)
#   KEYS       keys per timed row, median CPU per key (default: 200)
# environment:
#   VALIDATE   fast keys generated on every core and checked with
#              EVP_PKEY_check (default: 2000; 0 skips validation)
#   SAMPLE     how many of those also go through `openssl rsa -check`
#              (default: 200)
#   PEER_KEYS  keys for each peer row (default: KEYS)
#
# Rows: ccprov's fast method, ccprov's openssl method (EVP_RSA_gen on the
# OpenSSL ccprov links), the threaded generator, and as a peer NVFlare's
# own call (cryptography's rsa.generate_private_key, on the OpenSSL that
# cryptography bundles) when python3 can import cryptography. Ratios are
# the peer's median CPU per key over ccprov's fast method's.
#
# Compiles a small harness against BUILD_DIR/libccprov.a, so it measures
# exactly the library code provisioning runs.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
keys=${2:-200}
validate=${VALIDATE:-2000}
sample=${SAMPLE:-200}
peer_keys=${PEER_KEYS:-$keys}
lib="$build/libccprov.a"

if [ ! -f "$lib" ]; then
	echo "keygen.sh: '$lib' not found; build first:" >&2
	echo "  cmake -S '$here' -B '$build' && cmake --build '$build'" >&2
	exit 2
fi
for v in "$keys" "$validate" "$sample" "$peer_keys"; do
	case $v in '' | *[!0-9]*) echo "keygen.sh: counts must be numbers" >&2; exit 2 ;; esac
done
[ "$keys" -gt 0 ] || { echo "keygen.sh: KEYS must be positive" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cat >"$work/bench.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sequential keys: CPU time per key (what a busy shared machine distorts
 * least); prints "row LABEL MEDIAN P10 P90 MEAN". */
static int timed(const char *label, ccp_rsa_method m, int n)
{
	double *t = calloc((size_t)n, sizeof(*t)), sum = 0;
	int i;

	if (!t)
		return -1;
	for (i = 0; i < n; i++) {
		ccp_error err = { 0, "" };
		EVP_PKEY *key = NULL;
		double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);

		if (ccp_rsa_generate_with(&key, m, &err) < 0) {
			fprintf(stderr, "%s: %s\n", label, err.message);
			free(t);
			return -1;
		}
		t[i] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		sum += t[i];
		EVP_PKEY_free(key);
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("row %s %.2f %.2f %.2f %.2f\n", label, t[n / 2], t[n / 10],
	       t[n * 9 / 10], sum / n);
	free(t);
	return 0;
}

static int parallel(int n, int threads)
{
	EVP_PKEY **keys = calloc((size_t)n, sizeof(*keys));
	ccp_rsa_many_opts o = { threads, CCP_RSA_FAST, NULL };
	ccp_error err = { 0, "" };
	double t0, c0, dt;
	int i;

	if (!keys)
		return -1;
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	t0 = clock_ms(CLOCK_MONOTONIC);
	if (ccp_rsa_generate_many(keys, (size_t)n, &o, &err) < 0) {
		fprintf(stderr, "parallel: %s\n", err.message);
		free(keys);
		return -1;
	}
	dt = clock_ms(CLOCK_MONOTONIC) - t0;
	for (i = 0; i < n; i++)
		EVP_PKEY_free(keys[i]);
	free(keys);
	printf("many %d %.2f %.2f %.1f\n", threads, dt / n,
	       (clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0) / n, n * 1000.0 / dt);
	return 0;
}

/* Validation: n fast keys on every core, each through EVP_PKEY_check;
 * the first `sample` are written as PEM into dir for the openssl CLI. */
typedef struct vjob {
	EVP_PKEY **keys;
	int n, next, bad;
	pthread_mutex_t lock;
} vjob;

static void *check_worker(void *arg)
{
	vjob *j = arg;

	for (;;) {
		EVP_PKEY_CTX *ctx;
		int i, ok;

		pthread_mutex_lock(&j->lock);
		i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->n)
			break;
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, j->keys[i], NULL);
		ok = ctx && EVP_PKEY_check(ctx) == 1;
		EVP_PKEY_CTX_free(ctx);
		if (!ok) {
			pthread_mutex_lock(&j->lock);
			j->bad++;
			pthread_mutex_unlock(&j->lock);
		}
	}
	return NULL;
}

static int validate(int n, int sample, const char *dir, int cpus)
{
	vjob j;
	pthread_t tid[64];
	ccp_error err = { 0, "" };
	int i, nt = cpus < 64 ? cpus : 64;

	memset(&j, 0, sizeof(j));
	j.keys = calloc((size_t)n, sizeof(*j.keys));
	j.n = n;
	if (!j.keys || ccp_rsa_generate_many(j.keys, (size_t)n, NULL, &err) < 0) {
		fprintf(stderr, "validate: %s\n", err.message);
		return -1;
	}
	pthread_mutex_init(&j.lock, NULL);
	for (i = 1; i < nt; i++)
		pthread_create(&tid[i], NULL, check_worker, &j);
	check_worker(&j);
	for (i = 1; i < nt; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < n; i++) {
		if (i < sample) {
			char path[4096], *pem = NULL;
			FILE *f;

			snprintf(path, sizeof(path), "%s/k%05d.pem", dir, i);
			if (ccp_pem_from_key(&pem, j.keys[i], &err) < 0 ||
			    !(f = fopen(path, "w"))) {
				free(pem);
				return -1;
			}
			fputs(pem, f);
			fclose(f);
			OPENSSL_cleanse(pem, strlen(pem));
			free(pem);
		}
		EVP_PKEY_free(j.keys[i]);
	}
	free(j.keys);
	printf("validate %d %d\n", n, j.bad);
	return j.bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int n = atoi(argv[1]), nval = atoi(argv[2]), sample = atoi(argv[3]);
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (n <= 0 || argc < 5)
		return 2;
	cpus = cpus > 0 ? cpus : 1;
	printf("info %d %s\n", cpus, OpenSSL_version(OPENSSL_VERSION));
	/* Warm up OpenSSL's provider and DRBG so row one is not penalised. */
	if (timed("warm-up", CCP_RSA_FAST, 2) < 0)
		return 1;
	if (timed("fast", CCP_RSA_FAST, n) < 0 ||
	    timed("openssl", CCP_RSA_OPENSSL, n) < 0 ||
	    parallel(n, 1) < 0 || parallel(n, cpus) < 0)
		return 1;
	fflush(stdout);
	if (nval > 0 && validate(nval, sample, argv[4], cpus) < 0)
		return 1;
	return 0;
}
EOF

# the crypto layer's API and the util headers it includes
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$here/include/crypto" -I"$here/include/util" \
	"$work/bench.c" "$lib" -lcrypto -lpthread -ldl -o "$work/bench"
mkdir "$work/pem"
"$work/bench" "$keys" "$validate" "$sample" "$work/pem" >"$work/out"

awk '
$1 == "info" { cpus = $2; $1 = $2 = ""; sub(/^ +/, ""); ossl = $0 }
$1 == "row" && $2 != "warm-up" { med[$2] = $3; p10[$2] = $4; p90[$2] = $5 }
END {
	printf "RSA-2048 key generation, %d keys per row, %d CPUs, %s\n", n, cpus, ossl
	printf "CPU ms per key          median    p10    p90\n"
	printf "  ccprov fast         %8.2f %6.2f %6.2f\n", med["fast"], p10["fast"], p90["fast"]
	printf "  ccprov openssl      %8.2f %6.2f %6.2f   (%.2fx fast)\n", med["openssl"],
		p10["openssl"], p90["openssl"], med["openssl"] / med["fast"]
}' n="$keys" "$work/out"

# The peer: NVFlare generates its keys with cryptography's
# rsa.generate_private_key (nvflare/lighter/utils.py).
if command -v python3 >/dev/null 2>&1 &&
	python3 -c 'import cryptography.hazmat.primitives.asymmetric.rsa' 2>/dev/null; then
	peer=$(python3 - "$peer_keys" <<'EOF'
import statistics, sys, time
import cryptography
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.backends.openssl import backend
n = int(sys.argv[1])
rsa.generate_private_key(public_exponent=65537, key_size=2048)
t = []
for _ in range(n):
    c = time.process_time()
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    t.append((time.process_time() - c) * 1000)
t.sort()
print("%.2f %.2f %.2f %s" % (statistics.median(t), t[n // 10], t[n * 9 // 10],
                              ("cryptography %s on %s" % (cryptography.__version__,
                               backend.openssl_version_text())).replace(" ", "_")))
EOF
) || peer=
	if [ -n "$peer" ]; then
		echo "$peer" | awk -v fast="$(awk '$1 == "row" && $2 == "fast" { print $3 }' "$work/out")" '{
			v = $4; gsub(/_/, " ", v)
			printf "  NVFlare peer        %8.2f %6.2f %6.2f   (%.2fx fast; %s)\n", $1, $2, $3, $1 / fast, v
		}'
	else
		echo "  NVFlare peer: skipped (cryptography failed to generate keys)"
	fi
else
	echo "  NVFlare peer: skipped (python3 with the cryptography package not found)"
fi

awk '$1 == "many" {
	printf "generate_many, %d thread%s: %.2f ms/key wall, %.2f ms CPU, %.1f keys/s\n",
		$2, $2 == 1 ? "" : "s", $3, $4, $5
}' "$work/out"

if [ "$validate" -gt 0 ]; then
	awk '$1 == "validate" { printf "validation: %d fast keys on every core, %d failing EVP_PKEY_check\n", $2, $3 }' "$work/out"
	if command -v openssl >/dev/null 2>&1; then
		bad=0 n=0
		for f in "$work"/pem/*.pem; do
			[ -e "$f" ] || continue
			n=$((n + 1))
			openssl rsa -check -noout -in "$f" 2>&1 | grep -q '^RSA key ok$' || {
				bad=$((bad + 1))
				echo "  openssl rsa -check rejects key $(basename "$f")"
			}
		done
		echo "validation: $n of them through openssl rsa -check, $bad rejected"
		[ "$bad" -eq 0 ] || exit 1
	else
		echo "validation: openssl rsa -check skipped (no openssl command)"
	fi
fi
