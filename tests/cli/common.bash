# SPDX-License-Identifier: Apache-2.0
# What the counting command-line tests share (sourced, not a test):
#
#   . "$(dirname "$0")/common.bash" NAME.sh "$@"
#
# sets ccprov (made absolute: the tests change folders), src (the source
# tree), work (a scratch folder removed at exit), the counters, fail and
# check; a test ends with `finish`.
set -uo pipefail
ccprov=${2:?usage: $1 CCPROV}
ccprov=$(cd "$(dirname "$ccprov")" && pwd)/$(basename "$ccprov")
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

check() { # NAME CONDITION...
	local name=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$name"
}

# the summary line, and the script's status
finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
