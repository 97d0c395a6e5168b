#!/usr/bin/env bash
# e2e: `mie eval` on real dev data. Gold scored against itself gives 100 everywhere; a copy
# without boxes, an empty prediction file and bad predictions give the hand-computed results.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data
source "$(dirname "$0")/../lib.sh" "$@"
G=$DATA/gmner
if [[ ! -f $G/dev.txt ]]; then
  skip "no GMNER data under $DATA"
fi

# GMNER dev (CoNLL + VOC xml) -> mie JSONL, written independently of mie's readers.
python3 - "$G/dev.txt" "$G/xml" "$TMP/dev.jsonl" "$TMP/nobox.jsonl" <<'EOF'
import json, os, sys, xml.etree.ElementTree as ET
conll, xml_dir, out, nobox = sys.argv[1:]
posts, cur = [], None
for line in open(conll, encoding="utf-8"):
    line = line.rstrip("\r\n")
    if line.startswith("IMGID:"):
        cur = {"id": line[6:], "tokens": [], "tags": []}; posts.append(cur)
    elif line.strip():
        tok, tag = line.split("\t"); cur["tokens"].append(tok); cur["tags"].append(tag)
with open(out, "w") as f, open(nobox, "w") as g:
    for p in posts:
        ents, start, typ = [], None, None
        for i, t in enumerate(p["tags"] + ["O"]):
            if start is not None and not (t.startswith("I-") and t[2:] == typ):
                ents.append([start, i, typ]); start = None
            if t.startswith("B-") or (t.startswith("I-") and start is None):
                start, typ = i, t[2:]
        boxes = {}
        fn = os.path.join(xml_dir, p["id"] + ".xml")
        if os.path.exists(fn):
            for o in ET.parse(fn).getroot().findall("object"):
                b = o.find("bndbox")
                boxes.setdefault(o.find("name").text, []).append(
                    [float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
        es = []
        for s, e, t in ents:
            bx = boxes.get(" ".join(p["tokens"][s:e]), [])
            es.append({"start": s, "end": e, "type": t, "groundable": bool(bx), "boxes": bx})
        f.write(json.dumps({"id": p["id"], "tokens": p["tokens"], "entities": es}) + "\n")
        for x in es: x["groundable"], x["boxes"] = False, []
        g.write(json.dumps({"id": p["id"], "entities": es}) + "\n")
EOF

check() {  # check JSON_FILE KEY FIELD EXPECTED
  python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]]; \
sys.exit(0 if abs(float(v)-float(sys.argv[4]))<1e-6 else 'got %s=%r, want %s' % (sys.argv[2]+'.'+sys.argv[3], v, sys.argv[4]))" "$@" \
    || fail "$*"
}

# 1. Self-score, box mode: 100 everywhere.
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/dev.jsonl" --json > "$TMP/self.json"
for k in gmner mner eeg; do
  check "$TMP/self.json" $k f1 100
  check "$TMP/self.json" $k tp 2450
  check "$TMP/self.json" $k gold 2450
done
check "$TMP/self.json" gmner groundable_correct 991
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/dev.jsonl" > "$TMP/self.txt"
grep -Eq '^gmner +100\.00 +100\.00 +100\.00 +2450 +2450 +2450' "$TMP/self.txt" || fail "table: $(head -3 "$TMP/self.txt")"

# 2. No boxes at all: only the 2450 - 991 = 1459 ungroundable entities keep their region right.
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/nobox.jsonl" --json > "$TMP/nobox.json"
check "$TMP/nobox.json" gmner tp 1459
check "$TMP/nobox.json" eeg tp 1459
check "$TMP/nobox.json" mner tp 2450
check "$TMP/nobox.json" gmner f1 "$(python3 -c 'print(100*1459/2450)')"
check "$TMP/nobox.json" gmner groundable_acc 0

# 3. Empty predictions: every gold post predicts nothing.
: > "$TMP/empty.jsonl"
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/empty.jsonl" --json > "$TMP/empty.json"
check "$TMP/empty.json" gmner pred 0
check "$TMP/empty.json" gmner f1 0

# 4. Bootstrap on perfect predictions: the interval is [100, 100].
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/dev.jsonl" --json --bootstrap 50 > "$TMP/ci.json"
python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['gmner']['ci95']['f1']; sys.exit(0 if c==[100.0,100.0] else c)" "$TMP/ci.json" \
  || fail "bootstrap ci"

# 5. MNER with CoNLL predictions (stdin), and a bad prediction id is a clear error (exit 2).
"$MIE" eval --task mner --gold "$G/dev.txt" --pred - --json < "$G/dev.txt" > "$TMP/mner.json"
check "$TMP/mner.json" mner f1 100
echo '{"id": "no-such-post", "entities": []}' > "$TMP/bad.jsonl"
set +e
"$MIE" eval --task gmner --gold "$G/dev.txt" --xml "$G/xml" --pred "$TMP/bad.jsonl" 2> "$TMP/err.txt"
rc=$?
"$MIE" eval --task gmner --gold "$G/dev.txt" --pred "$TMP/dev.jsonl" 2> "$TMP/err2.txt"
rc2=$?
set -e
[[ $rc -eq 2 ]] || fail "bad id: exit $rc"
grep -q "no-such-post" "$TMP/err.txt" || fail "bad id message: $(cat "$TMP/err.txt")"
[[ $rc2 -eq 2 ]] || fail "missing --xml: exit $rc2"
grep -q -- "--xml" "$TMP/err2.txt" || fail "missing --xml message: $(cat "$TMP/err2.txt")"

# 6. Candidate mode on the one GMNER post with real VinVL regions (samples/1953977.jpg.npz):
#    "Angelina Jolie" is groundable; region -1 is wrong, and some top-16 candidate is right.
if [[ -f $DATA/samples/1953977.jpg.npz ]]; then
  awk '/^IMGID:/{on=($0=="IMGID:1953977")} on' "$G/train.txt" > "$TMP/one.txt"
  right=0
  for r in -1 $(seq 0 15); do
    echo "{\"id\": \"1953977\", \"entities\": [{\"start\": 4, \"end\": 6, \"type\": \"PER\", \"region\": $r}]}" > "$TMP/c.jsonl"
    "$MIE" eval --task gmner --gold "$TMP/one.txt" --xml "$G/xml" --regions "$DATA/samples" --top-k 16 \
      --pred "$TMP/c.jsonl" --json > "$TMP/c.json"
    check "$TMP/c.json" mner tp 1
    tp=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['gmner']['tp'])" "$TMP/c.json")
    [[ $r -eq -1 && $tp -ne 0 ]] && fail "region -1 scored right"
    right=$((right + tp))
  done
  [[ $right -ge 1 ]] || fail "no candidate region covers the gold boxes"
fi

# 7. MRE: gold labels as predictions -> 100; no predictions -> accuracy = share of None.
V=$DATA/mnre/val.txt
if [[ -f $V ]]; then
  python3 - "$V" "$TMP/rel.jsonl" > "$TMP/none_share" <<'EOF'
import ast, json, sys
lines = [ast.literal_eval(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
with open(sys.argv[2], "w") as f:
    for i, d in enumerate(lines):
        f.write(json.dumps({"id": i, "relation": d["relation"], "score": 1.0}) + "\n")
print(100 * sum(d["relation"] == "None" for d in lines) / len(lines))
EOF
  "$MIE" eval --task mre --gold "$V" --pred "$TMP/rel.jsonl" --json > "$TMP/mre.json"
  check "$TMP/mre.json" mre acc 100
  check "$TMP/mre.json" mre f1 100
  "$MIE" eval --task mre --gold "$V" --pred "$TMP/empty.jsonl" --json > "$TMP/mre0.json"
  check "$TMP/mre0.json" mre acc "$(cat "$TMP/none_share")"
  check "$TMP/mre0.json" mre f1 0
fi
echo "eval_self: OK"
