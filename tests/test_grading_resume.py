"""Interrupting a grading run: does a rerun leave the gradebook complete and consistent?"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from autograder.grade import is_graded
from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_newton"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def test_kill_minus_nine_then_rerun(tmp_path):
    """After kill -9 in the middle of a run, does a rerun grade every submission exactly once?"""
    course = tmp_path
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT], cwd=course, env=ENV, check=True,
                   capture_output=True)
    released = course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    correct = next(s for s in load_samples(ASSIGNMENT) if s.name == "correct")
    students = [f"s{i}" for i in range(6)]
    for s in students:
        build_submission(released, correct, course / "submitted" / s / ASSIGNMENT / released.name)

    cmd = [sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "1"]
    run = subprocess.Popen(cmd, cwd=course, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    def markers():  # the submissions that count as graded (marker and autograded notebook)
        return [s for s in students if is_graded(course / "autograded" / s / ASSIGNMENT,
                                                 course / "submitted" / s / ASSIGNMENT, released.parent)]

    deadline = time.monotonic() + 120
    while len(markers()) < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    interrupted = len(markers())
    assert 2 <= interrupted < len(students), "the run should have been stopped part way"

    rerun = subprocess.run(cmd, cwd=course, env=ENV, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{interrupted} already graded" in rerun.stderr
    assert len(markers()) == len(students)

    db = sqlite3.connect(course / "gradebook.db")
    rows = db.execute("""
        SELECT student.id, COUNT(grade.id), COUNT(DISTINCT grade.cell_id), SUM(grade.auto_score)
        FROM grade JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
        JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
        JOIN student ON submitted_assignment.student_id = student.id
        GROUP BY student.id""").fetchall()
    grade_cells = db.execute("SELECT COUNT(*) FROM grade_cells").fetchone()[0]
    assert sorted(r[0] for r in rows) == students
    for student, count, distinct, total in rows:
        assert count == distinct == grade_cells, f"{student}: {count} grades for {grade_cells} cells"
        assert total == 14, f"{student} scored {total}"
