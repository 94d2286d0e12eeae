"""nbgrader's whole lifecycle from the course root, as README.md describes it.

The instructor generates and releases an assignment into the course's exchange; two students
fetch it, answer and submit (nbgrader's own student commands, each with its own home; nbgrader
takes a student's name from the process's user, which a test on one machine stands in for);
the instructor collects, grades one student with plain ``nbgrader autograde`` and the
class with ``python -m autograder autograde``, writes and releases feedback, which the students
fetch, and exports the grades. Then the formgrader's page loads in a Jupyter server started the
way README.md says.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ASSIGNMENT = "01_newton"


def run(cmd, cwd, **env):
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


STUDENT = ("import sys, nbgrader.utils as u; name = sys.argv.pop(1); u.get_osusername = lambda: name; "
           "from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; main()")


def student_command(student: str, home: Path, exchange: Path, *args: str):
    """An nbgrader command run by ``student`` in their home directory."""
    return run([sys.executable, "-c", STUDENT, student, *args, "--course", "optim-dl", f"--Exchange.root={exchange}"],
               home, HOME=str(home), JUPYTER_DATA_DIR=str(home / ".data"))


def test_release_fetch_submit_collect_grade_feedback_export(tmp_path):
    """Does an assignment go through every step of nbgrader's lifecycle with the course's settings?"""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    nbgrader = BIN / "nbgrader"
    run([nbgrader, "generate_assignment", ASSIGNMENT], course)
    run([nbgrader, "release_assignment", ASSIGNMENT], course)
    exchange = course / "exchange"
    assert (exchange / "optim-dl" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()

    samples = {s.name: s for s in load_samples(ASSIGNMENT)}
    students = {"alice": ("correct", 14.0), "bob": ("sign_error", 11.0)}
    for student, (sample, _) in students.items():
        home = tmp_path / student
        home.mkdir()
        student_command(student, home, exchange, "fetch_assignment", ASSIGNMENT)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        build_submission(fetched, samples[sample], fetched)
        student_command(student, home, exchange, "submit", ASSIGNMENT)

    run([nbgrader, "collect", ASSIGNMENT], course)
    for student in students:
        assert (course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()

    run([nbgrader, "autograde", ASSIGNMENT, "--student", "bob"], course)   # one student by hand
    graded = run([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "2"], course)
    assert "1 already graded" in graded.stderr, "a student graded by plain nbgrader was graded again"
    run([nbgrader, "generate_feedback", ASSIGNMENT], course)
    run([nbgrader, "release_feedback", ASSIGNMENT], course)
    for student in students:
        home = tmp_path / student
        student_command(student, home, exchange, "fetch_feedback", ASSIGNMENT)
        pages = list((home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(pages) == 1 and "Hidden tests for" in pages[0].read_text()

    run([nbgrader, "export", "--to", "grades.csv"], course)
    with open(course / "grades.csv") as fh:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}
    assert scores == {student: score for student, (_, score) in students.items()}


def test_the_formgrader_page_loads(tmp_path):
    """Does the formgrader open in a Jupyter server started from the course root (README.md)?"""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    run([BIN / "nbgrader", "generate_assignment", ASSIGNMENT], course)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "formgrader-test"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen([str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", f"--port={port}",
                                   "--ip=127.0.0.1", f"--IdentityProvider.token={token}"], cwd=course, env=env,
                                  stdout=out, stderr=out)
    try:
        page = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader?token={token}", timeout=10) as reply:
                    page = reply.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert page is not None, f"the formgrader did not answer:\n{log.read_text()}"
        assert "Formgrader" in page or "formgrader" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}",
                                    timeout=10) as reply:
            assert ASSIGNMENT in reply.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
