#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every source file names its license (Apache-2.0) in an SPDX line.
#
#   tests/cli/spdx.sh CCPROV   (the binary is not used)
set -uo pipefail
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
missing=0
while IFS= read -r f; do
	grep -q 'SPDX-License-Identifier: Apache-2.0' "$f" || {
		echo "no SPDX line: ${f#"$src"/}" >&2
		missing=$((missing + 1))
	}
done < <(find "$src"/core "$src"/schema "$src"/lint "$src"/rules "$src"/provision \
	"$src"/cli "$src"/include "$src"/graph "$src"/tools "$src"/fuzz "$src"/bench \
	"$src"/tests "$src"/.ci -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' \
	-o -name CMakeLists.txt -o -name '*.cmake' \) \
	-not -path '*/tests/golden/*' -not -path '*/tests/fixtures/kits/*' \
	-not -path '*/tests/corpus/*' 2>/dev/null; echo "$src/CMakeLists.txt")
[ "$missing" -eq 0 ] || { echo "$missing file(s) without an SPDX line" >&2; exit 1; }
echo "spdx: every source file names its license"
