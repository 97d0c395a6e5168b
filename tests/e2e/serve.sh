#!/usr/bin/env bash
# e2e: `mie serve` with the default model, over real HTTP (curl): /health, JSONL posts answered
# exactly as `mie predict` answers them, an uploaded image grounded like the same file by path,
# /detect answering as `mie detect`, image paths confined to --images (no file elsewhere is read,
# and a refused path answers as a missing one), concurrent requests, bad input (400 naming the line or file, 413, 404), SIGTERM (exit 0, uploads
# removed) and a port already in use (exit 2).
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
ASSETS=${MIE_ASSETS:-$SRC/../shared/models}
[[ -f $SRC/assets/SHA256SUMS && -z ${MIE_ASSETS:-} ]] && ASSETS=$SRC/assets
MODEL=${MIE_MODELS:-$SRC/models}/gmner.mie
IMG=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
[ -s "$MODEL" ] || fail "no default model at $MODEL (scripts/setup.sh trains it)"
command -v curl > /dev/null || fail "curl is missing (scripts/apt-packages.txt)"
if [[ ! -f $ASSETS/yunet/yunet_n_320_320.onnx || ! -f $IMG ]]; then
  skip "models ($ASSETS) or $IMG missing"
fi

mkdir "$TMP/tmpdir" "$TMP/img"
cp "$IMG" "$TMP/img/messi5.jpg"                    # the server's image directory
ln -s /etc/passwd "$TMP/img/escape.jpg"            # a link out of it
ln -s messi5.jpg "$TMP/img/inside.jpg"             # a link within it
TMPDIR=$TMP/tmpdir "$MIE" serve --model "$MODEL" --port 0 --threads 2 --max-body-mb 1 --images "$TMP/img" 2> "$TMP/serve.log" &
PID=$!
trap 'kill $PID 2> /dev/null || true; rm -rf "$TMP"' EXIT
PORT=
for _ in $(seq 1 120); do
  PORT=$(grep -o 'listening on http://[^ ]*' "$TMP/serve.log" | sed 's/.*://' || true)
  [[ -n $PORT ]] && break
  kill -0 $PID 2> /dev/null || fail "mie serve exited: $(cat "$TMP/serve.log")"
  sleep 0.5
done
[[ -n $PORT ]] || fail "mie serve did not start: $(cat "$TMP/serve.log")"
URL=http://127.0.0.1:$PORT
# curl METHOD-ARGS...: prints the body, then the status on its own line
call() { curl -s -w '\n%{http_code}\n' "$@"; }

call "$URL/health" > "$TMP/health"
[[ $(tail -1 "$TMP/health") == 200 ]] || fail "/health: $(cat "$TMP/health")"
python3 -c 'import json,sys; j=json.loads(open(sys.argv[1]).read().split("\n")[0]); assert j["status"]=="ok" and j["stages"]==["ner","ground"], j' "$TMP/health"

# Two posts in one request: the answer is mie predict's, line for line.
cat > "$TMP/posts.jsonl" <<EOF
{"id": "p1", "text": "Lionel Messi scores again for Barcelona", "image": "messi5.jpg"}
{"id": "p2", "text": "RT @nasa : Barack Obama visits New York"}
EOF
call "$URL/predict" --data-binary @"$TMP/posts.jsonl" > "$TMP/served"
[[ $(tail -1 "$TMP/served") == 200 ]] || fail "/predict: $(cat "$TMP/served")"
"$MIE" predict --model "$MODEL" --input "$TMP/posts.jsonl" --images "$TMP/img" > "$TMP/predicted" 2> /dev/null
diff <(head -n -2 "$TMP/served") "$TMP/predicted" || fail "mie serve and mie predict answer differently"
python3 - "$TMP/predicted" <<'EOF'
import json, sys
p1, p2 = [json.loads(l) for l in open(sys.argv[1])]
messi = [e for e in p1["entities"] if e["text"] == "Lionel Messi"]
assert messi and messi[0]["type"] == "PER" and messi[0]["groundable"] and len(messi[0]["boxes"]) == 1, p1
assert p2["id"] == "p2" and any(e["text"] == "Barack Obama" for e in p2["entities"]), p2
EOF

# The same two posts as one JSON array: the same answer.
python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$TMP/posts.jsonl" > "$TMP/posts.json"
call "$URL/predict" --data-binary @"$TMP/posts.json" > "$TMP/array"
diff "$TMP/array" "$TMP/served" || fail "a JSON array answers differently from JSONL"

# The same post with its image uploaded: the same entities and boxes; the path reads "upload".
call "$URL/predict" -F "post={\"id\": \"p1\", \"text\": \"Lionel Messi scores again for Barcelona\"}" -F "image=@$IMG" > "$TMP/upload"
[[ $(tail -1 "$TMP/upload") == 200 ]] || fail "upload: $(cat "$TMP/upload")"
python3 - "$TMP/upload" "$TMP/predicted" <<'EOF'
import json, sys
up = json.loads(open(sys.argv[1]).read().split("\n")[0])
ref = json.loads(open(sys.argv[2]).readline())
assert up["image"]["path"] == "upload" and up["image"]["width"] == ref["image"]["width"], up["image"]
assert up["entities"] == ref["entities"], (up["entities"], ref["entities"])
EOF

# /detect: the region proposals `mie detect` prints, by path and uploaded.
call "$URL/detect" -d '{"image": "messi5.jpg"}' > "$TMP/det"
[[ $(tail -1 "$TMP/det") == 200 ]] || fail "/detect: $(cat "$TMP/det")"
(cd "$TMP/img" && "$MIE" detect --image messi5.jpg) > "$TMP/det.ref"
diff <(head -n -2 "$TMP/det") "$TMP/det.ref" || fail "/detect answers differently from mie detect"
call "$URL/detect" -F "image=@$IMG" > "$TMP/det.up"
python3 - "$TMP/det.up" "$TMP/det.ref" <<'EOF2'
import json, sys
up = json.loads(open(sys.argv[1]).read().split("\n")[0])
ref = json.load(open(sys.argv[2]))
assert up["image"] == "upload" and up["candidates"] == ref["candidates"], up
EOF2

# 400 posts in one request (~30 KB; curl labels it a form, as with -d): all answered.
python3 -c 'import json; print("\n".join(json.dumps({"id": str(i), "text": "Barack Obama visits New York with Joe Biden"}) for i in range(400)))' > "$TMP/many.jsonl"
call "$URL/predict" --data-binary @"$TMP/many.jsonl" > "$TMP/many.out"
[[ $(tail -1 "$TMP/many.out") == 200 && $(head -n -2 "$TMP/many.out" | wc -l) == 400 ]] || fail "400 posts: $(tail -c 300 "$TMP/many.out")"
# Clients that give up before their answer: the server goes on.
for _ in 1 2 3; do curl -s -m 0.05 -o /dev/null "$URL/predict" --data-binary @"$TMP/many.jsonl" || true; done

# Four requests at once on two workers: each answered, all alike.
pids=()
for i in 1 2 3 4; do
  call "$URL/predict" --data-binary @"$TMP/posts.jsonl" > "$TMP/par$i" &
  pids+=($!)
done
wait "${pids[@]}"
for i in 1 2 3 4; do cmp -s "$TMP/par$i" "$TMP/served" || fail "concurrent request $i: $(head -c 300 "$TMP/par$i")"; done

# Bad input: 400 naming the line or file, 413 over --max-body-mb, 404 elsewhere; the server lives on.
expect() {  # expect STATUS PATTERN curl-args...
  local want=$1 pattern=$2; shift 2
  call "$URL/predict" "$@" > "$TMP/bad"
  [[ $(tail -1 "$TMP/bad") == "$want" ]] || fail "expected $want for $*: $(cat "$TMP/bad")"
  grep -q -- "$pattern" "$TMP/bad" || fail "expected '$pattern' for $*: $(cat "$TMP/bad")"
}
expect 400 'request line 2: invalid JSON' --data-binary $'{"text": "fine"}\n{"text": broken'
expect 400 'ill-formed UTF-8' --data-binary $'{"text": "bad \xff byte"}'
expect 400 'neither \\"tokens\\" nor \\"text\\"' -d '{"id": "x"}'
# Paths resolve under --images only: a file elsewhere (even a JPEG), an escape by .. or by a link,
# and a missing file all answer the same message, which names no server directory.
for path in /etc/passwd "$IMG" ../img/../../etc/passwd escape.jpg no-such.jpg /no/such.jpg; do
  expect 400 "is not available on this server" -d "{\"text\": \"Messi\", \"image\": \"$path\"}"
  grep -qF "$path" "$TMP/bad" || fail "the answer does not name the path sent: $(cat "$TMP/bad")"
  sed "s|$path||" "$TMP/bad" > "$TMP/bad.$(echo "$path" | md5sum | cut -c1-8)"
  grep -q "$TMP" "$TMP/bad" && fail "the answer names the server's directory: $(cat "$TMP/bad")"
  call "$URL/detect" -d "{\"image\": \"$path\"}" > "$TMP/bad"
  [[ $(tail -1 "$TMP/bad") == 400 ]] && grep -q "is not available on this server" "$TMP/bad" || fail "/detect $path: $(cat "$TMP/bad")"
done
[[ $(for f in "$TMP"/bad.*; do head -1 "$f"; done | sort -u | wc -l) == 1 ]] || fail "refused and missing paths answer differently: $(cat "$TMP"/bad.*)"
for path in inside.jpg "$TMP/img/messi5.jpg" ./messi5.jpg; do     # within the directory: served, named as sent
  call "$URL/predict" -d "{\"text\": \"Lionel Messi\", \"image\": \"$path\"}" > "$TMP/ok"
  [[ $(tail -1 "$TMP/ok") == 200 ]] && grep -q "\"path\":\"$path\"" "$TMP/ok" || fail "$path: $(cat "$TMP/ok")"
done
expect 400 'empty request' -d ''
expect 400 'request post 2: post has neither' --data-binary '[{"text": "fine"}, {"id": "x"}]'
head -c 5000 /dev/urandom > "$TMP/junk.jpg"
expect 400 'the uploaded image: not a JPEG or PNG' -F 'post={"text": "Messi"}' -F "image=@$TMP/junk.jpg"
expect 400 'without a \\"post\\" field' -F "image=@$IMG"
call "$URL/detect" -F "image=@$TMP/junk.jpg" > "$TMP/bad"
[[ $(tail -1 "$TMP/bad") == 400 ]] && grep -q 'the uploaded image: not a JPEG or PNG' "$TMP/bad" || fail "/detect junk: $(cat "$TMP/bad")"
head -c 2000000 /dev/zero > "$TMP/big"
expect 413 'over --max-body-mb 1' --data-binary @"$TMP/big"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/nothing") == 404 ]] || fail "unknown path: not 404"
[[ $(tail -1 "$(call "$URL/health" > "$TMP/h2"; echo "$TMP/h2")") == 200 ]] || fail "server died after bad input"
python3 - "$TMP/serve.log" <<'EOF2'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]   # the access log: JSON lines
assert len(log) > 20 and all({"time", "id", "route", "status", "ms", "bytes_in", "bytes_out"} <= set(l) for l in log), log[:2]
assert len({l["id"] for l in log}) == len(log) and {l["route"] for l in log} >= {"/predict", "/detect", "/health", "other"}
assert any(l["status"] == 413 for l in log) and any(l["items"] == 400 for l in log), log
EOF2

# /metrics in Prometheus' text format; every answer carries its X-Request-Id.
call "$URL/metrics" > "$TMP/metrics"
grep -q '^mie_requests_total{method="POST",route="/predict",status="200"} [0-9]' "$TMP/metrics" &&
  grep -q '^mie_request_seconds_bucket{route="/predict",le="+Inf"} [0-9]' "$TMP/metrics" &&
  grep -q '^mie_requests_in_flight 1$' "$TMP/metrics" && grep -q '^mie_model_info{model=' "$TMP/metrics" ||
  fail "/metrics: $(cat "$TMP/metrics")"
curl -s -D - -o /dev/null "$URL/health" | grep -qi '^X-Request-Id: [0-9]' || fail "no X-Request-Id"

# Beyond loopback: an API key, or --insecure. Without --images: uploads only.
set +e
timeout 60 "$MIE" serve --model "$MODEL" --host 0.0.0.0 --port 0 2> "$TMP/open.log"; rc=$?
set -e
[[ $rc == 2 ]] && grep -q -- "--api-key-file" "$TMP/open.log" || fail "0.0.0.0 without a key: exit $rc $(cat "$TMP/open.log")"
echo "0123456789abcdef-test-key" > "$TMP/key"
"$MIE" serve --model "$MODEL" --host 0.0.0.0 --port 0 --sources face --api-key-file "$TMP/key" 2> "$TMP/key.log" &
PID2=$!
for _ in $(seq 1 120); do grep -q listening "$TMP/key.log" && break; sleep 0.5; done
URL2=http://127.0.0.1:$(grep -o 'listening on http://[^ ]*' "$TMP/key.log" | sed 's/.*://')
AUTH="Authorization: Bearer 0123456789abcdef-test-key"
s1=$(curl -s -o /dev/null -w '%{http_code}' "$URL2/predict" -d '{"text": "Messi"}')
s2=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer 0123456789abcdef-test-kez" "$URL2/health")
s3=$(curl -s -o "$TMP/authed" -w '%{http_code}' -H "$AUTH" "$URL2/predict" -d '{"text": "Lionel Messi"}')
curl -s -H "$AUTH" "$URL2/predict" -d "{\"text\": \"Messi\", \"image\": \"$IMG\"}" > "$TMP/noimg"
kill $PID2; wait $PID2 || true
[[ $s1 == 401 && $s2 == 401 && $s3 == 200 ]] || fail "API key: $s1 $s2 $s3 $(cat "$TMP/key.log")"
grep -q "Lionel Messi" "$TMP/authed" || fail "authorised answer: $(cat "$TMP/authed")"
grep -q "takes no image paths" "$TMP/noimg" || fail "no --images: $(cat "$TMP/noimg")"

# Overload: 1 computing + 1 waiting; the other connections at once get 503 with Retry-After and
# the server lives on; every request is answered.
"$MIE" serve --model "$MODEL" --port 0 --threads 1 --queue 1 --sources face 2> "$TMP/busy1.log" &
PID3=$!
for _ in $(seq 1 120); do grep -qs listening "$TMP/busy1.log" && break; sleep 0.5; done
URL3=http://127.0.0.1:$(grep -o 'listening on http://[^ ]*' "$TMP/busy1.log" | sed 's/.*://')
python3 -c 'import json; print("\n".join(json.dumps({"id": str(i), "text": "Barack Obama visits New York with Joe Biden"}) for i in range(3000)))' > "$TMP/big.jsonl"
pids=()
for i in 1 2 3 4 5 6; do
  curl -s -D "$TMP/ov$i.h" -o "$TMP/ov$i" -w '%{http_code}\n' "$URL3/predict" --data-binary @"$TMP/big.jsonl" > "$TMP/ov$i.code" &
  pids+=($!)
done
wait "${pids[@]}"
codes=$(cat "$TMP"/ov*.code | sort | uniq -c | tr -s ' ' | tr '\n' ';')
n200=$(cat "$TMP"/ov*.code | grep -c '^200$' || true); n503=$(cat "$TMP"/ov*.code | grep -c '^503$' || true)
(( n200 >= 1 && n503 >= 1 && n200 + n503 == 6 )) || fail "overload: $codes"
grep -lq '^Retry-After: 1' "$TMP"/ov*.h || fail "no Retry-After on 503"
grep -q "server busy" "$TMP/ov$(grep -l '^503$' "$TMP"/ov*.code | head -1 | sed 's/.*ov\([0-9]\).code/\1/')" || fail "503 without its message"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$URL3/health") == 200 ]] || fail "server gone after overload"
kill $PID3; wait $PID3 || true

# A second server on the same port: exit 2, the port named.
set +e
timeout 60 "$MIE" serve --model "$MODEL" --port "$PORT" 2> "$TMP/busy.log"; rc=$?
set -e
[[ $rc == 2 ]] && grep -q "cannot listen on 127.0.0.1:$PORT" "$TMP/busy.log" || fail "port in use: exit $rc, $(cat "$TMP/busy.log")"

# Detectors load at startup: a bad detector option stops the server before it listens (exit 2).
set +e
timeout 60 "$MIE" serve --model "$MODEL" --port 0 --text-size 100 2> "$TMP/size.log"; rc=$?
set -e
[[ $rc == 2 ]] && grep -q "multiple of 32" "$TMP/size.log" || fail "--text-size 100: exit $rc, $(cat "$TMP/size.log")"

# SIGTERM: a clean stop, exit 0, the upload directory gone.
kill -TERM $PID
set +e
wait $PID; rc=$?
set -e
[[ $rc == 0 ]] || fail "exit status $rc after SIGTERM: $(tail -3 "$TMP/serve.log")"
grep -q "serve: stopped" "$TMP/serve.log" || fail "no stop message"
[[ -z $(ls -A "$TMP/tmpdir") ]] || fail "uploads left behind: $(ls "$TMP/tmpdir")"
# 11 answered requests, and up to 3 more from the clients that left early (they may go unseen).
answered=$(grep -c '"method":"POST",.*"route":"/predict","status":200' "$TMP/serve.log" || true)
(( answered >= 11 && answered <= 14 )) || fail "expected 11-14 answered requests in the log, found $answered: $(cat "$TMP/serve.log")"
echo "serve: ok (port $PORT)"
