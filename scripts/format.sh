#!/bin/bash
# Formats the C++ sources in place with the project's .clang-format.
cd "$(dirname "$0")/.." && find src tests examples bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i
