"""Tests of course_lib.explorers.landscape (chapter 10).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a run that
overflows while drawing fails here.
"""

from __future__ import annotations

import re

import pytest

from course_lib.explorers import landscape
from course_lib.widgets import Explorer
from conftest import render_png


@pytest.fixture(scope="module")
def explorer():
    """One instance shared by the tests: its static sweep is rendered once and cached."""
    return landscape.saddle_escape_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the kick radius, with the learning rate as second control?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "radius"
    assert set(explorer.controls) == {"radius", "eta"}


@pytest.mark.parametrize("params", [{"radius": 0.0, "eta": 0.02}, {"radius": 0.5, "eta": 0.2},
                                    {"radius": 1e-6, "eta": 0.2}, {"radius": 0.1, "eta": 0.05}])
def test_draws_extreme_parameters_without_warnings(explorer, params):
    """Do the extreme settings draw cleanly with labelled axes?"""
    fig = explorer.figure(**params)
    assert render_png(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_title_reports_escape(explorer):
    """Does gradient descent (r = 0) stay at the saddle, and do kicks of 0.01 let every run escape?"""
    assert "no run left" in explorer.figure(radius=0.0, eta=0.1).axes[1].get_title()
    assert explorer.figure(radius=0.01, eta=0.1).axes[1].get_title().startswith("5 of 5 runs escaped")


def test_static_html_has_one_frame_per_sweep_value(explorer):
    """Does the static sweep embed exactly one frame per radius?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["radius"].values)


@pytest.mark.parametrize("params, match", [({"radius": -0.1}, "radius"), ({"eta": 0.0}, "eta"),
                                           ({"eta": 0.5}, "eta"), ({"lr": 0.1}, "unknown parameter")])
def test_bad_parameters_raise_clear_errors(explorer, params, match):
    """Are negative radii and impossible learning rates errors that name the parameter?"""
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.figure(**params)


@pytest.mark.parametrize("kwargs, match", [({"num_steps": 0}, "num_steps"), ({"num_runs": 11}, "num_runs"),
                                           ({"start": 0.0}, "start")])
def test_bad_construction_arguments_raise(kwargs, match):
    """Are an empty run, too many runs and a start at the saddle rejected where they enter?"""
    with pytest.raises(ValueError, match=match):
        landscape.saddle_escape_explorer(**kwargs)
