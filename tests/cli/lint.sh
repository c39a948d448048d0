#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The lint-side command line: subcommand dispatch and usage errors, every
# --format through the binary, -o, colour rules, rules/explain.
#
#   tests/cli/lint.sh CCPROV
. "$(dirname "$0")/common.bash" lint.sh "$@"

# expect NAME WANT_EXIT ARGS...: stdout in $work/NAME.out, stderr in .err
expect() {
	local name=$1 want=$2 got
	shift 2
	checks=$((checks + 1))
	"$ccprov" "$@" >"$work/$name.out" 2>"$work/$name.err"
	got=$?
	[ "$got" -eq "$want" ] || fail "$name: exit $got, want $want"
}

has() { # NAME FILE PATTERN
	checks=$((checks + 1))
	grep -qE -- "$3" "$2" || fail "$1: no '$3' in $(basename "$2")"
}

cp -a "$src/examples/cc" "$work/ok"
cp -a "$src/examples/cc" "$work/bad"
sed -i 's/token_expiration: 100/token_expiration: 300/' "$work/bad/cc_site-1.yml"

# dispatch and usage
expect version 0 --version
has version "$work/version.out" '^ccprov [0-9]+\.[0-9]+\.[0-9]+$'
expect no-args 2
expect unknown-cmd 2 frobnicate
expect unknown-flag 2 lint --frobnicate
expect bad-format 2 lint --format yaml "$work/ok/project.yml"
expect two-missing 1 lint a.yml b.yml
has two-missing "$work/two-missing.out" '(^|/)a.yml: error: .*CCP-Y009'
has two-missing "$work/two-missing.out" '(^|/)b.yml: error: .*CCP-Y009'
expect help-lint 0 help lint
has help-lint "$work/help-lint.out" 'usage: ccprov lint'

# verdicts and exit codes
expect clean 0 lint "$work/ok/project.yml"
has clean "$work/clean.out" '^no findings in 3 files$'
expect finding 1 lint "$work/bad/project.yml"
has finding "$work/finding.out" 'cc_site-1.yml:[0-9]+:[0-9]+: error: .*\[CCP-C009\]'
has finding "$work/finding.out" '\^~~'
expect missing 1 lint "$work/nope.yml"
has missing "$work/missing.out" 'CCP-Y009'
expect cc-only 1 lint --cc-config "$work/bad/cc_site-1.yml"
has cc-only "$work/cc-only.out" 'CCP-C009'

# every format through the binary
expect json 1 lint --format json "$work/bad/project.yml"
has json "$work/json.out" '"rule": "CCP-C009"'
has json "$work/json.out" '"summary"'
expect sarif 1 lint --format sarif "$work/bad/project.yml"
has sarif "$work/sarif.out" '"version": "2.1.0"'
has sarif "$work/sarif.out" '"ruleId": "CCP-C009"'
expect junit 1 lint --format junit "$work/bad/project.yml"
has junit "$work/junit.out" '<testsuites'
has junit "$work/junit.out" '<failure'
expect github 1 lint --format github "$work/bad/project.yml"
has github "$work/github.out" '^::error file=.*title=CCP-C009::'
expect gitlab 1 lint --format gitlab "$work/bad/project.yml"
has gitlab "$work/gitlab.out" '"check_name": "CCP-C009"'

# -o writes the report to a file and nothing to stdout
expect output 1 lint --format json -o "$work/report.json" "$work/bad/project.yml"
checks=$((checks + 1))
[ -s "$work/report.json" ] && [ ! -s "$work/output.out" ] || fail "output: -o did not write the report alone"

# -o never writes over a file being linted, by any name it is reached by
cp "$work/ok/project.yml" "$work/project.keep"
expect output-over-project 2 lint -o "$work/ok/project.yml" "$work/ok/project.yml"
has output-over-project "$work/output-over-project.err" "refusing to write the report over"
cmp -s "$work/ok/project.yml" "$work/project.keep" || fail "output-over-project: project.yml was overwritten"
cp "$work/ok/cc_site-1.yml" "$work/cc.keep"
expect output-over-cc-config 2 lint -o "$work/ok/../ok/cc_site-1.yml" "$work/ok/project.yml"
cmp -s "$work/ok/cc_site-1.yml" "$work/cc.keep" || fail "output-over-cc-config: cc_site-1.yml was overwritten"
ln -s "$work/ok/cc_site-1.yml" "$work/cc-link.yml"
expect output-over-link 2 lint -o "$work/cc-link.yml" --cc-config "$work/ok/cc_site-1.yml"
cmp -s "$work/ok/cc_site-1.yml" "$work/cc.keep" || fail "output-over-link: cc_site-1.yml was overwritten"

# colour: never unless asked; NO_COLOR turns off auto, not an explicit always
expect plain 1 lint "$work/bad/project.yml"
checks=$((checks + 1))
! grep -q $'\033\[' "$work/plain.out" || fail "plain: colour on a pipe"
expect colour 1 lint --color always "$work/bad/project.yml"
has colour "$work/colour.out" $'\033\\['
checks=$((checks + 1))
NO_COLOR=1 "$ccprov" lint --color=always "$work/bad/project.yml" >"$work/nocolor.out" 2>&1
grep -q $'\033\[' "$work/nocolor.out" || fail "nocolor: --color=always lost to NO_COLOR"
checks=$((checks + 1))
NO_COLOR=1 script -qec "'$ccprov' lint '$work/bad/project.yml'" /dev/null >"$work/nocolor-tty.out" 2>&1
! grep -q $'\033\[' "$work/nocolor-tty.out" || fail "nocolor-tty: NO_COLOR ignored on a terminal"

# --no-file-checks skips the docker archive
rm "$work/ok/nvflare-site.tar.gz"
expect archive-gone 1 lint "$work/ok/project.yml"
has archive-gone "$work/archive-gone.out" 'CCP-C021'
expect archive-skipped 0 lint --no-file-checks "$work/ok/project.yml"

# rules and explain
expect rules 0 rules
has rules "$work/rules.out" '^CCP-C009 +error +cc '
expect rules-json 0 rules --format json
has rules-json "$work/rules-json.out" '"id": "CCP-Y001"'
expect rules-md 0 rules --format markdown
has rules-md "$work/rules-md.out" '^\| \[CCP-B001\]\(rules/CCP-B001.md\)'
expect rules-bad 2 rules --format xml
expect explain 0 explain ccp-c009
has explain "$work/explain.out" '^# CCP-C009'
expect explain-unknown 2 explain CCP-X999

# a FIFO named as a target is skipped or refused, never waited on: the
# target finder used to block in open(2) until a writer came
mkfifo "$work/pipe.yml"
mkdir "$work/fifo" && mkfifo "$work/fifo/project.yml"
checks=$((checks + 1))
timeout 20 "$ccprov" lint "$work/pipe.yml" >"$work/fifo1.out" 2>"$work/fifo1.err"
[ $? -ne 124 ] || fail "lint of a FIFO waited for a writer"
has fifo1 "$work/fifo1.err" "is not a project file"
checks=$((checks + 1))
timeout 20 "$ccprov" lint "$work/fifo/project.yml" >"$work/fifo2.out" 2>"$work/fifo2.err"
[ $? -eq 1 ] || fail "lint of a FIFO project.yml: not refused with exit 1"
has fifo2 "$work/fifo2.out" "CCP-Y009"

finish
