"""nbgrader preprocessors of the course kit, switched on in ``nbgrader_config.py``.

:class:`SandboxedExecute` takes the place of nbgrader's ``Execute`` in
``Autograde.autograde_preprocessors``; everything else of ``nbgrader autograde`` (sanitising,
restoring locked cells from the gradebook, saving grades, late penalties) is nbgrader's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer

from autograder import judge
from autograder.sandbox import Limits, isolation_warning
from autograder.settings import assignment_settings, submission_files

class SandboxedExecute(NbGraderPreprocessor):
    """Execute a submission in a sandbox and its test cells in the judge (see autograder.judge)."""

    timeout = Integer(10, help="Seconds each cell (or each call of a student function) may take.").tag(config=True)
    submission_timeout = Integer(120, help="Seconds the whole notebook may take.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the submission's process, in MiB.").tag(config=True)
    max_processes = Integer(64, help="Processes and threads the submission may run.").tag(config=True)
    slot = Integer(0, help="Parallel slot (selects the sandbox user id when grading as root).").tag(config=True)
    start_timeout = Float(30.0, help="Seconds a sandbox may take to start.").tag(config=True)
    prewarm = Bool(False, help="Start the next submission's sandbox while this one is graded.").tag(config=True)

    _warned = False

    def preprocess(self, nb, resources):
        warning = isolation_warning()
        if warning and not SandboxedExecute._warned:
            self.log.warning(warning)
            SandboxedExecute._warned = True
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        settings = assignment_settings(assignment)
        folder = Path(resources.get("metadata", {}).get("path", "") or os.getcwd())
        limits = Limits(cell_seconds=self.timeout, submission_seconds=self.submission_timeout,
                        memory_bytes=self.memory_mb * 2**20, processes=self.max_processes,
                        start_seconds=self.start_timeout)
        judge.execute(nb, files=submission_files(folder), student_modules=settings.get("student_modules", ()),
                      limits=limits, slot=self.slot, prewarm=self.prewarm)
        return nb, resources


class RestoreDeletedCells(NbGraderPreprocessor):
    """Put back test cells a student deleted, so that they run and score like any other.

    nbgrader restores the *content* of locked cells (``OverwriteCells``) but gives a deleted
    grade cell nothing. This sanitising step re-inserts each missing test cell from the
    released notebook, after the nearest cell that precedes it there; ``OverwriteCells``
    then fills in its full source (hidden tests included) from the gradebook.
    """

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        released = Path(coursedir.format_path(coursedir.release_directory, ".", info.get("assignment", ""))) / (
            info.get("notebook", "") + ".ipynb")
        if not released.is_file():
            return nb, resources
        import nbformat

        reference = nbformat.read(released, as_version=4)
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        anchor = None  # grade_id of the last released cell seen that the submission still has
        for cell in reference.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if grade_id in present:
                anchor = grade_id
                continue
            if not (meta.get("grade") and not meta.get("solution")):
                continue
            position = 0
            for i, existing in enumerate(nb.cells):
                if anchor is not None and existing.metadata.get("nbgrader", {}).get("grade_id") == anchor:
                    position = i + 1
            restored = nbformat.from_dict(dict(cell))
            nb.cells.insert(position, restored)
            present.add(grade_id)
            anchor = grade_id
            self.log.warning("Restored deleted test cell %s", grade_id)
        return nb, resources
