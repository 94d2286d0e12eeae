"""The live explorers in JupyterLab, as a student or a reader running a chapter sees them.

A JupyterLab server (the project's own, from .venv) is started on this machine with a notebook
that shows chapter 1's gradient-descent explorer; Debian's chromium runs the cell. The explorer
must draw its chart (Altair's JupyterChart, offline: nothing requested from outside the
machine), and moving one of its ipywidgets sliders must redraw the chart: the same definition
as the book's rendering, live with a kernel.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    import nbformat

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make installs Debian's chromium when run as root)")
    folder = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from course_lib.explorers.newton import gd_quadratic_explorer\ngd_quadratic_explorer()")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "explorer.ipynb")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    proc = subprocess.Popen(
        [str(bin_dir / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={folder}", "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=folder, env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_explorer_is_live_in_jupyterlab(lab):
    """Does the explorer draw its chart in JupyterLab without the network, and does moving a
    slider redraw it?"""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        outside, errors = [], []
        page.on("request", lambda r: None if r.url.startswith((lab, "data:", "blob:")) else outside.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{lab}/lab/tree/explorer.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_timeout(2000)   # the kernel starts
        page.locator(".jp-Cell").first.click()
        page.keyboard.press("Shift+Enter")
        chart = page.locator(".jp-OutputArea .vega-embed svg").first
        chart.wait_for(timeout=90_000)
        page.wait_for_timeout(1000)
        before = chart.inner_html()
        handle = page.locator(".jp-OutputArea .widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([svg, b]) => svg.innerHTML !== b", arg=[chart.element_handle(), before], timeout=15_000)
        browser.close()
    assert not outside, f"requests leaving the machine: {outside}"
    assert not errors, f"errors in the page: {errors}"
