#!/usr/bin/env bash
# e2e: relations on plain posts. `mie train rel --base models/gmner.mie` (2,000 MNRE train
# instances, CNN, 2 epochs) writes one model with entities + boxes + relations, its threshold chosen
# on 300 MNRE val lines read as posts; `mie predict --text` then writes relations between the
# post's entities; MNRE lines are read as posts by predict and by `mie eval --task jmere`, whose
# triple F1 equals the one the threshold was chosen at; --relation-threshold 1 leaves none.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: train data model
source "$(dirname "$0")/../lib.sh" "$@"
need_glove
BASE=$SRC/models/gmner.mie
[[ -f $BASE ]] || fail "no $BASE (scripts/setup.sh trains it)"
head -2000 "$DATA/mnre/train.txt" > "$TMP/train.txt"
head -300 "$DATA/mnre/val.txt" > "$TMP/val.txt"
"$MIE" train rel --base "$BASE" --train "$TMP/train.txt" --dev "$TMP/val.txt" -o "$TMP/jmere.mie" --glove "$GLOVE" \
  --encoder cnn --hidden 32 --epochs 2 --threads 1 > "$TMP/train.json" 2> "$TMP/train.log" || { cat "$TMP/train.log"; fail "train rel --base"; }

"$MIE" predict --model "$TMP/jmere.mie" --text "Barack Obama visits New York with Michelle Obama" --relation-threshold 0 > "$TMP/one.jsonl"
"$MIE" predict --model "$TMP/jmere.mie" --input "$TMP/val.txt" > "$TMP/pred.jsonl"
"$MIE" eval --task jmere --gold "$TMP/val.txt" --pred "$TMP/pred.jsonl" --json > "$TMP/eval.json"
"$MIE" predict --model "$TMP/jmere.mie" --input "$TMP/val.txt" --relation-threshold 1 > "$TMP/none.jsonl"
"$MIE" predict --model "$TMP/jmere.mie" --input "$TMP/val.txt" --relation-threshold 0 > "$TMP/all.jsonl"
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
t = json.load(open(d + "/train.json"))
cal = t["posts_dev"]
assert 0 <= cal["threshold"] < 1, cal
one = json.loads(open(d + "/one.jsonl").read())
ents = one["entities"]
assert len(ents) >= 2 and any(e["type"] == "PER" for e in ents), one
assert isinstance(one["relations"], list), one
found = 0
for p in [one] + [json.loads(l) for l in open(d + "/all.jsonl")]:
    for r in p["relations"]:
        found += 1
        assert set(r) == {"head", "tail", "label", "score"} and r["head"] != r["tail"], r
        assert 0 <= r["head"] < len(p["entities"]) and 0 <= r["tail"] < len(p["entities"]), r
        assert r["label"].startswith("/") and 0 < r["score"] <= 1, r
assert found > 0, "no relation at threshold 0 in 173 posts"
lines = [json.loads(l) for l in open(d + "/pred.jsonl")]
toks = {tuple(eval(l)["token"]) for l in open(d + "/val.txt")}   # MNRE lines are Python literals
assert len(lines) == len(toks), (len(lines), len(toks))          # one post per distinct text
assert all(r["score"] >= cal["threshold"] for p in lines for r in p["relations"])
ev = json.load(open(d + "/eval.json"))
tri = ev["jmere_triple"]
assert abs(tri["f1"] - cal["f1"]) < 1e-6, (tri, cal)              # the same pipeline, the same numbers
assert ev["jmere_triple_undirected"]["tp"] >= tri["tp"], ev
assert all(not p["relations"] for p in map(json.loads, open(d + "/none.jsonl")))
print("threshold", cal["threshold"], "triple F1", tri["f1"])
PY
# The stage order is kept: ner, ground, relation
"$MIE" serve --model "$TMP/jmere.mie" --port 0 2> "$TMP/serve.log" &
PID=$!
for _ in $(seq 100); do grep -q listening "$TMP/serve.log" && break; sleep 0.2; done
grep -q "stages ner ground relation" "$TMP/serve.log" || { kill $PID; fail "stage order: $(cat "$TMP/serve.log")"; }
URL=http://127.0.0.1:$(grep -o 'http://[^ ]*' "$TMP/serve.log" | sed 's/.*://')
curl -s "$URL/predict" --data-binary @<(head -5 "$TMP/pred.jsonl" | python3 -c '
import json, sys
for l in sys.stdin: p = json.loads(l); print(json.dumps({"id": p["id"], "tokens": p["tokens"]}))') > "$TMP/served.jsonl"
kill $PID; wait $PID || true
head -5 "$TMP/pred.jsonl" | python3 -c '
import json, sys
for l in sys.stdin: p = json.loads(l); p.pop("image", None); print(json.dumps(p, separators=(",", ":"), ensure_ascii=False))' > "$TMP/want.jsonl"
python3 -c '
import json, sys
for l in sys.stdin: p = json.loads(l); p.pop("image", None); print(json.dumps(p, separators=(",", ":"), ensure_ascii=False))' \
  < "$TMP/served.jsonl" > "$TMP/served.noimage.jsonl"
python3 "$SRC/tests/jsonl_close.py" "$TMP/served.noimage.jsonl" "$TMP/want.jsonl" || fail "served and predicted differ"
# --base without --dev, or a base without entities: exit 2 before training
set +e
"$MIE" train rel --base "$BASE" --train "$TMP/train.txt" -o "$TMP/x.mie" --no-glove > /dev/null 2> "$TMP/err1"; rc1=$?
set -e
[[ $rc1 == 2 ]] && grep -q -- "--dev" "$TMP/err1" || fail "--base without --dev: rc $rc1 $(cat "$TMP/err1")"
echo "PASS jmere e2e"
