#!/usr/bin/env bash
# e2e: `mie detect` on a Debian-shipped photo and a tweet sample: JSON shape, sources filter,
# --draw PNG, VinVL candidates, and exit status 2 with the file named for bad input.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
ASSETS=${MIE_ASSETS:-$SRC/../shared/models}
[[ -f $SRC/assets/SHA256SUMS && -z ${MIE_ASSETS:-} ]] && ASSETS=$SRC/assets
IMG=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
if [[ ! -f $ASSETS/yunet/yunet_n_320_320.onnx || ! -f $IMG ]]; then
  skip "models ($ASSETS) or $IMG missing"
fi

"$MIE" detect --image "$IMG" --draw "$TMP/out.png" > "$TMP/all.json"
python3 - "$TMP/all.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["width"] == 548 and j["height"] == 342, j
c = j["candidates"]
assert {x["source"] for x in c} == {"image", "face", "object", "text"}, {x["source"] for x in c}
assert c[0]["source"] == "image" and c[0]["box"] == [0, 0, 548, 342]
people = [x for x in c if x["label"] == "person"]
assert people and all(len(x["box"]) == 4 for x in people)
assert any(x["source"] == "text" and x.get("text") for x in c), "no OCR text"
EOF
[[ $(head -c 8 "$TMP/out.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "--draw did not write a PNG"

"$MIE" detect --image "$IMG" --sources face,image > "$TMP/face.json"
python3 -c 'import json,sys; s={x["source"] for x in json.load(open(sys.argv[1]))["candidates"]}; assert s=={"face","image"}, s' "$TMP/face.json"

# The fast sizes (docs/RESULTS.md, region proposals): the face and the people are still found.
"$MIE" detect --image "$IMG" --text-size 320 --face-size 320 > "$TMP/fast.json"
python3 - "$TMP/fast.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))["candidates"]
assert any(x["source"] == "face" for x in c) and any(x["label"] == "person" for x in c), c
EOF
set +e
"$MIE" detect --image "$IMG" --text-size 100 > /dev/null 2> "$TMP/err"; rc=$?
set -e
[[ $rc == 2 ]] && grep -q "multiple of 32" "$TMP/err" || fail "--text-size 100: exit $rc, $(cat "$TMP/err")"

NPZ=$DATA/samples/70560.jpg.npz
if [[ -f $NPZ ]]; then
  "$MIE" detect --image "$DATA/samples/70560.jpg" --sources none --vinvl "$NPZ" --vinvl-top-k 10 > "$TMP/v.json"
  python3 - "$TMP/v.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))["candidates"]
assert len(c) == 10 and all(x["source"] == "vinvl" and x["feature_dim"] == 2048 for x in c), c[:2]
assert [x["score"] for x in c] == sorted((x["score"] for x in c), reverse=True)
EOF
fi

printf 'not an image' > "$TMP/bad.jpg"
set +e
"$MIE" detect --image "$TMP/bad.jpg" > /dev/null 2> "$TMP/err"; rc=$?
set -e
[[ $rc == 2 ]] || fail "corrupt image: exit $rc, expected 2"
grep -q "bad.jpg: not a JPEG or PNG" "$TMP/err" || fail "error does not name the file: $(cat "$TMP/err")"
set +e
"$MIE" detect --image "$IMG" --sources face,cars > /dev/null 2> "$TMP/err"; rc=$?
set -e
[[ $rc == 2 ]] || fail "unknown source: exit $rc, expected 2"
echo "OK"
