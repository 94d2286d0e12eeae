"""Students check their own work: ``python -m autograder check NOTEBOOK``.

The notebook runs exactly as it will at grading time, minus the hidden tests: its code in the
sandbox, the visible test cells in a separate judge process. The test cells are taken from the
released notebook (so an edited test cannot mislead its author), and the output says, per test
cell, whether it passes and why not. The exit status is 0 only if every visible test passes
(unlike ``nbgrader validate``, whose status is 0 either way).
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import nbformat

from autograder import judge
from autograder.settings import assignment_settings, submission_files
from autograder.sandbox import Limits, isolation_warning

REPO = Path(__file__).resolve().parents[1]


def _released(path: Path, release_root: Path) -> tuple[str, Path | None]:
    """The assignment name and released notebook matching ``path`` (by file name)."""
    for candidate in sorted(release_root.glob(f"*/{path.name}")):
        return candidate.parent.name, candidate
    return path.parent.name, None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--release", type=Path, default=REPO / "exercises",
                        help="folder of released assignments (default: exercises/ of this repository)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    warning = isolation_warning()
    if warning:
        print(warning, file=sys.stderr)
    try:
        nb = nbformat.read(args.notebook, as_version=4)
    except Exception as err:  # missing, not JSON, not a notebook
        print(f"cannot read {args.notebook}: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    assignment, released = _released(args.notebook.resolve(), args.release)
    if released is not None:
        tests = {c.metadata["nbgrader"]["grade_id"]: c for c in nbformat.read(released, as_version=4).cells
                 if judge._is_test(c)}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in tests:
                cell.source = tests[grade_id].source
    settings = assignment_settings(assignment)
    judge.execute(nb, files=submission_files(args.notebook.resolve().parent),
                  student_modules=settings.get("student_modules", ()), limits=Limits())
    failed = passed = 0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if judge._is_test(cell):
            if not ast.parse(cell.source).body:
                continue  # a hidden-test cell: in the student's version it holds only a comment
            name = f"{meta.get('grade_id')} ({meta.get('points', 0):g} pt)"
            if errors:
                failed += 1
                err = errors[0]
                print(f"FAIL  {name}\n      {err.get('ename')}: {err.get('evalue')}")
            else:
                passed += 1
                print(f"pass  {name}")
        elif errors and meta.get("solution"):
            err = errors[0]
            print(f"note  answer cell {meta.get('grade_id')} raised {err.get('ename')}: {err.get('evalue')}")
    print(f"{passed} passed, {failed} failed  ({time.perf_counter() - start:.1f} s)")
    return 1 if failed else 0
