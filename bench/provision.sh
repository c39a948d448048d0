#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Provision a generated CC project with N client sites (default 100) plus
# a server and an admin, and print wall time, CPU time and peak RSS.
# Every site uses compute_env mock, so the OnPremPackager packs each signed
# kit into NAME.tgz without an image builder; the run therefore measures
# key generation, kit writing, signing and packing.
#
#   bench/provision.sh [N] [CCPROV]
set -euo pipefail
n=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
ccprov=${2:-$here/build/ccprov}
[ -x "$ccprov" ] || { echo "build ccprov first (cmake --build build)" >&2; exit 2; }
case $n in '' | *[!0-9]*) echo "N must be a positive number" >&2; exit 2 ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mock_cc() { # role
	cat <<CC
compute_env: mock
role: $1
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
}

dir=$work/project
mkdir -p "$dir"
cp "$here/examples/cc/nvflare-site.tar.gz" "$here/examples/cc/build_cvm_image.sh" "$dir/"
mock_cc server >"$dir/cc_server1.yml"
mock_cc client >"$dir/cc_site.yml"
{
	printf 'api_version: 3\nname: bench_project\nparticipants:\n'
	printf '  - name: server1\n    type: server\n    org: nvidia\n    fed_learn_port: 8002\n    cc_config: cc_server1.yml\n'
	for ((i = 1; i <= n; i++)); do
		printf '  - name: site-%d\n    type: client\n    org: org_%d\n    cc_config: cc_site.yml\n' "$i" $((i % 50))
	done
	printf '  - name: admin@nvidia.com\n    type: admin\n    org: nvidia\n    role: project_admin\n'
	sed -n '/^builders:/,$p' "$here/examples/cc/project.yml"
} >"$dir/project.yml"

ws=$work/ws
status=0
if [ -x /usr/bin/time ]; then
	/usr/bin/time -o "$work/time.txt" -f '%e %U %S %M' \
		"$ccprov" provision -p "$dir/project.yml" -w "$ws" --quiet --format json \
		>"$work/summary.json" 2>"$work/stderr.txt" || status=$?
	read -r wall user sys rss <"$work/time.txt"
else
	# Without GNU time: bash's times for CPU, /proc for nothing better
	# than "unknown" peak RSS of an exited child.
	t0=$(date +%s.%N)
	"$ccprov" provision -p "$dir/project.yml" -w "$ws" --quiet --format json \
		>"$work/summary.json" 2>"$work/stderr.txt" || status=$?
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	read -r _ _ user sys < <(times | tail -n 1 | tr 'ms' '  ' | awk '{ print $1, $2, $3 * 60 + $4, $5 * 60 + $6 }')
	rss='?'
fi
if [ "$status" -ne 0 ]; then
	echo "provisioning failed (exit $status):" >&2
	cat "$work/stderr.txt" >&2
	exit 1
fi
kits=$(find "$ws/bench_project/prod_00" -name '*.tgz' | wc -l)
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
printf '%8s %8s %10s %10s %12s\n' sites tgz wall_s cpu_s peak_rss_kb
printf '%8d %8d %10s %10s %12s\n' "$n" "$kits" "$wall" "$cpu" "$rss"
