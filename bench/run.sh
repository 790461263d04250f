#!/bin/bash
# Benchmarks of nixproc (numbers go to bench/README.md by hand):
#  1. `nixproc build` of synthetic models with 1,000 and 10,000 instances,
#     JSON and Nix, into an empty store (cold) and again (warm): time and peak RSS;
#  2. an incremental switch that changes one instance among 200 running ones:
#     time, and how many processes got a new PID.
# Usage: bench/run.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
bin=$build/bin
work=$(mktemp -d /tmp/nixproc-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NIXPROC_HOME=$work/home

measure() {  # measure LABEL COMMAND...: wall time and peak RSS of one run
  local label=$1 out
  shift
  out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -n 1)
  printf '%-44s %6.2f s %7.1f MB\n' "$label" "$(cut -d' ' -f1 <<<"$out")" "$(awk '{print $2 / 1024}' <<<"$out")"
}

echo "== nixproc build (sysvinit profile), $(nproc) cores, $(df -T /tmp | awk 'NR==2 {print $2}') for /tmp"
for n in 1000 10000; do
  python3 bench/generate-model.py "$n" "$work/model-$n.json" --program "$bin/webapp"
  python3 bench/generate-model.py "$n" "$work/model-$n.nix" --program "$bin/webapp"
  for kind in json nix; do
    rm -rf "$NIXPROC_HOME"
    measure "$n instances, $kind, cold store" \
      "$bin/nixproc" build --no-out-link --state-dir "$work/var" "$work/model-$n.$kind"
    measure "$n instances, $kind, warm store" \
      "$bin/nixproc" build --no-out-link --state-dir "$work/var" "$work/model-$n.$kind"
  done
  rm -rf "$NIXPROC_HOME"
  measure "$n instances, json, -P none" \
    "$bin/nixproc" build -P none --no-out-link --state-dir "$work/var" "$work/model-$n.json"
done

echo "== id-assign: ports and uids for every instance"
cat >"$work/idresources.nix" <<'NIX'
{ ports = { min = 20000; max = 60000; }; uids = { min = 100000; max = 200000; }; }
NIX
measure "10000 instances, first assignment" "$bin/nixproc" id-assign \
  --id-resources "$work/idresources.nix" -o "$work/ids.nix" "$work/model-10000.json"
measure "10000 instances, again with --ids (Nix)" "$bin/nixproc" id-assign \
  --id-resources "$work/idresources.nix" --ids "$work/ids.nix" -o "$work/ids2.nix" "$work/model-10000.json"
"$bin/nixproc" id-assign --id-resources "$work/idresources.nix" --output-json -o "$work/ids.json" "$work/model-10000.json"
measure "10000 instances, again with --ids (JSON)" "$bin/nixproc" id-assign \
  --id-resources "$work/idresources.nix" --ids "$work/ids.json" -o "$work/ids3.nix" "$work/model-10000.json"

echo "== incremental switch: one instance changed among 200 running (sysvinit)"
run_switch_benchmark() {
  local state=$work/switch-var
  python3 bench/generate-model.py 200 "$work/200.json" --program "$bin/webapp" --port-base 31000
  python3 - "$work/200.json" "$work/200b.json" <<'PY'
import json, sys
model = json.load(open(sys.argv[1]))
model["webapp100"]["pkg"]["environment"]["PORT"] = 31999
json.dump(model, open(sys.argv[2], "w"))
PY
  rm -rf "$NIXPROC_HOME"
  measure "first deploy of 200" "$bin/nixproc" switch --state-dir "$state" --force-disable-user-change "$work/200.json"
  pids() { cat "$state"/run/*.pid | sort; }
  pids >"$work/before"
  measure "switch changing webapp100" "$bin/nixproc" switch --state-dir "$state" --force-disable-user-change "$work/200b.json"
  pids >"$work/after"
  echo "processes running before: $(wc -l <"$work/before"), after: $(wc -l <"$work/after"), restarted: $(comm -13 "$work/before" "$work/after" | wc -l)"
  measure "switch with nothing changed" "$bin/nixproc" switch --state-dir "$state" --force-disable-user-change "$work/200b.json"
  measure "undeploy of 200" "$bin/nixproc" switch --state-dir "$state" --force-disable-user-change --undeploy
}
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null && [ -z "${IN_NETNS:-}" ]; then
  # A private network namespace: 200 free ports whatever else runs here.
  export -f run_switch_benchmark measure
  export bin work
  IN_NETNS=1 unshare --net bash -c 'ip link set lo up; run_switch_benchmark'
else
  run_switch_benchmark
fi
