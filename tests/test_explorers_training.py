"""Tests of course_lib.explorers.training.depth_explorer (chapter 11).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a vanishing
signal that asks for the log of zero while drawing fails here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import render_png
from course_lib.explorers.training import depth_explorer
from course_lib.widgets import Explorer


@pytest.fixture(scope="module")
def explorer():
    """One instance shared by the tests: its static sweep is rendered once and cached."""
    return depth_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the gain, with He's gain sqrt(2) as the default?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "gain"
    assert set(explorer.controls) == {"gain", "depth"}
    assert explorer.controls["gain"].default == pytest.approx(np.sqrt(2), rel=1e-4)
    assert len(explorer.controls["gain"].values) <= 10


@pytest.mark.parametrize("params", [{"gain": 0.5, "depth": 50}, {"gain": 2.0, "depth": 50},
                                    {"gain": 1.0, "depth": 10}])
def test_draws_extreme_parameters_without_warnings(explorer, params):
    """Do vanishing (gain 0.5) and exploding (gain 2) settings draw cleanly with labelled axes?"""
    fig = explorer.figure(**params)
    assert render_png(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_relu_curve_is_flat_at_he_gain_and_vanishes_below(explorer):
    """Does the ReLU forward curve stay within a factor 2 at gain sqrt(2) and fall by 1e3 at 0.5?"""
    def relu_line(gain):
        ax = explorer.figure(gain=gain, depth=30).axes[0]
        return [line for line in ax.get_lines() if line.get_label() == "relu"][0].get_ydata()
    he = relu_line(1.4142)
    assert 0.5 < he[-1] / he[0] < 2
    small = relu_line(0.5)
    assert small[-1] / small[0] < 1e-3


def test_static_html_has_one_frame_per_gain(explorer):
    """Does the static sweep embed exactly one frame per gain value?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["gain"].values)


@pytest.mark.parametrize("params, match", [({"gain": 0.0}, "gain"), ({"gain": float("nan")}, "gain"),
                                           ({"depth": 2.5}, "depth"), ({"width": 3}, "unknown parameter")])
def test_bad_parameters_raise_clear_errors(explorer, params, match):
    """Are impossible gains and depths errors that name the problem?"""
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.figure(**params)


def test_bad_construction_raises():
    """Is a width of 1 refused with a message naming it?"""
    with pytest.raises(ValueError, match="width"):
        depth_explorer(width=1)
