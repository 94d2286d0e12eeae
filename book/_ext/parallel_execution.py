"""Execute the book's outdated pages in parallel, into jupyter-cache, while Sphinx reads the others.

myst-nb (execution mode ``cache``) executes a page when Sphinx reads it, and Sphinx reads pages
one after another, so a clean build runs every page's kernel in turn. This extension hooks
``env-before-read-docs``: among the pages about to be read it finds the MyST notebooks with no
matching entry in jupyter-cache and starts executing them in a pool of processes (as many as
cores, or ``BOOK_JOBS``), the longest first (by their last recorded execution time). It moves
those pages to the end of Sphinx's reading order, in the order they should finish, so that
Sphinx reads the other pages, and then each finished one, while the rest still run. When Sphinx
comes to such a page (``source-read``), it waits for the page's result and stores it in the
cache exactly as myst-nb would (``cache_notebook_bundle``); myst-nb then finds it there. A page
that fails is left alone: myst-nb executes it again while reading and reports the error as usual
(with the build's settings).
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
import re
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


def _completion_order(order: list[str], last: dict, workers: int) -> list[str]:
    """The pages in the order a pool of ``workers`` processes should finish them when it takes
    them in ``order``, each page taking its last execution time (an unknown one: the mean)."""
    known = {path: last[path] for path in order if path in last}
    typical = sum(known.values()) / len(known) if known else 1.0
    free, finish = [0.0] * workers, {}             # when each process is next free
    for path in order:
        k = free.index(min(free))
        free[k] += known.get(path, typical)
        finish[path] = free[k]
    return sorted(order, key=finish.__getitem__)


def execute_outdated(app, env, docnames):
    """``env-before-read-docs``: start executing the outdated notebook pages in the pool, and put
    them at the end of the reading order, in the order they should finish; the other pages are
    read while they run, and reading a page waits for its result (:func:`_collect`)."""
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache

    cache = get_cache(str(_cache_path(app)))
    records = cache.list_cache_records()
    last = dict(getattr(app, "book_page_seconds", {}))     # the times of a cache just emptied (above)
    for record in records:
        last[record.uri] = float(record.data.get("execution_seconds", 0.0) or 0.0)
    jobs = int(os.environ.get("BOOK_JOBS", 0)) or os.cpu_count() or 1
    # An empty cache: every page will run. The processes warm up while the pages are read below.
    pool = _pool(jobs) if jobs >= 2 and not records and len(docnames) >= 2 else None
    try:
        todo = {}
        for docname in docnames:
            path = Path(env.doc2path(docname))
            if not _is_notebook(path):
                continue
            if records:                  # (an empty cache matches nothing: no page need be parsed to know)
                try:
                    cache.match_cache_notebook(read_page(str(path)))
                    continue
                except KeyError:
                    pass
            todo[str(path)] = docname
        if len(todo) < 2 or jobs < 2:
            return                                # nothing to gain: myst-nb executes it while reading
        order = sorted(todo, key=lambda p: -last.get(p, float("inf")))   # unknown pages first, then the longest
        workers = min(jobs, len(order))
        pool = pool or _pool(workers)
        logger.info(f"executing {len(order)} pages on {workers} processes", color="green")
        app.book_pending = {path: pool.submit(execute_page, (path, app.config.nb_execution_timeout)) for path in order}
        app.book_pool, app.book_cache, app.book_started = pool, cache, time.perf_counter()
        pool = None                                   # shut down once every page is collected
        running = [todo[p] for p in _completion_order(order, last, workers)]
        docnames[:] = [d for d in docnames if d not in running] + running
    finally:
        if pool is not None:
            pool.shutdown()


def _collect(app, docname, source):
    """``source-read``: before myst-nb looks a page up in the cache, wait for the page's run in the
    pool (if it has one) and store its result there, as myst-nb would have. A page that failed
    is left alone: myst-nb executes it again while reading and reports the error as usual."""
    pending = getattr(app, "book_pending", None)
    if not pending:
        return
    path = str(Path(app.env.doc2path(docname)))
    future = pending.pop(path, None)
    if future is not None:
        from jupyter_cache.base import CacheBundleIn

        try:
            _, notebook, seconds, error = future.result()
        except Exception as broken:          # the pool process died (BrokenProcessPool): as a failure
            notebook, seconds, error = None, 0.0, f"{type(broken).__name__}: {broken}"
        name = os.path.relpath(path, app.srcdir)
        if error is not None:
            # the error's last line (the exception and its message, without the traceback's colours)
            # in the log; myst-nb reports the rest
            last = re.sub(r"\x1b\[[0-9;]*m", "", error.strip().splitlines()[-1])[:200]
            logger.info(f"  {name}: failed in parallel ({last}); myst-nb will run it again")
        else:
            cache = app.book_cache
            record = cache.add_nb_to_project(path, read_data=READER)
            cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            logger.info(f"  {name}: {seconds:.1f} s")
    if not pending:
        _finish(app)


def _finish(app, *args):
    """Shut the pool down: every page collected, or the build ended (pages not collected then are
    cancelled)."""
    pool = getattr(app, "book_pool", None)
    if pool is None:
        return
    app.book_pool = None
    for future in getattr(app, "book_pending", {}).values():
        future.cancel()
    pool.shutdown()
    if not getattr(app, "book_pending", None):
        logger.info(f"pages executed in {time.perf_counter() - app.book_started:.1f} s", color="green")


def _forget_failed_build(app, exception):
    """``build-finished``: a build that fails on warnings (``-W --keep-going``: a page that failed
    to execute, for one) leaves no pickled environment behind, as Sphinx does after an error.
    Otherwise the next build would find every page up to date, read none again, and succeed: the
    failed page has no cached result, so reading it again runs it again and reports its error."""
    if exception is None and app.keep_going and getattr(app, "_warncount", 0):   # keep_going: only with -W
        Path(app.doctreedir, "environment.pickle").unlink(missing_ok=True)


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
    app.connect("source-read", _collect)
    app.connect("build-finished", _finish)
    app.connect("build-finished", _forget_failed_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
