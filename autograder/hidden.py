"""Run one hidden pytest suite against the student's functions and return the points earned.

Called from the hidden-test block of a solution notebook's test cell::

    from autograder.hidden import check
    check("01_newton", "newton", globals())

The suite ``autograder/01_newton/test_newton.py`` receives the student's functions through
the ``student`` fixture (a :class:`autograder.plain.Submission`). Each test carries
``@pytest.mark.points(p)``; the function prints one line per test (the hint of a failed one,
never the test code or an expected value) and returns the points earned, which nbgrader
records as the cell's partial credit. A suite that does not report every one of its tests
earns nothing for the missing ones.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder.plain import StudentError, Submission

SUITES = Path(__file__).resolve().parent


class _Collector:
    """A pytest plugin: provides the ``student`` fixture and records outcomes and points."""

    def __init__(self, submission: Submission):
        self.submission = submission
        self.points: dict[str, float] = {}
        self.doc: dict[str, str] = {}
        self.failures: dict[str, str] = {}
        self.passed: set[str] = set()

    @pytest.fixture
    def student(self):
        return self.submission

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "points(p): points the test is worth")

    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("points")
            self.points[item.nodeid] = float(marker.args[0]) if marker else 1.0
            first_paragraph = (item.function.__doc__ or item.name).strip().split("\n\n")[0]
            self.doc[item.nodeid] = " ".join(first_paragraph.split())

    def pytest_runtest_makereport(self, item, call):
        if call.excinfo is not None and call.when in ("setup", "call"):
            err = call.excinfo.value
            if isinstance(err, StudentError):  # never the student's own text: it could carry hidden inputs
                message = err.hint
            elif isinstance(err, AssertionError):
                message = str(err).split("\nassert ")[0].strip() or "a check failed"
            elif isinstance(err, pytest.fail.Exception):  # pytest.fail("hint") in a suite
                message = err.msg or "a check failed"
            else:
                message = f"the check could not run: {type(err).__name__}"
            self.failures.setdefault(item.nodeid, message)

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed.add(report.nodeid)


def suite_path(assignment: str, task: str) -> Path:
    return SUITES / assignment / f"test_{task}.py"


def suite_points(assignment: str, task: str) -> float:
    """Total points of a suite, collected without running it (for consistency checks)."""
    collector = _Collector(Submission({}))
    with contextlib.redirect_stdout(io.StringIO()), _no_plugin_autoload():
        pytest.main([str(suite_path(assignment, task)), "--collect-only", "-q", *_ARGS], plugins=[collector])
    return sum(collector.points.values())


# No cache, no doctest or warning machinery, and none of the plugins that force garbage
# collections at the end of a session (they cost more than the tests themselves here).
# Nor the plugins the suites have no use for: they use the ``student`` fixture, the ``points``
# marker and ``pytest.fail``, nothing else (no output capture: the run's output is redirected
# already; no reports, debugger, unittest classes, subtests, tmp_path, monkeypatch or recwarn).
# Each plugin costs every session its registration and option parsing: a submission runs
# one session per hidden suite. A suite that needed one of them would fail on the correct
# samples, which tests/test_grading.py grades for every assignment.
# ``check`` adds --tb=no: the report needs a failure's exception, not pytest's rendering of its
# traceback (which re-parses the suite's source for every failed test).
_UNUSED_PLUGINS = ("cacheprovider", "unraisableexception", "threadexception", "faulthandler", "logging", "doctest",
                   "legacypath", "warnings", "capture", "pastebin", "junitxml", "stepwise", "setuponly",
                   "setupplan", "debugging", "python_path", "unittest", "subtests", "tmpdir", "monkeypatch",
                   "recwarn")
_ARGS = [*(arg for name in _UNUSED_PLUGINS for arg in ("-p", f"no:{name}")),
         "--assert=plain", "--import-mode=importlib", "-o", "addopts=",
         "-o", "filterwarnings=", f"--rootdir={SUITES}", "-c", "/dev/null"]


@contextlib.contextmanager
def _no_plugin_autoload():
    """Skip scanning installed packages for pytest plugins (the suites need none)."""
    old = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if old is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = old


def _run(path: Path, namespace: dict, *options: str, log=None) -> _Collector:
    """Run the suite at ``path`` against ``namespace``; its outcomes and points (output to ``log``)."""
    collector = _Collector(Submission(namespace))
    log = io.StringIO() if log is None else log
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), warnings.catch_warnings(), \
            _no_plugin_autoload():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            pytest.main([str(path), "-q", *_ARGS, *options], plugins=[collector])
    return collector


def check(assignment: str, task: str, namespace: dict) -> float:
    """Run the hidden suite of ``task``; print a short report; return the points earned."""
    path = suite_path(assignment, task)
    if not path.is_file():
        raise FileNotFoundError(f"no hidden suite {path}: is the autograder installed with this assignment?")
    collector = _run(path, namespace, "--tb=no")
    if not collector.points:  # the instructor's error: run again to show pytest's full report
        log = io.StringIO()
        _run(path, namespace, log=log)
        raise RuntimeError(f"the hidden suite {path.name} collected no tests:\n{log.getvalue()}")
    earned = 0.0
    lines = []
    for nodeid, pts in collector.points.items():
        if nodeid in collector.passed:
            earned += pts
            lines.append(f"  passed  ({pts:g} pt) {collector.doc[nodeid]}")
        else:
            hint = collector.failures.get(nodeid, "this check did not complete")
            lines.append(f"  FAILED  ({pts:g} pt) {collector.doc[nodeid]}\n          hint: {hint}")
    total = sum(collector.points.values())
    print(f"Hidden tests for '{task}': {earned:g} of {total:g} points")
    print("\n".join(lines))
    return earned
