#!/usr/bin/env bash
# Speed of `mie export` (target: >= 200,000 triples/s on one core) on a large prediction file:
# the default model's GMNER dev predictions repeated COPIES times under new post ids.
#   bench/export_speed.sh [MIE_BINARY] [COPIES]      # from the source root; defaults build/mie 40
# Prints each format's summary line (posts, triples or CSV rows, seconds, per second).
set -euo pipefail
MIE=${1:-build/mie}
COPIES=${2:-40}
DATA=${MIE_DATA:-../shared/data}
MODEL=${MIE_MODELS:-models}/gmner.mie
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$MIE" predict --model "$MODEL" --input "$DATA/gmner/dev.txt" > "$TMP/dev.jsonl" 2> /dev/null
/usr/bin/python3 - "$TMP/dev.jsonl" "$COPIES" > "$TMP/big.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for k in range(int(sys.argv[2])):
    for p in lines:
        p = dict(p, id=f"{p['id']}-{k}")
        print(json.dumps(p, separators=(",", ":"), ensure_ascii=False))
PY
for f in nt ttl jsonld neo4j; do
  out=$TMP/out.$f
  [[ $f == neo4j ]] && out=$TMP/neo4j
  "$MIE" export --format "$f" --pred "$TMP/big.jsonl" -o "$out" 2>&1 | sed "s/^/$f: /"
done
