"""Tests of course_lib.explorers.convexity (chapter 9).

Figures are rendered to PNG (a full draw); pytest turns warnings into errors, so a divergent
run that overflows or asks for the log of zero while drawing fails here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import render_png
from course_lib.convexity import gd_linear_rate
from course_lib.explorers import convexity
from course_lib.widgets import Explorer


@pytest.fixture(scope="module")
def explorer():
    """One instance shared by the tests: its static sweep is rendered once and cached."""
    return convexity.strongly_convex_gd_explorer()


def test_builds_a_consistent_explorer(explorer):
    """Is it an Explorer sweeping the step, with controls step and kappa and at most 10 frames each?"""
    assert isinstance(explorer, Explorer)
    assert explorer.sweep == "step"
    assert set(explorer.controls) == {"step", "kappa"}
    assert all(len(s.values) <= 10 for s in explorer.controls.values())


@pytest.mark.parametrize("params", [{"step": 0.5, "kappa": 100.0}, {"step": 2.1, "kappa": 100.0},
                                    {"step": 1.95, "kappa": 2.0}, {"step": 1.0, "kappa": 2.0}])
def test_draws_extreme_parameters_without_warnings(explorer, params):
    """Do the extreme settings, the divergent step included, draw cleanly with labelled axes?"""
    fig = explorer.figure(**params)
    assert render_png(fig).startswith(b"\x89PNG")
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("params, word", [({"step": 2.1}, "diverges"), ({"step": 1.0}, "converges")])
def test_title_reports_convergence(explorer, params, word):
    """Does the error panel say whether gradient descent converges (eta L < 2)?"""
    assert word in explorer.figure(**params).axes[1].get_title()


def test_measured_curve_lies_below_the_bound(explorer):
    """Is the plotted measured distance below the plotted bound q^t ||theta_0|| at every step?"""
    fig = explorer.figure(step=1.5, kappa=30.0)
    lines = fig.axes[1].get_lines()
    measured, bound = lines[0].get_ydata(), lines[1].get_ydata()
    n = min(len(measured), len(bound))
    assert np.all(measured[:n] <= bound[:n] * (1 + 1e-9))
    q = gd_linear_rate(1 / 30, 1.0, 1.5)
    assert bound[1] / bound[0] == pytest.approx(q)


def test_static_html_has_one_frame_per_sweep_value(explorer):
    """Does the static sweep embed exactly one frame per step value?"""
    html = explorer.static_html()
    assert len(re.findall(r"frames\[\d+\] = ", html)) == len(explorer.controls["step"].values)


@pytest.mark.parametrize("params, match", [({"step": 0.0}, "step"), ({"step": float("nan")}, "step"),
                                           ({"kappa": 0.5}, "kappa"), ({"eta": 0.1}, "unknown parameter")])
def test_bad_parameters_raise_clear_errors(explorer, params, match):
    """Are impossible steps and condition numbers errors that name the problem?"""
    with pytest.raises((ValueError, TypeError), match=match):
        explorer.figure(**params)


def test_bad_construction_argument_raises():
    """Is an empty run rejected where it enters?"""
    with pytest.raises(ValueError, match="num_steps"):
        convexity.strongly_convex_gd_explorer(num_steps=0)
