"""The built book in a real browser, as readers see it: a desktop and a phone.

Headless Chromium (Debian's package, driven by Playwright's Python package; both installed by
``make``) opens every page of the book, served from the build folder on this machine, at
1366x900 and 390x844. A page fails on a console error, a request leaving the machine, anything
wider than the screen outside a box that scrolls, a navigation button that does not open, a
link to a page or section that does not exist, an explorer whose figure, values and
description do not follow every one of its sliders or that reads nothing out where pointed at,
a self-check question that does not answer, a solution whose toggle does not open it, or more
than 1.5 MB downloaded by a page read to its end (served as web hosts serve it, text
compressed). The weight of each chapter's HTML is checked here too.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.reader import GzipHandler
from test_book import _toc_files

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
MAX_CHAPTER_HTML = 1_500_000   # bytes of HTML per chapter
MAX_PAGE_LOAD = 1_500_000      # bytes a page downloads in all, read to its end (scripts, fonts, pictures)


@pytest.fixture(scope="module")
def site(built_book):
    """The built book served over HTTP on this machine: its base address."""
    proc, html = built_book
    assert proc.returncode == 0, "the book did not build (see test_book.py)"
    # as web hosts (GitHub Pages, nginx, ...) serve it: text compressed
    handler = functools.partial(GzipHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", html
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make installs Debian's chromium when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-default-apps"])
        yield browser
        browser.close()


class Visit:
    """A page opened at one size, with what went wrong while it loaded."""

    def __init__(self, browser, base: str, page: str, size: str):
        width, height = SIZES[size]
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors, self.outside = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.context.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
                        else self.outside.append(r.url))
        self.context.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400
                        else None)
        self.page.goto(f"{base}/{page}.html", wait_until="load")
        self.page.wait_for_timeout(400)   # the theme's scripts run after load

    def close(self):
        self.context.close()


PAGES = _toc_files()


@pytest.fixture(params=[(p, s) for p in PAGES for s in SIZES], ids=lambda v: f"{Path(v[0]).name}-{v[1]}")
def visit(request, browser, site):
    base, _ = site
    page, size = request.param
    opened = Visit(browser, base, page, size)
    yield opened, size
    opened.close()


def test_page_loads_cleanly_and_fits_the_screen(visit):
    """Does the page load without a console error or a request leaving the machine, with nothing
    wider than the screen outside a box that scrolls?"""
    v, size = visit
    assert not v.errors, f"console errors: {v.errors}"
    assert not v.outside, f"requests leaving the machine: {v.outside}"
    overflow = v.page.evaluate("""() => {
      const W = document.documentElement.clientWidth, found = [];
      for (const el of document.querySelectorAll('body *')) {
        if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= W + 1) continue;
        let p = el.parentElement, inside = false;
        for (; p; p = p.parentElement) {
          if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)
              && p.getBoundingClientRect().right <= W + 1) { inside = true; break; }
        }
        if (!inside) found.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0]);
      }
      return {scroll: document.documentElement.scrollWidth, width: W, found: found.slice(0, 5)};
    }""")
    assert overflow["scroll"] <= overflow["width"] and not overflow["found"], \
        f"wider than the {size} screen: {overflow}"


def test_navigation_opens(visit):
    """Do the header's buttons open the book's navigation and the page's contents (a dialog on a
    phone), and hide and show the navigation on a desktop?"""
    v, size = visit
    page = v.page
    for kind in ("primary", "secondary"):
        button = page.locator(f".{kind}-toggle:visible")
        if size == "desktop" and kind == "secondary":
            continue  # the page's contents are always shown on a desktop
        if kind == "secondary" and not page.locator("#pst-page-toc-nav a").count():
            continue  # a page without sections has no contents to show
        assert button.count() >= 1, f"no visible {kind} navigation button"
        glyph = button.first.evaluate(
            """b => { const i = b.querySelector('[class*="fa-"], svg'); if (!i) return false;
                      if (i.tagName === 'svg') return true;
                      const c = getComputedStyle(i, '::before').content;   // the icon font's glyph
                      return !['none', 'normal', '""', ''].includes(c); }""")
        assert glyph, f"the {kind} navigation button shows no icon"
        button.first.click()
        state_js = """kind => {
          const dialog = document.getElementById('pst-' + kind + '-sidebar-modal');
          const sidebar = document.getElementById('pst-' + kind + '-sidebar');
          return {open: !!(dialog && dialog.open), hidden: !!(sidebar && sidebar.classList.contains('pst-sidebar-hidden')),
                  links: dialog ? [...dialog.querySelectorAll('a')].filter(a => a.checkVisibility()).length : 0};
        }"""
        done = ("s => s.open && s.links > 0" if size == "phone" else "s => s.hidden")
        try:                                       # wait for the theme to answer (slowly on a busy machine)
            page.wait_for_function(f"kind => ({done})(({state_js})(kind))", arg=kind, timeout=5000)
        except PlaywrightTimeout:
            pass                                   # the assertion below says what is wrong
        state = page.evaluate(state_js, kind)
        if size == "phone":
            assert state["open"] and state["links"] > 0, f"the {kind} navigation does not open on a phone: {state}"
            page.keyboard.press("Escape")
            page.wait_for_timeout(200)
        else:
            assert state["hidden"], f"the {kind} navigation button does nothing on a desktop"
            button.first.click()
            page.wait_for_timeout(200)


def test_live_explorers_answer_every_control(visit):
    """Does every live explorer draw its figure within the column, and does each labelled slider
    change the figure, the value shown and the figure's description? Does pointing at the
    figure read out a value?"""
    v, size = visit
    page = v.page
    explorers = page.locator(".live-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        page.wait_for_function("e => e.hasAttribute('data-ready')", arg=explorer.element_handle(), timeout=15000)
        figure = explorer.locator(".explorer-figure")
        fits = figure.evaluate("f => f.scrollWidth <= f.clientWidth + 1 && f.getBoundingClientRect().right <= window.innerWidth + 1")
        assert fits, f"explorer {i} is wider than the {size} column"
        drawing = lambda: figure.evaluate("f => f.querySelector('svg').innerHTML")
        sliders = explorer.locator("input.explorer-slider")
        assert sliders.count() >= 2, "an explorer offers fewer than two parameters"
        for j in range(sliders.count()):
            slider = sliders.nth(j)
            label = explorer.locator(f"label[for='{slider.get_attribute('id')}']")
            output = explorer.locator(f"output[for='{slider.get_attribute('id')}']")
            assert label.count() == 1 and label.text_content().strip(), "a slider has no label"
            start, last = slider.input_value(), int(slider.get_attribute("max"))
            seen = []
            for position in (last, 0):
                before = drawing()
                slider.fill(str(position))   # what dragging the knob to that position does
                page.wait_for_function("([f, b]) => f.querySelector('svg').innerHTML !== b",
                                       arg=[figure.element_handle(), before], timeout=2000)
                seen.append((output.text_content(), figure.get_attribute("aria-label")))
            slider.fill(start)
            assert seen[0][0] != seen[1][0], f"the value shown does not follow {label.text_content()!r}"
            assert all(value in description for value, description in seen), \
                f"the figure's description does not follow {label.text_content()!r}: {seen}"
        box = explorer.locator("svg").first.bounding_box()
        before = drawing()
        page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.25 * box["height"])
        page.wait_for_function("([f, b]) => f.querySelector('svg').innerHTML !== b",
                               arg=[figure.element_handle(), before], timeout=2000)
        page.mouse.move(0, 0)


def test_self_check_questions_answer_instantly(visit):
    """Does each self-check question say at once whether an answer is right: a wrong choice
    marked wrong, the right one right, the right number accepted?"""
    v, size = visit
    page = v.page
    questions = page.locator(".Quiz")
    if "/0" in page.url:
        assert questions.count() >= 3, "a chapter without self-check questions"
    for i in range(questions.count()):
        question = questions.nth(i)
        question.scroll_into_view_if_needed()
        feedback = question.locator(".Feedback")
        choices = question.locator(".MCButton")
        if choices.count():
            wrong = question.locator(".MCButton[data-correct='false']")
            if wrong.count():
                wrong.first.click()
                assert "incorrect" in (feedback.get_attribute("class") or ""), "a wrong answer is not marked wrong"
            question.locator(".MCButton[data-correct='true']").first.click()
            assert "correct" in feedback.get_attribute("class").split(), "the right answer is not marked right"
            assert feedback.text_content().strip(), "the right answer gets no explanation"
        else:
            box = question.locator("input").first
            answers = json.loads(box.get_attribute("data-answers"))
            right = next(a for a in answers if a.get("correct") and a["type"] in ("value", "range"))
            value = right["value"] if right["type"] == "value" else sum(right["range"]) / 2
            box.fill(repr(value))
            box.press("Enter")
            assert "correct" in feedback.get_attribute("class").split(), f"the right number {value} is not accepted"


def test_exercise_solutions_open(visit):
    """Is every exercise's solution hidden at first and shown by its toggle?"""
    v, size = visit
    page = v.page
    solutions = page.locator("div.solution.dropdown")
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        body = solution.locator("section").first
        assert not body.is_visible(), "a solution is shown before the reader asks for it"
        for attempt in range(2):       # a picture loading above may move the toggle as it is clicked
            solution.locator(".toggle-button").first.click()   # the chevron (the title is mostly a link)
            try:                                               # it opens with an animation: give it time
                body.wait_for(state="visible", timeout=4000)
                break
            except PlaywrightTimeout:
                continue
        assert body.is_visible(), "a solution's toggle does not open it (clicked twice)"


def test_page_weight(visit):
    """Does a page, read from top to bottom, download at most 1.5 MB in all from a web host that
    compresses text (the book's fixed share, theme and MathJax, is about 0.6 MB; a live
    explorer's runtime 0.3 MB)?"""
    v, size = visit
    page = v.page
    page.evaluate("""async () => {
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y); await new Promise(r => setTimeout(r, 20)); } }""")
    page.wait_for_load_state("networkidle")
    weight = page.evaluate("""() => performance.getEntriesByType('navigation')[0].encodedBodySize
        + performance.getEntriesByType('resource').reduce((s, e) => s + e.encodedBodySize, 0)""")
    assert weight <= MAX_PAGE_LOAD, f"the page loads {weight / 1e6:.2f} MB"


def test_links_lead_somewhere(site):
    """Does every link between the book's pages lead to a page, and every #section to a section?"""
    from html.parser import HTMLParser

    base, html = site

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.add(attrs["id"])
            if tag == "a" and attrs.get("href"):
                self.hrefs.append(attrs["href"])

    parsed = {}

    def parse(path: Path) -> Links:
        if path not in parsed:
            parsed[path] = Links()
            parsed[path].feed(path.read_text(errors="replace"))
        return parsed[path]

    broken = []
    for page in ["index", *PAGES, "genindex", "search"]:
        source = html / f"{page}.html"
        for href in parse(source).hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            path, fragment = urldefrag(href)
            target = (source.parent / path).resolve() if path else source
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page}: {href}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{page}: {href} (no such section)")
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:8]}"


@pytest.mark.parametrize("page", [p for p in PAGES if "/0" in p])
def test_chapters_are_light(site, page):
    """Is each chapter's HTML at most 1.5 MB (a phone on a slow link reads it)?"""
    _, html = site
    size = (html / f"{page}.html").stat().st_size
    assert size <= MAX_CHAPTER_HTML, f"{page}.html weighs {size / 1e6:.2f} MB"
