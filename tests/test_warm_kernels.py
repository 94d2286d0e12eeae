"""The book's pages run in kernels forked from a warm template (book/_ext/warm_kernels.py): a
page must see what it would see in a kernel started by its command, and nothing of the page
before it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "book" / "_ext"

# A page as the book's pages are: warnings, a figure with mathtext, stderr, the environment.
CELLS = [
    "import os, sys, warnings, matplotlib\nprint(os.getcwd(), sys.argv[1:], __name__, matplotlib.get_backend())",
    "warnings.warn('a user warning')",
    "import numpy as np\nnp.array([1.0]) / 0",
    "def old():\n    warnings.warn('old', DeprecationWarning)\nold()",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 2, 3])\n"
    "ax.set_title(r'$\\alpha_t = \\frac{1}{\\sqrt{t}}$')\nplt.show()",
    # what the page before may have changed
    "print(matplotlib.rcParams['lines.linewidth'], getattr(np, 'patched', None), os.environ.get('PAGE_WAS_HERE'))\n"
    "matplotlib.rcParams['lines.linewidth'] = 7; np.patched = 1; os.environ['PAGE_WAS_HERE'] = '1'",
    "print(sorted(k for k in os.environ if k.startswith(('JPY', 'MPL'))), '' in sys.path, "
    "[p for p in sys.path if p.rstrip('/').endswith('_ext')], sys.stdin.read())",
    "print('to stderr', file=sys.stderr)",
    "import signal\nprint(signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))",
    "import ipykernel.kernelapp\nprint(ipykernel.kernelapp.IPKernelApp.instance().parent_handle == os.getppid())",
]
# The one cell allowed to differ: whether the kernel started with the template's modules.
PROBE = "import sys\nprint('altair' in sys.modules and 'course_lib' in sys.modules)"

RUNNER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import nbformat, warm_kernels
    from jupyter_cache.executors.utils import single_nb_execution
    cells, warm, cwd = json.loads(sys.argv[2]), sys.argv[3] == "warm", sys.argv[4]
    if warm:
        warm_kernels.prepare()
        assert warm_kernels._template is not None, "the template was not prepared"
    runs = []
    for _ in range(2):          # two pages in a row from the same process
        nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
        nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
        result = single_nb_execution(nb, cwd=cwd, timeout=120, allow_errors=True,
                                     kernel_manager_class=warm_kernels.kernel_manager_class())
        assert result.err is None, result.err
        runs.append([[{k: v for k, v in o.items() if k != "execution_count"} for o in c.outputs] for c in nb.cells])
    print(json.dumps(runs))
""")


def _pages(mode: str, cwd: Path) -> list:
    env = {**os.environ, "PAGE_WAS_HERE": ""}
    env.pop("PAGE_WAS_HERE")
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(EXT), json.dumps([PROBE, *CELLS]), mode, str(cwd)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _normalised(outputs: list) -> str:
    """A cell's outputs without what differs between any two kernels: temporary names, pids, and
    where a stream was cut into messages (a busy machine can send one line in two)."""
    merged = []
    for out in outputs:
        if merged and out["output_type"] == "stream" and merged[-1]["output_type"] == "stream" \
                and merged[-1]["name"] == out["name"]:
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + out["text"]}
        else:
            merged.append(out)
    text = json.dumps(merged, sort_keys=True)
    text = re.sub(r"/tmp/tmp\w+\.json", "<connection file>", text)
    return re.sub(r"ipykernel_\d+", "ipykernel_<pid>", text)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("page_folder")
    return _pages("cold", cwd), _pages("warm", cwd), cwd


def test_a_forked_kernel_starts_with_the_templates_modules(both):
    cold, warm, _ = both
    assert [run[0] for run in cold] == [[{"name": "stdout", "output_type": "stream", "text": "False\n"}]] * 2
    assert [run[0] for run in warm] == [[{"name": "stdout", "output_type": "stream", "text": "True\n"}]] * 2


def test_a_page_sees_what_a_kernel_started_by_its_command_sees(both):
    cold, warm, cwd = both
    for page, (warm_run, cold_run) in enumerate(zip(warm, cold)):
        for cell, (got, want) in enumerate(zip(warm_run, cold_run)):
            if cell:                                           # (cell 0 is the probe)
                assert _normalised(got) == _normalised(want), f"page {page}, cell {cell}: {CELLS[cell - 1]!r}"
    first = warm[0]
    assert first[1][0]["text"].startswith(f"{cwd} ['-f', ")               # folder, arguments
    assert "module://matplotlib_inline.backend_inline" in first[1][0]["text"]
    assert "UserWarning: a user warning" in first[2][0]["text"]           # warnings reach stderr
    assert "DeprecationWarning: old" in first[4][0]["text"]
    assert "image/png" in first[5][0]["data"]                             # the inline figure
    assert first[10][0]["text"] == "True\n"                               # the kernel watches its parent


def test_nothing_of_a_page_reaches_the_next_one(both):
    _, warm, _ = both
    assert [run[6][0]["text"] for run in warm] == ["1.5 None None\n"] * 2


def test_only_this_interpreters_ipykernel_is_forked(monkeypatch):
    sys.path.insert(0, str(EXT))
    try:
        import warm_kernels
    finally:
        sys.path.remove(str(EXT))
    monkeypatch.setattr(warm_kernels, "_template", {"filters": [], "path": []})
    ours = [sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json", "--HistoryManager.hist_file=:memory:"]
    assert warm_kernels._forkable(ours) == ours[3:]
    assert warm_kernels._forkable(["/opt/other/python3", *ours[1:]]) is None
    assert warm_kernels._forkable([sys.executable, "-m", "other_kernel", "-f", "/tmp/k.json"]) is None
    monkeypatch.setattr(warm_kernels, "_template", None)                  # a failed warm-up: start cold
    assert warm_kernels._forkable(ours) is None


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"                                  # a zombie has ended


def test_a_forked_kernel_ends_when_its_parent_dies(tmp_path):
    """A pool process killed mid-build leaves no kernel behind."""
    script = textwrap.dedent("""
        import asyncio, sys
        sys.path.insert(0, sys.argv[1])
        import warm_kernels
        warm_kernels.prepare()

        async def main():
            km = warm_kernels.kernel_manager_class()(kernel_name="python3")
            await km.start_kernel()
            assert type(km.provisioner.process).__name__ == "_Forked", "the kernel was not forked"
            open(sys.argv[2], "w").write(str(km.provisioner.pid))
            await asyncio.sleep(600)

        asyncio.run(main())
    """)
    err, pid_file = tmp_path / "stderr", tmp_path / "kernel.pid"
    with open(err, "w") as err_file, subprocess.Popen([sys.executable, "-c", script, str(EXT), str(pid_file)],
                                                      stdout=err_file, stderr=err_file) as parent:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert parent.poll() is None and time.monotonic() < deadline, err.read_text()[-3000:]
            time.sleep(0.1)
        kernel = int(pid_file.read_text())
        assert _running(kernel)
        parent.kill()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not _running(kernel):
            return
        time.sleep(0.2)
    os.kill(kernel, signal.SIGKILL)
    pytest.fail("the forked kernel outlived its parent by 15 s")
