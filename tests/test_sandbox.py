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
    assert reply["ok"] and reply["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
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
    """Is the repository invisible inside the sandbox (course_lib only as the copy the
    assignment allows, without bytecode), and the network down?"""
    if sandbox_module.BWRAP is None:
        pytest.skip("bubblewrap is not installed")
    import course_lib.newton  # noqa: F401  (the judge has compiled it: its bytecode must stay outside)

    with Sandbox(student_modules=["course_lib.problems"]) as box:
        src = ("import os, socket, sys, glob\nfrom pathlib import Path\nrepo = Path(" + repr(str(sandbox_module.REPO)) + ")\n"
               "seen = sorted(p.name for p in repo.iterdir()) if repo.exists() else []\n"
               "try:\n    import course_lib.newton\n    ref = 'imported'\nexcept ImportError as e:\n    ref = str(e)\n"
               "import course_lib.problems\nwhere = course_lib.problems.__file__\n"
               "pyc = [p for d in sys.path if os.path.isdir(d) for p in glob.glob(d + '/**/newton*.pyc', recursive=True)]\n"
               "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n    net = 'up'\n"
               "except OSError:\n    net = 'down'\n")
        assert box.exec_cell("a", src)["ok"]
        assert set(box.describe("seen")["value"]) <= {".venv"}  # at most the environment, read-only
        assert "not available while grading" in box.describe("ref")["value"]
        assert box.describe("where")["value"].startswith("/opt/course/")
        assert box.describe("pyc")["value"] == []
        assert box.describe("net")["value"] == "down"


def test_the_library_copy_holds_sources_only():
    """Does the sandbox's course_lib hold no bytecode, and stubs for every module not allowed?"""
    root = sandbox_module.library(("course_lib.problems",))
    names = {p.name for p in (root / "course_lib").iterdir()}
    assert "__pycache__" not in names and all(n.endswith(".py") for n in names)
    assert "def " in (root / "course_lib" / "problems.py").read_text()
    for hidden in ("newton.py", "optim.py", "autodiff.py", "quasi_newton.py"):
        assert (root / "course_lib" / hidden).read_text().startswith("raise ImportError")


def test_a_reply_that_cannot_be_decoded_is_a_dead_sandbox(box):
    """Does a reply nested too deeply for the judge's JSON parser count as a dead sandbox (not
    a RecursionError that ends the run)?"""
    box.exec_cell("a", "import os, sys, wire\n"
                       "def f():\n    data = b'[' * 200000 + b']' * 200000\n"
                       "    os.write(get_ipython().worker.channel.fd_out, len(data).to_bytes(4, 'big') + data)\n    os._exit(0)")
    with pytest.raises(sandbox_module.SandboxDied, match="protocol|exited"):
        box.call("f", (), {})
    assert not box.alive


def test_every_temporary_folder_is_removed(tmp_path, monkeypatch):
    """Are a sandbox's folders removed after a normal close, a crash and a failed start?"""
    import tempfile

    sandbox_module.library(())
    sandbox_module._font_cache()  # made once per grading process, removed at its exit
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def folders():
        return set(tmp_path.iterdir())

    before = folders()
    with Sandbox() as box, pytest.raises(sandbox_module.SandboxDied):
        box.exec_cell("a", "import os\nos._exit(1)")
    broken = Sandbox(limits=Limits(start_seconds=0.001))
    with pytest.raises(sandbox_module.SandboxDied):
        broken.start()
    assert folders() == before


@pytest.mark.parametrize("mechanism", ["cgroup", "watchdog"])
def test_memory_is_limited_for_the_sandbox_as_a_whole(mechanism, monkeypatch):
    """Can three processes of one sandbox together hold more than its memory limit? (No: with a
    600 MiB limit, three children touching 250 MiB each are stopped, by a control group or, on a
    machine without one, by the watchdog.)"""
    from autograder.limits import Group

    if mechanism == "watchdog":
        monkeypatch.setattr(Group, "create", classmethod(lambda cls, *a: None))
    else:
        group = Group.create(2**30, 64)
        if group is None:
            pytest.skip("no writable cgroup on this machine")
        group.remove()
    limits = Limits(memory_bytes=600 * 2**20, cell_seconds=20, submission_seconds=60)
    with Sandbox(limits=limits) as box:
        src = ("import os, time\npids = []\nfor i in range(3):\n    pid = os.fork()\n    if pid == 0:\n"
               "        block = bytearray(250 * 2**20)\n        block[::4096] = b'x' * len(block[::4096])\n"
               "        time.sleep(3)\n        os._exit(0)\n    pids.append(pid)\n"
               "codes = [os.waitpid(p, 0)[1] for p in pids]\n")
        try:
            reply = box.exec_cell("a", src, seconds=20)
            codes = box.describe("codes").get("value")
            survived = reply["ok"] and codes == [0, 0, 0]
        except sandbox_module.SandboxDied:
            survived = False
        assert box.limited_by == mechanism
        assert not survived, f"750 MiB held under a 600 MiB limit ({box.limited_by})"


def test_processes_are_limited_for_the_sandbox_as_a_whole():
    """Can a sandbox start more processes than its limit? (No: with 16 allowed, forking 40 fails.)"""
    with Sandbox(limits=Limits(processes=16, cell_seconds=20)) as box:
        src = ("import os, time\nstarted = 0\ntry:\n    for i in range(40):\n        if os.fork() == 0:\n"
               "            time.sleep(2)\n            os._exit(0)\n        started += 1\nexcept OSError:\n    pass\n")
        assert box.exec_cell("a", src, seconds=20)["ok"]
        assert box.describe("started")["value"] < 16


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


def test_a_reused_sandbox_holds_nothing_of_the_previous_submission():
    """When the next submission reuses a sandbox, is everything of the previous one gone:
    processes (even detached ones), files in /tmp, /dev/shm and the working directory, System V
    IPC objects? (Reuse saves starting Python; it must not let one student touch another.)"""
    if sandbox_module.BWRAP is None:
        pytest.skip("bubblewrap is not installed")
    first = Sandbox.take({"data.txt": b"first"})
    src = ("import os, ctypes, subprocess, time\n"
           "for path in ('/dev/shm/x', '/tmp/x', '/mplconfig/x', 'mine.txt'):\n    open(path, 'w').write('1')\n"
           "libc = ctypes.CDLL(None)\nassert libc.shmget(1234, 4096, 0o1666) >= 0 and libc.msgget(99, 0o1666) >= 0\n"
           "os.makedirs('/tmp/d/e')\nos.chmod('/tmp/d', 0o500)\n"
           "subprocess.Popen(['sleep', '100'], start_new_session=True)\n"
           "if os.fork() == 0:\n    os.setsid()\n    time.sleep(100)\n    os._exit(0)\n")
    assert first.exec_cell("a", src)["ok"]
    first.give_back()
    second = Sandbox.take({"data.txt": b"second"})
    try:
        assert second is first
        src = ("import os\nleft = [os.listdir(d) for d in ('/dev/shm', '/tmp', '/mplconfig')]\n"
               "here = sorted(os.listdir('.'))\ndata = open('data.txt').read()\n"
               "ipc = [len(open('/proc/sysvipc/' + k).read().splitlines()) - 1 for k in ('shm', 'msg', 'sem')]\n"
               "procs = len([p for p in os.listdir('/proc') if p.isdigit()])\n")
        assert second.exec_cell("b", src)["ok"]
        value = lambda name: second.describe(name)["value"]  # noqa: E731
        assert value("left") == [[], [], []] and value("here") == ["data.txt"] and value("data") == "second"
        assert value("ipc") == [0, 0, 0]
        assert value("procs") == 3, "only the sandbox's init, its template and this worker should run"
    finally:
        second.close()
