#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Generate the worst-case inputs of a CI gate and time ccprov on each:
#   keys     one YAML mapping with 100,000 keys (duplicate-key check)
#   include  files that include one another ten times per level
#   bomb     a docker_archive of ~70 KB that decompresses to 64 GiB
#   suggest  30,000 hosts_entries one edit from the server's 999 long
#            host_names (CCP-N005's "did you mean" search)
#   json     a signature.json object with 80,000 keys (ccp_json parse)
#   builders 60,000 builders near NVFlare's class paths (the near-miss
#            search of every builder rule, and the duplicate check)
#   cycle    10,000 clients whose parents form one cycle (CCP-P010)
#   orgs     a study naming 80,000 orgs of 80,000 clients (CCP-P015/P016)
#   sites    a study listing 150,000 clients, the first twice (CCP-P017)
#   admins   a study listing 150,000 admins, the first twice (CCP-P018)
#   case     80,000 clients named alike, the last in capitals (CCP-P004)
#   hosts    80,000 clients sharing a cc_config of 80,000 hosts_entries
#            (CCP-N006)
#   dial     100,000 clients dialing the last of the server's 100,000
#            host_names (CCP-P026)
#   memory   peak RSS of lint on a 16 MB sequence, per input byte
#
#   bench/hostile.sh [BUILD_DIR]              print the figures
#   bench/hostile.sh --check SECONDS [BUILD]  fail when a case takes longer
#                                             or misses its finding (CTest)
set -uo pipefail
limit=
if [ "${1:-}" = --check ]; then
	limit=${2:?--check needs SECONDS}
	shift 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
ccprov=$build/ccprov
replay_json=$build/tests/replay_json
[ -x "$ccprov" ] || { echo "build ccprov first (cmake --build build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# run NAME PATTERN CMD...: time CMD; with --check, want PATTERN in its output
run() {
	local name=$1 pattern=$2 start end ms
	shift 2
	start=$(date +%s%N)
	if [ -n "$limit" ]; then
		timeout "$limit" "$@" >"$work/$name.out" 2>&1
	else
		"$@" >"$work/$name.out" 2>&1
	fi
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	printf '%-8s %6d ms\n' "$name" "$ms"
	if [ -n "$limit" ]; then
		if [ "$ms" -ge $((limit * 1000)) ]; then
			echo "FAIL: $name took longer than $limit s" >&2
			failures=$((failures + 1))
		elif ! grep -qE -- "$pattern" "$work/$name.out"; then
			echo "FAIL: $name: no '$pattern' in its output" >&2
			sed -n 1,5p "$work/$name.out" >&2
			failures=$((failures + 1))
		fi
	fi
}

cc_head='compute_env: mock
role: client
cc_issuers:
  - id: mock_authorizer
    path: nvflare.app_opt.confidential_computing.mock_authorizer.MockAuthorizer
    token_expiration: 100
'

# keys: 100,000 keys, the last one a duplicate of the first
{
	printf '%s' "$cc_head"
	awk 'BEGIN { for (i = 0; i < 100000; i++) print "k" i ": 1"; print "k0: 2" }'
} >"$work/keys.yml"
run keys 'CCP-Y002' "$ccprov" lint --cc-config "$work/keys.yml"

# include: eight levels, each including the next ten times (10^7 loads)
mkdir "$work/inc"
{ printf '%s' "$cc_head"; echo "include:"; for k in $(seq 10); do echo "  - l1.yml"; done; } >"$work/inc/cc.yml"
for l in 1 2 3 4 5 6; do
	{ echo "include:"; for k in $(seq 10); do echo "  - l$((l + 1)).yml"; done; } >"$work/inc/l$l.yml"
done
echo '{}' >"$work/inc/l7.yml"
run include 'CCP-Y011' "$ccprov" lint --cc-config "$work/inc/cc.yml"

# bomb: a tar header declaring 60 GB, 4096 gzip members of 16 MiB of
# zeros, and the whole gzipped again
mkdir "$work/bomb"
(
	cd "$work/bomb" || exit 1
	truncate -s 60G big && tar --format=gnu -cf - big 2>/dev/null | head -c 512 >hdr
	rm -f big
	head -c 16M /dev/zero | gzip -9 >z1
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "z$((1 << (i - 1)))" "z$((1 << (i - 1)))" >"z$((1 << i))"; done
	{ gzip -9 -c hdr; cat z4096; } | gzip -9 >nvflare-site.tar.gz
	rm -f hdr z*
	printf 'compute_env: onprem_cvm\ncc_cpu_mechanism: amd_sev_snp\nrole: client\nroot_drive_size: 100\ndocker_archive: nvflare-site.tar.gz\n' >cc.yml
)
printf 'bomb archive: %s bytes\n' "$(wc -c <"$work/bomb/nvflare-site.tar.gz")"
run bomb 'CCP-C024' "$ccprov" lint --cc-config "$work/bomb/cc.yml"

# builders: 60,000 unknown paths as long as NVFlare's (each is compared
# with every known class), the first listed twice
{
	printf 'api_version: 3\nname: x\nparticipants:\n  - name: s\n    type: server\n    org: o\nbuilders:\n'
	awk 'BEGIN { for (i = 0; i < 60000; i++) printf "  - path: nvflare.lighter.impl.static_f.Stat%06d\n", i % 59999 }'
} >"$work/builders.yml"
run builders 'CCP-B005' "$ccprov" lint "$work/builders.yml"

# the start of a project with a server, before its clients
head='api_version: 3\nname: x\nparticipants:\n  - name: server1\n    type: server\n    org: o\n'

# cycle: 10,000 clients, each the parent of the next, the last of the first
{
	printf "$head"
	awk 'BEGIN { n = 10000; for (i = 0; i < n; i++) printf "  - name: c%d\n    type: client\n    org: o\n    parent: c%d\n", i, (i + n - 1) % n }'
} >"$work/cycle.yml"
run cycle 'CCP-P010' "$ccprov" lint "$work/cycle.yml"

# orgs: 80,000 clients each in its own org, a study naming every org and
# one that no participant belongs to
{
	printf "$head"
	awk 'BEGIN { n = 80000; for (i = 0; i < n; i++) printf "  - name: c%d\n    type: client\n    org: o%d\n", i, i
		print "studies:\n  s:\n    site_orgs:"; for (i = n - 1; i >= 0; i--) printf "      o%d: []\n", i; print "      nope: []" }'
} >"$work/orgs.yml"
run orgs "org 'nope', which no participant belongs to" "$ccprov" lint "$work/orgs.yml"

# sites, admins: a study listing 150,000 clients or admins, the first twice
{
	printf "$head"
	awk 'BEGIN { n = 150000; for (i = 0; i < n; i++) printf "  - name: c%d\n    type: client\n    org: o\n", i
		print "studies:\n  s:\n    site_orgs:\n      o:"; for (i = 0; i <= n; i++) printf "        - c%d\n", i % n }'
} >"$work/sites.yml"
run sites "lists client 'c0' twice" "$ccprov" lint "$work/sites.yml"
{
	printf "$head"
	awk 'BEGIN { n = 150000; for (i = 0; i < n; i++) printf "  - name: a%d@o.org\n    type: admin\n    org: o\n    role: lead\n", i
		print "studies:\n  s:\n    admins:"; for (i = 0; i <= n; i++) printf "      - a%d@o.org\n", i % n }'
} >"$work/admins.yml"
run admins "lists admin 'a0@o.org' twice" "$ccprov" lint "$work/admins.yml"

# case: 80,000 clients of one name, then one spelt in capitals
{
	printf "$head"
	awk 'BEGIN { for (i = 0; i < 80000; i++) print "  - name: site-a\n    type: client\n    org: o"
		print "  - name: SITE-A\n    type: client\n    org: o" }'
} >"$work/case.yml"
run case "'SITE-A' differs from 'site-a' only in case" "$ccprov" lint "$work/case.yml"

# hosts: 80,000 clients share one cc_config whose hosts_entries map the
# server's 80,000 host_names and, last, the server; one more client dials
# a host it lacks
mkdir "$work/hosts"
{
	printf "$head"
	awk 'BEGIN { n = 80000; print "    host_names:"; for (i = 0; i < n; i++) printf "      - h%d\n", i
		for (i = 0; i <= n; i++) printf "  - name: c%d\n    type: client\n    org: o\n    cc_config: cc.yml\n", i
		print "    connect_to:\n      host: zz" }'
} >"$work/hosts/project.yml"
{
	printf '%s' "$cc_head"
	awk 'BEGIN { print "hosts_entries:"; for (i = 0; i < 80000; i++) printf "  h%d: 10.0.0.1\n", i; print "  server1: 10.0.0.2" }'
} >"$work/hosts/cc.yml"
run hosts "no entry for 'zz'" "$ccprov" lint "$work/hosts/project.yml"

# dial: 100,000 clients whose connect_to host is the last of the server's
# 100,000 host_names; one more client dials a host it lacks
{
	printf "$head"
	awk 'BEGIN { n = 100000; print "    host_names:"; for (i = 0; i < n; i++) printf "      - h%d\n", i
		for (i = 0; i <= n; i++) printf "  - name: c%d\n    type: client\n    org: o\n    connect_to:\n      host: %s\n", i, (i < n ? "h" (n - 1) : "zz") }'
} >"$work/dial.yml"
run dial "connect_to host 'zz' of 'c100000' is not a host" "$ccprov" lint "$work/dial.yml"

# suggest: 999 long host names and 30,000 unknown hosts_entries, each a
# few edits from all of them: the near-name search must stay bounded,
# and still name the nearest for the first ones
mkdir "$work/suggest"
{
	printf "$head"
	awk 'BEGIN { print "    host_names:"
		for (i = 0; i < 999; i++) printf "      - node-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-%06d.example.org\n", i
		print "  - name: c1\n    type: client\n    org: o\n    cc_config: cc.yml" }'
} >"$work/suggest/project.yml"
{
	printf '%s' "$cc_head"
	awk 'BEGIN { print "hosts_entries:"
		for (i = 0; i < 30000; i++) printf "  node-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-%06d.example.org: 10.0.0.1\n", 500000 + i }'
} >"$work/suggest/cc.yml"
run suggest "did you mean 'node-" "$ccprov" lint "$work/suggest/project.yml"

# json: a signature.json with 80,000 keys, through the JSON parser
awk 'BEGIN { printf "{"; for (i = 0; i < 80000; i++) printf "%s\"file%d\": \"c2lnbmF0dXJl\"", (i ? ", " : ""), i; print "}" }' >"$work/signature.json"
if [ -x "$replay_json" ]; then
	run json 'replayed 1 inputs' "$replay_json" "$work/signature.json"
fi

# memory: a 16 MB list of one-character items, the most nodes per byte
if [ -z "$limit" ] && [ -x /usr/bin/time ]; then
	{ printf '%s' "$cc_head"; echo "user_config:"; echo "  list:"; awk 'BEGIN { for (i = 0; i < 2000000; i++) print "    - a" }'; } >"$work/mem.yml"
	bytes=$(wc -c <"$work/mem.yml")
	/usr/bin/time -f '%M' -o "$work/rss" "$ccprov" lint --cc-config "$work/mem.yml" >/dev/null 2>&1
	kb=$(tail -1 "$work/rss")
	printf 'memory   %6d KB peak for %d input bytes (%d bytes per byte)\n' "$kb" "$bytes" $((kb * 1024 / bytes))
fi

[ "$failures" -eq 0 ]
