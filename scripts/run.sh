#!/usr/bin/env bash
# scripts/run.sh — the main job: setup + build, then the pipeline on the GMNER dev split.
# Until the NER model exists this scores the GMNER dev gold against itself with `mie eval`
# (a check of data, readers and metrics: every figure must be 100). Results go to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
MIE="${MIE_BUILD_DIR:-$ROOT/build}/mie"
DATA="${MIE_DATA:-$ROOT/../shared/data}"
[[ -f "$DATA/gmner/dev.txt" ]] || { echo "run: no GMNER data under $DATA (set MIE_DATA)" >&2; exit 1; }
"$MIE" eval --task mner --gold "$DATA/gmner/dev.txt" --pred "$DATA/gmner/dev.txt"
