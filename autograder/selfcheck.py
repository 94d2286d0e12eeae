"""Students check their own work: ``python -m autograder check NOTEBOOK``.

The notebook runs exactly as it will at grading time, minus the hidden tests: its code in the
sandbox, the visible test cells in a separate judge process. The assignment is recognised by
the notebook's nbgrader cells, whatever its file name; the test cells are the released ones
(edited ones replaced, deleted ones restored), so an edited test cannot mislead its author, and
the output says, per test cell, whether it passes and why not. The exit status is 0 only if every visible test passes
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


def _grade_ids(nb) -> set[str]:
    return {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}


def released_notebook(nb, release_root: Path) -> tuple[str, Path] | None:
    """The assignment and released notebook that ``nb`` is a copy of, recognised by its nbgrader
    cells (not its file name: Jupyter names a copy ``<name>-Copy1.ipynb``), or None."""
    ids = _grade_ids(nb)
    best = None
    for candidate in sorted(release_root.glob("*/*.ipynb")):
        try:
            common = len(ids & _grade_ids(nbformat.read(candidate, as_version=4)))
        except Exception:
            continue
        if common and (best is None or common > best[0]):
            best = (common, candidate)
    return (best[1].parent.name, best[1]) if best else None


def with_released_tests(nb, released) -> None:
    """Put the released test cells in ``nb`` (in place): edited ones replaced, deleted ones
    restored; cells the student marked as tests themselves become ordinary cells."""
    from autograder.preprocessors import restore_deleted_cells

    tests = {c.metadata["nbgrader"]["grade_id"]: c for c in released.cells if judge._is_test(c)}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in tests:
            cell.source = tests[meta["grade_id"]].source
            cell.metadata["nbgrader"] = dict(tests[meta["grade_id"]].metadata["nbgrader"])
        elif judge._is_test(cell):
            del cell.metadata["nbgrader"]
    restore_deleted_cells(nb, released)


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
    found = released_notebook(nb, args.release)
    if found is None:
        print(f"{args.notebook} is not a copy of any assignment in {args.release} (none of its nbgrader cells "
              "matches): check the file, or give --release", file=sys.stderr)
        return 2
    assignment, released = found
    with_released_tests(nb, nbformat.read(released, as_version=4))
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
