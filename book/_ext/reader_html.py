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
  pages load about three times less); Font Awesome's 1.5 MB script is left out (its web fonts,
  in the theme's style sheet, draw the same icons).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


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


def _without_fontawesome_js(outdir: Path) -> None:
    """The theme loads Font Awesome twice: as a style sheet with its web fonts (in the theme's
    CSS) and as a 1.5 MB script that redraws each icon as SVG. The fonts alone draw every icon
    of the book, so the script goes (the heaviest file of every page)."""
    tag = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
    for page in outdir.rglob("*.html"):
        text = page.read_text()
        lighter = tag.sub("", text)
        if lighter != text:
            page.write_text(lighter)
    for leftover in (outdir / "_static" / "scripts").glob("fontawesome.js*"):
        leftover.unlink()


def _lighter_output(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    _without_fontawesome_js(Path(app.outdir))
    from PIL import Image

    for path in sorted((Path(app.outdir) / "_images").glob("*.png")):
        raw = path.read_bytes()
        with Image.open(path) as image:
            if image.mode == "P":
                continue
            rgb = image.convert("RGB")
        buffer = io.BytesIO()
        rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buffer, format="PNG", optimize=True)
        if len(buffer.getvalue()) < len(raw):
            path.write_bytes(buffer.getvalue())


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _without_thebe)
    app.connect("build-finished", _lighter_output)
    app.add_css_file("reader.css")
    app.add_js_file("reader.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
