#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The worst-case inputs of a CI gate (bench/hostile.sh) each finish in
# seconds with their finding: a 100,000-key mapping, includes that fan
# out tenfold per level, a docker archive compression bomb, an 80,000-key
# JSON object. Before their bounds each took minutes.
#
#   tests/cli/hostile.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: hostile.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec bash "$src/bench/hostile.sh" --check 30 "$(dirname "$ccprov")"
