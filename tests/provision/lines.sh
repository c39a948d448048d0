#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The NVFlare release line from the command line: --nvflare on provision,
# lint and verify; what the summary and the readme say; verify of both
# lines' kits (detected line, a kit for the other line, tampering); Azure
# and ACI sites through the packager; relays.
#
#   tests/provision/lines.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: lines.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
projects=$work/projects
cp -R "$src/tests/fixtures/kits/projects" "$projects"
chmod -R u+w "$projects"

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME WANT_EXIT SUBCOMMAND ARGS...: output in $work/NAME.out/.err
run() {
	local name=$1 want=$2 got
	shift 2
	"$ccprov" "$@" >"$work/$name.out" 2>"$work/$name.err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"
		sed 's/^/    /' "$work/$name.out" "$work/$name.err" >&2
	fi
}

# --nvflare takes a line or a release of one, everywhere
run bad-provision 2 provision -p x.yml --nvflare 3.0
grep -q -- '--nvflare takes 2.7|2.8' "$work/bad-provision.err" || fail "provision: no usage message"
run bad-lint 2 lint --nvflare=2 x.yml
run bad-verify 2 verify --nvflare 2.9 x
run help 0 provision --help
grep -q 'default 2.8' "$work/help.out" || fail "provision --help does not state the default line"
run lint-help 0 lint --help
grep -q -- '--nvflare' "$work/lint-help.out" || fail "lint --help does not list --nvflare"

# the line is named in the summary (text and JSON) and in every readme
run p27 0 provision -q -p "$projects/noncc/project.yml" -w "$work/ws27" --nvflare 2.7.2
grep -q 'for NVFlare 2.7' "$work/p27.out" || fail "text summary does not name the line"
run p28 0 provision -q -p "$projects/noncc/project.yml" -w "$work/ws28" --format json
grep -q '"nvflare": "2.8"' "$work/p28.out" || fail "JSON summary does not name the line"
# a run stopped by lint errors still names the line it was asked for
printf 'api_version: 3\nname: broken\nparticipants: []\n' >"$work/broken.yml"
run broken27 1 provision -q -p "$work/broken.yml" -w "$work/wsb" --nvflare 2.7 --format json
grep -q '"nvflare": "2.7"' "$work/broken27.out" || fail "JSON summary of a lint-stopped 2.7 run names another line"
k27=$work/ws27/plain_project/prod_00
k28=$work/ws28/plain_project/prod_00
grep -q 'NVFlare 2.7' "$k27/server1/readme.txt" || fail "2.7 readme does not name the line"
grep -q 'NVFlare 2.8' "$k28/site-1/readme.txt" || fail "2.8 readme does not name the line"
grep -q 'NVFlare 2.7' "$k27/admin@nvidia.com/startup/readme.txt" || fail "admin readme does not name the line"

# 2.7 signs startup/ and local/ of plain kits, 2.8 does not
[ -f "$k27/site-1/startup/signature.json" ] || fail "2.7 client startup/ unsigned"
[ -f "$k27/admin@nvidia.com/local/signature.json" ] || fail "2.7 admin local/ unsigned"
[ -e "$k28/site-1/startup/signature.json" ] && fail "2.8 plain client kit signed"

# verify: the line is read from the kit; the other line's kit is refused
root27=$k27/server1/startup/rootCA.pem
root28=$k28/server1/startup/rootCA.pem
run v27 0 verify --root-ca "$root27" "$k27/site-1"
grep -q 'verified for NVFlare 2.7' "$work/v27.out" || fail "2.7 kit not detected as 2.7"
run v28 0 verify --root-ca "$root28" "$k28/server1"
grep -q 'verified for NVFlare 2.8' "$work/v28.out" || fail "2.8 plain kit not verified as 2.8"
run v28as27 1 verify --root-ca "$root28" --nvflare 2.7 "$k28/site-1"
grep -q 'is a kit for NVFlare 2.8, not 2.7' "$work/v28as27.out" || fail "2.8 kit verified as 2.7"
grep -q 'startup/signature.json: error: is missing' "$work/v28as27.out" || fail "unsigned kit passes as 2.7"
run v27as28 1 verify --root-ca "$root27" --nvflare 2.8 "$k27/server1"
# tampering with a signed 2.7 plain kit
echo '{}' >"$k27/site-1/local/privacy.json.sample"
run v27tamper 1 verify --root-ca "$root27" "$k27/site-1"
grep -q 'privacy.json.sample' "$work/v27tamper.out" || fail "tampered file not named"

# lint knows the line
run studies27 1 lint --nvflare 2.7 "$projects/studies/project.yml"
grep -q 'CCP-P022' "$work/studies27.out" || fail "api_version 4 not refused for 2.7"
run studies28 0 lint "$projects/studies/project.yml"

# ACI through the packager: every CC site goes to build_image_cmd
cp "$src/tests/fixtures/fake_build_image.sh" "$projects/aci/"
printf 'packager:\n  path: nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager\n  args:\n    build_image_cmd: fake_build_image.sh\n' >>"$projects/aci/project.yml"
for line in 2.7 2.8; do
	run aci$line 0 provision -q -p "$projects/aci/project.yml" -w "$work/aci$line" --nvflare $line
	for site in server1 site-1; do
		f=$work/aci$line/aci_project/prod_00/$site/$site.tgz
		[ -f "$f" ] || { fail "aci $line: no $site.tgz"; continue; }
		# (listed first: grep -q closing the pipe early would fail tar under pipefail)
		tar -tzf "$f" >"$work/list" && grep -q "cvm_$site" "$work/list" ||
			fail "aci $line: $site.tgz is not the image builder's bundle"
	done
done
run aci-noimage 0 provision -q -p "$projects/aci/project.yml" -w "$work/aci-noimage" --no-image
tar -tzf "$work/aci-noimage/aci_project/prod_00/site-1/site-1.tgz" >"$work/list" &&
	grep -q 'site-1/local/aci_authorizer__p_resources.json' "$work/list" ||
	fail "aci --no-image: the signed kit is not in site-1.tgz"

# relays: kits for every relay, on both lines, and they verify
for line in 2.7 2.8; do
	run relay$line 0 provision -q -p "$projects/relay/project.yml" -w "$work/relay$line" --nvflare $line
	k=$work/relay$line/relay_project/prod_00
	[ -f "$k/relay-2/startup/fed_relay.json" ] || fail "relay $line: no fed_relay.json"
	run vrelay$line 0 verify --root-ca "$k/server1/startup/rootCA.pem" "$k/relay-1"
	grep -q "verified for NVFlare $line" "$work/vrelay$line.out" || fail "relay $line: line not detected"
done

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "lines: all checks passed"
