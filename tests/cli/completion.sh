#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The completion scripts `ccprov completion` generates: bash registers
# itself and completes subcommands, options and their values; zsh and
# fish parse (when those shells are installed).
#
#   tests/cli/completion.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: completion.sh CCPROV}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

for sh in bash zsh fish; do
	"$ccprov" completion "$sh" >"$work/ccprov.$sh" || fail "completion $sh failed"
	[ -s "$work/ccprov.$sh" ] || fail "completion $sh is empty"
done
"$ccprov" completion tcsh >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown shell is not a usage error"

# complete WORDS...: what _ccprov offers for the last word
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_ccprov; printf "%s\n" "${COMPREPLY[@]}"' _ "$work/ccprov.bash" "$@"
}

got=$(bash -c 'source "$1"; complete -p ccprov' _ "$work/ccprov.bash")
[[ $got == *"-F _ccprov"*ccprov ]] || fail "complete -p ccprov: '$got'"
[ "$(complete_words ccprov pro)" = provision ] || fail "'pro' does not complete to provision"
grep -qx lint <<<"$(complete_words ccprov "")" || fail "no subcommand list"
[ "$(complete_words ccprov lint --format sa)" = sarif ] ||
	fail "lint --format sa does not complete to sarif"
[ "$(complete_words ccprov rules --format m)" = markdown ] ||
	fail "rules --format m does not complete to markdown"
grep -qx 2.7 <<<"$(complete_words ccprov provision --nvflare "")" ||
	fail "provision --nvflare does not offer 2.7"
grep -qx -- --no-image <<<"$(complete_words ccprov provision --no)" ||
	fail "provision --no does not offer --no-image"
grep -qx CCP-B001 <<<"$(complete_words ccprov explain CCP-B00)" ||
	fail "explain does not complete rule ids"
# every option --help lists is offered
for cmd in lint provision verify rules; do
	offered=$(complete_words ccprov "$cmd" --)
	for o in $("$ccprov" "$cmd" --help | grep -oE '^  (-[a-z], )?--[a-z0-9-]+' |
		grep -oE -- '--[a-z0-9-]+'); do
		grep -qx -- "$o" <<<"$offered" ||
			fail "$cmd: $o is not completed"
	done
done

if command -v zsh >/dev/null; then
	zsh -n "$work/ccprov.zsh" || fail "zsh cannot parse its completion"
fi
if command -v fish >/dev/null; then
	fish -n "$work/ccprov.fish" || fail "fish cannot parse its completion"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "completion: ok"
