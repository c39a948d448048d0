#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov graph` golden cases (tests/graph/<case>/: `project` names the
# project file, expected.dot and expected.mmd the pictures), well-formed
# SVG, and the README's picture of the seed example kept current.
#
#   tests/cli/graph.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: graph.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

n=0
for dir in "$src"/tests/graph/*/; do
	case=$(basename "$dir")
	project=$src/$(cat "$dir/project")
	pdir=$(dirname "$project")
	if [ -f "$pdir/base" ]; then
		# a golden case holds only what differs from its base folder
		mkdir "$work/$case.in"
		cp -a "$src/$(cat "$pdir/base")/." "$pdir/." "$work/$case.in/"
		project=$work/$case.in/$(basename "$project")
	fi
	n=$((n + 1))
	for fmt in dot:dot mermaid:mmd; do
		"$ccprov" graph --format "${fmt%%:*}" "$project" >"$work/$case.${fmt#*:}" 2>"$work/$case.err" ||
			{ fail "$case: graph --format ${fmt%%:*} failed: $(cat "$work/$case.err")"; continue; }
		diff -u "$dir/expected.${fmt#*:}" "$work/$case.${fmt#*:}" >&2 ||
			fail "$case: ${fmt%%:*} differs from expected.${fmt#*:}"
	done
	"$ccprov" graph --format svg -o "$work/$case.svg" "$project" ||
		{ fail "$case: svg failed"; continue; }
	xmllint --noout "$work/$case.svg" || fail "$case: the SVG is not well-formed XML"
	grep -q '<svg' "$work/$case.svg" || fail "$case: not an SVG"
done
[ "$n" -ge 3 ] || fail "only $n golden cases"

# broken links are red and name the rule, in every format
grep -q 'broken: CCP-N002", color=red' "$work/broken-port.dot" || fail "broken port not red in DOT"
grep -q 'linkStyle 0 stroke:red' "$work/broken-port.mmd" || fail "broken port not red in Mermaid"
grep -q 'stroke="red"' "$work/broken-port.svg" || fail "broken port not red in SVG"
grep -q 'CCP&#45;N002\|CCP-N002' "$work/broken-port.svg" || fail "no rule id in SVG"
grep -q 'color=red' "$work/seed.dot" && fail "the clean seed example has a red link"

# the README shows the seed example's picture as ccprov draws it
awk '/^```mermaid$/ {on=1; next} /^```$/ {on=0} on' "$src/README.md" >"$work/readme.mmd"
diff -u "$work/readme.mmd" "$src/tests/graph/seed/expected.mmd" >&2 ||
	fail "README's picture differs from 'ccprov graph --format mermaid examples/cc/project.yml'"

# usage
"$ccprov" graph >/dev/null 2>&1; [ $? -eq 2 ] || fail "no project: not a usage error"
"$ccprov" graph --format png "$src/examples/cc/project.yml" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--format png: not a usage error"
"$ccprov" graph "$work/missing.yml" >/dev/null 2>&1; [ $? -eq 3 ] || fail "missing file: not exit 3"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "graph: $n golden cases"
