"""Page kernels forked from a warm interpreter: each page starts with its usual modules imported.

A page's kernel is normally a new interpreter (``python -m ipykernel_launcher``) that spends
about 1.5 s of CPU on the same work for every page before the page's own code runs: starting
IPython, importing numpy, matplotlib, ``course_lib`` and Altair, building matplotlib's mathtext
parser. Here each process of the book's execution pool (:mod:`parallel_execution`) does that work
once (:func:`prepare`) and then *forks* the kernel of each page it executes. nbclient drives the
fork as any kernel (:class:`WarmKernelManager`: jupyter_client's ``AsyncKernelManager`` whose
provisioner forks where ``LocalProvisioner`` would run the kernel's command).

Each page still gets a process of its own, a fresh copy of the template: what a page changes (its
variables, ``rcParams``, a patched module) ends with it. The fork starts as the command would
have started it: in the page's folder, with the kernel's environment and arguments, in a session
of its own, standard input from ``/dev/null``, the interpreter's warning filters (the template's,
before any of the pool's own modules were imported) and ``sys.path`` without the template's own
folder. matplotlib's backend is chosen when the page draws its first figure, as in a new
interpreter, so the inline backend hooks into the page's IPython as usual. The warm-up draws one
figure with mathtext (fonts and parser ready) and then closes the fonts it opened, so that no
font file is shared between forks.

Only the kernel this template can stand for is forked: the kernel spec's command must be this
interpreter running ``ipykernel_launcher``; anything else (or a template whose warm-up failed)
is started by its command, as ``LocalProvisioner`` does.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import io
import os
import signal
import sys
import time
import traceback
import uuid
import warnings
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
# What the template imports: the modules that (nearly) every page of the book imports.
WARM_MODULES = ("numpy", "matplotlib", "matplotlib.pyplot", "IPython", "ipykernel.kernelapp",
                "course_lib", "course_lib.explorers", "altair", "myst_nb")

_template: dict | None = None     # set by prepare(): what a fork restores


def prepare() -> None:
    """Make this process a template (the execution pool's initializer). A failure leaves the
    process as it is: its kernels are then started by their command."""
    global _template
    try:
        # What ipykernel would set before matplotlib is first imported in a new kernel.
        os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        import importlib

        for name in WARM_MODULES:
            importlib.import_module(name)
        _warm_up_figure()
        # Out of the collector's reach: a collection in a fork would otherwise visit (and so
        # copy, page by page) every object the template made.
        gc.collect()
        gc.freeze()
        _template = {
            "filters": list(warnings.filters),
            "path": [p for p in sys.path if p not in ("", os.getcwd(), HERE)],
        }
    except Exception:                                     # noqa: BLE001 (reported, then cold)
        _template = None
        print("warm_kernels: the template could not be prepared; kernels start cold:\n"
              + traceback.format_exc(), file=sys.stderr)


def _warm_up_figure() -> None:
    """Draw a figure with mathtext through Agg, without pyplot (whose backend a page chooses)."""
    import matplotlib.font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.semilogy([1.0, 2.0, 3.0], [1.0, 0.1, 0.01], label=r"$\|\nabla C(\theta_t)\|^2$, $\eta = 10^{-3}$")
    ax.set(xlabel=r"step $t$", ylabel=r"$\frac{1}{N}\sum_t \|g_t\|$", title="warm-up")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    # The fonts stay closed: an open font file would be shared (with its offset) by the forks.
    cache_clear = getattr(getattr(matplotlib.font_manager, "_get_font", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


def _forkable(cmd: list[str]) -> list[str] | None:
    """The kernel's arguments (``-f <connection file> ...``), when ``cmd`` starts the kernel this
    template stands for: this interpreter running ``ipykernel_launcher``."""
    if _template is None or len(cmd) < 5 or cmd[1:4] != ["-m", "ipykernel_launcher", "-f"]:
        return None
    if os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
        return None
    return cmd[3:]


def _kernel_main(argv: list[str], cwd: str, env: dict) -> None:
    """The forked child: become the kernel ``python -m ipykernel_launcher <argv>`` would be."""
    code = 1
    try:
        os.setsid()                                   # as jupyter_client's launcher (start_new_session)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        import ipykernel_launcher
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [ipykernel_launcher.__file__, *argv]
        sys.path[:] = _template["path"]
        warnings.filters[:] = _template["filters"]
        warnings._filters_mutated()                   # noqa: SLF001 (what warnings.simplefilter calls)
        asyncio.set_event_loop_policy(None)           # no event loop of the parent's
        # The parent's pid is read from the environment when ipykernel is imported, which was
        # before this kernel had one: without it the kernel would outlive a dead parent.
        IPKernelApp.launch_instance(argv=argv, parent_handle=int(env.get("JPY_PARENT_PID") or 0))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:                             # noqa: BLE001 (the child must not return)
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:                         # noqa: BLE001
                pass
        os._exit(code)


class _Forked:
    """What jupyter_client's ``LocalProvisioner`` uses of a ``Popen``, for a forked child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:                 # reaped elsewhere: it has ended
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int | None:
        if timeout is None:
            return self._reap(0)
        end = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class ForkingProvisioner(LocalProvisioner):
        """``LocalProvisioner``, with the kernel forked from the template when it can be."""

        async def launch_kernel(self, cmd, **kwargs):
            argv = _forkable(cmd)
            if argv is None:
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())      # the kernel ends if this process dies
            cwd = str(kwargs.get("cwd") or os.getcwd())
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            pid = os.fork()
            if pid == 0:
                _kernel_main(argv, cwd, env)   # never returns
            self.process = _Forked(pid)
            self.pid = pid
            self.pgid = pid        # the child's own session: signals go to its group, never ours
            self.cwd = cwd
            return self.connection_info

    return ForkingProvisioner


@functools.cache
def kernel_manager_class():
    """An ``AsyncKernelManager`` whose kernels are forked from this process when it is a template."""
    from jupyter_client.manager import AsyncKernelManager

    provisioner = _provisioner_class()

    class WarmKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return WarmKernelManager


def read_page(path: str):
    """A MyST page as the notebook myst-nb executes (jupyter-cache's reader: with a source map).
    Read once per version of the file: the execution check (:mod:`parallel_execution`) and the
    page's notebook download (:mod:`reader_html`) share it, so treat it as read-only."""
    stat = os.stat(path)
    return _read_page(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_page(path: str, mtime_ns: int, size: int):
    from myst_nb.core.read import myst_nb_reader_plugin

    return myst_nb_reader_plugin(path)


def execute_page(job):
    """Run in a pool process: execute one page as myst-nb would (cwd = the page's folder), in a
    kernel forked from this process. Returns ``(path, notebook, seconds, error)``."""
    from jupyter_cache.executors.utils import single_nb_execution

    path, timeout = job
    notebook = read_page(path)
    start = time.perf_counter()
    result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                 meta_override=True, kernel_manager_class=kernel_manager_class())
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, notebook, time.perf_counter() - start, error
