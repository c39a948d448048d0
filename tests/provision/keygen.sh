#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov provision --keygen`: both methods give keys that the openssl
# command line accepts, a bad value is a usage error, and SIGTERM stops a
# long key generation promptly with nothing published.
#
#   tests/provision/keygen.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: keygen.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME WANT_EXIT ARGS...: stdout in $work/NAME.out, stderr in .err
run() {
	local name=$1 want=$2 got
	shift 2
	"$ccprov" provision "$@" >"$work/$name.out" 2>"$work/$name.err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"
		sed 's/^/    /' "$work/$name.err" >&2
	fi
}

# project DIR N: a CC project with N mock client sites (no image builder
# needed), a server and an admin
project() {
	local dir=$1 n=$2 i
	mkdir -p "$dir"
	cp "$src/examples/cc/nvflare-site.tar.gz" "$src/examples/cc/build_cvm_image.sh" "$dir/"
	for role in server client; do
		cat >"$dir/cc_$role.yml" <<CC
compute_env: mock
role: $role
root_drive_size: 10
applog_drive_size: 1
user_config_drive_size: 1
user_data_drive_size: 1
docker_archive: nvflare-site.tar.gz
allowed_ports: [8002]
allowed_out_ports: [8002]
cc_issuers:
  - id: mock_authorizer
    path: nvflare.app_opt.confidential_computing.mock_authorizer.MockAuthorizer
    token_expiration: 100
cc_attestation:
  check_frequency: 120
CC
	done
	{
		printf 'api_version: 3\nname: keygen_project\nparticipants:\n'
		printf '  - name: server1\n    type: server\n    org: nvidia\n    fed_learn_port: 8002\n    cc_config: cc_server.yml\n'
		for ((i = 1; i <= n; i++)); do
			printf '  - name: site-%d\n    type: client\n    org: nvidia\n    cc_config: cc_client.yml\n' "$i"
		done
		printf '  - name: admin@nvidia.com\n    type: admin\n    org: nvidia\n    role: project_admin\n'
		sed -n '/^builders:/,$p' "$src/examples/cc/project.yml"
	} >"$dir/project.yml"
}

# check_keys PROD: every private key in the kits (CC kits are packed as
# NAME.tgz) passes `openssl rsa -check`
check_keys() {
	local prod=$1 n=0 key tgz
	while IFS= read -r tgz; do
		tar -xzf "$tgz" -C "$(dirname "$tgz")" || fail "$tgz does not unpack"
	done < <(find "$prod" -name '*.tgz')
	while IFS= read -r key; do
		n=$((n + 1))
		openssl rsa -check -noout -in "$key" >"$work/check.out" 2>&1 &&
			grep -q 'RSA key ok' "$work/check.out" ||
			fail "$key fails openssl rsa -check: $(cat "$work/check.out")"
	done < <(find "$prod" -name '*.key')
	[ "$n" -ge 3 ] || fail "$prod holds $n keys, want at least 3"
}

run usage1 2 -p x.yml --keygen
run usage2 2 -p x.yml --keygen slow
grep -q -- '--keygen takes fast or openssl' "$work/usage2.err" ||
	fail "a bad --keygen value is not explained"
run help 0 --help
grep -q -- '--keygen fast|openssl' "$work/help.out" || fail "help does not list --keygen"

project "$work/small" 2
run fast 0 -p "$work/small/project.yml" -w "$work/ws-fast" --no-image --quiet --keygen fast
check_keys "$work/ws-fast/keygen_project/prod_00"
run openssl 0 -p "$work/small/project.yml" -w "$work/ws-openssl" --no-image --quiet --keygen=openssl
check_keys "$work/ws-openssl/keygen_project/prod_00"

# SIGTERM in the middle of generating many keys (OpenSSL's generator,
# the slower one): the run must stop within seconds, not after every key.
project "$work/big" 400
"$ccprov" provision -p "$work/big/project.yml" -w "$work/ws-big" --no-image --quiet \
	--keygen openssl >"$work/term.out" 2>"$work/term.err" &
pid=$!
for _ in $(seq 100); do
	[ -e "$work/ws-big/keygen_project/.lock" ] && break
	sleep 0.1
done
sleep 0.5
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
status=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$status" -eq 3 ] || fail "SIGTERM: exit status $status, want 3"
[ "$ms" -lt 3000 ] || fail "SIGTERM: the run took $ms ms to stop"
grep -q 'interrupted' "$work/term.err" || fail "SIGTERM: not reported: $(cat "$work/term.err")"
[ -e "$work/ws-big/keygen_project/prod_00" ] && fail "SIGTERM: published prod_00"
[ -e "$work/ws-big/keygen_project/wip" ] && fail "SIGTERM: wip/ left behind"

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "all provision --keygen checks passed"
