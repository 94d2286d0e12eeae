"""Explorers of the book, one module per chapter (``course_lib.explorers.<chapter>``).

Each module lists its live explorers in ``EXPLORERS``: :class:`course_lib.explorers.live.LiveExplorer`
(one definition: every parameter live in the book, as Vega, and in Jupyter, as ipywidgets; see
``live.py`` and ``README.md`` here for the design).

Modules: ``newton`` (chapter 1), ``sgd`` (2), ``momentum`` (3), ``adaptive`` (4), ``autodiff`` (5),
``linesearch`` (7), ``quasi_newton`` (8), ``convexity`` (9), ``landscape`` (10), ``training`` (11).
"""

import importlib
import pkgutil


def live_explorers() -> list:
    """Every factory listed in a chapter module's ``EXPLORERS``."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "live":
            continue
        found += getattr(importlib.import_module(f"{__name__}.{info.name}"), "EXPLORERS", [])
    return found
