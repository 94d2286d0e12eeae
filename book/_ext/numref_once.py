"""Number each ``{numref}`` from a doctree read once per build, not once per reference.

To number a reference to a figure, table or equation, Sphinx's standard domain unpickles the
whole doctree of the page that holds the target, again for every reference
(sphinx-doc/sphinx#12883). The book's pages carry their explorers' data, so a doctree is about
1 MB and the book's ~160 references cost about 12 s of a clean build. This extension keeps the
standard domain and only lets its numbering read each page's doctree once: it looks at the
target node's type and the page's figure numbers, and never changes the doctree.
"""

from __future__ import annotations

from sphinx.domains import std

_read: dict[str, tuple[bytes, object]] = {}   # docname -> (pickled doctree, unpickled doctree)


def _doctree_once(env, docname: str):
    pickled = env._pickled_doctree_cache.get(docname)
    kept = _read.get(docname)
    if kept is not None and pickled is not None and kept[0] is pickled:
        return kept[1]
    doctree = env.get_doctree(docname)      # reads the file into env's cache of pickled doctrees
    _read[docname] = (env._pickled_doctree_cache.get(docname), doctree)
    return doctree


class _ReadOnce:
    """The environment as ``_resolve_numref_xref`` sees it: ``get_doctree`` reads a page once."""

    def __init__(self, env):
        self._env = env

    def get_doctree(self, docname: str):
        return _doctree_once(self._env, docname)

    def __getattr__(self, name):
        return getattr(self._env, name)


class StandardDomain(std.StandardDomain):
    def _resolve_numref_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        return super()._resolve_numref_xref(_ReadOnce(env), fromdocname, builder, typ, target, node, contnode)


def _forget(app, *args):
    _read.clear()


def setup(app):
    app.add_domain(StandardDomain, override=True)
    app.connect("env-before-read-docs", _forget)
    app.connect("build-finished", _forget)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
