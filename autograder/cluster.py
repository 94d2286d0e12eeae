"""Grade a class on a Dask cluster, when one machine is not enough.

    python -m autograder autograde ASSIGNMENT --scheduler tcp://HOST:8786

Set-up (README, "A course larger than one machine"):

- the course directory is on a file system every grading machine mounts at the same path (the
  submissions are read there and the autograded notebooks written there);
- the gradebook is a PostgreSQL database that every machine reaches, named in
  ``nbgrader_config.py`` by ``c.CourseDirectory.db_url = "postgresql+psycopg://USER@HOST/DB"``
  (SQLite must not be shared over a network file system);
- a scheduler runs somewhere (``dask scheduler``), and each grading machine runs workers from
  the course directory, with this project installed and one BLAS thread per process (as
  ``--jobs`` sets it): ``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 dask worker
  tcp://HOST:8786 --nworkers N --nthreads 1``. Every worker grades as ``--jobs`` does on one machine: nbgrader's autograde
  with the submission in the sandbox (bubblewrap) and the hidden tests in a judge process.

Each submission is one Dask task. Dask runs it again on another worker when its worker dies
(``distributed.scheduler.allowed-failures`` times), so a machine lost in the middle of a run
loses nothing. A submission graded twice overwrites its grades; nbgrader keeps one grade per
cell and student. A worker process takes a sandbox slot of its machine: the first slot whose
lock file it can hold (``/tmp/autograder-slots``), so two workers never share a sandbox user.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

SLOT_DIR = Path(os.environ.get("AUTOGRADER_SLOT_DIR", "/tmp/autograder-slots"))
_SLOT_LOCK = None   # the lock file this process holds for its slot, open while it lives


def claim_slot(limit: int = 256) -> int:
    """The first sandbox slot of this machine that no other live process holds (flock)."""
    global _SLOT_LOCK
    SLOT_DIR.mkdir(parents=True, exist_ok=True)
    for slot in range(limit):
        handle = open(SLOT_DIR / f"{slot}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _SLOT_LOCK = handle
        return slot
    raise RuntimeError(f"no free sandbox slot among {limit} on this machine ({SLOT_DIR}).")


def grade_task(root: str, assignment: str, student: str) -> dict:
    """One submission, graded on a Dask worker (the worker's grading set-up is made on its first
    task and kept). Its BLAS threads are set by the worker command's environment: numpy is
    loaded with Dask, before any task runs (and a sandbox sets its own)."""
    from autograder import grade

    if grade._API is None:
        grade._init_worker(root, None, assignment, slot=claim_slot())
    return grade._grade_one(assignment, student)


def graded_on_cluster(scheduler: str, root: Path, assignment: str, students: list[str]) -> Iterator[dict]:
    """Results as the submissions finish (in any order); each is ``grade._grade_one``'s dict."""
    from dask.distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        workers = len(client.scheduler_info().get("workers", {}))
        if workers == 0:
            client.wait_for_workers(1, timeout=60)
        futures = {client.submit(grade_task, str(root), assignment, s, key=f"autograde-{assignment}-{s}-{time.time_ns()}",
                                 pure=False): s for s in students}
        for future in as_completed(futures):
            student = futures[future]
            try:
                yield future.result()
            except Exception as err:   # KilledWorker after repeated deaths, or an error in the task
                yield {"student": student, "success": False, "seconds": 0.0, "error": repr(err)}
