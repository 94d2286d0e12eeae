"""What a reader waits for: each page of the built book opened in Chromium over a slow link.

    python -m benchmarks --only reader        (after ``make book``)

Debian's chromium (driven by Playwright) opens every page of ``_build/html``, served from this
machine, with the network throttled to 9 Mbit/s down, 40 ms latency (a fair mobile link; the
cache is empty for each page). For each page it prints

- the bytes the page loads in all (HTML, style sheets, scripts, fonts, images; uncompressed,
  as the plain file server here sends them),
- the time to a readable first screen: the first paint with text, and every formula inside the
  first screen typeset by MathJax (the book hides formulas until they are typeset, so raw TeX
  never shows; a formula not yet typeset is not yet readable),
- the time until the page's ``load`` event.

The targets of the book (issue 13): at most 3 MB loaded per chapter page, a readable first
screen within 2 s at 9 Mbit/s.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = {"offline": False, "latency": 40, "downloadThroughput": 9e6 / 8, "uploadThroughput": 2e6 / 8}

# Runs in the page before its own scripts: notes when the first screen is readable.
_WATCH = """
(() => {
  const ready = () => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    if (!paint || !document.body) return false;
    const H = window.innerHeight;
    for (const m of document.querySelectorAll('span.math, div.math')) {
      const r = m.getBoundingClientRect();
      if (r.bottom < 0 || r.top > H) continue;
      if (!m.querySelector('mjx-container')) return false;
    }
    return true;
  };
  const poll = () => {
    if (ready()) { window.__firstScreen = performance.now(); return; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _pages(html: Path) -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part["chapters"]]
    return pages


def bench_reader(html: Path = ROOT / "_build" / "html") -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not (html / "index.html").is_file():
        print("reader: needs Debian's chromium and a built book (make book)")
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"reader: each page over a 9 Mbit/s link, 40 ms latency, empty cache, 390x844 (phone)")
    print(f"  {'page':<28} {'loaded':>9} {'first screen':>13} {'load event':>11}")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for page_name in _pages(html):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Network.emulateNetworkConditions", LINK)
                loaded = []
                cdp.on("Network.loadingFinished", lambda e: loaded.append(e["encodedDataLength"]))
                page.add_init_script(_WATCH)
                page.goto(f"{base}/{page_name}.html", wait_until="load", timeout=120_000)
                page.wait_for_function("window.__firstScreen !== undefined", timeout=120_000)
                page.wait_for_load_state("networkidle")
                first = page.evaluate("window.__firstScreen") / 1000
                load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
                print(f"  {page_name:<28} {sum(loaded) / 1e6:7.2f} MB {first:11.2f} s {load:9.2f} s")
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
