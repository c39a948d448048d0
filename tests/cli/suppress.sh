#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Inline suppressions read from what the lint run loaded: a marker in a
# file still suppresses, a cc_config shared by two projects is suppressed
# in both runs, and an editor's buffer on stdin counts instead of the
# file on disk (its marker, or its lack of one).
#
#   tests/cli/suppress.sh CCPROV
. "$(dirname "$0")/common.bash" suppress.sh "$@"

# run NAME WANT_EXIT ARGS... (in $repo, stdin from $stdin); output in $work/NAME.out
stdin=/dev/null
run() {
	local name=$1 want=$2 got
	shift 2
	checks=$((checks + 1))
	(cd "$repo" && "$ccprov" "$@") >"$work/$name.out" 2>"$work/$name.err" <"$stdin"
	got=$?
	[ "$got" -eq "$want" ] || fail "$name: exit $got, want $want ($(head -c 300 "$work/$name.err"))"
}
# count NAME PATTERN WANT: lines of NAME's output matching PATTERN
count() {
	local got
	checks=$((checks + 1))
	got=$(grep -cE -- "$2" "$work/$1.out")
	[ "$got" -eq "$3" ] || fail "$1: $got lines match '$2', want $3"
}

repo=$work/repo
mkdir -p "$repo/.git" "$repo/p" "$repo/q"
cp -p "$src"/examples/cc/* "$repo/p/"
wrong='s/^role: client.*/role: server/'
marked='s/^role: client.*/role: server  # ccprov: disable=CCP-C001 -- lab image/'
sed "$marked" "$src/examples/cc/cc_site-1.yml" >"$repo/p/cc_site-1.yml"

# a marker in a file the run loaded suppresses the finding at it
run marked 0 lint --format json p/project.yml
count marked '"suppressed": true' 1
count marked '"justification": "lab image"' 1
count marked 'CCP-G00[234]' 0

# a second project reads the same cc_config: suppressed in both runs,
# and the suppression is used in each
sed 's#cc_config: cc_#cc_config: ../p/cc_#' "$repo/p/project.yml" >"$repo/q/project.yml"
cp -p "$repo/p/build_cvm_image.sh" "$repo/p/"*.tar.gz "$repo/q/"
run shared 0 lint --format json p/project.yml q/project.yml
count shared '"rule": "CCP-C001"' 2
count shared '"suppressed": true' 2
count shared '"file": "p/cc_site-1.yml"' 2
count shared 'CCP-G00[234]' 0

# one project named twice, or through a link, is linted once
ln -s p "$repo/plink"
run twice 0 lint --format json p/project.yml ./p//project.yml plink/project.yml
count twice '"rule": "CCP-C001"' 1
count twice '"suppressed": true' 1
run alone 0 lint --format json plink/project.yml
count alone '"suppressed": true' 1

# stdin: the buffer's marker counts, though the file on disk has none
sed "$wrong" "$src/examples/cc/cc_site-1.yml" >"$repo/p/cc_site-1.yml"
sed "$marked" "$src/examples/cc/cc_site-1.yml" >"$work/marked.yml"
stdin=$work/marked.yml
run stdin-marked 0 lint --format json --stdin-filename p/cc_site-1.yml -
count stdin-marked '"suppressed": true' 1
count stdin-marked 'CCP-G00[234]' 0

# stdin: the buffer without the marker is not suppressed by the file's
sed "$marked" "$src/examples/cc/cc_site-1.yml" >"$repo/p/cc_site-1.yml"
sed "$wrong" "$src/examples/cc/cc_site-1.yml" >"$work/wrong.yml"
stdin=$work/wrong.yml
run stdin-wrong 1 lint --format json --stdin-filename p/cc_site-1.yml -
count stdin-wrong '"rule": "CCP-C001"' 1
count stdin-wrong '"suppressed": true' 0
count stdin-wrong 'CCP-G003' 0

# the buffer and the other project sharing its cc_config
stdin=$work/marked.yml
sed "$wrong" "$src/examples/cc/cc_site-1.yml" >"$repo/p/cc_site-1.yml"
run stdin-shared 0 lint --format json --stdin-filename p/cc_site-1.yml - q/project.yml
count stdin-shared '"suppressed": true' 2

finish
