#!/bin/bash
# Configures and builds nixproc into build/ (or $1), with tests. More
# arguments go to cmake; NIXPROC_BUILD_TARGETS limits what is built.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
targets=()
for target in ${NIXPROC_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
