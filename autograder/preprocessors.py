"""nbgrader preprocessors of the course kit, switched on in ``nbgrader_config.py``.

:class:`SandboxedExecute` takes the place of nbgrader's ``Execute`` in
``Autograde.autograde_preprocessors``; everything else of ``nbgrader autograde`` (sanitising,
restoring locked cells from the gradebook, saving grades, late penalties) is nbgrader's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer

from autograder import judge
from autograder.plain import StudentError
from autograder.sandbox import Limits, Sandbox, isolation_warning
from autograder.settings import assignment_settings, submission_files

class SandboxedExecute(NbGraderPreprocessor):
    """Execute a submission in a sandbox and its test cells in the judge (see autograder.judge)."""

    timeout = Integer(10, help="Seconds each cell (or each call of a student function) may take.").tag(config=True)
    submission_timeout = Integer(120, help="Seconds the whole notebook may take.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the submission's process, in MiB.").tag(config=True)
    max_processes = Integer(64, help="Processes and threads the submission may run.").tag(config=True)
    slot = Integer(0, help="Parallel slot (selects the sandbox user id when grading as root).").tag(config=True)
    start_timeout = Float(30.0, help="Seconds a sandbox may take to start.").tag(config=True)

    _warned = False

    def preprocess(self, nb, resources):
        warning = isolation_warning()
        if warning and not SandboxedExecute._warned:
            self.log.warning(warning)
            SandboxedExecute._warned = True
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        folder = Path(resources.get("metadata", {}).get("path", "") or os.getcwd())
        judge.execute(nb, files=submission_files(folder), student_modules=self._student_modules(assignment),
                      limits=self._limits(), slot=self.slot)
        return nb, resources

    def _limits(self) -> Limits:
        return Limits(cell_seconds=self.timeout, submission_seconds=self.submission_timeout,
                      memory_bytes=self.memory_mb * 2**20, processes=self.max_processes,
                      start_seconds=self.start_timeout)

    @staticmethod
    def _student_modules(assignment: str) -> tuple:
        return tuple(assignment_settings(assignment).get("student_modules", ()))

    def prestart(self, assignment: str) -> None:
        """Start this slot's sandbox now, before its first submission (it then waits, reset,
        like a sandbox between two submissions: :meth:`autograder.sandbox.Sandbox.take`)."""
        try:
            Sandbox.take(None, student_modules=self._student_modules(assignment), limits=self._limits(),
                         slot=self.slot).give_back()
        except StudentError:  # the first submission tries again and reports it
            pass


def restore_deleted_cells(nb, reference) -> list[str]:
    """Re-insert into ``nb`` each test cell of ``reference`` (the released notebook) that ``nb``
    lacks, after the nearest cell that precedes it there; return their grade ids."""
    import nbformat

    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    anchor, restored = None, []  # grade_id of the last released cell seen that the submission still has
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
        nb.cells.insert(position, nbformat.from_dict(dict(cell)))
        present.add(grade_id)
        anchor = grade_id
        restored.append(grade_id)
    return restored


class RestoreDeletedCells(NbGraderPreprocessor):
    """Put back test cells a student deleted, so that they run and score like any other.

    nbgrader restores the *content* of locked cells (``OverwriteCells``) but gives a deleted
    grade cell nothing. This sanitising step re-inserts each missing test cell from the
    released notebook (:func:`restore_deleted_cells`); ``OverwriteCells`` then fills in its full
    source (hidden tests included) from the gradebook.
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

        for grade_id in restore_deleted_cells(nb, nbformat.read(released, as_version=4)):
            self.log.warning("Restored deleted test cell %s", grade_id)
        return nb, resources


class MarkGraded(NbGraderPreprocessor):
    """Record, last of the autograde steps, that this submission has been graded as it is now.

    Writes ``autograded/<student>/<assignment>/.graded`` with the hash of the submitted folder
    (:func:`autograder.intake.submission_hash`), for ``python -m autograder autograde`` and plain
    ``nbgrader autograde`` alike: a rerun of either grades only what has changed or was never
    finished (the autograded notebook itself must exist too, see :mod:`autograder.grade`).
    """

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        from autograder.intake import MARKER, submission_hash

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        student, assignment = info.get("student", ""), info.get("assignment", "")
        folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
        graded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
        if folder.is_dir() and graded.is_dir():
            (graded / MARKER).write_text(submission_hash(folder) + "\n")
        return nb, resources


class SanitizeStudentHTML(NbGraderPreprocessor):
    """Make what a student wrote safe to show in a browser (feedback pages, the formgrader).

    nbgrader renders markdown cells as HTML without sanitising them, so a ``<script>``, an
    ``onerror=`` attribute or a ``javascript:`` link would run in the reader's browser (the
    instructor's, in the formgrader). Each unlocked markdown cell is rendered and cleaned with
    bleach (formatting tags only; links to http, https, mailto and attachments only); if cleaning
    changed anything, the cleaned HTML replaces the cell's source, and if even that would not
    render back to safe HTML, the source is shown as plain text. Raw cells are cleaned the same
    way. Locked cells are the instructor's (nbgrader restores them from the gradebook).
    """

    TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1",
            "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "s", "span",
            "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul"}
    PROTOCOLS = ["http", "https", "mailto", "attachment", "data"]
    IMAGE_DATA = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,")

    @classmethod
    def _attribute(cls, tag: str, name: str, value: str) -> bool:
        if name in ("class", "id", "title") or (tag in ("td", "th") and name == "align"):
            return True
        if tag == "img" and name in ("alt", "width", "height"):
            return True
        if tag == "img" and name == "src":  # embedded pictures, but no SVG (it can hold scripts)
            return not value.lower().startswith("data:") or value.lower().startswith(cls.IMAGE_DATA)
        return tag == "a" and name == "href" and not value.lower().startswith("data:")

    @classmethod
    def clean(cls, html: str) -> str:
        import bleach

        return bleach.clean(html, tags=cls.TAGS, attributes=cls._attribute, protocols=cls.PROTOCOLS, strip=True)

    @classmethod
    def safe_markdown(cls, source: str, attachments: dict | None = None) -> str:
        """``source`` if it renders to safe HTML, else cleaned HTML that does, else escaped text."""
        import html

        from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

        def render(text):
            return MarkdownWithMath(renderer=IPythonRenderer(escape=False, attachments=attachments or {})).render(text)

        try:
            rendered = render(source)
        except Exception:  # e.g. a missing attachment: show the text as it is
            return f"<pre>{html.escape(source)}</pre>"
        cleaned = cls.clean(rendered)
        if cleaned == rendered:
            return source
        try:
            again = render(cleaned)  # what nbgrader's templates will make of it
            if cls.clean(again) == again:
                return cleaned
        except Exception:
            pass
        return f"<pre>{html.escape(source)}</pre>"

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader", {}).get("locked"):
            return cell, resources
        if cell.cell_type == "markdown":
            cell.source = self.safe_markdown(cell.source, cell.get("attachments"))
        elif cell.cell_type == "raw":
            cell.source = self.clean(cell.source)
        return cell, resources
