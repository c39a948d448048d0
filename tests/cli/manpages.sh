#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The man pages: every command has one, every option its --help lists
# is documented in it, and groff and man render them without a warning.
#
#   tests/cli/manpages.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: manpages.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

command -v groff >/dev/null || { echo "groff is missing (.ci/setup installs it)" >&2; exit 1; }

pages=("$src"/man/*.1)
[ -f "$src/man/ccprov.1" ] || fail "no man/ccprov.1"
for page in "${pages[@]}"; do
	out=$(groff -ww -z -man "$page" 2>&1)
	[ -z "$out" ] || fail "groff -ww warns on ${page##*/}: $out"
	if command -v man >/dev/null; then
		out=$(LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$out" ] || fail "man --warnings warns on ${page##*/}: $out"
	fi
done

# commands from `ccprov help`, options from each command's --help
cmds=$("$ccprov" help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}')
[ -n "$cmds" ] || fail "ccprov help lists no command"
for cmd in $cmds; do
	case $cmd in help | version) continue ;; esac
	page=$src/man/ccprov-$cmd.1
	if [ ! -f "$page" ]; then
		fail "no man page for '$cmd' (man/ccprov-$cmd.1)"
		continue
	fi
	grep -qF "ccprov\\-$cmd (1)" "$src/man/ccprov.1" ||
		fail "ccprov.1 does not refer to ccprov-$cmd(1)"
	opts=$("$ccprov" "$cmd" --help | grep -oE '^  (-[a-z], )?--[a-z0-9-]+' |
		grep -oE -- '--[a-z0-9-]+')
	for o in $opts; do
		esc=$(printf '%s' "$o" | sed 's/-/\\-/g')
		grep -qF -- "$esc" "$page" ||
			fail "ccprov-$cmd.1 does not document $o"
	done
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "man pages: ${#pages[@]} pages clean"
