#!/usr/bin/env bash
# e2e: `mie export` (docs/kg.md). A hand-written prediction file (tests/fixtures/export) and the
# default model's predictions on GMNER dev (+ one photo post) exported as Turtle, N-Triples and
# JSON-LD: each parses in rdflib (Debian python3-rdflib) to the same graph; SPARQL counts (persons
# with a box, mentions per entity, relations) match the predictions; every mie term used is
# declared in docs/kg/mie.ttl, which equals scripts/make-kg-vocab.py's output. The Neo4j CSV files
# have neo4j-admin's header format and every relationship end is a node. Bad input names file:line.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
MODEL=$SRC/models/gmner.mie
PHOTO=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
FIX=$SRC/tests/fixtures/export/pred.jsonl
"$MIE" predict --model "$MODEL" --input "$DATA/gmner/dev.txt" > "$TMP/dev.jsonl" 2> /dev/null
"$MIE" predict --model "$MODEL" --text "Lionel Messi scores again for Barcelona" --image "$PHOTO" >> "$TMP/dev.jsonl" 2> /dev/null
for name in fix dev; do
  in=$FIX; [[ $name == dev ]] && in=$TMP/dev.jsonl
  for f in ttl nt jsonld; do "$MIE" export --format "$f" --pred "$in" -o "$TMP/$name.$f" 2>> "$TMP/log"; done
  "$MIE" export --format neo4j --pred "$in" -o "$TMP/$name.neo4j" 2>> "$TMP/log"
done
grep -q "export: 3 posts" "$TMP/log" || fail "summary: $(cat "$TMP/log")"
/usr/bin/python3 "$SRC/scripts/make-kg-vocab.py" "$DATA/fmnerg/coarse_fine_tree.json" > "$TMP/vocab.ttl"
cmp -s "$TMP/vocab.ttl" "$SRC/docs/kg/mie.ttl" || fail "docs/kg/mie.ttl differs from scripts/make-kg-vocab.py's output"
/usr/bin/python3 - "$TMP" "$SRC/docs/kg/mie.ttl" <<'PY'
import csv, glob, json, os, sys
import rdflib
from rdflib import RDF, Namespace, URIRef
tmp, vocab_path = sys.argv[1:]
MIE, SCHEMA = Namespace("https://mie.invalid/ns/"), Namespace("https://schema.org/")
vocab = rdflib.Graph().parse(vocab_path, format="turtle")
declared = set(vocab.subjects())
PFX = "PREFIX mie: <https://mie.invalid/ns/> PREFIX schema: <https://schema.org/> " \
      "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "

def load(name):
    graphs = {f: rdflib.Graph().parse(f"{tmp}/{name}.{f}", format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[f])
              for f in ("ttl", "nt", "jsonld")}
    sets = {f: set(g) for f, g in graphs.items()}
    assert sets["ttl"] == sets["nt"] == sets["jsonld"], (name, {f: len(s) for f, s in sets.items()})
    g = graphs["nt"]
    used = {t for tr in g for t in (tr[1], tr[2]) if isinstance(t, URIRef) and str(t).startswith(str(MIE))}
    undeclared = used - declared
    assert not undeclared, sorted(undeclared)[:5]
    return g

def one(g, q):
    return [tuple(r) for r in g.query(PFX + q)]

# The hand-written file: known answers.
g = load("fix")
persons_with_box = one(g, "SELECT DISTINCT ?e WHERE { ?e a schema:Person ; mie:mention ?m . ?m mie:region ?r }")
assert len(persons_with_box) == 2, persons_with_box
per_entity = dict((str(e).rsplit("/", 2)[-2] + "/" + str(e).rsplit("/", 1)[-1], int(n)) for e, n in one(g,
    "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?e a mie:Entity ; mie:mention ?m } GROUP BY ?e"))
assert per_entity == {"PER/lionel%20messi": 1, "PER/messi": 2, "ORG/barcelona": 2, "LOC/paris": 1, "ORG/psg": 1}, per_entity
rels = one(g, "SELECT ?h ?p ?t ?s WHERE { ?st a rdf:Statement ; rdf:subject ?h ; rdf:predicate ?p ; rdf:object ?t ; mie:score ?s . ?h ?p ?t }")
assert len(rels) == 3 and sorted(float(s) for *_, s in rels) == [0.2, 0.6, 0.83], rels
regions = sorted(str(r) for (r,) in one(g, "SELECT ?r WHERE { ?r a mie:ImageRegion }"))
assert regions == ["file:///data/img/a1.jpg#xywh=201,30,130,270",
                   "https://mie.invalid/data/image/photos/b%202.jpg#xywh=10,20,100,200"], regions

# GMNER dev predictions: the graph's counts are the file's.
g = load("dev")
posts = [json.loads(l) for l in open(f"{tmp}/dev.jsonl")]
mentions = sum(len(p["entities"]) for p in posts)
boxed = sum(1 for p in posts for e in p["entities"] if e["boxes"])
assert boxed >= 1
assert one(g, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a schema:SocialMediaPosting }")[0][0].toPython() == len(posts)
assert one(g, "SELECT (COUNT(?m) AS ?n) WHERE { ?m a mie:Mention }")[0][0].toPython() == mentions
assert one(g, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m mie:region ?r }")[0][0].toPython() == boxed
assert one(g, "SELECT (COUNT(?m) AS ?n) WHERE { ?e mie:mention ?m }")[0][0].toPython() == mentions  # each once
n_ent = one(g, "SELECT (COUNT(?e) AS ?n) WHERE { ?e a mie:Entity }")[0][0].toPython()
assert 0 < n_ent < mentions, (n_ent, mentions)                                 # a graph, not a list
print(f"dev: {len(g)} triples, {len(posts)} posts, {mentions} mentions, {n_ent} entities, {boxed} boxed")

# Neo4j CSV: neo4j-admin's headers; every relationship end is a node.
for name in ("fix", "dev"):
    d = f"{tmp}/{name}.neo4j"
    ids, heads = {}, {}
    for path in sorted(glob.glob(d + "/*.csv")):
        rows = list(csv.reader(open(path, newline="")))
        heads[os.path.basename(path)] = rows[0]
        assert all(len(r) == len(rows[0]) for r in rows), path
        if rows[0][0].startswith("id:ID("):
            space = rows[0][0][6:-1]
            ids.setdefault(space, set()).update(r[0] for r in rows[1:])
    assert heads["entities.csv"] == ["id:ID(Entity)", "name", "type", ":LABEL"], heads
    for f in ("in_post.csv", "denotes.csv", "grounded_in.csv", "relations.csv"):
        h = heads[f]
        assert h[0].startswith(":START_ID(") and h[1].startswith(":END_ID(") and h[2] == ":TYPE", h
        for r in list(csv.reader(open(f"{d}/{f}", newline="")))[1:]:
            assert r[0] in ids[h[0][10:-1]] and r[1] in ids[h[1][8:-1]], (f, r)
    assert os.access(f"{d}/import.sh", os.X_OK)
rels = list(csv.reader(open(f"{tmp}/fix.neo4j/relations.csv", newline="")))[1:]
assert sorted(r[2] for r in rels) == ["ORG_ORG_ALTERNATE_NAMES", "PER_ORG_MEMBER_OF", "PER_ORG_MEMBER_OF"], rels
PY
# Bad input: file and line named, exit 2; neo4j needs a directory (usage error).
printf '{"id":"1","tokens":["a"],"entities":[]}\n{"id": 2, broken\n' > "$TMP/bad.jsonl"
printf '{"id":"1","tokens":["a","b"],"entities":[{"start":0,"end":1,"type":"PER"}],"relations":[{"head":0,"tail":3,"label":"/per/per/peer"}]}\n' > "$TMP/badrel.jsonl"
set +e
"$MIE" export --format nt --pred "$TMP/bad.jsonl" -o "$TMP/x.nt" 2> "$TMP/e1"; r1=$?
"$MIE" export --format ttl --pred "$TMP/badrel.jsonl" -o "$TMP/x.ttl" 2> "$TMP/e2"; r2=$?
"$MIE" export --format neo4j --pred "$FIX" 2> "$TMP/e3"; r3=$?
set -e
[[ $r1 == 2 ]] && grep -q "bad.jsonl:2:" "$TMP/e1" || fail "bad JSON: rc $r1 $(cat "$TMP/e1")"
[[ $r2 == 2 ]] && grep -q "badrel.jsonl:1:.*relation" "$TMP/e2" || fail "bad relation: rc $r2 $(cat "$TMP/e2")"
[[ $r3 == 2 ]] && grep -q "directory" "$TMP/e3" || fail "neo4j to stdout: rc $r3 $(cat "$TMP/e3")"
echo "PASS export"
