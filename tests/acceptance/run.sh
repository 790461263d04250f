#!/bin/bash
# Runs a testService suite with nixproc test for ctest: every variant, three
# at a time (the machines mostly wait for their services), a JUnit report beside the build (NIXPROC_JUNIT_DIR), failed
# variants' logs and state in a temporary directory that is printed and
# removed. Skipped (77) where nixproc test cannot make machines (not root).
set -uo pipefail
: "${NIXPROC_BIN:?set NIXPROC_BIN to the bin directory of the build}"
suite=$1
shift
[ "$(id -u)" = 0 ] || { echo "skipped: nixproc test needs root"; exit 77; }
results=$(mktemp -d /tmp/nixproc-suite-XXXXXX)
trap 'rm -rf "$results"' EXIT
trap 'exit 143' TERM HUP
trap 'exit 130' INT
junit=()
[ -z "${NIXPROC_JUNIT_DIR:-}" ] || junit=(--junit "$NIXPROC_JUNIT_DIR/$(basename "$(dirname "$suite")").xml")
"$NIXPROC_BIN/nixproc" test -j "${NIXPROC_SUITE_JOBS:-3}" --results "$results" "${junit[@]}" "$@" "$suite"
