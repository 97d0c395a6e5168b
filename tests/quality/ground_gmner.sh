#!/usr/bin/env bash
# Quality floor of the grounding stage's groundable classifier (grounding/classifier.h): trained
# with the exact command scripts/train-benchmarks.sh uses for models/gmner.mie (GMNER train, BLIP-2
# captions, seed 1; ~3 s), scored on the GMNER dev gold entities. Floors sit just below the
# figures in docs/RESULTS.md (accuracy 79.10, F1 73.80; majority baseline 59.55).
# Args: path to the mie binary, source dir (tests/lib.sh).
source "$(dirname "$0")/../lib.sh" "$@"
"$MIE" train ground --train "$DATA/gmner/train.txt" --dev "$DATA/gmner/dev.txt" --xml "$DATA/gmner/xml" \
  --caption "$DATA/aux/captions-blip2.jsonl" --seed 1 -o "$TMP/ground.mie" > "$TMP/summary.json" 2> "$TMP/log" \
  || { cat "$TMP/log"; exit 1; }
python3 - "$TMP/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
acc, f1, base = s["dev"]["accuracy"], s["dev"]["f1_groundable"], s["dev_majority"]["accuracy"]
print(f"groundable dev accuracy {acc:.2f} F1 {f1:.2f} (majority {base:.2f}; floors 78.0 / 72.0)")
assert acc >= 78.0 and f1 >= 72.0, (acc, f1)
assert acc >= base + 15, (acc, base)
PY
