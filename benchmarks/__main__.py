"""Performance figures of the course kit: ``make bench`` (``python -m benchmarks``).

    python -m benchmarks [--submissions N] [--jobs J] [--only book|grading|cluster|check|reader|explorers|autodiff]

- book: a copy of the book built by ``make book`` from nothing (every page executed), then
  again unchanged (by ``make book``, and by its jupyter-book command without make), after one page's
  text is edited, and into an empty ``_build`` with every page cached; then each page's
  execution time from the cache;
- grading: the same N submissions of 01_newton (honest samples, cycled) graded side by side
  by stock ``nbgrader autograde`` (its Execute preprocessor, student code and hidden tests in
  one kernel) and by ``python -m autograder autograde --jobs J`` (sandbox + judge, parallel);
  prints both times, the ratio, and checks that every student gets the same score;
- cluster: 200 submissions of 01_newton graded by ``--jobs J`` and by a local Dask cluster of J
  worker processes (``--scheduler``), the same scores, and a model of 5000 submissions on N workers;
- check: a student's ``python -m autograder check`` on a correct notebook;
- reader: every page of the built book (``make book`` first) opened in Chromium over a
  9 Mbit/s link: bytes loaded, time to a readable first screen (:mod:`benchmarks.reader`);
- explorers: every slider of every live explorer of the built book moved in Chromium: time from
  the input to the redrawn figure (:mod:`benchmarks.explorers`);
- autodiff: one MLP loss + gradient by ``course_lib.autodiff`` against ``course_lib.backprop``
  (hand-written numpy), and the ratio (:mod:`benchmarks.autodiff`).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
HONEST = ["correct", "sign_error", "diagonal_shortcuts", "hard_coded", "broken", "unanswered"]
STOCK_CONFIG = '''
# stock nbgrader: its own Execute (one kernel per notebook) and sanitising steps
from nbgrader.preprocessors import Execute
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
                                      CheckCellMetadata]
'''


def timed(cmd, cwd) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def bench_book(work: Path) -> None:
    """A copy of the book (with the Makefile, using this environment) built as a reader or an
    author builds it: from nothing, then again unchanged, then with one page edited."""
    book = work / "book_copy"
    book.mkdir()
    for name in ("_config.yml", "_toc.yml", "Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, book)                    # copy2: times kept, the venv stays up to date
    for folder in ("book", "course_lib"):
        shutil.copytree(ROOT / folder, book / folder, ignore=shutil.ignore_patterns("__pycache__"))
    make = ["make", "--no-print-directory", "book", f"VENV={BIN.parent}"]
    jupyter_book = [str(BIN / "python"), str(book / "book" / "_ext" / "jupyter_book_main.py"), "build", str(book),
                    "--warningiserror", "--nitpick", "--keep-going"]         # make book's jupyter-book
    clean = timed(make, book)
    unchanged = timed(make, book)
    sphinx_unchanged = timed(jupyter_book, book)
    page = book / "book" / "03_momentum.md"
    page.write_text(page.read_text() + "\nOne more sentence, for the benchmark.\n")
    one_page = timed(make, book)
    shutil.rmtree(book / "_build")
    from_cache = timed(make, book)
    print(f"book build, clean (`make book`, every page executed):   {clean:7.1f} s")
    print(f"`make book` again, nothing changed:                      {unchanged:7.2f} s")
    print(f"its jupyter-book again (no make), nothing changed:       {sphinx_unchanged:7.1f} s")
    print(f"`make book` after editing one page's text:               {one_page:7.1f} s")
    print(f"`make book` into an empty _build, every page cached:     {from_cache:7.1f} s")
    for page, seconds in page_execution_times(book / ".jupyter_cache"):
        print(f"  executing {page + ':':<28} {seconds:7.1f} s")


def page_execution_times(cache_dir: Path) -> list[tuple[str, float]]:
    """Each page's execution time, as myst-nb recorded it in the jupyter-cache, in book order."""
    from jupyter_cache import get_cache

    times = {Path(r.uri).stem: r.data.get("execution_seconds", float("nan")) for r in get_cache(cache_dir).list_cache_records()}
    return sorted(times.items())


def _course(work: Path, name: str, n: int, stock: bool) -> Path:
    course = work / name
    course.mkdir()
    config = (ROOT / "nbgrader_config.py").read_text() + (STOCK_CONFIG if stock else "")
    (course / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "solutions" / "01_newton", course / "solutions" / "01_newton")
    timed([str(BIN / "nbgrader"), "generate_assignment", "01_newton"], course)
    released = course / "exercises" / "01_newton" / "01_newton.ipynb"
    samples = {s.name: s for s in load_samples("01_newton")}
    for i in range(n):
        sample = samples[HONEST[i % len(HONEST)]]
        build_submission(released, sample, course / "submitted" / f"s{i:03d}" / "01_newton" / released.name)
    return course


def _scores(course: Path) -> dict[str, float]:
    timed([str(BIN / "nbgrader"), "export", "--to", "grades.csv"], course)
    with open(course / "grades.csv") as fh:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}


def bench_grading(work: Path, n: int, jobs: int) -> None:
    stock = _course(work, "stock", n, stock=True)
    ours = _course(work, "ours", n, stock=False)
    t_stock = timed([str(BIN / "nbgrader"), "autograde", "01_newton"], stock)
    t_ours = timed([sys.executable, "-m", "autograder", "autograde", "01_newton", "--jobs", str(jobs)], ours)
    s_stock, s_ours = _scores(stock), _scores(ours)
    same = s_stock == s_ours
    print(f"stock nbgrader autograde, {n} submissions:      {t_stock:7.1f} s  ({t_stock / n:.2f} s each)")
    print(f"autograder autograde --jobs {jobs}, {n} submissions: {t_ours:7.1f} s  ({t_ours / n:.2f} s each)")
    print(f"speed-up: {t_stock / t_ours:.2f}x on {os.cpu_count()} cores; same scores for every student: {same}")
    if not same:
        diff = {k: (s_stock.get(k), s_ours.get(k)) for k in s_stock if s_stock.get(k) != s_ours.get(k)}
        print(f"  differing scores (stock, ours): {diff}")


def bench_cluster(work: Path, n: int, jobs: int) -> None:
    """The same n submissions graded by --jobs J and by a local Dask cluster of J worker
    processes (--scheduler); a model of a large class from the measured costs."""
    from dask.distributed import LocalCluster

    local = _course(work, "local", n, stock=False)
    shared = _course(work, "cluster", n, stock=False)
    t_local = timed([sys.executable, "-m", "autograder", "autograde", "01_newton", "--jobs", str(jobs)], local)
    os.environ["PATH"] = ENV["PATH"]
    start = time.perf_counter()
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                      local_directory=str(work / "dask")) as cluster:
        t_start = time.perf_counter() - start
        t_cluster = timed([sys.executable, "-m", "autograder", "autograde", "01_newton",
                           "--scheduler", cluster.scheduler_address], shared)
    same = _scores(local) == _scores(shared)
    per_slot = t_cluster * jobs / n     # seconds of one worker per submission, on the cluster
    print(f"autograder --jobs {jobs}, {n} submissions:            {t_local:7.1f} s  ({t_local / n:.3f} s each)")
    print(f"autograder --scheduler (local cluster, {jobs} workers): {t_cluster:7.1f} s  ({t_cluster / n:.3f} s each); "
          f"cluster start {t_start:.1f} s; same scores: {same}")
    print(f"model of 5000 submissions on N workers, each worker {per_slot:.2f} s per submission as here "
          f"(a lower bound: the shared gradebook and file system are not modelled):")
    for workers in (2, 8, 32, 128):
        print(f"  N = {workers:>3}: {(t_start + 5000 * per_slot / workers) / 60:6.1f} min")


def bench_check(work: Path) -> None:
    nb = work / "check" / "01_newton.ipynb"
    correct = next(s for s in load_samples("01_newton") if s.name == "correct")
    build_submission(ROOT / "exercises" / "01_newton" / "01_newton.ipynb", correct, nb)
    t = timed([sys.executable, "-m", "autograder", "check", str(nb)], ROOT)
    print(f"student self-check (visible tests, sandboxed): {t:5.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", choices=["book", "grading", "cluster", "check", "reader", "explorers", "autodiff"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "book"):
            bench_book(work)
        if args.only in (None, "grading"):
            bench_grading(work, args.submissions, args.jobs)
        if args.only in (None, "cluster"):
            bench_cluster(work, 200 if args.submissions == 50 else args.submissions, args.jobs)
        if args.only in (None, "check"):
            bench_check(work)
        if args.only in (None, "reader"):
            from benchmarks.reader import bench_reader

            bench_reader()
        if args.only in (None, "explorers"):
            from benchmarks.explorers import bench_explorers

            bench_explorers()
        if args.only in (None, "autodiff"):
            from benchmarks.autodiff import bench_autodiff

            bench_autodiff()


if __name__ == "__main__":
    main()
