#!/usr/bin/env bash
# e2e: `mie train ner` on 300 GMNER train posts (6 small epochs), `mie predict` on CoNLL, JSONL
# and --text input, `mie eval` of the CoNLL output (must equal the trainer's dev F1), and exit
# status 2 for truncated / foreign model files. Needs the GloVe binary (scripts/setup.sh).
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: train data
source "$(dirname "$0")/../lib.sh" "$@"
need_glove

# mie-engine --version names the BLAS kernels; on a CPU with AVX2 they are never OpenBLAS's generic
# Prescott ones. mie --version (no torch loaded) names the same version.
"$(dirname "$MIE")/mie-engine" --version > "$TMP/version.txt"
head -1 "$TMP/version.txt" | grep -q "^mie [0-9]" || fail "--version: $(cat "$TMP/version.txt")"
[[ "$("$MIE" --version)" == "$(head -1 "$TMP/version.txt")" ]] || fail "mie and mie-engine versions differ"
ldd "$(dirname "$MIE")/mie-engine" > "$TMP/ldd.txt"
grep -q "OpenBLAS kernels" "$TMP/version.txt" || ! grep -q openblas "$TMP/ldd.txt" \
  || fail "mie-engine --version does not name the OpenBLAS kernels"
if grep -q avx2 /proc/cpuinfo && [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -q "OpenBLAS kernels" "$TMP/version.txt"; then
  ! grep -q "OpenBLAS kernels: Prescott" "$TMP/version.txt" || fail "generic BLAS kernels: $(cat "$TMP/version.txt")"
fi

awk 'BEGIN{RS="";ORS="\n\n"} NR<=300' "$DATA/gmner/train.txt" > "$TMP/train.txt"
awk 'BEGIN{RS="";ORS="\n\n"} NR<=100' "$DATA/gmner/dev.txt" > "$TMP/dev.txt"
"$MIE" train ner --train "$TMP/train.txt" --dev "$TMP/dev.txt" --glove "$GLOVE" --epochs 6 --hidden 32 \
  --threads 1 --glove-top 5000 -o "$TMP/ner.mie" > "$TMP/train.json" 2> "$TMP/train.log" || { cat "$TMP/train.log"; fail "train ner"; }
grep -q "dev_F1" "$TMP/train.log" || fail "no epoch table"
"$MIE" predict --model "$TMP/ner.mie" --input "$TMP/dev.txt" --format conll > "$TMP/pred.conll"
"$MIE" eval --task mner --gold "$TMP/dev.txt" --pred "$TMP/pred.conll" --json > "$TMP/eval.json"
python3 - "$TMP/train.json" "$TMP/eval.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
assert abs(t["dev"]["f1"] - e["mner"]["f1"]) < 1e-6, (t["dev"], e["mner"]["f1"])
assert e["mner"]["f1"] > 20, e["mner"]["f1"]
PY
# --threads and stdin give the same output
"$MIE" predict --model "$TMP/ner.mie" --input - --format conll --threads 2 --batch 7 < "$TMP/dev.txt" | cmp - "$TMP/pred.conll" \
  || fail "threads/stdin output differs"
# JSONL with text and tokens; raw text
printf '{"id":"x1","text":"RT @nasa: Barack Obama visits New York"}\n{"id":"x2","tokens":["Paris","Hilton"]}\n' \
  | "$MIE" predict --model "$TMP/ner.mie" > "$TMP/pred.jsonl"
python3 - "$TMP/pred.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["id"] for l in lines] == ["x1", "x2"], lines
assert lines[0]["tokens"][:4] == ["RT", "@", "nasa", ":"], lines[0]["tokens"]
for l in lines:
    for e in l["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(l["tokens"]) and e["type"] in {"PER", "LOC", "ORG", "OTHER"}, e
PY
[ "$("$MIE" predict --model "$TMP/ner.mie" --text "hello world" | wc -l)" = 1 ] || fail "--text"
# Entity scores are calibrated probabilities: training stored a temperature, the JSONL scores are in
# (0, 1]; `mie ensemble --calibrate` refits one for a given model (here the same, on the same dev).
"$MIE" predict --model "$TMP/ner.mie" --input "$TMP/dev.txt" > "$TMP/dev.jsonl"
"$MIE" ensemble --calibrate "$TMP/dev.txt" -o "$TMP/cal.mie" "$TMP/ner.mie" > /dev/null 2> "$TMP/cal.log" \
  || { cat "$TMP/cal.log"; fail "ensemble --calibrate"; }
grep -q "entity scores calibrated on $TMP/dev.txt: temperature" "$TMP/cal.log" || fail "no calibration: $(cat "$TMP/cal.log")"
"$MIE" predict --model "$TMP/cal.mie" --input "$TMP/dev.txt" | cmp - "$TMP/dev.jsonl" || fail "refit temperature differs"
grep -q "temperature" "$TMP/train.log" || fail "training did not calibrate the scores"
python3 - "$TMP/dev.jsonl" <<'PY'
import json, sys
scores = [e["score"] for l in open(sys.argv[1]) for e in json.loads(l)["entities"]]
assert scores and all(0 < s <= 1 for s in scores), scores[:10]
assert min(scores) < 0.9, "every entity scored >= 0.9: not probabilities"
PY
# Bad model files and bad input exit 2 with a message naming the file
head -c 500 "$TMP/ner.mie" > "$TMP/cut.mie"
set +e
"$MIE" predict --model "$TMP/cut.mie" --text x 2> "$TMP/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "cut.mie" "$TMP/err" || fail "truncated model: rc=$rc $(cat "$TMP/err")"
set +e
"$MIE" predict --model "$TMP/train.txt" --text x 2> "$TMP/err"; rc=$?
printf '{"id": 1, "text": "\xC3\x28"}\n' | "$MIE" predict --model "$TMP/ner.mie" > /dev/null 2> "$TMP/err2"; rc2=$?
set -e
[ $rc = 2 ] && grep -q "not a mie model" "$TMP/err" || fail "foreign model: rc=$rc"
[ $rc2 = 2 ] || fail "invalid UTF-8 input: rc=$rc2 $(cat "$TMP/err2")"
# A directory as input is exit 2 naming it; an empty --text is a usage error (exit 1), not a read of stdin
set +e
"$MIE" predict --model "$TMP/ner.mie" --input "$TMP" > /dev/null 2> "$TMP/err"; rc=$?
echo "Obama" | "$MIE" predict --model "$TMP/ner.mie" --text " " > "$TMP/out" 2> "$TMP/err2"; rc2=$?
set -e
[ $rc = 2 ] && grep -q "$TMP: cannot open input file: is a directory" "$TMP/err" || fail "directory input: rc=$rc $(cat "$TMP/err")"
[ $rc2 = 1 ] && [ ! -s "$TMP/out" ] && grep -q "text is empty" "$TMP/err2" || fail "empty --text: rc=$rc2 $(cat "$TMP/err2")"
# Training refuses an unwritable output and an empty training file before it starts
: > "$TMP/empty.txt"
set +e
"$MIE" train ner --train "$TMP/train.txt" --dev "$TMP/train.txt" -o "$TMP/no/such/dir/m.mie" 2> "$TMP/err"; rc=$?
"$MIE" train ner --train "$TMP/empty.txt" --dev "$TMP/train.txt" --glove "$GLOVE" -o "$TMP/m.mie" 2> "$TMP/err2"; rc2=$?
set -e
[ $rc = 1 ] && grep -q "directory $TMP/no/such/dir does not exist" "$TMP/err" || fail "unwritable -o: rc=$rc $(cat "$TMP/err")"
[ $rc2 = 2 ] && grep -q "empty.txt: no posts" "$TMP/err2" || fail "empty train file: rc=$rc2 $(cat "$TMP/err2")"
# Custom tag sets: a type outside --types is refused with file and line; --types any trains on it
awk 'BEGIN{RS="";ORS="\n\n"} NR<=60' "$TMP/train.txt" | sed 's/-PER$/-athlete/' > "$TMP/custom.txt"
set +e
"$MIE" train ner --train "$TMP/custom.txt" --dev "$TMP/custom.txt" --glove "$GLOVE" -o "$TMP/c.mie" 2> "$TMP/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "custom.txt:[0-9]*: unknown entity type 'athlete'" "$TMP/err" || fail "custom type: rc=$rc $(cat "$TMP/err")"
"$MIE" train ner --train "$TMP/custom.txt" --dev "$TMP/custom.txt" --types any --glove "$GLOVE" --epochs 1 --hidden 16 \
  --threads 1 --glove-top 1000 -o "$TMP/c.mie" > /dev/null 2> "$TMP/err" || { cat "$TMP/err"; fail "--types any"; }
"$MIE" predict --model "$TMP/c.mie" --input "$TMP/custom.txt" --format conll > /dev/null || fail "predict custom types"
echo "ner e2e ok"
