#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lint speed and memory against yamllint and against libyaml's parse-only
# floor, with the targets of issue 12 (PASS or MISS):
#
#   1. the bundled example (examples/cc, 3 files): median of RUNS (30)
#      paired runs of ccprov and yamllint; ccprov >= 30x faster;
#   2. N client sites (default 10000, each a CC site): median of RUNS_N (15)
#      paired runs of ccprov and the parse-only floor, one yamllint run;
#      ccprov >= 30x faster than yamllint and <= 3x the floor;
#   3. 10N sites (100,000): peak RSS of one run each; ccprov below
#      yamllint (the yamllint run takes minutes: --quick skips it);
#
# then the time per site at N/8, N/4, N/2 and N, to show that linting
# stays linear. Ratios are peer time / ccprov time (CPU, then wall), and
# ccprov time / floor time. Targets are judged on CPU time, which a busy
# machine disturbs least; wall time is printed beside it.
#
#   bench/lint.sh [--quick] [N] [CCPROV]
#
# yamllint runs with its default rules on the same YAML files ccprov
# reads (project.yml and the cc_config files); the floor is
# bench/yaml_parse_floor.c, which pulls every event out of libyaml and
# does nothing else. Helpers are built with ${CC:-cc}; a missing peer or
# compiler prints "skipped: ...". With DISTINCT=1 every client gets a
# cc_config file of its own (N files to load) instead of sharing one.
set -euo pipefail
quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi
n=${1:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
ccprov=${2:-$here/build/ccprov}
runs=${RUNS:-30}
runs_n=${RUNS_N:-15}
[ -x "$ccprov" ] || { echo "build ccprov first (cmake --build build)" >&2; exit 2; }
# the runs start in other folders
case $ccprov in /*) ;; *) ccprov=$PWD/$ccprov ;; esac
case $n in '' | *[!0-9]* | 0) echo "N must be a positive number" >&2; exit 2 ;; esac
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

# the YAML files of a generated project, project.yml first
yaml_files() {
	local dir=$1
	printf '%s\n' "$dir/project.yml" "$dir/cc_server1.yml"
	if [ "${DISTINCT:-0}" = 1 ]; then
		find "$dir" -name 'cc_site-*.yml' | sort -V
	else
		printf '%s\n' "$dir/cc_site.yml"
	fi
}

# ---- helpers and peers ----

cc=${CC:-cc}
runstat=
floor=
if command -v "$cc" >/dev/null 2>&1; then
	if "$cc" -O2 -o "$work/runstat" "$here/bench/runstat.c" 2>"$work/cc.log"; then
		runstat=$work/runstat
	else
		echo "skipped: cannot build bench/runstat.c: $(head -n 1 "$work/cc.log")"
	fi
	if "$cc" -O2 -o "$work/yaml_parse_floor" "$here/bench/yaml_parse_floor.c" -lyaml \
		2>"$work/cc.log"; then
		floor=$work/yaml_parse_floor
	else
		echo "skipped: libyaml parse-only floor: cannot build bench/yaml_parse_floor.c" \
			"(libyaml-dev?): $(head -n 1 "$work/cc.log")"
	fi
else
	echo "skipped: comparisons: no C compiler ('$cc') to build bench/runstat.c"
fi
yamllint=${YAMLLINT:-$(command -v yamllint || true)}
[ -n "$yamllint" ] && [ -x "$yamllint" ] || yamllint=
# yamllint's own default rules, whatever .yamllint lies around
yamllint_cmd=("$yamllint" -d 'extends: default' -f parsable)
lint_cmd=("$ccprov" lint --format json)

# "peer / ours" as a factor with one decimal
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
# PASS when the factor meets the bound: verdict VALUE ">=" or "<=" BOUND
verdict() {
	awk -v v="$1" -v op="$2" -v t="$3" \
		'BEGIN { ok = op == ">=" ? v >= t : v <= t; print ok ? "PASS" : "MISS" }'
}
row() { printf '  %-22s %10s %10s %12s\n' "$@"; }

echo "ccprov: $ccprov ($("$ccprov" --version))"
echo "yamllint: ${yamllint:-not installed}${yamllint:+ ($("$yamllint" --version 2>&1))}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. the bundled example ----

seed=$here/examples/cc
echo
echo "== the bundled example (examples/cc: project.yml and 2 cc_config files), median of $runs paired runs"
if [ -z "$runstat" ]; then
	echo "  skipped: no bench/runstat"
else
	row "" wall_ms cpu_ms peak_rss_kb
	seed_files=("$seed/project.yml" "$seed/cc_server1.yml" "$seed/cc_site-1.yml")
	if [ -n "$yamllint" ]; then
		mapfile -t res < <(cd "$seed" && "$runstat" "$runs" "${lint_cmd[@]}" project.yml \
			-- "${yamllint_cmd[@]}" "${seed_files[@]}")
	else
		mapfile -t res < <(cd "$seed" && "$runstat" "$runs" "${lint_cmd[@]}" project.yml)
	fi
	read -r cw cc_ cr <<<"${res[0]}"
	row "ccprov lint" "$cw" "$cc_" "$cr"
	if [ -n "$yamllint" ]; then
		read -r yw yc yr <<<"${res[1]}"
		row "yamllint" "$yw" "$yc" "$yr"
		r=$(ratio "$yc" "$cc_")
		echo "  yamllint / ccprov: cpu ${r}x, wall $(ratio "$yw" "$cw")x" \
			"(target >= 30x: $(verdict "$r" '>=' 30))"
		# what any process costs here, taking turns with yamllint as
		# ccprov did: the part of ccprov's time that is not its own
		if [ -x /bin/true ]; then
			mapfile -t res < <(cd "$seed" && "$runstat" "$runs" /bin/true \
				-- "${yamllint_cmd[@]}" "${seed_files[@]}")
			read -r tw tc _ <<<"${res[0]}"
			read -r _ yc2 _ <<<"${res[1]}"
			row "/bin/true" "$tw" "$tc" ""
			echo "  process floor: /bin/true after yamllint, $(ratio "$yc2" "$tc")x" \
				"yamllint; ccprov's own share $(awk -v a="$cc_" -v b="$tc" \
				'BEGIN { printf "%.3f", a - b }') ms"
		fi
	else
		echo "  skipped: yamllint not installed"
	fi
fi

# ---- 2. N sites ----

big=$work/p$n
gen "$n" "$big"
mapfile -t big_files < <(yaml_files "$big")
echo
echo "== $n sites ($(stat -c %s "$big/project.yml") bytes of project.yml, ${#big_files[@]} YAML files)"
if [ -z "$runstat" ]; then
	echo "  skipped: no bench/runstat"
else
	row "" wall_ms cpu_ms peak_rss_kb
	if [ -n "$floor" ]; then
		mapfile -t res < <("$runstat" "$runs_n" "${lint_cmd[@]}" "$big/project.yml" \
			-- "$floor" "${big_files[@]}")
	else
		mapfile -t res < <("$runstat" "$runs_n" "${lint_cmd[@]}" "$big/project.yml")
	fi
	read -r cw cc_ cr <<<"${res[0]}"
	row "ccprov lint ($runs_n runs)" "$cw" "$cc_" "$cr"
	if [ -n "$floor" ]; then
		read -r fw fc fr <<<"${res[1]}"
		row "libyaml parse-only" "$fw" "$fc" "$fr"
	fi
	if [ -n "$yamllint" ]; then
		read -r yw yc yr < <("$runstat" 1 "${yamllint_cmd[@]}" "${big_files[@]}")
		row "yamllint (1 run)" "$yw" "$yc" "$yr"
		r=$(ratio "$yc" "$cc_")
		echo "  yamllint / ccprov: cpu ${r}x, wall $(ratio "$yw" "$cw")x" \
			"(target >= 30x: $(verdict "$r" '>=' 30))"
	else
		echo "  skipped: yamllint not installed"
	fi
	if [ -n "$floor" ]; then
		r=$(ratio "$cc_" "$fc")
		echo "  ccprov / parse-only: cpu ${r}x, wall $(ratio "$cw" "$fw")x" \
			"(target <= 3x: $(verdict "$r" '<=' 3))"
	else
		echo "  skipped: libyaml parse-only floor not built"
	fi
fi

# ---- 3. peak memory at 10N sites ----

huge_n=$((n * 10))
echo
echo "== $huge_n sites: peak RSS, one run each"
if [ -z "$runstat" ]; then
	echo "  skipped: no bench/runstat"
else
	huge=$work/p$huge_n
	gen "$huge_n" "$huge"
	mapfile -t huge_files < <(yaml_files "$huge")
	row "" wall_ms cpu_ms peak_rss_kb
	read -r cw cc_ cr < <("$runstat" 1 "${lint_cmd[@]}" "$huge/project.yml")
	row "ccprov lint" "$cw" "$cc_" "$cr"
	if [ -z "$yamllint" ]; then
		echo "  skipped: yamllint not installed"
	elif [ "$quick" = 1 ]; then
		echo "  skipped: yamllint at $huge_n sites (--quick)"
	else
		read -r yw yc yr < <("$runstat" 1 "${yamllint_cmd[@]}" "${huge_files[@]}")
		row "yamllint" "$yw" "$yc" "$yr"
		echo "  ccprov / yamllint peak RSS: $(ratio "$cr" "$yr")x" \
			"(target < 1x: $(awk -v a="$cr" -v b="$yr" 'BEGIN { print a < b ? "PASS" : "MISS" }'))"
	fi
	rm -rf "$huge"
fi

# ---- 4. time per site ----

measure() {
	local dir=$1
	if [ -n "$runstat" ]; then
		"$runstat" 1 "${lint_cmd[@]}" "$dir/project.yml" |
			awk '{ printf "%.3f %s\n", $1 / 1000, $3 }'
	elif [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$dir/time.txt" -f '%e %M' "${lint_cmd[@]}" "$dir/project.yml" \
			>/dev/null 2>&1 || true
		tail -n 1 "$dir/time.txt"
	else
		local t0 t1
		t0=$(date +%s.%N)
		"${lint_cmd[@]}" "$dir/project.yml" >/dev/null 2>&1 || true
		t1=$(date +%s.%N)
		echo "$(echo "$t1 - $t0" | bc) ?"
	fi
}

echo
echo "== time per site"
printf '%8s %10s %12s %14s %12s\n' sites bytes wall_s us_per_site peak_rss_kb
for count in $((n / 8)) $((n / 4)) $((n / 2)) "$n"; do
	[ "$count" -ge 1 ] || continue
	[ -d "$work/p$count" ] || gen "$count" "$work/p$count"
	read -r wall rss < <(measure "$work/p$count")
	size=$(stat -c %s "$work/p$count/project.yml")
	per=$(awk -v w="$wall" -v c="$count" 'BEGIN { printf "%.1f", w * 1e6 / c }')
	printf '%8d %10d %12s %14s %12s\n' "$count" "$size" "$wall" "$per" "$rss"
done
