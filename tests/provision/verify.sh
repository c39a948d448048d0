#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov verify` on real kits: exit codes, the trust anchor, the report
# formats, archives and prod folders, and the tampering that signatures
# alone do not catch (NVFlare's signature.json binds content, not names
# or structure): attestation taken out, signed files swapped with their
# entries, another kit's file with its signature, a folder replaced by
# a file holding its name.
#
#   tests/provision/verify.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: verify.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME WANT_EXIT ARGS...: output in $work/NAME.out/.err
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

# a fresh copy of the mock project's kits (CC server and client, admin)
cp -R "$src/tests/fixtures/kits/projects/mock" "$work/mock"
chmod -R u+w "$work/mock"
"$ccprov" provision -q -p "$work/mock/project.yml" -w "$work/ws" >/dev/null ||
	fail "provisioning the mock project failed"
prod=$work/ws/mock_project/prod_00
root=$work/root.pem
cp "$prod/server1/startup/rootCA.pem" "$root"
fresh() { # NAME: a private copy of the kits
	rm -rf "$work/$1"
	cp -Rp "$prod" "$work/$1"
	echo "$work/$1"
}

# usage
run help 0 verify --help
run none 2 verify
run two 2 verify a b
run bogus 2 verify --bogus x
run both 2 verify --root-ca "$root" --trust-kit-root x
run missing 1 verify --root-ca "$root" "$work/nothing"

# the trust anchor
run clean 0 verify --root-ca "$root" "$prod/site-1"
grep -q 'verified for NVFlare 2.8' "$work/clean.out" || fail "clean kit: no verdict"
run own 4 verify "$prod/site-1"
grep -q 'CCP-V009' "$work/own.out" || fail "own root: no CCP-V009"
run trusted 0 verify --trust-kit-root "$prod/site-1"
"$ccprov" provision -q -p "$work/mock/project.yml" -w "$work/other" >/dev/null
run other 1 verify --root-ca "$work/other/mock_project/prod_00/server1/startup/rootCA.pem" "$prod/site-1"
grep -q 'does not chain to the root CA' "$work/other.out" || fail "foreign root: chain not refused"
grep -q 'is not the trusted root CA' "$work/other.out" || fail "foreign root: kit root not refused"

# a whole prod folder, and every format
run prod 0 verify --root-ca "$root" "$prod"
grep -q '(3 kits)' "$work/prod.out" || fail "prod folder: not every kit checked"
for f in json sarif junit github gitlab; do
	run fmt-$f 1 verify --root-ca "$root" --format=$f "$work/nothing"
done
k=$(fresh fmt)
echo x >>"$k/site-1/readme.txt"
run json 1 verify --root-ca "$root" --format json "$k/site-1"
grep -q '"rule": "CCP-V001"' "$work/json.out" || fail "json: no CCP-V001 diagnostic"
run sarif 1 verify --root-ca "$root" --format sarif "$k/site-1"
grep -q '"ruleId": "CCP-V001"' "$work/sarif.out" || fail "sarif: no CCP-V001 result"

# a packed kit: the .tgz provision writes for a CC site
cp "$src/tests/fixtures/fake_build_image.sh" "$work/mock/"
printf 'packager:\n  path: nvflare.lighter.cc_provision.impl.onprem_packager.OnPremPackager\n  args:\n    build_image_cmd: fake_build_image.sh\n' >>"$work/mock/project.yml"
"$ccprov" provision -q -p "$work/mock/project.yml" -w "$work/packed" >/dev/null ||
	fail "provisioning the packed mock project failed"
tgz=$work/packed/mock_project/prod_00/site-1/site-1.tgz
run tgz 0 verify --root-ca "$work/packed/mock_project/prod_00/admin@nvidia.com/startup/rootCA.pem" "$tgz"
run packed-prod 0 verify --root-ca "$work/packed/mock_project/prod_00/admin@nvidia.com/startup/rootCA.pem" "$work/packed/mock_project/prod_00"
grep -q '(3 kits)' "$work/packed-prod.out" || fail "packed prod folder: not every kit checked"

# attestation taken out: the CC manager and the authorizer deleted
# together with their signature entries; every signature still verifies
k=$(fresh nocc)
rm "$k/site-1/local/cc_manager__p_resources.json" "$k/site-1/local/mock_authorizer__p_resources.json"
sed -i '/cc_manager__p_resources.json/d; /mock_authorizer__p_resources.json/d' "$k/site-1/local/signature.json"
run nocc 1 verify --root-ca "$root" "$k/site-1"
grep -q 'CCP-V002' "$work/nocc.out" || fail "CC manager deleted: not reported"

# two signed files swapped together with their entries
k=$(fresh swap)
(cd "$k/site-1/startup" && mv start.sh x && mv stop_fl.sh start.sh && mv x stop_fl.sh &&
	sed -i 's/"start.sh"/"TMP"/; s/"stop_fl.sh"/"start.sh"/; s/"TMP"/"stop_fl.sh"/' signature.json)
(cd "$k/site-1/local" && mv authorization.json.default x && mv resources.json.default authorization.json.default &&
	mv x resources.json.default &&
	sed -i 's/"authorization.json.default"/"TMP"/; s/"resources.json.default"/"authorization.json.default"/; s/"TMP"/"resources.json.default"/' signature.json)
run swap 1 verify --root-ca "$root" "$k/site-1"
grep -q "authorization.json.default: error: has no 'permissions'" "$work/swap.out" ||
	fail "swapped policy files: not reported"

# another kit's file with its signature: site-1 gets server1's
# certificate and key, their signature entries moved along
k=$(fresh foreign)
for f in crt key; do
	cp "$k/server1/startup/server.$f" "$k/site-1/startup/client.$f"
	sig=$(sed -n "s/.*\"server.$f\": \"\([^\"]*\)\".*/\1/p" "$k/server1/startup/signature.json")
	[ -n "$sig" ] || fail "no signature entry for server.$f"
	sed -i "s#\"client.$f\": \"[^\"]*\"#\"client.$f\": \"$sig\"#" "$k/site-1/startup/signature.json"
done
run foreign 1 verify --root-ca "$root" "$k/site-1"
grep -q "is the certificate of 'server1', not of 'site-1'" "$work/foreign.out" ||
	fail "another kit's certificate: not reported"
grep -q 'CCP-V001' "$work/foreign.out" && fail "the moved signatures should verify; only the content gives it away"

# local/ replaced by a file holding the bytes of its name
k=$(fresh folder)
rm -rf "$k/site-1/local"
printf local >"$k/site-1/local"
run folder 1 verify --root-ca "$root" "$k/site-1"
grep -q 'local: error: is a file, not a folder' "$work/folder.out" || fail "local/ as a file: not reported"

# every problem in one run
k=$(fresh many)
echo x >>"$k/site-1/readme.txt"
chmod 0644 "$k/site-1/startup/client.key"
echo x >"$k/site-1/startup/extra"
run many 1 verify --root-ca "$root" "$k/site-1"
for r in CCP-V001 CCP-V003 CCP-V007; do
	grep -q "$r" "$work/many.out" || fail "one run: $r missing"
done

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)" >&2
	exit 1
fi
echo "verify: all checks passed"
