#!/usr/bin/env bash
# Load test of `optscale serve` with wrk (Debian package `wrk`) against a
# zero-latency `optscale mock-server` serving tests/data/serve/pool.jsonl:
# requests per second and latency at 1, 16 and 64 concurrent clients for
#   direct       wrk -> mock /v1/chat/completions (one sample; the baseline)
#   passthrough  wrk -> proxy (X-OptScale: off) -> mock
#   bon1         wrk -> proxy, policy bon:n=1: one generation + one /pooling score
#   seq16        wrk -> proxy, default optscale-seq:n=16,batch=4 (5 samples on this problem in two rounds, 4 + 1: its peek of 5 drawn in batches of 4, then the target is reached)
# and the latency the proxy adds per request at 1 client (p50 through the
# proxy minus p50 of the upstream calls it makes, each measured directly).
#
# Usage: bench/serve_load.sh [BUILD_DIR]     (default: build)
# Environment: DURATION (default 10s), WRK_THREADS (default 2), CONNECTIONS
# (default "1 16 64"), MOCK_SUBCOMMAND (default mock-server).
# Prints a Markdown table on stdout; progress on stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
BIN=$BUILD/optscale
POOL=$ROOT/tests/data/serve/pool.jsonl
DURATION=${DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
CONNECTIONS=${CONNECTIONS:-"1 16 64"}
MOCK_SUBCOMMAND=${MOCK_SUBCOMMAND:-mock-server}

command -v wrk >/dev/null || { echo "serve_load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "serve_load.sh: $BIN not found; build first" >&2; exit 1; }

WORK=$(mktemp -d)
# Pids go to a file: start() runs in a command substitution (a subshell), so
# an array filled there would be lost and the servers left running.
cleanup() {
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$WORK/pids"
  fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts "$@" in the background and echoes the port it prints.
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  echo $! >>"$WORK/pids"
  for _ in $(seq 100); do
    local port
    port=$(grep -o 'http://[^ :]*:[0-9]*' "$WORK/$name.out" 2>/dev/null | head -1 | sed 's/.*://')
    if [ -n "$port" ]; then echo "$port"; return; fi
    sleep 0.1
  done
  echo "serve_load.sh: $name did not start:" >&2; cat "$WORK/$name.err" >&2; exit 1
}

MOCK=$(start mock "$BIN" "$MOCK_SUBCOMMAND" --pool "$POOL" --port 0)
PROXY=$(start proxy "$BIN" serve --upstream "http://127.0.0.1:$MOCK/v1" --scorer "http://127.0.0.1:$MOCK" \
  --scorer-model prm --model mock --port 0 --max-concurrent 256 --threads 256)
echo "mock on :$MOCK, proxy on :$PROXY" >&2

# Request bodies, written verbatim (no shell escaping), for the "medium" problem.
cat >"$WORK/chat.json" <<'JSON'
{"model":"mock","messages":[{"role":"user","content":"Compute the sum of the first 10 positive integers."}],"seed":0}
JSON
cat >"$WORK/bon1.json" <<'JSON'
{"model":"mock","messages":[{"role":"user","content":"Compute the sum of the first 10 positive integers."}],"seed":0,"optscale":{"policy":"bon:n=1"}}
JSON
# The /pooling request the proxy sends for sample 0 (Qwen PRM template, steps tagged).
cat >"$WORK/pooling.json" <<'JSON'
{"model":"prm","input":["<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nCompute the sum of the first 10 positive integers.<|im_end|>\n<|im_start|>assistant\nSample 0 for medium.<extra_0>We work it out step by step.<extra_0>So the answer is \\boxed{55}.<extra_0><|im_end|>\n"]}
JSON

# A wrk script POSTing the body file $3 to path $2, with X-OptScale: $4 if given.
script() {
  local file=$WORK/$1.lua
  {
    echo 'wrk.method = "POST"'
    echo "wrk.path = \"$2\""
    echo "local f = assert(io.open(\"$3\", \"rb\")); wrk.body = f:read(\"*a\"):gsub(\"%s+$\", \"\"); f:close()"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    if [ -n "${4:-}" ]; then echo "wrk.headers[\"X-OptScale\"] = \"$4\""; fi
  } >"$file"
  echo "$file"
}

# Milliseconds from a wrk duration (850.00us, 1.23ms, 2.01s).
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# run NAME PORT SCRIPT CONNECTIONS -> "rps p50_ms p99_ms non2xx"
run() {
  local out=$WORK/$1-$4.txt threads=$WRK_THREADS
  [ "$4" -lt "$threads" ] && threads=$4
  wrk -t"$threads" -c"$4" -d"$DURATION" --latency -s "$3" "http://127.0.0.1:$2" >"$out"
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out")
  echo "$rps $p50 $p99 ${bad:-0}"
}

CHAT_SCRIPT=$(script chat /v1/chat/completions "$WORK/chat.json")
OFF_SCRIPT=$(script off /v1/chat/completions "$WORK/chat.json" off)
BON1_SCRIPT=$(script bon1 /v1/chat/completions "$WORK/bon1.json")
POOLING_SCRIPT=$(script pooling /pooling "$WORK/pooling.json")
SEQ_SCRIPT=$CHAT_SCRIPT

echo "| scenario | clients | requests/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
declare -A P50
for c in $CONNECTIONS; do
  for scenario in direct pooling passthrough bon1 seq16; do
    case $scenario in
      direct) port=$MOCK; s=$CHAT_SCRIPT ;;
      pooling) port=$MOCK; s=$POOLING_SCRIPT ;;
      passthrough) port=$PROXY; s=$OFF_SCRIPT ;;
      bon1) port=$PROXY; s=$BON1_SCRIPT ;;
      seq16) port=$PROXY; s=$SEQ_SCRIPT ;;
    esac
    echo "running $scenario at $c client(s) for $DURATION" >&2
    read -r rps p50 p99 bad < <(run "$scenario" "$port" "$s" "$c")
    P50[$scenario-$c]=$p50
    echo "| $scenario | $c | $rps | $p50 | $p99 | $bad |"
  done
done

if [[ " $CONNECTIONS " == *" 1 "* ]]; then
  echo
  awk -v d="${P50[direct-1]}" -v s="${P50[pooling-1]}" -v p="${P50[passthrough-1]}" -v b="${P50[bon1-1]}" 'BEGIN {
    printf "Added latency at 1 client (p50): pass-through %.3f ms (proxy %.3f - direct %.3f); ", p - d, p, d
    printf "Best-of-N with one sample %.3f ms (proxy %.3f - generation %.3f - scoring %.3f)\n", b - d - s, b, d, s
  }'
fi
