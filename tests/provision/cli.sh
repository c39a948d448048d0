#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov provision` from the command line: exit codes, what is written
# (or not), the summary formats, and the image builder's failure report.
#
#   tests/provision/cli.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: cli.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME WANT_EXIT ARGS...: stdout in $work/NAME.out, stderr in .err
run() {
	local name=$1 want=$2 got
	shift 2
	# A hang is a failure, not a stalled suite.
	timeout -k 5 60 "$ccprov" provision "$@" >"$work/$name.out" 2>"$work/$name.err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit $got, want $want"
		sed 's/^/    /' "$work/$name.err" >&2
	fi
}

project() { # NAME: a copy of the seed example, with the test image builder
	local dir=$work/$1
	cp -r "$src/examples/cc" "$dir"
	cp "$src/tests/fixtures/fake_build_image.sh" "$dir/"
	sed -i 's/build_image_cmd: build_cvm_image.sh/build_image_cmd: fake_build_image.sh/' \
		"$dir/project.yml"
	echo "$dir"
}

# usage errors
run usage1 2
run usage2 2 -p x.yml --jobs 0
run usage3 2 -p x.yml --format xml
run usage4 2 -p x.yml --bogus
run help 0 --help
grep -q -- '--image-timeout' "$work/help.out" || fail "help does not list --image-timeout"

# lint errors: exit 1, nothing written
p=$(project bad)
sed -i 's/compute_env: onprem_cvm/compute_env: onprem_vm/' "$p/cc_site-1.yml"
run lint 1 -p "$p/project.yml" -w "$work/ws-bad"
[ -e "$work/ws-bad" ] && fail "lint errors still created the workspace"
grep -q 'onprem_vm' "$work/lint.err" || fail "lint report not shown on stderr"

# a refused builder: exit 3 before anything is written
p=$(project docker)
sed -i 's#^  - path: nvflare.lighter.impl.signature.SignatureBuilder#&\n  - path: nvflare.lighter.impl.he.HEBuilder#' "$p/project.yml"
run refused 3 -p "$p/project.yml" -w "$work/ws-docker"
[ -e "$work/ws-docker" ] && fail "a refused builder still created the workspace"
grep -q 'HEBuilder' "$work/refused.err" || fail "the refused builder is not named"

# success: CVM bundles from the stand-in builder, JSON summary
p=$(project good)
run good 0 -p "$p/project.yml" -w "$work/ws" --format json --jobs 2
prod=$work/ws/example_project/prod_00
for site in server1 site-1; do
	[ "$(ls -A "$prod/$site")" = "$site.tgz" ] || fail "$site is not just $site.tgz"
	tar -tzf "$prod/$site/$site.tgz" >"$work/list" || fail "$site.tgz does not unpack"
	grep -q "cvm_$site/launch_vm.sh" "$work/list" ||
		fail "$site.tgz is not the CVM bundle"
done
[ -f "$prod/admin@nvidia.com/startup/fed_admin.json" ] || fail "admin kit missing"
grep -q '"status": "published"' "$work/good.out" || fail "json summary: no status"
grep -q "\"prod_dir\": \"$prod\"" "$work/good.out" || fail "json summary: no prod_dir"
grep -q '\[site-1\] building CVM image for site-1' "$work/good.err" ||
	fail "builder output is not streamed with a [site] prefix"
[ -f "$work/ws/example_project/logs/site-1.image.log" ] || fail "no image log"
[ -e "$work/ws/example_project/wip" ] && fail "wip/ left behind"

# again, text summary and --no-image: prod_01 with ccprov's own tgz
run again 0 -p "$p/project.yml" -w "$work/ws" --no-image --quiet
grep -q "published $work/ws/example_project/prod_01" "$work/again.out" ||
	fail "text summary does not name prod_01"
tar -tzf "$work/ws/example_project/prod_01/site-1/site-1.tgz" >"$work/list" || fail "tgz does not unpack"
grep -q '^site-1/startup/client.key$' "$work/list" ||
	fail "--no-image tgz does not hold the kit"
[ -s "$work/again.err" ] && fail "--quiet still printed: $(cat "$work/again.err")"

# a failing image builder: exit 3, the tail of its output, nothing published
state_before=$(cat "$work/ws/example_project/state/cert.json")
FAKE_BUILD_FAIL_SITE=site-1 run imgfail 3 -p "$p/project.yml" -w "$work/ws" --quiet
grep -q 'exit status 2' "$work/imgfail.err" || fail "failure reason missing"
grep -q '  | error: disk image creation failed for site-1' "$work/imgfail.err" ||
	fail "builder tail missing"
[ -e "$work/ws/example_project/prod_02" ] && fail "a failed run published prod_02"
[ -e "$work/ws/example_project/wip" ] && fail "a failed run left wip/"
[ "$(cat "$work/ws/example_project/state/cert.json")" = "$state_before" ] ||
	fail "a failed run changed the state"

# a timeout
FAKE_BUILD_SLEEP=30 run timeout 3 -p "$p/project.yml" -w "$work/ws" --quiet --image-timeout 1
grep -q 'did not finish in time' "$work/timeout.err" || fail "timeout not reported"
[ -e "$work/ws/example_project/prod_02" ] && fail "a timed-out run published prod_02"

# SIGTERM while an image builds (the log appears once it runs)
rm -rf "$work/ws/example_project/logs"
FAKE_BUILD_SLEEP=30 "$ccprov" provision -p "$p/project.yml" -w "$work/ws" --quiet \
	>"$work/term.out" 2>"$work/term.err" &
pid=$!
for _ in $(seq 100); do
	[ -s "$work/ws/example_project/logs/server1.image.log" ] && break
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
[ $? -eq 3 ] || fail "SIGTERM: exit status is not 3"
grep -q 'interrupted' "$work/term.err" || fail "SIGTERM: not reported"
[ -e "$work/ws/example_project/prod_02" ] && fail "SIGTERM: published prod_02"
[ -e "$work/ws/example_project/wip" ] && fail "SIGTERM: wip/ left behind"

# a bundle that is a FIFO, a link or truncated: refused at once, nothing published
FAKE_BUILD_BUNDLE=fifo run bfifo 3 -p "$p/project.yml" -w "$work/ws" --quiet
grep -q 'is not a regular file' "$work/bfifo.err" || fail "FIFO bundle: not reported"
FAKE_BUILD_BUNDLE=symlink run blink 3 -p "$p/project.yml" -w "$work/ws" --quiet
grep -q 'is a symbolic link' "$work/blink.err" || fail "symlinked bundle: not reported"
FAKE_BUILD_BUNDLE=truncated run bcut 3 -p "$p/project.yml" -w "$work/ws" --quiet
grep -q 'is truncated' "$work/bcut.err" || fail "truncated bundle: not reported"
[ -e "$work/ws/example_project/prod_02" ] && fail "a bad bundle was published"

run last 0 -p "$p/project.yml" -w "$work/ws" --quiet
[ -d "$work/ws/example_project/prod_02" ] || fail "the run after the failures did not publish prod_02"

# under umask 000 every archive holding a key is still 0600
p=$(project umask)
mask=$(umask)
umask 000
run umask 0 -p "$p/project.yml" -w "$work/ws-umask" --quiet
run umask2 0 -p "$p/project.yml" -w "$work/ws-umask" --quiet --no-image
umask "$mask"
for f in "$work"/ws-umask/example_project/prod_0[01]/{server1,site-1}/*.tgz; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "umask 000: $f is $(stat -c %a "$f")"
done
[ "$(find "$work/ws-umask/example_project" -name '*.tgz' | wc -l)" -eq 4 ] ||
	fail "umask 000: not four archives"

# state/cert.json as a FIFO: refused at once
p=$(project fifo)
mkdir -p "$work/ws-fifo/example_project/state"
mkfifo "$work/ws-fifo/example_project/state/cert.json"
run statefifo 3 -p "$p/project.yml" -w "$work/ws-fifo" --quiet --no-image
grep -q 'not a regular file' "$work/statefifo.err" || fail "FIFO state: not reported"

# a custom_ca_cert that is a private key: lint error, nothing written
p=$(project cakey)
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$p/ca.pem" 2>/dev/null
sed -i 's/^name: example_project$/&\ncustom_ca_cert: ca.pem/' "$p/project.yml"
run cakey 1 -p "$p/project.yml" -w "$work/ws-cakey"
grep -q "custom_ca_cert 'ca.pem' of the project is not a CA certificate file: it holds a private key" \
	"$work/cakey.err" || fail "a private key as custom_ca_cert is not reported"
[ -e "$work/ws-cakey" ] && fail "a private key as custom_ca_cert still created the workspace"

# SIGTERM during key generation (60 new keys): stops there, writes nothing
p=$(project many)
for i in $(seq 2 61); do
	printf '  - name: site-%d\n    type: client\n    org: nvidia\n' "$i"
done >"$work/more"
sed -i "/^  - name: admin@nvidia.com$/e cat $work/more" "$p/project.yml"
"$ccprov" provision -p "$p/project.yml" -w "$work/ws-many" --quiet --no-image \
	>"$work/keys.out" 2>"$work/keys.err" &
pid=$!
for _ in $(seq 300); do
	[ -e "$work/ws-many/example_project/.lock" ] && break
	sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
[ $? -eq 3 ] || fail "SIGTERM in key generation: exit status is not 3"
grep -q 'interrupted during key generation' "$work/keys.err" ||
	fail "SIGTERM did not stop key generation: $(cat "$work/keys.err")"
[ -e "$work/ws-many/example_project/state/cert.json" ] && fail "SIGTERM in key generation: state written"
[ -e "$work/ws-many/example_project/prod_00" ] && fail "SIGTERM in key generation: published"

# A participant named like the state file's root entries cannot be stored:
# provision says why and publishes nothing.
mkdir -p "$work/reserved"
cat >"$work/reserved/project.yml" <<'YML'
api_version: 3
name: demo
participants:
  - name: server1
    type: server
    org: nvidia
  - name: root_cert
    type: client
    org: nvidia
builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
    args:
      config_folder: config
  - path: nvflare.lighter.impl.cert.CertBuilder
  - path: nvflare.lighter.impl.signature.SignatureBuilder
YML
"$ccprov" provision -q -p "$work/reserved/project.yml" -w "$work/ws-reserved" \
	>"$work/reserved.out" 2>&1
[ $? -eq 3 ] || fail "reserved name: exit status is not 3"
grep -q "'root_cert' is a name the state file reserves" "$work/reserved.out" ||
	fail "reserved name: no reason given: $(cat "$work/reserved.out")"
[ -e "$work/ws-reserved/demo/prod_00" ] && fail "reserved name: published"

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "all provision CLI checks passed"
