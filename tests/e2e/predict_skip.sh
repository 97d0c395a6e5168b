#!/usr/bin/env bash
# e2e: `mie predict --on-error skip --errors FILE` over 100 JSONL lines of which 3 are bad
# (invalid JSON, invalid UTF-8, a missing image): 97 predictions in input order, those of a clean
# run (scores within 1e-5: other batches, tests/jsonl_close.py), 3 error lines naming file and line, exit 4; the default fails fast (exit 2).
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: model data
source "$(dirname "$0")/../lib.sh" "$@"
MODEL=$SRC/models/gmner.mie
PHOTO=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
python3 - "$DATA/gmner/dev.txt" "$TMP" "$PHOTO" "$SRC/tests" <<'PY'
import json, sys
dev, tmp, photo = sys.argv[1:4]
sys.path.insert(0, sys.argv[4])
from testlib import conll_posts
posts = conll_posts(dev)
good = [json.dumps(p, ensure_ascii=False).encode() for p in posts[:97]]
good[10] = json.dumps({**posts[10], "image": photo}).encode()
bad = {20: b'{"id": "bad-json", "tokens": ["x"', 50: b'{"id": "bad-utf8", "text": "caf\xe9"}',
       49: json.dumps({"id": "no-image", "text": "Messi", "image": tmp + "/missing.jpg"}).encode()}
lines, clean = [], []
for l in good:
    while len(lines) + 1 in bad:
        lines.append(bad[len(lines) + 1])
    lines.append(l)
    clean.append(l)
open(tmp + "/in.jsonl", "wb").write(b"\n".join(lines) + b"\n")
open(tmp + "/clean.jsonl", "wb").write(b"\n".join(clean) + b"\n")
assert len(lines) == 100
PY
set +e
"$MIE" predict --model "$MODEL" --input "$TMP/in.jsonl" --on-error skip --errors "$TMP/errors.jsonl" --batch 8 \
  > "$TMP/out.jsonl" 2> "$TMP/log"; rc=$?
"$MIE" predict --model "$MODEL" --input "$TMP/in.jsonl" > "$TMP/fast.jsonl" 2> "$TMP/fast.log"; rc_fast=$?
set -e
[[ $rc == 4 ]] || fail "--on-error skip: rc $rc, want 4: $(cat "$TMP/log")"
grep -q "100 posts in, 97 out, 3 skipped" "$TMP/log" || fail "summary: $(cat "$TMP/log")"
[[ $rc_fast == 2 ]] && grep -q "in.jsonl:20:" "$TMP/fast.log" || fail "fail-fast: rc $rc_fast $(cat "$TMP/fast.log")"
"$MIE" predict --model "$MODEL" --input "$TMP/clean.jsonl" > "$TMP/want.jsonl"
python3 "$SRC/tests/jsonl_close.py" "$TMP/out.jsonl" "$TMP/want.jsonl" || fail "the 97 good lines differ from a clean run"
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
errs = [json.loads(l) for l in open(tmp + "/errors.jsonl")]
assert [e["line"] for e in errs] == [20, 49, 50], errs   # in line order (49 fails after 50 is read)
assert all(e["file"] == tmp + "/in.jsonl" for e in errs), errs
assert "missing.jpg" in errs[1]["error"] and "UTF-8" in errs[2]["error"], errs
PY
# Without --errors the error lines go to stderr; --errors alone is a usage error.
set +e
"$MIE" predict --model "$MODEL" --input "$TMP/in.jsonl" --on-error skip > /dev/null 2> "$TMP/log2"; rc=$?
"$MIE" predict --model "$MODEL" --input "$TMP/in.jsonl" --errors "$TMP/e" > /dev/null 2> "$TMP/log3"; rc3=$?
set -e
[[ $rc == 4 ]] && [[ $(grep -c '"line":' "$TMP/log2") == 3 ]] || fail "errors on stderr: rc $rc $(cat "$TMP/log2")"
[[ $rc3 == 1 ]] && grep -q -- "--on-error skip" "$TMP/log3" || fail "--errors alone: rc $rc3 $(cat "$TMP/log3")"
echo "PASS predict --on-error skip"
