#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The benchmark scripts still build and run (bench/README.md): lint.sh,
# provision.sh and keygen.sh with the smallest counts, each printing its rows. The
# figures themselves are not judged here (timed tests would only measure
# the machine); that they can be produced at all is.
#
#   tests/cli/bench.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: bench.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(cd "$(dirname "$ccprov")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0

expect() {   # expect WHAT PATTERN: the last output holds PATTERN
	if ! grep -q -- "$2" "$out"; then
		echo "FAIL: $1: no '$2' in:" >&2
		sed 's/^/  | /' "$out" >&2
		fail=1
	fi
}

# a relative ccprov path works too: the runs start in other folders
if (cd "$build" && RUNS=2 RUNS_N=1 bash "$src/bench/lint.sh" --quick 40 ./ccprov) >"$out" 2>&1; then
	expect "lint.sh" "ccprov lint  "
	expect "lint.sh" "== 40 sites"
	expect "lint.sh" "time per site"
else
	echo "FAIL: bench/lint.sh exited $?" >&2
	sed 's/^/  | /' "$out" >&2
	fail=1
fi

if (cd "$build" && bash "$src/bench/provision.sh" 2 ./ccprov) >"$out" 2>&1; then
	expect "provision.sh" "^ccprov [0-9.]* "
	expect "provision.sh" "ccprov re-run (stored keys)"
else
	echo "FAIL: bench/provision.sh exited $?" >&2
	sed 's/^/  | /' "$out" >&2
	fail=1
fi

# keygen.sh links a harness against libccprov.a, which a sanitized
# build instruments: that build has its own harness runs (unit tests)
if grep -qE '^CCPROV_SANITIZE:BOOL=ON$' "$build/CMakeCache.txt" 2>/dev/null; then
	echo "bench/keygen.sh: skipped in a sanitized build"
elif VALIDATE=2 SAMPLE=1 PEER_KEYS=1 bash "$src/bench/keygen.sh" "$build" 2 >"$out" 2>&1; then
	expect "keygen.sh" "ccprov fast"
	expect "keygen.sh" "0 failing EVP_PKEY_check"
else
	echo "FAIL: bench/keygen.sh exited $?" >&2
	sed 's/^/  | /' "$out" >&2
	fail=1
fi
exit $fail
