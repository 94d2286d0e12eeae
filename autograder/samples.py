"""Sample submissions: answers written as text, turned into real submitted notebooks.

A sample ``autograder/samples/<assignment>/<name>.py`` holds new sources for cells of the
released notebook, each introduced by a line ``# %% <grade_id>``. Writing samples as answers
(rather than as whole notebooks) keeps them valid when the assignment's text changes. A sample
whose entry in ``samples.toml`` has ``base = "<other sample>"`` starts from that sample's
answers and lists only the cells it changes.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SAMPLES = Path(__file__).resolve().parent / "samples"
_HEADER = re.compile(r"^# %% (\S+)\s*$", re.MULTILINE)


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


def load_samples(assignment: str) -> list[Sample]:
    """All samples of ``assignment`` with their expected scores, in the order of samples.toml."""
    folder = SAMPLES / assignment
    table = tomllib.loads((folder / "samples.toml").read_text())

    def answers(name: str) -> dict:
        # a sample with `base = "other"` is that sample with some cells changed
        path = folder / f"{name}.py"
        own = parse_answers(path.read_text()) if path.is_file() else {}
        base = table[name].get("base")
        return {**answers(base), **own} if base else own

    return [Sample(name, float(spec["score"]), spec["why"], answers(name), tuple(spec.get("delete", ())),
                   tuple(spec.get("duplicate", ())), dict(spec.get("points", {})), spec.get("raw"))
            for name, spec in table.items()]


def parse_answers(text: str) -> dict:
    parts = _HEADER.split(text)
    return {grade_id: source.strip("\n") for grade_id, source in zip(parts[1::2], parts[2::2])}


def build_submission(released: Path, sample: "Sample | dict", destination: Path) -> None:
    """Write the released notebook, answered and altered as ``sample`` says, to ``destination``.

    ``sample`` may also be a plain dict of answers.
    """
    if isinstance(sample, dict):
        sample = Sample("answers", 0.0, "", sample)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if sample.raw is not None:
        destination.write_text(sample.raw)
        return
    nb = nbformat.read(released, as_version=4)
    ids = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells}
    unknown = (set(sample.answers) | set(sample.delete) | set(sample.duplicate) | set(sample.points)) - set(ids)
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
    nb.cells = cells
    with open(destination, "w") as fh:  # nbformat.write would refuse the duplicated cell ids
        json.dump(nb, fh, indent=1)
