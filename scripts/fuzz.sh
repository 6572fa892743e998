#!/usr/bin/env bash
# Fuzzes longer than CI does, with random seeds: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets are token, json, jwk and pem. Findings (crash-*, timeout-*, oom-*) land in build/fuzz/tests/fuzz; copy a
# fixed one into tests/fuzz/corpus/<target>/ so every later run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(token json jwk pem)
packaging/install-deps.sh test
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
cd build/fuzz/tests/fuzz
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== fuzz_$target for ${seconds} s"
  ./"fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "corpus/$target" "../../../../tests/fuzz/corpus/$target" 2>"fuzz_$target.log" || status=1
  grep -E "^(stat::number_of_executed_units|SUMMARY)" "fuzz_$target.log" || true
done
exit $status
