#!/usr/bin/env bash
# Start-up cost of each kind of `mie` command (target: <= 50 ms plus their own work for the
# commands that run no network: --version, --help, eval, build-gazetteers, convert-glove):
#   bench/startup.sh [BUILD_DIR] [N]          # from the source root; defaults build 10
# Prints the median wall time and the peak RSS (/usr/bin/time) of N runs each, and the number of
# shared libraries each binary loads.
set -euo pipefail
BUILD=${1:-build}
N=${2:-10}
DATA=${MIE_DATA:-../shared/data}
MIE=$BUILD/mie
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
run() {  # label command...
  local label=$1 t m
  shift
  for _ in $(seq "$N"); do /usr/bin/time -f '%e %M' "$@" > /dev/null 2>> /tmp/mie-startup.$$ || true; done
  t=$(tail -n "$N" /tmp/mie-startup.$$ | awk '{print $1}' | median)
  m=$(tail -n "$N" /tmp/mie-startup.$$ | awk '{print $2}' | median)
  printf '%-44s %6.3f s %8d KB\n' "$label" "$t" "$m"
}
trap 'rm -f /tmp/mie-startup.$$' EXIT
echo "shared libraries: mie $(ldd "$MIE" | wc -l), mie-engine $(ldd "$BUILD/mie-engine" | wc -l)"
run "mie --version" "$MIE" --version
run "mie --help" "$MIE" --help
run "mie eval --task mner (GMNER dev vs itself)" "$MIE" eval --task mner --gold "$DATA/gmner/dev.txt" --pred "$DATA/gmner/dev.txt"
run "mie-engine --version (torch loaded)" "$BUILD/mie-engine" --version
run "mie predict --help (via mie-engine)" "$MIE" predict --help
