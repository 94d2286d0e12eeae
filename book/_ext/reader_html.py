"""The HTML book as readers use it: on a phone, offline, without console errors.

- The notebooks' ipywidgets state is left out of the pages (no kernel, no live views: up to
  a third of a chapter's weight).
- ``reader.js``: the header's buttons open the navigation and the page contents (the themes
  listen only to their own hidden copies of these buttons).
- sphinx-thebe (which jupyter-book always loads) adds its set-up script twice per page, a
  console error ("THEBE_JS_URL has already been declared"); the book launches no live code, so
  its scripts and style sheet are left out of every page.
- The theme's colour mode defaults to ``auto`` (the reader's system setting); left empty, the
  theme logs "Got invalid theme mode".
- ``reader.css``: nothing wider than a phone's screen outside a scrolling box (long inline code
  wraps, wide equations and tables scroll), explorers fit the column, and mathematics stays
  hidden until MathJax has typeset it (no raw TeX while a page loads).
- Figures are re-encoded as 8-bit palette PNGs when that is smaller (a plot has few colours;
  pages load about three times less), where myst-nb wrote them and on the cores that Sphinx's
  writing leaves idle, before Sphinx copies them into the book; each page is made lighter to
  load (``_lighter_page``: no Font Awesome script, deferred search scripts, embedded pictures
  as files).
- A mention of a source document in running text ("source 004", "sources 001 and 003") links
  to its entry on the references page (labels ``source-000`` ... ``source-004``).
- Each chapter can be downloaded as a notebook (``.ipynb``, from the header's download menu) to
  run it live in JupyterLab; the theme offers one only when a launch service is configured.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"

# "source 004", "sources 000 and 004", "sources 001, 003 and 004" (the course's five documents)
_SOURCES = re.compile(r"\b([Ss]ources?)\s+(00[0-4](?:(?:,\s*|,?\s+and\s+|,?\s+or\s+)00[0-4])*)\b")
_NUMBER = re.compile(r"00[0-4]")


def _source_link(text: str, number: str):
    from docutils import nodes
    from sphinx import addnodes

    return addnodes.pending_xref("", nodes.inline(text, text), refdomain="std", reftype="ref",
                                 reftarget=f"source-{number}", refexplicit=True, refwarn=True)


def _cited(text: str) -> list:
    """``text`` with each mention of a source as a cross-reference to the references page."""
    from docutils import nodes

    out, last = [], 0
    for match in _SOURCES.finditer(text):
        out.append(nodes.Text(text[last:match.start()]))
        numbers = _NUMBER.findall(match.group(2))
        if len(numbers) == 1:
            out.append(_source_link(match.group(0), numbers[0]))
        else:
            out.append(nodes.Text(match.group(1) + " "))
            inner, at = match.group(2), 0
            for number in _NUMBER.finditer(inner):
                out.append(nodes.Text(inner[at:number.start()]))
                out.append(_source_link(number.group(0), number.group(0)))
                at = number.end()
            out.append(nodes.Text(inner[at:]))
        last = match.end()
    out.append(nodes.Text(text[last:]))
    return out


def _link_sources(app, doctree):
    from docutils import nodes
    from sphinx import addnodes

    if app.env.docname.endswith("references"):
        return
    skip = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.math_block, nodes.reference,
            nodes.title, nodes.raw, addnodes.pending_xref, nodes.target)
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or not _SOURCES.search(text.astext()):
            continue
        ancestor, inside = parent, False
        while ancestor is not None:
            if isinstance(ancestor, skip) or ancestor.get("nb_element") == "mime_bundle":
                inside = True
                break
            ancestor = ancestor.parent
        if not inside:
            parent.replace(text, _cited(text.astext()))


def _configure(app, config):
    config.html_context = {**(config.html_context or {}), "default_mode": "auto"}
    config.html_static_path.append(str(STATIC))


def _without_thebe(app, pagename, templatename, context, doctree):
    def unused(asset) -> bool:
        name = str(getattr(asset, "filename", asset) or "")
        attributes = getattr(asset, "attributes", {})
        body = str(attributes.get("body", ""))
        # sphinx-thebe's set-up; the notebooks' ipywidgets state (live views with their pictures,
        # of no use without a kernel: the book shows each explorer's static rendering instead)
        return ("sphinx-thebe" in name or "THEBE_JS_URL" in body
                or attributes.get("type") == "application/vnd.jupyter.widget-state+json")

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not unused(asset)]


def _notebook_download(app, pagename, templatename, context, doctree):
    """Offer the page as a notebook without outputs (its cells run in a minute in JupyterLab)."""
    source = Path(app.env.doc2path(pagename))
    if app.builder.format != "html" or source.suffix != ".md" or "kernelspec" not in (
            app.env.metadata.get(pagename) or {}):
        return
    import copy

    import nbformat
    from warm_kernels import read_page

    notebook = copy.deepcopy(read_page(str(source)))     # usually read already, for the execution check
    notebook.metadata.pop("source_map", None)             # the lines of the page's cells: not for readers
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    context["ipynb_source"] = f"{pagename}.ipynb"


_FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_SEARCH_JS = re.compile(r'<script src="([^"]*(?:searchtools\.js|language_data\.js|searchindex\.js))"></script>')
_EAGER_IMG = re.compile(r'<img (?![^>]*\bloading=)')
_EMBEDDED_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")


def _lighter_page(page: Path, outdir: Path) -> None:
    """One built page, lighter to load.

    - Font Awesome's script goes: the theme loads Font Awesome twice, as a style sheet with its
      web fonts and as a 1.5 MB script that redraws each icon as SVG; the fonts draw every icon.
    - The search scripts (the theme loads the whole search index in every page's head, where it
      holds up the first paint) are deferred: they still run before the page is ready.
    - Pictures embedded in the page as ``data:`` URLs become files in ``_images/embedded/``
      named by their content, so that they load lazily like the others.
    - Pictures load when the reader scrolls near them (``loading="lazy"``), so the first screen
      does not wait for the figures further down.
    """
    text = page.read_text()
    lighter = _FONTAWESOME_JS.sub("", text)
    lighter = _SEARCH_JS.sub(r'<script defer src="\1"></script>', lighter)
    folder = outdir / "_images" / "embedded"

    def as_file(match) -> str:
        data = base64.b64decode(match.group(1).replace("\\", "").replace("\n", ""))
        name = hashlib.sha256(data).hexdigest()[:32] + ".png"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / name).exists():
            (folder / name).write_bytes(data)
        return os.path.relpath(folder / name, page.parent).replace(os.sep, "/")

    lighter = _EMBEDDED_PNG.sub(as_file, lighter)
    lighter = _EAGER_IMG.sub('<img loading="lazy" ', lighter)
    if lighter != text:
        page.write_text(lighter)


def _palette_png(path: Path) -> None:
    """Re-encode a figure as an 8-bit palette PNG when that is smaller (a plot has few colours).

    Octree quantisation keeps the colours closer than median cut on the book's figures (largest
    channel error 44 against 83 out of 255, median over the figures 14 against 46), makes files
    30% smaller and takes a ninth of the time; zlib's level 8 gives files within 2% of level 9's
    in less than half the time."""
    from PIL import Image

    raw = path.read_bytes()
    with Image.open(path) as image:
        if image.mode == "P":
            return
        rgb = image.convert("RGB")
    buffer = io.BytesIO()
    rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        buffer, format="PNG", compress_level=8)
    if len(buffer.getvalue()) < len(raw):
        times = path.stat()
        path.write_bytes(buffer.getvalue())
        # the same figure: its time is kept, or Sphinx (for which a page's figures are among the
        # files it depends on) would read the page again at the next build
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def _palettes(figures: list, jobs: int):
    """Start re-encoding ``figures`` (:func:`_palette_png`, ~30 ms each) in ``jobs`` forked
    processes; returns the pool and its futures (no pool for no figures)."""
    if not figures:
        return None, []
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(min(len(figures), jobs), mp_context=multiprocessing.get_context("fork"))
    return pool, [pool.submit(_palette_png, figure) for figure in figures]


def _note_read(app, env, docnames):
    app.book_docs_read = set(docnames)


def _start_palettes(app, env):
    """``env-updated``: every page has been read and myst-nb has written its figures; re-encode
    them where it wrote them, on the cores that Sphinx's (serial) writing leaves idle, so that
    Sphinx copies the lighter files into the book. They must be done before it copies them
    (:func:`_palettes_done`)."""
    folder = getattr(getattr(env, "mystnb_config", None), "output_folder", None)
    if app.builder.format != "html" or not folder:
        return
    folder, read = Path(folder).resolve(), getattr(app, "book_docs_read", set())
    figures = sorted({path for path in (Path(app.srcdir, image).resolve()
                                        for image, (docnames, _) in env.images.items() if docnames & read)
                      if path.suffix == ".png" and folder in path.parents and path.is_file()})
    app.book_palettes = _palettes(figures, max(1, (os.cpu_count() or 1) - 1))


def _palettes_done(app):
    """``html-collect-pages`` (before Sphinx copies the images): wait for :func:`_start_palettes`."""
    pool, futures = getattr(app, "book_palettes", (None, []))
    app.book_palettes = (None, [])
    for future in futures:
        future.result()
    if pool is not None:
        pool.shutdown()
    return []


def _lighter_output(app, exception):
    _palettes_done(app)
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        _lighter_page(page, outdir)
    for leftover in (outdir / "_static" / "scripts").glob("fontawesome.js*"):
        leftover.unlink()
    # the figures not re-encoded while the pages were written (already 8-bit ones are left at once)
    pool, futures = _palettes(sorted((outdir / "_images").glob("*.png")), os.cpu_count() or 1)
    with pool or contextlib.nullcontext():
        for future in futures:
            future.result()


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("doctree-read", _link_sources)
    app.connect("html-page-context", _without_thebe)
    app.connect("html-page-context", _notebook_download)      # before the theme's buttons (501)
    app.connect("env-before-read-docs", _note_read)
    app.connect("env-updated", _start_palettes)
    app.connect("html-collect-pages", _palettes_done)
    app.connect("build-finished", _lighter_output)
    app.add_css_file("reader.css")
    app.add_js_file("reader.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
