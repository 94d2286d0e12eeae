"""The grading path end to end: nbgrader's own commands on real sample submissions.

A temporary course directory gets the repository's nbgrader_config.py and solutions/; the
instructor's commands run in it exactly as README.md lists them.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_newton"
SAMPLES = load_samples(ASSIGNMENT)
BIN = Path(sys.executable).parent


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for sample in SAMPLES:
        build_submission(released, sample, course / "submitted" / sample.name / ASSIGNMENT / released.name)
    # the instructor's own notebook, submitted as it is, must earn full marks
    own = course / "submitted" / "instructor_solution" / ASSIGNMENT
    own.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / ASSIGNMENT / released.name, own)
    (course / "solutions_before.sha").write_text(_digest(course / "solutions"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "2"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=900)
    (course / "grading.log").write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"grading failed:\n{proc.stdout}\n{proc.stderr}"
    nbgrader(course, "generate_feedback", ASSIGNMENT)
    nbgrader(course, "export", "--to", "grades.csv")
    return course


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def scores(course: Path) -> dict[str, float]:
    with open(course / "grades.csv") as fh:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_sample_gets_its_exact_score(graded_course, sample):
    """Does each sample submission get exactly the score it deserves (see samples.toml)?"""
    got = scores(graded_course)[sample.name]
    assert got == pytest.approx(sample.score), f"{sample.name} ({sample.why}): got {got}, expected {sample.score}"


def test_solution_notebook_earns_full_marks(graded_course):
    """Does the solution notebook, graded like a submission, earn every point?"""
    assert scores(graded_course)["instructor_solution"] == pytest.approx(max(s.score for s in SAMPLES))


def test_feedback_is_produced_and_reveals_no_hidden_test(graded_course):
    """Does every student get a feedback page that names failed checks but not the hidden code?"""
    for sample in SAMPLES:
        page = graded_course / "feedback" / sample.name / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert page.is_file(), f"no feedback for {sample.name}"
        html = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "check(&quot;01_newton" not in html and 'check("01_newton' not in html
        assert "Hidden tests for" in html or sample.name == "unanswered"
    wrong = (graded_course / "feedback" / "diagonal_shortcuts" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "not of the diagonal entries" in wrong, "a failed hidden check should show its hint"


def test_hidden_points_match_the_notebook():
    """Does every hidden suite's total equal the points of the cell that runs it?"""
    import nbformat

    from autograder.hidden import suite_points

    nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    found = 0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if "check(" in cell.source and meta.get("grade"):
            task = cell.source.split(f'check("{ASSIGNMENT}", "')[1].split('"')[0]
            assert suite_points(ASSIGNMENT, task) == meta["points"], f"cell {meta['grade_id']} and test_{task}.py disagree"
            found += 1
    assert found == 4


def test_hostile_code_touches_nothing_outside_its_sandbox(graded_course):
    """Can a submission read or change the solutions, the gradebook or other submissions? (No.)"""
    assert (graded_course / "solutions_before.sha").read_text() == _digest(graded_course / "solutions")
    assert not list(graded_course.rglob("pwned*"))
    assert b"pwned" not in (graded_course / "gradebook.db").read_bytes()
    import nbformat

    nb = nbformat.read(graded_course / "autograded" / "reads_secrets" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    for pattern in ("../../../solutions/*/*.ipynb", "../../../autograder/*/*.py", "../../*/01_newton/*.ipynb",
                    "/work/main/solutions/*/*"):
        assert f"'{pattern}': []" in printed, f"the sandbox let a submission see {pattern}"
    assert "'written'" not in printed
    assert "'NBGRADER_EXECUTION': 'unset'" in printed, "student code can tell that it is being graded"
    assert "'network': 'connected'" not in printed and "'network': " in printed


def test_nbgraders_own_autograde_command_uses_the_sandbox(graded_course):
    """Does plain `nbgrader autograde` (sequential) give the same score through the same sandbox?"""
    nbgrader(graded_course, "autograde", ASSIGNMENT, "--student", "patched_asserts", "--force")
    nbgrader(graded_course, "export", "--to", "grades.csv")
    expected = next(s.score for s in SAMPLES if s.name == "patched_asserts")
    assert scores(graded_course)["patched_asserts"] == pytest.approx(expected)


def test_an_invalid_notebook_is_kept_and_explained(graded_course):
    """Is a submission that is not JSON kept (renamed, not deleted) and reported to the instructor?"""
    folder = graded_course / "submitted" / "not_json" / ASSIGNMENT
    assert (folder / f"{ASSIGNMENT}.ipynb.invalid").read_text().startswith('{"cells": [ this')
    feedback = graded_course / "feedback" / "not_json" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "could not be read as a notebook" in feedback.read_text()
    assert "not_json: 01_newton.ipynb could not be read" in (graded_course / "grading.log").read_text()
