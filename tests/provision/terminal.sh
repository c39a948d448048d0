#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `ccprov provision` prints on stderr quotes paths the user gave:
# its progress and error lines show control characters as '?', as the
# lint report does, so a workspace name cannot recolour or retitle the
# terminal or forge a line.
#
#   tests/provision/terminal.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: terminal.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# ESC (a colour), BEL, C1 CSI (U+009B), a newline and U+202E (bidi)
evil=$'ws\e[31mred\a\xc2\x9bx\nfake\xe2\x80\xaeend'

# clean NAME: the file holds none of the controls in $evil
clean() {
	if LC_ALL=C grep -q $'\e\\|\a\\|\xc2\x9b\\|\xe2\x80\xae' "$1" ||
	   LC_ALL=C grep -q '^fake' "$1"; then
		fail "$2: control characters reached the terminal:"
		od -c "$1" | sed 's/^/    /' >&2
	fi
}

cp -r "$src/examples/cc" "$work/p"

# progress lines name the workspace
"$ccprov" provision "$work/p/project.yml" -w "$work/$evil" --no-image \
	--progress plain >/dev/null 2>"$work/progress.err"
grep -q 'checking identities in' "$work/progress.err" ||
	fail "no progress line: $(cat "$work/progress.err")"
grep -q 'ws?\[31mred??x?fake?end' "$work/progress.err" ||
	fail "the workspace is not shown with '?' for its controls: $(cat "$work/progress.err")"
clean "$work/progress.err" progress

# an error quoting the workspace: a file where its folder must be
: > "$work/file$evil"
"$ccprov" provision "$work/p/project.yml" -w "$work/file$evil" --no-image \
	--progress none >/dev/null 2>"$work/error.err"
[ -s "$work/error.err" ] || fail "no error for a workspace that is a file"
clean "$work/error.err" error

# the summary on stdout names the workspace's kits
"$ccprov" provision "$work/p/project.yml" -w "$work/out$evil" --no-image \
	--progress none >"$work/summary.out" 2>/dev/null
grep -q '^published ' "$work/summary.out" ||
	fail "no summary: $(cat "$work/summary.out")"
clean "$work/summary.out" summary

# the image builder's lines are echoed with its site's name
cp -r "$src/examples/cc" "$work/b"
printf '#!/bin/sh\nprintf '"'"'\\033]0;title\\007\\033[31mred\\n'"'"'\nexec "$(dirname "$0")/real_builder.sh" "$@"\n' \
	>"$work/b/noisy.sh"
cp "$src/examples/cc/build_cvm_image.sh" "$work/b/real_builder.sh"
chmod +x "$work/b/noisy.sh" "$work/b/real_builder.sh"
sed -i 's/build_image_cmd: build_cvm_image.sh/build_image_cmd: noisy.sh/' "$work/b/project.yml"
"$ccprov" provision "$work/b/project.yml" -w "$work/bws" --progress none \
	>/dev/null 2>"$work/builder.err"
grep -q '^\[site-1\] ?\]0;title?' "$work/builder.err" ||
	fail "the builder's line is not echoed with '?' for its controls: $(cat "$work/builder.err")"
LC_ALL=C grep -q $'\e\\|\a' "$work/builder.err" &&
	fail "the builder's controls reached the terminal: $(od -c "$work/builder.err" | head)"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "terminal: ok"
