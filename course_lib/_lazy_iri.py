"""Defer jsonschema's IRI grammar until something checks an IRI.

``jsonschema`` (imported by Altair, nbformat, nbgrader and jupyter-book) imports
``rfc3987_syntax`` for its optional "iri" and "iri-reference" format checks, and that package
compiles about forty Earley grammars when it is imported: about 2 s of CPU in every process,
for checks that none of the schemas used here asks for (python-jsonschema/jsonschema#1428).
:func:`defer_iri_grammar` puts a stand-in module in its place: jsonschema registers the same
checks, and the grammar is compiled the first time one of them runs.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import types

NAME = "rfc3987_syntax"


@functools.cache
def _real() -> types.ModuleType:
    if getattr(sys.modules.get(NAME), "__stand_in__", False):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


def _is_valid_syntax(term: str, value: str) -> bool:
    return _real().is_valid_syntax(term, value)


def _forward(name: str):
    if name.startswith("__"):           # the import system asks for __path__ & co.: a plain module
        raise AttributeError(name)
    return getattr(_real(), name)


def defer_iri_grammar() -> None:
    """Install the stand-in, unless jsonschema or the grammar is already imported (then it is
    too late to save anything) or the package is not installed (then jsonschema skips it)."""
    if NAME in sys.modules or "jsonschema" in sys.modules or importlib.util.find_spec(NAME) is None:
        return
    stand_in = types.ModuleType(NAME, "Stand-in for rfc3987_syntax: loads it on first use.")
    stand_in.__stand_in__ = True
    stand_in.is_valid_syntax = _is_valid_syntax
    stand_in.__getattr__ = _forward
    sys.modules[NAME] = stand_in
