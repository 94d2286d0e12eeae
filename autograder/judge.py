"""Grade one notebook: answer cells run in a sandbox, test cells run here, in the judge.

:func:`execute` takes a *sanitized* notebook (nbgrader has already restored every locked and
grade cell from the gradebook) and fills in the outputs of its code cells:

- a cell that is not a test cell (answers, imports, read-only helpers) runs inside the
  :class:`~autograder.sandbox.Sandbox`;
- a test cell (``grade: true``, ``solution: false``) runs in this process, with the student's
  names bound through :mod:`autograder.proxy`; its source comes from the gradebook, so it is
  the instructor's code, and every value it sees from the student is plain data.

If the sandbox dies (a crash, ``os._exit``, a memory or time limit), it is restarted and the
answer cells that had run are replayed, so the rest of the notebook is still graded. Every
failure becomes an error output in the cell it belongs to: nbgrader then scores that cell 0.
"""

from __future__ import annotations

import contextlib
import io
import time
import traceback

import nbformat

from autograder.plain import StudentError
from autograder.proxy import bind_names, run_in_judge
from autograder.sandbox import Limits, Sandbox

MAX_RESTARTS = 3


def _error(ename: str, evalue: str, tb: list[str] | None = None) -> dict:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=tb or [f"{ename}: {evalue}"])


def _stream(name: str, text: str) -> dict:
    return nbformat.v4.new_output("stream", name=name, text=text)


def _is_test(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


class _Session:
    """A sandbox with the memory of which answer cells ran, to replay them after a restart."""

    def __init__(self, files, hidden_modules, limits, slot, prewarm=False):
        self.files, self.hidden_modules, self.limits, self.slot = files, hidden_modules, limits, slot
        self.prewarm = prewarm
        self.ran: list[tuple[str, str]] = []
        self.restarts = 0
        self.started = time.monotonic()
        self.sandbox = self._new()

    def _new(self):
        box = Sandbox.take(self.files, hidden_modules=self.hidden_modules, limits=self.limits, slot=self.slot,
                           prewarm=self.prewarm)
        box.deadline = self.started + self.limits.submission_seconds
        return box

    def ensure_alive(self):
        if self.sandbox.alive:
            return
        self.sandbox.close()
        if self.restarts >= MAX_RESTARTS:
            raise StudentError("the submission's process was stopped too many times; the rest was not run")
        self.restarts += 1
        self.sandbox = self._new()
        for cell_id, source in self.ran:
            self.sandbox.exec_cell(cell_id, source)

    def time_left(self) -> float:
        return self.started + self.limits.submission_seconds - time.monotonic()

    def close(self):
        self.sandbox.close()


def execute(nb, *, files: dict[str, bytes] | None = None, hidden_modules=(), limits: Limits = Limits(),
            slot: int = 0, prewarm: bool = False):
    """Fill in the outputs of ``nb``'s code cells (in place) and return ``nb``."""
    session = None
    count = 0
    try:
        session = _Session(files, hidden_modules, limits, slot, prewarm)
    except StudentError as err:
        start_error = str(err)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = []
        if session is None:
            cell.outputs.append(_error("GradingError", f"the sandbox could not start: {start_error}"))
            continue
        if session.time_left() <= 0:
            cell.outputs.append(_error("TimeoutError", "not run: the submission used up its total time limit"))
            continue
        try:
            session.ensure_alive()
        except StudentError as err:
            cell.outputs.append(_error("SubmissionError", str(err)))
            continue
        if _is_test(cell):
            cell.outputs.extend(_run_test_cell(cell, session, count))
        else:
            cell.outputs.extend(_run_answer_cell(cell, session))
    if session is not None:
        session.close()
    return nb


def _run_answer_cell(cell, session) -> list:
    cell_id = cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id") or "cell"
    try:
        reply = session.sandbox.exec_cell(cell_id, cell.source)
    except StudentError as err:
        return [_error(err.kind or "SubmissionError", str(err))]
    outputs = []
    if reply.get("stdout"):
        outputs.append(_stream("stdout", str(reply["stdout"])))
    if reply.get("stderr"):
        outputs.append(_stream("stderr", str(reply["stderr"])))
    if reply.get("ok"):
        session.ran.append((cell_id, cell.source))
    else:
        error = reply.get("error") or {}
        tb = str(error.get("traceback", "")).splitlines()
        outputs.append(_error(str(error.get("ename", "Error")), str(error.get("evalue", "")), tb))
    return outputs


def _run_test_cell(cell, session, count) -> list:
    out = io.StringIO()
    outputs = []
    ns = bind_names(session.sandbox, cell.source)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            value = run_in_judge(cell.source, ns)
    except StudentError as err:
        error = _error("SubmissionError", str(err))
    except Exception as err:  # a failed assertion of the test cell, or a name the student never defined
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == "<test cell>"]
        where = [f"line {f.lineno}: {f.line}" for f in frames[-1:]]
        error = _error(type(err).__name__, str(err), where + [f"{type(err).__name__}: {err}"])
    else:
        error = None
    if out.getvalue():
        outputs.append(_stream("stdout", out.getvalue()))
    if error is not None:
        outputs.append(error)
    elif value is not None:
        outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": repr(value)},
                                              execution_count=count))
    return outputs
