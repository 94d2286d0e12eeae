"""Memory and process limits on a sandbox as a whole, not on each of its processes.

``setrlimit`` limits one process at a time: with ``RLIMIT_AS`` = 2 GiB and 64 processes
allowed, a submission that forks could hold 128 GiB. A *control group* limits the sum. Each
sandbox gets one of its own, found in this order:

1. **cgroup v2** (``/sys/fs/cgroup`` is the unified hierarchy): a child of the grader's own
   group with ``memory.max``, ``memory.swap.max`` and ``pids.max``. It needs the ``memory``
   and ``pids`` controllers enabled for the grader's group (root can enable them; for another
   user, a delegated group, e.g. ``systemd-run --user --scope -p Delegate=yes``).
2. **cgroup v1** (``/sys/fs/cgroup/memory`` and ``/sys/fs/cgroup/pids`` writable, usually as
   root): ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes``) and ``pids.max``.
3. **Otherwise** a watchdog thread in the judge adds up the resident memory of every process
   of the sandbox ten times a second and kills the sandbox above the limit; processes stay
   limited by ``RLIMIT_NPROC`` (per user id: exact when the grader runs as root, since each
   slot then has a user id of its own). This is the weaker form: an allocation can overshoot
   for up to 0.1 s.

``python -m autograder limits`` prints which one this machine uses. Memory in a sandbox's
``/tmp`` (a tmpfs) is charged to its group too.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _own_group(controller: str | None) -> str | None:
    """This process's group path in the hierarchy of ``controller`` (None: the v2 hierarchy)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        ident, controllers, path = line.split(":", 2)
        if controller is None and ident == "0":
            return path
        if controller is not None and controller in controllers.split(","):
            return path
    return None


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


class Group:
    """A control group (v2, or a pair of v1 groups) holding one sandbox's processes."""

    kind = "cgroup"

    def __init__(self, dirs: list[Path], memory_files: list[str], pids_file: Path | None, version: int):
        self.dirs, self.version = dirs, version
        self._memory_files, self._pids_file = memory_files, pids_file

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> "Group | None":
        name = f"grader-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        for make in (cls._v2, cls._v1):
            group = None
            try:
                group = make(name)
                if group is not None:
                    group._limit(memory_bytes, processes)
                    return group
            except OSError:
                if group is not None:
                    group.remove()
        return None

    @classmethod
    def _v2(cls, name: str) -> "Group | None":
        if not (CGROUP / "cgroup.controllers").is_file():
            return None
        own = _own_group(None)
        if own is None:
            return None
        parent = CGROUP / own.lstrip("/")
        enabled = (parent / "cgroup.subtree_control").read_text().split()
        if not {"memory", "pids"} <= set(enabled):
            _write(parent / "cgroup.subtree_control", "+memory +pids")  # allowed for the root group
        path = parent / name
        path.mkdir()
        return cls([path], [str(path / "memory.max"), str(path / "memory.swap.max")], path / "pids.max", 2)

    @classmethod
    def _v1(cls, name: str) -> "Group | None":
        memory_own, pids_own = _own_group("memory"), _own_group("pids")
        if memory_own is None or pids_own is None or not (CGROUP / "memory").is_dir():
            return None
        memory = CGROUP / "memory" / memory_own.lstrip("/") / name
        pids = CGROUP / "pids" / pids_own.lstrip("/") / name
        memory.mkdir()
        try:
            pids.mkdir()
        except OSError:
            memory.rmdir()
            raise
        files = [str(memory / "memory.limit_in_bytes"), str(memory / "memory.memsw.limit_in_bytes")]
        return cls([memory, pids], files, pids / "pids.max", 1)

    def _limit(self, memory_bytes: int, processes: int) -> None:
        for i, path in enumerate(self._memory_files):
            if i == 0 or Path(path).exists():  # swap accounting is optional
                _write(Path(path), str(memory_bytes if self.version == 1 or i == 0 else 0))
        if self._pids_file is not None:
            _write(self._pids_file, str(processes))

    # -- use ------------------------------------------------------------------------------
    def enter(self) -> None:
        """Move the calling process into the group (called in the child before exec)."""
        for path in self.dirs:
            _write(path / "cgroup.procs", "0" if self.version == 2 else str(os.getpid()))

    def pids(self) -> list[int]:
        found = set()
        for path in self.dirs:
            try:
                found.update(int(p) for p in (path / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(found)

    def oom_kills(self) -> int:
        """How many processes of this group the kernel has killed for exceeding its memory limit."""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            fields = dict(line.split() for line in (self.dirs[0] / name).read_text().splitlines() if " " in line)
            return int(fields.get("oom_kill", 0))
        except (OSError, ValueError):
            return 0

    def kill(self) -> None:
        if self.version == 2 and (self.dirs[0] / "cgroup.kill").exists():
            try:
                _write(self.dirs[0] / "cgroup.kill", "1")
            except OSError:
                pass
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        self.kill()
        for path in self.dirs:
            for _ in range(100):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # processes still leaving
                    time.sleep(0.01)


class Watchdog:
    """The fallback: the judge adds up the sandbox's resident memory and kills it above the limit."""

    kind = "watchdog"
    PERIOD = 0.1

    def __init__(self, memory_bytes: int):
        self.memory_bytes = memory_bytes
        self.exceeded = False
        self._stop = threading.Event()
        self._root: int | None = None

    def watch(self, pid: int) -> None:
        self._root = pid
        threading.Thread(target=self._run, daemon=True, name=f"memory-watchdog-{pid}").start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
                ppid = int(text[text.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(stat.parent.name))
        tree, todo = [], [self._root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    @staticmethod
    def _resident(pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def _run(self) -> None:
        while not self._stop.wait(self.PERIOD):
            tree = self._tree()
            if sum(self._resident(pid) for pid in tree) > self.memory_bytes:
                self.exceeded = True
                for pid in reversed(tree):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                return

    def oom_kills(self) -> int:
        return int(self.exceeded)

    def remove(self) -> None:
        self._stop.set()


def describe() -> str:
    """Which mechanism limits a sandbox's memory and processes on this machine."""
    group = Group.create(2**30, 64)
    if group is None:
        return ("watchdog: no writable cgroup here; the judge adds up each sandbox's resident memory ten times "
                "a second and kills it above the limit; processes are limited per user id (RLIMIT_NPROC)")
    try:
        return (f"cgroup v{group.version}: memory and processes limited per sandbox by the kernel "
                f"({', '.join(str(d) for d in group.dirs)})")
    finally:
        group.remove()
