"""Sample submissions: answers written as text, turned into real submitted notebooks.

A sample ``autograder/samples/<assignment>/<name>.py`` holds new sources for cells of the
released notebook, each introduced by a line ``# %% <grade_id>``. Writing samples as answers
(rather than as whole notebooks) keeps them valid when the assignment's text changes. A sample
whose entry in ``samples.toml`` has ``base = "<other sample>"`` starts from that sample's
answers and lists only the cells it changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
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


def load_samples(assignment: str) -> list[Sample]:
    """All samples of ``assignment`` with their expected scores, in the order of samples.toml."""
    folder = SAMPLES / assignment
    table = tomllib.loads((folder / "samples.toml").read_text())

    def answers(name: str) -> dict:
        # a sample with `base = "other"` is that sample with some cells changed
        own = parse_answers((folder / f"{name}.py").read_text())
        base = table[name].get("base")
        return {**answers(base), **own} if base else own

    return [Sample(name, float(spec["score"]), spec["why"], answers(name)) for name, spec in table.items()]


def parse_answers(text: str) -> dict:
    parts = _HEADER.split(text)
    return {grade_id: source.strip("\n") for grade_id, source in zip(parts[1::2], parts[2::2])}


def build_submission(released: Path, answers: dict, destination: Path) -> None:
    """Write the released notebook with ``answers`` filled in to ``destination``."""
    nb = nbformat.read(released, as_version=4)
    ids = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in nb.cells}
    unknown = set(answers) - set(ids)
    if unknown:
        raise KeyError(f"sample answers cells {sorted(unknown)} that {released.name} does not have")
    for grade_id, source in answers.items():
        ids[grade_id].source = source
    destination.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, destination)
