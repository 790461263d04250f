#!/bin/bash
# What realising a model's software costs (issue 12): a model of N instances,
# each running the program of its own derivation, built with `nixproc build`
# into a private Nix store: the first build (N derivations to build) and the
# second (everything built: only checked), against the same model with no
# derivations at all.
# Usage: bench/nix-software.sh [BUILD_DIR] [N]   (default build, 100)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build}")/bin
n=${2:-100}
work=$(mktemp -d /tmp/nixproc-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NIXPROC_HOME=$work/home NIX_CONFIG="substituters ="

model() {  # model FILE WITH_DERIVATIONS
  cat >"$1" <<NIX
{ stateDir, processManager, ... }:
let
  nixproc = import <nixproc> { inherit stateDir processManager; forceDisableUserChange = true; };
  program = i: if $2 then "\${derivation {
    name = "program-\${toString i}"; system = builtins.currentSystem; builder = "/bin/sh";
    args = [ "-c" "echo 'exec sleep 1000' > \$out" ];
  }}" else "/bin/sleep";
in builtins.listToAttrs (map (i: {
  name = "p\${toString i}";
  value.pkg = nixproc.createManagedProcess { instanceName = "p\${toString i}"; foregroundProcess = program i; };
}) (builtins.genList (i: i) $n))
NIX
}
measure() {  # measure LABEL COMMAND...
  local label=$1 out
  shift
  out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -n 1)
  printf '%-52s %6.2f s %7.1f MB\n' "$label" "$(cut -d' ' -f1 <<<"$out")" "$(awk '{print $2 / 1024}' <<<"$out")"
}
model "$work/plain.nix" false
model "$work/built.nix" true
build=("$bin/nixproc" build --nix-store private --no-out-link --state-dir "$work/var")
"${build[@]}" "$work/plain.nix" >/dev/null 2>&1  # creates the stores
measure "$n instances, no derivations" "${build[@]}" "$work/plain.nix"
measure "$n instances, $n derivations, first build" "${build[@]}" "$work/built.nix"
measure "$n instances, $n derivations, already built" "${build[@]}" "$work/built.nix"
