"""Grade a whole class in parallel with nbgrader's own autograde, one submission at a time per worker.

    python -m autograder autograde ASSIGNMENT [--jobs N] [--force] [--scheduler tcp://HOST:8786]

Each worker process loads ``nbgrader_config.py`` once and calls nbgrader's
``NbGraderAPI.autograde`` for one student after another; execution goes through
:class:`~autograder.preprocessors.SandboxedExecute`, in the slot's sandbox (reset between two
submissions). The workers are forked from the main process once it has imported nbgrader, the
judge and pytest (:func:`preload`), so no worker pays for those imports again; nothing of a
submission is ever in the main process. The main process shows progress and a per-student line
at the end. With ``--scheduler`` the same work is spread over the workers of a Dask cluster
(:mod:`autograder.cluster`).

Before grading, :func:`autograder.intake.prepare` checks every submission folder (symbolic
links and special files are refused, unreadable notebooks kept aside, renamed notebooks found
by their cells); its notes are printed at the end and put into the students' notebooks.

Safe to interrupt: a submission counts as graded once nbgrader has finished it: the last
autograde step (:class:`autograder.preprocessors.MarkGraded`) writes a marker
``autograded/<student>/<assignment>/.graded`` with the hash of what was graded, and the
autograded notebooks exist. A rerun regrades (with ``force``) every submission without both, so
after a ``kill -9`` the gradebook ends complete, with one grade per cell and student. Plain
``nbgrader autograde`` writes the same marker.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import gc
import json
import os
import sys
import time
from pathlib import Path

# Importing course_lib defers jsonschema's unused IRI grammar (about 2 s in every process that
# imports nbformat), so it comes before the rest of the grader.
import course_lib  # noqa: F401
from autograder.intake import MARKER, prepare, shown, submission_hash


def preload(released: Path, assignment: str) -> None:
    """Import, once in the main process, what every worker needs (nbgrader, the gradebook, the
    judge, pytest and the assignment's hidden suites, nbformat's compiled schemas), and make the
    sandboxes' shared read-only files (the sources-only copy of ``course_lib``, matplotlib's
    font list): the forked workers inherit them. Only the instructor's files are read here,
    never a submission."""
    import nbformat
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters.autograde  # noqa: F401

    import autograder.preprocessors  # noqa: F401  (the judge)
    from autograder import hidden, sandbox
    from autograder.settings import SUITES, assignment_settings

    for suite in sorted((SUITES / assignment).glob("test_*.py")):  # imported once, by pytest's collection
        hidden.suite_points(assignment, suite.stem.removeprefix("test_"))
    for path in sorted(released.glob("*.ipynb")):  # the schemas nbformat and nbconvert validate with
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            nbformat.validate(nb, relax_add_props=True)
        except Exception:  # the workers report it
            pass
    sandbox.library(tuple(assignment_settings(assignment).get("student_modules", ())))
    sandbox._font_cache()


def lighter_nbgrader() -> None:
    """Spare the grading workers three costs nbgrader pays again for every submission, with the
    same results. For the workers only (their gradebook does not change its URL while they live).

    - **One SQLAlchemy engine per gradebook URL**, instead of one per ``nbgrader.api.Gradebook``:
      nbgrader opens the gradebook nine times per submission, and a new engine starts with an
      empty cache of compiled SQL (every query compiled again) and connects for the first time
      again. Each ``Gradebook`` keeps its own session, and its ``close`` still closes the engine's
      connections (``Engine.dispose``); only the compiled statements and the dialect's
      first-connect settings are kept.
    - **The gradebook's tables checked once per engine**: every ``Gradebook`` runs
      ``Base.metadata.create_all``, which asks the database about each of its tables; once they
      exist, a worker need not ask again.
    - **nbgrader's cell-metadata schema checked once**: ``CheckCellMetadata`` validates each
      cell's metadata with ``jsonschema.validate``, which first validates the *schema* itself
      against the JSON Schema metaschema, for every cell. Here each distinct schema is checked
      once and its validator kept; a cell's metadata meets the same checks and a violation
      raises the same ``ValidationError`` (the best match, as ``jsonschema.validate`` picks it).
    """
    import functools
    import json
    import types

    import jsonschema
    import nbgrader.api
    import nbgrader.nbgraderformat.common as metadata_format

    if not hasattr(nbgrader.api.create_engine, "cache_info"):
        nbgrader.api.create_engine = functools.lru_cache(maxsize=4)(nbgrader.api.create_engine)

    tables = nbgrader.api.Base.metadata
    if "create_all" not in vars(tables):
        create_all, checked = tables.create_all, set()

        def create_all_once(bind, tables=None, checkfirst=True):
            key = (str(getattr(bind, "url", id(bind))), tables is None and checkfirst)
            if key not in checked:
                create_all(bind=bind, tables=tables, checkfirst=checkfirst)
                if key[1]:
                    checked.add(key)
        tables.create_all = create_all_once

    if metadata_format.jsonschema is jsonschema:
        @functools.lru_cache(maxsize=8)
        def validator(schema_text: str):
            schema = json.loads(schema_text)
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            return cls(schema)

        def validate(instance, schema):
            error = jsonschema.exceptions.best_match(
                validator(json.dumps(schema, sort_keys=True)).iter_errors(instance))
            if error is not None:
                raise error
        metadata_format.jsonschema = types.SimpleNamespace(validate=validate)


def _course_config(root: Path):
    """The course's nbgrader configuration (``root/nbgrader_config.py``)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def _load_api(root: Path, slot: int):
    from nbgrader.apps import NbGraderAPI

    config = _course_config(root)
    config.SandboxedExecute.slot = slot
    api = NbGraderAPI(config=config)
    api.log.setLevel("ERROR")
    return api


_API = None


def _init_worker(root: str, slots, assignment: str, slot: int | None = None):
    """A grading process's set-up: nbgrader's API for the course, with a sandbox slot of its own
    (from the queue ``slots``, or ``slot``), the slot's sandbox started."""
    global _API
    import warnings
    from multiprocessing.util import Finalize

    from sqlalchemy.exc import SAWarning

    from autograder.sandbox import shutdown

    # a forked worker leaves through os._exit, without atexit: close its sandbox on the way out
    Finalize(None, shutdown, exitpriority=10)
    # nbgrader's gradebook triggers SQLAlchemy 2 autoflush warnings that say nothing about grades
    warnings.filterwarnings("ignore", category=SAWarning)
    lighter_nbgrader()
    _API = _load_api(Path(root), slots.get() if slot is None else slot)
    from autograder.preprocessors import SandboxedExecute

    SandboxedExecute(config=_API.config).prestart(assignment)  # while the main process checks submissions


def single_threaded_blas() -> None:
    """One BLAS thread per judge: the hidden suites' own numbers then do not depend on how many
    cores the grading machine has (and two judges do not fight over them). Call it before numpy
    is first imported in the process (forked workers inherit its BLAS)."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _ready() -> None:
    """Nothing: submitted first, so that the workers start (and start their sandboxes) at once."""


_GRADED = 0


def _grade_one(assignment: str, student: str) -> dict:
    global _GRADED
    start = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    _GRADED += 1
    if _GRADED == 1:  # what the first submission imported and cached stays: out of the collector's way
        gc.collect()
        gc.freeze()
    return {"student": student, "success": bool(result.get("success")), "seconds": time.perf_counter() - start,
            "error": (result.get("error") or "")[-2000:]}


def is_graded(graded: Path, submitted: Path, released: Path) -> bool:
    """Has this submission, as it is now, been graded to the end (marker and notebooks)?"""
    marker = graded / MARKER
    if not marker.is_file() or marker.read_text().strip() != submission_hash(submitted):
        return False
    for nb in released.glob("*.ipynb"):
        try:
            json.loads((graded / nb.name).read_bytes())
        except (OSError, ValueError):
            return False
    return True


def missing_from_gradebook(root: Path, assignment: str) -> str | None:
    """What is wrong if the course's gradebook cannot grade ``assignment`` (else ``None``).

    Opened once here, before any worker: a new gradebook gets its tables and the course now (not
    by two workers at once, which would both insert the course), and an assignment that was never
    released into it is reported in one clear line instead of one traceback per submission.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=_course_config(root), root=str(root))
    with Gradebook(coursedir.db_url, course_id=coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return (f"the gradebook ({coursedir.db_url}) has no assignment {assignment!r}: release it first "
                    f"(nbgrader generate_assignment {assignment}, which records its cells and points), then grade")
    return None


def _release_directory(root: Path, assignment: str) -> Path:
    release = _course_config(root).CourseDirectory.get("release_directory", "release")
    return root / release / assignment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder autograde", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel workers")
    parser.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    parser.add_argument("--root", default=".", help="course root (where nbgrader_config.py is)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on the Dask cluster of this scheduler (tcp://host:8786) instead of local workers; "
                             "see autograder/cluster.py for the set-up")
    args = parser.parse_args(argv)

    root = Path(args.root).resolve()
    single_threaded_blas()
    from autograder.sandbox import build_font_cache, isolation_warning

    warning = isolation_warning()
    if warning:
        print("\n" + "!" * 100 + f"\n{warning}\n" + "!" * 100 + "\n", file=sys.stderr)

    submitted = root / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{args.assignment}") if p.is_dir() or p.is_symlink())
    if not students:
        print(f"no submissions of {args.assignment} under {submitted}", file=sys.stderr)
        return 1
    problem = missing_from_gradebook(root, args.assignment)
    if problem:
        print(f"cannot grade {args.assignment}: {problem}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    if args.scheduler:
        from autograder.cluster import graded_on_cluster

        released = _release_directory(root, args.assignment)
        notes, pending, done_before = _intake(root, args, students, released, f"on the cluster at {args.scheduler}")
        failures = _report(graded_on_cluster(args.scheduler, root, args.assignment, pending), pending, notes, start)
    else:
        build_font_cache()  # meanwhile, nbgrader is imported here
        released = _release_directory(root, args.assignment)

        import multiprocessing as mp

        # workers forked from this process after the imports (where fork exists: Linux, which the
        # sandbox needs anyway); no thread runs here at that point
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        if ctx.get_start_method() == "fork":
            preload(released, args.assignment)
            gc.collect()
            gc.freeze()  # the workers' garbage collections then skip (and never copy) what they share
        slots = ctx.SimpleQueue()
        for slot in range(args.jobs):
            slots.put(slot)
        with cf.ProcessPoolExecutor(max_workers=args.jobs, mp_context=ctx, initializer=_init_worker,
                                    initargs=(str(root), slots, args.assignment)) as pool:
            pool.submit(_ready)  # the workers start their sandboxes while the submissions are checked here
            notes, pending, done_before = _intake(root, args, students, released, f"with {args.jobs} workers")
            failures = _report(_graded_in(pool, args.assignment, pending), pending, notes, start)
    for student, lines in notes.items():
        for line in lines:
            print(f"{shown(student)}: {shown(line)}", file=sys.stderr)
    print(json.dumps({"graded": len(pending) - failures, "failed": failures, "skipped": done_before,
                      "seconds": round(time.perf_counter() - start, 2)}))
    return 1 if failures else 0


def _intake(root: Path, args, students: list[str], released: Path, where: str):
    """Check every submission folder (:func:`autograder.intake.prepare`); the notes per student,
    the students to grade and how many were graded before."""
    submitted = root / "submitted"
    notes = {}
    for s in list(students):
        expected = submitted.resolve() / s / args.assignment
        notes[s] = prepare(submitted / s / args.assignment, released, expected)
        if not (submitted / s / args.assignment).resolve() == expected:
            students.remove(s)  # a folder above the submission is a link: not graded (see the note)
    pending = [s for s in students if args.force or not is_graded(root / "autograded" / s / args.assignment,
                                                                   submitted / s / args.assignment, released)]
    done_before = len(students) - len(pending)
    print(f"{args.assignment}: {len(students)} submissions, {done_before} already graded, "
          f"{len(pending)} to grade {where}", file=sys.stderr)
    return notes, pending, done_before


def _graded_in(pool, assignment: str, pending: list[str]):
    """Results from the local pool as the submissions finish."""
    futures = {pool.submit(_grade_one, assignment, s): s for s in pending}
    for future in cf.as_completed(futures):
        try:
            yield future.result()
        except Exception as err:  # a worker process died: report, keep going
            yield {"student": futures[future], "success": False, "seconds": 0.0, "error": repr(err)}


def _report(results, pending: list[str], notes: dict, start: float) -> int:
    """A line per graded student as results come (local pool or cluster); the number of failures."""
    failures = 0
    for i, result in enumerate(results, 1):
        student = result["student"]
        if not result["success"]:
            failures += 1
            notes[student].append("grading failed: " + result["error"].strip().splitlines()[-1:][0]
                                  if result["error"].strip() else "grading failed")
        elapsed = time.perf_counter() - start
        print(f"[{i:>3}/{len(pending)}] {shown(student):<24} {'ok' if result['success'] else 'FAILED':<6} "
              f"{result['seconds']:5.1f} s   ({elapsed:5.1f} s elapsed)", file=sys.stderr, flush=True)
    return failures
