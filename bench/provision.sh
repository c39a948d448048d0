#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fresh provisioning of a CC project with N client sites (default 100),
# a server and an admin, every site an onprem_cvm confidential VM: ccprov
# against NVFlare's own provisioner on the same project in the same run.
#
#   bench/provision.sh [N] [CCPROV]
#
# Both tools get the same project.yml (the example's builders, no
# packager: NVFlare's OnPremPackager sleeps 100 s between participants
# and needs NVIDIA's image builder), so both write the signed kit folders
# of every participant: keys, certificates, configuration, signatures.
# Rounds alternate the two tools (ROUNDS, default 3) and the medians of
# wall and CPU time (user + sys, children included) are compared; the
# issue's target is ccprov <= 0.5x NVFlare on both.
#
# NVFlare is found as a Python package: NVFLARE_SRC names a folder that
# holds nvflare/ (an unpacked release, e.g. `git archive 2.8.1`), and
# NVFLARE_PYTHONPATH adds the folders of its dependencies (msgpack,
# cryptography, PyYAML...); PYTHON is the interpreter (python3). Without
# an importable NVFlare the peer is skipped with a message.
#
# A last line times a re-run of ccprov on the same workspace (stored
# identities: no key is generated again).
set -euo pipefail
n=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
ccprov=${2:-$here/build/ccprov}
rounds=${ROUNDS:-3}
python=${PYTHON:-python3}
[ -x "$ccprov" ] || { echo "build ccprov first (cmake --build build)" >&2; exit 2; }
case $n in '' | *[!0-9]* | 0) echo "N must be a positive number" >&2; exit 2 ;; esac
case $rounds in '' | *[!0-9]* | 0) echo "ROUNDS must be a positive number" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dir=$work/project
mkdir -p "$dir"
cp "$here/examples/cc/nvflare-site.tar.gz" "$here/examples/cc/cc_server1.yml" \
   "$here/examples/cc/cc_site-1.yml" "$dir/"
{
	printf 'api_version: 3\nname: bench_project\nparticipants:\n'
	printf '  - name: server1\n    type: server\n    org: nvidia\n    fed_learn_port: 8002\n    cc_config: cc_server1.yml\n'
	for ((i = 1; i <= n; i++)); do
		printf '  - name: site-%d\n    type: client\n    org: org_%d\n    cc_config: cc_site-1.yml\n' "$i" $((i % 50))
	done
	printf '  - name: admin@nvidia.com\n    type: admin\n    org: nvidia\n    role: project_admin\n'
	# the example's builders, without its packager
	sed -n '/^builders:/,/^packager:/p' "$here/examples/cc/project.yml" | sed '$d'
} >"$dir/project.yml"

nvflare_path=${NVFLARE_SRC:-}
[ -n "${NVFLARE_PYTHONPATH:-}" ] && nvflare_path=${nvflare_path:+$nvflare_path:}$NVFLARE_PYTHONPATH
have_nvflare=0
if PYTHONPATH=$nvflare_path "$python" -c 'import nvflare.lighter.provision' >/dev/null 2>&1; then
	have_nvflare=1
	nvflare_version=$(cd "$work" && PYTHONPATH=$nvflare_path "$python" -c \
		'import nvflare; print(getattr(nvflare, "__version__", "?"))' 2>/dev/null || echo '?')
	case $nvflare_version in *+* | 0+* | '?') [ -n "${NVFLARE_SRC:-}" ] && nvflare_version="source $(basename "$NVFLARE_SRC")" ;; esac
fi

# run LABEL WS CMD...: one timed run; appends "wall cpu rss" to $work/LABEL
run() {
	local label=$1 ws=$2 status=0
	shift 2
	rm -rf "$ws"
	/usr/bin/time -o "$work/time.txt" -f '%e %U %S %M' "$@" >"$work/out.txt" 2>&1 || status=$?
	if [ "$status" -ne 0 ]; then
		echo "$label failed (exit $status):" >&2
		tail -n 20 "$work/out.txt" >&2
		exit 1
	fi
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.txt" >>"$work/$label"
}

median() { # FILE COLUMN
	sort -n -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

for ((r = 1; r <= rounds; r++)); do
	run ccprov "$work/ws-ccprov" "$ccprov" provision -p "$dir/project.yml" \
		-w "$work/ws-ccprov" --quiet --format json
	if [ "$have_nvflare" = 1 ]; then
		(cd "$dir" && run nvflare "$work/ws-nvflare" env PYTHONPATH="$nvflare_path" \
			"$python" -m nvflare.lighter.provision -p "$dir/project.yml" -w "$work/ws-nvflare")
	fi
done
kits=$(find "$work/ws-ccprov/bench_project/prod_00" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$kits" -eq $((n + 2)) ] || { echo "ccprov wrote $kits kits, expected $((n + 2))" >&2; exit 1; }
if [ "$have_nvflare" = 1 ]; then
	kits=$(find "$work/ws-nvflare/bench_project/prod_00" -mindepth 1 -maxdepth 1 -type d | wc -l)
	[ "$kits" -eq $((n + 2)) ] || { echo "NVFlare wrote $kits kits, expected $((n + 2))" >&2; exit 1; }
fi

# the re-run: stored identities, new prod_01
/usr/bin/time -o "$work/time.txt" -f '%e %U %S %M' "$ccprov" provision -p "$dir/project.yml" \
	-w "$work/ws-ccprov" --quiet --format json >/dev/null 2>&1 ||
	{ echo "ccprov re-run failed" >&2; exit 1; }
read -r re_wall re_user re_sys re_rss <"$work/time.txt"

cw=$(median "$work/ccprov" 1)
cc=$(median "$work/ccprov" 2)
cr=$(median "$work/ccprov" 3)
printf 'fresh provisioning of %d onprem_cvm client sites + server + admin, median of %d rounds\n' "$n" "$rounds"
printf '%-28s %8s %8s %12s\n' tool wall_s cpu_s peak_rss_kb
printf '%-28s %8s %8s %12s\n' "ccprov $("$ccprov" --version 2>/dev/null | awk '{ print $NF }')" "$cw" "$cc" "$cr"
if [ "$have_nvflare" = 1 ]; then
	nw=$(median "$work/nvflare" 1)
	nc=$(median "$work/nvflare" 2)
	nr=$(median "$work/nvflare" 3)
	printf '%-28s %8s %8s %12s\n' "NVFlare $nvflare_version" "$nw" "$nc" "$nr"
	awk -v cw="$cw" -v cc="$cc" -v nw="$nw" -v nc="$nc" 'BEGIN {
		rw = nw > 0 ? cw / nw : 0; rc = nc > 0 ? cc / nc : 0
		printf "ratio ccprov/NVFlare: wall %.2fx (target <= 0.50x: %s), cpu %.2fx (target <= 0.50x: %s)\n",
			rw, rw <= 0.5 ? "PASS" : "MISS", rc, rc <= 0.5 ? "PASS" : "MISS"
	}'
else
	echo "NVFlare: skipped (nvflare.lighter.provision not importable; set NVFLARE_SRC and NVFLARE_PYTHONPATH)"
fi
printf '%-28s %8s %8.2f %12s\n' "ccprov re-run (stored keys)" "$re_wall" \
	"$(awk -v u="$re_user" -v s="$re_sys" 'BEGIN { print u + s }')" "$re_rss"
