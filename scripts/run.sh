#!/usr/bin/env bash
# scripts/run.sh — the main job: setup (packages, build, assets, default model trained when
# absent), then the default model models/gmner.mie on posts.
#
#   scripts/run.sh                               # GMNER dev: predictions to out/, scores to stdout
#   scripts/run.sh --text "Messi scores for Barcelona" [--image photo.jpg]   # any `mie predict` args
#   scripts/run.sh --input posts.jsonl > out.jsonl
#
# With no arguments it tags the GMNER dev split (CoNLL in, mie JSONL out to out/gmner.dev.jsonl,
# images from $MIE_IMAGES when set) and prints `mie eval --task gmner` of it against the dev gold
# (MNER, groundable accuracy, and GMNER in box mode: without images no box can be right).
set -euo pipefail
# torch/OpenMP threads sleep instead of spinning while idle (2 spinning threads on 2 busy cores
# made training ~12x slower).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" >&2  # setup logs never mix with the results on stdout
MIE="${MIE_BUILD_DIR:-$ROOT/build}/mie"
MODEL="${MIE_MODELS:-$ROOT/models}/gmner.mie"
if [[ $# -gt 0 ]]; then
  exec "$MIE" predict --model "$MODEL" "$@"
fi
DATA="${MIE_DATA:-$ROOT/../shared/data}"
[[ -f "$DATA/gmner/dev.txt" ]] || { echo "run: no GMNER data under $DATA (set MIE_DATA)" >&2; exit 1; }
OUT="${MIE_OUT:-$ROOT/out}"
mkdir -p "$OUT"
# The BLIP-2 captions feed the grounding stage's groundable classifier; GMNER's images are not in
# ../shared/data, so boxes come only when MIE_IMAGES names a directory of <IMGID>.jpg.
args=(--caption "$DATA/aux/captions-blip2.jsonl")
[[ -n "${MIE_IMAGES:-}" ]] && args+=(--images "$MIE_IMAGES")
"$MIE" predict --model "$MODEL" --input "$DATA/gmner/dev.txt" "${args[@]}" --threads 2 > "$OUT/gmner.dev.jsonl"
echo "run: predictions in $OUT/gmner.dev.jsonl" >&2
"$MIE" eval --task gmner --gold "$DATA/gmner/dev.txt" --xml "$DATA/gmner/xml" --pred "$OUT/gmner.dev.jsonl"
