"""What a reader of each chapter finds, read from the built HTML.

Every figure is numbered within its chapter (Figure 3.2), captioned and described by alt text;
every display equation is numbered within its chapter, (3.4); every mention of a source links
to the references page; no cell that only does the page's bookkeeping (``glue``) shows its
code; every chapter ends with a summary, self-check questions and exercises whose solutions
sit behind a toggle; and every chapter can be downloaded as a notebook. The browser tests
(test_book_browser.py) check that the questions answer and the toggles open.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from test_book import _chapters, _toc_files

CHAPTERS = _chapters()
ENDING = ["Summary", "Self-check questions", "Exercises"]


@pytest.fixture(scope="module")
def html(built_book):
    proc, out = built_book
    assert proc.returncode == 0, "the book did not build (see test_book.py)"
    return out


def _article(html, page):
    soup = BeautifulSoup((html / f"{page}.html").read_text(), "html.parser")
    return soup.select_one("article.bd-article")


def _number(page: str) -> int:
    return CHAPTERS.index(page) + 1


def _where(element) -> str:
    section = element.find_parent("section")
    heading = section.find(re.compile("^h[1-6]$")) if section else None
    return heading.get_text(" ", strip=True).rstrip("#").strip() if heading else "?"


@pytest.mark.parametrize("page", CHAPTERS)
def test_figures_are_numbered_captioned_and_described(html, page):
    """Is every picture in a figure numbered within its chapter, with a caption and alt text that
    describes it (not a file name)?"""
    article, n = _article(html, page), _number(page)
    images = article.select("img")
    assert images, f"{page} shows no figure"
    problems = []
    for img in images:
        alt = (img.get("alt") or "").strip()
        if len(alt) < 20 or re.search(r"\.(png|svg|jpe?g)$|^_images/|/", alt.split(",")[0]):
            problems.append(f"alt text {alt!r} in '{_where(img)}'")
        figure = img.find_parent("figure")
        number = figure.select_one("figcaption .caption-number") if figure else None
        if number is None or not re.fullmatch(rf"Figure {n}\.\d+", number.get_text(strip=True)):
            problems.append(f"a picture without 'Figure {n}.k' in '{_where(img)}'")
        elif len(figure.select_one("figcaption").get_text(" ", strip=True)) < 40:
            problems.append(f"{number.get_text(strip=True)} has a caption too short to explain it")
    assert not problems, f"{page}: {problems[:6]}"


@pytest.mark.parametrize("page", _toc_files())
def test_no_figure_is_cut_at_its_edge(html, page):
    """Figures are saved as drawn (``book_style``: no tight bounding box), so a label that leaves
    the canvas would be cut: every figure keeps a light frame of at least two pixels."""
    import numpy as np
    from PIL import Image

    article = _article(html, page)
    for img in article.select("img"):
        src = img.get("src", "")
        if not src.endswith(".png"):
            continue
        pixels = np.asarray(Image.open((html / page).parent / src).convert("RGB")).astype(int)
        frame = np.concatenate([pixels[:2].reshape(-1, 3), pixels[-2:].reshape(-1, 3),
                                pixels[:, :2].reshape(-1, 3), pixels[:, -2:].reshape(-1, 3)])
        dark = np.any(frame < 235, axis=1)
        assert not dark.any(), (f"{page}, figure in '{_where(img)}': {dark.sum()} dark pixels on its edge "
                                f"({src}); something is drawn outside the canvas")


def _drawn_figures() -> dict[str, bytes]:
    """The PNG figures as the pages drew them: the outputs of the executed pages in jupyter-cache
    (never re-encoded), by the SHA-256 of their bytes, which myst-nb uses as their file name."""
    import base64
    import hashlib

    from jupyter_cache import get_cache

    folder = ROOT / ".jupyter_cache"
    assert folder.is_dir(), f"no jupyter-cache at {folder}: the book's build should have made it"
    cache, drawn = get_cache(str(folder)), {}
    for record in cache.list_cache_records():
        for cell in cache.get_cache_bundle(record.pk).nb.cells:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    raw = base64.b64decode(output["data"]["image/png"])
                    drawn[hashlib.sha256(raw).hexdigest()] = raw
    return drawn


def test_figures_keep_their_colours_when_made_lighter(html):
    """The book re-encodes each figure as a palette PNG (``reader_html._palette_png``) to make it
    lighter: the picture must stay what the page drew (no channel off by more than 48 of 255,
    nearly every pixel within 16) and the file must not grow."""
    import io

    import numpy as np
    from PIL import Image

    drawn = _drawn_figures()
    shown = sorted((html / "_images").glob("*.png"))
    pairs = [(p, drawn[p.stem]) for p in shown if p.stem in drawn]
    assert len(pairs) >= 30, f"only {len(pairs)} of the book's figures found among the pages' outputs"
    modes = []
    for light, _ in pairs:
        with Image.open(light) as image:
            modes.append(image.mode)
    assert modes.count("P") >= 30, f"the figures were not re-encoded: {modes.count('P')} palette PNGs"
    problems = []
    for light, original in pairs:
        a = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=int)
        b = np.asarray(Image.open(light).convert("RGB"), dtype=int)
        off = np.abs(a - b).max(axis=2) if a.shape == b.shape else None
        if off is None or off.max() > 48 or (off > 16).mean() > 0.01:
            problems.append(f"{light.name}: " + ("another size" if off is None else
                            f"largest error {off.max()}, {(off > 16).mean():.1%} of pixels off by more than 16"))
        elif light.stat().st_size > len(original):
            problems.append(f"{light.name}: {light.stat().st_size} bytes, more than the drawn {len(original)}")
    assert not problems, problems[:5]


@pytest.mark.parametrize("page", CHAPTERS)
def test_equations_are_numbered_within_the_chapter(html, page):
    """Does every display equation carry a number (n.k) of its own chapter?"""
    article, n = _article(html, page), _number(page)
    unnumbered = []
    for block in article.select("div.math"):
        number = block.select_one("span.eqno")
        if number is None or not re.match(rf"\({n}\.\d+\)", number.get_text(strip=True)):
            unnumbered.append(block.get_text(" ", strip=True)[:60])
    assert not unnumbered, f"{page}: display equations without a ({n}.k) number: {unnumbered[:4]}"


@pytest.mark.parametrize("page", CHAPTERS)
def test_sources_are_links_to_the_references(html, page):
    """Is every "source 00N" of the running text a link to that source on the references page?"""
    article = _article(html, page)
    for skipped in article.select("pre, code, .math, script, style, a, h1, h2, h3, h4, h5, h6"):
        skipped.decompose()
    text = article.get_text(" ")
    bare = re.findall(r".{0,30}\b[Ss]ources? 00[0-4].{0,10}", text)
    assert not bare, f"{page}: sources named without a link: {bare[:3]}"
    links = {a["href"].split("#")[-1] for a in _article(html, page).select("a[href*='references.html#source-']")}
    assert links, f"{page} cites no source"
    assert links <= {f"source-00{i}" for i in range(5)}


@pytest.mark.parametrize("page", CHAPTERS)
def test_bookkeeping_code_is_hidden(html, page):
    """Is code that only passes numbers to the text (``glue``) kept out of the reader's way?"""
    shown = []
    for cell in _article(html, page).select("div.cell"):
        classes = set(cell.get("class", []))
        if classes & {"tag_remove-input", "tag_hide-input", "tag_hide-cell", "tag_remove-cell"}:
            continue
        source = cell.select_one("div.cell_input")
        if source is not None and "glue(" in source.get_text():
            shown.append(source.get_text()[:70])
    assert not shown, f"{page}: bookkeeping cells shown to the reader: {shown[:3]}"


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_ends_with_summary_self_check_and_exercises(html, page):
    """Does the chapter end with a summary, self-check questions and exercises, each exercise
    with its solution behind a toggle?"""
    article = _article(html, page)
    chapter = article.select_one("section")
    headings = [s.find("h2").get_text(" ", strip=True).rstrip("#").strip()
                for s in chapter.find_all("section", recursive=False)]
    titles = [re.sub(r"^[\d.]+\s*", "", h) for h in headings]
    assert titles[-3:] == ENDING, f"{page} ends with {titles[-4:]}, not {ENDING}"
    sections = chapter.find_all("section", recursive=False)
    summary, check, exercises = sections[-3:]
    assert len(summary.select("li")) >= 4, f"{page}: the summary has fewer than four points"
    quizzes = check.select("div[data-numquestions]")
    assert quizzes, f"{page}: no self-check questions"
    scripts = " ".join(s.get_text() for s in check.select("script"))
    questions = re.search(r"var questions\w+=(\[.*?\]);?\s*(?:\n|$|function|/)", scripts, re.S)
    assert questions and len(json.loads(questions.group(1))) >= 3, f"{page}: fewer than three questions"
    boxes = exercises.select("div.exercise")
    assert len(boxes) >= 3, f"{page}: fewer than three exercises"
    solutions = exercises.select("div.solution")
    assert len(solutions) >= len(boxes), f"{page}: {len(boxes)} exercises, {len(solutions)} solutions"
    assert all("dropdown" in s.get("class", []) for s in solutions), f"{page}: a solution is not behind a toggle"


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_downloads_as_a_notebook(html, page):
    """Does the page offer itself as a notebook, and is that notebook the chapter's code?"""
    import nbformat

    soup = BeautifulSoup((html / f"{page}.html").read_text(), "html.parser")
    link = soup.select_one("a[href$='.ipynb']")
    assert link is not None, f"{page}: no notebook in the download menu"
    notebook = nbformat.read(str((html / page).parent / link["href"]), as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and any("course_lib" in c.source for c in code)
    assert notebook.metadata.kernelspec.name == "python3"


RAW_TEX = re.compile(r"\\(?:[a-zA-Z]{2,})|\$[^$\s][^$]{0,80}\$")


@pytest.mark.parametrize("page", _toc_files())
def test_no_formula_is_left_as_raw_tex(html, page):
    """Does every formula reach the reader as mathematics? A line of a formula that Markdown
    reads as something else (a '+' at the start of a line becomes a list item and splits the
    formula) leaves '$C(\\phi) \\ge ...' as plain text on the page."""
    article = _article(html, page)
    for skip in article.select("script, style, pre, code, .math, .cell_input, .cell_output, .highlight"):
        skip.decompose()
    text = article.get_text(" ")
    raw = [text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ") for m in RAW_TEX.finditer(text)]
    assert not raw, f"{page} shows TeX as text: {raw[:3]}"


@pytest.mark.parametrize("page", CHAPTERS)
def test_numbered_references_lead_to_what_they_name(html, page):
    """Does every "Figure 4.3", "Table 2.1" or "Section 3.1" in the text link to the figure, table
    or section that carries that number (on its page, or on another chapter's)?"""
    pages, problems, checked = {}, [], 0

    def soup(path):
        if path not in pages:
            pages[path] = BeautifulSoup(path.read_text(), "html.parser")
        return pages[path]

    here = html / f"{page}.html"
    for label in _article(html, page).select("a.reference span.std-numref"):
        match = re.fullmatch(r"(Figure|Table|Section) (\d+(?:\.\d+)*)", label.get_text(strip=True))
        if match is None:
            continue                                   # a reference with its own words
        kind, number = match.groups()
        target_page, _, anchor = label.parent["href"].partition("#")
        target = soup((here.parent / target_page).resolve() if target_page else here).find(id=anchor)
        if target is None:
            problems.append(f"{kind} {number}: no #{anchor} in {target_page or 'this page'}")
            continue
        if kind == "Section":                          # the label sits in the section, before its heading
            section = target if target.name == "section" else target.find_parent("section")
            shown = section.find(re.compile("^h[1-6]$")).select_one(".section-number")
            carried = shown.get_text(strip=True).rstrip(".") if shown else None
        else:
            caption = target.select_one(".caption-number")
            carried = caption.get_text(strip=True).removeprefix(kind).strip() if caption else None
        checked += 1
        if carried != number:
            problems.append(f"'{kind} {number}' links to #{anchor}, which is numbered {carried}")
    assert checked, f"{page} has no numbered reference"
    assert not problems, f"{page}: {problems[:6]}"
