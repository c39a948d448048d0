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
	while read -r obj; do
		[ -n "$obj" ] || continue
		"$NM" -g --defined-only "$obj" |
			awk -v l="$layer" -v i="$i" -v o="${obj##*/}" \
				'NF == 3 { print $3, i, l, o }' >>"$tmp/defined"
		"$NM" -g --undefined-only "$obj" |
			awk -v l="$layer" -v i="$i" -v o="${obj##*/}" \
				'{ print $NF, i, l, o }' >>"$tmp/used"
	done <"$dir/$layer.objects"
done <"$dir/order.txt"

[ -s "$tmp/defined" ] || { echo "no objects found in $dir" >&2; exit 1; }
sort -k1,1 "$tmp/defined" >"$tmp/d"
sort -k1,1 "$tmp/used" >"$tmp/u"
join "$tmp/u" "$tmp/d" | awk '$2 < $5 {
	printf "%s (%s) uses %s from %s (%s)\n", $4, $3, $1, $7, $6; bad++
} END { exit bad > 0 }' || { echo "upward references between layers" >&2; exit 1; }
echo "$(wc -l <"$tmp/u") symbol uses checked, none upward"
