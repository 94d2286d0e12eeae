"""Shared helpers for the project's tests."""

import csv
import io
import json
import re
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
    jupyter_book = [sys.executable, str(ROOT / "book" / "_ext" / "jupyter_book_main.py")]   # make book's command
    proc = subprocess.run([*jupyter_book, "build", str(ROOT), "--path-output", str(out), "--warningiserror", "--nitpick",
                           "--keep-going"], capture_output=True, text=True, timeout=1800)
    return proc, out / "_build" / "html"


def table_rows(text: str) -> list[dict]:
    """An explorer's table (CSV text) as rows of floats (parameter columns hold slider indices)."""
    return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def rows_at(rows: list[dict], **index) -> list[dict]:
    """The rows of a table whose columns hold the given values (slider indices, for parameters)."""
    return [r for r in rows if all(r[k] == v for k, v in index.items())]


def payloads(html_file) -> list[dict]:
    """The data of every live explorer of a built page."""
    text = html_file.read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/json" class="explorer-data">(.*?)</script>', text, flags=re.S)
    return [json.loads(p.replace("<\\/", "</")) for p in found]


def tables(payload: dict) -> dict[str, list[dict]]:
    """An explorer's tables as rows of floats (parameter columns hold slider indices)."""
    return {name: table_rows(text) for name, text in payload["tables"].items()}


@pytest.fixture(scope="session")
def explorer_tables(built_book):
    """``explorer_tables(page, *datasets, what=...)``: the tables (:func:`tables`) of the one live
    explorer of the built page ``book/<page>`` that has all of ``datasets``; ``what`` names it in
    the failure ("chapter 3 should show one heavy-ball explorer")."""
    proc, html = built_book
    assert proc.returncode == 0, "the book did not build (see test_book.py)"

    def one(page: str, *datasets: str, what: str) -> dict[str, list[dict]]:
        found = [p for p in payloads(html / "book" / page) if all(name in p["tables"] for name in datasets)]
        assert len(found) == 1, f"chapter {int(page.split('_')[0])} should show one {what}"
        return tables(found[0])
    return one


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
