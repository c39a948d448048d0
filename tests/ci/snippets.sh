#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's GitHub Actions and GitLab CI snippets, their commands run
# as written in a scratch repository with two projects (one broken, one
# with a suppressed finding). The SARIF report is validated with Debian's
# python3-jsonschema against tests/ci/sarif-2.1.0-subset.schema.json.
#
#   tests/ci/snippets.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: snippets.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/ci/snippet.sh"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
check() { # NAME CONDITION-EXIT
	checks=$((checks + 1))
	[ "$2" -eq 0 ] || fail "$1"
}

if ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
	echo "FAIL: python3-jsonschema and python3-yaml are needed (.ci/setup)" >&2
	exit 1
fi
mkdir -p "$work/bin"
ln -s "$(cd "$(dirname "$ccprov")" && pwd)/$(basename "$ccprov")" "$work/bin/ccprov"
export PATH="$work/bin:$PATH"

repo="$work/repo"
mkdir -p "$repo/.git" "$repo/east" "$repo/west"
cp -p "$src"/examples/cc/* "$repo/east/"
cp -p "$src"/examples/cc/* "$repo/west/"
sed -i 's/^role: client/role: server/' "$repo/west/cc_site-1.yml"
sed -i 's/^role: client/role: server  # ccprov: disable=CCP-C001 -- lab image built by hand/' \
	"$repo/east/cc_site-1.yml"
# a file-level finding: a referenced cc_config that is missing
sed -i 's/cc_config: cc_server1.yml/cc_config: cc_gone.yml/' "$repo/west/project.yml"

# commands NAME KEY: the snippet's commands (GitHub `run:` steps or
# GitLab `script:` lines), one per line
commands() {
	snippet "$src/README.md" "$1" | "$py" -c '
import sys, yaml
doc = yaml.safe_load(sys.stdin)
for job in (doc.get("jobs") or {}).values():
    for step in job.get("steps", []):
        if "run" in step:
            print(step["run"])
for name, job in doc.items():
    if isinstance(job, dict) and "script" in job:
        for line in job["script"]:
            print(line)
'
}

# GitHub Actions: annotations, then the SARIF report
commands github-actions >"$work/gh.cmds"
check "github-actions: two run steps in the README" "$([ "$(wc -l <"$work/gh.cmds")" -eq 2 ]; echo $?)"
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	(cd "$repo" && GITHUB_ACTIONS=true bash -c "$cmd") >"$work/gh$n.out" 2>"$work/gh$n.err"
	echo $? >"$work/gh$n.rc"
done <"$work/gh.cmds"
check "gh1: exit 1 on the broken project" "$([ "$(cat "$work/gh1.rc")" = 1 ]; echo $?)"
grep -q '^::error file=west/cc_site-1.yml,line=3,col=7,endLine=3,endColumn=13,title=CCP-C001::' "$work/gh1.out"
check "gh1: no annotation for CCP-C001 at west/cc_site-1.yml:3:7" $?
! grep -q 'east/cc_site-1.yml' "$work/gh1.out"
check "gh1: the suppressed finding was annotated" $?
check "gh2: --fail-on never exits 0" "$([ "$(cat "$work/gh2.rc")" = 0 ]; echo $?)"
sarif="$repo/ccprov.sarif"
"$py" - "$src/tests/ci/sarif-2.1.0-subset.schema.json" "$sarif" >"$work/sarif.check" 2>&1 <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
Draft202012Validator.check_schema(schema)
errors = list(Draft202012Validator(schema).iter_errors(log))
for e in errors:
    print("schema:", "/".join(map(str, e.absolute_path)), e.message)
runs = log["runs"]
ids = [r.get("automationDetails", {}).get("id") for r in runs]
assert ids == ["ccprov/east/project.yml/", "ccprov/west/project.yml/"], ids
for run in runs:
    assert run["columnKind"] == "unicodeCodePoints"
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    for res in run["results"]:
        loc = res["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/"), loc
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startLine"] >= 1
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["markdown"].startswith("# " + rule["id"]), rule["id"]
        assert rule["fullDescription"]["text"], rule["id"]
east = runs[0]["results"]
sup = [r for r in east if r["ruleId"] == "CCP-C001"]
assert sup and sup[0]["suppressions"] == [
    {"kind": "inSource", "justification": "lab image built by hand"}], sup
west = runs[1]["results"]
gone = [r for r in west if r["ruleId"] == "CCP-Y009"]
assert gone and "startColumn" not in gone[0]["locations"][0]["physicalLocation"]["region"], gone
sys.exit(1 if errors else 0)
PY
check "sarif: $(tr '\n' ' ' <"$work/sarif.check")" $?

# the subset schema can fail: a region without a line is refused
"$py" - "$src/tests/ci/sarif-2.1.0-subset.schema.json" "$sarif" >/dev/null 2>&1 <<'PY'
import json, sys
from jsonschema import Draft202012Validator
log = json.load(open(sys.argv[2]))
res = [r for r in log["runs"][1]["results"]][0]
res["locations"][0]["physicalLocation"]["region"] = {"startColumn": 0}
sys.exit(0 if list(Draft202012Validator(json.load(open(sys.argv[1]))).iter_errors(log)) else 1)
PY
check "sarif: the schema accepted a broken region" $?

# GitLab CI: a Code Quality report
commands gitlab-ci >"$work/gl.cmds"
check "gitlab-ci: one script line in the README" "$([ "$(wc -l <"$work/gl.cmds")" -eq 1 ]; echo $?)"
(cd "$repo" && bash -c "$(cat "$work/gl.cmds")") >"$work/gl.out" 2>&1
check "gitlab: exit 1 on the broken project" "$([ $? -eq 1 ]; echo $?)"
"$py" - "$repo/gl-code-quality-report.json" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))
names = {(i["check_name"], i["location"]["path"]) for i in items}
assert ("CCP-C001", "west/cc_site-1.yml") in names, names
assert ("CCP-C001", "east/cc_site-1.yml") not in names, names
assert len({i["fingerprint"] for i in items}) == len(items)
PY
check "gitlab: report content" $?

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
