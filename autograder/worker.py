"""The process that runs a submission's code, inside the sandbox.

Started by :mod:`autograder.sandbox` as ``python -I /grader/worker.py FD_IN FD_OUT``. It
imports numpy and matplotlib before the first request (so a warm worker waits ready), then
serves requests from the judge, one at a time:

``("exec", cell_id, source, seconds)``
    run a cell in the submission's namespace; reply with its status, captured output and error
``("describe", name)``
    what ``name`` is in the namespace: a callable, a module, plain data, missing, other
``("call", name, args, kwargs, seconds, keep)``
    call the submission's function; arguments come as plain data, references to names in the
    namespace, or callbacks into the judge; reply with the result as plain data

Requests are pickled by the judge (trusted); replies are JSON built by :mod:`wire`, which the
judge decodes strictly. Nothing here is trusted by the judge: the student's code runs in this
process and could change any of it, so every check that matters happens in the judge.
"""

import builtins
import io
import os
import pickle
import signal
import struct
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy  # noqa: E402,F401  (warm: the submission will import it)
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import wire  # noqa: E402

MAX_OUTPUT = 20_000


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


class Capture(io.StringIO):
    """stdout/stderr of the submission, kept up to MAX_OUTPUT characters."""

    def write(self, s):
        if self.tell() < MAX_OUTPUT:
            super().write(str(s)[: MAX_OUTPUT - self.tell()])
        return len(s)


def _error(err):
    tb = traceback.TracebackException.from_exception(err)
    # keep only the submission's frames (cells are compiled with the name "<cell ...>")
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if not f.filename.endswith("worker.py")])
    lines = list(tb.format())
    return {"ename": type(err).__name__, "evalue": str(err)[:2000], "traceback": "".join(lines)[-8000:]}


class Worker:
    def __init__(self, channel):
        self.channel = channel
        self.ns = {"__name__": "__main__", "__builtins__": builtins}
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
            elif op == "bye":
                return

    def _run(self, fn, seconds):
        out, err = Capture(), Capture()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            value = fn()
            status = None
        except BaseException as exc:  # everything the submission raises is reported
            value, status = None, _error(exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
            plt.close("all")
        return value, status, out.getvalue(), err.getvalue()

    def exec_cell(self, cell_id, source, seconds):
        def run():
            exec(compile(source, f"<cell {cell_id}>", "exec"), self.ns)

        _, error, out, err = self._run(run, seconds)
        return {"t": "done", "ok": error is None, "error": error, "stdout": out, "stderr": err}

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
        value, error, out, err = self._run(lambda: fn(*args, **kwargs), seconds)
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


if __name__ == "__main__":
    Worker(Channel(int(sys.argv[1]), int(sys.argv[2]))).serve()
