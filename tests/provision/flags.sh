#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Participant flags NVFlare reads with get_prop_fb: a false participant
# value counts as unset, so the project's value, else the default, is what
# the kit carries (NVFlare 2.8's allow_log_streaming defaults to true).
#
#   tests/provision/flags.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: flags.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

cp -R "$src/tests/fixtures/kits/projects/noncc" "$work/p"
chmod -R u+w "$work/p"
# site-1 says false, site-2 says nothing; the project says nothing
sed -i '0,/type: client/s//type: client\n    allow_log_streaming: false/' "$work/p/project.yml"
grep -q 'allow_log_streaming: false' "$work/p/project.yml" || fail "fixture not edited"

# streams: WORKSPACE SITE WANT(true|false)
streams() {
	local f
	f=$(find "$1" -path "*/prod_00/$2/local/resources.json.default" | head -1)
	[ -n "$f" ] || { fail "$1: no resources of $2"; return; }
	grep -Eq "\"allow_log_streaming\": *$3" "$f" || fail "$1: $2 streams logs: not $3"
}

"$ccprov" provision -q -p "$work/p/project.yml" -w "$work/w1" >"$work/out1" 2>&1 ||
	fail "provision 1 failed: $(cat "$work/out1")"
grep -q 'CCP-S013' "$work/out1" || fail "no CCP-S013 warning about the ignored false"
site=$(grep -m1 -B2 'allow_log_streaming: false' "$work/p/project.yml" | sed -n 's/.*name: //p')
streams "$work/w1" "$site" true

# with the project-level fallback false, the participant's false holds
sed -i '0,/^participants:/s//allow_log_streaming: false\nparticipants:/' "$work/p/project.yml"
"$ccprov" provision -q -p "$work/p/project.yml" -w "$work/w2" >"$work/out2" 2>&1 ||
	fail "provision 2 failed: $(cat "$work/out2")"
grep -q 'CCP-S013' "$work/out2" && fail "CCP-S013 with the project's fallback set"
streams "$work/w2" "$site" false

[ "$failures" -eq 0 ] && echo "ok: flags" || exit 1
