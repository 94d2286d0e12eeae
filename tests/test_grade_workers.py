"""The grading command's set-up: the workers' lighter nbgrader (same verdicts, same gradebook), and a
gradebook that cannot grade the assignment reported once, before any work."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: lighter_nbgrader changes nbgrader's modules for the whole process.
SCRIPT = textwrap.dedent(r"""
    import json, sys
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.nbgraderformat import MetadataValidator

    def verdicts():
        out = []
        for meta in CASES:
            cell = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": meta})
            try:
                MetadataValidator().validate_cell(cell)
                out.append("valid")
            except Exception as err:
                out.append(f"{type(err).__module__}.{type(err).__name__}: {err.message}")
        return out

    CASES = json.loads(sys.argv[1])
    before = verdicts()
    from autograder.grade import lighter_nbgrader
    lighter_nbgrader()
    lighter_nbgrader()             # twice: nothing is wrapped twice
    after = verdicts()
    url = f"sqlite:///{sys.argv[2]}"
    with Gradebook(url, course_id="c") as gb:
        gb.add_assignment("a1")
    with Gradebook(url, course_id="c") as gb:       # the tables were checked once: still all there
        gb.add_student("s1")
        names = [a.name for a in gb.assignments], [s.id for s in gb.students]
    print(json.dumps({"before": before, "after": after, "gradebook": names}))
""")

VALID = {"schema_version": 3, "grade": True, "solution": False, "locked": True, "points": 2, "grade_id": "t1",
         "task": False}
CASES = [
    VALID,
    {**VALID, "points": "two"},                     # wrong type
    {**VALID, "grade_id": 7},
    {k: v for k, v in VALID.items() if k != "grade_id"},   # a required key missing
    {**VALID, "surprise": True},                    # a key the schema does not know
    {**VALID, "points": -1},
]


def test_metadata_verdicts_and_gradebook_unchanged(tmp_path):
    """Does each cell's nbgrader metadata get the same verdict (and the same error) once the
    schema is checked only once, and does a new gradebook still get its tables and course?"""
    proc = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(CASES), str(tmp_path / "gradebook.db")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["before"] == result["after"]
    assert result["before"][0] == "valid"
    assert all(v.startswith("jsonschema.exceptions.ValidationError") for v in result["before"][1:3])
    assert result["gradebook"] == [["a1"], ["s1"]]


def test_an_assignment_missing_from_the_gradebook_is_one_clear_error(tmp_path):
    """A course whose gradebook never received the assignment (a new database, a release
    forgotten): does the grader stop before any worker starts, with one line that says what to
    do, instead of a traceback per submission?"""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    for student in ("s1", "s2"):
        folder = tmp_path / "submitted" / student / "01_newton"
        folder.mkdir(parents=True)
        (folder / "01_newton.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([sys.executable, "-m", "autograder", "autograde", "01_newton", "--jobs", "2"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "has no assignment '01_newton'" in proc.stderr and "nbgrader generate_assignment 01_newton" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "autograded").exists()
