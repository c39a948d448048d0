#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The layers are one-way at link time too: no object of a layer may use
# a symbol that only a higher layer defines (a declaration written by
# hand gets past the include paths, not past this).
#   symbols.sh <build>/layers
set -euo pipefail
dir=${1:?usage: symbols.sh BUILD/layers}
NM=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

i=0
while read -r layer; do
	[ -n "$layer" ] || continue
	i=$((i + 1))
	mapfile -t objs <"$dir/$layer.objects"
	# -A: "object:[address] type symbol" per line
	"$NM" -g -A "${objs[@]}" | awk -v l="$layer" -v i="$i" \
		-v defined="$tmp/defined" -v used="$tmp/used" 'NF == 3 {
		o = $1; sub(/:[0-9a-f]*$/, "", o); n = split(o, parts, "/"); o = parts[n]
		if ($2 == "U") print $3, i, l, o >>used
		else if ($2 != "w" && $2 != "v") print $3, i, l, o >>defined
	}'
done <"$dir/order.txt"

[ -s "$tmp/defined" ] || { echo "no objects found in $dir" >&2; exit 1; }
sort -k1,1 "$tmp/defined" >"$tmp/d"
sort -k1,1 "$tmp/used" >"$tmp/u"
join "$tmp/u" "$tmp/d" | awk '$2 < $5 {
	printf "%s (%s) uses %s from %s (%s)\n", $4, $3, $1, $7, $6; bad++
} END { exit bad > 0 }' || { echo "upward references between layers" >&2; exit 1; }
echo "$(wc -l <"$tmp/u") symbol uses checked, none upward"
