"""Print the book's build times and nbgrader's autograde time per submission.

    python -m benchmarks [--submissions N]

- book, clean: a copy of the book with an empty jupyter-cache, every page executed;
- book, cached: the same copy built again with nothing changed (cache hits only);
- autograde: `nbgrader autograde` on N copies of the correct sample of 01_newton, plus one
  run on a single submission to separate the fixed start-up cost from the per-submission cost.
"""

from __future__ import annotations

import argparse
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


def timed(cmd, cwd) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def bench_book(work: Path) -> tuple[float, float]:
    book = work / "book_copy"
    book.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, book)
    shutil.copytree(ROOT / "book", book / "book")
    cmd = [str(BIN / "jupyter-book"), "build", str(book), "--warningiserror", "--nitpick", "--keep-going"]
    clean = timed(cmd, book)
    shutil.rmtree(book / "_build")
    cached = timed(cmd, book)
    return clean, cached


def bench_autograde(work: Path, n: int) -> tuple[float, float]:
    course = work / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / "01_newton", course / "solutions" / "01_newton")
    timed([str(BIN / "nbgrader"), "generate_assignment", "01_newton"], course)
    released = course / "exercises" / "01_newton" / "01_newton.ipynb"
    correct = next(s for s in load_samples("01_newton") if s.name == "correct")
    submitted = course / "submitted"
    build_submission(released, correct, submitted / "solo" / "01_newton" / released.name)
    one = timed([str(BIN / "nbgrader"), "autograde", "01_newton"], course)
    shutil.rmtree(submitted / "solo")
    for i in range(n):
        build_submission(released, correct, submitted / f"s{i:03d}" / "01_newton" / released.name)
    many = timed([str(BIN / "nbgrader"), "autograde", "01_newton"], course)
    return one, many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=10, help="submissions to autograde (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clean, cached = bench_book(work)
        print(f"book build, clean (every page executed): {clean:7.1f} s")
        print(f"book build, unchanged (cache hits only): {cached:7.1f} s")
        one, many = bench_autograde(work, args.submissions)
        per = (many - one) / (args.submissions - 1) if args.submissions > 1 else float("nan")
        print(f"nbgrader autograde, 1 submission:         {one:7.1f} s")
        print(f"nbgrader autograde, {args.submissions} submissions:       {many:7.1f} s "
              f"({many / args.submissions:.2f} s each; marginal {per:.2f} s per submission, "
              f"start-up about {one - per:.1f} s)")


if __name__ == "__main__":
    main()
