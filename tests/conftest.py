"""Shared helpers for the project's tests."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """``(process, html folder)``: the book built once per test session, as ``make book`` builds
    it (every page executed, warnings as errors), into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(out), "--warningiserror", "--nitpick",
                           "--keep-going"], capture_output=True, text=True, timeout=1800)
    return proc, out / "_build" / "html"


def render_png(fig) -> bytes:
    """Draw a matplotlib figure for real (to PNG), so that any warning while drawing surfaces."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def central_gradient(f, x, h=1e-6):
    """Central finite differences of a scalar function: an oracle independent of course_lib."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def central_jacobian(F, x, h=1e-6):
    """Central finite differences of a vector function (columns are partial derivatives)."""
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        cols.append((np.asarray(F(x + e)) - np.asarray(F(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)
