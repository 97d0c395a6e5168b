#!/usr/bin/env bash
# Quality floor: the default model models/gmner.mie (trained by scripts/setup.sh with the command
# in scripts/train-benchmarks.sh) tags the GMNER dev split; `mie eval --task mner` must reach the
# floor, set just below the dev F1 measured in docs/RESULTS.md. A regression guard: it fails when
# a change to the tokenizer, features, encoder, tagger or trainer costs accuracy.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
FLOOR=${MIE_NER_FLOOR:-75.0}
MODEL=${MIE_MODELS:-$SRC/models}/gmner.mie
[ -s "$MODEL" ] || { echo "FAIL: no default model at $MODEL (scripts/setup.sh trains it)" >&2; exit 1; }
"$MIE" predict --model "$MODEL" --input "$DATA/gmner/dev.txt" --format conll --threads 2 > "$TMP/pred.conll"
"$MIE" eval --task mner --gold "$DATA/gmner/dev.txt" --pred "$TMP/pred.conll" --json > "$TMP/eval.json"
python3 - "$TMP/eval.json" "$FLOOR" <<'PY'
import json, sys
f1 = json.load(open(sys.argv[1]))["mner"]["f1"]
floor = float(sys.argv[2])
print(f"GMNER dev MNER F1 {f1:.2f} (floor {floor})")
assert f1 >= floor, f"GMNER dev MNER F1 {f1:.2f} is below the floor {floor}"
PY
