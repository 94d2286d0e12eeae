"""The processes that run a submission's code, inside the sandbox.

Started by :mod:`autograder.sandbox` as ``python -I /grader/worker.py CTRL_FD LIBDIR ISOLATED``
(``LIBDIR`` holds the copy of ``course_lib`` the submission may import). The first process is a
*template*: it imports numpy, matplotlib and IPython, runs the grader's own warm-up cells (a
figure, a traceback: :func:`warm_up`), then never runs submission code. For each
session (the notebook, a restart after a crash, the hidden tests) the judge sends it a pair of
pipes over the control socket and the template forks a worker that serves them; before a new
session, every other process of the sandbox is killed and ``/tmp`` emptied, so each session
starts as a fresh interpreter would, without paying for the imports again.

A worker runs cells in an IPython shell, as in Jupyter: magics (``%matplotlib inline``,
``%%time``, ``%timeit``), ``display``, ``obj?``, the inline matplotlib backend (figures are
shown at the end of a cell). Shell escapes (``!cmd``) are not run: they print a note instead.
Requests, one at a time:

``("exec", cell_id, source, seconds, number)``
    run a cell (numbered ``number``, as Jupyter's ``In [number]``) in the submission's
    namespace; reply with its status, its outputs (streams, displays, the cell's value, the
    error) in notebook format
``("describe", name)``
    what ``name`` is in the namespace: a callable, a module, plain data, missing, other
``("call", name, args, kwargs, seconds, keep)``
    call the submission's function; arguments come as plain data, references to names in the
    namespace, or callbacks into the judge; reply with the result as plain data
``("bind", {name: (kind, payload)})``
    define names, as a test cell does in Jupyter: plain data, a module, or another name

Requests are pickled by the judge (trusted); replies are JSON built by :mod:`wire`, which the
judge decodes strictly. Nothing a worker sends is trusted by the judge: the student's code runs
in it and could change any of it, so every check that matters (and every size limit on what
reaches a notebook) happens in the judge; the limits here only keep honest replies small.
"""

import base64
import ctypes
import gc
import importlib
import io
import json
import os
import pickle
import shutil
import signal
import socket
import struct
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
if len(sys.argv) > 2:
    sys.path.insert(1, sys.argv[2])  # the course_lib the submission may import

import numpy  # noqa: E402,F401  (warm: the submission will import it)
import matplotlib  # noqa: E402

matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.displayhook import DisplayHook  # noqa: E402
from IPython.core.displaypub import DisplayPublisher  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.text import SList  # noqa: E402
from traitlets.config import Config  # noqa: E402

import wire  # noqa: E402

MAX_OUTPUT = 20_000          # characters of text per cell
MAX_IMAGE = 400_000          # characters of base64 per image
MIME_TYPES = ("text/plain", "image/png")


class CellTimeout(BaseException):
    """Raised in the submission's code when a cell or call exceeds its time."""


def _on_alarm(signum, frame):
    raise CellTimeout("the time limit was exceeded")


class Channel:
    def __init__(self, fd_in, fd_out):
        self.fd_in, self.fd_out = fd_in, fd_out

    def _read(self, n):
        chunks = []
        while n:
            chunk = os.read(self.fd_in, n)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def recv(self):
        (size,) = struct.unpack(">I", self._read(4))
        return pickle.loads(self._read(size))

    def send(self, message):
        data = wire.frame(wire.dumps(message))
        while data:
            data = data[os.write(self.fd_out, data):]


class Outputs:
    """The outputs of one cell, in order, in notebook format (text capped at MAX_OUTPUT)."""

    def __init__(self):
        self.items, self.chars = [], 0

    def _room(self, text):
        text, room = str(text), max(0, MAX_OUTPUT - self.chars)
        if len(text) > room:
            text = text[:room] + ("" if self.chars > MAX_OUTPUT else "\n[... output truncated by the grader]\n")
            self.chars = MAX_OUTPUT + 1
        else:
            self.chars += len(text)
        return text

    def stream(self, name, text):
        text = self._room(text)
        if not text:
            return
        if self.items and self.items[-1].get("output_type") == "stream" and self.items[-1]["name"] == name:
            self.items[-1]["text"] += text
        else:
            self.items.append({"output_type": "stream", "name": name, "text": text})

    def data(self, output_type, data):
        kept = {}
        for mime in MIME_TYPES:
            value = data.get(mime)
            if isinstance(value, bytes):
                value = base64.b64encode(value).decode("ascii")
            if isinstance(value, str) and (mime != "image/png" or len(value) <= MAX_IMAGE):
                kept[mime] = self._room(value) if mime == "text/plain" else value
        if kept:
            self.items.append({"output_type": output_type, "data": kept})


class Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` of the submission, written into the cell's outputs."""

    encoding = "utf-8"

    def __init__(self, name, worker):
        self.name, self.worker = name, worker

    def writable(self):
        return True

    def write(self, s):
        self.worker.outputs.stream(self.name, s)
        return len(s)


class Publisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        self.shell.worker.outputs.data("display_data", data)

    def clear_output(self, wait=False):
        pass


class Hook(DisplayHook):
    """The value of a cell's last expression becomes its ``execute_result``, as in Jupyter."""

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell.worker.outputs.data("execute_result", format_dict)

    def finish_displayhook(self):
        self._is_active = False


class Shell(InteractiveShell):
    """IPython as a Jupyter kernel runs it, without the kernel."""

    worker = None

    def enable_gui(self, gui=None):  # %matplotlib inline needs no event loop
        pass

    def ask_exit(self):  # exit() and quit(): end the cell, as an exception would
        raise SystemExit("exit() was called")

    def system(self, cmd):
        print(f"note: shell commands are not run while grading; `!{cmd}` was skipped", file=sys.stderr)

    def getoutput(self, cmd, split=True, depth=0):
        self.system(cmd)
        return SList()

    def showtraceback(self, exc_tuple=None, *args, **kwargs):
        if self.worker is not None and self.worker.quiet:   # a replay's error: nobody reads its traceback
            etype, evalue, _ = self._get_exc_info(exc_tuple)
            self.worker.error = {"ename": getattr(etype, "__name__", "Error"), "evalue": str(evalue)[:2000],
                                 "traceback": ""}
            return
        super().showtraceback(exc_tuple, *args, **kwargs)

    def _showtraceback(self, etype, evalue, stb):
        self.worker.error = {"ename": getattr(etype, "__name__", "Error"), "evalue": str(evalue)[:2000],
                             "traceback": "\n".join(stb)[-8000:]}


def _error(err):
    tb = traceback.TracebackException.from_exception(err)
    # keep only the submission's frames
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if not f.filename.endswith("worker.py")])
    lines = list(tb.format())
    return {"ename": type(err).__name__, "evalue": str(err)[:2000], "traceback": "".join(lines)[-8000:],
            "classes": [c.__name__ for c in type(err).__mro__]}


def make_shell():
    """The IPython shell (made once, in the template; each worker gets a fresh copy by fork)."""
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Context"
    shell = Shell.instance(config=config, display_pub_class=Publisher, displayhook_class=Hook)
    shell.display_formatter.active_types = list(MIME_TYPES)
    shell.enable_matplotlib("inline")
    # figures as Jupyter shows them, drawn once (bbox_inches="tight" would draw each twice)
    from matplotlib_inline.backend_inline import InlineBackend

    InlineBackend.instance().print_figure_kwargs = {"bbox_inches": None}

    shell.user_ns["__name__"] = "__main__"
    return shell


class Worker:
    def __init__(self, channel, shell):
        self.channel = channel
        self.outputs = Outputs()
        self.error = None
        self.quiet = False          # replaying a cell (see exec_cell)
        self.shell = shell
        self.shell.worker = self
        self.ns = self.shell.user_ns
        signal.signal(signal.SIGALRM, _on_alarm)

    def serve(self):
        self.channel.send({"t": "ready", "pid": os.getpid()})
        while True:
            try:
                request = self.channel.recv()
            except EOFError:
                return
            op = request[0]
            if op == "exec":
                self.channel.send(self.exec_cell(*request[1:]))
            elif op == "describe":
                self.channel.send(self.describe(request[1]))
            elif op == "call":
                self.channel.send(self.call(*request[1:]))
            elif op == "bind":
                self.channel.send(self.bind(request[1]))
            elif op == "bye":
                return

    def _run(self, fn, seconds):
        self.outputs, self.error = Outputs(), None
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = Stream("stdout", self), Stream("stderr", self)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            value = fn()
            status = None
        except BaseException as exc:  # everything the submission raises is reported
            value, status = None, _error(exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
        return value, status

    def exec_cell(self, cell_id, source, seconds, number=None, quiet=False):
        """Run a cell. ``quiet`` (a replay, whose outputs nobody reads): no figures drawn, no
        displays kept, an error's name and message kept without its traceback."""
        if number is not None:
            self.shell.execution_count = number

        def run():
            result = self.shell.run_cell(source, store_history=False, silent=quiet)
            if not result.success and self.error is None:
                failure = result.error_before_exec or result.error_in_exec
                self.error = _error(failure) if failure is not None else {"ename": "Error", "evalue": "",
                                                                         "traceback": ""}

        flush = [f for f in self.shell.events.callbacks["post_execute"] if f.__name__ == "flush_figures"]
        formats = self.shell.display_formatter.active_types
        if quiet:  # nothing formatted (plt.show() would draw a PNG, an error its traceback), nothing flushed
            self.shell.display_formatter.active_types = []
            for callback in flush:
                self.shell.events.unregister("post_execute", callback)
        self.quiet = quiet
        try:
            _, error = self._run(run, seconds)
        finally:
            self.quiet = False
            if quiet:
                self.shell.display_formatter.active_types = formats
                for callback in flush:
                    self.shell.events.register("post_execute", callback)
        error = error or self.error
        plt.close("all")
        if quiet:
            return {"t": "done", "ok": error is None, "error": error, "outputs": []}
        return {"t": "done", "ok": error is None, "error": error, "outputs": self.outputs.items}

    def describe(self, name):
        if name not in self.ns:
            return {"t": "describe", "kind": "missing"}
        obj = self.ns[name]
        if type(obj).__name__ == "module":
            return {"t": "describe", "kind": "module", "module": getattr(obj, "__name__", "")}
        if callable(obj):
            return {"t": "describe", "kind": "callable"}
        try:
            return {"t": "describe", "kind": "value", "value": wire.encode(obj)}
        except TypeError:
            return {"t": "describe", "kind": "other", "type": type(obj).__name__}

    def bind(self, names):
        for name, (kind, payload) in names.items():
            try:
                if kind == "value":
                    self.ns[name] = payload
                elif kind == "module":
                    self.ns[name] = importlib.import_module(payload)
                elif kind == "ref" and payload in self.ns:
                    self.ns[name] = self.ns[payload]
            except Exception:  # a name that cannot be bound stays undefined, as after a failed cell
                pass
        return {"t": "bound"}

    def _argument(self, arg):
        kind, payload = arg
        if kind == "value":
            return payload
        if kind == "ref":
            return self.ns[payload]
        if kind == "callback":
            return self._callback(payload)
        if kind == "list":
            return [self._argument(a) for a in payload]
        if kind == "tuple":
            return tuple(self._argument(a) for a in payload)
        raise ValueError(f"unknown argument kind {kind}")

    def _callback(self, handle):
        channel = self.channel

        def callback(*args, **kwargs):
            try:
                encoded = wire.encode([list(args), kwargs])
            except TypeError as exc:
                raise TypeError(f"a function given to you was called with {exc}; pass numbers or arrays") from None
            channel.send({"t": "callback", "handle": handle, "args": encoded})
            reply = channel.recv()
            if reply[0] == "return":
                return reply[1]
            raise RuntimeError(reply[1])

        return callback

    def call(self, name, args, kwargs, seconds, keep=False):
        fn = self.ns.get(name)
        if not callable(fn):
            return {"t": "error", "ename": "NameError", "evalue": f"{name} is not a function", "traceback": ""}
        args = [self._argument(a) for a in args]
        kwargs = {k: self._argument(a) for k, a in kwargs.items()}
        value, error = self._run(lambda: fn(*args, **kwargs), seconds)
        plt.close("all")
        if error is not None:
            return {"t": "error", **error}
        try:
            reply = {"t": "result", "value": wire.encode(value)}
        except TypeError as exc:
            return {"t": "error", "ename": "TypeError", "evalue": f"returned {exc}; expected numbers, strings or arrays",
                    "traceback": ""}
        if keep:  # the arguments as the call left them (did it change an input in place?)
            try:
                reply["arguments"] = wire.encode([[a if not callable(a) else None for a in args],
                                                  {k: v if not callable(v) else None for k, v in kwargs.items()}])
            except TypeError:
                reply["arguments"] = None
        return reply


# -- the template ------------------------------------------------------------------------
WARM_UP = """\
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.semilogy([1.0, 10.0, 100.0], label="warm-up")
ax.set_title("$x^2$")
ax.legend()
plt.show()
"""
WARM_UP_ERROR = """\
def warm_up():
    raise NotImplementedError("warm-up")


warm_up()
"""


class _Discard:
    def send(self, message):
        pass


def warm_up(shell):
    """Run, once in the template, what every session would otherwise do for the first time
    itself (IPython's first cell and first traceback: its imports, the module index of
    ``inspect``; matplotlib's first figure: fonts, mathtext, the PNG encoder), then freeze the template's objects out of the garbage collector, so that a worker's
    collections never walk (and copy) the memory it shares with the template. The grader's
    own fixed cell, no submission code; the namespace and pyplot are left as they were."""
    names = dict(shell.user_ns)
    last = shell.last_execution_succeeded, shell.last_execution_result
    try:  # a failure here only leaves the work to each session, as without a warm-up
        worker = Worker(_Discard(), shell)
        worker.exec_cell("warm-up", WARM_UP, 30.0)
        worker.exec_cell("warm-up", WARM_UP_ERROR, 30.0)
    finally:
        shell.worker = None
        shell.user_ns.clear()
        shell.user_ns.update(names)
        shell.last_execution_succeeded, shell.last_execution_result = last
        for name in ("last_type", "last_value", "last_traceback", "last_exc"):  # the warm-up's exception
            if hasattr(sys, name):
                delattr(sys, name)
        if getattr(shell.InteractiveTB, "tb", None) is not None:
            shell.InteractiveTB.tb = None
        plt.close("all")
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    gc.collect()
    gc.freeze()


def _kill_others(isolated, child):
    """Stop every process of the sandbox but this one (outside a sandbox: the session's group)."""
    if isolated:
        try:
            os.kill(-1, signal.SIGKILL)  # on Linux, every process we may signal except ourselves
        except ProcessLookupError:
            pass
    elif child:
        try:
            os.killpg(child, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:  # until they are gone (and no longer count against pids.max)
        try:
            while os.waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            pass
        if not isolated or not [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]:
            return True
        time.sleep(0.005)
    return False  # something survived: this sandbox must not be used again


def _remove_ipc_objects():
    """Remove the System V shared memory, message queues and semaphores of the sandbox's IPC
    namespace (they outlive the processes that made them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind, remove in (("shm", lambda i: libc.shmctl(i, 0, None)), ("msg", lambda i: libc.msgctl(i, 0, None)),
                         ("sem", lambda i: libc.semctl(i, 0, 0))):
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                ids = [int(line.split()[1]) for line in fh.read().splitlines()[1:] if line.split()]
        except (OSError, ValueError, IndexError):
            continue
        for ident in ids:
            remove(ident)  # IPC_RMID


def _fork_retrying():
    """os.fork(), retried for a while: processes just killed may still count against the limit."""
    deadline = time.monotonic() + 5.0
    while True:
        try:
            return os.fork()
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _empty(folder):
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, onerror=lambda f, p, e: (os.chmod(os.path.dirname(p), 0o700), f(p)))
        else:
            os.unlink(path)


def template(ctrl_fd, isolated):
    """Fork a fresh worker for each session the judge asks for; run no submission code here."""
    try:  # not dumpable: a worker (same user) cannot ptrace this process or read its memory
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
    except Exception:
        pass
    shell = make_shell()
    warm_up(shell)
    ctrl = socket.socket(fileno=ctrl_fd)
    ctrl.send(json.dumps({"t": "ready", "pid": os.getpid()}).encode())
    child = None
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(ctrl, 4096, 2)
        except OSError:
            return
        if not message:
            return
        op = json.loads(message).get("op")
        if op == "fork" and len(fds) == 2:
            try:
                child = _fork_retrying()
            except OSError:
                for fd in fds:
                    os.close(fd)
                ctrl.send(json.dumps({"t": "error"}).encode())
                continue
            if child == 0:
                ctrl.close()
                if not isolated:
                    os.setpgid(0, 0)
                try:
                    Worker(Channel(*fds), shell).serve()
                finally:
                    os._exit(0)
            for fd in fds:
                os.close(fd)
            ctrl.send(json.dumps({"t": "forked"}).encode())
        elif op == "reset":  # end the session: nothing of it may survive into the next one
            clean = _kill_others(isolated, child)
            child = None
            if isolated:
                for folder in ("/tmp", "/dev/shm", "/dev/mqueue", "/mplconfig"):  # the template has read /mplconfig
                    if os.path.isdir(folder):
                        _empty(folder)
                _remove_ipc_objects()
            ctrl.send(json.dumps({"t": "reset" if clean else "unclean"}).encode())
        else:
            for fd in fds:
                os.close(fd)
            ctrl.send(json.dumps({"t": "error"}).encode())


if __name__ == "__main__":
    template(int(sys.argv[1]), sys.argv[3] == "1")
