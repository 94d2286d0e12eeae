"""Does every page of the book execute and build, with warnings treated as errors?"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files.extend(chapter["file"] for chapter in part["chapters"])
    return files


def _chapters() -> list[str]:
    """The numbered chapters, in order (``book/01_newton``, ...)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] if part.get("numbered") for c in part["chapters"]]


def test_book_builds_without_warnings(built_book):
    """Does `jupyter-book build` succeed with --warningiserror, executing every page?"""
    proc, html = built_book
    assert proc.returncode == 0, f"the book did not build:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    for page in _toc_files():
        out = html / f"{page}.html"
        assert out.is_file(), f"{page} was not built"
        text = out.read_text()
        assert "application/vnd.jupyter.widget-view+json" not in text, f"{page} embeds a live widget view"
        # a figure that fails to draw prints its traceback into the output, not to stderr
        assert "Traceback (most recent call last)" not in text, f"{page} shows a traceback"
    chapter = (html / "book" / "01_newton.html").read_text()
    assert chapter.count("<img") >= 5, "chapter 1 should show its figures"
