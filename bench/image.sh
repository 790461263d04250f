#!/bin/bash
# bench/image.sh [BUILD_DIR]: `nixproc image` of the webapps example for each
# process manager an image can run here: build time, archive size, and the
# sizes of the base layer (shared) and the model's layer; then the advanced
# example's image for the same manager, whose base layer must be the same, so
# it adds only its own layer. Also the time and size of a --mutable image.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
source=$(cd "$(dirname "$0")/.." && pwd)
nixproc=$build/bin/nixproc
work=$(mktemp -d /tmp/nixproc-bench-image-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NIXPROC_HOME=$work/home
examples=$source/examples/webapps-agnostic

# layers ARCHIVE: "<digest> <MB>" per layer, lowest first.
layers() {
  python3 - "$1" <<'PY'
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as archive:
    manifest = json.load(archive.extractfile("manifest.json"))[0]
    for layer in manifest["Layers"]:
        print(layer.split("/")[0][:12], "%.1f" % (archive.getmember(layer).size / 1e6))
PY
}

# image NAME ARGS...: prints "seconds MB" and leaves $work/NAME.tar.
image() {
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  "$nixproc" image --name "$name" -o "$work/$name.tar" "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  printf '%.2f s, %.1f MB' "$(echo "$end - $start" | bc)" "$(echo "$(stat -c %s "$work/$name.tar") / 1000000" | bc -l)"
}

printf '%-12s | %-22s | %-18s | %-12s | %s\n' manager "webapps image" "base layer" "model layer" "advanced: base shared, model layer"
for pm in ${PMS:-supervisord sysvinit disnix s6 runit}; do
  webapps=$(image "w-$pm" -P "$pm" "$examples/processes.nix")
  image "a-$pm" -P "$pm" "$examples/processes-advanced.nix" >/dev/null
  read -r base_digest base_mb < <(layers "$work/w-$pm.tar" | head -1)
  model_mb=$(layers "$work/w-$pm.tar" | tail -1 | cut -d' ' -f2)
  read -r advanced_base _ < <(layers "$work/a-$pm.tar" | head -1)
  advanced_mb=$(layers "$work/a-$pm.tar" | tail -1 | cut -d' ' -f2)
  shared=$([ "$base_digest" = "$advanced_base" ] && echo yes || echo NO)
  printf '%-12s | %-22s | %-18s | %-12s | %s, %s MB\n' "$pm" "$webapps" "$base_mb MB" "$model_mb MB" "$shared" "$advanced_mb"
  rm -f "$work/w-$pm.tar" "$work/a-$pm.tar"
done
echo "mutable (sysvinit): $(image mutable -P sysvinit --mutable "$examples/processes-advanced.nix")"
echo "second build of the same image: $(image again -P sysvinit "$examples/processes.nix") (warm)"
