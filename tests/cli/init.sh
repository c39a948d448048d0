#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov init`: every shape it offers lints with no finding and
# provisions with --no-image as written, on both release lines; it never
# overwrites a file.
#
#   tests/cli/init.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: init.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

n=0
# shape NAME INIT_ARGS...: init, lint (no finding at all), provision
shape() {
	local name=$1 dir=$work/$1 line=2.8
	shift
	n=$((n + 1))
	case " $* " in *" --nvflare 2.7 "*) line=2.7 ;; esac
	"$ccprov" init "$dir" "$@" >"$work/$name.init" 2>&1 ||
		{ fail "$name: init failed: $(cat "$work/$name.init")"; return; }
	"$ccprov" lint --nvflare "$line" "$dir/project.yml" >"$work/$name.lint" 2>&1
	if [ $? -ne 0 ] || ! grep -q '^no findings in' "$work/$name.lint"; then
		fail "$name: lint is not clean:"
		sed 's/^/    /' "$work/$name.lint" >&2
		return
	fi
	"$ccprov" provision "$dir/project.yml" -w "$work/ws-$name" --no-image -q \
		--nvflare "$line" >"$work/$name.prov" 2>&1 ||
		{ fail "$name: provision failed:"; sed 's/^/    /' "$work/$name.prov" >&2; return; }
	[ -d "$work/ws-$name/cc_project/prod_00/site-1/startup" ] || return
	"$ccprov" verify --nvflare "$line" \
		--root-ca "$work/ws-$name/cc_project/prod_00/site-1/startup/rootCA.pem" \
		"$work/ws-$name/cc_project/prod_00/site-1" \
		>"$work/$name.verify" 2>&1 || fail "$name: the kit of site-1 does not verify"
}

archive=$src/examples/cc/nvflare-site.tar.gz
for env in onprem_cvm azure_cvm; do
	for mech in amd_sev_snp intel_tdx; do
		for gpu in "" --gpu; do
			extra=()
			[ "$env" = onprem_cvm ] && extra=(--docker-archive "$archive")
			shape "$env-$mech${gpu:+-gpu}" --compute-env "$env" --mechanism "$mech" \
				$gpu "${extra[@]}"
		done
	done
done
for env in azure_confidential_container mock; do
	shape "$env" --compute-env "$env"
	shape "$env-gpu" --compute-env "$env" --gpu
done
shape clients3 --clients 3 --docker-archive "$archive" --nvflare 2.7
shape mock27 --compute-env mock --nvflare 2.7 --clients 2
# the packager with an image builder
cp "$src/tests/fixtures/fake_build_image.sh" "$work/builder.sh"
shape packager --docker-archive "$archive" --build-image-cmd "$work/builder.sh"
grep -q 'OnPremPackager' "$work/packager/project.yml" || fail "no packager written"
[ -f "$work/ws-packager/cc_project/prod_00/site-1/site-1.tgz" ] ||
	fail "packager: site-1 was not packed"
[ -f "$work/clients3/cc_site-3.yml" ] || fail "--clients 3: no cc_site-3.yml"

# every key is explained: a comment line before each top-level key
for f in "$work/onprem_cvm-amd_sev_snp-gpu"/*.yml; do
	awk '/^[a-z_]+:/ && prev !~ /^#/ && $0 !~ / # / { print FILENAME": "$0; bad=1 }
		{ prev = $0 } END { exit bad }' "$f" || fail "${f##*/}: a top-level key without a comment"
done

# never overwrites: a second init fails and leaves the files as they were
before=$(md5sum "$work/mock/"*.yml)
"$ccprov" init "$work/mock" --compute-env mock >"$work/again.out" 2>&1
[ $? -eq 3 ] || fail "init over an existing project did not fail with 3"
grep -q 'never overwrites' "$work/again.out" || fail "no reason given for refusing"
[ "$(md5sum "$work/mock/"*.yml)" = "$before" ] || fail "init changed existing files"
mkdir "$work/partial" && echo keep >"$work/partial/cc_site-1.yml"
"$ccprov" init "$work/partial" --compute-env mock >/dev/null 2>&1
[ -e "$work/partial/project.yml" ] && fail "a refused init still wrote project.yml"
[ "$(cat "$work/partial/cc_site-1.yml")" = keep ] || fail "init overwrote cc_site-1.yml"

# usage errors
for args in "--compute-env vm" "--mechanism arm_cca" "--clients 0" "--nvflare 3.0" \
	"--compute-env mock --mechanism intel_tdx" "--name a/b" "a b"; do
	# shellcheck disable=SC2086
	"$ccprov" init "$work/usage" $args >/dev/null 2>&1
	[ $? -eq 2 ] || fail "init $args: not a usage error"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "init: $n shapes lint clean and provision"
