"""Students' own check: `python -m autograder check NOTEBOOK`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
RELEASED = ROOT / "exercises" / "01_newton" / "01_newton.ipynb"
SAMPLES = {s.name: s for s in load_samples("01_newton")}


def check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "check", str(path)], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("name, status, summary", [("correct", 0, "4 passed, 0 failed"),
                                                   ("diagonal_shortcuts", 1, "3 passed, 1 failed"),
                                                   ("unanswered", 1, "0 passed, 4 failed")])
def test_check_reports_visible_tests_and_exit_status(tmp_path, name, status, summary):
    """Does the check pass a correct notebook, and fail (non-zero) a wrong one, naming the test?"""
    nb = tmp_path / "01_newton.ipynb"
    build_submission(RELEASED, SAMPLES[name], nb)
    proc = check(nb)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert summary in proc.stdout
    if name == "diagonal_shortcuts":
        assert "FAIL  test_taylor_visible" in proc.stdout


def test_check_uses_the_released_tests_and_the_sandbox(tmp_path):
    """Can an edited visible test or a patched numpy make a wrong answer pass the check? (No.)"""
    nb = tmp_path / "01_newton.ipynb"
    sample = SAMPLES["patched_asserts"]
    answers = {**sample.answers, "test_newton_visible": "pass"}
    build_submission(RELEASED, answers, nb)
    proc = check(nb)
    assert proc.returncode == 1 and "FAIL  test_newton_visible" in proc.stdout


def test_check_explains_an_unreadable_notebook(tmp_path):
    """Is a notebook that is not JSON reported clearly, with its own exit status?"""
    nb = tmp_path / "01_newton.ipynb"
    nb.write_text("{ not json")
    proc = check(nb)
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_check_recognises_a_renamed_copy_by_its_cells(tmp_path):
    """Is a renamed copy (Jupyter's `-Copy1`) checked against the released tests, never against
    the test cells its author edited?"""
    nb = tmp_path / "01_newton-Copy1.ipynb"
    sample = SAMPLES["sign_error"]
    build_submission(RELEASED, {**sample.answers, "test_newton_visible": "print('Visible tests passed.')"}, nb)
    proc = check(nb)
    assert proc.returncode == 1 and "FAIL  test_newton_visible" in proc.stdout, proc.stdout + proc.stderr


def test_check_refuses_a_notebook_of_no_assignment(tmp_path):
    """Is a notebook without the assignment's cells refused (status 2), rather than graded by its
    own cells that merely claim to be tests?"""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert True")])
    nb.cells[0].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "mine", "points": 5}
    path = tmp_path / "01_newton.ipynb"
    nbformat.write(nb, path)
    proc = check(path)
    assert proc.returncode == 2 and "not a copy of any assignment" in proc.stderr


def test_check_runs_ipython_syntax(tmp_path):
    """Does a correct notebook whose answer cells use magics pass the check, as in Jupyter?"""
    nb = tmp_path / "01_newton.ipynb"
    answers = {k: "%matplotlib inline\n" + v for k, v in SAMPLES["correct"].answers.items()}
    answers["taylor"] = "%%time\n" + SAMPLES["correct"].answers["taylor"]
    build_submission(RELEASED, answers, nb)
    proc = check(nb)
    assert proc.returncode == 0 and "4 passed, 0 failed" in proc.stdout, proc.stdout + proc.stderr
