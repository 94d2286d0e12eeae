"""What a submission folder must be before nbgrader touches it, and what happens when it is not.

nbgrader copies every file of ``submitted/<student>/<assignment>/`` into ``autograded/`` and
then into ``feedback/``, following symbolic links; it grades the notebooks whose file names
match the released ones and skips the others. :func:`prepare` runs first, for each student:

- **Refused:** a folder whose real location is not ``submitted/<student>/<assignment>``, or
  that holds a symbolic link or anything but regular files and folders (a FIFO, a device).
  The offending entries are moved, unfollowed, into ``submitted/<student>/<assignment>.refused/``
  (nothing is deleted), every notebook is kept as ``<name>.ipynb.refused`` and the released
  notebook takes its place with a note, so the submission scores 0 and the feedback says why.
- **Unreadable notebooks** (not JSON, not a notebook) are kept as ``<name>.ipynb.invalid``;
  the released notebook is graded in their place (0 points), with a note.
- **Duplicated cells** (the same grade id twice) are repaired, the original kept as
  ``<name>.ipynb.original``.
- **A renamed notebook** (``01_newton-Copy1.ipynb``, the name Jupyter gives a copy) is graded
  under the released name when the released name is missing: the notebook is recognised by its
  nbgrader cells, not its file name; with several candidates, the last saved one is graded.
  A copy next to the released name is left alone and named in a note.

Each note goes to the instructor's terminal and, as a first markdown cell, into the notebook
the student gets back as feedback. Running :func:`prepare` again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

NOTE = "**Grader's note:** "
MARKER = ".graded"


def submission_hash(folder: Path) -> str:
    """A hash of everything in a submission folder (names and contents; links not followed)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def shown(name) -> str:
    """A file or student name safe to print on a terminal (control characters escaped)."""
    text = str(name)
    return text if text.isprintable() else repr(text)[1:-1]


def _grade_ids(path: Path) -> set[str]:
    try:
        nb = json.loads(path.read_bytes())
        return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.get("cells", [])} - {None}
    except Exception:
        return set()


def _add_note(path: Path, message: str) -> None:
    """Put ``message`` in a markdown cell at the top of the notebook (once)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    text = NOTE + message + "."
    if nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source == text:
        return
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, path)


def _released_in_place(released: Path, destination: Path, message: str) -> None:
    import nbformat

    nb = nbformat.read(released, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(NOTE + message + "."))
    nbformat.write(nb, destination)


def _intruders(folder: Path) -> list[Path]:
    """Entries of ``folder`` (recursively, links not followed) that are not regular files or folders."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(path)
    return found


def prepare(folder: Path, released: Path, expected: Path | None = None) -> list[str]:
    """Make ``folder`` (``submitted/<student>/<assignment>``) safe and gradable; return the notes.

    ``released`` is the folder of the released assignment; ``expected`` the real path the
    submission folder must have (default: ``folder`` itself, resolved through its parent).
    """
    folder = Path(folder)
    expected = Path(expected) if expected is not None else folder.parent.resolve() / folder.name
    if folder.is_symlink() or folder.resolve() != expected:
        return _refuse_link(folder, released)
    if not folder.is_dir():
        return []
    intruders = _intruders(folder)
    if intruders:
        return _refuse(folder, released, intruders)
    notes = _renamed(folder, released)
    notes += _repair_notebooks(folder, released)
    for nb in sorted(released.glob("*.ipynb")):
        if not (folder / nb.name).exists():  # nbgrader needs a notebook to record the zeros on
            notes.append(f"no notebook {shown(nb.name)} was submitted; the released notebook was graded in its "
                         "place, so it scored 0")
            _released_in_place(nb, folder / nb.name, notes[-1])
    return notes


def _refuse_link(folder: Path, released: Path) -> list[str]:
    """The submission folder itself is a link (or lies elsewhere): keep the link, grade nothing of it."""
    if not folder.is_symlink():  # a parent is a link: leave the instructor's layout alone, say so
        return [f"{shown(folder.name)} is not where it should be (a folder above it is a link to "
                f"{shown(folder.resolve())}); it was not graded: fix the submitted/ folder"]
    kept = folder.with_name(folder.name + ".refused-link")
    folder.rename(kept)
    folder.mkdir()
    message = (f"the submission folder was a symbolic link (to {shown(os.readlink(kept))}), which the grader "
               f"refuses; it was kept as {shown(kept.name)} and the released notebook was graded in its place, "
               "so it scored 0")
    for nb in sorted(released.glob("*.ipynb")):
        _released_in_place(nb, folder / nb.name, message)
    return [message]


def _refuse(folder: Path, released: Path, intruders: list[Path]) -> list[str]:
    aside = folder.with_name(folder.name + ".refused")
    aside.mkdir(exist_ok=True)
    names = []
    for path in sorted(intruders, key=lambda p: len(p.parts), reverse=True):
        if not os.path.lexists(path):
            continue
        relative = path.relative_to(folder)
        target = aside / str(relative).replace(os.sep, "__")
        os.rename(path, target)  # moves the link itself, never what it points to
        names.append(shown(relative))
    message = (f"the submission held {', '.join(sorted(names))}: symbolic links and special files are refused, so "
               f"the whole submission was; they were moved to {shown(aside.name)}, your notebooks kept as "
               "*.ipynb.refused, and the released notebook was graded in their place, so it scored 0")
    for nb in sorted(folder.glob("*.ipynb")):
        nb.rename(nb.with_name(nb.name + ".refused"))
    for nb in sorted(released.glob("*.ipynb")):
        _released_in_place(nb, folder / nb.name, message)
    return [message]


def _renamed(folder: Path, released: Path) -> list[str]:
    notes = []
    for original in sorted(released.glob("*.ipynb")):
        ids = _grade_ids(original)
        target = folder / original.name
        others = [p for p in folder.glob("*.ipynb") if p.name != original.name and ids & _grade_ids(p)
                  and not (released / p.name).exists()]
        if not others:
            continue
        if target.exists():
            notes.append(f"{', '.join(shown(p.name) for p in sorted(others))} also looked like this assignment; "
                         f"only {shown(target.name)} was graded")
            _add_note(target, notes[-1])
            continue
        chosen = max(others, key=lambda p: (p.stat().st_mtime, p.name))
        chosen.rename(target)
        message = f"the notebook was submitted as {shown(chosen.name)}; it was graded as {shown(target.name)}"
        if len(others) > 1:
            message += (f" (the last saved of {', '.join(shown(p.name) for p in sorted(others))}; "
                        "the others were not graded)")
        notes.append(message)
        try:
            _add_note(target, message)
        except Exception:  # not a readable notebook: the next step says so
            pass
    return notes


def _repair_notebooks(folder: Path, released: Path) -> list[str]:
    """Keep unreadable notebooks aside and repair duplicated cells (see the module docstring)."""
    import nbformat

    notes = []
    for nb in sorted(folder.glob("*.ipynb")):
        try:
            raw = json.loads(nb.read_bytes())
            content = nbformat.read(nb, as_version=4)  # repairs duplicated cell ids in memory
            problems = _repair(content)
            if problems or [c.get("id") for c in raw.get("cells", [])] != [c.get("id") for c in content.cells]:
                kept = nb.with_name(nb.name + ".original")
                nb.rename(kept)
                nbformat.write(content, nb)
                notes.append(f"{shown(nb.name)} had duplicated cells ({', '.join(problems) or 'cell ids'}); a "
                             f"repaired copy was graded and the original kept as {shown(kept.name)}")
            nbformat.validate(nbformat.read(nb, as_version=4))
        except Exception as err:  # not JSON, not a notebook, unreadable
            kept = nb.with_name(nb.name + ".invalid")
            nb.rename(kept)
            message = f"{shown(nb.name)} could not be read as a notebook ({type(err).__name__}); it was kept as " \
                      f"{shown(kept.name)}"
            if (released / nb.name).is_file():
                message += " and the released notebook was graded in its place, so it scored 0"
                _released_in_place(released / nb.name, nb, message)
            else:
                message += "; it is not one of the assignment's notebooks, so nothing was graded in its place"
            notes.append(message)
    return notes


def _repair(nb) -> list[str]:
    """Keep nbgrader's metadata on the first cell of each grade id only; return the ids repeated."""
    seen, repeated = set(), []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            continue
        if grade_id in seen:
            del cell.metadata["nbgrader"]  # still runs, as a plain cell, but carries no points
            repeated.append(grade_id)
        seen.add(grade_id)
    return repeated


def install_nbgrader_hook() -> None:
    """Make plain ``nbgrader autograde`` run :func:`prepare` before it copies a submission.

    Called from ``nbgrader_config.py``; ``python -m autograder autograde`` runs :func:`prepare`
    for every student first (to report the notes), so there the hook finds nothing to do.
    """
    from nbgrader.converters.autograde import Autograde

    if getattr(Autograde.init_assignment, "runs_intake", False):
        return
    original = Autograde.init_assignment

    def init_assignment(self, assignment_id, student_id):
        folder = Path(self._format_source(assignment_id, student_id))
        released = Path(self.coursedir.format_path(self.coursedir.release_directory, ".", assignment_id))
        expected = Path(self.coursedir.root).resolve() / self.coursedir.submitted_directory / student_id / assignment_id
        for note in prepare(folder, released, expected):
            self.log.warning("%s: %s", shown(student_id), note)
        return original(self, assignment_id, student_id)

    init_assignment.runs_intake = True
    Autograde.init_assignment = init_assignment
