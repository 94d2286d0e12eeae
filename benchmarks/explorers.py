"""How fast the book's live explorers answer: every slider of every explorer, in Chromium.

    python -m benchmarks --only explorers        (after ``make book``)

The built book is served from this machine as a web host serves it (text compressed). Each
chapter page with live explorers (``course_lib.explorers.live``) is opened at 390 px (a phone)
and 1366 px; each explorer is brought on screen and drawn, then every one of its sliders is
moved through all its positions, one input event at a time. For each explorer it prints the
explorer's HTML (specification, tables, controls), the time from scrolling it into view to its
first drawing (loading Vega's runtime for the page's first explorer, compiling the chart in the
browser, drawing; an explorer already drawn ahead of the reader shows a few ms), and the time
from an input to the second animation frame after it (the first frame runs Vega's update, the second shows it: about 33 ms
at 60 frames per second is the floor), median and largest. Target (issue 14): 50 ms.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import statistics
import threading
import time
from pathlib import Path

from benchmarks.reader import ROOT, GzipHandler, _pages

_MOVE_ALL = """async box => {
  const out = [];
  for (const slider of box.querySelectorAll('input.explorer-slider')) {
    const start = slider.value;
    for (let i = 0; i <= +slider.max; i++) {
      const t0 = performance.now();
      slider.value = i;
      slider.dispatchEvent(new Event('input'));
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      out.push(performance.now() - t0);
    }
    slider.value = start;
    slider.dispatchEvent(new Event('input'));
  }
  return out;
}"""


def bench_explorers(html: Path = ROOT / "_build" / "html") -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not (html / "index.html").is_file():
        print("explorers: needs Debian's chromium and a built book (make book)")
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print("explorers: every slider position, time from the input to the second frame after it (target 50 ms)")
    print("  (first: from scrolling the explorer into view to its first drawing, Vega's runtime loaded for the")
    print("  page's first explorer, the chart compiled and drawn; then median and largest update)")
    print(f"  {'page':<16} {'explorer':<40} {'kB':>5} {'phone: first, median / max':>28} {'desktop: first, median / max':>30}")
    worst = 0.0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for page_name in _pages(html):
                text = (html / f"{page_name}.html").read_text(encoding="utf-8")
                if "live-explorer" not in text:
                    continue
                # each explorer as the page's HTML holds it (before Vega draws into it)
                sizes = [len(m.group(0).encode()) / 1e3 for m in re.finditer(
                    r'<div class="explorer live-explorer".*?class="explorer-data">.*?</script></div>', text, flags=re.S)]
                rows = {}
                for size, width in (("phone", 390), ("desktop", 1366)):
                    page = browser.new_page(viewport={"width": width, "height": 844})
                    page.goto(f"{base}/{page_name}.html", wait_until="load")
                    boxes = page.locator(".live-explorer")
                    for i in range(boxes.count()):
                        box = boxes.nth(i)
                        started = time.perf_counter()
                        box.scroll_into_view_if_needed()
                        page.wait_for_function("e => e.hasAttribute('data-ready')", arg=box.element_handle(), timeout=30_000)
                        drawn = (time.perf_counter() - started) * 1e3
                        times = box.evaluate(_MOVE_ALL)
                        label = (box.get_attribute("aria-label") or "").split(",")[0][:40]
                        rows.setdefault(i, [label, sizes[i]]).append((drawn, statistics.median(times), max(times)))
                        worst = max(worst, statistics.median(times))
                    page.close()
                for label, kb, (pf, pm, px), (df, dm, dx) in rows.values():
                    print(f"  {Path(page_name).name:<16} {label:<40} {kb:5.0f} {pf:7.0f}, {pm:6.1f} / {px:5.1f} ms"
                          f" {df:9.0f}, {dm:6.1f} / {dx:5.1f} ms")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"  slowest median: {worst:.1f} ms")
