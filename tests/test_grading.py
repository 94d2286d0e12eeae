"""The grading path end to end: nbgrader's own commands on real sample submissions.

A temporary course directory gets the repository's nbgrader_config.py and solutions/; the
instructor's commands run in it exactly as README.md lists them.
"""

from __future__ import annotations

import csv
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
        build_submission(released, sample.answers, course / "submitted" / sample.name / ASSIGNMENT / released.name)
    # the instructor's own notebook, submitted as it is, must earn full marks
    own = course / "submitted" / "instructor_solution" / ASSIGNMENT
    own.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / ASSIGNMENT / released.name, own)
    nbgrader(course, "autograde", ASSIGNMENT)
    nbgrader(course, "generate_feedback", ASSIGNMENT)
    nbgrader(course, "export", "--to", "grades.csv")
    return course


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
        assert "BEGIN HIDDEN TESTS" not in html and "autograder.hidden" not in html
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
