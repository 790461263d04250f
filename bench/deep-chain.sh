#!/bin/bash
# A dependency chain DEPTH deep (c0 <- c1 <- ... each depending on the one
# before), deployed and undeployed with one process manager: wall time of both.
# Usage: bench/deep-chain.sh PM DEPTH [BUILD_DIR]   (default build)
set -uo pipefail
cd "$(dirname "$0")/.."
pm=$1 depth=$2
bin=$(realpath "${3:-build}")/bin
work=$(mktemp -d /tmp/nixproc-chain-XXXXXX)
trap '"$bin/nixproc" switch -P "$pm" --state-dir "$work/var" --force-disable-user-change --undeploy >/dev/null 2>&1; rm -rf "$work"' EXIT
export NIXPROC_HOME=$work/home
python3 - "$depth" "$bin/nixproc-test-hold" >"$work/chain.json" <<'PY'
import json, sys
depth, hold = int(sys.argv[1]), sys.argv[2]
model = {}
for i in range(depth):
    pkg = {"instanceName": f"c{i}", "foregroundProcess": hold}
    if i:
        pkg["dependencies"] = [f"c{i - 1}"]
    model[f"c{i}"] = {"pkg": pkg}
print(json.dumps(model))
PY
timed() {  # timed LABEL ARGS...: one switch, its wall time and exit status
  local label=$1 start status
  shift
  start=$(date +%s.%N)
  "$bin/nixproc" switch -P "$pm" --state-dir "$work/var" --force-disable-user-change "$@" >"$work/log" 2>&1
  status=$?
  printf '%-12s %-9s depth %4d: %7.1f s, exit %d\n' "$pm" "$label" "$depth" \
    "$(echo "$(date +%s.%N) - $start" | bc)" "$status"
  [ "$status" = 0 ] || tail -n 2 "$work/log"
}
timed deploy "$work/chain.json"
timed undeploy --undeploy
