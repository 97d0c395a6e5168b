#!/usr/bin/env bash
# e2e: `mie report`. The default model's GMNER dev predictions against the gold (+ xml boxes) as
# one HTML file, opened from disk in headless Debian Chromium (selenium): no console errors, the
# summary's numbers equal `mie eval --json`, the plots are inline SVG, the filters (errors only,
# type, post id) change the visible posts, posts render lazily. A photo post's report embeds its
# image (resized) with the predicted box drawn over it. Screenshot in build/test-artifacts/.
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: data model
source "$(dirname "$0")/../lib.sh" "$@"
MODEL=$SRC/models/gmner.mie
PHOTO=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
ART=${MIE_ARTIFACTS:-$(dirname "$MIE")/test-artifacts}
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
mkdir -p "$ART"
DEV=$DATA/gmner/dev.txt
XML=$DATA/gmner/xml
"$MIE" predict --model "$MODEL" --input "$DEV" > "$TMP/pred.jsonl" 2> /dev/null
"$MIE" eval --task gmner --gold "$DEV" --xml "$XML" --pred "$TMP/pred.jsonl" --json > "$TMP/eval.json"
"$MIE" report --pred "$TMP/pred.jsonl" --gold "$DEV" --xml "$XML" -o "$TMP/report.html"
"$MIE" predict --model "$MODEL" --text "Lionel Messi scores again for Barcelona" --image "$PHOTO" > "$TMP/photo.jsonl" 2> /dev/null
"$MIE" report --pred "$TMP/photo.jsonl" --image-size 200 -o "$TMP/photo.html"
set +e
"$MIE" report --pred "$TMP/pred.jsonl" --xml "$XML" -o "$TMP/x.html" 2> "$TMP/e1"; r1=$?
set -e
[[ $r1 == 2 ]] && grep -q -- "--xml goes with --gold" "$TMP/e1" || fail "--xml alone: rc $r1 $(cat "$TMP/e1")"
HOME=$TMP /usr/bin/python3 - "$TMP" "$ART" "$SRC/tests" <<'PY'
import json, sys
sys.path.insert(0, sys.argv.pop())
from testlib import chromium
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
tmp, art = sys.argv[1:]
ev = json.load(open(f"{tmp}/eval.json"))
d = chromium(1200, 900)
try:
    d.get(f"file://{tmp}/report.html")
    WebDriverWait(d, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#posts .post"))
    for metric in ("gmner", "mner", "eeg"):
        row = d.find_element(By.CSS_SELECTOR, f"#scores tr[data-metric='{metric}']")
        for k in ("p", "r", "f1"):
            shown = float(row.find_element(By.CLASS_NAME, k).text)
            assert abs(shown - ev[metric][k]) < 0.006, (metric, k, shown, ev[metric][k])
    assert len(d.find_elements(By.CSS_SELECTOR, "#summary svg")) == 3     # per-type bars, reliability, IoU
    assert len(d.find_elements(By.CSS_SELECTOR, "#summary svg rect")) > 20
    count = lambda: int(d.find_element(By.ID, "count").get_attribute("data-matching"))
    rendered = lambda: len(d.find_elements(By.CSS_SELECTOR, "#posts .post"))
    assert count() == 1500 and rendered() < 1500, (count(), rendered())      # lazily rendered
    d.find_element(By.ID, "errorsOnly").click()
    errors_only = count()
    assert 0 < errors_only < 1500, errors_only
    assert all(p.find_elements(By.CLASS_NAME, "errtag") for p in d.find_elements(By.CSS_SELECTOR, "#posts .post")[:20])
    Select(d.find_element(By.ID, "type")).select_by_value("LOC")
    loc = count()
    assert 0 < loc < errors_only, (loc, errors_only)
    d.find_element(By.ID, "errorsOnly").click()
    Select(d.find_element(By.ID, "type")).select_by_value("")
    first = d.find_element(By.CSS_SELECTOR, "#posts .post").get_attribute("data-id")
    d.find_element(By.ID, "postId").send_keys(first)
    assert count() >= 1 and all(first in p.get_attribute("data-id") for p in d.find_elements(By.CSS_SELECTOR, "#posts .post"))
    d.find_element(By.ID, "postId").send_keys(Keys.BACKSPACE * len(first))   # typed away: every post again
    assert count() == 1500
    d.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    WebDriverWait(d, 10).until(lambda d: rendered() > 50)                # more posts as the end scrolls in
    d.save_screenshot(art + "/report.png")
    logs = [l for l in d.get_log("browser") if l["level"] == "SEVERE"]
    assert not logs, logs
    # A photo post: its image embedded (resized), the predicted box over it.
    d.get(f"file://{tmp}/photo.html")
    img = WebDriverWait(d, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, ".post .img img"))
    assert img.get_attribute("src").startswith("data:image/jpeg;base64,")
    assert d.execute_script("return arguments[0].naturalWidth", img) == 200
    assert d.find_elements(By.CSS_SELECTOR, ".post .img svg rect.pred-box")
    assert "No gold given" in d.find_element(By.ID, "summary").text
    assert not [l for l in d.get_log("browser") if l["level"] == "SEVERE"]
    print("report: errors-only", errors_only, "LOC", loc)
finally:
    d.quit()
PY
echo "PASS report"
