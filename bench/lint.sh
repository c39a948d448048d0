#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lint a generated project with N client sites (default 10000), each a CC
# site, and print wall time and peak RSS; then the same at N/8, N/4 and
# N/2 so that the time per site shows whether linting stays linear.
#
#   bench/lint.sh [N] [CCPROV]
#
# With DISTINCT=1 every client gets a cc_config file of its own (N files
# to load) instead of sharing one.
set -euo pipefail
n=${1:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
ccprov=${2:-$here/build/ccprov}
[ -x "$ccprov" ] || { echo "build ccprov first (cmake --build build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen() {
	local count=$1 dir=$2 i
	mkdir -p "$dir"
	cp "$here/examples/cc/cc_server1.yml" "$here/examples/cc/nvflare-site.tar.gz" \
	   "$here/examples/cc/build_cvm_image.sh" "$dir/"
	# every client shares one cc_config, as large deployments do; the
	# server's allowed ports and the clients' outbound ports agree
	cp "$here/examples/cc/cc_site-1.yml" "$dir/cc_site.yml"
	{
		printf 'api_version: 3\nname: bench_project\nparticipants:\n'
		printf '  - name: server1\n    type: server\n    org: nvidia\n    fed_learn_port: 8002\n    cc_config: cc_server1.yml\n'
		for ((i = 1; i <= count; i++)); do
			if [ "${DISTINCT:-0}" = 1 ]; then
				cp "$dir/cc_site.yml" "$dir/cc_site-$i.yml"
				printf '  - name: site-%d\n    type: client\n    org: org_%d\n    cc_config: cc_site-%d.yml\n' "$i" $((i % 50)) "$i"
			else
				printf '  - name: site-%d\n    type: client\n    org: org_%d\n    cc_config: cc_site.yml\n' "$i" $((i % 50))
			fi
		done
		printf '  - name: admin@nvidia.com\n    type: admin\n    org: nvidia\n    role: project_admin\n'
		sed -n '/^builders:/,$p' "$here/examples/cc/project.yml"
	} > "$dir/project.yml"
}

measure() {
	local dir=$1 out
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$dir/time.txt" -f '%e %M' "$ccprov" lint "$dir/project.yml" \
			--format json >/dev/null 2>&1 || true
		tail -n 1 "$dir/time.txt"
	else
		local t0 t1
		t0=$(date +%s.%N)
		"$ccprov" lint "$dir/project.yml" --format json >/dev/null 2>&1 || true
		t1=$(date +%s.%N)
		echo "$(echo "$t1 - $t0" | bc) ?"
	fi
}

printf '%8s %10s %12s %14s %10s\n' sites bytes wall_s us_per_site peak_rss_kb
for count in $((n / 8)) $((n / 4)) $((n / 2)) "$n"; do
	[ "$count" -ge 1 ] || continue
	gen "$count" "$work/p$count"
	read -r wall rss < <(measure "$work/p$count")
	size=$(stat -c %s "$work/p$count/project.yml")
	per=$(awk -v w="$wall" -v c="$count" 'BEGIN { printf "%.1f", w * 1e6 / c }')
	printf '%8d %10d %12s %14s %10s\n' "$count" "$size" "$wall" "$per" "$rss"
done
