# Shared header of the e2e and quality test scripts (tests/e2e/*.sh, tests/quality/*.sh).
#
#   source "$(dirname "$0")/../lib.sh" "$@"     # args: path to the mie binary, source dir
#
# Sets MIE, SRC, DATA (../shared/data or $MIE_DATA), GLOVE (the converted GloVe binary),
# a scratch directory TMP removed on exit, OpenMP passive waiting, and:
#   fail MSG      prints "FAIL: MSG" and exits 1
#   skip MSG      prints "SKIP: MSG" and exits 77 (CTest reports the test as skipped, not passed)
#   need_glove    fails unless the GloVe binary exists (scripts/setup.sh converts it)
set -euo pipefail
MIE=$1
SRC=$2
DATA=${MIE_DATA:-$SRC/../shared/data}
GLOVE=${MIE_CACHE:-$SRC/.cache}/glove100.bin
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
need_glove() { [ -f "$GLOVE" ] || fail "no GloVe binary at $GLOVE (run scripts/setup.sh)"; }
