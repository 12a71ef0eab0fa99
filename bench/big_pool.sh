#!/usr/bin/env bash
# Big-pool figures for the README's performance section (issue 15): writes a
# synthetic pool with realistic completion texts (bench/make_big_pool.py,
# once per size) and a 100,000-line plan batch (bench/make_plan_batch.py),
# then runs `optscale eval` (one strategy), `optscale pool stats` and
# `optscale plan --batch` three times each and prints, for the best of three
# by wall time: seconds, MB/s (or µs per line), CPU seconds and peak resident
# memory (GNU time), with the load average, since the machine may be shared.
#   bash bench/big_pool.sh [BUILD_DIR] [PROBLEMS] [SAMPLES] [TEXT_BYTES]
# Defaults: build 500 64 7200 (about 245 MB, ~8 KB of JSON text a sample).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
problems=${2:-500}
samples=${3:-64}
text_bytes=${4:-7200}
bin="$build/optscale"
dir=${TMPDIR:-/tmp}/optscale-big-pool
mkdir -p "$dir"
pool="$dir/pool-$problems-$samples-$text_bytes.jsonl"
plans="$dir/plans-100000.jsonl"
[[ -s "$pool" ]] || python3 bench/make_big_pool.py --problems "$problems" --samples "$samples" \
  --text-bytes "$text_bytes" "$pool"
[[ -s "$plans" ]] || python3 bench/make_plan_batch.py 100000 > "$plans"
pool_mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$pool")
echo "pool $pool: $pool_mb MB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# best_of_3 LABEL CMD...: the run with the least wall time, as "wall user sys rss_kb".
best_of_3() {
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > /dev/null 2> "$dir/stderr.txt" || {
      cat "$dir/stderr.txt" >&2
      return 1
    }
    local run
    run=$(tail -1 "$dir/time.txt")
    if [[ -z "$best" ]] || awk -v a="${run%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$run; fi
  done
  echo "$best"
}

report_pool() {
  local label=$1 best
  shift
  best=$(best_of_3 "$@")
  read -r wall user sys rss <<< "$best"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v mb="$pool_mb" 'BEGIN {
    printf "%-22s %6.2f s  %6.0f MB/s  CPU %.2f s  peak RSS %.1f MB (%.1f%% of the file)\n",
           l, w, mb / (w > 0 ? w : 0.01), u + s, r / 1024, 100 * r / 1024 / mb }'
}

report_pool "eval bon:n=64" "$bin" eval --pool "$pool" --strategy bon:n=64
report_pool "pool stats" "$bin" pool stats "$pool"
best=$(best_of_3 "$bin" plan --batch "$plans")
read -r wall user sys rss <<< "$best"
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
  printf "%-22s %6.2f s  %6.2f us/line  CPU %.2f s  peak RSS %.1f MB\n",
         "plan --batch 100000", w, w * 10, u + s, r / 1024 }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
