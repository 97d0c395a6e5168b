#!/usr/bin/env bash
# Latency and throughput of `mie serve` with the default model, over real HTTP (curl):
#   bench/serve_latency.sh [MIE_BINARY] [N] [THREADS]     # from the source root; defaults build/mie 20 2
# Prints the first request's time (the detectors load on the first image), the median of N
# requests with an image (opencv-doc's messi5.jpg, by path under --images) and of N text-only requests, and the
# requests per second of two clients sending N image requests each at once.
set -euo pipefail
MIE=${1:-build/mie}
N=${2:-20}
THREADS=${3:-2}
MODEL=${MIE_MODELS:-models}/gmner.mie
IMG=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
LOG=$(mktemp)
"$MIE" serve --model "$MODEL" --port 0 --threads "$THREADS" --images "$(dirname "$IMG")" 2> "$LOG" &
PID=$!
trap 'kill $PID 2> /dev/null || true; rm -f "$LOG"' EXIT
until grep -q listening "$LOG"; do
  kill -0 $PID 2> /dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
URL=http://127.0.0.1:$(grep -o 'http://[^ ]*' "$LOG" | sed 's/.*://')/predict
POST="{\"text\": \"Lionel Messi scores again for Barcelona\", \"image\": \"$(basename "$IMG")\"}"
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
first=$(curl -s -o /dev/null -w '%{time_total}' "$URL" -d "$POST")
img=$(for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$URL" -d "$POST"; done | median)
txt=$(for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$URL" -d '{"text": "Lionel Messi scores again"}'; done | median)
t0=$(date +%s.%N)
pids=()
for _ in 1 2; do
  (for _ in $(seq "$N"); do curl -s -o /dev/null "$URL" -d "$POST"; done) &
  pids+=($!)
done
wait "${pids[@]}"
t1=$(date +%s.%N)
echo "first request ${first} s (detectors load); median with image ${img} s; median text only ${txt} s;" \
  "2 clients x $N with image: $(python3 -c "print(round(2 * $N / ($t1 - $t0), 1))") requests/s ($THREADS threads)"
