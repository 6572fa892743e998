#!/usr/bin/env bash
# Builds and runs the benchmarks (label bench). Figures only, no pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh test
cmake --preset default >/dev/null
cmake --build --preset default
ctest --test-dir build/default -L bench -V "$@"
