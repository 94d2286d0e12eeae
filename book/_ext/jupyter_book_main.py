"""``make book``'s jupyter-book: its own command line, started and ended without idle work.

    python book/_ext/jupyter_book_main.py build . --warningiserror --nitpick --keep-going

- At the start, jsonschema's IRI grammar, which the build never uses, is deferred
  (:mod:`course_lib._lazy_iri`: about 2 s at every build).
- At the end, once the build is over and its output flushed, the process leaves with
  ``os._exit`` and the build's exit status. A normal exit tears down every object Sphinx built
  (doctrees, the environment, the parsers), which took 2.4 to 2.9 s at every build on a 2-core
  machine. Nothing is lost: Sphinx has written and closed every file by then, and the book's
  extensions shut their process pools down when the build finishes (``build-finished``).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from course_lib._lazy_iri import defer_iri_grammar

    defer_iri_grammar()
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book()
        status = 0
    except SystemExit as end:             # click ends every command this way
        status = end.code
    if status is None:
        status = 0
    elif not isinstance(status, int):     # a message: what SystemExit would print, and status 1
        print(status, file=sys.stderr)
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
