#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How `ccprov explain` reads rule ids: any case, without the prefix, with
# fewer digits; a near miss gets the nearest id.
#
#   tests/cli/explain.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: explain.sh CCPROV}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# shows ARG ID: `explain ARG` prints the page of ID
shows() {
	"$ccprov" explain "$1" >"$work/out" 2>"$work/err" || fail "explain '$1': exit $?"
	head -1 "$work/out" | grep -q "^# $2:" || fail "explain '$1' does not show $2"
}

# suggests ARG ID: `explain ARG` fails (exit 2) and suggests ID
suggests() {
	"$ccprov" explain "$1" >"$work/out" 2>"$work/err"
	[ $? -eq 2 ] || fail "explain '$1' did not fail with 2"
	grep -q "did you mean '$2'" "$work/err" || fail "explain '$1' does not suggest $2: $(cat "$work/err")"
}

shows CCP-C009 CCP-C009
shows ccp-c009 CCP-C009
shows C009 CCP-C009
shows c9 CCP-C009
shows CCPC009 CCP-C009
suggests CPP-C009 CCP-C009
suggests C0099 CCP-C009
suggests c-009 CCP-C009

"$ccprov" explain X999 >/dev/null 2>"$work/err"
[ $? -eq 2 ] || fail "unknown id accepted"
grep -q "did you mean" "$work/err" && fail "a far id got a suggestion"

[ "$failures" -eq 0 ] && echo "ok: explain lookups" || exit 1
