#!/bin/bash
# Sets up and runs every test: dependencies, a normal build with all tests
# (unit, shell, Nix library, integration with real processes), a sanitizer
# build of the unit tests, and the clang-format check. Prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || exit 1
# Without debug info the build takes about a third less CPU; the code is the
# same (-O2). NIXPROC_TEST_DEBUG_INFO= (empty) keeps the build type's -g.
# -DNIXPROC_TESTS=ON: a build/ configured without tests before still gets them.
scripts/build.sh build -DNIXPROC_TESTS=ON -DNIXPROC_DEBUG_INFO="${NIXPROC_TEST_DEBUG_INFO-0}" || exit 1

# The sanitizer build of the unit tests runs in the background, at the lowest
# priority, while ctest runs: the integration tests mostly wait for processes
# and leave a core free much of the time. Its output and status are collected
# after ctest. Only the unit test programs (and the tools the daemon tests
# run) are built; -g1 (line tables) keeps the sanitizer reports readable.
echo "== sanitizer build of the unit tests (in the background)"
asan_log=$(mktemp)
NIXPROC_BUILD_TARGETS="nixproc-unit-tests nixproc-daemon-tests" \
  nice -n 19 scripts/build.sh build-asan -DNIXPROC_SANITIZE=ON -DNIXPROC_DEBUG_INFO=1 >"$asan_log" 2>&1 &
asan_build=$!

passed=0
failed=0
count() {  # count NAME STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1" >&2; fi
}

log=$(mktemp)
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900) 2>&1 | tee "$log"
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)
if [ -n "$summary" ]; then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.*, ([0-9]+) tests failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
else
  count ctest 1
fi
rm -f "$log"

echo "== sanitizer build of the unit tests"
wait "$asan_build"
status=$?
[ $status -eq 0 ] || tail -n 60 "$asan_log" >&2
rm -f "$asan_log"
if [ $status -eq 0 ]; then
  ASAN_OPTIONS=detect_leaks=1 build-asan/tests/nixproc-unit-tests --gtest_brief=1
  count sanitizer-unit-tests $?
  ASAN_OPTIONS=detect_leaks=1 build-asan/tests/unit/daemon/nixproc-daemon-tests --gtest_brief=1
  count sanitizer-daemon-tests $?
else
  count sanitizer-build $status
fi

echo "== clang-format"
unformatted=$(find src tests examples bench -name '*.cpp' -o -name '*.h' 2>/dev/null |
  xargs clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
if [ "$unformatted" -eq 0 ]; then count clang-format 0; else
  echo "clang-format: $unformatted places differ; run scripts/format.sh" >&2
  count clang-format 1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
