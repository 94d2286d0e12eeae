"""Tests of the quasi-Newton explorer of course_lib.widgets (chapter 8; chapter 7's ray explorer is
course_lib.explorers.linesearch, tested in test_explorers_linesearch.py).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors.
"""

from __future__ import annotations

import re

import pytest

from course_lib import widgets
from conftest import render_png


@pytest.fixture(scope="module")
def race():
    return widgets.quasi_newton_race_explorer(max_steps=120)


@pytest.mark.parametrize("m", [1, 3, 20])
def test_race_shows_four_methods_and_their_costs(race, m):
    """Does the race draw the four methods, each labelled with its number of steps and
    evaluations, for small and large memories?"""
    fig = race.figure(m=m)
    render_png(fig)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert len(labels) == 4
    assert any(f"L-BFGS, m = {m}" in label for label in labels)
    assert all(re.search(r"\d+ steps, \d+ f, \d+ ∇f", label) for label in labels)


@pytest.mark.parametrize("m", [0, 2.5, True])
def test_race_rejects_a_bad_memory(race, m):
    with pytest.raises(ValueError, match="m must be"):
        race.figure(m=m)


def test_race_static_html_has_one_frame_per_memory(race):
    html = race.static_html()
    assert len(re.findall(r"frames\[\d+\]", html)) == len(race.controls["m"].values)
    assert "https://" not in html
