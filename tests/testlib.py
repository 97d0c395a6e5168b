"""Helpers shared by the e2e tests' Python parts (tests/e2e/*.sh put tests/ on sys.path)."""

def conll_posts(path):
    """The posts of a GMNER/Twitter CoNLL file as {"id", "tokens"} dicts, in file order."""
    posts, cur = [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("IMGID:"):
            cur = {"id": line[6:], "tokens": []}
            posts.append(cur)
        elif line.strip() and cur is not None:
            cur["tokens"].append(line.split("\t")[0])
    return posts


def chromium(width, height):
    """Headless Debian chromium driven by chromedriver (selenium), browser console logs kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}",
              "--disable-dev-shm-usage"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)

