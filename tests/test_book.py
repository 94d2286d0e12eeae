"""Does every page of the book execute and build, with warnings treated as errors?"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for chapter in toc.get("chapters", []):
        files.append(chapter["file"])
    return files


def test_book_builds_without_warnings(tmp_path):
    """Does `jupyter-book build` succeed with --warningiserror, executing every page?"""
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "--warningiserror",
                           "--nitpick", "--keep-going"], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, f"the book did not build:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    html = tmp_path / "_build" / "html"
    for page in _toc_files():
        out = html / f"{page}.html"
        assert out.is_file(), f"{page} was not built"
        text = out.read_text()
        assert "application/vnd.jupyter.widget-view+json" not in text, f"{page} embeds a live widget view"
        # a figure that fails to draw prints its traceback into the output, not to stderr
        assert "Traceback (most recent call last)" not in text, f"{page} shows a traceback"
    chapter = (html / "book" / "01_newton.html").read_text()
    assert chapter.count("<img") >= 5, "chapter 1 should show its figures"
