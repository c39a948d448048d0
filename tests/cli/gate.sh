#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The lint gate on the command line: an editor's buffer on stdin, a
# baseline that survives inserted lines and another working folder,
# --base-dir, --format auto, and the option syntax.
#
#   tests/cli/gate.sh CCPROV
. "$(dirname "$0")/common.bash" gate.sh "$@"

# expect NAME WANT_EXIT ARGS...: run in $dir; stdout in $work/NAME.out
dir=$work
expect() {
	local name=$1 want=$2 got
	shift 2
	checks=$((checks + 1))
	(cd "$dir" && "$ccprov" "$@") >"$work/$name.out" 2>"$work/$name.err" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || fail "$name: exit $got, want $want ($(head -c 300 "$work/$name.err"))"
}
has() { # NAME PATTERN
	checks=$((checks + 1))
	grep -qE -- "$2" "$work/$1.out" || fail "$1: no '$2' in its output"
}
hasnt() {
	checks=$((checks + 1))
	! grep -qE -- "$2" "$work/$1.out" || fail "$1: '$2' in its output"
}

repo=$work/repo
mkdir -p "$repo/.git" "$repo/p/deep"
cp -p "$src"/examples/cc/* "$repo/p/"

# stdin: the editor's unsaved buffer stands for the file on disk
sed 's/^role: client/role: server/' "$repo/p/cc_site-1.yml" >"$work/buffer.yml"
checks=$((checks + 1))
(cd "$repo" && "$ccprov" lint --stdin-filename p/cc_site-1.yml - <"$work/buffer.yml") >"$work/stdin.out" 2>&1
[ $? -eq 1 ] || fail "stdin: the buffer's error did not fail the run"
has stdin '^p/cc_site-1.yml:3:7: error: .*\[CCP-C001\]'
checks=$((checks + 1))
(cd "$repo" && "$ccprov" lint --stdin-filename=p/cc_site-1.yml - <"$repo/p/cc_site-1.yml") >"$work/stdin-ok.out" 2>&1
[ $? -eq 0 ] || fail "stdin-ok: a clean buffer failed"
expect dash-alone 2 lint -

# baseline: written from the repository root, read from a subfolder
sed -i 's/token_expiration: 100/token_expiration: 300/' "$repo/p/cc_site-1.yml"
dir=$repo
expect write-baseline 1 lint --write-baseline=base.json p
checks=$((checks + 1))
grep -q '"file": "p/cc_site-1.yml"' "$repo/base.json" || fail "write-baseline: path not relative to the repository root"
sed -i '1i # two lines inserted\n#' "$repo/p/cc_site-1.yml"
dir=$repo/p/deep
expect baseline-moved 0 lint --baseline ../../base.json ..
has baseline-moved '^no findings in'
dir=$work
expect baseline-base-dir 0 lint --base-dir "$repo" --baseline "$repo/base.json" "$repo/p/project.yml"
# without the baseline (or with another base folder) the finding is new
expect baseline-other-base 1 lint --base-dir "$repo/p" --baseline "$repo/base.json" "$repo/p/project.yml"
has baseline-other-base '^cc_site-1.yml:22:23: error: .*CCP-C009'
# a fixed finding is listed
sed -i 's/token_expiration: 300/token_expiration: 100/' "$repo/p/cc_site-1.yml"
dir=$repo
expect baseline-fixed 0 lint --baseline base.json p
checks=$((checks + 1))
grep -q '^fixed since the baseline: p/cc_site-1.yml: .*\[CCP-C009\]' "$work/baseline-fixed.err" ||
	fail "baseline-fixed: the fixed finding is not listed"
expect baseline-bad 2 lint --baseline nothing.json p

# --format auto
sed -i 's/^role: client/role: server/' "$repo/p/cc_site-1.yml"
checks=$((checks + 1))
(cd "$repo" && GITHUB_ACTIONS=true "$ccprov" lint p) >"$work/auto-gh.out" 2>&1
has auto-gh '^::error file=p/cc_site-1.yml,line=5,col=7'
checks=$((checks + 1))
(cd "$repo" && GITHUB_ACTIONS= "$ccprov" lint --format=auto p) >"$work/auto-text.out" 2>&1
has auto-text '^p/cc_site-1.yml:5:7: error:'

# option syntax: --opt value, --opt=value, --, -h
expect eq-form 0 lint --fail-on=never --format=json --nvflare=2.7 p
has eq-form '"rule": "CCP-C001"'
expect space-form 0 lint --fail-on never --format json --nvflare 2.7 p
expect double-dash 1 lint --format json -- p/project.yml
has double-dash '"rule": "CCP-C001"'
expect help 0 lint -h
has help 'usage: ccprov lint'
has help '--fail-on'
expect bad-fail-on 2 lint --fail-on=sometimes p
# every subcommand: -h, --opt=value and --opt value, --
for cmd in lint provision verify rules explain schema; do
	expect "help-$cmd" 0 "$cmd" -h
	has "help-$cmd" "usage: ccprov $cmd"
done
expect explain-dd 0 explain -- CCP-C001
has explain-dd '^# CCP-C001'
expect rules-eq 0 rules --format=json --
has rules-eq '"id": "CCP-G001"'
expect rules-sp 0 rules --format markdown
has rules-sp 'CCP-G004'
expect verify-dd 1 verify --nvflare=2.8 -- "$work/no-kit"
checks=$((checks + 1))
grep -q "cannot open '.*no-kit'" "$work/verify-dd.err" || fail "verify-dd: the missing kit is not named"
expect verify-sp 1 verify --nvflare 2.7 "$work/no-kit"
expect provision-eq 1 provision --project="$repo/p/project.yml" --workspace="$work/ws" --
checks=$((checks + 1))
grep -q 'CCP-C001' "$work/provision-eq.err" || fail "provision-eq: no CCP-C001 on stderr"
expect schema-dd 0 schema -- cc-config
has schema-dd '"compute_env"'
expect schema-bad 2 schema --frobnicate
expect missing-value 2 lint --format
expect config-both 2 lint --config a.yml --no-config p

finish
