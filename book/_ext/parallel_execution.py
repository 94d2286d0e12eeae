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
"""

from __future__ import annotations

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


def execute_outdated(app, env, docnames):
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(app.config.nb_execution_cache_path or ".jupyter_cache")
    last = {}
    for record in cache.list_cache_records():
        last[record.uri] = float(record.data.get("execution_seconds", 0.0) or 0.0)
    jobs = int(os.environ.get("BOOK_JOBS", 0)) or os.cpu_count() or 1
    # An empty cache: every page will run. The processes warm up while the pages are read below.
    pool = _pool(jobs) if jobs >= 2 and not last and len(docnames) >= 2 else None
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
    app.connect("env-before-read-docs", execute_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
