#!/usr/bin/env bash
# e2e: a small NER (`mie train ner`, 4 epochs on 600 GMNER posts), `mie train fine --base` on the
# same 300 FMNERG posts (2 epochs), then `mie predict` with the two-stage model: every entity
# has a fine_type under its (FMNERG) coarse type. `mie train ner --fine` (a tagger over the fine
# types) gives the same output shape. Bad input exits 2 naming the file.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: train data
source "$(dirname "$0")/../lib.sh" "$@"
first_posts() { awk -v n="$2" 'BEGIN{RS=""; ORS="\n\n"} NR<=n' "$1"; }

first_posts "$DATA/gmner/train.txt" 600 > "$TMP/ner-train.txt"
first_posts "$DATA/gmner/dev.txt" 60 > "$TMP/ner-dev.txt"
first_posts "$DATA/fmnerg/train.txt" 300 > "$TMP/train.txt"
first_posts "$DATA/fmnerg/dev.txt" 60 > "$TMP/dev.txt"
"$MIE" train ner --train "$TMP/ner-train.txt" --dev "$TMP/ner-dev.txt" -o "$TMP/ner.mie" --epochs 4 --hidden 32 \
  --glove-top 1000 --threads 1 > /dev/null 2> "$TMP/ner.log" || { cat "$TMP/ner.log"; fail "train ner"; }
"$MIE" train fine --train "$TMP/train.txt" --dev "$TMP/dev.txt" --base "$TMP/ner.mie" -o "$TMP/fine.mie" \
  --caption "$DATA/aux/captions-blip2.jsonl" --epochs 2 --threads 1 > "$TMP/fine.json" 2> "$TMP/fine.log" \
  || { cat "$TMP/fine.log"; fail "train fine"; }
"$MIE" predict --model "$TMP/fine.mie" --input "$TMP/ner-dev.txt" > "$TMP/pred.jsonl"
"$MIE" predict --model "$TMP/fine.mie" --text "Albert Einstein and Barack Obama visit Paris with Apple" > "$TMP/one.jsonl"
python3 - "$TMP/fine.json" "$TMP/pred.jsonl" "$TMP/one.jsonl" "$DATA/fmnerg/coarse_fine_tree.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["epochs_run"] == 2 and "dev_gold_spans" in s and "dev_end_to_end" in s, s
assert s["coarse_mode"] in ("joint", "respect"), s
tree = json.load(open(sys.argv[4]))
tree = tree.get("coarse_fine_tree", tree)
parent = {f: c for c, fs in tree.items() for f in fs}
n = 0
for path in sys.argv[2:4]:
    for line in open(path):
        p = json.loads(line)
        for e in p["entities"]:
            assert e["fine_type"] in parent, e
            assert parent[e["fine_type"]] == e["type"], e
            n += 1
assert n > 0, "no entities predicted"
PY
# `mie train ner --fine`: the tagger learns the fine types directly; predict reports each one as
# fine_type under its FMNERG coarse type, and its dev F1 equals mie eval's fine_mner.
"$MIE" train ner --fine --train "$TMP/train.txt" --dev "$TMP/dev.txt" -o "$TMP/tagger.mie" --epochs 8 --hidden 32 \
  --glove-top 1000 --threads 1 > "$TMP/tagger.json" 2> "$TMP/tagger.log" || { cat "$TMP/tagger.log"; fail "train ner --fine"; }
"$MIE" predict --model "$TMP/tagger.mie" --input "$TMP/dev.txt" > "$TMP/tagged.jsonl"
"$MIE" eval --task fmnerg --gold "$TMP/dev.txt" --xml "$DATA/gmner/xml" --pred "$TMP/tagged.jsonl" --json > "$TMP/tagged-eval.json"
python3 - "$TMP/tagger.json" "$TMP/tagged.jsonl" "$TMP/tagged-eval.json" "$DATA/fmnerg/coarse_fine_tree.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); ev = json.load(open(sys.argv[3]))
tree = json.load(open(sys.argv[4])); tree = tree.get("coarse_fine_tree", tree)
parent = {f: c for c, fs in tree.items() for f in fs}
ents = [e for l in open(sys.argv[2]) for e in json.loads(l)["entities"]]
assert ents and all(parent.get(e["fine_type"]) == e["type"] for e in ents), ents[:5]
assert abs(t["dev"]["f1"] - ev["fine_mner"]["f1"]) < 1e-6, (t["dev"], ev["fine_mner"])
PY
# `mie ensemble --guide`: the coarse NER model guides the fine tagger (its PER/LOC/ORG/OTHER scores
# added to the fine labels of each coarse type). Still one fine_type under its coarse type per
# entity; with a heavy guide the entities' GMNER types follow the guide's. A guide whose labels
# are not coarse types, and one model without --guide, are refused.
"$MIE" ensemble -o "$TMP/guided.mie" --guide "$TMP/ner.mie" --guide-weight 10 "$TMP/tagger.mie" > "$TMP/guided.json" 2> "$TMP/guided.log" \
  || { cat "$TMP/guided.log"; fail "ensemble --guide"; }
"$MIE" predict --model "$TMP/guided.mie" --input "$TMP/dev.txt" > "$TMP/guided.jsonl"
"$MIE" predict --model "$TMP/ner.mie" --input "$TMP/dev.txt" > "$TMP/coarse.jsonl"
python3 - "$TMP/guided.json" "$TMP/guided.jsonl" "$TMP/coarse.jsonl" "$TMP/tagged.jsonl" "$DATA/fmnerg/coarse_fine_tree.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["guide"]["weight"] == 10, s
tree = json.load(open(sys.argv[5])); tree = tree.get("coarse_fine_tree", tree)
parent = {f: c for c, fs in tree.items() for f in fs}
gm = {"person": "PER", "location": "LOC", "building": "LOC", "organization": "ORG"}
def spans(path, key):
    out = set()
    for l in open(path):
        p = json.loads(l)
        for e in p["entities"]:
            out.add((p["id"], e["start"], e["end"], key(e)))
    return out
guided = spans(sys.argv[2], lambda e: gm.get(e["type"], "OTHER"))
coarse = spans(sys.argv[3], lambda e: e["type"])
alone = spans(sys.argv[4], lambda e: gm.get(e["type"], "OTHER"))
ents = [e for l in open(sys.argv[2]) for e in json.loads(l)["entities"]]
assert ents and all(parent.get(e["fine_type"]) == e["type"] for e in ents), ents[:5]
agree = len(guided & coarse) / max(1, len(guided | coarse))
before = len(alone & coarse) / max(1, len(alone | coarse))
assert agree >= 0.8 and agree > before, (agree, before)
PY
# `mie ensemble --types gmner`: the same guided tagger emitting GMNER types (PER/LOC/ORG/OTHER, the
# fine type kept), so that it serves as a GMNER model: same spans, type = the fine type's GMNER type.
"$MIE" ensemble -o "$TMP/as-gmner.mie" --types gmner "$TMP/guided.mie" > "$TMP/as-gmner.json" 2> "$TMP/as-gmner.log" \
  || { cat "$TMP/as-gmner.log"; fail "ensemble --types gmner"; }
"$MIE" predict --model "$TMP/as-gmner.mie" --input "$TMP/dev.txt" > "$TMP/as-gmner.jsonl"
python3 - "$TMP/as-gmner.json" "$TMP/as-gmner.jsonl" "$TMP/guided.jsonl" "$DATA/fmnerg/coarse_fine_tree.json" <<'PY'
import json, sys
assert json.load(open(sys.argv[1]))["entity_types"] == "gmner"
tree = json.load(open(sys.argv[4])); tree = tree.get("coarse_fine_tree", tree)
parent = {f: c for c, fs in tree.items() for f in fs}
gm = {"person": "PER", "location": "LOC", "building": "LOC", "organization": "ORG"}
def ents(path):
    return [(p["id"], e["start"], e["end"], e["type"], e["fine_type"]) for l in open(path) for p in [json.loads(l)] for e in p["entities"]]
a, g = ents(sys.argv[2]), ents(sys.argv[3])
assert a and len(a) == len(g), (len(a), len(g))
for x, y in zip(a, g):
    assert x[:3] == y[:3] and x[4] == y[4] and x[3] == gm.get(parent[x[4]], "OTHER") == gm.get(y[3], "OTHER"), (x, y)
PY
# The typing stage on top of the guided fine tagger, fused with the tagger's type scores
# (--ner-weight; the best of the given weights end to end on dev is kept).
"$MIE" train fine --train "$TMP/train.txt" --dev "$TMP/dev.txt" --base "$TMP/guided.mie" --reuse "$TMP/fine.mie" \
  --caption "$DATA/aux/captions-blip2.jsonl" --ner-weight 0 1 3 -o "$TMP/fused.mie" > "$TMP/fused.json" 2> "$TMP/fused.log" \
  || { cat "$TMP/fused.log"; fail "train fine --ner-weight"; }
"$MIE" predict --model "$TMP/fused.mie" --input "$TMP/dev.txt" > "$TMP/fused.jsonl"
python3 - "$TMP/fused.json" "$TMP/fused.jsonl" "$DATA/fmnerg/coarse_fine_tree.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
e2e = s["dev_end_to_end"]
assert s["ner_weight"] in (0, 1, 3), s["ner_weight"]
keys = {f"{m} ner_weight {w}" for m in ("joint", "respect") for w in ("0.0", "1.0", "3.0")}
assert set(e2e) == keys, sorted(e2e)
best = max(v["fine"]["f1"] for v in e2e.values())
chosen = e2e[f'{s["coarse_mode"]} ner_weight {float(s["ner_weight"])}']["fine"]["f1"]
assert chosen == best, (chosen, best)
tree = json.load(open(sys.argv[3])); tree = tree.get("coarse_fine_tree", tree)
parent = {f: c for c, fs in tree.items() for f in fs}
ents = [e for l in open(sys.argv[2]) for e in json.loads(l)["entities"]]
assert ents and all(parent.get(e["fine_type"]) == e["type"] for e in ents), ents[:5]
assert all("type_logprobs" not in e for e in ents)
PY
set +e
"$MIE" ensemble -o "$TMP/x.mie" --guide "$TMP/tagger.mie" "$TMP/tagger.mie" > /dev/null 2> "$TMP/err3"; rc3=$?
"$MIE" ensemble -o "$TMP/x.mie" "$TMP/tagger.mie" > /dev/null 2> "$TMP/err4"; rc4=$?
"$MIE" ensemble -o "$TMP/x.mie" --types gmner "$TMP/ner.mie" > /dev/null 2> "$TMP/err5"; rc5=$?
set -e
[[ $rc5 == 2 ]] && grep -q "ner.mie" "$TMP/err5" && grep -q -- "--types" "$TMP/err5" || fail "--types on a coarse model: rc $rc5 $(cat "$TMP/err5")"
[[ $rc3 == 2 ]] && grep -q "tagger.mie" "$TMP/err3" || fail "fine guide: rc $rc3 $(cat "$TMP/err3")"
[[ $rc4 == 1 ]] || fail "one model without --guide: rc $rc4 $(cat "$TMP/err4")"
# Bad input: a missing training file and a non-model file -> exit 2 with the file named.
set +e
"$MIE" train fine --train "$TMP/missing.txt" --dev "$TMP/dev.txt" -o "$TMP/x.mie" > /dev/null 2> "$TMP/err1"; rc1=$?
"$MIE" train fine --train "$TMP/train.txt" --dev "$TMP/dev.txt" --base "$TMP/dev.txt" -o "$TMP/x.mie" > /dev/null 2> "$TMP/err2"; rc2=$?
set -e
[[ $rc1 == 2 ]] && grep -q "missing.txt" "$TMP/err1" || fail "missing file: rc $rc1 $(cat "$TMP/err1")"
[[ $rc2 == 2 ]] && grep -q "dev.txt" "$TMP/err2" || fail "bad base model: rc $rc2 $(cat "$TMP/err2")"
echo "PASS fine e2e"
