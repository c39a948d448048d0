#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov provision` talking in CI: the project as an operand, --progress
# with output to a pipe (per-stage and per-site lines, a heartbeat while
# the image builder is silent), the JSON summary of failed runs (lint
# diagnostics as `lint --format json` prints them, the failing step) and
# --dry-run (a plan, nothing written).
#
#   tests/provision/progress.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: progress.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME WANT_EXIT ARGS...: stdout in $work/NAME.out, stderr in .err
# (both pipes, as in CI)
run() {
	local name=$1 want=$2 got
	shift 2
	"$ccprov" provision "$@" 2>&1 >"$work/$name.out" | cat >"$work/$name.err"
	got=${PIPESTATUS[0]}
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"
		sed 's/^/    /' "$work/$name.err" >&2
	fi
}

project() { # NAME: a copy of the seed example, with the test image builder
	local dir=$work/$1
	cp -r "$src/examples/cc" "$dir"
	cp "$src/tests/fixtures/fake_build_image.sh" "$dir/"
	sed -i 's/build_image_cmd: build_cvm_image.sh/build_image_cmd: fake_build_image.sh/' \
		"$dir/project.yml"
	echo "$dir"
}

# the project file as an operand; two of them is a usage error
p=$(project good)
run operand 0 "$p/project.yml" -w "$work/ws-op" --no-image
[ -d "$work/ws-op/example_project/prod_00" ] || fail "operand: nothing published"
run two 2 "$p/project.yml" "$p/project.yml"
run two-p 2 -p "$p/project.yml" "$p/project.yml"
run bad-progress 2 "$p/project.yml" --progress loud

# plain progress through a pipe, and a heartbeat while the builder is
# silent (the stand-in prints one line, then sleeps)
FAKE_BUILD_SLEEP=4 run beat 0 "$p/project.yml" -w "$work/ws" --heartbeat 1
e=$work/beat.err
grep -qE '^\[ *[0-9.]+s\] lint: 3 files, 0 errors' "$e" || fail "no lint stage line"
grep -qE '^\[ *[0-9.]+s\] checking identities' "$e" || fail "no identities stage line"
grep -qE '^\[ *[0-9.]+s\] CertBuilder done' "$e" || fail "no builder stage line"
for site in server1 site-1; do
	grep -qE "^\[ *[0-9.]+s\] image build of $site started" "$e" ||
		fail "no start line for $site"
	grep -qE "^\[ *[0-9.]+s\] image build of $site done after" "$e" ||
		fail "no done line for $site"
	n=$(grep -cE "^\[ *[0-9.]+s\] image build of $site still running after [0-9]+ s \(no output for [0-9]+ s\)" "$e")
	[ "$n" -ge 2 ] || fail "$n heartbeat lines for $site, want at least 2 in 4 s"
done
grep -q $'\033' "$e" && fail "escape sequences in plain progress"
grep -qE '^\[ *[0-9.]+s\] published ' "$e" || fail "no published line"

# --progress none and --quiet: no stage lines
FAKE_BUILD_SLEEP=2 run none 0 "$p/project.yml" -w "$work/ws" --heartbeat 1 --progress none
grep -qE '^\[ *[0-9.]+s\]' "$work/none.err" && fail "--progress none still shows progress"
grep -q '^\[site-1\] building CVM image' "$work/none.err" ||
	fail "--progress none hid the builder's own output"
run quiet 0 "$p/project.yml" -w "$work/ws" --no-image -q
[ -s "$work/quiet.err" ] && fail "--quiet printed: $(head -3 "$work/quiet.err")"

# a lint failure's JSON summary: the diagnostics lint --format json
# prints, and the failing step
b=$(project bad)
sed -i 's/compute_env: onprem_cvm/compute_env: onprem_vm/' "$b/cc_site-1.yml"
run lintfail 1 "$b/project.yml" -w "$work/ws-bad" --format json
"$ccprov" lint --format json "$b/project.yml" >"$work/lint.json"
python3 - "$work/lintfail.out" "$work/lint.json" <<'PY' || fail "lint failure JSON"
import json, sys
summary = json.load(open(sys.argv[1]))
lint = json.load(open(sys.argv[2]))
assert summary["status"] == "lint-errors", summary["status"]
assert summary["failed_step"] == "lint", summary.get("failed_step")
assert summary["diagnostics"] == lint["diagnostics"], "diagnostics differ from lint's"
assert any(d["severity"] == "error" for d in summary["diagnostics"])
PY

# an image build failure: the failing step and the (clean) diagnostics
FAKE_BUILD_FAIL=1 run buildfail 3 "$p/project.yml" -w "$work/ws-fail" --format json
python3 - "$work/buildfail.out" <<'PY' || fail "build failure JSON"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["status"] == "failed"
assert s["failed_step"] == "image build", s.get("failed_step")
assert s["diagnostics"] == [], s["diagnostics"]
PY

# --dry-run: the plan, and nothing written
run dry 0 "$p/project.yml" -w "$work/ws-dry" --dry-run
[ -e "$work/ws-dry" ] && fail "--dry-run created the workspace"
grep -q 'would publish .*/prod_00' "$work/dry.out" || fail "dry run: no prod_00"
grep -qE '^  site-1 +identity new +kit site-1.tgz \(CVM image build\)' "$work/dry.out" ||
	fail "dry run: site-1 line: $(cat "$work/dry.out")"
grep -q '^2 image builds' "$work/dry.out" || fail "dry run: image count"
# against the workspace provisioned above: identities reused, next prod;
# a changed org re-issues that one certificate, as the run then does
before=$(cd "$work/ws" && find . | sort | md5sum)
sed -i '/name: site-1$/,/org:/ s/org: nvidia/org: acme/' "$p/project.yml"
run dry2 0 "$p/project.yml" -w "$work/ws" --dry-run --format json --no-image
[ "$(cd "$work/ws" && find . | sort | md5sum)" = "$before" ] || fail "--dry-run wrote into the workspace"
python3 - "$work/dry2.out" <<'PY' || fail "dry run JSON: $(cat "$work/dry2.out")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["status"] == "dry-run" and s["new_root_ca"] is False
assert s["prod"] == "prod_03", s["prod"]
ids = {k["name"]: k["identity"] for k in s["kits"]}
assert ids == {"server1": "reused", "site-1": "re-issued", "admin@nvidia.com": "reused"}, ids
assert s["image_builds"] == 0
PY
run real 0 "$p/project.yml" -w "$work/ws" --no-image
grep -qE '^  site-1 .*\[certificate re-issued\]' "$work/real.out" ||
	fail "the run did not re-issue what the plan said: $(cat "$work/real.out")"
grep -qE '^  server1 .*(new identity|re-issued)' "$work/real.out" &&
	fail "the run renewed server1, which the plan reused"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "progress: ok"
