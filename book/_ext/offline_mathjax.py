"""Serve MathJax from the book itself, so mathematics renders without a network.

Sphinx points ``mathjax_path`` at a CDN by default. This extension copies MathJax 3 (from the
``django-static-mathjax`` package, a plain copy of the official distribution) into
``_static/mathjax`` of the HTML output and points ``mathjax_path`` there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

# The parts tex-chtml.js loads: the combined component, TeX extensions loaded on demand,
# the CHTML fonts, the menu and the accessibility components.
_PARTS = ["tex-chtml.js", "input", "output/chtml", "output/chtml.js", "ui", "a11y", "sre"]


def _source() -> Path:
    import mathjax  # provided by django-static-mathjax

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _configure(app, config):
    _source()  # fail early, with an ImportError naming the missing package
    config.mathjax_path = "mathjax/tex-chtml.js"


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
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
