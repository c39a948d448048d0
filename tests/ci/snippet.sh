# SPDX-License-Identifier: Apache-2.0
# Print the fenced block that follows `<!-- test: NAME -->` in a Markdown
# file, so that tests run exactly what the README shows.
#   snippet FILE NAME
snippet() {
	awk -v tag="<!-- test: $2 -->" '
		$0 == tag { armed = 1; next }
		armed && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }
	' "$1"
}
