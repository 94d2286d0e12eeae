"""Is the student version exactly what nbgrader makes from the solutions, with nothing leaked?"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL)


def _notebooks(folder: Path):
    return sorted(folder.glob("*.ipynb"))


def _comparable(nb) -> list:
    return [(c.cell_type, c.get("id"), c.source, json.dumps(c.metadata, sort_keys=True)) for c in nb.cells]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("regenerate")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for assignment in ASSIGNMENTS:
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", assignment],
                       cwd=course, env=env, check=True, capture_output=True)
    return course / "exercises"


def test_there_is_an_assignment():
    """Is there at least one assignment, with a student version for each?"""
    assert "01_newton" in ASSIGNMENTS
    for a in ASSIGNMENTS:
        assert _notebooks(ROOT / "exercises" / a), f"exercises/{a} is missing: run `make exercises`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_is_up_to_date(regenerated, assignment):
    """Is exercises/<a> what `nbgrader generate_assignment` makes from solutions/<a> now?"""
    for source in _notebooks(ROOT / "solutions" / assignment):
        committed = nbformat.read(ROOT / "exercises" / assignment / source.name, as_version=4)
        fresh = nbformat.read(regenerated / assignment / source.name, as_version=4)
        assert _comparable(committed) == _comparable(fresh), (
            f"exercises/{assignment}/{source.name} is out of date: run `make exercises` and commit it")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_leaks_nothing(assignment):
    """Does the student version hold no solution line, no hidden test and no output?"""
    for source in _notebooks(ROOT / "solutions" / assignment):
        secret_nb = nbformat.read(source, as_version=4)
        student_path = ROOT / "exercises" / assignment / source.name
        student = student_path.read_text()
        student_nb = nbformat.read(student_path, as_version=4)
        visible = "\n".join(c.source for c in student_nb.cells)
        secrets = [line.strip() for cell in secret_nb.cells for _, block in BLOCK.findall(cell.source)
                   for line in block.splitlines() if len(line.strip()) >= 12]
        # a line that the solution notebook also shows outside its secret blocks is no secret
        public = {line.strip() for cell in secret_nb.cells for line in BLOCK.sub("", cell.source).splitlines()}
        secrets = [line for line in secrets if line not in public]
        assert secrets, "the solution notebook should have solution and hidden-test blocks"
        leaked = [line for line in secrets if line in visible]
        assert not leaked, f"solution or hidden-test lines in the student version: {leaked[:3]}"
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "autograder"):
            assert marker not in student, f"{marker!r} appears in {student_path.name}"
        assert all(not c.get("outputs") for c in student_nb.cells if c.cell_type == "code"), "outputs were released"
