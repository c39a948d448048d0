#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The report on stdout: written whole or the run fails (a full device),
# colours only where asked for and only in text, and the same bytes
# whether stdout is a pipe or a file.
#
#   tests/cli/output.sh CCPROV
. "$(dirname "$0")/common.bash" output.sh "$@"

cp -p "$src"/examples/cc/* "$work/"
sed -i 's/^role: client.*/role: server/' "$work/cc_site-1.yml"
cd "$work" || exit 1

# a report that cannot be written fails the run, and says so
"$ccprov" lint --format json project.yml >/dev/full 2>full.err
check "full: exit $?, want 3" [ $? -eq 3 ]
check "full: no message" grep -q 'writing the report failed' full.err

# the same bytes to a file and through a pipe
"$ccprov" lint --format json project.yml >file.json
"$ccprov" lint --format json project.yml | cat >pipe.json
check "pipe and file differ" cmp -s file.json pipe.json
check "json: no finding" grep -q '"rule": "CCP-C001"' file.json

# colours: asked for in text; never in JSON, whatever --color says
"$ccprov" lint --color=always project.yml >always.txt
check "text --color=always: no escape" grep -q $'\033\\[' always.txt
"$ccprov" lint --color=always --format json project.yml >always.json
check "json --color=always: escape" cmp -s always.json file.json
"$ccprov" lint --color=auto project.yml >auto.txt
check "text --color=auto to a file: escape" bash -c "! grep -q $'\033' auto.txt"

finish
