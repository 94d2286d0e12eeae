"""Per-assignment settings of the grader, and the files a submission brings (light imports only)."""

from __future__ import annotations

import tomllib
from pathlib import Path

SUITES = Path(__file__).resolve().parent
MAX_FILES_BYTES = 50 * 2**20


def assignment_settings(assignment: str) -> dict:
    """``autograder/<assignment>/assignment.toml``, or defaults if there is none."""
    path = SUITES / assignment / "assignment.toml"
    return tomllib.loads(path.read_text()) if path.is_file() else {}


def submission_files(folder: Path) -> dict[str, bytes]:
    """The non-notebook files next to a notebook (data it may read), up to a size limit."""
    files, total = {}, 0
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_file() and path.suffix != ".ipynb" and not path.name.startswith("."):
            total += path.stat().st_size
            if total > MAX_FILES_BYTES:
                break
            files[path.name] = path.read_bytes()
    return files
