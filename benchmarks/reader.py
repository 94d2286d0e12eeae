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
- the time until the page's ``load`` event,
- the bytes loaded once the reader has scrolled to the end (pictures load as they come near
  the screen; an explorer's frames load when shown, so only its first frame counts here).

The targets of the book: at most 1.5 MB downloaded per chapter page from a web host that
compresses text (3 MB uncompressed until the live explorers, issue 14), a readable first
screen within 2 s at 9 Mbit/s.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
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


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    """The built book as a plain file server sends it (no compression)."""

    def log_message(self, *args):
        pass


class GzipHandler(PlainHandler):
    """The built book as a web host sends it (GitHub Pages, nginx, ...): text compressed."""

    TEXT = (".html", ".css", ".js", ".svg", ".json", ".txt")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not path.name.endswith(self.TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _pages(html: Path) -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part["chapters"]]
    return pages


def _visit(browser, base: str, page_name: str) -> tuple[float, float, float, float]:
    """Bytes at opening, bytes after scrolling to the end, first screen and load times."""
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
    at_open = sum(loaded)
    page.evaluate("""async () => {
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); } }""")
    page.wait_for_load_state("networkidle")
    context.close()
    return at_open / 1e6, sum(loaded) / 1e6, first, load


def bench_reader(html: Path = ROOT / "_build" / "html") -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not (html / "index.html").is_file():
        print("reader: needs Debian's chromium and a built book (make book)")
        return
    servers = {}
    for name, handler in (("plain", PlainHandler), ("gzip", GzipHandler)):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(html)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = server
    print("reader: each page over a 9 Mbit/s link, 40 ms latency, empty cache, 390x844 (phone);")
    print("  'plain': a file server without compression; 'gzip': text compressed, as web hosts serve it")
    print(f"  {'page':<24} {'MB at open':>10} {'MB to end':>9} {'first screen, plain':>20} {'gzip':>6} "
          f"{'load event, plain':>18} {'gzip':>6}")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for page_name in _pages(html):
                seen = {name: _visit(browser, f"http://127.0.0.1:{server.server_address[1]}", page_name)
                        for name, server in servers.items()}
                (at_open, to_end, first, load), (_, _, first_z, load_z) = seen["plain"], seen["gzip"]
                print(f"  {page_name:<24} {at_open:10.2f} {to_end:9.2f} {first:18.2f} s {first_z:4.2f} s "
                      f"{load:16.2f} s {load_z:4.2f} s")
            browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
