"""How the book's pages are executed and cached (``book/_ext/parallel_execution.py``), on small books.

- jupyter-cache keys a page on its code alone; the extension adds the library
  (``book_library``): a small book whose page prints ``minilib.VALUE`` is built, the library is
  changed, and the next build must show the new value, while a build with nothing changed runs
  nothing again;
- outdated pages run in a pool while Sphinx reads the others, each page's result goes into
  the cache before Sphinx reads it, and a page that fails fails the build with its error, through
  ``make book``'s command (``book/_ext/jupyter_book_main.py``);
- the figures that ``reader_html`` re-encodes where myst-nb wrote them reach the book, and do
  not make the next build read their pages again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# A page

```{code-cell} ipython3
import minilib
print("the library says", minilib.VALUE)
```
"""


def _build(book: Path, env: dict, status: int = 0) -> str:
    """Build ``book`` with ``make book``'s command; check its exit status; return its output."""
    command = [sys.executable, str(ROOT / "book" / "_ext" / "jupyter_book_main.py"), "build", str(book),
               "--warningiserror", "--keep-going"]
    proc = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert (proc.returncode == 0) == (status == 0), output[-6000:]
    return output


def _book(tmp_path: Path, pages: dict[str, str], config: str = "") -> Path:
    """A small book: ``pages`` (name -> MyST text; the first is the root), cached in tmp_path."""
    book = tmp_path / "book"
    book.mkdir()
    for name, text in pages.items():
        (book / f"{name}.md").write_text(text)
    first, *rest = pages
    toc = f"format: jb-book\nroot: {first}\n" + ("chapters:\n" + "".join(f"- file: {n}\n" for n in rest) if rest else "")
    (book / "_toc.yml").write_text(toc)
    (book / "_config.yml").write_text(textwrap.dedent(f"""\
        title: cache test
        only_build_toc_files: true
        execute:
          execute_notebooks: cache
          cache: {tmp_path / 'jupyter_cache'}
        sphinx:
          local_extensions:
            parallel_execution: {ROOT / 'book' / '_ext'}
        """) + config)
    return book


def test_a_change_to_the_library_runs_the_pages_again(tmp_path):
    lib = tmp_path / "lib" / "minilib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("VALUE = 'one'\n")
    book = _book(tmp_path, {"page": PAGE}, "  config:\n    book_library: minilib\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(lib.parent), os.environ.get("PYTHONPATH", "")])}
    html = book / "_build" / "html" / "page.html"

    _build(book, env)
    assert "the library says one" in html.read_text()

    (lib / "__init__.py").write_text("VALUE = 'two'\n")
    log = _build(book, env)
    assert "minilib changed since the cached pages ran" in log
    assert "the library says two" in html.read_text(), "the page still shows the old library's result"

    log = _build(book, env)                                   # nothing changed: nothing runs again
    assert "changed since the cached pages ran" not in log
    assert "the library says two" in html.read_text()

    (lib / "helpers.py").write_text("# a new module is part of the library too\n")
    assert "changed since the cached pages ran" in _build(book, env)


def _notebook(code: str) -> str:
    return PAGE.replace('import minilib\nprint("the library says", minilib.VALUE)', code)


def test_pages_run_side_by_side_while_the_others_are_read(tmp_path):
    """Do the outdated pages run in the pool (myst-nb executes none of them), does Sphinx read
    the pages that have finished (and the plain ones) while a slow page still runs, and does
    every page show its own output?"""
    pages = {"index": "# Plain text\n\nNo code here.\n",
             "quick": _notebook('print("quick page", 6 * 7)'),
             "slow": _notebook('import time\ntime.sleep(4)\nprint("slow page", 2 ** 10)'),
             "tiny": _notebook('print("tiny page", 3 + 4)')}
    book = _book(tmp_path, pages)
    log = _build(book, {**os.environ, "BOOK_JOBS": "2"})
    assert "executing 3 pages on 2 processes" in log
    assert "Executing notebook" not in log, "myst-nb executed a page itself"
    lines = log.splitlines()
    read = next(i for i, line in enumerate(lines) if "reading sources" in line and "quick" in line)
    slow_done = next(i for i, line in enumerate(lines) if "slow.md:" in line)
    assert read < slow_done, "Sphinx waited for the slow page before reading the quick one"
    html = book / "_build" / "html"
    for name, shown in (("quick", "quick page 42"), ("slow", "slow page 1024"), ("tiny", "tiny page 7")):
        assert shown in (html / f"{name}.html").read_text(), f"{name}.html lacks its output"


def test_a_failing_page_fails_the_build_with_its_error(tmp_path):
    """Does a page that raises fail the build (exit status not 0, through make book's command,
    which leaves without tearing down), with the page's own error in the output, and fail the
    next build too (not found up to date)?"""
    pages = {"index": "# Plain text\n",
             "fine": _notebook('print("fine page")'),
             "broken": _notebook('raise ValueError("the broken page says no")')}
    book = _book(tmp_path, pages)
    log = _build(book, {**os.environ, "BOOK_JOBS": "2"}, status=1)
    assert "broken.md: failed in parallel (ValueError: the broken page says no)" in log
    # built again unchanged, it fails again: the broken page is read, and so run, again
    log = _build(book, {**os.environ, "BOOK_JOBS": "2"}, status=1)
    assert "broken.md: Executing notebook" in log and "Executing notebook failed" in log


def test_figures_are_made_lighter_and_an_unchanged_book_reads_no_page_again(tmp_path):
    """The book's figures are re-encoded as palette PNGs where myst-nb wrote them
    (``reader_html``): are they in the book, and does the next build, with nothing changed, find
    every page up to date (a page's figures are among the files Sphinx checks it against)?"""
    figure = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\n"
              "ax.plot([0, 1, 2], [0, 1, 4])\nplt.show()")
    pages = {"index": "# Plain text\n", "one": _notebook(figure), "two": _notebook(figure.replace("4]", "9]"))}
    book = _book(tmp_path, pages)
    config = (book / "_config.yml").read_text()
    (book / "_config.yml").write_text(config.replace(
        "    parallel_execution:", f"    reader_html: {ROOT / 'book' / '_ext'}\n    parallel_execution:"))
    env = {**os.environ, "BOOK_JOBS": "2"}
    _build(book, env)
    from PIL import Image

    shown = sorted((book / "_build" / "html" / "_images").glob("*.png"))
    assert len(shown) == 2
    for path in shown:
        with Image.open(path) as image:
            assert image.mode == "P", f"{path.name} was not re-encoded"
    log = _build(book, env)
    assert "0 added, 0 changed, 0 removed" in log, log[-3000:]
