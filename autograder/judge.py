"""Grade one notebook: answer cells run in a sandbox, test cells run here, in the judge.

:func:`execute` takes a *sanitized* notebook (nbgrader has already restored every locked and
grade cell from the gradebook) and fills in the outputs of its code cells, in two phases.

1. **The notebook, top to bottom.** A cell that is not a test cell (answers, imports, the
   student's own cells) runs inside a :class:`~autograder.sandbox.Sandbox`; a test cell
   (``grade: true``, ``solution: false``) runs here, with the student's names bound through
   :mod:`autograder.proxy`. Only a test cell's *visible* part runs now; the names it defines
   are then defined in the sandbox too, as they would be in Jupyter. Every output that reaches
   the notebook is checked and capped here (:class:`OutputBudget`).
2. **The hidden tests** (between nbgrader's ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN
   TESTS``) run afterwards against a *fresh* session (a new interpreter, every process of
   phase 1 gone, ``/tmp`` and the working directory restored), in which the answer cells are
   replayed up to each test cell: so no code of the submission whose output reaches the
   notebook ever runs after the hidden tests have called it, and nothing a hidden test passed
   in can be printed into the feedback. What leaves phase 2 is the hidden suite's report: points and
   hints written by the instructor (see :mod:`autograder.hidden`).

If a sandbox dies (a crash, ``os._exit``, a memory or time limit), it is restarted and the
cells that had run are replayed, so the rest of the notebook is still graded. Every failure
becomes an error output in the cell it belongs to: nbgrader then scores that cell 0. An error
of the judge itself is reported in its cell and never ends the grading of the notebook.
"""

from __future__ import annotations

import ast
import base64
import binascii
import contextlib
import io
import re
import time
import traceback

import nbformat

from autograder import wire
from autograder.plain import StudentError
from autograder.proxy import SAFE_MODULES, RemoteFunction, bind_names, run_in_judge
from autograder.sandbox import Limits, Sandbox

MAX_RESTARTS = 3
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


# -- outputs ------------------------------------------------------------------------------
class OutputBudget:
    """What a notebook's outputs may hold, whatever a submission sends: text capped per cell and
    per notebook, images only as valid PNG within a byte budget, no HTML or JavaScript."""

    CELL_TEXT = 20_500
    NOTEBOOK_TEXT = 200_000
    NOTEBOOK_IMAGES = 2_000_000   # characters of base64
    IMAGE = 400_000

    def __init__(self):
        self.text = 0
        self.images = 0

    def _text(self, value, cell_used: list[int]) -> str:
        text = value if isinstance(value, str) else str(value)
        room = max(0, min(self.CELL_TEXT - cell_used[0], self.NOTEBOOK_TEXT - self.text))
        if len(text) > room:
            text = text[:room] + "\n[... output truncated by the grader]\n"
        cell_used[0] += len(text)
        self.text += len(text)
        return text

    def _png(self, value) -> str | None:
        if not isinstance(value, str) or len(value) > self.IMAGE or self.images + len(value) > self.NOTEBOOK_IMAGES:
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return None
        if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
            return None
        self.images += len(value)
        return value

    def outputs(self, items) -> list:
        """Notebook outputs from a worker's untrusted list: only streams and plain/PNG displays."""
        used, outputs = [0], []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            kind = item.get("output_type")
            if kind == "stream" and item.get("name") in ("stdout", "stderr"):
                text = self._text(item.get("text", ""), used)
                if text:
                    outputs.append(nbformat.v4.new_output("stream", name=item["name"], text=text))
            elif kind in ("display_data", "execute_result") and isinstance(item.get("data"), dict):
                data = {}
                if "text/plain" in item["data"]:
                    data["text/plain"] = self._text(item["data"]["text/plain"], used)
                if "image/png" in item["data"]:
                    png = self._png(item["data"]["image/png"])
                    if png is not None:
                        data["image/png"] = png
                    else:
                        data["text/plain"] = "[figure not shown: not a PNG or over the grader's size limit]"
                if data:
                    outputs.append(nbformat.v4.new_output("display_data", data=data))
        return outputs

    def error(self, ename, evalue, tb=None) -> dict:
        used = [0]
        ename = re.sub(r"[^\w.]", "", str(ename))[:100] or "Error"
        evalue = self._text(evalue, used)
        lines = tb if isinstance(tb, list) else str(tb or "").splitlines()
        lines = [self._text(line, used) for line in lines[-200:]] or [f"{ename}: {evalue}"]
        return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=lines)

    def stream(self, name: str, text: str) -> dict:
        return nbformat.v4.new_output("stream", name=name, text=self._text(text, [0]))


def _is_test(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def split_hidden(source: str) -> tuple[str, str]:
    """``(visible, hidden)`` parts of a test cell's source, each keeping the other's lines blank
    (so line numbers in messages stay those of the cell)."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker.startswith(BEGIN_HIDDEN):
            inside = True
        (hidden if inside else visible).append(line)
        (visible if inside else hidden).append("")
        if marker.startswith(END_HIDDEN):
            inside = False
    return "\n".join(visible), "\n".join(hidden)


# -- sessions -----------------------------------------------------------------------------
class _Session:
    """A sandbox with the memory of what ran in it, to replay after a restart (or in phase 2).

    ``actions`` are ``(cell index, kind, payload)``: an answer cell that ran to its end (with or
    without an exception), or names a test cell defined.
    """

    def __init__(self, files, student_modules, limits, slot, started, actions):
        self.files, self.student_modules, self.limits, self.slot = files, student_modules, limits, slot
        self.started, self.actions = started, actions
        self.restarts = 0
        self.replayed = 0
        self.sandbox = self._new()

    def _new(self):
        box = Sandbox.take(self.files, student_modules=self.student_modules, limits=self.limits, slot=self.slot)
        box.deadline = self.started + self.limits.submission_seconds
        return box

    def fresh(self):
        """A new session that has run nothing yet (the hidden tests start from one)."""
        self.restarts = 0
        self._restart()

    def _restart(self):
        self.replayed = 0
        if self.sandbox.template_alive:
            try:
                self.sandbox.new_session()  # a fresh worker forked from the sandbox's template
                return
            except StudentError:  # the sandbox could not be reset: replace it
                pass
        self.sandbox.close()
        self.sandbox = self._new()

    def ensure_alive(self, upto: int | None = None):
        """A live sandbox in which every action before cell ``upto`` has run (``None``: all so far)."""
        if not self.sandbox.alive:
            if self.restarts >= MAX_RESTARTS:
                raise StudentError("the submission's process was stopped too many times; the rest was not run")
            self.restarts += 1
            self._restart()
        wanted = [a for a in self.actions if upto is None or a[0] < upto]
        for index, kind, payload in wanted[self.replayed:]:
            if kind == "cell":
                self.sandbox.exec_cell(f"replay-{index}", payload, number=index, quiet=True)
            elif kind == "bind":
                self.sandbox.bind(payload)
            self.replayed += 1

    def time_left(self) -> float:
        return self.started + self.limits.submission_seconds - time.monotonic()

    def close(self):
        self.sandbox.give_back()  # kept for the slot's next submission (reset first), or closed


def execute(nb, *, files: dict[str, bytes] | None = None, student_modules=(), limits: Limits = Limits(),
            slot: int = 0):
    """Fill in the outputs of ``nb``'s code cells (in place) and return ``nb``."""
    return _Grading(nb, files, student_modules, limits, slot).run()


class _Grading:
    def __init__(self, nb, files, student_modules, limits, slot):
        self.nb, self.limits = nb, limits
        self.budget = OutputBudget()
        self.actions: list = []
        self.started = time.monotonic()
        self._args = (files, student_modules, limits, slot, self.started, self.actions)
        self.deferred: list = []   # (cell index, cell, hidden source, judge namespace)

    def _session(self):
        try:
            return _Session(*self._args), None
        except StudentError as err:
            return None, f"the sandbox could not start: {err}"

    def run(self):
        session, failure = self._session()
        try:
            count = 0
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                cell.execution_count = count
                cell.outputs = []
                try:
                    cell.outputs.extend(self._phase1(index, cell, count, session, failure))
                except Exception as err:  # the judge's own failure: this cell, never the notebook
                    cell.outputs.append(self.budget.error("GradingError", f"the grader failed on this cell: "
                                                          f"{type(err).__name__}: {err}"))
            if self.deferred:
                self._phase2(session, failure)
        finally:
            if session is not None:
                session.close()
        return self.nb

    # -- phase 1 ------------------------------------------------------------------------
    def _phase1(self, index, cell, count, session, failure) -> list:
        if session is None:
            return [self.budget.error("GradingError", failure)]
        if session.time_left() <= 0:
            return [self.budget.error("TimeoutError", "not run: the submission used up its total time limit")]
        try:
            session.ensure_alive()
        except StudentError as err:
            return [self.budget.error("SubmissionError", str(err))]
        if not _is_test(cell):
            return self._answer_cell(index, cell, count, session)
        visible, hidden = split_hidden(cell.source)
        ns = bind_names(session.sandbox, visible)
        outputs, error, value, stopped_at = self._judge(visible, ns)
        self._define_in_sandbox(index, visible, ns, session, stopped_at)
        if error is None and hidden.strip():
            self.deferred.append((index, cell, hidden, ns, count))
            return outputs
        return self._ending(outputs, error, value, count)

    def _ending(self, outputs, error, value, count) -> list:
        """A test cell's outputs, then its error, or else the value that nbgrader reads as the
        points earned (a hidden suite's ``check(...)``)."""
        if error is not None:
            outputs.append(error)
        elif value is not None:
            outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": self.budget._text(repr(value), [0])},
                                                  execution_count=count))
        return outputs

    def _answer_cell(self, index, cell, count, session) -> list:
        cell_id = cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id") or "cell"
        try:
            reply = session.sandbox.exec_cell(cell_id, cell.source, number=count)
        except StudentError as err:
            return [self.budget.error(err.kind or "SubmissionError", str(err))]
        outputs = self.budget.outputs(reply.get("outputs"))
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        if reply.get("ok") or error.get("ename") != "CellTimeout":  # it ran to its end: replay it after a restart
            self.actions.append((index, "cell", cell.source))
            session.replayed += 1
        if not reply.get("ok"):
            outputs.append(self.budget.error(error.get("ename", "Error"), error.get("evalue", ""),
                                             str(error.get("traceback", "")).splitlines()))
        return outputs

    def _judge(self, source: str, ns: dict):
        """Run (trusted) test code here; ``(outputs, error output or None, value of a final
        expression, line it stopped at or None)``. Test cells print to stdout only: nbgrader
        scores a test cell with any stderr output 0."""
        out = io.StringIO()
        error = value = stopped_at = None
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                value = run_in_judge(source, ns)
        except Exception as err:  # a failed assertion, a name the student never defined, a StudentError
            frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == "<test cell>"]
            stopped_at = frames[-1].lineno if frames else 0
            if isinstance(err, StudentError):
                error = self.budget.error("SubmissionError", str(err))
            else:
                where = [f"line {f.lineno}: {f.line}" for f in frames[-1:]]
                error = self.budget.error(type(err).__name__, str(err), where + [f"{type(err).__name__}: {err}"])
        outputs = [self.budget.stream("stdout", out.getvalue())] if out.getvalue() else []
        return outputs, error, value, stopped_at

    def _define_in_sandbox(self, index, source, ns, session, stopped_at=None):
        """Names the visible test code defined (up to where it stopped) become the student's
        too, as in Jupyter: data and modules by value, functions by running their definition."""
        bindings, definitions = {}, []
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return
        for node in tree.body:
            if stopped_at is not None and node.lineno >= stopped_at:
                break
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) or (
                    isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda)):
                definitions.append(ast.get_source_segment(source, node))
                continue
            for name in _bound_names(node):
                value = ns.get(name)
                if isinstance(value, RemoteFunction):
                    bindings[name] = ("ref", value.name)
                elif type(value).__name__ == "module" and value.__name__ in SAFE_MODULES:
                    bindings[name] = ("module", value.__name__)
                elif name in ns:
                    try:
                        bindings[name] = ("value", wire.decode(wire.encode(value)))
                    except (TypeError, wire.WireError):
                        pass
        try:
            if bindings:
                session.sandbox.bind(bindings)
                self.actions.append((index, "bind", bindings))
            for code in filter(None, definitions):
                session.sandbox.exec_cell(f"test-{index}", code, quiet=True)
                self.actions.append((index, "cell", code))
            session.replayed = len(self.actions)
        except StudentError:
            pass  # the sandbox died: the next cell restarts it and replays what ran

    # -- phase 2 ------------------------------------------------------------------------
    def _phase2(self, session, failure):
        if session is not None:
            try:
                session.fresh()  # nothing of phase 1 survives: its processes, /tmp, the working directory
            except StudentError as err:
                session, failure = None, f"the sandbox could not start: {err}"
        for index, cell, hidden, ns, count in self.deferred:
            try:
                cell.outputs.extend(self._hidden(index, hidden, ns, count, session, failure))
            except Exception as err:  # the judge's own failure: this cell, never the notebook
                cell.outputs.append(self.budget.error("GradingError", f"the grader failed on this cell: "
                                                      f"{type(err).__name__}: {err}"))

    def _hidden(self, index, hidden, ns, count, session, failure) -> list:
        if session is None:
            return [self.budget.error("GradingError", failure)]
        if session.time_left() <= 0:
            return [self.budget.error("TimeoutError", "not run: the submission used up its total time limit")]
        try:
            session.ensure_alive(upto=index)
        except StudentError as err:
            return [self.budget.error("SubmissionError", str(err))]
        # the same namespace as the visible part, its student names now bound to the fresh sandbox
        fresh = bind_names(session.sandbox, hidden)
        ns.update({k: v for k, v in fresh.items() if k not in ("__builtins__", "__name__")})
        for name, value in list(ns.items()):
            if isinstance(value, RemoteFunction):
                ns[name] = RemoteFunction(session.sandbox, value.name, value.seconds)
        outputs, error, value, _ = self._judge(hidden, ns)
        return self._ending(outputs, error, value, count)


def _bound_names(node) -> list[str]:
    """Names a top-level statement binds in the cell's namespace (not inside functions or
    comprehensions): assignments, imports, loop and ``with`` targets, definitions."""
    names = []

    def visit(n):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(n.name)
            return
        if isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.append(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            names.extend((a.asname or a.name).split(".")[0] for a in n.names)
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return names
