"""Grade a whole class in parallel with nbgrader's own autograde, one submission at a time per worker.

    python -m autograder autograde ASSIGNMENT [--jobs N] [--force]

Each worker process loads ``nbgrader_config.py`` once and calls nbgrader's
``NbGraderAPI.autograde`` for one student after another; execution goes through
:class:`~autograder.preprocessors.SandboxedExecute`, with a sandbox started ahead of time for
the next submission. The main process shows progress and a per-student line at the end.

Safe to interrupt: a submission counts as graded only once nbgrader has finished it and a
marker ``autograded/<student>/<assignment>/.graded`` records the hash of what was graded. A
rerun regrades (with ``force``) every submission without a valid marker, so after a
``kill -9`` the gradebook ends complete, with one grade per cell and student.

A submitted notebook that is not valid JSON is moved aside (renamed ``*.ipynb.invalid``,
never deleted) so that nbgrader records zeros for it, and the student's line says why.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import hashlib
import json
import os
import sys
import time
from pathlib import Path

MARKER = ".graded"


def _load_api(root: Path, slot: int):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.SandboxedExecute.slot = slot
    config.SandboxedExecute.prewarm = True
    api = NbGraderAPI(config=config)
    api.log.setLevel("ERROR")
    return api


_API = None


def _init_worker(root: str, slots):
    global _API
    import warnings

    from sqlalchemy.exc import SAWarning

    # nbgrader's gradebook triggers SQLAlchemy 2 autoflush warnings that say nothing about grades
    warnings.filterwarnings("ignore", category=SAWarning)
    slot = slots.get()
    _API = _load_api(Path(root), slot)


def _grade_one(assignment: str, student: str) -> dict:
    start = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    return {"student": student, "success": bool(result.get("success")), "seconds": time.perf_counter() - start,
            "error": (result.get("error") or "")[-2000:]}


def submission_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _quarantine_invalid(folder: Path, released: Path) -> list[str]:
    """Move notebooks that are not valid aside, in place of each put the released notebook.

    The student's file is kept as ``<name>.ipynb.invalid``; the released notebook, with a note
    at the top saying what happened, is graded in its place (as unanswered, so 0 points), and
    the student's feedback carries the note.
    """
    import nbformat

    notes = []
    for nb in sorted(folder.glob("*.ipynb")):
        try:
            raw = json.loads(nb.read_bytes())
            content = nbformat.read(nb, as_version=4)  # repairs duplicated cell ids in memory
            problems = _repair(content)
            if problems or [c.get("id") for c in raw.get("cells", [])] != [c.get("id") for c in content.cells]:
                kept = nb.with_name(nb.name + ".original")
                nb.rename(kept)
                nbformat.write(content, nb)
                notes.append(f"{nb.name} had duplicated cells ({', '.join(problems) or 'cell ids'}); a repaired "
                             f"copy was graded and the original kept as {kept.name}")
            nbformat.validate(nbformat.read(nb, as_version=4))
        except Exception as err:  # not JSON, not a notebook, unreadable
            kept = nb.with_name(nb.name + ".invalid")
            nb.rename(kept)
            message = (f"{nb.name} could not be read as a notebook ({type(err).__name__}); it was kept as "
                       f"{kept.name} and the released notebook was graded in its place, so it scored 0")
            notes.append(message)
            if (released / nb.name).is_file():
                fresh = nbformat.read(released / nb.name, as_version=4)
                fresh.cells.insert(0, nbformat.v4.new_markdown_cell(f"**Grader's note:** {message}."))
                nbformat.write(fresh, nb)
    return notes


def _repair(nb) -> list[str]:
    """Keep nbgrader's metadata on the first cell of each grade id only; return the ids repeated."""
    seen, repeated = set(), []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            continue
        if grade_id in seen:
            del cell.metadata["nbgrader"]  # still runs, as a plain cell, but carries no points
            repeated.append(grade_id)
        seen.add(grade_id)
    return repeated


def _release_directory(root: Path, assignment: str) -> Path:
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    release = config.CourseDirectory.get("release_directory", "release")
    return root / release / assignment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder autograde", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel workers")
    parser.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    parser.add_argument("--root", default=".", help="course root (where nbgrader_config.py is)")
    args = parser.parse_args(argv)

    root = Path(args.root).resolve()
    from autograder.sandbox import isolation_warning

    warning = isolation_warning()
    if warning:
        print("\n" + "!" * 100 + f"\n{warning}\n" + "!" * 100 + "\n", file=sys.stderr)

    submitted = root / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{args.assignment}") if p.is_dir())
    if not students:
        print(f"no submissions of {args.assignment} under {submitted}", file=sys.stderr)
        return 1
    released = _release_directory(root, args.assignment)
    notes = {s: _quarantine_invalid(submitted / s / args.assignment, released) for s in students}
    pending = []
    for s in students:
        marker = root / "autograded" / s / args.assignment / MARKER
        current = submission_hash(submitted / s / args.assignment)
        if args.force or not marker.is_file() or marker.read_text().strip() != current:
            pending.append((s, current))
    done_before = len(students) - len(pending)
    print(f"{args.assignment}: {len(students)} submissions, {done_before} already graded, "
          f"{len(pending)} to grade with {args.jobs} workers", file=sys.stderr)

    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    slots = ctx.Manager().Queue()
    for slot in range(args.jobs):
        slots.put(slot)
    failures = 0
    start = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=args.jobs, mp_context=ctx, initializer=_init_worker,
                                initargs=(str(root), slots)) as pool:
        futures = {pool.submit(_grade_one, args.assignment, s): (s, h) for s, h in pending}
        for i, future in enumerate(cf.as_completed(futures), 1):
            student, digest = futures[future]
            try:
                result = future.result()
            except Exception as err:  # a worker process died: report, keep going
                result = {"student": student, "success": False, "seconds": 0.0, "error": repr(err)}
            if result["success"]:
                marker = root / "autograded" / student / args.assignment / MARKER
                marker.write_text(digest + "\n")
            else:
                failures += 1
                notes[student].append("grading failed: " + result["error"].strip().splitlines()[-1:][0]
                                      if result["error"].strip() else "grading failed")
            elapsed = time.perf_counter() - start
            print(f"[{i:>3}/{len(pending)}] {student:<24} {'ok' if result['success'] else 'FAILED':<6} "
                  f"{result['seconds']:5.1f} s   ({elapsed:5.1f} s elapsed)", file=sys.stderr, flush=True)
    for student, lines in notes.items():
        for line in lines:
            print(f"{student}: {line}", file=sys.stderr)
    print(json.dumps({"graded": len(pending) - failures, "failed": failures, "skipped": done_before,
                      "seconds": round(time.perf_counter() - start, 2)}))
    return 1 if failures else 0
