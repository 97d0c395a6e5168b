#!/usr/bin/env bash
# Keep-alive latency of `mie serve` (TCP_NODELAY): one connection sending text posts in a loop
# (wrk -c1 -t1, Debian's wrk) against a fresh curl connection per request. Loopback only.
#   bench/serve_keepalive.sh [MIE_BINARY] [SECONDS] [N]     # from the source root; defaults build/mie 10 50
# Prints wrk's mean and p50/p99 latency and the median of N curl requests; the target is wrk's
# mean within 1 ms of curl's.
set -euo pipefail
MIE=${1:-build/mie}
SECONDS_RUN=${2:-10}
N=${3:-50}
MODEL=${MIE_MODELS:-models}/gmner.mie
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
LOG=$(mktemp)
LUA=$(mktemp --suffix .lua)
"$MIE" serve --model "$MODEL" --port 0 --threads 2 2> "$LOG" &
PID=$!
trap 'kill $PID 2> /dev/null || true; rm -f "$LOG" "$LUA"' EXIT
until grep -q listening "$LOG"; do
  kill -0 $PID 2> /dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
URL=http://127.0.0.1:$(grep -o 'http://[^ ]*' "$LOG" | sed 's/.*://')/predict
BODY='{"text": "Lionel Messi scores again for Barcelona"}'
cat > "$LUA" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  io.write(string.format("wrk -c1: %d requests, mean %.2f ms, p50 %.2f ms, p99 %.2f ms, %d errors\n",
    summary.requests, latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t1 -c1 -d"${SECONDS_RUN}s" -s "$LUA" "$URL" | tail -1
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
c=$(for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$URL" -d "$BODY"; done | median)
echo "curl (new connection each): median $(awk -v t="$c" 'BEGIN {printf "%.2f", t * 1000}') ms over $N requests"
