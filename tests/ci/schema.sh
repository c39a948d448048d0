#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `ccprov schema`: the JSON Schemas it prints are valid draft 2020-12,
# and Debian's python3-jsonschema accepts the bundled example and every
# corpus file NVFlare's provisioner accepts, and refuses a broken file.
#
#   tests/ci/schema.sh CCPROV
set -uo pipefail
ccprov=${1:?usage: schema.sh CCPROV}
src=${CCPROV_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
	echo "FAIL: python3-jsonschema and python3-yaml are needed (.ci/setup)" >&2
	exit 1
fi
"$ccprov" schema project >"$work/project.json" || { echo "FAIL: schema project"; exit 1; }
"$ccprov" schema cc-config >"$work/cc.json" || { echo "FAIL: schema cc-config"; exit 1; }
"$ccprov" schema nothing >/dev/null 2>&1 && { echo "FAIL: schema nothing exited 0"; exit 1; }

# a project that is broken for the schema: a typo'd key and a port string
sed -e 's/^    org: nvidia$/    orgg: nvidia/' -e 's/fed_learn_port: 8002/fed_learn_port: "8002"/' \
	"$src/examples/cc/project.yml" >"$work/broken-project.yml"
sed 's/^compute_env: onprem_cvm/compute_env: onprem/' "$src/examples/cc/cc_site-1.yml" \
	>"$work/broken-cc.yml"

"$py" - "$work" "$src" <<'PY'
import glob, json, os, sys, yaml
from jsonschema import Draft202012Validator

work, src = sys.argv[1], sys.argv[2]
schemas = {}
for kind in ("project", "cc"):
    schema = json.load(open(os.path.join(work, kind + ".json")))
    Draft202012Validator.check_schema(schema)
    schemas[kind] = Draft202012Validator(schema)

def kind_of(path):
    doc = yaml.safe_load(open(path))
    return doc, "cc" if "compute_env" in doc else "project"

verdicts = {}
for line in open(os.path.join(src, "tests/corpus/expected.txt")):
    parts = line.split()
    if len(parts) >= 2 and not line.startswith("#"):
        verdicts[parts[0]] = parts[1]
good = sorted(glob.glob(os.path.join(src, "examples/cc/*.yml")))
corpus = os.path.join(src, "tests/corpus/nvflare")
good += [os.path.join(corpus, f) for f, v in sorted(verdicts.items()) if v == "accept"]
good += sorted(glob.glob(os.path.join(corpus, "*cc_*.yml")))
failures = 0
for path in good:
    doc, kind = kind_of(path)
    errors = list(schemas[kind].iter_errors(doc))
    for e in errors[:3]:
        print("FAIL: %s: %s: %s" % (os.path.relpath(path, src),
              "/".join(map(str, e.absolute_path)), e.message))
    failures += bool(errors)
for name in ("broken-project.yml", "broken-cc.yml"):
    doc, kind = kind_of(os.path.join(work, name))
    if not list(schemas[kind].iter_errors(doc)):
        print("FAIL: %s passed the schema" % name)
        failures += 1
print("%d files validated, %d failures" % (len(good) + 2, failures))
sys.exit(1 if failures or len(good) < 10 else 0)
PY
