"""Sample submissions: answers written as text, turned into real submitted notebooks.

A sample ``autograder/samples/<assignment>/<name>.py`` holds new sources for cells of the
released notebook, each introduced by a line ``# %% <grade_id>``; a line ``# %% + <grade_id>``
instead starts a *new* code cell of the student's own (scratch work, a plot, prints), inserted
after that cell, and ``# %% +md <grade_id>`` a new markdown cell. Writing samples as answers (rather than as whole notebooks) keeps them valid
when the assignment's text changes.

Every ``*.toml`` file of the folder lists samples (``samples.toml`` first, then the others in
name order; a name may appear once): the exact ``score``, ``why``, and optionally

- ``base = "<other sample>"``: start from that sample's answers and list only what changes;
- ``notebook = "<file name>"``: the name the notebook is submitted under (a renamed copy);
- ``files = { "<name>" = "<text>" }``: other files in the submission folder;
- ``links = { "<name>" = "<target>" }``: symbolic links in it (``{course}`` in a target is the
  course directory, ``{repo}`` this repository), ``fifos = ["<name>"]``: named pipes, ``folder_link = "<target>"``: the
  submission folder itself a link (hostile submissions);
- ``delete``, ``duplicate``, ``points``: cells deleted, duplicated, points rewritten;
- ``raw = "<text>"``: the submitted file's whole content, when it is not a notebook at all.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SAMPLES = Path(__file__).resolve().parent / "samples"
_HEADER = re.compile(r"^# %% (\+ |\+md )?(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    name: str
    score: float
    why: str
    answers: dict  # grade_id -> new cell source
    delete: tuple = ()  # grade_ids of cells the submission deleted
    duplicate: tuple = ()  # grade_ids of cells the submission duplicated (same ids)
    points: dict = field(default_factory=dict)  # grade_id -> points the submission wrote in the metadata
    raw: str | None = None  # the submitted file's whole content, when it is not a notebook at all
    inserted: tuple = ()  # (grade_id, source): new cells of the student's own, after that cell
    notebook: str | None = None  # the submitted notebook's file name, if not the released one's
    files: dict = field(default_factory=dict)  # other files of the submission: name -> text
    links: dict = field(default_factory=dict)  # symbolic links of the submission: name -> target
    fifos: tuple = ()  # named pipes in the submission folder
    folder_link: str | None = None  # the submission folder is a symbolic link to this target


def load_samples(assignment: str) -> list[Sample]:
    """All samples of ``assignment`` with their expected scores, in the order of the toml files."""
    folder = SAMPLES / assignment
    table: dict = {}
    for path in sorted(folder.glob("*.toml"), key=lambda p: (p.name != "samples.toml", p.name)):
        for name, spec in tomllib.loads(path.read_text()).items():
            if name in table:
                raise ValueError(f"sample {name!r} of {assignment} is defined twice (again in {path.name})")
            table[name] = spec

    def cells(name: str) -> tuple[dict, tuple]:
        # a sample with `base = "other"` is that sample with some cells changed
        path = folder / f"{name}.py"
        own, new = parse_cells(path.read_text()) if path.is_file() else ({}, ())
        base = table[name].get("base")
        if not base:
            return own, new
        base_answers, base_new = cells(base)
        return {**base_answers, **own}, base_new + new

    samples = []
    for name, spec in table.items():
        answers, inserted = cells(name)
        samples.append(Sample(name, float(spec["score"]), spec["why"], answers, tuple(spec.get("delete", ())),
                              tuple(spec.get("duplicate", ())), dict(spec.get("points", {})), spec.get("raw"),
                              inserted, spec.get("notebook"), dict(spec.get("files", {})),
                              dict(spec.get("links", {})), tuple(spec.get("fifos", ())), spec.get("folder_link")))
    return samples


def parse_cells(text: str) -> tuple[dict, tuple]:
    """``({grade_id: new source}, ((grade_id, source of a new cell after it, cell type), ...))``."""
    parts = _HEADER.split(text)
    answers, inserted = {}, []
    for plus, grade_id, source in zip(parts[1::3], parts[2::3], parts[3::3]):
        if plus:
            inserted.append((grade_id, source.strip("\n"), "markdown" if plus.strip() == "+md" else "code"))
        else:
            answers[grade_id] = source.strip("\n")
    return answers, tuple(inserted)


def parse_answers(text: str) -> dict:
    return parse_cells(text)[0]


def build_submission(released: Path, sample: "Sample | dict", destination: Path, course: Path | None = None) -> Path:
    """Write the released notebook, answered and altered as ``sample`` says; return its path.

    ``destination`` is where the released notebook's name would put it; a sample with its own
    ``notebook`` name is written next to it under that name, with its ``files``, ``links`` and
    ``fifos`` beside it (``course`` fills in ``{course}`` in link targets). ``sample`` may also be
    a plain dict of answers.
    """
    if isinstance(sample, dict):
        sample = Sample("answers", 0.0, "", sample)
    if sample.notebook:
        destination = destination.with_name(sample.notebook)
    if sample.folder_link:  # the whole submission folder is a link
        destination.parent.parent.mkdir(parents=True, exist_ok=True)
        destination.parent.symlink_to(sample.folder_link.format(course=course or destination.parents[3]))
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    for name, text in sample.files.items():
        (destination.parent / name).write_text(text)
    for name, target in sample.links.items():
        (destination.parent / name).symlink_to(target.format(course=course or destination.parents[3],
                                                              repo=SAMPLES.parents[1]))
    for name in sample.fifos:
        os.mkfifo(destination.parent / name)
    if destination.name in sample.links:  # the notebook itself is a link: nothing to write (never through it)
        return destination
    if sample.raw is not None:
        destination.write_text(sample.raw)
        return destination
    nb = nbformat.read(released, as_version=4)
    ids = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells}
    named = set(sample.answers) | set(sample.delete) | set(sample.duplicate) | set(sample.points)
    unknown = (named | {grade_id for grade_id, *_ in sample.inserted}) - set(ids)
    if unknown:
        raise KeyError(f"sample {sample.name} names cells {sorted(unknown)} that {released.name} does not have")
    for grade_id, source in sample.answers.items():
        ids[grade_id].source = source
    for grade_id, points in sample.points.items():
        ids[grade_id].metadata["nbgrader"]["points"] = points
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in sample.delete:
            continue
        cells.append(cell)
        if grade_id in sample.duplicate:
            cells.append(copy.deepcopy(cell))
        for after, source, kind in sample.inserted:
            if after == grade_id:
                new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
                cells.append(new(source))
    nb.cells = cells
    with open(destination, "w") as fh:  # nbformat.write would refuse the duplicated cell ids
        json.dump(nb, fh, indent=1)
    return destination
