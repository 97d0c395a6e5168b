#!/usr/bin/env bash
# Quality floor of the grounding stage's groundable classifier (grounding/classifier.h): trained
# with the exact command scripts/train-benchmarks.sh uses for models/gmner.mie (GMNER train, BLIP-2
# captions, seed 1; ~3 s), scored on the GMNER dev gold entities. Floors sit just below the
# figures in docs/RESULTS.md (accuracy 79.10, F1 73.80; majority baseline 59.55), and its
# probability (groundable_score) stays calibrated (ECE 0.028, log loss 0.464 against 0.675 for the prior).
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
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
ece, ll, prior = s["dev"]["ece"], s["dev"]["log_loss"], s["dev_majority"]["log_loss"]
print(f"groundable_score ECE {ece:.3f} log loss {ll:.3f} (prior {prior:.3f}; ceilings 0.05 / prior - 0.15)")
assert ece <= 0.05 and ll <= prior - 0.15, (ece, ll, prior)
PY
