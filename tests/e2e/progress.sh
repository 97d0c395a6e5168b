#!/usr/bin/env bash
# e2e: progress bars. `mie predict` over a JSONL file and `mie export` draw a progress line
# (posts, posts/s, bar, ETA) on stderr when it is a terminal (a pseudo-terminal from script(1))
# and write nothing extra when it is not (a file), so logs stay clean.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
MODEL=$SRC/models/gmner.mie
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
command -v script > /dev/null || skip "script(1) missing (bsdutils)"
python3 - "$DATA/gmner/dev.txt" "$SRC/tests" > "$TMP/in.jsonl" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from testlib import conll_posts
posts = conll_posts(sys.argv[1])
for k in range(4):
    for p in posts:
        print(json.dumps(dict(p, id=f"{p['id']}-{k}")))
PY
unset MIE_PROGRESS
# Not a terminal: the summary line only.
"$MIE" predict --model "$MODEL" --input "$TMP/in.jsonl" --batch 32 > "$TMP/out.jsonl" 2> "$TMP/plain.err"
[[ $(wc -l < "$TMP/plain.err") == 1 ]] && ! grep -q $'\r' "$TMP/plain.err" || fail "progress drawn into a file: $(cat -A "$TMP/plain.err" | head -3)"
# A terminal: the bar (script's pty carries stdout and stderr; stdout goes to a file here).
script -qec "'$MIE' predict --model '$MODEL' --input '$TMP/in.jsonl' --batch 32 > '$TMP/tty.jsonl'" /dev/null > "$TMP/tty.err"
grep -q $'\r\033\[Kpredict: \[#*\.*\] *[0-9]*% [0-9]* posts, [0-9]* posts/s' "$TMP/tty.err" || fail "no progress on a terminal: $(cat -A "$TMP/tty.err" | head -c 600)"
cmp -s "$TMP/out.jsonl" "$TMP/tty.jsonl" || fail "the bar changed the output"
script -qec "'$MIE' export --format nt --pred '$TMP/out.jsonl' -o '$TMP/g.nt'" /dev/null > "$TMP/export.err"
grep -q $'\r\033\[Kexport: \[' "$TMP/export.err" || fail "no export progress on a terminal: $(cat -A "$TMP/export.err" | head -c 600)"
echo "PASS progress"
