#!/usr/bin/env bash
# e2e: `mie train ground` on GMNER train (1,500 posts) + dev with BLIP-2 captions, added to a tiny
# NER model (--base); `mie train ground --images` on a tiny image dir (the 2 sample images + xml)
# exercises the region trainer; `mie predict --text --image` gives a PER box on the sample photo;
# JSONL input with an "image" per post; `mie eval --task gmner` (box mode) reads the output; the
# VinVL path (--vinvl) gives Entity.region. Needs the GloVe binary and the detector assets.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: train data model
source "$(dirname "$0")/../lib.sh" "$@"
need_glove
S=$DATA/samples

awk 'BEGIN{RS="";ORS="\n\n"} NR<=2000' "$DATA/gmner/train.txt" > "$TMP/ner-train.txt"
awk 'BEGIN{RS="";ORS="\n\n"} NR<=1500' "$DATA/gmner/train.txt" > "$TMP/train.txt"
awk 'BEGIN{RS="";ORS="\n\n"} NR<=100' "$DATA/gmner/dev.txt" > "$TMP/dev.txt"
"$MIE" train ner --train "$TMP/ner-train.txt" --dev "$TMP/dev.txt" --glove "$GLOVE" --epochs 4 --hidden 32 \
  --threads 1 --glove-top 20000 -o "$TMP/ner.mie" > /dev/null 2> "$TMP/ner.log" || { cat "$TMP/ner.log"; fail "train ner"; }
"$MIE" train ground --train "$TMP/train.txt" --dev "$TMP/dev.txt" --xml "$DATA/gmner/xml" \
  --caption "$DATA/aux/captions-blip2.jsonl" --base "$TMP/ner.mie" -o "$TMP/g.mie" > "$TMP/g.json" 2> "$TMP/g.log" \
  || { cat "$TMP/g.log"; fail "train ground"; }
python3 - "$TMP/g.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["dev"]["n"] > 100 and j["dev"]["accuracy"] > j["dev_majority"]["accuracy"], j["dev"]
PY
# Deterministic for a seed
"$MIE" train ground --train "$TMP/train.txt" --dev "$TMP/dev.txt" --xml "$DATA/gmner/xml" \
  --caption "$DATA/aux/captions-blip2.jsonl" -o "$TMP/g2.mie" > "$TMP/g2.json" 2>/dev/null
python3 -c "import json,sys; a,b=[json.load(open(f)) for f in sys.argv[1:]]; assert a['dev']==b['dev'], (a['dev'],b['dev'])" "$TMP/g.json" "$TMP/g2.json"

# Region trainer on a tiny image dir: the 2 samples (+ their posts; 70560 has no xml)
mkdir -p "$TMP/img"
cp "$S/1953977.jpg" "$S/70560.jpg" "$TMP/img/"
{ grep -A14 '^IMGID:1953977$' "$DATA/gmner/train.txt"; printf '\nIMGID:70560\nRT\tO\n@\tO\nnews\tO\n:\tO\nObama\tB-PER\nin\tO\nTexas\tB-LOC\n\n'; } > "$TMP/tiny.txt"
"$MIE" train ground --train "$TMP/tiny.txt" --dev "$TMP/tiny.txt" --xml "$DATA/gmner/xml" --images "$TMP/img" \
  --region-epochs 20 --hash-bits 10 -o "$TMP/tiny.mie" > "$TMP/tiny.json" 2> "$TMP/tiny.log" || { cat "$TMP/tiny.log"; fail "train ground --images"; }
python3 - "$TMP/tiny.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["regions"]
assert r["train_images"] == 2 and r["train_groundable"] == 1 and r["train_covered"] == 1, r
assert r["dev_trained"]["box_acc"] == 100.0, r
print("tiny region training:", json.dumps({k: r[k] for k in ("train_prior", "train_trained", "history")}))
PY
# VinVL variant of the trainer
mkdir -p "$TMP/npz" && cp "$S"/*.npz "$TMP/npz/"
"$MIE" train ground --train "$TMP/tiny.txt" --dev "$TMP/tiny.txt" --xml "$DATA/gmner/xml" --regions "$TMP/npz" \
  --region-epochs 20 --hash-bits 10 -o "$TMP/tinyv.mie" > "$TMP/tinyv.json" 2> "$TMP/tinyv.log" || { cat "$TMP/tinyv.log"; fail "train ground --regions"; }

# predict --text --image: entities with groundable flags and boxes
"$MIE" predict --model "$TMP/g.mie" --text "RT @HistoryPixs : Angelina Jolie when she was only 16 years old ." \
  --image "$S/1953977.jpg" > "$TMP/p1.jsonl" 2> "$TMP/p1.log" || { cat "$TMP/p1.log"; fail "predict --image"; }
python3 - "$TMP/p1.jsonl" <<'PY'
import json, sys
p = json.loads(open(sys.argv[1]).readline())
assert p["image"]["path"].endswith("1953977.jpg"), p
for e in p["entities"]:
    assert isinstance(e["groundable"], bool) and (not e["boxes"] or len(e["boxes"][0]) == 4), e
PY
# JSONL input: "image" per post (a string path; a post without one gets no box)
printf '{"id":"j1","text":"Angelina Jolie when she was only 16","image":"%s"}\n{"id":"j2","text":"Angelina Jolie at 16"}\n' "$S/1953977.jpg" \
  | "$MIE" predict --model "$TMP/g.mie" --regions face,object,image --face-size 320 > "$TMP/j.jsonl" 2> "$TMP/j.log" || { cat "$TMP/j.log"; fail "predict jsonl"; }
python3 - "$TMP/j.jsonl" <<'PY'
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert a["image"]["path"].endswith("1953977.jpg") and b["image"] is None, (a, b)
for e in b["entities"]:
    assert e["boxes"] == [], e
PY
# CoNLL input with --images; CoNLL input with --images; eval in box mode
grep -A14 '^IMGID:1953977$' "$DATA/gmner/train.txt" > "$TMP/one.txt"
"$MIE" predict --model "$TMP/g.mie" --input "$TMP/one.txt" --images "$TMP/img" --caption "$DATA/aux/captions-blip2.jsonl" > "$TMP/one.jsonl" 2> "$TMP/one.log" \
  || { cat "$TMP/one.log"; fail "predict conll --images"; }
"$MIE" eval --task gmner --gold "$TMP/one.txt" --xml "$DATA/gmner/xml" --pred "$TMP/one.jsonl" --json > "$TMP/eval.json" \
  || fail "eval gmner"
python3 - "$TMP/one.jsonl" "$TMP/eval.json" <<'PY'
import json, sys
p = json.loads(open(sys.argv[1]).readline()); e = json.load(open(sys.argv[2]))
assert "gmner" in e and "eeg" in e, e.keys()
print("predicted:", [(x["text"], x["type"], x["groundable"], x["boxes"]) for x in p["entities"]], "gmner F1", e["gmner"]["f1"])
# The NER stage (trained above, deterministic) finds Angelina Jolie; grounding must box her.
assert any(x["text"] == "Angelina Jolie" and x["groundable"] and x["boxes"] for x in p["entities"]), p["entities"]
assert e["gmner"]["f1"] == 100.0, e["gmner"]
PY
# VinVL at predict time: region indices
"$MIE" predict --model "$TMP/g.mie" --input "$TMP/one.txt" --images "$TMP/img" --vinvl "$TMP/npz" \
  --caption "$DATA/aux/captions-blip2.jsonl" > "$TMP/v.jsonl" 2>/dev/null || fail "predict --vinvl"
mkdir -p "$TMP/regions" && cp "$S/1953977.jpg.npz" "$TMP/regions/"
"$MIE" eval --task gmner --gold "$TMP/one.txt" --xml "$DATA/gmner/xml" --pred "$TMP/v.jsonl" --regions "$TMP/regions" --json > "$TMP/veval.json" \
  || fail "eval gmner --regions"
python3 - "$TMP/v.jsonl" "$TMP/veval.json" <<'PY'
import json, sys
p = json.loads(open(sys.argv[1]).readline()); e = json.load(open(sys.argv[2]))
ent = [x for x in p["entities"] if x["text"] == "Angelina Jolie"]
assert ent and ent[0]["groundable"] and ent[0].get("region", -1) >= 0, p["entities"]
assert e["eeg"]["f1"] > 0, e["eeg"]
print("vinvl: region", ent[0]["region"], "eeg F1", e["eeg"]["f1"])
PY
# A missing image exits 2 naming the file
set +e
"$MIE" predict --model "$TMP/g.mie" --text "Obama" --image "$TMP/nope.jpg" > /dev/null 2> "$TMP/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "nope.jpg" "$TMP/err" || fail "missing image: rc=$rc $(cat "$TMP/err")"
echo "ground e2e ok"
