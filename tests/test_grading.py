"""The grading path end to end: nbgrader's own commands on real sample submissions.

For each assignment with samples (``autograder/samples/<a>/samples.toml``), a temporary course
directory gets the repository's nbgrader_config.py and ``solutions/<a>``; the instructor's
commands run in it exactly as README.md lists them. ``pytest -k 02_sgd`` grades one assignment.
The hostile samples live in 01_newton; the tests that inspect what they tried use that course.
"""

from __future__ import annotations

import csv
import hashlib
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.samples import SAMPLES as SAMPLES_DIR
from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.parent.name for p in SAMPLES_DIR.glob("*/samples.toml"))
HOSTILE = "01_newton"
BIN = Path(sys.executable).parent


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def grade_course(course: Path, assignment: str, blas: dict | None = None, feedback: bool = True) -> Path:
    """Release ``assignment``, submit every sample and the solution, grade (with the BLAS settings
    ``blas`` added to the environment), give feedback, export."""
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    nbgrader(course, "generate_assignment", assignment)
    released = course / "exercises" / assignment / f"{assignment}.ipynb"
    for sample in load_samples(assignment):
        build_submission(released, sample, course / "submitted" / sample.name / assignment / released.name, course)
    # the instructor's own notebook, submitted as it is, must earn full marks
    own = course / "submitted" / "instructor_solution" / assignment
    own.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / assignment / released.name, own)
    (course / "solutions_before.sha").write_text(_digest(course / "solutions"))
    (course / "tmp").mkdir()  # the grader's temporary folders go here, to check they are all removed
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(course / "tmp"), **(blas or {})}
    proc = subprocess.run([sys.executable, "-m", "autograder", "autograde", assignment, "--jobs", "2"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=900)
    (course / "grading.log").write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"grading failed:\n{proc.stdout}\n{proc.stderr}"
    assert not list((course / "tmp").iterdir()), "the grader left temporary folders behind"
    if feedback:
        nbgrader(course, "generate_feedback", assignment)
    nbgrader(course, "export", "--to", "grades.csv")
    return course


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """``graded(assignment)``: the course directory with that assignment graded (once per session)."""
    courses: dict[str, Path] = {}

    def get(assignment: str) -> Path:
        if assignment not in courses:
            courses[assignment] = grade_course(tmp_path_factory.mktemp(f"course_{assignment}"), assignment)
        return courses[assignment]

    return get


@pytest.fixture
def graded_course(graded) -> Path:
    return graded(HOSTILE)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def scores(course: Path) -> dict[str, float]:
    with open(course / "grades.csv") as fh:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}


@pytest.mark.parametrize("assignment,sample", [(a, s) for a in ASSIGNMENTS for s in load_samples(a)],
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_sample_gets_its_exact_score(graded, assignment, sample):
    """Does each sample submission get exactly the score it deserves (see samples.toml)?"""
    got = scores(graded(assignment))[sample.name]
    assert got == pytest.approx(sample.score), f"{sample.name} ({sample.why}): got {got}, expected {sample.score}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_earns_full_marks(graded, assignment):
    """Does the solution notebook, graded like a submission, earn every point?"""
    import nbformat

    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    total = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells)
    assert scores(graded(assignment))["instructor_solution"] == pytest.approx(total)
    assert max(s.score for s in load_samples(assignment)) == pytest.approx(total), "no sample earns full marks"


# OpenBLAS's generic kernel for this kind of processor: it runs on any of them, and its rounding
# differs from the tuned kernel a machine picks by itself (the one the other tests grade with).
GENERIC_KERNEL = {"x86_64": "Prescott", "aarch64": "ARMV8"}.get(platform.machine())


def _numpy_baseline() -> dict:
    """numpy's own SIMD kernels (exp, tanh, ...) depend on the processor too: an AVX-512 machine
    rounds some of them differently from one without. Switching off every kernel numpy chooses at
    run time leaves its baseline, which any processor of this kind runs."""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    return {"NPY_DISABLE_CPU_FEATURES": " ".join(__cpu_dispatch__)} if __cpu_dispatch__ else {}


@pytest.mark.skipif(GENERIC_KERNEL is None, reason="no generic OpenBLAS kernel known for this processor")
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_scores_do_not_depend_on_the_machine(graded, tmp_path_factory, assignment):
    """Does every sample get the same score under OpenBLAS's generic kernel and numpy's baseline
    SIMD kernels as under those this machine picks? (A grade must never depend on the machine
    that grades.)"""
    generic = grade_course(tmp_path_factory.mktemp(f"generic_{assignment}"), assignment,
                           blas={"OPENBLAS_CORETYPE": GENERIC_KERNEL, **_numpy_baseline()}, feedback=False)
    assert scores(generic) == scores(graded(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_is_produced_and_reveals_no_hidden_test(graded, assignment):
    """Does every student get a feedback page that names failed checks but not the hidden code?"""
    course = graded(assignment)
    for sample in load_samples(assignment):
        page = course / "feedback" / sample.name / assignment / f"{assignment}.html"
        assert page.is_file(), f"no feedback for {sample.name}"
        html = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in html
        assert f"check(&quot;{assignment}" not in html and f'check("{assignment}' not in html
        assert "Hidden tests for" in html or sample.name == "unanswered"


def test_a_failed_hidden_check_shows_its_hint(graded_course):
    """Does the feedback of a wrong answer say what the likely mistake is?"""
    wrong = (graded_course / "feedback" / "diagonal_shortcuts" / HOSTILE / f"{HOSTILE}.html").read_text()
    assert "not of the diagonal entries" in wrong, "a failed hidden check should show its hint"


@pytest.mark.parametrize("assignment", sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()))
def test_hidden_points_match_the_notebook(assignment):
    """Does every hidden suite's total equal the points of the cell that runs it?"""
    import nbformat

    from autograder.hidden import suite_points

    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    found = 0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if "check(" in cell.source and meta.get("grade"):
            task = cell.source.split(f'check("{assignment}", "')[1].split('"')[0]
            assert suite_points(assignment, task) == meta["points"], f"cell {meta['grade_id']} and test_{task}.py disagree"
            found += 1
    assert found >= 1, "an assignment without hidden tests"
    assert assignment in ASSIGNMENTS, f"{assignment} has no sample submissions in autograder/samples/{assignment}"


def test_hostile_code_touches_nothing_outside_its_sandbox(graded_course):
    """Can a submission read or change the solutions, the gradebook or other submissions? (No.)"""
    assert (graded_course / "solutions_before.sha").read_text() == _digest(graded_course / "solutions")
    assert not list(graded_course.rglob("pwned*"))
    assert b"pwned" not in (graded_course / "gradebook.db").read_bytes()
    import nbformat

    nb = nbformat.read(graded_course / "autograded" / "reads_secrets" / HOSTILE / f"{HOSTILE}.ipynb", 4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    for pattern in ("../../../solutions/*/*.ipynb", "../../../autograder/*/*.py", "../../*/01_newton/*.ipynb",
                    "/work/main/solutions/*/*"):
        assert f"'{pattern}': []" in printed, f"the sandbox let a submission see {pattern}"
    assert "'written'" not in printed
    assert "'NBGRADER_EXECUTION': 'unset'" in printed, "student code can tell that it is being graded"
    assert "'network': 'connected'" not in printed and "'network': " in printed


def test_nbgraders_own_autograde_command_uses_the_sandbox(graded_course):
    """Does plain `nbgrader autograde` (sequential) give the same score through the same sandbox?"""
    nbgrader(graded_course, "autograde", HOSTILE, "--student", "patched_asserts", "--force")
    nbgrader(graded_course, "export", "--to", "grades.csv")
    expected = next(s.score for s in load_samples(HOSTILE) if s.name == "patched_asserts")
    assert scores(graded_course)["patched_asserts"] == pytest.approx(expected)


def test_an_invalid_notebook_is_kept_and_explained(graded_course):
    """Is a submission that is not JSON kept (renamed, not deleted) and reported to the instructor?"""
    folder = graded_course / "submitted" / "not_json" / HOSTILE
    assert (folder / f"{HOSTILE}.ipynb.invalid").read_text().startswith('{"cells": [ this')
    feedback = graded_course / "feedback" / "not_json" / HOSTILE / f"{HOSTILE}.html"
    assert "could not be read as a notebook" in feedback.read_text()
    assert "not_json: 01_newton.ipynb could not be read" in (graded_course / "grading.log").read_text()


def _feedback(course: Path, student: str) -> str:
    page = course / "feedback" / student / HOSTILE / f"{HOSTILE}.html"
    return page.read_text(errors="replace") if page.is_file() else ""


def _copied_files(course: Path, student: str) -> list[Path]:
    return [p for top in ("autograded", "feedback") for p in (course / top / student).rglob("*") if p.is_file()]


def _printed(course: Path, student: str) -> str:
    """Everything the graded notebook's cells printed or raised (what its feedback shows as output)."""
    import nbformat

    nb = nbformat.read(course / "autograded" / student / HOSTILE / f"{HOSTILE}.ipynb", 4)
    return "".join(o.get("text", "") + o.get("evalue", "") + "".join(o.get("traceback", []))
                   for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_refused_submissions_are_explained_and_copy_nothing(graded_course):
    """Do links and pipes in a submission get it refused with a note, and is nothing they point
    to copied into autograded/ or feedback/ (where the student would read it)?"""
    for student in ("notebook_is_a_link", "data_links", "fifo", "folder_is_a_link"):
        assert "refuse" in _feedback(graded_course, student), f"{student}: no note in the feedback"
        assert f"{student}: " in (graded_course / "grading.log").read_text()
        for path in _copied_files(graded_course, student):
            data = path.read_bytes()
            assert b"root:x:0:0" not in data and not data.startswith(b"SQLite format"), f"{path} was copied"
            assert b"BEGIN SOLUTION" not in data and b"def test_" not in data, f"{path} holds instructor files"
    assert os.path.islink(graded_course / "submitted" / "folder_is_a_link" / f"{HOSTILE}.refused-link")


def test_no_hidden_input_or_student_text_reaches_the_feedback(graded_course):
    """Can a submission print what the hidden tests passed in, or smuggle it out through its
    exception messages and class names? (No.)"""
    printed = _printed(graded_course, "hidden_inputs")
    assert "nothing beyond the visible inputs" in printed and "nothing late" in printed and "LEAKED" not in printed
    printed = _printed(graded_course, "leaks_through_errors")
    assert "raised ValueError" in printed and "SECRET" not in printed and "Input_" not in printed


def test_feedback_is_inert_and_small(graded_course):
    """Is student HTML inert in the feedback, and is a flood of output cut by the judge?"""
    page = _feedback(graded_course, "html_in_markdown")
    assert "top eigen-direction" in page
    for live in ("<script>document", "onerror=", 'href="javascript', "href='javascript", "<iframe"):
        assert live not in page, f"{live} is live in the feedback"
    page = graded_course / "feedback" / "floods_output" / HOSTILE / f"{HOSTILE}.html"
    assert page.stat().st_size < 1_000_000, f"feedback of {page.stat().st_size} bytes"


def test_memory_is_limited_per_submission_not_per_process(graded_course):
    """Could three children of one submission hold more memory than its sandbox allows? (No.)"""
    assert "held 2.6 GiB: True" not in _printed(graded_course, "memory_in_children")


def test_names_are_printed_safely(graded_course):
    """Do terminal escapes in a student's file names reach the instructor's terminal? (No.)"""
    log = (graded_course / "grading.log").read_text()
    assert "\x1b" not in log and "escape_names: " in log and "nothing was graded in its place" in log
