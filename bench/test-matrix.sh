#!/bin/bash
# bench/test-matrix.sh [BUILD_DIR]: `nixproc test` of the webapps-advanced
# suite (tests/acceptance/webapps-advanced.nix): every process manager that
# runs here x both profiles, each variant in its own machine. Wall time of
# the whole matrix with -j 1 and -j 4, and the slowest variants. Needs root.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
source=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/test-matrix.sh: nixproc test needs root" >&2; exit 1; }
work=$(mktemp -d /tmp/nixproc-bench-matrix-XXXXXX)
trap 'rm -rf "$work"' EXIT
suite=$source/tests/acceptance/webapps-advanced.nix
export NIX_CONFIG="substituters ="

for jobs in 1 4; do
  start=$(date +%s.%N)
  "$build/bin/nixproc" test -j "$jobs" --results "$work/results" "$suite" >"$work/out" 2>&1 || {
    cat "$work/out"
    exit 1
  }
  end=$(date +%s.%N)
  ran=$(grep -c '^passed ' "$work/out")
  printf -- '-j %s: %s variants in %.1f s (%s)\n' "$jobs" "$ran" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(tail -n 1 "$work/out")"
  grep '^passed ' "$work/out" | sed -E 's/^passed +([^ ]+) \(([0-9.]+) s\)/\2 \1/' | sort -rn |
    head -n 3 | sed 's/^/  slowest: /'
done
