"""The sandbox, the wire format and the proxies, one piece at a time."""

from __future__ import annotations

import json

import numpy as np
import pytest

from autograder import sandbox as sandbox_module
from autograder import wire
from autograder.plain import StudentError
from autograder.proxy import bind_names, free_names
from autograder.sandbox import Limits, Sandbox


@pytest.mark.parametrize("value", [None, True, 3, -2.5, float("nan"), float("inf"), "text", [1, 2.0, "a"],
                                   (1, (2, 3)), {"a": np.arange(3)}, np.eye(3), np.array([True, False]),
                                   np.arange(6, dtype=np.int32).reshape(2, 3), np.float32(1.5), np.array(2.5),
                                   np.eye(3)[:, 1], np.zeros((0, 3))])
def test_plain_data_round_trips(value):
    """Does every kind of plain data cross the wire unchanged?"""
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    elif isinstance(value, dict):
        assert np.array_equal(back["a"], value["a"])
    elif isinstance(value, float) and np.isnan(value):
        assert np.isnan(back)
    else:
        assert back == value and type(back) is type(value if not isinstance(value, np.floating) else 1.0)


@pytest.mark.parametrize("message", [{"__nd__": ["O8", [1], ""]}, {"__nd__": ["f8", [2], "AAAA"]},
                                     {"__object__": "x"}, {"a": 1, "b": 2}, {"__float__": "one"}])
def test_decode_rejects_anything_else(message):
    """Does the judge refuse objects, wrong shapes and unknown tags from a worker?"""
    with pytest.raises(wire.WireError):
        wire.decode(message)


def test_encode_refuses_objects():
    """Is an object (say, with a lying __eq__) refused where it is produced?"""
    class Liar:
        def __eq__(self, other):
            return True

    with pytest.raises(TypeError):
        wire.encode(Liar())
    with pytest.raises(TypeError):
        wire.encode(np.array([Liar()], dtype=object))


def test_free_names_are_what_a_test_cell_reads():
    """Does the judge ask the sandbox only for the names a cell reads and does not define?"""
    src = "import numpy as np\nA = np.eye(2)\nassert f(A, lambda x: A @ x) == g\nprint(len(h))"
    assert free_names(src) == {"f", "g", "h"}


@pytest.fixture
def box():
    with Sandbox(limits=Limits(cell_seconds=3)) as b:
        yield b


def test_sandbox_runs_cells_and_calls_back(box):
    """Can the judge run a cell, call a student function with a callback, and get plain data?"""
    reply = box.exec_cell("a", "import numpy as np\ndef f(g, x):\n    return g(x) * 2\nprint('hi')")
    assert reply["ok"] and reply["stdout"] == "hi\n"
    assert np.array_equal(box.call("f", (lambda x: x + 1, np.arange(3)), {}), [2, 4, 6])
    ns = bind_names(box, "assert f(lambda x: x, 1.5) == 3.0\nnp.zeros(1)")
    assert ns["np"] is np and ns["f"](lambda x: x, 1.5) == 3.0


def test_sandbox_reports_errors_timeouts_and_death(box):
    """Do exceptions, time-outs and os._exit come back as clear, typed errors?"""
    box.exec_cell("a", "def boom(x):\n    raise ValueError('nope')\ndef spin():\n    while True:\n        pass")
    with pytest.raises(StudentError, match="raised ValueError: nope") as err:
        box.call("boom", (1,), {})
    assert err.value.kind == "ValueError"
    with pytest.raises(StudentError, match="raised CellTimeout"):
        box.call("spin", (), {}, seconds=1)
    with pytest.raises(sandbox_module.SandboxDied, match="has exited") as err:
        box.exec_cell("b", "import os\nos._exit(3)")
    assert err.value.kind == "Died" and not box.alive


def test_sandbox_hides_the_course_and_the_network():
    """Is the repository (but course_lib) invisible, and the network down, inside the sandbox?"""
    if sandbox_module.BWRAP is None:
        pytest.skip("bubblewrap is not installed")
    with Sandbox(hidden_modules=["course_lib.newton"]) as box:
        src = ("import os, socket\nfrom pathlib import Path\nrepo = Path(" + repr(str(sandbox_module.REPO)) + ")\n"
               "seen = sorted(p.name for p in repo.iterdir())\n"
               "try:\n    import course_lib.newton\n    ref = 'imported'\nexcept ImportError as e:\n    ref = 'hidden'\n"
               "import course_lib.problems\n"
               "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n    net = 'up'\n"
               "except OSError:\n    net = 'down'\n")
        assert box.exec_cell("a", src)["ok"]
        assert set(box.describe("seen")["value"]) <= {"course_lib", ".venv"}  # the environment, read-only
        assert box.describe("ref")["value"] == "hidden"
        assert box.describe("net")["value"] == "down"


def test_without_bubblewrap_grading_still_works_and_warns(monkeypatch):
    """Without bwrap, does a sandbox still run (with limits) while the grader warns loudly?"""
    monkeypatch.setattr(sandbox_module, "BWRAP", None)
    assert "WITHOUT isolation" in sandbox_module.isolation_warning()
    with Sandbox() as box:
        box.exec_cell("a", "def f(x):\n    return x + 1")
        assert box.call("f", (1,), {}) == 2


def test_a_test_can_see_whether_an_input_was_changed_in_place(box):
    """Can a hidden test tell that a student's function modified its argument (08's H)? In the
    sandbox and in stock nbgrader's kernel alike."""
    from autograder.plain import Submission
    from autograder.proxy import bind_names

    box.exec_cell("a", "def bad(H, s):\n    H += 1\n    return H\ndef good(H, s):\n    return H + 1")
    H = np.eye(2)
    for name, changed in (("bad", True), ("good", False)):
        result, args, kwargs = box.call(name, (H, 1.0), {}, keep_arguments=True)
        assert np.array_equal(result, H + 1) and kwargs == {}
        assert np.array_equal(args[0], H + 1) == changed and args[1] == 1.0
    judged = Submission(bind_names(box, "bad(1, 2)"))
    assert np.array_equal(judged.keeping_arguments("bad")(H, 0.0)[1][0], H + 1)
    local = {}
    exec("def bad(H, s):\n    H += 1\n    return H", local)
    assert np.array_equal(Submission(local).keeping_arguments("bad")(H, 0.0)[1][0], H + 1)
    assert np.array_equal(H, np.eye(2)), "the test's own array is never touched"
