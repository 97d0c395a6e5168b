#!/usr/bin/env bash
# e2e: `mie train rel` on 400 MNRE train instances (CNN, no GloVe, 2 epochs), `mie predict-rel`
# on 40 val instances ({"id","relation","score"} lines), and exit status 2 for bad input.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: train data
source "$(dirname "$0")/../lib.sh" "$@"

head -400 "$DATA/mnre/train.txt" > "$TMP/train.txt"
head -40 "$DATA/mnre/val.txt" > "$TMP/val.txt"
"$MIE" train rel --train "$TMP/train.txt" --dev "$TMP/val.txt" -o "$TMP/rel.mie" --no-glove --encoder cnn \
  --hidden 32 --epochs 2 --threads 1 > "$TMP/train.json" 2> "$TMP/train.log" || { cat "$TMP/train.log"; fail "train rel"; }
"$MIE" predict-rel --model "$TMP/rel.mie" --input "$TMP/val.txt" > "$TMP/pred.jsonl"
python3 - "$TMP/train.json" "$TMP/pred.jsonl" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
assert len(t["report"]["epochs"]) == 2 and "micro" in t["dev"], t
lines = [json.loads(l) for l in open(sys.argv[2])]
assert len(lines) == 40, len(lines)
for i, j in enumerate(lines):
    assert set(j) == {"id", "relation", "score"} and j["id"] == i, j
    assert 0 < j["score"] <= 1 and (j["relation"] == "None" or j["relation"].startswith("/")), j
PY
# stdin works the same
"$MIE" predict-rel --model "$TMP/rel.mie" --input - < "$TMP/val.txt" | cmp - "$TMP/pred.jsonl" || fail "stdin differs"
"$MIE" predict --model "$TMP/rel.mie" --input "$TMP/val.txt" | cmp - "$TMP/pred.jsonl" || fail "mie predict differs from predict-rel"

# `mie ensemble` of relation models (a second seed on the same data): one model whose scores differ
# from the first's, every line still a valid prediction; members with another vocabulary are refused.
"$MIE" train rel --train "$TMP/train.txt" --dev "$TMP/val.txt" -o "$TMP/rel2.mie" --no-glove --encoder cnn \
  --hidden 32 --epochs 2 --threads 1 --seed 7 > /dev/null 2> "$TMP/train2.log" || { cat "$TMP/train2.log"; fail "train rel seed 7"; }
"$MIE" ensemble -o "$TMP/rel-ens.mie" "$TMP/rel.mie" "$TMP/rel2.mie" > "$TMP/ens.json" 2> "$TMP/ens.log" \
  || { cat "$TMP/ens.log"; fail "ensemble of relation models"; }
"$MIE" predict --model "$TMP/rel-ens.mie" --input "$TMP/val.txt" > "$TMP/pred-ens.jsonl"
python3 - "$TMP/pred.jsonl" "$TMP/pred-ens.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == 40
assert all(x["id"] == y["id"] and 0 < y["score"] <= 1 for x, y in zip(a, b))
assert any(abs(x["score"] - y["score"]) > 1e-4 for x, y in zip(a, b)), "the ensemble scores as its first member"
PY
head -200 "$DATA/mnre/train.txt" > "$TMP/train-small.txt"
"$MIE" train rel --train "$TMP/train-small.txt" --dev "$TMP/val.txt" -o "$TMP/rel3.mie" --no-glove --encoder cnn \
  --hidden 32 --epochs 1 --threads 1 > /dev/null 2> "$TMP/train3.log" || { cat "$TMP/train3.log"; fail "train rel small"; }
set +e
"$MIE" ensemble -o "$TMP/x.mie" "$TMP/rel.mie" "$TMP/rel3.mie" > /dev/null 2> "$TMP/err3"; rc3=$?
set -e
[[ $rc3 == 2 ]] && grep -q "vocabulary" "$TMP/err3" && grep -q "rel3.mie" "$TMP/err3" || fail "other vocabulary: rc $rc3 $(cat "$TMP/err3")"

# Bad input: malformed instance line, wrong model file -> exit 2 with the file named.
echo "{'token': ['a'], 'h': {'name': 'a', 'pos': [0, 3]}}" > "$TMP/bad.txt"
set +e
"$MIE" predict-rel --model "$TMP/rel.mie" --input "$TMP/bad.txt" > /dev/null 2> "$TMP/err1"; rc1=$?
"$MIE" predict-rel --model "$TMP/val.txt" --input "$TMP/val.txt" > /dev/null 2> "$TMP/err2"; rc2=$?
set -e
[[ $rc1 == 2 ]] && grep -q "bad.txt" "$TMP/err1" || fail "malformed input: rc $rc1 $(cat "$TMP/err1")"
[[ $rc2 == 2 ]] && grep -q "val.txt" "$TMP/err2" || fail "wrong model file: rc $rc2 $(cat "$TMP/err2")"
echo "PASS relation e2e"
