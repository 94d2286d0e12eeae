"""Execute the book's outdated pages in parallel, into jupyter-cache, before Sphinx reads them.

myst-nb (execution mode ``cache``) executes a page when Sphinx reads it, and Sphinx reads pages
one after another, so a clean build runs every page's kernel in turn. This extension hooks
``env-before-read-docs``: among the pages about to be read it finds the MyST notebooks with no
matching entry in jupyter-cache, executes them in a pool of processes (as many as cores, or
``BOOK_JOBS``), the longest first (by their last recorded execution time), and stores each
result in the cache exactly as myst-nb would (``cache_notebook_bundle``). When Sphinx then
reads the pages, myst-nb finds every one in the cache. A page that fails is left alone: myst-nb
executes it again while reading and reports the error as usual (with the build's settings).
Each pool process is a new interpreter that becomes a template: the kernel of each page it runs
is forked from it with the usual modules already imported (:mod:`warm_kernels`).

Nothing changes for an unchanged page (the cache matches, nothing runs) or a single changed
page (executed by myst-nb itself, as before).

jupyter-cache keys a page on its code alone, but the pages print what the course's library
computes. So the cache also depends on the library (``book_library``, ``course_lib`` by default):
when the library's files differ from those the cached pages ran with (a digest of their paths and
contents, kept in the cache's folder), the cache is emptied and every notebook page is read, and
so run, again. Otherwise a change to ``course_lib`` would leave its old numbers in the book.
"""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sphinx.util import logging
from warm_kernels import execute_page, prepare, read_page

logger = logging.getLogger(__name__)

READER = {"name": "myst_nb_md", "type": "plugin"}


def _is_notebook(path: Path) -> bool:
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head


def _pool(workers: int) -> ProcessPoolExecutor:
    """The execution pool, its processes started (and warming up) at once."""
    # Each pool process is a new interpreter (none of Sphinx's state) and a template from which
    # the pages' kernels are forked with their usual modules already imported (warm_kernels).
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=prepare)
    for _ in range(workers):
        pool.submit(int)                          # a process is started for each waiting job
    return pool


def _cache_path(app) -> Path:
    return Path(app.config.nb_execution_cache_path or ".jupyter_cache")


def library_digest(package: str) -> str:
    """A digest of the files of ``package`` (as the pages' kernels import it): paths and contents."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"book_library = {package!r}: no such package is importable here; set it to the "
                         "package whose results the pages print (course_lib).")
    digest = hashlib.sha256()
    for folder in spec.submodule_search_locations:
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                           and p.suffix != ".pyc"):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _library_changed(app, env, added, changed, removed):
    """``env-get-outdated``: when the library changed since the cached pages ran, empty the cache
    and read every notebook page again (reading a page executes it)."""
    if app.config.nb_execution_mode != "cache" or not app.config.book_library:
        return []
    stamp = _cache_path(app) / "book_library.sha256"
    digest = library_digest(app.config.book_library)
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return []
    from jupyter_cache import get_cache

    cache = get_cache(str(_cache_path(app)))
    stale = cache.list_cache_records()
    if stale:
        # The pages' last execution times still order the runs, the longest first.
        app.book_page_seconds = {r.uri: float(r.data.get("execution_seconds", 0.0) or 0.0) for r in stale}
        logger.info(f"{app.config.book_library} changed since the cached pages ran: "
                    f"every page runs again ({len(stale)} cached results dropped)", color="green")
        cache.clear_cache()                               # removes the folder: made again below
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")                       # from now on the cache holds this library's results
    return [] if not stale else [doc for doc in env.found_docs if doc not in added | changed
                                 and _is_notebook(Path(env.doc2path(doc)))]


def execute_outdated(app, env, docnames):
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(_cache_path(app)))
    records = cache.list_cache_records()
    last = dict(getattr(app, "book_page_seconds", {}))     # the times of a cache just emptied (above)
    for record in records:
        last[record.uri] = float(record.data.get("execution_seconds", 0.0) or 0.0)
    jobs = int(os.environ.get("BOOK_JOBS", 0)) or os.cpu_count() or 1
    # An empty cache: every page will run. The processes warm up while the pages are read below.
    pool = _pool(jobs) if jobs >= 2 and not records and len(docnames) >= 2 else None
    try:
        todo = []
        for docname in docnames:
            path = Path(env.doc2path(docname))
            if not _is_notebook(path):
                continue
            try:
                cache.match_cache_notebook(read_page(str(path)))
            except KeyError:
                todo.append(str(path))
        if len(todo) < 2 or jobs < 2:
            return                                # nothing to gain: myst-nb executes it while reading
        todo.sort(key=lambda p: -last.get(p, float("inf")))   # unknown pages first, then the longest
        pool = pool or _pool(min(jobs, len(todo)))
        logger.info(f"executing {len(todo)} pages on {min(jobs, len(todo))} processes", color="green")
        start = time.perf_counter()
        for path, notebook, seconds, error in pool.map(execute_page, [(p, app.config.nb_execution_timeout)
                                                                      for p in todo]):
            name = os.path.relpath(path, app.srcdir)
            if error is not None:
                logger.info(f"  {name}: failed in parallel ({error.splitlines()[0][:120]}); myst-nb will run it again")
                continue
            record = cache.add_nb_to_project(path, read_data=READER)
            cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            logger.info(f"  {name}: {seconds:.1f} s")
        logger.info(f"pages executed in {time.perf_counter() - start:.1f} s", color="green")
    finally:
        if pool is not None:
            pool.shutdown()


def setup(app):
    # Pages run side by side, one per core, so numpy's BLAS gets one thread in every page's
    # kernel (set here, it reaches the kernels myst-nb starts too): more threads would only
    # fight over the same cores, and OpenBLAS's idle threads spin (about 30% more CPU for the
    # book's pages). It also makes the timings a page shows those of one core.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    app.add_config_value("book_library", "course_lib", "env")
    app.connect("env-get-outdated", _library_changed)
    app.connect("env-before-read-docs", execute_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
