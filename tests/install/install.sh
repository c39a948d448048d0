#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` of a build: a stripped binary that carries no build
# path and explains rules without the source tree, man pages, the three
# completions, the license, the docs and the rule pages.
#
#   tests/install/install.sh BUILD_DIR SOURCE_DIR [SHIPPED]
#
# SHIPPED=no (a sanitizer build, whose instrumentation names every source
# file) skips the build-path check.
set -uo pipefail
build=${1:?usage: install.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: install.sh BUILD_DIR SOURCE_DIR}
shipped=${3:-yes}
build=$(cd "$build" && pwd)
src=$(cd "$src" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

cmake --install "$build" --prefix "$work/usr" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; exit 1; }
u=$work/usr
bin=$u/bin/ccprov
doc=$u/share/doc/ccprov
for f in bin/ccprov share/man/man1/ccprov.1 share/man/man1/ccprov-lint.1 \
	share/man/man1/ccprov-provision.1 share/bash-completion/completions/ccprov \
	share/zsh/vendor-completions/_ccprov share/fish/vendor_completions.d/ccprov.fish \
	share/doc/ccprov/LICENSE share/doc/ccprov/README.md \
	share/doc/ccprov/docs/provisioning.md share/doc/ccprov/rules/CCP-B001.md \
	share/doc/ccprov/examples/cc/project.yml; do
	[ -f "$u/$f" ] || fail "not installed: $f"
done
for page in "$src"/man/*.1; do
	[ -f "$u/share/man/man1/${page##*/}" ] || fail "man page ${page##*/} not installed"
done
[ -x "$doc/examples/cc/build_cvm_image.sh" ] || fail "the example's builder lost its x bit"

# stripped: no symbol table, no debug information
if readelf -S "$bin" | grep -E '\.symtab|\.debug_info' >/dev/null; then
	fail "the installed binary is not stripped"
fi
# no build path: neither the source tree nor the build tree is named
real_src=$(cd "$src" && pwd -P)
real_build=$(cd "$build" && pwd -P)
[ "$shipped" = yes ] || echo "install: a sanitizer build; build paths not checked"
[ "$shipped" = yes ] && for p in "$src" "$real_src" "$build" "$real_build"; do
	if strings -a "$bin" | grep -F -- "$p" >/dev/null; then
		fail "the binary names the build path '$p':"
		strings -a "$bin" | grep -F -- "$p" | head -3 >&2
	fi
done
# the rule pages are inside the binary: explain works from elsewhere
(cd "$work" && env -u CCPROV_SOURCE_DIR "$bin" explain CCP-B001) >"$work/page" ||
	fail "the installed binary cannot explain CCP-B001"
cmp -s "$work/page" "$src/rules/CCP-B001.md" || fail "explain does not print the page"
# the installed completion is what the binary generates
cmp -s "$u/share/bash-completion/completions/ccprov" <("$bin" completion bash) ||
	fail "the installed bash completion differs from 'ccprov completion bash'"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "install: ok"
