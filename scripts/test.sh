#!/usr/bin/env bash
# scripts/test.sh — setup (packages, assets, GloVe, gazetteers, Release build in ./build), then
# every CTest test (unit, e2e). Extra arguments go to ctest, e.g. `scripts/test.sh -L text` or
# `scripts/test.sh -LE e2e`.
set -euo pipefail
# torch/OpenMP threads sleep instead of spinning while idle (2 spinning threads on 2 busy cores
# made training ~12x slower).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BUILD="${MIE_BUILD_DIR:-$ROOT/build}"
cd "$BUILD"
ctest --output-on-failure -j "${MIE_JOBS:-2}" "$@"
