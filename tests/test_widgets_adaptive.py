"""Tests of course_lib.widgets.optimizer_race_explorer (chapter 4).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a divergent
run that overflows or asks for the log of zero while drawing fails here.
"""

from __future__ import annotations

import re

import pytest

from course_lib import widgets
from course_lib.widgets import Explorer
from conftest import render_png


@pytest.fixture(scope="module")
def explorer():
    """One instance shared by the tests: its static sweep is rendered once and cached."""
    return widgets.optimizer_race_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the learning-rate multiplier?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "lr_scale"
    assert set(explorer.controls) == {"lr_scale"}


@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0, 100.0])
def test_draws_extreme_settings_without_warnings(explorer, scale):
    """Do tiny and divergent learning rates draw cleanly, with four runs and labelled axes?"""
    fig = explorer.figure(lr_scale=scale)
    assert render_png(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    assert len(fig.axes[0].get_legend().get_texts()) == 4


def test_static_html_has_one_frame_per_sweep_value(explorer):
    """Does the static sweep embed exactly one frame per multiplier value?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["lr_scale"].values)


@pytest.mark.parametrize("params, match", [({"lr_scale": 0.0}, "lr_scale"),
                                           ({"lr_scale": float("nan")}, "lr_scale"),
                                           ({"lr": 1.0}, "unknown parameter")])
def test_bad_parameters_raise_clear_errors(explorer, params, match):
    """Are impossible multipliers errors that name the problem?"""
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.figure(**params)


def test_bad_construction_argument_raises():
    """Is an empty run rejected where it enters?"""
    with pytest.raises(ValueError, match="num_steps"):
        widgets.optimizer_race_explorer(num_steps=0)
