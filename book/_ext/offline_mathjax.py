"""Serve MathJax from the book itself, so mathematics renders without a network.

Sphinx points ``mathjax_path`` at a CDN by default. This extension copies MathJax 3 (from the
``django-static-mathjax`` package, a plain copy of the official distribution) into
``_static/mathjax`` of the HTML output and points ``mathjax_path`` there.

Pages load MathJax by components rather than the combined ``tex-chtml.js``: the same TeX input,
HTML output and hidden MathML for screen readers (``a11y/assistive-mml``), without the 426 KB
context menu (options for rendering and zoom that a reader of this book rarely needs); a page
loads 0.76 MB of MathJax instead of 1.16 MB. The components and the two fonts every formula
uses are announced with ``<link rel="preload">`` in the page's head, so a browser fetches them
while the page itself downloads instead of after it (on a slow link MathJax's own chain,
startup then components then fonts, costs three round trips after the page).
"""

from __future__ import annotations

import shutil
from pathlib import Path

# The parts tex-chtml.js loads: the combined component, TeX extensions loaded on demand,
# the CHTML fonts, the menu and the accessibility components.
_PARTS = ["startup.js", "core.js", "input", "output/chtml", "output/chtml.js", "ui", "a11y", "sre"]
# ui/lazy typesets a formula when it comes near the screen: the first screen is readable
# without waiting for the hundreds of formulas further down a chapter.
_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml", "ui/lazy"]


def _source() -> Path:
    import mathjax  # provided by django-static-mathjax

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _configure(app, config):
    _source()  # fail early, with an ImportError naming the missing package
    config.mathjax_path = "mathjax/startup.js"
    mathjax = dict(config.mathjax3_config or {})
    mathjax["loader"] = {**mathjax.get("loader", {}), "load": _COMPONENTS}
    config.mathjax3_config = mathjax


_PRELOAD = [("core.js", "script"), ("input/tex.js", "script"), ("output/chtml.js", "script"),
            ("output/chtml/fonts/tex.js", "script"), ("ui/lazy.js", "script"),
            ("output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff", "font"),
            ("output/chtml/fonts/woff-v2/MathJax_Math-Italic.woff", "font")]


def _preload(app, pagename, templatename, context, doctree):
    if not any("mathjax" in str(getattr(a, "filename", "")) for a in context.get("script_files", [])):
        return
    links = "".join(
        f'<link rel="preload" href="{context["pathto"]("_static/mathjax/" + path, 1)}" as="{kind}"'
        + (' type="font/woff" crossorigin' if kind == "font" else "") + ">\n"
        for path, kind in _PRELOAD)
    context["metatags"] = context.get("metatags", "") + links


def _copy(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    src, dest = _source(), Path(app.outdir) / "_static" / "mathjax"
    for part in _PARTS:
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part, dirs_exist_ok=True)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / part, dest / part)


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _preload, priority=900)   # after Sphinx adds MathJax
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
