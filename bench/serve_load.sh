#!/usr/bin/env bash
# Load on `mie serve` from wrk (Debian's wrk) on loopback, bounded in time:
#   bench/serve_load.sh [MIE_BINARY] [SECONDS] [CONNECTIONS] [SOAK_SECONDS]   # defaults build/mie 60 64 0
# 1. text posts at CONNECTIONS connections for SECONDS on 2 threads (--queue 64): requests/s,
#    p50/p99, non-2xx answers (target >= 1,000 requests/s, 0 errors);
# 2. image uploads (opencv-doc's messi5.jpg, multipart) at 8 connections: requests/s, p99;
# 3. overload, 4 x (threads + queue) connections: the 503 answers counted, the server alive after;
# 4. with SOAK_SECONDS > 0, text posts for that long with the server's RSS sampled every 10 s
#    (target: no growth beyond the first minute's peak + 10%).
set -euo pipefail
MIE=${1:-build/mie}
SECS=${2:-60}
CONNS=${3:-64}
SOAK=${4:-0}
MODEL=${MIE_MODELS:-models}/gmner.mie
IMG=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
TMP=$(mktemp -d)
"$MIE" serve --model "$MODEL" --port 0 --threads 2 --queue 64 2> "$TMP/serve.log" &
PID=$!
trap 'kill $PID 2> /dev/null || true; rm -rf "$TMP"' EXIT
until grep -qs listening "$TMP/serve.log"; do kill -0 $PID 2> /dev/null || { cat "$TMP/serve.log" >&2; exit 1; }; sleep 0.2; done
URL=http://127.0.0.1:$(grep -o 'http://[^ ]*' "$TMP/serve.log" | sed 's/.*://')/predict
report='done = function(s, lat, req)
  local non2xx = s.errors.status
  io.write(string.format("%d requests in %.1f s: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d\n",
    s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6), lat:percentile(50) / 1000, lat:percentile(99) / 1000,
    non2xx, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout))
  io.write(string.format("  socket errors: connect %d, read %d, write %d, timeout %d\n", s.errors.connect, s.errors.read, s.errors.write, s.errors.timeout))
end'
cat > "$TMP/text.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"text": "Lionel Messi scores again for Barcelona"}'
wrk.headers["Content-Type"] = "application/json"
$report
LUA
python3 - "$IMG" "$TMP/upload.body" <<'PY'
import sys
img = open(sys.argv[1], "rb").read()
b = b"mieboundary"
body = (b"--" + b + b'\r\nContent-Disposition: form-data; name="post"\r\n\r\n{"text": "Lionel Messi scores again for Barcelona"}\r\n'
        b"--" + b + b'\r\nContent-Disposition: form-data; name="image"; filename="m.jpg"\r\nContent-Type: image/jpeg\r\n\r\n' + img +
        b"\r\n--" + b + b"--\r\n")
open(sys.argv[2], "wb").write(body)
PY
cat > "$TMP/upload.lua" <<LUA
local f = io.open("$TMP/upload.body", "rb"); wrk.body = f:read("*all"); f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=mieboundary"
$report
LUA
echo "text posts, $CONNS connections, ${SECS} s: $(wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s -s "$TMP/text.lua" "$URL" | tail -2)"
echo "image uploads, 8 connections, 20 s: $(wrk -t2 -c8 -d20s --timeout 10s -s "$TMP/upload.lua" "$URL" | tail -2)"
echo "overload, 264 connections, 15 s: $(wrk -t2 -c264 -d15s --timeout 10s -s "$TMP/text.lua" "$URL" | tail -2)"
kill -0 $PID && echo "server alive after overload: $(curl -s "${URL%/predict}/health" | head -c 60)"
if (( SOAK > 0 )); then
  wrk -t2 -c"$CONNS" -d"${SOAK}s" --timeout 10s -s "$TMP/text.lua" "$URL" > "$TMP/soak.out" &
  W=$!
  for ((t = 0; t < SOAK; t += 10)); do echo "soak t=${t}s rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)"; sleep 10; done
  wait $W
  echo "soak: $(tail -1 "$TMP/soak.out")"
fi
