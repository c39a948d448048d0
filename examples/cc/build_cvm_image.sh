#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Stand-in for NVIDIA's CVM image builder (build_cvm_image.sh, not public).
#
# It honours the builder's contract so the example provisions end to end:
# it takes the cc_config that ccprov wrote for one site (with
# user_config.nvflare set to the site's signed startup kit), and prints
# "CVM Bundle <path> is ready" for a gzip tar holding cvm_<id>/. Where the
# real builder makes disk images of the CVM, this one packs the kit and a
# launch script that says what a real bundle would do.
set -eu

cfg=${1:?usage: build_cvm_image.sh CC_CONFIG}
[ -r "$cfg" ] || { echo "cannot read $cfg" >&2; exit 1; }

# ccprov writes the cc_config as JSON, which is also YAML.
kit=$(sed -n 's/.*"nvflare"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$cfg" | head -n 1)
[ -n "$kit" ] && [ -d "$kit/startup" ] || { echo "user_config.nvflare is not a startup kit: '$kit'" >&2; exit 1; }

site=$(basename "$kit")
out=$(mktemp -d "${TMPDIR:-/tmp}/cvm-bundle.XXXXXX")
id=$(printf '%s' "$site" | cksum | cut -d ' ' -f 1)
bundle="$out/cvm_$id"
mkdir -p "$bundle"

echo "packing the startup kit of $site"
tar -C "$(dirname "$kit")" -czf "$bundle/user_config.tgz" "$site"
cat > "$bundle/launch_vm.sh" <<LAUNCH
#!/bin/sh
echo "this bundle was made by the example stand-in image builder;"
echo "a real CVM bundle boots $site's confidential VM here."
LAUNCH
chmod 0755 "$bundle/launch_vm.sh"
printf 'CVM bundle for %s (example stand-in, no disk images)\n' "$site" > "$bundle/README.txt"
tar -C "$out" -czf "$out/$site.tgz" "cvm_$id"
rm -rf "$bundle"
echo "CVM Bundle $out/$site.tgz is ready"
