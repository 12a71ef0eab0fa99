#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan; docs/fuzzing.md) and
# runs each for a given time, failing on any finding.
#   scripts/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]   (default 60 s, every target)
# Environment: BUILD_DIR (default build-fuzz), FUZZ_JOBS (parallel targets,
# default 1), FUZZ_BUILD=0 to skip the build (CI builds once for the tests).
# Each target grows a working corpus in $BUILD_DIR/fuzz-corpus/<target>,
# started from the committed seeds in fuzz/corpus/<target>; a crashing input
# is written to $BUILD_DIR/fuzz-findings/<target>/ and its log kept next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
BUILD_DIR="${BUILD_DIR:-build-fuzz}"

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
      -DOPTSCALE_FUZZ=ON -DOPTSCALE_BUILD_BENCH=OFF ${CMAKE_ARGS:-}
  fi
  cmake --build "$BUILD_DIR" --target fuzz
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in fuzz/*_fuzz.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

# Longest input each target is given: long enough for every seed and for the
# inputs the surface meets, short enough to keep executions fast.
max_len() {
  case "$1" in
    strategy_spec_fuzz) echo 512 ;;
    plan_batch_fuzz | bounds_fuzz) echo 1024 ;;
    predictor_model_fuzz) echo 65536 ;;
    *) echo 8192 ;;
  esac
}

run_one() {
  local target="$1" surface="${1%_fuzz}"
  local corpus="$BUILD_DIR/fuzz-corpus/$surface" findings="$BUILD_DIR/fuzz-findings/$surface"
  mkdir -p "$corpus" "$findings"
  local log="$findings/run.log"
  if "$BUILD_DIR/fuzz/$target" "$corpus" "fuzz/corpus/$surface" -max_total_time="$SECONDS_PER_TARGET" \
      -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" >"$log" 2>&1; then
    local runs cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    echo "fuzz: $target: ok, ${runs:-?} executions, coverage ${cov:-?} edges in ${SECONDS_PER_TARGET}s"
  else
    echo "fuzz: $target: FINDING (log: $log)"
    grep -m 3 -E 'ERROR|contract violated|runtime error|terminate called|what\(\)' "$log" | sed 's/^/  /' || true
    ls "$findings" | grep -v run.log | sed "s|^|  input: $findings/|" || true
    return 1
  fi
}

failed=0
pids=()
jobs_running=0
for target in "${targets[@]}"; do
  if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
    run_one "$target" &
    pids+=($!)
    jobs_running=$((jobs_running + 1))
    if [ "$jobs_running" -ge "${FUZZ_JOBS}" ]; then
      wait -n || failed=1
      jobs_running=$((jobs_running - 1))
    fi
  else
    run_one "$target" || failed=1
  fi
done
while [ "$jobs_running" -gt 0 ]; do
  wait -n || failed=1
  jobs_running=$((jobs_running - 1))
done
exit "$failed"
