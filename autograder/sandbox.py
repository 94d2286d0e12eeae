"""Running a submission's code in an isolated worker process, and talking to it.

:class:`Sandbox` starts ``worker.py`` under bubblewrap (``bwrap``): a private root file system
holding only the Python installation, the virtual environment, a copy of ``course_lib`` made
for the sandbox (source files only, no bytecode; every module the assignment does not list in
``student_modules`` replaced by a stub) and a private working directory with the submission's
files; no network, its own process tree, no access to the repository, ``solutions/``,
``autograder/``, the gradebook or other submissions. Memory and processes are limited for the
sandbox as a whole (:mod:`autograder.limits`: a control group, or a watchdog), and per process
with ``setrlimit``; time limits are enforced both inside the worker (an alarm per cell or call)
and from outside (the judge kills the sandbox). Every sandbox removes its temporary folder and
control group when it closes, whatever happened.

When the judge runs as root, the worker drops to an unprivileged user id of its own (one per
parallel slot), so that the process limit applies to it. Without bubblewrap the worker runs
as a plain child process with the same limits but *no isolation*: :func:`isolation_warning`
says so, loudly.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import pickle
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder import wire
from autograder.limits import Group, Watchdog
from autograder.plain import StudentError, raised

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BWRAP = shutil.which("bwrap")
SETPRIV = shutil.which("setpriv")
FIRST_UID = 61000
MAX_USES = 200   # submissions graded in one sandbox, one after another, before it is replaced
_IDLE: dict = {}  # (student_modules, limits, slot) -> a sandbox between two submissions
_IDLE_LOCK = threading.Lock()
_OWN_FOLDERS: list[tuple[int, Path]] = []  # (pid of the maker, folder) to remove at its exit


def _temporary_folder(prefix: str) -> Path:
    """A temporary folder that the process making it removes at its exit (a process forked
    from it shares the folder and leaves it alone)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _OWN_FOLDERS.append((os.getpid(), folder))
    return folder


@atexit.register
def shutdown():
    """Close this process's idle sandboxes and remove the folders it made (at exit; a forked
    grading worker, which leaves without atexit, calls it itself)."""
    with _IDLE_LOCK:
        boxes = [box for box in _IDLE.values() if box.owner == os.getpid()]
        _IDLE.clear()
    for box in boxes:
        box.close()
    for pid, folder in list(_OWN_FOLDERS):
        if pid == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)
            _OWN_FOLDERS.remove((pid, folder))


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox."""

    cell_seconds: float = 10.0
    submission_seconds: float = 120.0
    memory_bytes: int = 2 * 2**30
    processes: int = 64
    file_bytes: int = 64 * 2**20
    start_seconds: float = 30.0


def _count_tasks(uid: int) -> int:
    """Threads of all processes of ``uid`` (what RLIMIT_NPROC counts); best effort."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            total += int(fields.get("Threads", "1").strip())
    return total


STUB = ("raise ImportError('course_lib.{name} is not available while grading: it is (or contains) a reference "
        "implementation of what the assignment asks; write your own code')\n")


@functools.cache
def library(student_modules: tuple[str, ...]) -> Path:
    """A copy of ``course_lib`` for sandboxes: ``.py`` sources only, and every module not in
    ``student_modules`` replaced by a stub that raises ImportError. Made once per grading process
    (removed at its exit; the workers it forks share it), so the judge's own bytecode never
    reaches a sandbox."""
    root = _temporary_folder("grader-lib-")
    package = root / "course_lib"
    package.mkdir()
    allowed = {m.removeprefix("course_lib.") for m in student_modules}
    for source in sorted((REPO / "course_lib").glob("*.py")):
        name = source.stem
        if name in ("__init__", "result", "_lazy_iri") or name in allowed:  # the package, what it imports
            shutil.copyfile(source, package / source.name)
        else:
            (package / source.name).write_text(STUB.format(name=name))
    for path in (root, package, *package.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def _empty(folder: Path) -> None:
    """Remove everything in ``folder`` (whatever permissions a submission gave its files)."""
    def retry(function, path, _):
        os.chmod(os.path.dirname(path), 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
        function(path)

    for entry in list(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, onerror=retry)
        else:
            entry.unlink()


_FONT_BUILD: list = []  # (folder, process) of the build started by build_font_cache


def build_font_cache() -> None:
    """Start building matplotlib's font list in the background (:func:`_font_cache` waits for it)."""
    if not _FONT_BUILD:
        folder = _temporary_folder("grader-mpl-")
        proc = subprocess.Popen([sys.executable, "-I", "-c", "import matplotlib.font_manager"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={"MPLCONFIGDIR": str(folder), "PATH": "/usr/bin:/bin"})
        _FONT_BUILD.append((folder, proc))


@functools.cache
def _font_cache() -> Path | None:
    """matplotlib's font list, built once per grading process (shared with the workers it forks)
    and copied into each sandbox."""
    build_font_cache()
    folder, proc = _FONT_BUILD[0]
    try:
        returncode = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    found = sorted(folder.glob("fontlist-*.json"))
    return found[0] if returncode == 0 and found else None


def isolation_warning() -> str | None:
    """A warning to print when submissions cannot be isolated, else None."""
    if BWRAP:
        return None
    return ("WARNING: bubblewrap (bwrap) is not installed: student code will run WITHOUT isolation, "
            "with your permissions (it can read and change solutions/, autograder/ and gradebook.db). "
            "Install it (Debian/Ubuntu: apt-get install bubblewrap) before grading a real class.")


def _call_arguments(obj) -> tuple[list, dict]:
    """``[args, kwargs]`` of a callback request, decoded and checked."""
    args, kwargs = wire.decode(obj)
    if type(args) is not list or type(kwargs) is not dict:
        raise wire.WireError("malformed callback arguments")
    return args, kwargs


class SandboxDied(StudentError):
    """The worker exited, was killed, or broke the protocol."""


class Sandbox:
    """One submission's sandbox. Use as a context manager; never reuse across students.

    Inside runs a *template* process (numpy, matplotlib and IPython imported and warmed up by
    the grader's own cells, no submission code); each *session* is a worker forked from it with pipes of its own (:mod:`worker`).
    :meth:`new_session` ends the current one (every process of it killed, ``/tmp`` and the
    working directory restored) and forks a fresh one, in milliseconds: a restart after a
    crash, and the hidden tests, each get an interpreter that has run nothing before.
    """

    def __init__(self, files: dict[str, bytes] | None = None, *, student_modules=(), limits: Limits = Limits(),
                 slot: int = 0):
        self.limits = limits
        self.slot = slot
        self.student_modules = tuple(student_modules)
        self._files = dict(files or {})
        self._root = Path(tempfile.mkdtemp(prefix="grader-"))
        self.workdir = self._root / "submission"
        self.workdir.mkdir()
        self.proc: subprocess.Popen | None = None
        self.deadline = time.monotonic() + limits.submission_seconds
        self.pid = None
        self._group = None
        self._ctrl: socket.socket | None = None
        self._oom_before = 0
        self.uses = 1
        self.owner = os.getpid()

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> "Sandbox":
        """Start the worker; on any failure, close everything and raise :class:`SandboxDied`."""
        try:
            self._start()
        except SandboxDied:
            self.close()
            raise
        except BaseException as err:  # not the student's doing, but the sandbox is gone all the same
            self.close()
            if isinstance(err, Exception):
                raise SandboxDied(f"the sandbox could not start ({type(err).__name__}: {err})", kind="Died") from None
            raise
        return self

    def _start(self) -> None:
        uid = FIRST_UID + self.slot if os.geteuid() == 0 and BWRAP else None
        mpl = self._root / "mpl"
        mpl.mkdir()
        cache = _font_cache()
        if cache is not None:  # matplotlib would spend ~0.3 s rebuilding it in every sandbox
            shutil.copy(cache, mpl / cache.name)
        if uid is not None:
            for path in (self.workdir, mpl, *mpl.iterdir()):
                os.chown(path, uid, uid)
        self._group = Group.create(self.limits.memory_bytes, self.limits.processes)
        argv = self._argv(uid)
        self._processes_of_this_user = 0 if uid is not None else _count_tasks(os.getuid())
        self._ctrl, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                argv + [str(theirs.fileno()), "/opt/course" if BWRAP else str(library(self.student_modules)),
                        "1" if BWRAP else "0"],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, preexec_fn=self._set_limits, start_new_session=True,
                cwd=self.workdir, env=self._env())
        finally:
            theirs.close()
        if self._group is None:
            self._group = Watchdog(self.limits.memory_bytes)
            self._group.watch(self.proc.pid)
        if self._control(None, self.limits.start_seconds).get("t") != "ready":
            raise SandboxDied("the sandbox did not start", kind="Died")
        self.add_files(self._files)
        self._fork()

    def _control(self, op: str | None, seconds: float = 10.0, fds=()) -> dict:
        """Send ``op`` to the template (None: send nothing) and return its answer. The template runs
        no submission code, so one that does not answer in time means the sandbox is broken."""
        try:
            if op is not None:
                socket.send_fds(self._ctrl, [json.dumps({"op": op}).encode()], list(fds))
            self._ctrl.settimeout(seconds)
            answer = json.loads(self._ctrl.recv(4096) or b"null")
            if type(answer) is not dict:
                raise ValueError("no answer")
            return answer
        except Exception:  # timeout, a closed socket, garbage
            self._hard_kill()
            raise SandboxDied("the sandbox stopped working (its template process did not answer)",
                              kind="Died") from None

    def _fork(self) -> None:
        """Start a session: a fresh worker, forked from the template, with pipes of its own."""
        r_in, w_in = os.pipe()      # judge -> worker
        r_out, w_out = os.pipe()    # worker -> judge
        self._w, self._r = w_in, r_out
        try:
            if self._control("fork", fds=(r_in, w_out)).get("t") != "forked":
                raise SandboxDied("the sandbox could not start a session", kind="Died")
        finally:
            os.close(r_in)
            os.close(w_out)
        self._oom_before = self._group.oom_kills() if self._group is not None else 0
        if self._receive(time.monotonic() + self.limits.start_seconds).get("t") != "ready":
            self.kill()
            raise SandboxDied("the sandbox could not start a session", kind="Died")

    def new_session(self) -> None:
        """End the current session (all its processes, its files in /tmp and the working
        directory) and start a fresh one holding the submission's files again."""
        if not self.template_alive:
            raise SandboxDied("the sandbox is not running", kind="Died")
        self._close_pipes()
        if self._control("reset").get("t") != "reset":
            raise SandboxDied("the sandbox could not be reset", kind="Died")
        _empty(self.workdir)
        self.add_files(self._files)
        self._fork()
    @property
    def limited_by(self) -> str:
        """``cgroup`` or ``watchdog``: what limits this sandbox's memory as a whole."""
        return getattr(self._group, "kind", "none")

    def _env(self) -> dict:
        env = {"HOME": "/submission" if BWRAP else str(self.workdir),
               "MPLCONFIGDIR": "/mplconfig" if BWRAP else str(self._root / "mpl"),
               "IPYTHONDIR": "/tmp/ipython" if BWRAP else str(self._root / "ipython"), "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
               "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        # the BLAS kernel and numpy's SIMD kernels the instructor chose apply inside too (the tests
        # grade under the machine's own and under generic ones)
        env.update({k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES") if k in os.environ})
        return env

    def _argv(self, uid: int | None) -> list[str]:
        """The command line, without the worker's arguments (pipe descriptors, library folder)."""
        python = Path(sys.executable)
        worker = [str(python), "-I", "/grader/worker.py" if BWRAP else str(HERE / "worker.py")]
        if not BWRAP:
            return worker
        args = [BWRAP, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try"]
        if uid is None:
            args.append("--unshare-user")
        # /tmp, /proc and /dev first: a later mount below /tmp (a checkout in /tmp) stays visible
        args += ["--perms", "1777", "--size", str(256 * 2**20), "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev",
                 "--perms", "1777", "--size", str(64 * 2**20), "--tmpfs", "/dev/shm"]
        for system in ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/alternatives"):
            if os.path.exists(system):
                args += ["--ro-bind", system, system]
        mounts = {Path(sys.base_prefix), Path(sys.prefix), python.parent.parent}
        for mount in sorted(mounts, key=lambda p: len(p.parts)):
            for parent in reversed(mount.parents):
                if str(parent) != "/":
                    args += ["--perms", "0755", "--dir", str(parent)]
            args += ["--ro-bind", str(mount), str(mount)]
        args += ["--perms", "0755", "--dir", "/opt", "--ro-bind", str(library(self.student_modules)), "/opt/course"]
        args += ["--perms", "0755", "--dir", "/grader",
                 "--ro-bind", str(HERE / "worker.py"), "/grader/worker.py",
                 "--ro-bind", str(HERE / "wire.py"), "/grader/wire.py",
                 "--bind", str(self.workdir), "/submission", "--chdir", "/submission",
                 "--bind", str(self._root / "mpl"), "/mplconfig", "--mqueue", "/dev/mqueue", "--clearenv"]
        for key, value in self._env().items():
            args += ["--setenv", key, value]
        if uid is not None:
            args += [SETPRIV or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--"]
        return args + worker

    def _set_limits(self):
        if isinstance(self._group, Group):
            self._group.enter()
        lim = self.limits
        resource.setrlimit(resource.RLIMIT_AS, (lim.memory_bytes, lim.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (lim.file_bytes, lim.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # The process limit counts every process of the user id. As root, the worker runs under
        # a user id of its own (see _argv); otherwise it shares the instructor's, so allow for
        # the processes the instructor already runs.
        extra = self._processes_of_this_user
        resource.setrlimit(resource.RLIMIT_NPROC, (lim.processes + extra, lim.processes + extra))

    def kill(self):
        """End the current session (the worker stops being reachable; :meth:`new_session` starts
        another); the sandbox itself stays up if its template answers."""
        self._close_pipes()
        if self.template_alive:
            try:
                self._control("reset", 5.0)
            except SandboxDied:
                pass

    def _close_pipes(self):
        for fd in ("_w", "_r"):
            if hasattr(self, fd):
                try:
                    os.close(getattr(self, fd))
                except OSError:
                    pass
                delattr(self, fd)

    def _hard_kill(self):
        """Stop every process of the sandbox, template included."""
        self._close_pipes()
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
        if isinstance(self._group, Group):
            self._group.kill()
        if self._ctrl is not None:
            self._ctrl.close()
            self._ctrl = None

    def close(self):
        try:
            self._hard_kill()
        finally:
            if self._group is not None:
                self._group.remove()
                self._group = None
            shutil.rmtree(self._root, ignore_errors=True)

    def __del__(self):  # a sandbox nobody closed (an exception in the judge) still goes away
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    @property
    def template_alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self._ctrl is not None

    @property
    def alive(self) -> bool:
        """Is a session running (a worker to talk to)?"""
        return self.template_alive and hasattr(self, "_r")

    # -- one sandbox for many submissions ------------------------------------------------
    @classmethod
    def take(cls, files: dict[str, bytes] | None, *, student_modules=(), limits: Limits = Limits(),
             slot: int = 0) -> "Sandbox":
        """A sandbox with a fresh session holding ``files``: the slot's sandbox of the previous
        submission, reset (:meth:`new_session`: every process killed, ``/tmp``, ``/dev/shm``, IPC
        objects and the working directory emptied), or a new one. Starting the template (Python,
        numpy, matplotlib, IPython) is what costs; a reset takes milliseconds. Reuse needs
        bubblewrap's namespaces (without them nothing can be reset with certainty)."""
        key = (tuple(student_modules), limits, slot)
        with _IDLE_LOCK:
            box = _IDLE.pop(key, None)
        if box is not None:
            try:
                box._files = dict(files or {})
                box.uses += 1
                box.deadline = time.monotonic() + limits.submission_seconds
                box.new_session()
                return box
            except SandboxDied:
                box.close()
        box = cls(files, student_modules=student_modules, limits=limits, slot=slot).start()
        box.deadline = time.monotonic() + limits.submission_seconds
        return box

    def give_back(self) -> None:
        """The submission is graded: keep this sandbox for the slot's next one, or close it."""
        self._close_pipes()
        if not BWRAP or not self.template_alive or self.uses >= MAX_USES:
            self.close()
            return
        key = (self.student_modules, self.limits, self.slot)
        with _IDLE_LOCK:
            previous, _IDLE[key] = _IDLE.get(key), self
        if previous is not None and previous is not self:
            previous.close()

    def add_files(self, files: dict[str, bytes]):
        uid = FIRST_UID + self.slot if os.geteuid() == 0 and BWRAP else None
        for name, data in files.items():
            path = self.workdir / name
            if path.resolve().parent != self.workdir.resolve():
                raise ValueError(f"submission file {name!r} is not a plain file name")
            path.write_bytes(data)
            if uid is not None:
                os.chown(path, uid, uid)

    # -- protocol -----------------------------------------------------------------------
    def _send(self, message):
        data = pickle.dumps(message)
        data = len(data).to_bytes(4, "big") + data
        try:
            while data:
                data = data[os.write(self._w, data):]
        except (BrokenPipeError, OSError, AttributeError):
            self.kill()
            raise SandboxDied("the submission's process has exited (it may have crashed or called exit)") from None

    def _read_exactly(self, n: int, deadline: float) -> bytes:
        chunks = []
        while n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                self.kill()
                raise SandboxDied("time limit exceeded: the code was stopped", kind="Timeout")
            chunk = os.read(self._r, min(n, 1 << 20))
            if not chunk:
                self.kill()
                raise SandboxDied(self._death(), kind="Died")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        if self._group is not None and self._group.oom_kills() > self._oom_before:
            return (f"the submission ran out of memory: its processes together used more than "
                    f"{self.limits.memory_bytes / 2**30:g} GiB and were stopped")
        return "the submission's process has exited (it may have crashed, run out of memory or called exit)"

    def _receive(self, deadline: float) -> dict:
        """The next reply; anything that cannot be read or decoded counts as a dead sandbox."""
        if not self.alive:
            raise SandboxDied("the submission's process is not running", kind="Died")
        size = int.from_bytes(self._read_exactly(4, deadline), "big")
        if size > wire.MAX_FRAME:
            self.kill()
            raise SandboxDied("the submission sent too much data", kind="Died")
        return self._decode(wire.loads, self._read_exactly(size, deadline))

    def _decode(self, decode, payload):
        """``decode(payload)``; any failure (malformed, too deep, too big) kills the sandbox."""
        try:
            return decode(payload)
        except Exception:  # RecursionError, MemoryError, ValueError, WireError, ...: never the judge's problem
            self.kill()
            raise SandboxDied("the submission broke the grading protocol", kind="Died") from None

    def _deadline(self, seconds: float) -> float:
        return min(time.monotonic() + seconds + 1.0, self.deadline)

    def exec_cell(self, cell_id: str, source: str, seconds: float | None = None, number: int | None = None,
                  quiet: bool = False) -> dict:
        """Run a cell; return {'ok', 'error', 'outputs'} (error: ename, evalue, traceback; outputs in
        notebook format, *unchecked*: the judge validates them, see :mod:`autograder.judge`).
        ``quiet``: a replay, whose outputs nobody reads (no figures drawn)."""
        seconds = self.limits.cell_seconds if seconds is None else seconds
        self._send(("exec", cell_id, source, seconds, number, quiet))
        reply = self._receive(self._deadline(seconds))
        if reply.get("t") != "done":
            self.kill()
            raise SandboxDied("the submission broke the grading protocol", kind="Died")
        return reply

    def describe(self, name: str, seconds: float = 5.0) -> dict:
        self._send(("describe", name))
        reply = self._receive(self._deadline(seconds))
        if reply.get("kind") == "value":
            reply["value"] = self._decode(wire.decode, reply.get("value"))
        return reply

    def bind(self, names: dict, seconds: float = 5.0) -> None:
        """Define names in the submission's namespace: ``{name: ("value", data) | ("module", name)
        | ("ref", other name)}`` (what a test cell defines, in Jupyter, for the cells after it)."""
        self._send(("bind", names))
        if self._receive(self._deadline(seconds)).get("t") != "bound":
            self.kill()
            raise SandboxDied("the submission broke the grading protocol", kind="Died")

    def call(self, name: str, args: tuple, kwargs: dict, seconds: float | None = None, keep_arguments: bool = False):
        """Call the submission's ``name`` on plain arguments; return its result as plain data.

        Callables among the arguments stay in the judge: the worker calls back for them. With
        ``keep_arguments``, return ``(result, args, kwargs)`` with the arguments as the call left
        them (callables as None), so that a test can tell whether an input was changed in place.
        """
        seconds = self.limits.cell_seconds if seconds is None else seconds
        callbacks: dict[int, object] = {}
        packed = ([self._pack(a, callbacks) for a in args], {k: self._pack(v, callbacks) for k, v in kwargs.items()})
        self._send(("call", name, packed[0], packed[1], seconds, keep_arguments))
        deadline = self._deadline(seconds)
        while True:
            reply = self._receive(deadline)
            kind = reply.get("t")
            if kind == "result":
                value = self._decode(wire.decode, reply.get("value"))
                if not keep_arguments:
                    return value
                after = self._decode(wire.decode, reply.get("arguments"))
                if type(after) is not list or len(after) != 2 or type(after[1]) is not dict:
                    raise StudentError(f"the arguments of `{name}` became something other than plain data")
                return value, tuple(after[0]), after[1]
            if kind == "error":
                raise raised(name, reply.get("classes") or [str(reply.get("ename"))], str(reply.get("evalue"))[:2000])
            if kind == "callback" and reply.get("handle") in callbacks:
                cargs, ckwargs = self._decode(_call_arguments, reply.get("args"))
                try:
                    result = callbacks[reply["handle"]](*cargs, **ckwargs)
                    self._send(("return", result))
                except Exception as exc:  # the callable we lent raised: tell the worker
                    self._send(("raise", f"{type(exc).__name__}: {exc}"))
                continue
            self.kill()
            raise SandboxDied("the submission broke the grading protocol", kind="Died")

    def _pack(self, value, callbacks):
        from autograder.proxy import RemoteFunction

        if isinstance(value, RemoteFunction) and value.sandbox is self:
            return ("ref", value.name)
        if callable(value):
            handle = len(callbacks)
            callbacks[handle] = value
            return ("callback", handle)
        if type(value) is list:
            return ("list", [self._pack(v, callbacks) for v in value])
        if type(value) is tuple:
            return ("tuple", [self._pack(v, callbacks) for v in value])
        return ("value", value)
