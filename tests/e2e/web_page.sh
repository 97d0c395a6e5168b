#!/usr/bin/env bash
# e2e: the page `mie serve` answers at GET /, in a real browser (Debian chromium + chromedriver,
# driven by python3-selenium): a Debian-shipped photo uploaded with a text naming the person gives
# the entity's row and a drawn box whose on-screen rectangle is the returned box scaled to the
# displayed image (within 2 px); a non-image or too large upload shows the server's error and keeps
# the form.
# Screenshots go to build/test-artifacts/ (or $MIE_ARTIFACTS).
# Args: path to the mie binary, source dir (tests/lib.sh).
# ctest-labels: model
source "$(dirname "$0")/../lib.sh" "$@"
MODEL=$SRC/models/gmner.mie
PHOTO=/usr/share/doc/opencv-doc/examples/data/messi5.jpg
ART=${MIE_ARTIFACTS:-$(dirname "$MIE")/test-artifacts}
[[ -f $MODEL ]] || fail "no $MODEL (scripts/setup.sh trains it)"
for b in /usr/bin/chromium /usr/bin/chromedriver; do [[ -x $b ]] || fail "$b missing (scripts/apt-packages.txt)"; done
mkdir -p "$ART"
"$MIE" serve --model "$MODEL" --port 0 --threads 2 --max-body-mb 1 2> "$TMP/serve.log" &
PID=$!
trap 'kill $PID 2> /dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 120); do grep -qs listening "$TMP/serve.log" && break; sleep 0.5; done
URL=http://127.0.0.1:$(grep -o 'listening on http://[^ ]*' "$TMP/serve.log" | sed 's/.*://')/
TEXT="Lionel Messi scores again for Barcelona"
"$MIE" predict --model "$MODEL" --text "$TEXT" --image "$PHOTO" > "$TMP/want.jsonl" 2> /dev/null
head -c 3000 /etc/services > "$TMP/not-an-image.jpg"
head -c 1500000 /dev/zero > "$TMP/too-large.jpg"
HOME=$TMP /usr/bin/python3 - "$URL" "$PHOTO" "$TEXT" "$TMP/want.jsonl" "$TMP/not-an-image.jpg" "$ART" "$TMP/too-large.jpg" "$SRC/tests" <<'PY'
import json, sys
sys.path.insert(0, sys.argv.pop())
from testlib import chromium
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
url, photo, text, want_path, junk, art, large = sys.argv[1:]
want = json.loads(open(want_path).readline())
d = chromium(460, 1400)
try:
    d.get(url)
    assert "mie" in d.title, d.title
    d.find_element(By.ID, "image").send_keys(photo)
    d.find_element(By.ID, "text").send_keys(text)
    d.find_element(By.ID, "extract").click()
    wait = WebDriverWait(d, 60)
    wait.until(lambda d: d.find_element(By.ID, "result").is_displayed()
               and d.execute_script("const i = document.getElementById('photo'); return i.complete && i.naturalWidth > 0")
               and d.find_elements(By.CSS_SELECTOR, "#boxes .box"))
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in d.find_elements(By.CSS_SELECTOR, "#entities tbody tr")]
    assert ["Lionel Messi", "PER"] == rows[0][:2], rows
    assert len(rows) == len(want["entities"]), (rows, want["entities"])
    # The drawn box: the returned box scaled to the image as displayed, within 2 px.
    got = d.execute_script("window.scrollTo(0, 0); return window.mieResult")
    assert got["entities"] == want["entities"], (got["entities"], want["entities"])
    box = want["entities"][0]["boxes"][0]
    img = d.execute_script("const r = document.getElementById('photo').getBoundingClientRect();"
                           "return [r.left, r.top, r.width, r.height, document.getElementById('photo').naturalWidth]")
    drawn = d.execute_script("const r = document.querySelector('#boxes .box[data-entity=\"0\"]').getBoundingClientRect();"
                             "return [r.left, r.top, r.right, r.bottom]")
    s = img[2] / want["image"]["width"]
    expect = [img[0] + box[0] * s, img[1] + box[1] * s, img[0] + box[2] * s, img[1] + box[3] * s]
    assert all(abs(a - b) <= 2 for a, b in zip(drawn, expect)), (drawn, expect, img)
    assert img[4] == want["image"]["width"] and img[2] < 0.9 * img[4], img   # shown scaled down
    # The span is highlighted in the post; hovering the row highlights box and span.
    mark = d.find_element(By.CSS_SELECTOR, "#post mark.ent[data-entity='0']")
    assert mark.text.startswith("Lionel Messi"), mark.text
    webdriver.ActionChains(d).move_to_element(d.find_element(By.CSS_SELECTOR, "#entities tbody tr")).perform()
    assert "hi" in d.find_element(By.CSS_SELECTOR, "#boxes .box[data-entity='0']").get_attribute("class")
    assert "hi" in mark.get_attribute("class")
    d.save_screenshot(art + "/web-page.png")
    # A non-image upload: the server's message, the form kept.
    d.find_element(By.ID, "image").send_keys(junk)
    d.find_element(By.ID, "extract").click()
    wait.until(lambda d: d.find_element(By.ID, "error").is_displayed())
    err = d.find_element(By.ID, "error").text
    assert "400" in err and "the uploaded image: not a JPEG or PNG" in err, err
    assert d.find_element(By.ID, "text").get_attribute("value") == text
    d.save_screenshot(art + "/web-page-error.png")
    # Over the server's body limit: its 413 and message.
    d.find_element(By.ID, "image").send_keys(large)
    d.find_element(By.ID, "extract").click()
    wait.until(lambda d: "413" in d.find_element(By.ID, "error").text)
    assert "over --max-body-mb 1" in d.find_element(By.ID, "error").text, d.find_element(By.ID, "error").text
    # Empty text: refused before sending.
    d.find_element(By.ID, "text").clear()
    d.find_element(By.ID, "extract").click()
    assert "the text is empty" in d.find_element(By.ID, "error").text
    severe = [l for l in d.get_log("browser") if l["level"] == "SEVERE" and "/predict" not in l["message"]]
    assert not severe, severe
    print("drawn", [round(v, 1) for v in drawn], "expected", [round(v, 1) for v in expect])
finally:
    d.quit()
PY
grep -q '"route":"/","status":200' "$TMP/serve.log" || fail "GET / not in the access log"
echo "PASS web page (screenshots in $ART)"
