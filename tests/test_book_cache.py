"""The book's execution cache follows the library the pages print the results of.

jupyter-cache keys a page on its code alone; ``book/_ext/parallel_execution.py`` adds the
library (``book_library``): a small book whose page prints ``minilib.VALUE`` is built, the
library is changed, and the next build must show the new value, while a build with nothing
changed runs nothing again.
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


def _build(book: Path, env: dict) -> str:
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(book), "--warningiserror", "--keep-going"], cwd=book, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_a_change_to_the_library_runs_the_pages_again(tmp_path):
    book, lib = tmp_path / "book", tmp_path / "lib" / "minilib"
    lib.mkdir(parents=True)
    book.mkdir()
    (lib / "__init__.py").write_text("VALUE = 'one'\n")
    (book / "page.md").write_text(PAGE)
    (book / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (book / "_config.yml").write_text(textwrap.dedent(f"""\
        title: cache test
        only_build_toc_files: true
        execute:
          execute_notebooks: cache
          cache: {tmp_path / 'jupyter_cache'}
        sphinx:
          local_extensions:
            parallel_execution: {ROOT / 'book' / '_ext'}
          config:
            book_library: minilib
        """))
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
