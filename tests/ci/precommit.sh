#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Debian's real pre-commit, offline, against a temporary repository that
# holds two projects and uses this repository's .pre-commit-hooks.yaml
# through the README's .pre-commit-config.yaml: a cc_config-only change
# that breaks a project blocks the commit; clean changes go through.
#
#   tests/ci/precommit.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: precommit.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/ci/snippet.sh"
precommit=/usr/bin/pre-commit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

if [ ! -x "$precommit" ] || ! command -v git >/dev/null; then
	echo "FAIL: Debian's pre-commit and git are needed (.ci/setup installs them)" >&2
	exit 1
fi

# nothing from the user's or the machine's git and pre-commit setup
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export PRE_COMMIT_HOME="$work/cache" PRE_COMMIT_COLOR=never
mkdir -p "$work/bin"
ln -s "$(cd "$(dirname "$ccprov")" && pwd)/$(basename "$ccprov")" "$work/bin/ccprov"
export PATH="$work/bin:$PATH"

# the hook repository: this repository's hook definitions, committed
hooks="$work/hooks"
git init -q "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

# the team's repository: two projects, the README's configuration
repo="$work/repo"
git init -q "$repo"
for p in fl-east fl-west; do
	mkdir -p "$repo/$p"
	cp -p "$src"/examples/cc/* "$repo/$p/"
done
snippet "$src/README.md" pre-commit-config |
	sed -e "s|^\( *- repo:\).*|\1 file://$hooks|" -e "s|^\( *rev:\).*|\1 $rev|" \
	>"$repo/.pre-commit-config.yaml"
checks=$((checks + 1))
grep -q 'id: ccprov-lint' "$repo/.pre-commit-config.yaml" ||
	fail "README has no pre-commit snippet using ccprov-lint"
cd "$repo" || exit 1
"$precommit" install >/dev/null || fail "pre-commit install"

# commit NAME WANT(0 pass, 1 blocked): commit what is staged
commit() {
	local name=$1 want=$2 got
	checks=$((checks + 1))
	git commit -qm "$name" >"$work/$name.out" 2>&1
	got=$?
	if [ "$want" -eq 0 ] && [ "$got" -ne 0 ]; then
		fail "$name: commit blocked"; cat "$work/$name.out" >&2
	elif [ "$want" -ne 0 ] && [ "$got" -eq 0 ]; then
		fail "$name: commit went through"; cat "$work/$name.out" >&2
	fi
}

# two projects in one repository, every file passed at once
git add -A
commit two-projects 0

# only a cc_config changes, and it breaks the project that uses it
sed -i 's/^role: client/role: server/' fl-west/cc_site-1.yml
git add fl-west/cc_site-1.yml
commit cc-only-break 1
checks=$((checks + 1))
grep -q 'fl-west/cc_site-1.yml:3:7: error: .*\[CCP-C001\]' "$work/cc-only-break.out" ||
	fail "cc-only-break: no CCP-C001 at fl-west/cc_site-1.yml:3:7"
git reset -q --hard

# an included fragment changes: the project behind it is linted
sed -i 's/^role: client/include: cc_role.yml/' fl-east/cc_site-1.yml
echo 'role: client' >fl-east/cc_role.yml
git add fl-east
commit include-clean 0
echo 'role: server' >fl-east/cc_role.yml
git add fl-east/cc_role.yml
commit include-break 1
git reset -q --hard

# a clean change to one project
sed -i 's/^root_drive_size: 10/root_drive_size: 12/' fl-east/cc_server1.yml
git add fl-east/cc_server1.yml
commit clean-change 0

# a warning passes by default and fails under fail-on: warning
sed -i '0,/type: client/s//type: clinet/' fl-west/project.yml
git add fl-west/project.yml
commit warning-default 0
printf 'fail-on: warning\n' >.ccprov.yml
sed -i '0,/type: clinet/s//type: client/' fl-west/project.yml
sed -i '0,/type: client/s//type: clinet/' fl-east/project.yml
git add -A
commit warning-config 1
checks=$((checks + 1))
grep -q 'CCP-S011' "$work/warning-config.out" || fail "warning-config: no CCP-S011"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
