"""The book's live explorers (:mod:`course_lib.explorers.live`): their script and Vega's runtime.

- While the book is built, explorers render only their static form (no ipywidgets view, which
  the book drops anyway): ``COURSE_LIB_EXPLORERS=static`` is set for the kernels that run the
  pages.
- Every page gets ``explorers.js`` (3 kB), which starts the explorers of the page, if any, and
  loads Vega's runtime only when the first one comes near the screen.
- Vega's runtime is the build of Vega, Vega-Lite and vega-embed shipped inside
  ``vl-convert-python`` (no network), written once per Vega version into the book's ``_static``
  folder. Vega-Lite compiles each explorer's chart in the reader's browser, so the pages'
  kernels never start vl-convert (0.7 s of CPU for each page with explorers).
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
# What the runtime exposes: vega-embed, which renders a compiled (Vega) specification. (The
# bundle's own ``window.vega`` is null in vl-convert 1.9, whose bundler drops Vega's namespace.)
_SNIPPET = "window.vegaEmbed = vegaEmbed;"


def runtime_name() -> str:
    import vl_convert

    return f"vega-{vl_convert.get_vega_version()}.js"


_pending: dict = {}   # the Sphinx application -> (its pool, the bundle to come, where it goes)


def _bundle() -> str:
    import vl_convert

    # The bundle declares its own names at top level: wrapped in a function, it runs as a
    # classic script (a module script would not load from a book opened as files).
    return f"(function () {{\n{vl_convert.javascript_bundle(_SNIPPET)}\n}})();\n"


def _start_runtime(app):
    """Bundle Vega's runtime (1-3 s) in another process while the pages are read and written,
    if the book's ``_static`` folder does not have it yet."""
    target = Path(app.outdir) / "_static" / runtime_name()      # written once per Vega version
    if app.builder.format != "html" or target.exists():
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    _pending[app] = (pool, pool.submit(_bundle), target)


def _runtime(app, exception):
    if app not in _pending:
        return
    pool, bundle, target = _pending.pop(app)
    with pool:
        if exception is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(bundle.result(), encoding="utf-8")


def _configure(app, config):
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app):
    os.environ["COURSE_LIB_EXPLORERS"] = "static"
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _start_runtime)
    app.connect("build-finished", _runtime)
    app.add_js_file("explorers.js", loading_method="defer", **{"data-runtime": runtime_name()})
    return {"parallel_read_safe": True, "parallel_write_safe": True}
