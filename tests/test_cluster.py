"""Grading on a Dask cluster with the gradebook on PostgreSQL (autograder/cluster.py).

A real PostgreSQL server (Debian's package, installed by ``make``) is started for the test in a
temporary folder; a Dask cluster of two worker processes runs on this machine. The same class
of 01_newton submissions is graded twice: by ``--jobs 2`` with the usual SQLite gradebook, and by
``--scheduler`` on the cluster with the gradebook on PostgreSQL, one worker being killed in the
middle of the run. Every student must get the same score, once per cell.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.grade import is_graded
from autograder.samples import build_submission, load_samples

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_newton"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
SAMPLES = ["correct", "sign_error", "diagonal_shortcuts", "hard_coded", "broken", "unanswered"]


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent   # (a link to the version's folder, which has them all)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server for this test only: its database URL for nbgrader."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (make installs Debian's postgresql when run as root)")
    # not under pytest's folders, which only root may enter
    folder = Path(tempfile.mkdtemp(prefix="autograder-postgres-"))
    data = folder / "data"
    # PostgreSQL refuses to run as root: as root, the server runs as the package's own user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True, cwd=folder)
    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start")
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _course(folder: Path, db_url: str | None) -> list[str]:
    """A course with one submission per sample (two of them twice): the students' names."""
    folder.mkdir()
    config = (ROOT / "nbgrader_config.py").read_text()
    if db_url:
        config += f"\nc.CourseDirectory.db_url = {db_url!r}\n"
    (folder / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, folder / "solutions" / ASSIGNMENT)
    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT], cwd=folder, env=ENV, check=True,
                   capture_output=True)
    released = folder / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    samples = {s.name: s for s in load_samples(ASSIGNMENT)}
    students = []
    for i, name in enumerate(SAMPLES + SAMPLES[:2]):
        student = f"s{i}_{name}"
        build_submission(released, samples[name], folder / "submitted" / student / ASSIGNMENT / released.name)
        students.append(student)
    return students


def _scores(folder: Path, db_url: str) -> dict[str, tuple[float, int]]:
    """Each student's score and number of grades, read from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        out = {}
        for student in gb.students:
            submission = gb.find_submission(ASSIGNMENT, student.id)
            grades = [g for nb in submission.notebooks for g in nb.grades]
            out[student.id] = (submission.score, len(grades))
        return out


def test_cluster_grades_like_one_machine_and_survives_a_lost_worker(tmp_path, postgres):
    from dask.distributed import Client, LocalCluster

    local = tmp_path / "local"
    students = _course(local, None)
    done = subprocess.run([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--jobs", "2"], cwd=local,
                          env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    expected = _scores(local, f"sqlite:///{local / 'gradebook.db'}")
    assert sorted(expected) == sorted(students)

    shared = tmp_path / "cluster"
    _course(shared, postgres)
    released = shared / "exercises" / ASSIGNMENT
    os.environ["PATH"] = ENV["PATH"]   # the workers call nbgrader's tools
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"          # as the documented worker command sets them
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      local_directory=str(tmp_path / "dask")) as cluster:
        run = subprocess.Popen([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT,
                                "--scheduler", cluster.scheduler_address], cwd=shared, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # a worker dies once the first submission is graded, while others are being graded
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and run.poll() is None and not any(
                is_graded(shared / "autograded" / s / ASSIGNMENT, shared / "submitted" / s / ASSIGNMENT, released)
                for s in students):
            time.sleep(0.05)
        with Client(cluster) as client:
            victim = max(client.run(os.getpid).values())
        os.kill(victim, signal.SIGKILL)
        out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    assert f"[{len(students):>3}/{len(students)}]" in err, "no progress shown"
    assert _scores(shared, postgres) == expected, "the cluster's grades differ from one machine's"
    for student, (score, count) in expected.items():
        assert count == expected[students[0]][1], f"{student}: {count} grades"
